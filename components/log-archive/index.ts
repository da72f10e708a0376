/**
 * LogArchive: the log archive of one residency classification, in its one region: a bucket under
 * a single-Region CMK of that region, classified like the logs it keeps (`global` in the
 * primary's region; a zone's archive, e.g. `eu` in eu-west-1). The region's log landing bucket
 * (the cell's SSE-S3 bucket: ALB and S3 server access logs can only be delivered to a bucket in
 * the same region under SSE-S3,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_s3Buckets_LoggingEnabled.html) replicates
 * into it within the region (same-Region replication), re-encrypted under the archive's key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { namePrefix } from "../../model/naming";
import { TAG, componentTags } from "../../model/tags";
import { denyInsecureTransport } from "../shared/bucket-policy";
import { keyWithAlias } from "../shared/kms-key";
import { keyPolicy } from "../shared/kms-policy";
import { residencyTags, withResidencyCheck } from "../shared/residency";

/** Arguments of {@link LogArchive}. */
export interface LogArchiveArgs {
    /** Region of the archive, its key and every source. Required. */
    region: string;
    /** Classification of the logs it keeps (`global` or a zone). Required. */
    classification: string;
    /** Every residency zone of the topology (the residency check). Required. */
    zones: string[];
    /** Environment in names and tags. Default `prod`. */
    environment?: string;
    /** Days a log object is kept. Required. */
    retentionDays: number;
    /**
     * The landing buckets that replicate into the archive; each must be in `region` and
     * versioned. Default none.
     */
    sources?: { role: string; bucketId: pulumi.Input<string>; bucketArn: pulumi.Input<string> }[];
}

export class LogArchive extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;
    public readonly kmsKeyArn: pulumi.Output<string>;
    public readonly classification: pulumi.Output<string>;

    constructor(name: string, args: LogArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
        super("taskflow:logs:LogArchive", name, {}, withResidencyCheck(opts, args.zones));
        const env = args.environment ?? "prod";
        const tags = residencyTags(args.classification, {
            ...componentTags(env, "log-archive", { [TAG.region]: args.region }),
            [TAG.purpose]: "log-archive",
        });
        const p = { parent: this };
        const account = aws.getCallerIdentityOutput({}, p).accountId;
        const partition = aws.getPartitionOutput({}, p).partition;
        const key = keyWithAlias(
            `${name}-key`,
            {
                region: args.region,
                description: `TaskFlow ${env} log archive (${args.classification}, ${args.region})`,
                multiRegion: false,
                policy: pulumi.all([partition, account]).apply(([pt, acct]) =>
                    keyPolicy({
                        partition: pt,
                        accountId: acct,
                        services: ["s3"],
                        regions: [args.region],
                    }),
                ),
                tags,
                alias: {
                    resourceName: `${name}-key-alias`,
                    name: `alias/${namePrefix(env)}-logs-${args.classification}-${args.region}`,
                },
            },
            p,
        );
        const bucket = archiveBucket(name, this, { ...args, tags, keyArn: key.arn });
        for (const s of args.sources ?? []) replicate(name, this, s, { args, bucket, key: key.arn });

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.kmsKeyArn = key.arn;
        this.classification = pulumi.output(args.classification);
        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            kmsKeyArn: this.kmsKeyArn,
            classification: this.classification,
        });
    }
}

/** The archive bucket: private, versioned, SSE-KMS with its key, TLS only, expiring. */
function archiveBucket(
    name: string,
    parent: pulumi.Resource,
    a: LogArchiveArgs & { tags: Record<string, string>; keyArn: pulumi.Output<string> },
): aws.s3.Bucket {
    const p = { parent };
    const region = { region: a.region };
    const bucket = new aws.s3.Bucket(
        `${name}-bucket`,
        { ...region, forceDestroy: false, tags: a.tags },
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
    new aws.s3.BucketVersioning(
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
                    filter: {},
                    expiration: { days: a.retentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: 7 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
        },
        p,
    );
    new aws.s3.BucketPolicy(
        `${name}-policy`,
        {
            ...region,
            bucket: bucket.id,
            policy: bucket.arn.apply((arn) =>
                JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecureTransport(arn)] }),
            ),
        },
        { parent, dependsOn: [pab] },
    );
    return bucket;
}

/** Same-Region replication of one landing bucket into the archive, under the archive's key. */
function replicate(
    name: string,
    parent: pulumi.Resource,
    source: NonNullable<LogArchiveArgs["sources"]>[number],
    to: { args: LogArchiveArgs; bucket: aws.s3.Bucket; key: pulumi.Output<string> },
): void {
    const p = { parent };
    const n = `${name}-from-${source.role}`;
    const role = new aws.iam.Role(
        `${n}-role`,
        {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "s3.amazonaws.com" },
                        Action: "sts:AssumeRole",
                    },
                ],
            }),
            tags: componentTags(to.args.environment ?? "prod", "log-archive"),
        },
        p,
    );
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
    new aws.iam.RolePolicy(
        `${n}-policy`,
        {
            role: role.name,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                        Resource: source.bucketArn,
                    },
                    {
                        Effect: "Allow",
                        Action: [
                            "s3:GetObjectVersionForReplication",
                            "s3:GetObjectVersionAcl",
                            "s3:GetObjectVersionTagging",
                        ],
                        Resource: pulumi.interpolate`${source.bucketArn}/*`,
                    },
                    {
                        Effect: "Allow",
                        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                        Resource: pulumi.interpolate`${to.bucket.arn}/*`,
                    },
                    {
                        Effect: "Allow",
                        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                        Resource: to.key,
                    },
                ],
            }),
        },
        p,
    );
    new aws.s3.BucketReplicationConfig(
        `${n}-replication`,
        {
            region: to.args.region,
            bucket: source.bucketId,
            role: role.arn,
            rules: [
                {
                    id: "to-log-archive",
                    status: "Enabled",
                    filter: {},
                    deleteMarkerReplication: { status: "Disabled" },
                    destination: {
                        bucket: to.bucket.arn,
                        encryptionConfiguration: { replicaKmsKeyId: to.key },
                    },
                },
            ],
        },
        p,
    );
}
