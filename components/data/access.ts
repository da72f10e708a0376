/**
 * The cell's tasks' least-privilege access to this region's stores (access-policy.ts). Every
 * region writes assets to the primary's source bucket (one-way replication): the primary's own
 * bucket is that source, a secondary takes the name from the primary stack.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { taskAccessPolicy } from "./access-policy";
import { DataContext, childOf, primaryRefs } from "./context";
import { names } from "./names";
import { TABLES } from "./rules";

/** Where the tasks write assets: the source bucket in the primary region. */
export interface WriteBucket {
    name: pulumi.Output<string>;
    arn: pulumi.Output<string>;
    /** The global-data key in the source bucket's region. */
    keyArn: pulumi.Output<string>;
}

export function writeBucket(
    ctx: DataContext,
    bucket: aws.s3.Bucket,
    key: pulumi.Output<string>,
): WriteBucket {
    if (ctx.isPrimary) return { name: bucket.bucket, arn: bucket.arn, keyArn: key };
    const primary = primaryRefs(ctx);
    const sourceRegion = ctx.sourceRegion;
    return {
        name: pulumi.output(primary.assetsBucketName),
        arn: pulumi.output(primary.assetsBucketArn),
        keyArn: pulumi.output(primary.kmsKeyArns).apply((m) => {
            const arn = m?.[sourceRegion];
            if (!arn)
                throw new Error(
                    `GlobalData: the primary stack's output kmsKeyArns has no key for the source region ${sourceRegion}`,
                );
            return arn;
        }),
    };
}

/** The task role's policy over the tables, buckets, database user, cache secret and keys. */
export function taskAccess(
    ctx: DataContext,
    stores: {
        cluster: aws.rds.Cluster;
        bucket: aws.s3.Bucket;
        write: WriteBucket;
        cacheSecret: aws.secretsmanager.Secret;
        key: pulumi.Output<string>;
    },
): aws.iam.RolePolicy {
    const { region, sourceRegion } = ctx;
    return new aws.iam.RolePolicy(
        `${ctx.name}-task-access`,
        {
            role: ctx.network.taskRoleName,
            policy: pulumi
                .all([
                    ctx.partition,
                    ctx.accountId,
                    stores.cluster.clusterResourceId,
                    stores.bucket.arn,
                    stores.write.arn,
                    stores.write.keyArn,
                    stores.cacheSecret.arn,
                    stores.key,
                ])
                .apply(
                    ([
                        p,
                        account,
                        clusterResourceId,
                        bucketArn,
                        sourceBucketArn,
                        sourceKeyArn,
                        secretArn,
                        keyArn,
                    ]) =>
                        taskAccessPolicy({
                            partition: p,
                            accountId: account,
                            region,
                            tableNames: Object.values(TABLES).map((t) =>
                                names.table(ctx.environment, t.table),
                            ),
                            clusterResourceId,
                            bucketArn,
                            writeBucketArn: sourceBucketArn,
                            writeBucketRegion: sourceRegion,
                            writeKmsKeyArn: sourceKeyArn,
                            secretArns: [secretArn],
                            kmsKeyArn: keyArn,
                        }),
                ),
        },
        childOf(ctx),
    );
}
