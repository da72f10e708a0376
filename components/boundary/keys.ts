/**
 * The zone's keys: single-Region, rotated, usable only through this region's data services; and
 * for each replica region (same zone only) a single-Region key of its own there, created from
 * this stack with the v7 per-resource `region` input. Not a replica of the zone key: a
 * multi-Region key would itself be a replication path of key material.
 */
import * as pulumi from "@pulumi/pulumi";
import { namePrefix } from "../../model/naming";
import { auroraLogGroupName } from "../shared/aurora";
import { keyWithAlias } from "../shared/kms-key";
import { BoundaryContext, protectedChildOf } from "./context";
import { boundaryKeyPolicy } from "./key-policy";

export interface BoundaryKeys {
    /** The zone key in the boundary's region. */
    key: pulumi.Output<string>;
    /** Replica region → its own key. */
    replicas: { region: string; arn: pulumi.Output<string> }[];
}

export function boundaryKeys(
    ctx: BoundaryContext,
    opts: { auroraIdentifier?: string; replicaRegions: string[] },
): BoundaryKeys {
    const { name, zone, region, environment: env } = ctx;
    const alias = `alias/${namePrefix(env)}-residency-${zone}`;
    const policy = (r: string, logGroups: string[], services?: string[]) =>
        pulumi
            .all([ctx.partition, ctx.accountId])
            .apply(([p, account]) => boundaryKeyPolicy(p, account, r, logGroups, services));
    const key = keyWithAlias(
        `${name}-key`,
        {
            description: `TaskFlow ${env} zone ${zone} resident data (single-Region, ${region})`,
            multiRegion: false,
            policy: policy(
                region,
                opts.auroraIdentifier ? [auroraLogGroupName(opts.auroraIdentifier)] : [],
            ),
            tags: ctx.tags,
            alias: { resourceName: `${name}-key-alias`, name: alias },
        },
        protectedChildOf(ctx),
    );
    const replicas = opts.replicaRegions.map((r) => {
        const k = keyWithAlias(
            `${name}-key-${r}`,
            {
                region: r,
                description: `TaskFlow ${env} zone ${zone} resident data (single-Region, replica table in ${r})`,
                multiRegion: false,
                policy: policy(r, [], ["dynamodb"]),
                tags: ctx.tags,
                alias: { resourceName: `${name}-key-alias-${r}`, name: alias },
            },
            protectedChildOf(ctx),
        );
        return { region: r, arn: k.arn };
    });
    return { key: key.arn, replicas };
}
