/**
 * The zone's stores: a DynamoDB table (replicas only inside the zone, each under its region's own
 * key) and a bucket without replication. Both in-region backups only, deletion-protected in AWS
 * and `protect`ed in Pulumi.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyBucketPolicyOfName } from "../shared/bucket-policy";
import { hardenedBucket } from "../shared/hardened-bucket";
import {
    BoundaryContext,
    boundaryName,
    childOf,
    protectedChildOf,
    zoneBucketNameOf,
} from "./context";
import { BoundaryKeys } from "./keys";

/** Zone-resident user data; a global table only when the zone has replica regions. */
export function zoneTable(ctx: BoundaryContext, keys: BoundaryKeys): aws.dynamodb.Table {
    return new aws.dynamodb.Table(
        `${ctx.name}-table`,
        {
            name: boundaryName(ctx, "users"),
            billingMode: "PAY_PER_REQUEST",
            hashKey: "userId",
            attributes: [{ name: "userId", type: "S" }],
            pointInTimeRecovery: { enabled: true },
            deletionProtectionEnabled: true,
            serverSideEncryption: { enabled: true, kmsKeyArn: keys.key },
            ...(keys.replicas.length > 0
                ? {
                      // Global tables (2019.11.21) replicate through the table's stream.
                      streamEnabled: true,
                      streamViewType: "NEW_AND_OLD_IMAGES",
                      replicas: keys.replicas.map((k) => ({
                          regionName: k.region,
                          kmsKeyArn: k.arn,
                          // Explicit, or the provider diffs them on every preview
                          // (hashicorp/terraform-provider-aws#25812).
                          pointInTimeRecovery: true,
                          deletionProtectionEnabled: true,
                          // The replica carries the zone's residency tag too.
                          propagateTags: true,
                      })),
                  }
                : {}),
            tags: ctx.tags,
        },
        protectedChildOf(ctx),
    );
}

/**
 * Zone-resident objects, no replication. `protect`, not retainOnDelete: Pulumi refuses to delete
 * it at all until it is unprotected on purpose (and AWS refuses while it holds objects:
 * forceDestroy false). retainOnDelete would instead let a removal from the program or a
 * `destroy` silently drop the bucket from the state and leave the zone's personal data behind,
 * unmanaged, under a key scheduled for deletion: erasure of zone data must be a deliberate step,
 * not a side effect.
 */
export function zoneBucket(ctx: BoundaryContext, key: pulumi.Output<string>): aws.s3.Bucket {
    const bucketName = ctx.accountId.apply((a) => zoneBucketNameOf(ctx, a));
    const { bucket } = hardenedBucket(
        {
            name: `${ctx.name}-bucket`,
            bucketName,
            tags: ctx.tags,
            kmsKeyArn: key,
            policy: () => tlsOnlyBucketPolicyOfName(ctx.partition, bucketName),
            protect: true,
        },
        childOf(ctx),
    );
    return bucket;
}
