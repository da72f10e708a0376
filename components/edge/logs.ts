/**
 * The edge's logs: CloudFront's standard logs (v2) and the WAF's logs, both into one archive
 * bucket of the global zone in us-east-1, the edge region. Neither can go anywhere else per
 * viewer: a distribution's delivery carries every record of the distribution (there is no record
 * filter, only a field selection), and a web ACL has one logging destination, in the web ACL's
 * region. What the records keep: log-rules.ts; why EU viewers' edge records are global-zone data:
 * docs/architecture.md, "Edge logs and residency".
 *
 * - Standard logging (v2) is configured through CloudWatch Logs' vended-log delivery, whose calls
 *   for CloudFront are served in us-east-1 only ("you must specify the US East (N. Virginia)
 *   Region, even if you want to enable cross Region delivery to another destination",
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html;
 *   the error elsewhere: https://github.com/terraform-aws-modules/terraform-aws-cloudfront/issues/197).
 * - A delivery to S3 writes as `delivery.logs.amazonaws.com` under `AWSLogs/<account>/`
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-S3.html);
 *   WAF writes to an `aws-waf-logs-` bucket of the web ACL's account the same way, and supports
 *   SSE-KMS with a customer managed key
 *   (https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ANY_ACCOUNT } from "../../model/naming";
import { TAG } from "../../model/tags";
import { denyInsecureTransport } from "../shared/bucket-policy";
import { hardenedBucket } from "../shared/hardened-bucket";
import { keyWithAlias } from "../shared/kms-key";
import { KEY_DATA_ACTIONS, keyPolicy } from "../shared/kms-policy";
import { GLOBAL, residencyTags } from "../shared/residency";
import { EdgeContext } from "./context";
import { edgeLogAccess } from "./log-access";
import { edgeLogReplicationAlarm, replicateEdgeLogs } from "./log-replication";
import {
    CLOUDFRONT_LOG_FIELDS,
    WAF_KEPT_ACTIONS,
    WAF_REDACTED_HEADERS,
    edgeLogBucketName,
} from "./log-rules";

/** The bucket the edge delivers to. */
export interface EdgeLogArchive {
    bucket: aws.s3.Bucket;
    /** The bucket policy: deliveries are created after it, so their first write is allowed. */
    policy: aws.s3.BucketPolicy;
    keyArn: pulumi.Output<string>;
    versioning: aws.s3.BucketVersioning;
}

/** The CloudFront v2 delivery chain and the WAF logging configuration. */
export interface EdgeLogs {
    archive: EdgeLogArchive;
    source: aws.cloudwatch.LogDeliverySource;
    destination: aws.cloudwatch.LogDeliveryDestination;
    delivery: aws.cloudwatch.LogDelivery;
    waf: aws.wafv2.WebAclLoggingConfiguration;
    /** Into the edge region's log archive, when the edge is given one. */
    replication?: aws.s3.BucketReplicationConfig;
    /** The alarm on that replication's failed operations (with the replication). */
    replicationFailed?: aws.cloudwatch.MetricAlarm;
    /** The bucket's S3 server access logging, when the edge is given a landing bucket. */
    access?: aws.s3.BucketLogging;
}

/** The archive, then CloudFront's and the WAF's deliveries into it. */
export function edgeLogs(
    ctx: EdgeContext,
    parts: {
        distribution: aws.cloudfront.Distribution;
        webAcl: aws.wafv2.WebAcl;
        /** The edge's alarm topic: the replication-failed alarm notifies it. */
        alarmTopicArn: pulumi.Input<string>;
    },
): EdgeLogs {
    const archive = edgeLogArchive(ctx);
    const cdn = cloudFrontLogs(ctx, parts.distribution, archive);
    const to = ctx.args.logArchive;
    const replication = to
        ? replicateEdgeLogs(
              ctx,
              { bucket: archive.bucket, keyArn: archive.keyArn, ready: [archive.versioning] },
              to,
          )
        : undefined;
    const replicationFailed = to
        ? edgeLogReplicationAlarm(ctx, archive.bucket, to, parts.alarmTopicArn)
        : undefined;
    const access = ctx.args.accessLogs
        ? edgeLogAccess(ctx, archive.bucket, ctx.args.accessLogs)
        : undefined;
    const waf = wafLogs(ctx, parts.webAcl, archive);
    return { archive, ...cdn, waf, replication, replicationFailed, access };
}

