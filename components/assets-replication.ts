/**
 * AssetsReplication — S3 replication of the source assets bucket (primary region) to the replica
 * bucket of every other global-data region, built in the global stack, the first stack where both
 * ends exist.
 *
 * Every rule has Replication Time Control (15 minutes) with its metrics, replicates delete
 * markers, replicates SSE-KMS objects and re-encrypts them with the destination region's
 * global-data key. The role may read versions from the source only, write replicas to the
 * destinations only, decrypt with the source key and encrypt with the destination keys, each
 * through S3 in that key's region. Destinations come from the topology and the region stacks'
 * outputs, never from literals, and a destination in a region the topology forbids for global
 * data is refused before anything is registered.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { S3_RTC_MINUTES, globalDataTags, lagThresholds } from "./data";
import { serviceTrustPolicy } from "./shared/trust-policy";
import { withResidencyCheck } from "./shared/residency";

/** One end of the replication: a region's assets bucket and its global-data key. */
export interface ReplicationEnd {
    region: string;
    bucketName: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
}

export interface AssetsReplicationArgs {
    /** Regions that hold global data, the topology's primary first: the allowed ends. Required. */
    globalDataRegions: string[];
    /** Every residency zone of the topology (data stores in another zone are refused). Required. */
    zones: string[];
    /** Environment name used in tags. Default `prod`. */
    environment?: string;
    /** RPO target in seconds; the latency alarm fires at it or at the RTC bound. Default 5. */
    rpoSeconds?: number;
    /** The source bucket (the primary region's). Required. */
    source: ReplicationEnd;
    /** One replica bucket per other global-data region. Required, at least one. */
    destinations: ReplicationEnd[];
    /**
     * SNS topic ARNs notified by the replication alarms, on alarm and on recovery. They must be
     * in the source region, where the alarms live (the primary stack's `alarmTopicArn`).
     * Default: none (the alarms only change state).
     */
    alarmActions?: pulumi.Input<string>[];
}

/** Checks the ends against the topology; returns the problems (empty when fine). */
export function replicationEndProblems(
    globalDataRegions: string[],
    source: ReplicationEnd,
    destinations: ReplicationEnd[],
): string[] {
    const allowed = globalDataRegions;
    const primary = globalDataRegions[0];
    const problems: string[] = [];
    if (source.region !== primary) {
        problems.push(`source region ${source.region} is not the primary region ${primary}`);
    }
    if (destinations.length === 0)
        problems.push("no destination (the topology has no global-data secondary)");
    const seen = new Set<string>();
    for (const d of destinations) {
        if (d.region === source.region)
            problems.push(`destination region ${d.region} is the source region`);
        else if (!allowed.includes(d.region)) {
            problems.push(
                `destination region ${d.region} does not allow global data (taskflow:topology regions[].globalData); allowed: ${allowed.join(", ")}`,
            );
        }
        if (seen.has(d.region)) problems.push(`destination region ${d.region} appears twice`);
        seen.add(d.region);
    }
    return problems;
}

/** Resolved ARNs the replication role's policy is built from. */
export interface ResolvedEnd {
    region: string;
    bucketArn: string;
    kmsKeyArn: string;
}

/** Least-privilege policy of the replication role (no wildcard actions). */
export function replicationRolePolicy(source: ResolvedEnd, destinations: ResolvedEnd[]): string {
    const ctx = (bucketArn: string) => [bucketArn, `${bucketArn}/*`]; // with and without S3 Bucket Keys
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadSourceConfiguration",
                Effect: "Allow",
                Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                Resource: [source.bucketArn],
            },
            {
                Sid: "ReadSourceVersions",
                Effect: "Allow",
                Action: [
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionTagging",
                ],
                Resource: [`${source.bucketArn}/*`],
            },
            {
                Sid: "WriteReplicas",
                Effect: "Allow",
                Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                Resource: destinations.map((d) => `${d.bucketArn}/*`),
            },
            {
                Sid: "DecryptSource",
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: [source.kmsKeyArn],
                Condition: {
                    StringEquals: { "kms:ViaService": `s3.${source.region}.amazonaws.com` },
                    StringLike: { "kms:EncryptionContext:aws:s3:arn": ctx(source.bucketArn) },
                },
            },
            ...destinations.map((d, i) => ({
                Sid: `EncryptReplicas${i + 1}`,
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                Resource: [d.kmsKeyArn],
                Condition: {
                    StringEquals: { "kms:ViaService": `s3.${d.region}.amazonaws.com` },
                    StringLike: { "kms:EncryptionContext:aws:s3:arn": ctx(d.bucketArn) },
                },
            })),
        ],
    });
}

/** Id of the rule replicating to a region (also the `RuleId` dimension of its metrics). */
export const ruleId = (region: string) => `assets-to-${region}`;

