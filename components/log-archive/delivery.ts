/**
 * How logs reach the archive: S3 server access logging of each bucket of the region into the
 * landing bucket, and same-Region replication of the landing bucket into the archive.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { s3LogPrefix } from "../../model/logs";
import { namePrefix } from "../../model/naming";
import { componentTags } from "../../model/tags";
import { LogArchiveArgs, LoggedBucket } from "./args";
import { admittedLogTarget } from "../shared/log-target";
import {
    replicationFailedAlarm as failedOperationsAlarm,
    replicationRolePolicy,
} from "../shared/replication-policy";
import { serviceTrustPolicy } from "../shared/trust-policy";

/**
 * S3 server access logging of one bucket into the landing bucket, under `s3/<role>/`. The target
 * must be in the source's Region and account, without SSE-KMS default encryption
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_s3Buckets_LoggingEnabled.html): the
 * landing bucket (SSE-S3, this region), never the archive. The landing bucket logs into itself
 * (every bucket is logged, and the archive cannot take them); AWS warns that this adds log
 * records of the log deliveries, which the lifecycle expires like any other.
 */
export function logAccess(
    name: string,
    parent: pulumi.Resource,
    args: LogArchiveArgs,
    logged: LoggedBucket,
): aws.s3.BucketLogging {
    return new aws.s3.BucketLogging(
        `${name}-logging-${logged.role}`,
        {
            region: args.region,
            bucket: logged.bucketName,
            targetBucket: admittedLanding(name, args, logged),
            targetPrefix: s3LogPrefix(logged.role),
        },
        { parent, dependsOn: args.landing.ready ?? [] },
    );
}

/** The landing bucket's name, checked to admit `logged` when its admitted sources are given. */
function admittedLanding(
    name: string,
    args: LogArchiveArgs,
    logged: LoggedBucket,
): pulumi.Input<string> {
    const sources = args.landing.s3LogSources;
    if (sources === undefined) return args.landing.bucketName;
    return pulumi
        .all([args.landing.bucketName, sources, logged.bucketName])
        .apply(([target, admitted, source]) =>
            admittedLogTarget(
                `LogArchive ${name}`,
                target,
                admitted,
                source,
                `add it to the landing bucket's admitted sources (the cell's s3LogSources)`,
            ),
        );
}

/** Id of the landing bucket's replication rule (the `RuleId` of its replication metrics). */
export const REPLICATION_RULE = "to-log-archive";

/**
 * Same-Region replication of everything in the landing bucket into the archive, re-encrypted
 * under the archive's key; the landing objects are SSE-S3, so the role needs no decrypt.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
 */
export function replicateLanding(
    name: string,
    parent: pulumi.Resource,
    to: {
        args: LogArchiveArgs;
        /** The account the landing bucket is in (the role's trust is limited to it). */
        account: pulumi.Output<string>;
        archiveArn: pulumi.Output<string>;
        keyArn: pulumi.Output<string>;
        ready: pulumi.Resource[];
    },
): aws.s3.BucketReplicationConfig {
    const { args } = to;
    const p = { parent };
    const n = `${name}-replication`;
    const role = new aws.iam.Role(
        `${n}-role`,
        {
            description: `S3 replication of the ${args.region} log landing bucket into its log archive`,
            assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com", to.account),
            tags: componentTags(args.environment ?? "prod", "log-archive"),
        },
        p,
    );
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
    const policy = new aws.iam.RolePolicy(
        `${n}-policy`,
        {
            role: role.name,
            policy: replicationRolePolicy({
                sourceBucketArn: args.landing.bucketArn,
                destinationBucketArn: to.archiveArn,
                destinationKeyArn: to.keyArn,
            }),
        },
        p,
    );
    return new aws.s3.BucketReplicationConfig(
        n,
        {
            region: args.region,
            bucket: args.landing.bucketName,
            role: role.arn,
            rules: [
                {
                    id: REPLICATION_RULE,
                    status: "Enabled",
                    priority: 1,
                    filter: { prefix: "" },
                    deleteMarkerReplication: { status: "Disabled" },
                    destination: {
                        bucket: to.archiveArn,
                        storageClass: "STANDARD",
                        encryptionConfiguration: { replicaKmsKeyId: to.keyArn },
                        // Replication metrics (no RTC needed): the failed-operations alarm
                        // below reads them.
                        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html
                        metrics: { status: "Enabled" },
                    },
                },
            ],
        },
        { parent, dependsOn: [policy, ...to.ready, ...(args.landing.ready ?? [])] },
    );
}

/**
 * An alarm on the landing bucket's failed replication operations: the landing bucket keeps
 * objects a week only (model/logs.ts), so an object that failed to replicate must be seen and
 * replicated again (S3 Batch Replication) within that week. S3 publishes
 * `OperationsFailedReplication` per source bucket, destination bucket and rule
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html). Not part of the
 * region's health roll-up: a log failure says nothing about serving.
 */
export function replicationFailedAlarm(
    name: string,
    parent: pulumi.Resource,
    args: LogArchiveArgs,
    archiveName: pulumi.Input<string>,
): aws.cloudwatch.MetricAlarm | undefined {
    if (!args.alarmActions?.length) return undefined;
    return failedOperationsAlarm(
        `${name}-replication-failed-alarm`,
        {
            region: args.region,
            name: `${namePrefix(args.environment ?? "prod")}-${args.region}-log-replication-failed`,
            description: `S3 replication of the ${args.region} log landing bucket into its log archive has failed operations (replicate them again within the landing bucket's retention)`,
            sourceBucket: args.landing.bucketName,
            destinationBucket: archiveName,
            ruleId: REPLICATION_RULE,
            alarmActions: args.alarmActions,
            tags: componentTags(args.environment ?? "prod", "log-archive"),
        },
        { parent },
    );
}
