/**
 * GlobalData — what replicates across regions, and nothing that must not.
 *
 * One instance per region stack, built by the cell's `dataTier` callback once the network exists:
 *
 * - **primary** (owns everything that replicates): the Aurora global cluster and its primary
 *   member, the DynamoDB global tables `sessions` and `user_preferences` with a replica in every
 *   other region the topology allows for global data, the ElastiCache primary replication group
 *   and the Global Datastore, the multi-Region KMS key (primary here, a replica key in every other
 *   global-data region, created from this stack through the v7 per-resource `region` input), and
 *   the versioned source assets bucket.
 * - **secondary with `globalData: true`**: an Aurora cluster joining the global cluster and an
 *   ElastiCache group joining the Global Datastore (ids from the primary stack's outputs), the
 *   replica assets bucket, all encrypted with this region's replica of the primary's key.
 * - **secondary with `globalData: false`**: nothing at all: no member, no replica, no key.
 *
 * The S3 replication rules live in the global stack (`AssetsReplication`), the only place where
 * both ends exist.
 *
 * Key choice for secondaries: they encrypt with the multi-Region replica key the primary stack
 * created in their region (`kmsKeyArns[region]` of the primary's outputs), not a key of their
 * own, because the DynamoDB replicas (declared on the table in the primary stack) need that key
 * before any secondary exists, and one key family per deployment keeps snapshots, cache backups
 * and replicated objects decryptable in every global-data region with one key policy to review.
 *
 * Writes in every region (all regions serve traffic):
 * - Aurora: secondaries run with global write forwarding (`enableGlobalWriteForwarding`); their
 *   tasks connect to the local reader endpoint, which forwards writes to the writer
 *   (`DATABASE_WRITE_FORWARDING=true`).
 * - ElastiCache: a Global Datastore secondary rejects writes, so secondary tasks get
 *   `CACHE_READ_ONLY=true`; session and preference state lives in the DynamoDB global tables,
 *   which accept writes in every replica.
 * - S3: one-way replication, so every region writes to the primary's SOURCE bucket
 *   (`ASSETS_WRITE_BUCKET`) and reads its local bucket (`ASSETS_BUCKET`); a replica bucket is
 *   read-only to the tasks (an object written there would never leave the region and would be
 *   overwritten by the next replicated version).
 * The write path follows `writerRegion` (default: the topology's primary). A switchover moves the
 * writer but not ownership (docs/operations.md); until `writerRegion` names the new writer and the
 * region stacks are updated, the two swapped regions have the wrong write path (the new writer's
 * tasks write through readers that no longer forward, the old writer's through a cluster endpoint
 * that is no longer a writer).
 *
 * Destroy order (decommissioning only; the reverse of the deploy order). Every data store here is
 * `protect`ed in Pulumi AND deletion-protected in AWS; `pulumi state unprotect` only lifts the
 * first, so each region stack is taken down in four steps: (a) turn AWS deletion protection off
 * with an update, (b) `pulumi refresh` so the state agrees, (c) `pulumi state unprotect --all`,
 * (d) `pulumi destroy`. Buckets are `forceDestroy: false`: empty them (every version and delete
 * marker) first. If a switchover moved the writer, switch it back to the topology's primary
 * first (ops/aurora.ts), since AWS refuses to remove the writer while it has secondaries.
 *   1. global: `pulumi destroy -s global` (S3 replication rules, their role and alarms; nothing
 *      protected).
 *   2. every secondary `<r>` (in parallel):
 *        aws rds modify-db-cluster --region <r> --db-cluster-identifier
 *          taskflow-<env>-aurora-global-<r> --no-deletion-protection --apply-immediately
 *        (eu-west-1 with a ResidencyBoundary: also its cluster, and
 *          aws dynamodb update-table --region <r> --table-name <zone table>
 *          --no-deletion-protection-enabled — EU data: a deliberate erasure decision)
 *        empty taskflow-<env>-assets-global-<r>; pulumi refresh -s <r>;
 *        pulumi state unprotect -s <r> --all; pulumi destroy -s <r>
 *      The provider removes the Aurora member from the global cluster (RemoveFromGlobalCluster)
 *      and deletes it with its final snapshot, and disassociates the cache group from the Global
 *      Datastore before deleting it with its final snapshot.
 *   3. the primary:
 *        aws rds modify-db-cluster --region <p> --db-cluster-identifier
 *          taskflow-<env>-aurora-global-<p> --no-deletion-protection --apply-immediately
 *        aws rds modify-global-cluster --global-cluster-identifier taskflow-<env>-aurora
 *          --no-deletion-protection
 *        for each table (taskflow-<env>-sessions, taskflow-<env>-user_preferences) and each
 *        region holding a replica, including <p> (deletion protection is per replica):
 *          aws dynamodb update-table --region <region> --table-name <table>
 *          --no-deletion-protection-enabled
 *        empty taskflow-<env>-assets-global-<p>; pulumi refresh -s <p>;
 *        pulumi state unprotect -s <p> --all; pulumi destroy -s <p>
 *      Pulumi deletes dependents first: the tables (replicas, then the table), the Global
 *      Datastore (the primary group is retained) then the primary cache group (final snapshot),
 *      the instances then the primary cluster (final snapshot), the global cluster once it has no
 *      member, and last the KMS replica keys and the primary key (30-day deletion window); the
 *      secrets go into their 30-day recovery window. Final snapshots are kept (not managed here).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    GLOBAL_CLASSIFICATION,
    StackConfig,
    Topology,
    capacityFor,
    globalDataRegions,
    primaryRegion,
    stackRefName,
} from "../config";
import { keyPolicy, logsServicePrincipal } from "./kms-policy";
import { CellNetwork, DataEndpoints } from "./regional-cell";
import { RESIDENCY_TAG, residencyTags, residencyTransformation } from "./residency";

/** Tag key of the residency classification (the policy pack's own, via components/residency.ts). */
export const RESIDENCY_TAG_KEY = RESIDENCY_TAG;