/** The log deliveries' source ARNs in this account: CloudWatch Logs in the edge region. */
const deliverySourceArns = (ctx: EdgeContext) =>
    pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.plan.edgeRegion}:${ctx.account}:*`;

/** The archive's key: used by S3 for the account, and by log delivery for this account's logs. */
function archiveKey(ctx: EdgeContext) {
    const region = ctx.plan.edgeRegion;
    return keyWithAlias(
        `${ctx.name}-logs-kms`,
        {
            region,
            description: `TaskFlow ${ctx.environment} edge: CloudFront and WAF log archive`,
            multiRegion: false,
            policy: pulumi
                .all([ctx.partition, ctx.account, deliverySourceArns(ctx)])
                .apply(([part, accountId, sources]) =>
                    keyPolicy({
                        partition: part,
                        accountId,
                        services: ["s3"],
                        regions: [region],
                        servicePrincipals: [
                            {
                                sid: "LogDeliveryEncryptsEdgeLogs",
                                service: "delivery.logs.amazonaws.com",
                                actions: [...KEY_DATA_ACTIONS],
                                condition: {
                                    StringEquals: { "aws:SourceAccount": accountId },
                                    ArnLike: { "aws:SourceArn": sources },
                                },
                            },
                        ],
                    }),
                ),
            tags: residencyTags(GLOBAL, ctx.tags),
            alias: {
                resourceName: `${ctx.name}-logs-kms-alias`,
                name: `alias/${ctx.prefix}-edge-logs`,
            },
        },
        ctx.edge,
    );
}

/** The bucket: private, owner-enforced, SSE-KMS, versioned, expiring after the retention. */
function edgeLogArchive(ctx: EdgeContext): EdgeLogArchive {
    const region = ctx.plan.edgeRegion;
    // Fails now, whatever the account, if the name cannot fit S3's 63 characters.
    edgeLogBucketName(ctx.prefix, ANY_ACCOUNT, region);
    const { key } = archiveKey(ctx);
    const { bucket, policy, versioning } = hardenedBucket(
        {
            name: `${ctx.name}-logs`,
            region,
            bucketName: ctx.account.apply((a) => edgeLogBucketName(ctx.prefix, a, region)),
            // Every viewer's request metadata (EU viewers' too), minimised: classified global,
            // kept in us-east-1, replicated nowhere.
            tags: residencyTags(GLOBAL, { ...ctx.tags, [TAG.purpose]: "edge-logs" }),
            kmsKeyArn: key.arn,
            lifecycleRules: [
                {
                    id: "expire-edge-logs",
                    status: "Enabled",
                    // The whole bucket as an explicit empty prefix (an empty filter is deprecated:
                    // hashicorp/terraform-provider-aws#42714).
                    filter: { prefix: "" },
                    expiration: { days: ctx.plan.logRetentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: 7 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
            policy: (b) => archivePolicy(ctx, b),
        },
        ctx.edge,
    );
    return { bucket, policy, keyArn: key.arn, versioning };
}

/**
 * Log delivery may put this account's logs under `AWSLogs/<account>/` and read the bucket's ACL
 * (WAF checks it), for deliveries of this account in the edge region only; nothing but TLS.
 */
function archivePolicy(ctx: EdgeContext, bucket: aws.s3.Bucket): pulumi.Output<string> {
    const condition = {
        StringEquals: { "aws:SourceAccount": ctx.account },
        ArnLike: { "aws:SourceArn": deliverySourceArns(ctx) },
    };
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EdgeLogDeliveryWrite",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: pulumi.interpolate`${bucket.arn}/AWSLogs/${ctx.account}/*`,
                Condition: {
                    ...condition,
                    StringEquals: {
                        ...condition.StringEquals,
                        "s3:x-amz-acl": "bucket-owner-full-control",
                    },
                },
            },
            {
                Sid: "EdgeLogDeliveryAclCheck",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: "s3:GetBucketAcl",
                Resource: bucket.arn,
                Condition: condition,
            },
            bucket.arn.apply(denyInsecureTransport),
        ],
    });
}

/** Standard logging (v2): the distribution as a delivery source, the archive as destination. */
function cloudFrontLogs(
    ctx: EdgeContext,
    distribution: aws.cloudfront.Distribution,
    archive: EdgeLogArchive,
) {
    const region = ctx.plan.edgeRegion;
    const source = new aws.cloudwatch.LogDeliverySource(
        `${ctx.name}-cdn-logs-source`,
        {
            region,
            name: `${ctx.prefix}-edge-cdn`,
            logType: "ACCESS_LOGS",
            resourceArn: distribution.arn,
            tags: ctx.tags,
        },
        ctx.edge,
    );
    const destination = new aws.cloudwatch.LogDeliveryDestination(
        `${ctx.name}-cdn-logs-destination`,
        {
            region,
            name: `${ctx.prefix}-edge-logs`,
            outputFormat: "parquet",
            deliveryDestinationConfiguration: { destinationResourceArn: archive.bucket.arn },
            tags: ctx.tags,
        },
        ctx.edge,
    );
    const delivery = new aws.cloudwatch.LogDelivery(
        `${ctx.name}-cdn-logs`,
        {
            region,
            deliverySourceName: source.name,
            deliveryDestinationArn: destination.arn,
            recordFields: [...CLOUDFRONT_LOG_FIELDS],
            s3DeliveryConfigurations: [
                // Under AWS's own `AWSLogs/<account>/CloudFront/` prefix.
                {
                    suffixPath: "{DistributionId}/{yyyy}/{MM}/{dd}",
                    enableHiveCompatiblePath: false,
                },
            ],
            tags: ctx.tags,
        },
        { ...ctx.edge, dependsOn: [archive.policy] },
    );
    return { source, destination, delivery };
}

/** The WAF's records of blocked, challenged and counted requests, credentials redacted. */
function wafLogs(
    ctx: EdgeContext,
    webAcl: aws.wafv2.WebAcl,
    archive: EdgeLogArchive,
): aws.wafv2.WebAclLoggingConfiguration {
    return new aws.wafv2.WebAclLoggingConfiguration(
        `${ctx.name}-waf-logs`,
        {
            region: ctx.plan.edgeRegion,
            resourceArn: webAcl.arn,
            logDestinationConfigs: [archive.bucket.arn],
            redactedFields: [
                ...WAF_REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
                { queryString: {} },
            ],
            loggingFilter: {
                defaultBehavior: "DROP",
                filters: [
                    {
                        behavior: "KEEP",
                        requirement: "MEETS_ANY",
                        conditions: WAF_KEPT_ACTIONS.map((action) => ({
                            actionCondition: { action },
                        })),
                    },
                ],
            },
        },
        { ...ctx.edge, dependsOn: [archive.policy] },
    );
}
