/**
 * The ALB's access-log bucket. ALB access logs support SSE-S3 only (not SSE-KMS), so this bucket
 * cannot use the cell's key.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALB_LOG_PREFIX, S3_LOG_PREFIX } from "../../model/logs";
import { albLogsBucketName as modelAlbLogsBucketName } from "../../model/naming";
import { GLOBAL_CLASSIFICATION } from "../../model/residency";
import { TAG } from "../../model/tags";
import { denyInsecureTransport } from "../shared/bucket-policy";
import { hardenedBucket } from "../shared/hardened-bucket";
import { residencyTags } from "../shared/residency";
import { ELB_ACCOUNT_LOG_REGIONS } from "./constants";
import { CellContext, childOf } from "./context";

/** Key prefix of the ALB's log objects in the bucket. */
export const ACCESS_LOG_PREFIX = ALB_LOG_PREFIX;

export interface AccessLogs {
    bucket: aws.s3.Bucket;
    /** The bucket policy: the ALB must be able to write before access logs are enabled. */
    policy: aws.s3.BucketPolicy;
    /** Its versioning: replication out of the bucket requires it. */
    versioning: aws.s3.BucketVersioning;
    /** Names of the buckets whose S3 server access logs the policy admits. */
    s3LogSources: pulumi.Output<string[]>;
}

/**
 * The landing bucket's physical name: `<prefix>-alb-logs-<account>-<region>` (bucket names are
 * global across accounts: the account id keeps two accounts' names apart).
 */
export const albLogsBucketName = modelAlbLogsBucketName;

/**
 * The bucket, private and versioned, its lifecycle, and the policy that lets ELB and S3 log
 * delivery write to it. It is the region's log landing bucket (docs/operations.md, "Log
 * archives"), classified like the logs it receives (`classification`: the zone of the region's
 * residency boundary, else global); the region's log archive replicates it.
 */
export function accessLogBucket(
    ctx: CellContext,
    retentionDays: number,
    classification: string = GLOBAL_CLASSIFICATION,
    sources: (account: string) => string[] = () => [],
): AccessLogs {
    const p = childOf(ctx);
    const s3LogSources = ctx.account.apply((a) => [
        ...new Set([albLogsBucketName(ctx.prefix, a, ctx.region), ...sources(a)]),
    ]);
    const { bucket, policy, versioning } = hardenedBucket(
        {
            name: `${ctx.name}-alb-logs`,
            // Named, so that its policy can be written from the name: at a first preview the
            // bucket's ARN is unknown and the pack fails closed on a policy it cannot read.
            bucketName: ctx.account.apply((a) => albLogsBucketName(ctx.prefix, a, ctx.region)),
            // Request metadata of the region's users (client IPs, paths): classified like them
            // where the region hosts a residency zone, else global.
            tags: residencyTags(classification, {
                ...ctx.tags,
                [TAG.purpose]: "alb-access-logs",
            }),
            // No kmsKeyArn: SSE-S3, ALB access logs support no SSE-KMS (see the header).
            lifecycleRules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    // The whole bucket as an explicit empty prefix: an empty `filter: {}` makes
                    // the provider warn that it will become an error
                    // (hashicorp/terraform-provider-aws#42714, #42126; the same fix in
                    // trussworks/terraform-aws-logs#327).
                    filter: { prefix: "" },
                    // Standard-IA takes objects 30 days old at the earliest: a shorter
                    // retention has no transition.
                    ...(retentionDays > 30
                        ? { transitions: [{ days: 30, storageClass: "STANDARD_IA" }] }
                        : {}),
                    expiration: { days: retentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: 7 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
            policy: () => logDeliveryPolicy(ctx, s3LogSources),
        },
        p,
    );
    return { bucket, policy, versioning, s3LogSources };
}

/**
 * Log delivery may put objects under the prefix only; nothing else reaches the bucket but over
 * TLS. Older regions deliver as the regional ELB account (`aws.elb.getServiceAccount`), regions
 * opened after August 2022 as the `logdelivery.elasticloadbalancing.amazonaws.com` principal.
 */
function logDeliveryPolicy(
    ctx: CellContext,
    sources: pulumi.Output<string[]>,
): pulumi.Output<string> {
    const partition = aws.getPartitionOutput({}, childOf(ctx)).partition;
    const arn = pulumi
        .all([partition, ctx.account])
        .apply(([pt, a]) => `arn:${pt}:s3:::${albLogsBucketName(ctx.prefix, a, ctx.region)}`);
    const sourceArns = pulumi
        .all([partition, sources])
        .apply(([pt, names]) => names.map((n) => `arn:${pt}:s3:::${n}`));
    const writer = ELB_ACCOUNT_LOG_REGIONS.includes(ctx.region)
        ? { AWS: aws.elb.getServiceAccountOutput({ region: ctx.region }, childOf(ctx)).arn }
        : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AlbAccessLogDelivery",
                Effect: "Allow",
                Principal: writer,
                Action: "s3:PutObject",
                Resource: pulumi.interpolate`${arn}/${ACCESS_LOG_PREFIX}/AWSLogs/${ctx.account}/*`,
            },
            {
                // S3 server access logs of the named source buckets of this account (S3 logs
                // only within one Region and account), as AWS's example policy pins them:
                // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
                Sid: "S3ServerAccessLogDelivery",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: pulumi.interpolate`${arn}/${S3_LOG_PREFIX}/*`,
                Condition: {
                    ArnLike: { "aws:SourceArn": sourceArns },
                    StringEquals: { "aws:SourceAccount": ctx.account },
                },
            },
            arn.apply(denyInsecureTransport),
        ],
    });
}
