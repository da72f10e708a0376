/**
 * This region's assets bucket: the versioned source in the primary, a replica elsewhere (the S3
 * replication rules live in the global stack's AssetsReplication, where both ends exist). Private,
 * TLS-only, SSE-KMS under the global-data key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TAG } from "../../model/tags";
import { tlsOnlyBucketPolicy } from "../shared/bucket-policy";
import { DataContext } from "./context";
import { names } from "./names";

export function assetsBucket(ctx: DataContext, key: pulumi.Output<string>): aws.s3.Bucket {
    const { name } = ctx;
    const bucket = new aws.s3.Bucket(
        `${name}-assets`,
        {
            // Known at preview: the caller identity is read then.
            bucket: ctx.accountId.apply((a) => names.assetsBucket(ctx.environment, a, ctx.region)),
            forceDestroy: false,
            tags: { ...ctx.tags, [TAG.role]: ctx.isPrimary ? "source" : "replica" },
        },
        { parent: ctx.parent, protect: true },
    );
    const onBucket = { parent: bucket };
    new aws.s3.BucketPublicAccessBlock(
        `${name}-assets-public-access`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        onBucket,
    );
    new aws.s3.BucketOwnershipControls(
        `${name}-assets-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        onBucket,
    );
    // Replication needs versioning on both ends.
    new aws.s3.BucketVersioning(
        `${name}-assets-versioning`,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        onBucket,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-assets-sse`,
        {
            bucket: bucket.id,
            rules: [
                {
                    applyServerSideEncryptionByDefault: {
                        sseAlgorithm: "aws:kms",
                        kmsMasterKeyId: key,
                    },
                    bucketKeyEnabled: true,
                },
            ],
        },
        onBucket,
    );
    new aws.s3.BucketPolicy(
        `${name}-assets-tls-only`,
        { bucket: bucket.id, policy: bucket.arn.apply(tlsOnlyBucketPolicy) },
        onBucket,
    );
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-assets-lifecycle`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-noncurrent-versions",
                    status: "Enabled",
                    filter: { prefix: "" },
                    noncurrentVersionExpiration: { noncurrentDays: 90 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        onBucket,
    );
    return bucket;
}
