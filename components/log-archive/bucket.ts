/** The archive bucket: private, versioned, SSE-KMS under the archive's key, TLS only, expiring. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyBucketPolicy } from "../shared/bucket-policy";
import { LogArchiveArgs } from "./args";

/** Days a superseded version of a log object is kept (logs are written once; this is a guard). */
export const NONCURRENT_DAYS = 7;

/** Age at which log objects move to Standard-IA (its minimum). */
export const IA_DAYS = 30;

export interface ArchiveBucket {
    bucket: aws.s3.Bucket;
    /** Replication into the bucket requires its versioning first. */
    versioning: aws.s3.BucketVersioning;
}

export function archiveBucket(
    name: string,
    parent: pulumi.Resource,
    a: LogArchiveArgs & {
        bucketName: string;
        tags: Record<string, string>;
        keyArn: pulumi.Output<string>;
    },
): ArchiveBucket {
    const p = { parent };
    const region = { region: a.region };
    const bucket = new aws.s3.Bucket(
        `${name}-bucket`,
        { ...region, bucket: a.bucketName, forceDestroy: false, tags: a.tags },
        p,
    );
    new aws.s3.BucketOwnershipControls(
        `${name}-ownership`,
        { ...region, bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        p,
    );
    const pab = new aws.s3.BucketPublicAccessBlock(
        `${name}-pab`,
        {
            ...region,
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        p,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-sse`,
        {
            ...region,
            bucket: bucket.id,
            rules: [
                {
                    applyServerSideEncryptionByDefault: {
                        sseAlgorithm: "aws:kms",
                        kmsMasterKeyId: a.keyArn,
                    },
                    bucketKeyEnabled: true,
                },
            ],
        },
        p,
    );
    const versioning = new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { ...region, bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        p,
    );
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        {
            ...region,
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-logs",
                    status: "Enabled",
                    // The whole bucket as an explicit empty prefix (an empty `filter: {}` makes
                    // the provider warn, hashicorp/terraform-provider-aws#42714).
                    filter: { prefix: "" },
                    // Standard-IA takes objects 30 days old at the earliest; shorter-lived
                    // logs stay in Standard.
                    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
                    ...(a.retentionDays > IA_DAYS
                        ? { transitions: [{ days: IA_DAYS, storageClass: "STANDARD_IA" }] }
                        : {}),
                    expiration: { days: a.retentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_DAYS },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
        },
        { parent, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
        `${name}-policy`,
        {
            ...region,
            bucket: bucket.id,
            // From the bucket's literal name, not its ARN output: at a first preview the ARN is
            // unknown, and the pack fails closed on a resource policy it cannot read.
            policy: aws
                .getPartitionOutput({}, { parent })
                .partition.apply((pt) => tlsOnlyBucketPolicy(`arn:${pt}:s3:::${a.bucketName}`)),
        },
        { parent, dependsOn: [pab] },
    );
    return { bucket, versioning };
}
