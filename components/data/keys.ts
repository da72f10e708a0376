/**
 * The global-data key. The primary creates a multi-Region key and a replica in every other
 * global-data region (through the v7 per-resource `region` input); a secondary encrypts with the
 * replica the primary created in its region, not a key of its own: the DynamoDB replicas
 * (declared on the table in the primary stack) need that key before any secondary exists, and
 * one key family keeps snapshots, cache backups and replicated objects decryptable in every
 * global-data region with one key policy to review.
 */
import * as pulumi from "@pulumi/pulumi";
import { keyWithAlias } from "../shared/kms-key";
import { DataContext, primaryRefs, protectedChildOf } from "./context";
import { names } from "./names";
import { auroraLogGroupName } from "../shared/aurora";
import { dataKeyPolicy } from "./rules";

export interface DataKeys {
    /** The key in this region. */
    key: pulumi.Output<string>;
    /** Primary only: region → key ARN in every global-data region. */
    keyArns: pulumi.Output<Record<string, string>>;
}

export function dataKeys(ctx: DataContext): DataKeys {
    return ctx.isPrimary ? ownedKeys(ctx) : replicaInRegion(ctx);
}

/** The multi-Region primary key here, and its replica in every other global-data region. */
function ownedKeys(ctx: DataContext): DataKeys {
    const { name, region, environment } = ctx;
    const policyFor = (r: string) =>
        pulumi.all([ctx.partition, ctx.accountId]).apply(([p, account]) =>
            // CloudWatch Logs in `r` may use the key for that region's Aurora log.
            dataKeyPolicy(p, account, r, [auroraLogGroupName(names.auroraCluster(environment, r))]),
        );
    const primary = keyWithAlias(
        `${name}-key`,
        {
            description: `TaskFlow ${environment} global data (multi-Region primary, ${region})`,
            multiRegion: true,
            policy: policyFor(region),
            tags: ctx.tags,
            alias: { resourceName: `${name}-key-alias`, name: names.keyAlias(environment) },
        },
        protectedChildOf(ctx),
    );
    const arns: Record<string, pulumi.Output<string>> = { [region]: primary.arn };
    for (const r of ctx.replicaRegions) {
        const replica = keyWithAlias(
            `${name}-key-${r}`,
            {
                region: r,
                replicaOf: primary.arn,
                description: `TaskFlow ${environment} global data (multi-Region replica, ${r})`,
                policy: policyFor(r),
                tags: ctx.tags,
                alias: {
                    resourceName: `${name}-key-alias-${r}`,
                    name: names.keyAlias(environment),
                },
            },
            protectedChildOf(ctx),
        );
        arns[r] = replica.arn;
    }
    return {
        key: primary.arn,
        keyArns: pulumi.output(arns) as pulumi.Output<Record<string, string>>,
    };
}

/** A secondary's key: the replica the primary stack made in this region. */
function replicaInRegion(ctx: DataContext): DataKeys {
    const key = pulumi.output(primaryRefs(ctx).kmsKeyArns).apply((m) => {
        const arn = m?.[ctx.region];
        if (!arn) {
            throw new Error(
                `GlobalData: the primary stack's output kmsKeyArns has no key for ${ctx.region} (it has ${Object.keys(m ?? {}).join(", ") || "none"}); update the primary stack first so it creates the replica key for every globalData region`,
            );
        }
        return arn;
    });
    return { key, keyArns: pulumi.output<Record<string, string>>({}) };
}
