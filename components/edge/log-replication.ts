/**
 * Same-Region replication of the edge's log bucket into the edge region's log archive (the
 * LogArchive of the region stack in us-east-1, classified global): CloudFront and WAF can only
 * write into a bucket of the edge's own making (an `aws-waf-logs-` name, a policy admitting log
 * delivery), so the edge bucket lands them and S3 copies every object into the archive,
 * re-encrypted under the archive's key. The edge bucket's objects are SSE-KMS under the edge's
 * key: the rule selects them and the role may decrypt them with that key only
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html;
 * permissions: https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EdgeLogArchiveRef } from "./args";
import { EdgeContext } from "./context";
import { replicationFailedAlarm, replicationRolePolicy } from "../shared/replication-policy";
import { serviceTrustPolicy } from "../shared/trust-policy";

/** Id of the edge log bucket's replication rule (the `RuleId` of its replication metrics). */
export const EDGE_LOG_REPLICATION_RULE = "to-log-archive";

export function replicateEdgeLogs(
    ctx: EdgeContext,
    from: { bucket: aws.s3.Bucket; keyArn: pulumi.Output<string>; ready: pulumi.Resource[] },
    to: EdgeLogArchiveRef,
): aws.s3.BucketReplicationConfig {
    const n = `${ctx.name}-logs-replication`;
    const role = new aws.iam.Role(
        `${n}-role`,
        {
            description:
                "S3 replication of the edge's CloudFront and WAF logs into the log archive",
            assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com", ctx.account),
            tags: ctx.tags,
        },
        { parent: ctx.parent },
    );
    const policy = new aws.iam.RolePolicy(
        `${n}-policy`,
        {
            role: role.name,
            policy: replicationRolePolicy({
                sourceBucketArn: from.bucket.arn,
                destinationBucketArn: to.bucketArn,
                destinationKeyArn: to.kmsKeyArn,
                sourceKeyArn: from.keyArn,
            }),
        },
        { parent: ctx.parent },
    );
    return new aws.s3.BucketReplicationConfig(
        n,
        {
            region: ctx.plan.edgeRegion,
            bucket: from.bucket.id,
            role: role.arn,
            rules: [
                {
                    id: EDGE_LOG_REPLICATION_RULE,
                    status: "Enabled",
                    priority: 1,
                    filter: { prefix: "" },
                    deleteMarkerReplication: { status: "Disabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: {
                        bucket: to.bucketArn,
                        storageClass: "STANDARD",
                        encryptionConfiguration: { replicaKmsKeyId: to.kmsKeyArn },
                        // Replication metrics (no RTC needed) for the failed-operations alarm.
                        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html
                        metrics: { status: "Enabled" },
                    },
                },
            ],
        },
        { ...ctx.edge, dependsOn: [policy, ...from.ready] },
    );
}

/**
 * An alarm on the edge log bucket's failed replication operations, notifying the edge's alarm
 * topic: the edge bucket keeps objects a week at most, so an object whose copy into the archive
 * failed (a key policy or role mistake marks it FAILED) must be seen and replicated again (S3
 * Batch Replication) within that week (components/shared/replication-policy.ts).
 */
export function edgeLogReplicationAlarm(
    ctx: EdgeContext,
    source: aws.s3.Bucket,
    to: EdgeLogArchiveRef,
    topicArn: pulumi.Input<string>,
): aws.cloudwatch.MetricAlarm {
    return replicationFailedAlarm(
        `${ctx.name}-logs-replication-failed-alarm`,
        {
            region: ctx.plan.edgeRegion,
            name: `${ctx.prefix}-edge-log-replication-failed`,
            description:
                "S3 replication of the edge's CloudFront and WAF logs into the us-east-1 log archive has failed operations (replicate them again within the edge bucket's retention)",
            sourceBucket: source.bucket,
            destinationBucket: pulumi.output(to.bucketArn).apply(bucketNameOfArn),
            ruleId: EDGE_LOG_REPLICATION_RULE,
            alarmActions: [topicArn],
            tags: ctx.tags,
        },
        { ...ctx.edge, parent: ctx.parent },
    );
}

/** `arn:<partition>:s3:::<name>` → `<name>`. */
export function bucketNameOfArn(arn: string): string {
    const m = /^arn:[^:]+:s3:::([^/]+)$/.exec(arn);
    if (!m) throw new Error(`edge log archive: ${JSON.stringify(arn)} is not an S3 bucket ARN`);
    return m[1];
}