export class AssetsReplication extends pulumi.ComponentResource {
    /** The replication configuration's id (the source bucket name). */
    public readonly configurationId: pulumi.Output<string>;
    /** ARN of the role S3 replicates with. */
    public readonly roleArn: pulumi.Output<string>;
    /** Destination regions, in rule order. */
    public readonly destinationRegions: string[];

    constructor(name: string, args: AssetsReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        // Bad ends are refused before anything is registered; a data store registered without
        // its residency tag fails at registration.
        const problems = replicationEndProblems(
            args.globalDataRegions,
            args.source,
            args.destinations,
        );
        if (problems.length > 0) {
            throw new Error(`AssetsReplication "${name}": ${problems.join("; ")}`);
        }
        super("taskflow:data:AssetsReplication", name, {}, withResidencyCheck(opts, args.zones));
        const parent = { parent: this };
        const role = replicationRole(name, args, parent);
        const config = new aws.s3.BucketReplicationConfig(
            `${name}-config`,
            {
                region: args.source.region,
                bucket: args.source.bucketName,
                role: role.role.arn,
                rules: args.destinations.map((d, i) => ({
                    id: ruleId(d.region),
                    priority: i + 1,
                    status: "Enabled",
                    filter: { prefix: "" },
                    deleteMarkerReplication: { status: "Enabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: {
                        bucket: d.bucketArn,
                        storageClass: "STANDARD",
                        encryptionConfiguration: { replicaKmsKeyId: d.kmsKeyArn },
                        replicationTime: { status: "Enabled", time: { minutes: S3_RTC_MINUTES } },
                        metrics: { status: "Enabled", eventThreshold: { minutes: S3_RTC_MINUTES } },
                    },
                })),
            },
            { parent: this, dependsOn: [role.policy] },
        );
        replicationAlarms(name, args, parent);

        this.configurationId = config.id;
        this.roleArn = role.role.arn;
        this.destinationRegions = args.destinations.map((d) => d.region);
        this.registerOutputs({ configurationId: this.configurationId, roleArn: this.roleArn });
    }
}

/** The role S3 replicates with, and its least-privilege policy. */
function replicationRole(
    name: string,
    args: AssetsReplicationArgs,
    parent: pulumi.CustomResourceOptions,
): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
    const identity = aws.getCallerIdentityOutput({}, parent);
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            description: "S3 replication of the TaskFlow assets bucket to the replica buckets",
            assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com", identity.accountId),
        },
        parent,
    );
    const resolved = (e: ReplicationEnd) =>
        pulumi
            .all([e.bucketArn, e.kmsKeyArn])
            .apply(([bucketArn, kmsKeyArn]) => ({ region: e.region, bucketArn, kmsKeyArn }));
    const policy = new aws.iam.RolePolicy(
        `${name}-role-policy`,
        {
            role: role.id,
            policy: pulumi
                .all([resolved(args.source), pulumi.all(args.destinations.map(resolved))])
                .apply(([s, ds]) => replicationRolePolicy(s, ds)),
        },
        parent,
    );
    return { role, policy };
}

/** Latency and failed-operation alarms per rule, in the source bucket's region (its metrics'). */
function replicationAlarms(
    name: string,
    args: AssetsReplicationArgs,
    parent: pulumi.CustomResourceOptions,
): void {
    const src = args.source;
    const thresholds = lagThresholds(args.rpoSeconds ?? 5);
    const actions = args.alarmActions ?? [];
    for (const d of args.destinations) {
        const dimensions = {
            SourceBucket: src.bucketName,
            DestinationBucket: d.bucketName,
            RuleId: ruleId(d.region),
        };
        const common = {
            region: src.region,
            namespace: "AWS/S3",
            dimensions,
            period: 300,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            alarmActions: actions,
            okActions: actions,
            tags: globalDataTags(args.environment ?? "prod", "assets-replication"),
        };
        new aws.cloudwatch.MetricAlarm(
            `${name}-latency-${d.region}-alarm`,
            {
                ...common,
                name: pulumi.interpolate`${src.bucketName}-ReplicationLatency-to-${d.region}`,
                alarmDescription: `S3 assets replication ${src.region} → ${d.region} slower than ${thresholds.s3Seconds}s (RTC bound ${S3_RTC_MINUTES} min)`,
                metricName: "ReplicationLatency",
                statistic: "Maximum",
                evaluationPeriods: 2,
                threshold: thresholds.s3Seconds,
            },
            parent,
        );
        new aws.cloudwatch.MetricAlarm(
            `${name}-failed-${d.region}-alarm`,
            {
                ...common,
                name: pulumi.interpolate`${src.bucketName}-OperationsFailedReplication-to-${d.region}`,
                alarmDescription: `S3 assets replication ${src.region} → ${d.region} has failed operations`,
                metricName: "OperationsFailedReplication",
                statistic: "Sum",
                evaluationPeriods: 1,
                threshold: 0,
            },
            parent,
        );
    }
}