/** Tags of every data-bearing resource here: classified `global`. */
export function globalDataTags(extra: Record<string, string> = {}): Record<string, string> {
    return residencyTags(GLOBAL_CLASSIFICATION, extra);
}

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

/** Regions that receive replicas of global data: every global-data region except the primary. */
export function replicaRegions(topology: Topology): string[] {
    return globalDataRegions(topology).slice(1);
}

/** Whether this stack's region holds global data (the primary always does). */
export function holdsGlobalData(cfg: StackConfig): boolean {
    return cfg.role === "primary" || (cfg.regionSpec?.globalData ?? false);
}

/** Deterministic physical names, so other stacks can refer to (and the policy pack can prove) them. */
export const names = {
    base: (cfg: StackConfig) => `taskflow-${cfg.environment}`,
    globalCluster: (cfg: StackConfig) => `taskflow-${cfg.environment}-aurora`,
    /** `<base>-<classification>-<region>`: the residency-name convention of policies/residency.ts. */
    auroraCluster: (cfg: StackConfig, region: string) =>
        `taskflow-${cfg.environment}-aurora-global-${region}`,
    table: (cfg: StackConfig, table: string) => `taskflow-${cfg.environment}-${table}`,
    /** ElastiCache replication group ids are at most 40 characters. */
    cacheGroup: (cfg: StackConfig, region: string) => {
        const id = `taskflow-${cfg.environment}-cache-${region}`;
        if (id.length > 40) {
            throw new Error(
                `GlobalData: ElastiCache replication group id "${id}" is ${id.length} characters; ` +
                    `taskflow:environment "${cfg.environment}" is too long (AWS allows 40 characters, so at most ${40 - (id.length - cfg.environment.length)} for the environment in ${region})`,
            );
        }
        return id;
    },
    globalDatastoreSuffix: (cfg: StackConfig) => `taskflow-${cfg.environment}-cache`,
    /** Residency name: `taskflow-prod-assets-global-eu-west-1`. */
    assetsBucket: (cfg: StackConfig, region: string) =>
        `taskflow-${cfg.environment}-assets-${GLOBAL_CLASSIFICATION}-${region}`,
    keyAlias: (cfg: StackConfig) => `alias/taskflow-${cfg.environment}-global-data`,
};

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

/** Name of the log group Aurora PostgreSQL exports its `postgresql` log to. */
export function auroraLogGroupName(clusterIdentifier: string): string {
    return `/aws/rds/cluster/${clusterIdentifier}/postgresql`;
}

/**
 * Key policy of the global-data key in one region (the multi-Region primary or a replica): the
 * account administers the key (no cryptographic use of its own), principals of the account may
 * use it only through the data services in this region, and CloudWatch Logs in this region may
 * use it for the given log groups (the Aurora member's exported log). See components/kms-policy.ts.
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

/** Bucket policy: refuse every request not made over TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                // A Deny: every S3 action is refused over plain HTTP.
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    });
}

/** Database user the tasks connect as, with IAM authentication (created by the app's migrations). */
export const APP_DB_USER = "taskflow_app";

/** What the tasks' access policy is built from (resolved values). */
export interface TaskAccess {
    partition: string;
    accountId: string;
    region: string;
    tableNames: string[];
    clusterResourceId: string;
    /** This region's assets bucket (the source in the primary, a replica elsewhere). */
    bucketArn: string;
    /** The source assets bucket in the primary region: the only bucket tasks write to. */
    writeBucketArn: string;
    /** Region of the source bucket. */
    writeBucketRegion: string;
    /** The global-data key in the source bucket's region (SSE-KMS of the objects written there). */
    writeKmsKeyArn: string;
    secretArns: string[];
    /** The global-data key in this region. */
    kmsKeyArn: string;
}

/**
 * The tasks' access to the global data, and nothing more: item-level DynamoDB actions on the two
 * tables' local replicas (global tables take writes in every replica), read-only access to this
 * region's assets bucket, writes (and read-after-write reads) on the primary's source bucket only,
 * IAM database authentication as the app user, the cache AUTH secret, and the data keys through
 * those services. No wildcard action.
 *
 * Why writes go to the source bucket: replication is one-way (source → replicas), so an object
 * put into a replica bucket would never reach another region and would be overwritten by the
 * next replicated version of its key.
 */
export function taskAccessPolicy(a: TaskAccess): string {
    const tableArns = a.tableNames.flatMap((t) => {
        const arn = `arn:${a.partition}:dynamodb:${a.region}:${a.accountId}:table/${t}`;
        return [arn, `${arn}/index/*`];
    });
    const remoteWrite = a.writeBucketArn !== a.bucketArn;
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GlobalTables",
                Effect: "Allow",
                Action: [
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:Query",
                    "dynamodb:BatchGetItem",
                    "dynamodb:BatchWriteItem",
                    "dynamodb:ConditionCheckItem",
                ],
                Resource: tableArns,
            },
            {
                Sid: "AssetsList",
                Effect: "Allow",
                Action: ["s3:ListBucket"],
                Resource: [a.bucketArn],
            },
            {
                Sid: "AssetsRead",
                Effect: "Allow",
                Action: ["s3:GetObject"],
                // The local bucket, plus (in a secondary) the source for reads of objects written
                // less than the replication time (RTC: 15 minutes) ago.
                Resource: [...new Set([a.bucketArn, a.writeBucketArn])].map((b) => `${b}/*`),
            },
            {
                Sid: "AssetsWriteToSource",
                Effect: "Allow",
                Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
                Resource: [`${a.writeBucketArn}/*`],
            },
            {
                Sid: "DatabaseIamAuth",
                Effect: "Allow",
                Action: ["rds-db:connect"],
                Resource: [
                    `arn:${a.partition}:rds-db:${a.region}:${a.accountId}:dbuser:${a.clusterResourceId}/${APP_DB_USER}`,
                ],
            },
            {
                Sid: "CacheAuthSecret",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue"],
                Resource: a.secretArns,
            },
            {
                Sid: "DataKeyThroughServices",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: [a.kmsKeyArn],
                Condition: {
                    StringEquals: {
                        "kms:ViaService": ["dynamodb", "s3", "secretsmanager"].map(
                            (svc) => `${svc}.${a.region}.amazonaws.com`,
                        ),
                    },
                },
            },
            // SSE-KMS puts need GenerateDataKey, multipart uploads and reads also Decrypt, on the
            // source bucket's key, through S3 in the source region (S3 User Guide, "Protecting
            // data with server-side encryption using AWS KMS keys", permissions).
            ...(remoteWrite
                ? [
                      {
                          Sid: "SourceKeyThroughS3",
                          Effect: "Allow",
                          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                          Resource: [a.writeKmsKeyArn],
                          Condition: {
                              StringEquals: {
                                  "kms:ViaService": `s3.${a.writeBucketRegion}.amazonaws.com`,
                              },
                          },
                      },
                  ]
                : []),
        ],
    });
}

