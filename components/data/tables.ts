/**
 * The DynamoDB global tables (version 2019.11.21): created in the primary stack with a replica
 * listed on the table for every other global-data region, each replica under that region's
 * global-data key. Secondaries create none.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DataContext, protectedChildOf } from "./context";
import { names } from "./names";
import { TABLES } from "./rules";

/** Logical key → the table's name and ARN. */
export type TableRefs = Record<keyof typeof TABLES, { name: string; arn: string }>;

export function globalTables(
    ctx: DataContext,
    key: pulumi.Output<string>,
    keyArns: pulumi.Output<Record<string, string>>,
): pulumi.Output<TableRefs> {
    const refs: Record<string, pulumi.Output<{ name: string; arn: string }>> = {};
    if (!ctx.isPrimary) return pulumi.output(refs) as unknown as pulumi.Output<TableRefs>;
    const replicas = ctx.replicaRegions.map((r) => ({
        regionName: r,
        kmsKeyArn: keyArns.apply((m) => m[r]),
        // Explicit values: left unset, the provider shows a diff on every preview
        // (hashicorp/terraform-provider-aws#25812).
        pointInTimeRecovery: true,
        deletionProtectionEnabled: true,
        propagateTags: true,
    }));
    for (const [logical, spec] of Object.entries(TABLES)) {
        const table = new aws.dynamodb.Table(
            `${ctx.name}-${spec.table.replace(/_/g, "-")}`,
            {
                name: names.table(ctx.environment, spec.table),
                billingMode: "PAY_PER_REQUEST",
                hashKey: spec.hashKey,
                attributes: [{ name: spec.hashKey, type: "S" }],
                ...(spec.ttlAttribute
                    ? { ttl: { attributeName: spec.ttlAttribute, enabled: true } }
                    : {}),
                // Global tables replicate through the stream.
                streamEnabled: true,
                streamViewType: "NEW_AND_OLD_IMAGES",
                pointInTimeRecovery: { enabled: true },
                deletionProtectionEnabled: true,
                serverSideEncryption: { enabled: true, kmsKeyArn: key },
                replicas,
                tags: ctx.tags,
            },
            protectedChildOf(ctx),
        );
        refs[logical] = pulumi
            .all([table.name, table.arn])
            .apply(([n, a]) => ({ name: n, arn: a }));
    }
    return pulumi.output(refs) as unknown as pulumi.Output<TableRefs>;
}
