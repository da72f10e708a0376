/**
 * GlobalData's fixed facts and pure rules: engines, retention, the alarm thresholds the RPO
 * gives, write forwarding support, the key policy of the global-data keys and the tasks' access
 * policy. Pure (no resources), so they are unit-tested directly.
 */
import { keyPolicy, logsServicePrincipal } from "../shared/kms-policy";

export { auroraLogGroupName } from "../shared/aurora";

/** Aurora engine of the global cluster. */
export const AURORA_ENGINE = "aurora-postgresql";
/** ElastiCache engine and version of the Global Datastore (Valkey supports Global Datastore from 7.2). */
export const CACHE_ENGINE = "valkey";
export const CACHE_ENGINE_VERSION = "7.2";
/** Database name and master user of the primary cluster (secondaries inherit them). */
export const DATABASE_NAME = "taskflow";
export const MASTER_USERNAME = "taskflow_admin";
/** Aurora automated backups kept, in days. */
export const BACKUP_RETENTION_DAYS = 14;
/** S3 Replication Time Control: 99.99 % of objects within 15 minutes (the S3 RPO we state). */
export const S3_RTC_MINUTES = 15;

/**
 * Fields an Aurora member ignores in diffs. After a managed switchover or failover AWS moves the
 * writer, so the former primary gets a `replicationSourceIdentifier` and the former secondary
 * loses it; the provider does not read `globalClusterIdentifier` back (an update would send it
 * empty and detach the member); minor upgrades of a global database are made on the global
 * cluster, which moves every member's `engineVersion`. Sources:
 * hashicorp/terraform-provider-aws#40921 (ignore replication_source_identifier on members),
 * cloudposse/terraform-aws-rds-cluster#281 (global_cluster_identifier read back empty).
 */
export const AURORA_MEMBER_IGNORE_CHANGES = [
    "globalClusterIdentifier",
    "replicationSourceIdentifier",
    "engineVersion",
];

/**
 * Fields of the Global Datastore's primary replication group that the Global Datastore owns
 * once the group is its member: ModifyGlobalReplicationGroup changes node type and engine version
 * of every member (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ModifyGlobalReplicationGroup.html).
 */
export const PRIMARY_MEMBER_IGNORE_CHANGES = ["engineVersion", "nodeType"] as const;

/** Alarm thresholds derived from the RPO target. */
export interface LagThresholds {
    /** AuroraGlobalDBReplicationLag, milliseconds. */
    auroraMs: number;
    /** DynamoDB ReplicationLatency, milliseconds. */
    dynamodbMs: number;
    /** ElastiCache GlobalDatastoreReplicationLag, seconds. */
    elasticacheSeconds: number;
    /**
     * S3 ReplicationLatency, seconds. S3 promises nothing under RTC's 15 minutes, so the alarm
     * fires at the RPO or at the RTC bound, whichever is larger: we state S3's RPO honestly.
     */
    s3Seconds: number;
}

export function lagThresholds(rpoSeconds: number): LagThresholds {
    if (!Number.isFinite(rpoSeconds) || rpoSeconds <= 0) {
        throw new Error(
            `GlobalData: rpoSeconds must be a positive number of seconds, got ${rpoSeconds}`,
        );
    }
    return {
        auroraMs: rpoSeconds * 1000,
        dynamodbMs: rpoSeconds * 1000,
        elasticacheSeconds: rpoSeconds,
        s3Seconds: Math.max(rpoSeconds, S3_RTC_MINUTES * 60),
    };
}

/** Services that use the global-data key (as `kms:ViaService` short names). */
export const DATA_KEY_SERVICES = ["rds", "dynamodb", "elasticache", "s3", "secretsmanager"];

/**
 * Key policy of the global-data key in one region (the multi-Region primary or a replica): the
 * account administers the key (no cryptographic use of its own), principals of the account may
 * use it only through the data services in this region, and CloudWatch Logs in this region may
 * use it for the given log groups (the Aurora member's exported log). See
 * components/shared/kms-policy.ts.
 */
export function dataKeyPolicy(
    partition: string,
    accountId: string,
    region: string,
    logGroupNames: string[] = [],
): string {
    return keyPolicy({
        partition,
        accountId,
        services: DATA_KEY_SERVICES,
        regions: [region],
        multiRegion: true,
        servicePrincipals:
            logGroupNames.length > 0
                ? [logsServicePrincipal(partition, accountId, region, logGroupNames)]
                : [],
    });
}

/** Days of Aurora PostgreSQL log kept in CloudWatch Logs. */
export const DB_LOG_RETENTION_DAYS = 30;

/** Days of ElastiCache automatic snapshots kept. */
export const CACHE_SNAPSHOT_RETENTION_DAYS = 7;

/**
 * Whether an Aurora PostgreSQL version supports global write forwarding (Aurora User Guide,
 * "Using write forwarding in an Aurora PostgreSQL global database": every 16.x and later minor
 * version, 15.4 and higher 15 versions, 14.9 and higher 14 versions).
 */
export function supportsGlobalWriteForwarding(engineVersion: string): boolean {
    const m = /^(\d+)(?:\.(\d+))?/.exec(engineVersion);
    if (!m) return false;
    const major = Number(m[1]);
    const minor = Number(m[2] ?? "0");
    if (major >= 16) return true;
    if (major === 15) return minor >= 4;
    if (major === 14) return minor >= 9;
    return false;
}

/** The DynamoDB global tables: logical key → table. */
export const TABLES = {
    sessions: { table: "sessions", hashKey: "sessionId", ttlAttribute: "expiresAt" },
    userPreferences: { table: "user_preferences", hashKey: "userId", ttlAttribute: undefined },
} as const;