/** What a secondary reads from the primary stack's outputs. */
export interface PrimaryDataRefs {
    /** `auroraGlobalClusterId` output of the primary stack. */
    auroraGlobalClusterId: pulumi.Input<string>;
    /** `globalDatastoreId` output of the primary stack. */
    globalDatastoreId: pulumi.Input<string>;
    /** `kmsKeyArns` output of the primary stack: region → global-data key ARN in that region. */
    kmsKeyArns: pulumi.Input<Record<string, string>>;
    /**
     * `cacheAuthToken` output of the primary stack (a secret): the one AUTH token of the Global
     * Datastore. Default: read from the primary stack through a StackReference of this component.
     */
    cacheAuthToken?: pulumi.Input<string>;
    /**
     * `assetsBucketName` and `assetsBucketArn` outputs of the primary stack: the source bucket
     * every region writes to. Default: read like `cacheAuthToken`.
     */
    assetsBucketName?: pulumi.Input<string>;
    assetsBucketArn?: pulumi.Input<string>;
}

/** Something that exposes the primary stack's outputs (a StackReference). */
export interface PrimaryOutputSource {
    requireOutput(name: string): pulumi.Output<unknown>;
}

/**
 * Everything a secondary's GlobalData reads from the primary stack, from one StackReference: the
 * way regions/secondary.ts should build `args.primary`. Each value is a `requireOutput`, so a
 * missing output fails the update naming it.
 */
export function primaryDataRefs(ref: PrimaryOutputSource): PrimaryDataRefs {
    const out = <T>(k: string) => ref.requireOutput(k) as pulumi.Output<T>;
    return {
        auroraGlobalClusterId: out<string>("auroraGlobalClusterId"),
        globalDatastoreId: out<string>("globalDatastoreId"),
        kmsKeyArns: out<Record<string, string>>("kmsKeyArns"),
        cacheAuthToken: out<string>("cacheAuthToken"),
        assetsBucketName: out<string>("assetsBucketName"),
        assetsBucketArn: out<string>("assetsBucketArn"),
    };
}

export interface GlobalDataArgs {
    /** The validated stack config (role primary or secondary). Required. */
    config: StackConfig;
    /** The cell's network in this region, where the Aurora and ElastiCache members live. Required. */
    network: CellNetwork;
    /** Secondaries only (required there): ids owned by the primary stack, read through a StackReference. */
    primary?: PrimaryDataRefs;
    /** SNS topic ARNs notified by the replication-lag alarms. Default: the cell's alarm topic. */
    alarmActions?: pulumi.Input<string>[];
    /**
     * Region whose Aurora member is the writer (and whose cache group is the Global Datastore's
     * primary) right now. Default: the topology's primary region. A switchover moves the writer
     * without moving ownership (docs/operations.md, "Switching the primary"); passing the new
     * writer region here and updating every region stack moves global write forwarding,
     * `DATABASE_HOST`, `DATABASE_WRITE_FORWARDING` and `CACHE_READ_ONLY` with it. Must be a
     * global-data region.
     */
    writerRegion?: string;
}

/** Name and ARN of a DynamoDB global table. */
export interface TableRef {
    name: pulumi.Output<string>;
    arn: pulumi.Output<string>;
}

/** The DynamoDB global tables: logical key → table. */
export const TABLES = {
    sessions: { table: "sessions", hashKey: "sessionId", ttlAttribute: "expiresAt" },
    userPreferences: { table: "user_preferences", hashKey: "userId", ttlAttribute: undefined },
} as const;

export class GlobalData extends pulumi.ComponentResource {
    /** Whether this region holds global data at all (false: the component registered nothing). */
    public readonly holdsGlobalData: boolean;
    /** Aurora global cluster id (primary: created here; secondary: joined; empty when not holding global data). */
    public readonly auroraGlobalClusterId: pulumi.Output<string>;
    /** ElastiCache Global Datastore id (primary: created here; secondary: joined). */
    public readonly globalDatastoreId: pulumi.Output<string>;
    /** This region's Aurora cluster identifier. */
    public readonly auroraClusterId: pulumi.Output<string>;
    /** This region's ElastiCache replication group id. */
    public readonly cacheReplicationGroupId: pulumi.Output<string>;
    /** Global-data key ARN in this region. */
    public readonly kmsKeyArn: pulumi.Output<string>;
    /** Primary only: region → global-data key ARN, for every global-data region. */
    public readonly kmsKeyArns: pulumi.Output<Record<string, string>>;
    /** Primary only: the DynamoDB global tables. */
    public readonly dynamodbTables: pulumi.Output<
        Record<keyof typeof TABLES, { name: string; arn: string }>
    >;
    /** This region's assets bucket (source in the primary, replica elsewhere). */
    public readonly assetsBucketName: pulumi.Output<string>;
    public readonly assetsBucketArn: pulumi.Output<string>;
    /** The Global Datastore's AUTH token (a secret; generated in the primary, shared by every member). */
    public readonly cacheAuthToken: pulumi.Output<string>;
    /** Endpoints this region's tasks use (the cell's task environment). */
    public readonly endpoints: DataEndpoints;

