/**
 * The permissions of an S3 replication role: read the source bucket's configuration and object
 * versions, replicate into the destination, decrypt with the source key (when its objects are
 * SSE-KMS) and encrypt with the destination key.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ReplicationPolicyArgs {
    sourceBucketArn: pulumi.Input<string>;
    destinationBucketArn: pulumi.Input<string>;
    destinationKeyArn: pulumi.Input<string>;
    /** The source objects' KMS key, when they are SSE-KMS (none for SSE-S3). */
    sourceKeyArn?: pulumi.Input<string>;
}

/** The role policy document, as JSON. */
export function replicationRolePolicy(a: ReplicationPolicyArgs): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                Resource: a.sourceBucketArn,
            },
            {
                Effect: "Allow",
                Action: [
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionTagging",
                ],
                Resource: pulumi.interpolate`${a.sourceBucketArn}/*`,
            },
            {
                Effect: "Allow",
                Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
                Resource: pulumi.interpolate`${a.destinationBucketArn}/*`,
            },
            ...(a.sourceKeyArn
                ? [{ Effect: "Allow", Action: ["kms:Decrypt"], Resource: a.sourceKeyArn }]
                : []),
            {
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                Resource: a.destinationKeyArn,
            },
        ],
    });
}

/** What {@link replicationFailedAlarm} watches and whom it notifies. */
export interface ReplicationFailedAlarmArgs {
    /** Region of the source bucket (where S3 publishes the metric). */
    region: pulumi.Input<string>;
    /** The alarm's name. */
    name: pulumi.Input<string>;
    description: pulumi.Input<string>;
    /** Source bucket name, destination bucket name and rule id: the metric's dimensions. */
    sourceBucket: pulumi.Input<string>;
    destinationBucket: pulumi.Input<string>;
    ruleId: string;
    alarmActions: pulumi.Input<pulumi.Input<string>[]>;
    tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * An alarm on a replication rule's failed operations: S3 publishes `OperationsFailedReplication`
 * per source bucket, destination bucket and rule when the rule has replication metrics on
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html). A short-lived
 * source (a log landing bucket) must have a failed copy seen and replicated again (S3 Batch
 * Replication) before the source expires it.
 */
export function replicationFailedAlarm(
    resourceName: string,
    a: ReplicationFailedAlarmArgs,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        resourceName,
        {
            region: a.region,
            name: a.name,
            alarmDescription: a.description,
            namespace: "AWS/S3",
            metricName: "OperationsFailedReplication",
            dimensions: {
                SourceBucket: a.sourceBucket,
                DestinationBucket: a.destinationBucket,
                RuleId: a.ruleId,
            },
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            alarmActions: a.alarmActions,
            tags: a.tags,
        },
        opts,
    );
}
