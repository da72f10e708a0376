/**
 * The one hardened S3 bucket: public access blocked, ACLs off (bucket owner enforced), encrypted
 * by default, versioned, expiring by its lifecycle rules if it has any, and a bucket policy applied
 * after the public access block (so the policy is never evaluated on an unblocked bucket).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface HardenedBucketArgs {
    /** Logical name of the bucket resource. */
    name: string;
    /**
     * Prefix of its parts' logical names: `<partsName>-ownership`, `-pab`, `-sse`, `-versioning`,
     * `-lifecycle`, `-policy`. Default: `name`.
     */
    partsName?: string;
    /** `region` input of every resource (provider v7). Default: none (the provider's region). */
    region?: string;
    /** Physical name of the bucket. */
    bucketName: pulumi.Input<string>;
    tags: Record<string, string>;
    /**
     * SSE-KMS under this key, with an S3 bucket key. Default: SSE-S3 (AES256), for buckets whose
     * writer supports no KMS key (ALB access logs).
     */
    kmsKeyArn?: pulumi.Input<string>;
    /** Lifecycle rules. Default: none, and no lifecycle configuration. */
    lifecycleRules?: pulumi.Input<aws.types.input.s3.BucketLifecycleConfigurationRule>[];
    /** Whether the lifecycle configuration waits for versioning. Default false. */
    lifecycleAfterVersioning?: boolean;
    /** The bucket policy's document (which must deny plain HTTP: bucket-policy.ts). */
    policy: (bucket: aws.s3.Bucket) => pulumi.Input<string>;
    /** `protect` the bucket itself (not its parts). Default false. */
    protect?: boolean;
}

export interface HardenedBucket {
    bucket: aws.s3.Bucket;
    publicAccessBlock: aws.s3.BucketPublicAccessBlock;
    /** Replication into or out of the bucket requires its versioning first. */
    versioning: aws.s3.BucketVersioning;
    policy: aws.s3.BucketPolicy;
}

/** The bucket and its parts, each with `opts` (parent, provider). */
export function hardenedBucket(
    a: HardenedBucketArgs,
    opts: pulumi.CustomResourceOptions,
): HardenedBucket {
    const parts = a.partsName ?? a.name;
    const region = a.region !== undefined ? { region: a.region } : {};
    const bucket = new aws.s3.Bucket(
        a.name,
        { ...region, bucket: a.bucketName, forceDestroy: false, tags: a.tags },
        a.protect ? { ...opts, protect: true } : opts,
    );
    const of = { ...region, bucket: bucket.id };
    new aws.s3.BucketOwnershipControls(
        `${parts}-ownership`,
        { ...of, rule: { objectOwnership: "BucketOwnerEnforced" } },
        opts,
    );
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
        `${parts}-pab`,
        {
            ...of,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        opts,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${parts}-sse`,
        {
            ...of,
            rules: [
                a.kmsKeyArn !== undefined
                    ? {
                          applyServerSideEncryptionByDefault: {
                              sseAlgorithm: "aws:kms",
                              kmsMasterKeyId: a.kmsKeyArn,
                          },
                          bucketKeyEnabled: true,
                      }
                    : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            ],
        },
        opts,
    );
    const versioning = new aws.s3.BucketVersioning(
        `${parts}-versioning`,
        { ...of, versioningConfiguration: { status: "Enabled" } },
        opts,
    );
    if (a.lifecycleRules !== undefined)
        new aws.s3.BucketLifecycleConfiguration(
            `${parts}-lifecycle`,
            { ...of, rules: a.lifecycleRules },
            a.lifecycleAfterVersioning ? { ...opts, dependsOn: [versioning] } : opts,
        );
    const policy = new aws.s3.BucketPolicy(
        `${parts}-policy`,
        { ...of, policy: a.policy(bucket) },
        { ...opts, dependsOn: [publicAccessBlock] },
    );
    return { bucket, publicAccessBlock, versioning, policy };
}