    constructor(name: string, args: GlobalDataArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything is registered.
        const gdRegions = globalDataRegions(args.config.topology);
        if (args.writerRegion !== undefined && !gdRegions.includes(args.writerRegion)) {
            throw new Error(
                `GlobalData: writerRegion "${args.writerRegion}" is not a global-data region of the topology (${gdRegions.join(", ")})`,
            );
        }
        // A data store registered without its residency tag fails here, before registration.
        super(
            "taskflow:data:GlobalData",
            name,
            {},
            {
                ...opts,
                transformations: [
                    ...(opts?.transformations ?? []),
                    residencyTransformation(Object.keys(args.config.topology.zones)),
                ],
            },
        );
        const cfg = args.config;
        if (cfg.role !== "primary" && cfg.role !== "secondary") {
            throw new Error(
                `GlobalData: only region stacks hold data; stack "${cfg.stack}" has role ${cfg.role}`,
            );
        }
        const region = cfg.awsRegion;
        const isPrimary = cfg.role === "primary";
        if (!isPrimary && !args.primary) {
            throw new Error(
                `GlobalData: secondary stack "${cfg.stack}" needs the primary stack's references (args.primary)`,
            );
        }
        const empty = pulumi.output("");
        this.holdsGlobalData = holdsGlobalData(cfg);
        const thresholds = lagThresholds(cfg.rpoSeconds);

        if (!this.holdsGlobalData) {
            // The topology forbids global data here: no member, replica, key or bucket.
            this.auroraGlobalClusterId = empty;
            this.globalDatastoreId = empty;
            this.auroraClusterId = empty;
            this.cacheReplicationGroupId = empty;
            this.kmsKeyArn = empty;
            this.kmsKeyArns = pulumi.output<Record<string, string>>({});
            this.dynamodbTables = pulumi.output({}) as GlobalData["dynamodbTables"];
            this.assetsBucketName = empty;
            this.assetsBucketArn = empty;
            this.cacheAuthToken = empty;
            this.endpoints = {};
            this.registerOutputs({ holdsGlobalData: false });
            return;
        }

        // Ownership (what this stack creates) follows the topology's primary; the write path
        // (forwarding, endpoints, read-only cache) follows the current writer.
        const writerRegion = args.writerRegion ?? primaryRegion(cfg.topology).region;
        const isWriter = region === writerRegion;
        const tags = globalDataTags();
        const capacity = capacityFor(cfg.cell!, isPrimary ? "primary" : "secondary");
        const parent = { parent: this };

        // ---- KMS ------------------------------------------------------------------------------
        let key: pulumi.Output<string>;
        let keyArns: pulumi.Output<Record<string, string>>;
        const identity = aws.getCallerIdentityOutput({}, parent);
        const partition = aws.getPartitionOutput({}, parent);
        if (isPrimary) {
            const policyFor = (r: string) =>
                pulumi.all([partition.partition, identity.accountId]).apply(([p, account]) =>
                    // CloudWatch Logs in `r` may use the key for that region's Aurora log.
                    dataKeyPolicy(p, account, r, [auroraLogGroupName(names.auroraCluster(cfg, r))]),
                );
            const primaryKey = new aws.kms.Key(
                `${name}-key`,
                {
                    description: `TaskFlow ${cfg.environment} global data (multi-Region primary, ${region})`,
                    multiRegion: true,
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: policyFor(region),
                    tags,
                },
                { parent: this, protect: true },
            );
            new aws.kms.Alias(
                `${name}-key-alias`,
                { name: names.keyAlias(cfg), targetKeyId: primaryKey.keyId },
                parent,
            );
            const arns: Record<string, pulumi.Output<string>> = { [region]: primaryKey.arn };
            for (const r of replicaRegions(cfg.topology)) {
                const replica = new aws.kms.ReplicaKey(
                    `${name}-key-${r}`,
                    {
                        region: r,
                        primaryKeyArn: primaryKey.arn,
                        description: `TaskFlow ${cfg.environment} global data (multi-Region replica, ${r})`,
                        deletionWindowInDays: 30,
                        policy: policyFor(r),
                        tags,
                    },
                    { parent: this, protect: true },
                );
                new aws.kms.Alias(
                    `${name}-key-alias-${r}`,
                    { region: r, name: names.keyAlias(cfg), targetKeyId: replica.keyId },
                    parent,
                );
                arns[r] = replica.arn;
            }
            key = primaryKey.arn;
            keyArns = pulumi.output(arns) as pulumi.Output<Record<string, string>>;
        } else {
            key = pulumi.output(args.primary!.kmsKeyArns).apply((m) => {
                const arn = m?.[region];
                if (!arn) {
                    throw new Error(
                        `GlobalData: the primary stack's output kmsKeyArns has no key for ${region} (it has ${Object.keys(m ?? {}).join(", ") || "none"}); update the primary stack first so it creates the replica key for every globalData region`,
                    );
                }
                return arn;
            });
            keyArns = pulumi.output<Record<string, string>>({});
        }
        this.kmsKeyArn = key;
        this.kmsKeyArns = keyArns;

        // What a secondary takes from the primary stack beyond the three ids: given by the caller
        // (primaryDataRefs), else read through a StackReference of this component, so that the
        // values always come from the primary's outputs and never from the naming convention.
        let primaryRef: pulumi.StackReference | undefined;
        const fromPrimary = (given: pulumi.Input<string> | undefined, output: string) => {
            if (given !== undefined) return pulumi.output(given);
            const primaryStack = primaryRegion(cfg.topology).stack;
            primaryRef ??= new pulumi.StackReference(
                `${name}-primary-ref`,
                { name: stackRefName(cfg.topology, primaryStack) },
                parent,
            );
            return primaryRef.requireOutput(output) as pulumi.Output<string>;
        };

        // ---- Aurora ---------------------------------------------------------------------------
        if (!isWriter && !supportsGlobalWriteForwarding(cfg.auroraEngineVersion)) {
            throw new Error(
                `GlobalData: taskflow:auroraEngineVersion "${cfg.auroraEngineVersion}" does not support global write forwarding, which secondary ${region} needs to take writes (Aurora PostgreSQL 16.x, 15.4+ or 14.9+)`,
            );
        }
        // A secondary takes writes and forwards them to the writer region; Aurora carries them
        // over its own replication channel (no cross-Region network). Only on members that are
        // not the writer: the setting is documented for secondary clusters (Aurora User Guide,
        // "Using write forwarding in an Aurora PostgreSQL global database").
        const forwarding = isWriter ? {} : { enableGlobalWriteForwarding: true };
        const engineFamily = `aurora-postgresql${cfg.auroraEngineVersion.split(".")[0]}`;
        const dbSubnets = new aws.rds.SubnetGroup(
            `${name}-db-subnets`,
            {
                description: "Isolated subnets of the cell (no route to the internet)",
                subnetIds: args.network.isolatedSubnetIds,
                tags,
            },
            parent,
        );
        const dbParams = new aws.rds.ClusterParameterGroup(
            `${name}-db-params`,
            {
                family: engineFamily,
                description: "TaskFlow Aurora: TLS-only connections",
                parameters: [{ name: "rds.force_ssl", value: "1" }],
                tags,
            },
            parent,
        );
        const clusterId = names.auroraCluster(cfg, region);
        // Created before the cluster: with `enabledCloudwatchLogsExports` RDS would otherwise
        // create /aws/rds/cluster/<id>/postgresql itself, without a CMK, retention or residency
        // tag; RDS writes into an existing group of that name (Aurora User Guide, "Publishing
        // Aurora PostgreSQL logs to Amazon CloudWatch Logs"). The key policy above lets
        // logs.<region>.amazonaws.com use the key for exactly this group.
        const dbLogs = new aws.cloudwatch.LogGroup(
            `${name}-aurora-logs`,
            {
                name: auroraLogGroupName(clusterId),
                kmsKeyId: key,
                retentionInDays: DB_LOG_RETENTION_DAYS,
                tags,
            },
            parent,
        );
        const memberCommon = {
            clusterIdentifier: clusterId,
            engine: AURORA_ENGINE,
            engineVersion: cfg.auroraEngineVersion,
            storageEncrypted: true,
            kmsKeyId: key,
            deletionProtection: true,
            backupRetentionPeriod: BACKUP_RETENTION_DAYS,
            preferredBackupWindow: "17:00-18:00",
            copyTagsToSnapshot: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: `${clusterId}-final`,
            iamDatabaseAuthenticationEnabled: true,
            dbSubnetGroupName: dbSubnets.name,
            dbClusterParameterGroupName: dbParams.name,
            vpcSecurityGroupIds: [args.network.dataSecurityGroupId],
            enabledCloudwatchLogsExports: ["postgresql"],
            tags,
        };
        const memberOpts = {
            parent: this,
            protect: true,
            ignoreChanges: AURORA_MEMBER_IGNORE_CHANGES,
            dependsOn: [dbLogs],
        };
        let globalClusterId: pulumi.Output<string>;
        let cluster: aws.rds.Cluster;
        let dbSecretArn: pulumi.Output<string> | undefined;
        if (isPrimary) {
            const globalCluster = new aws.rds.GlobalCluster(
                `${name}-aurora-global`,
                {
                    globalClusterIdentifier: names.globalCluster(cfg),
                    engine: AURORA_ENGINE,
                    engineVersion: cfg.auroraEngineVersion,
                    storageEncrypted: true,
                    deletionProtection: true,
                    tags,
                },
                { parent: this, protect: true },
            );
            globalClusterId = globalCluster.id;
            // RDS-managed master passwords (manageMasterUserPassword) are not supported for
            // clusters in an Aurora global database (Aurora User Guide, "Password management with
            // Amazon Aurora and AWS Secrets Manager", Limitations), so the password is generated
            // here, kept as a Pulumi secret and stored in Secrets Manager under the data key.
            // Tasks use IAM database authentication in every region.
            const password = new random.RandomPassword(
                `${name}-db-master-password`,
                { length: 40, special: false },
                parent,
            );
            cluster = new aws.rds.Cluster(
                `${name}-aurora`,
                {
                    ...memberCommon,
                    ...forwarding,
                    globalClusterIdentifier: globalCluster.id,
                    databaseName: DATABASE_NAME,
                    masterUsername: MASTER_USERNAME,
                    masterPassword: password.result,
                },
                memberOpts,
            );
            const secret = new aws.secretsmanager.Secret(
                `${name}-db-master-secret`,
                {
                    description: "Aurora master credentials (break-glass; tasks use IAM auth)",
                    kmsKeyId: key,
                    tags,
                },
                // The only copy of the master password outside Pulumi's state.
                { parent: this, protect: true },
            );
            new aws.secretsmanager.SecretVersion(
                `${name}-db-master-secret-value`,
                {
                    secretId: secret.id,
                    secretString: pulumi
                        .all([password.result, cluster.endpoint])
                        .apply(([pw, host]) =>
                            JSON.stringify({
                                engine: "postgres",
                                host,
                                port: 5432,
                                dbname: DATABASE_NAME,
                                username: MASTER_USERNAME,
                                password: pw,
                            }),
                        ),
                },
                parent,
            );
            dbSecretArn = secret.arn;
        } else {
            globalClusterId = pulumi.output(args.primary!.auroraGlobalClusterId);
            // A secondary inherits database name and master credentials from the global cluster;
            // the provider rejects them here.
            cluster = new aws.rds.Cluster(
                `${name}-aurora`,
                {
                    ...memberCommon,
                    ...forwarding,
                    globalClusterIdentifier: globalClusterId,
                },
                memberOpts,
            );
        }
        // Instances per cell mode; 0 is a headless secondary (storage replicated, no compute;
        // Aurora User Guide, "Creating a headless Aurora DB cluster in a secondary Region").
        for (let i = 0; i < capacity.dbInstances; i++) {
            new aws.rds.ClusterInstance(
                `${name}-aurora-${i + 1}`,
                {
                    identifier: `${clusterId}-${i + 1}`,
                    clusterIdentifier: cluster.id,
                    engine: AURORA_ENGINE,
                    instanceClass: cfg.cell!.dbInstanceClass,
                    dbSubnetGroupName: dbSubnets.name,
                    publiclyAccessible: false,
                    performanceInsightsEnabled: true,
                    performanceInsightsKmsKeyId: key,
                    performanceInsightsRetentionPeriod: 7,
                    promotionTier: i,
                    tags,
                },
                // The instance follows the cluster's engine version (upgraded on the global cluster).
                { parent: this, ignoreChanges: ["engineVersion"] },
            );
        }
        this.auroraGlobalClusterId = globalClusterId;
        this.auroraClusterId = cluster.clusterIdentifier;

        // ---- ElastiCache (Valkey Global Datastore) ---------------------------------------------
        const cacheSubnets = new aws.elasticache.SubnetGroup(
            `${name}-cache-subnets`,
            {
                description: "Isolated subnets of the cell",
                subnetIds: args.network.isolatedSubnetIds,
                tags,
            },
            parent,
        );
        // One AUTH token for the whole Global Datastore, generated here in the primary and read by
        // the secondaries from the primary stack's secret output `cacheAuthToken`. AWS models
        // AUTH as a setting of the Global Datastore (`AuthTokenEnabled` of GlobalReplicationGroup
        // in the ElastiCache API reference; members inherit encryption and auth settings from it),
        // and after a promotion any member may become the writer; a token per region would only
        // work if AWS accepted members with diverging passwords, which it does not document. One
        // token works either way. RBAC user groups would replace it with ElastiCache users and
        // user groups created in every region and kept identical: more resources, same
        // outcome, so AUTH stays.
        let authToken: pulumi.Output<string>;
        if (isPrimary) {
            authToken = new random.RandomPassword(
                `${name}-cache-auth-token`,
                // ElastiCache AUTH tokens: 16–128 printable characters, a restricted symbol set.
                { length: 64, special: false },
                parent,
            ).result;
        } else {
            authToken = pulumi.secret(fromPrimary(args.primary!.cacheAuthToken, "cacheAuthToken"));
        }
        this.cacheAuthToken = authToken;
        const cacheId = names.cacheGroup(cfg, region);
        const nodes = capacity.cacheNodes;
        const cacheCommon = {
            replicationGroupId: cacheId,
            numCacheClusters: nodes,
            automaticFailoverEnabled: nodes > 1,
            multiAzEnabled: nodes > 1,
            kmsKeyId: key,
            authToken,
            subnetGroupName: cacheSubnets.name,
            securityGroupIds: [args.network.dataSecurityGroupId],
            snapshotRetentionLimit: CACHE_SNAPSHOT_RETENTION_DAYS,
            // On delete the provider first disassociates a secondary from the Global Datastore
            // (DisassociateGlobalReplicationGroup), and a primary can only be deleted after the
            // Global Datastore is gone (it is retained, RetainPrimaryReplicationGroup), so each
            // group is standalone when DeleteReplicationGroup takes this final snapshot
            // (terraform-provider-aws internal/service/elasticache/replication_group.go,
            // resourceReplicationGroupDelete). The Global Datastore itself has no data of its own
            // and no snapshot.
            finalSnapshotIdentifier: `${cacheId}-final`,
            tags,
        };
        let cacheGroup: aws.elasticache.ReplicationGroup;
        let datastoreId: pulumi.Output<string>;
        if (isPrimary) {
            cacheGroup = new aws.elasticache.ReplicationGroup(
                `${name}-cache`,
                {
                    ...cacheCommon,
                    description: `TaskFlow ${cfg.environment} cache, Global Datastore primary (${region})`,
                    engine: CACHE_ENGINE,
                    engineVersion: CACHE_ENGINE_VERSION,
                    nodeType: cfg.cell!.cacheNodeType,
                    atRestEncryptionEnabled: true,
                    transitEncryptionEnabled: true,
                },
                { parent: this, protect: true },
            );
            const datastore = new aws.elasticache.GlobalReplicationGroup(
                `${name}-cache-global`,
                {
                    globalReplicationGroupIdSuffix: names.globalDatastoreSuffix(cfg),
                    globalReplicationGroupDescription: `TaskFlow ${cfg.environment} Global Datastore`,
                    primaryReplicationGroupId: cacheGroup.id,
                },
                {
                    parent: this,
                    // Deleting it drops every secondary's replication.
                    protect: true,
                    // A regional failover promotes a secondary and rewrites this field; a change
                    // replaces the whole Global Datastore (terraform-provider-aws#46121), so the
                    // program never diffs it after a failover.
                    ignoreChanges: ["primaryReplicationGroupId"],
                },
            );
            datastoreId = datastore.globalReplicationGroupId;
        } else {
            datastoreId = pulumi.output(args.primary!.globalDatastoreId);
            // Engine, version, node type, parameter group and encryption flags come from the
            // Global Datastore; the provider refuses them next to globalReplicationGroupId
            // (ConflictsWith in terraform-provider-aws internal/service/elasticache/replication_group.go).
            cacheGroup = new aws.elasticache.ReplicationGroup(
                `${name}-cache`,
                {
                    ...cacheCommon,
                    description: `TaskFlow ${cfg.environment} cache, Global Datastore secondary (${region})`,
                    globalReplicationGroupId: datastoreId,
                },
                { parent: this, protect: true },
            );
        }
        const cacheSecret = new aws.secretsmanager.Secret(
            `${name}-cache-auth-secret`,
            { description: `ElastiCache AUTH token of ${cacheId}`, kmsKeyId: key, tags },
            { parent: this, protect: true },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-cache-auth-secret-value`,
            { secretId: cacheSecret.id, secretString: authToken },
            parent,
        );
        this.globalDatastoreId = datastoreId;
        this.cacheReplicationGroupId = cacheGroup.id;

        // ---- DynamoDB global tables (primary only; replicas listed on the table) ----------------
        const tableRefs: Record<string, pulumi.Output<{ name: string; arn: string }>> = {};
        if (isPrimary) {
            const replicas = replicaRegions(cfg.topology).map((r) => ({
                regionName: r,
                kmsKeyArn: keyArns.apply((m) => m[r]),
                // Explicit values: left unset, the provider shows a diff on every preview
                // (hashicorp/terraform-provider-aws#25812).
                pointInTimeRecovery: true,
                deletionProtectionEnabled: true,
                propagateTags: true,
            }));
            for (const [logical, spec] of Object.entries(TABLES)) {
                const table = new aws.dynamodb.Table(
                    `${name}-${spec.table.replace(/_/g, "-")}`,
                    {
                        name: names.table(cfg, spec.table),
                        billingMode: "PAY_PER_REQUEST",
                        hashKey: spec.hashKey,
                        attributes: [{ name: spec.hashKey, type: "S" }],
                        ...(spec.ttlAttribute
                            ? { ttl: { attributeName: spec.ttlAttribute, enabled: true } }
                            : {}),
                        // Global tables (version 2019.11.21) replicate through the stream.
                        streamEnabled: true,
                        streamViewType: "NEW_AND_OLD_IMAGES",
                        pointInTimeRecovery: { enabled: true },
                        deletionProtectionEnabled: true,
                        serverSideEncryption: { enabled: true, kmsKeyArn: key },
                        replicas,
                        tags,
                    },
                    { parent: this, protect: true },
                );
                tableRefs[logical] = pulumi
                    .all([table.name, table.arn])
                    .apply(([n, a]) => ({ name: n, arn: a }));
            }
        }
        this.dynamodbTables = pulumi.output(tableRefs) as unknown as GlobalData["dynamodbTables"];

        // ---- S3 assets bucket (source in the primary, replica elsewhere) ------------------------
        const bucket = new aws.s3.Bucket(
            `${name}-assets`,
            {
                bucket: names.assetsBucket(cfg, region),
                forceDestroy: false,
                tags: globalDataTags({ role: isPrimary ? "source" : "replica" }),
            },
            { parent: this, protect: true },
        );
        const bucketParent = { parent: bucket };
        new aws.s3.BucketPublicAccessBlock(
            `${name}-assets-public-access`,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            bucketParent,
        );
        new aws.s3.BucketOwnershipControls(
            `${name}-assets-ownership`,
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            bucketParent,
        );
        // Replication needs versioning on both ends.
        new aws.s3.BucketVersioning(
            `${name}-assets-versioning`,
            { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            bucketParent,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-assets-sse`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: key,
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            },
            bucketParent,
        );
        new aws.s3.BucketPolicy(
            `${name}-assets-tls-only`,
            { bucket: bucket.id, policy: bucket.arn.apply(tlsOnlyBucketPolicy) },
            bucketParent,
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-assets-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: { prefix: "" },
                        noncurrentVersionExpiration: { noncurrentDays: 90 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            bucketParent,
        );
        this.assetsBucketName = bucket.bucket;
        this.assetsBucketArn = bucket.arn;

        // ---- Replication-lag alarms (in this region, where the metrics are emitted) -------------
        const alarm = (
            role: string,
            a: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions">,
        ) =>
            new aws.cloudwatch.MetricAlarm(
                `${name}-${role}`,
                {
                    ...a,
                    alarmActions: args.alarmActions ?? [args.network.alarmTopicArn],
                    okActions: args.alarmActions ?? [args.network.alarmTopicArn],
                    tags,
                },
                parent,
            );
        // Aurora and ElastiCache lag alarms on EVERY member, not only today's secondaries: a
        // managed switchover (or a Global Datastore promotion) turns the primary into a
        // secondary without any change to this program (the members ignore the fields a
        // switchover rewrites), and that member must then be watched too. The lag metrics are
        // emitted only by a member that is replicating (Aurora User Guide, "Monitoring Aurora
        // global databases": AuroraGlobalDBReplicationLag is reported by secondary clusters;
        // GlobalDatastoreReplicationLag likewise by secondary nodes), so while a member is the
        // writer its alarm sees no data: `notBreaching` keeps it OK then instead of
        // INSUFFICIENT_DATA. A replicating member whose lag grows reports it, so broken
        // replication still shows as lag above the RPO.
        alarm("aurora-lag-alarm", {
            name: `${clusterId}-AuroraGlobalDBReplicationLag`,
            alarmDescription: `Aurora global replication lag into ${region} above the ${cfg.rpoSeconds}s RPO (no data while this member is the writer)`,
            namespace: "AWS/RDS",
            metricName: "AuroraGlobalDBReplicationLag",
            dimensions: { DBClusterIdentifier: cluster.clusterIdentifier },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 3,
            datapointsToAlarm: 2,
            threshold: thresholds.auroraMs,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        });
        // Emitted per node of a replicating group; -001 is the group's first (primary) node.
        alarm("cache-lag-alarm", {
            name: `${cacheId}-GlobalDatastoreReplicationLag`,
            alarmDescription: `ElastiCache Global Datastore replication lag into ${region} above the ${cfg.rpoSeconds}s RPO (no data while this group is the primary)`,
            namespace: "AWS/ElastiCache",
            metricName: "GlobalDatastoreReplicationLag",
            dimensions: { CacheClusterId: `${cacheId}-001` },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 3,
            datapointsToAlarm: 2,
            threshold: thresholds.elasticacheSeconds,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        });
        // DynamoDB reports ReplicationLatency in the region that wrote the item, per receiving
        // region; every global-data region writes (active-active), so each watches its outbound paths.
        for (const receiving of globalDataRegions(cfg.topology).filter((r) => r !== region)) {
            for (const spec of Object.values(TABLES)) {
                const table = names.table(cfg, spec.table);
                alarm(`${spec.table.replace(/_/g, "-")}-latency-${receiving}-alarm`, {
                    name: `${table}-ReplicationLatency-${region}-to-${receiving}`,
                    alarmDescription: `DynamoDB ${table} replication ${region} → ${receiving} above the ${cfg.rpoSeconds}s RPO`,
                    namespace: "AWS/DynamoDB",
                    metricName: "ReplicationLatency",
                    dimensions: { TableName: table, ReceivingRegion: receiving },
                    statistic: "Average",
                    period: 60,
                    evaluationPeriods: 3,
                    datapointsToAlarm: 2,
                    threshold: thresholds.dynamodbMs,
                    comparisonOperator: "GreaterThanThreshold",
                    treatMissingData: "notBreaching",
                });
            }
        }

        // ---- The cell's tasks: least-privilege access to the stores ------------------------------
        // Every region writes assets to the primary's source bucket (one-way replication); the
        // primary's own bucket is that source, a secondary reads the name from the primary stack.
        const sourceRegion = primaryRegion(cfg.topology).region;
        const writeBucketName = isPrimary
            ? bucket.bucket
            : fromPrimary(args.primary!.assetsBucketName, "assetsBucketName");
        const writeBucketArn = isPrimary
            ? bucket.arn
            : fromPrimary(args.primary!.assetsBucketArn, "assetsBucketArn");
        const writeKeyArn = isPrimary
            ? key
            : pulumi.output(args.primary!.kmsKeyArns).apply((m) => {
                  const arn = m?.[sourceRegion];
                  if (!arn)
                      throw new Error(
                          `GlobalData: the primary stack's output kmsKeyArns has no key for the source region ${sourceRegion}`,
                      );
                  return arn;
              });
        new aws.iam.RolePolicy(
            `${name}-task-access`,
            {
                role: args.network.taskRoleName,
                policy: pulumi
                    .all([
                        partition.partition,
                        identity.accountId,
                        cluster.clusterResourceId,
                        bucket.arn,
                        writeBucketArn,
                        writeKeyArn,
                        cacheSecret.arn,
                        key,
                    ])
                    .apply(
                        ([
                            p,
                            account,
                            clusterResourceId,
                            bucketArn,
                            sourceBucketArn,
                            sourceKeyArn,
                            secretArn,
                            keyArn,
                        ]) =>
                            taskAccessPolicy({
                                partition: p,
                                accountId: account,
                                region,
                                tableNames: Object.values(TABLES).map((t) =>
                                    names.table(cfg, t.table),
                                ),
                                clusterResourceId,
                                bucketArn,
                                writeBucketArn: sourceBucketArn,
                                writeBucketRegion: sourceRegion,
                                writeKmsKeyArn: sourceKeyArn,
                                secretArns: [secretArn],
                                kmsKeyArn: keyArn,
                            }),
                    ),
            },
            parent,
        );

        // ---- Endpoints for the tasks -------------------------------------------------------------
        this.endpoints = {
            // Writer: its cluster endpoint. Secondary: the local reader endpoint, whose instances
            // forward writes to the writer region (global write forwarding; the default
            // `apg_write_forward.consistency_mode` is SESSION: a session reads its own writes).
            DATABASE_HOST: isWriter ? cluster.endpoint : cluster.readerEndpoint,
            DATABASE_READER_HOST: cluster.readerEndpoint,
            DATABASE_WRITE_FORWARDING: isWriter ? "false" : "true",
            DATABASE_PORT: "5432",
            DATABASE_NAME: DATABASE_NAME,
            DATABASE_IAM_AUTH: "true",
            DATABASE_USER: APP_DB_USER,
            ...(dbSecretArn ? { DATABASE_MASTER_SECRET_ARN: dbSecretArn } : {}),
            CACHE_HOST: cacheGroup.primaryEndpointAddress,
            CACHE_PORT: "6379",
            CACHE_TLS: "true",
            // A Global Datastore secondary rejects writes (READONLY); the app keeps write-side
            // state (sessions, preferences) in the DynamoDB global tables and only reads the
            // cache here.
            CACHE_READ_ONLY: isWriter ? "false" : "true",
            CACHE_AUTH_SECRET_ARN: cacheSecret.arn,
            SESSIONS_TABLE: names.table(cfg, TABLES.sessions.table),
            USER_PREFERENCES_TABLE: names.table(cfg, TABLES.userPreferences.table),
            /** Read objects here (this region's copy). */
            ASSETS_BUCKET: bucket.bucket,
            /** Write objects here (the primary's source bucket, which replicates everywhere). */
            ASSETS_WRITE_BUCKET: writeBucketName,
            ASSETS_WRITE_BUCKET_REGION: sourceRegion,
        };

        this.registerOutputs({
            holdsGlobalData: true,
            auroraGlobalClusterId: this.auroraGlobalClusterId,
            globalDatastoreId: this.globalDatastoreId,
            auroraClusterId: this.auroraClusterId,
            cacheReplicationGroupId: this.cacheReplicationGroupId,
            kmsKeyArn: this.kmsKeyArn,
            kmsKeyArns: this.kmsKeyArns,
            dynamodbTables: this.dynamodbTables,
            assetsBucketName: this.assetsBucketName,
            assetsBucketArn: this.assetsBucketArn,
            cacheAuthToken: this.cacheAuthToken,
        });
    }

