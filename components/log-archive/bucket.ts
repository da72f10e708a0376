/** The archive bucket: private, versioned, SSE-KMS under the archive's key, TLS only, expiring. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyBucketPolicyOfName } from "../shared/bucket-policy";
import { hardenedBucket } from "../shared/hardened-bucket";
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
        bucketName: pulumi.Output<string>;
        tags: Record<string, string>;
        keyArn: pulumi.Output<string>;
    },
): ArchiveBucket {
    const { bucket, versioning } = hardenedBucket(
        {
            name: `${name}-bucket`,
            partsName: name,
            region: a.region,
            bucketName: a.bucketName,
            tags: a.tags,
            kmsKeyArn: a.keyArn,
            lifecycleRules: [
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
            lifecycleAfterVersioning: true,
            policy: () =>
                tlsOnlyBucketPolicyOfName(
                    aws.getPartitionOutput({}, { parent }).partition,
                    a.bucketName,
                ),
        },
        { parent },
    );
    return { bucket, versioning };
}
