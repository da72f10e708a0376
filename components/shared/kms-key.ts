/**
 * The one way the program makes a customer-managed KMS key: rotated yearly, a 30-day deletion
 * window, the project's key policy (components/shared/kms-policy.ts), residency tags, and
 * (optionally) an alias. A multi-Region replica is made the same way from its primary's ARN.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Days a deleted key waits before KMS destroys it (the maximum, 30). */
export const KEY_DELETION_WINDOW_DAYS = 30;

export interface KeyArgs {
    /** Description shown in the KMS console. Required. */
    description: pulumi.Input<string>;
    /** The key policy (JSON), e.g. from `keyPolicy(...)`. Required. */
    policy: pulumi.Input<string>;
    /** Tags of the key, including its residency classification. Required. */
    tags: Record<string, string>;
    /** Region of the key and its alias (the v7 per-resource `region`). Default: the provider's. */
    region?: string;
    /** `multiRegion` of the key; left unset (single-Region) when absent. */
    multiRegion?: boolean;
    /**
     * ARN of a multi-Region primary key: the key is its replica (`aws.kms.ReplicaKey`, which
     * takes rotation and key material from the primary). Default: a key of its own.
     */
    replicaOf?: pulumi.Input<string>;
    /** An alias pointing at the key: the alias resource's name and the alias (`alias/...`). */
    alias?: { resourceName: string; name: string };
}

/** A key and its alias. */
export interface KeyWithAlias {
    key: aws.kms.Key | aws.kms.ReplicaKey;
    arn: pulumi.Output<string>;
    keyId: pulumi.Output<string>;
    alias?: aws.kms.Alias;
}

/**
 * Creates the key (and its alias, with the key's parent and provider but not its `protect`).
 * `opts` are the key's resource options.
 */
export function keyWithAlias(
    name: string,
    args: KeyArgs,
    opts: pulumi.CustomResourceOptions,
): KeyWithAlias {
    const region = args.region !== undefined ? { region: args.region } : {};
    const key =
        args.replicaOf !== undefined
            ? new aws.kms.ReplicaKey(
                  name,
                  {
                      ...region,
                      primaryKeyArn: args.replicaOf,
                      description: args.description,
                      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
                      policy: args.policy,
                      tags: args.tags,
                  },
                  opts,
              )
            : new aws.kms.Key(
                  name,
                  {
                      ...region,
                      description: args.description,
                      ...(args.multiRegion !== undefined ? { multiRegion: args.multiRegion } : {}),
                      enableKeyRotation: true,
                      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
                      policy: args.policy,
                      tags: args.tags,
                  },
                  opts,
              );
    const alias = args.alias
        ? new aws.kms.Alias(
              args.alias.resourceName,
              { ...region, name: args.alias.name, targetKeyId: key.keyId },
              { parent: opts.parent, ...(opts.provider ? { provider: opts.provider } : {}) },
          )
        : undefined;
    return { key, arn: key.arn, keyId: key.keyId, ...(alias ? { alias } : {}) };
}