    /**
     * The stack outputs other stacks read (the cross-stack contract of GlobalData): the primary
     * exports the ids secondaries join and the keys they encrypt with; every global-data region
     * exports its assets bucket and key for the global stack's S3 replication.
     */
    public stackOutputs(cfg: StackConfig): Record<string, pulumi.Input<unknown>> {
        if (!this.holdsGlobalData) return { globalData: false };
        const common = {
            globalData: true,
            auroraGlobalClusterId: this.auroraGlobalClusterId,
            globalDatastoreId: this.globalDatastoreId,
            auroraClusterId: this.auroraClusterId,
            cacheReplicationGroupId: this.cacheReplicationGroupId,
            // Not `kmsKeyArn`: that output is the cell's regional key (regions/shared.ts).
            globalDataKmsKeyArn: this.kmsKeyArn,
            assetsBucketName: this.assetsBucketName,
            assetsBucketArn: this.assetsBucketArn,
        };
        if (cfg.role !== "primary") return common;
        return {
            ...common,
            // A secret output: the secondaries' cache groups join with the same AUTH token.
            cacheAuthToken: pulumi.secret(this.cacheAuthToken),
            kmsKeyArns: this.kmsKeyArns,
            dynamodbTables: this.dynamodbTables,
            assetsBucketNames: Object.fromEntries(
                globalDataRegions(cfg.topology).map((r) => [r, names.assetsBucket(cfg, r)]),
            ),
        };
    }
}
