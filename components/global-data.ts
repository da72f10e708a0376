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
 * Destroy order (the reverse of the deploy order; every data store here is `protect`ed, so each
 * step starts with `pulumi state unprotect` of the stores that must go):
 *   1. the global stack (S3 replication rules, their role and alarms);
 *   2. every secondary stack: its Aurora member is detached from the global cluster (the provider
 *      calls RemoveFromGlobalCluster before deleting, keeping a final snapshot), its ElastiCache
 *      group leaves the Global Datastore, its replica bucket goes (empty it first);
 *   3. the primary stack: the DynamoDB tables (their replicas go with them), the Global Datastore
 *      then the primary cache group, the primary Aurora instances then the primary cluster (final
 *      snapshot kept), and last the global cluster, which AWS refuses to delete while it has
 *      members; the KMS keys are scheduled for deletion (30-day window) after everything they
 *      encrypt.
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
} from "../config";
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

/** Services that use the global-data key, as `kms:ViaService` values of a region. */
export function dataKeyServices(region: string): string[] {
    return ["rds", "dynamodb", "elasticache", "s3", "secretsmanager"].map(
        (s) => `${s}.${region}.amazonaws.com`,
    );
}

/** The only KMS actions the data services get (no wildcards). */
export const DATA_KEY_SERVICE_ACTIONS = [
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:CreateGrant",
    "kms:ListGrants",
    "kms:DescribeKey",
];

/**
 * Key policy of the global-data key in one region: the account root administers the key (the
 * statement that lets IAM policies grant access; AWS's default), and principals of this account
 * may use it only through the data services in this region. No other principal, no wildcard
 * action outside the root statement.
 */
export function dataKeyPolicy(partition: string, accountId: string, region: string): string {
    const root = `arn:${partition}:iam::${accountId}:root`;
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountRootAdministersKey",
                Effect: "Allow",
                Principal: { AWS: root },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "UseThroughDataServicesInRegion",
                Effect: "Allow",
                Principal: { AWS: root },
                Action: DATA_KEY_SERVICE_ACTIONS,
                Resource: "*",
                Condition: {
                    StringEquals: {
                        "kms:CallerAccount": accountId,
                        "kms:ViaService": dataKeyServices(region),
                    },
                },
            },
        ],
    });
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
    bucketArn: string;
    secretArns: string[];
    kmsKeyArn: string;
}

/**
 * The tasks' access to this region's global data, and nothing more: item-level DynamoDB actions
 * on the two tables' local replicas, objects of the assets bucket, IAM database authentication as
 * the app user, the cache AUTH secret, and the data key through those services. No wildcard action.
 */
export function taskAccessPolicy(a: TaskAccess): string {
    const tableArns = a.tableNames.flatMap((t) => {
        const arn = `arn:${a.partition}:dynamodb:${a.region}:${a.accountId}:table/${t}`;
        return [arn, `${arn}/index/*`];
    });
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
                Sid: "AssetsObjects",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject"],
                Resource: [`${a.bucketArn}/*`],
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
    /** Endpoints this region's tasks use (the cell's task environment). */
    public readonly endpoints: DataEndpoints;

    constructor(name: string, args: GlobalDataArgs, opts?: pulumi.ComponentResourceOptions) {
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
            this.endpoints = {};
            this.registerOutputs({ holdsGlobalData: false });
            return;
        }

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
                pulumi
                    .all([partition.partition, identity.accountId])
                    .apply(([p, account]) => dataKeyPolicy(p, account, r));
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

        // ---- Aurora ---------------------------------------------------------------------------
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
                parent,
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
                { ...memberCommon, globalClusterIdentifier: globalClusterId },
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
        const authToken = new random.RandomPassword(
            `${name}-cache-auth-token`,
            { length: 64, special: false },
            parent,
        );
        const cacheId = names.cacheGroup(cfg, region);
        const nodes = capacity.cacheNodes;
        const cacheCommon = {
            replicationGroupId: cacheId,
            numCacheClusters: nodes,
            automaticFailoverEnabled: nodes > 1,
            multiAzEnabled: nodes > 1,
            kmsKeyId: key,
            authToken: authToken.result,
            subnetGroupName: cacheSubnets.name,
            securityGroupIds: [args.network.dataSecurityGroupId],
            snapshotRetentionLimit: 7,
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
                parent,
            );
            const datastore = new aws.elasticache.GlobalReplicationGroup(
                `${name}-cache-global`,
                {
                    globalReplicationGroupIdSuffix: names.globalDatastoreSuffix(cfg),
                    globalReplicationGroupDescription: `TaskFlow ${cfg.environment} Global Datastore`,
                    primaryReplicationGroupId: cacheGroup.id,
                },
                {
                    ...parent,
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
                parent,
            );
        }
        const cacheSecret = new aws.secretsmanager.Secret(
            `${name}-cache-auth-secret`,
            { description: `ElastiCache AUTH token of ${cacheId}`, kmsKeyId: key, tags },
            parent,
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-cache-auth-secret-value`,
            { secretId: cacheSecret.id, secretString: authToken.result },
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
        if (!isPrimary) {
            // Measured on the secondary cluster: how far it trails the primary.
            alarm("aurora-lag-alarm", {
                name: `${clusterId}-AuroraGlobalDBReplicationLag`,
                alarmDescription: `Aurora global replication lag into ${region} above the ${cfg.rpoSeconds}s RPO`,
                namespace: "AWS/RDS",
                metricName: "AuroraGlobalDBReplicationLag",
                dimensions: { DBClusterIdentifier: cluster.clusterIdentifier },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 3,
                datapointsToAlarm: 2,
                threshold: thresholds.auroraMs,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "missing",
            });
            // Emitted per node in the secondary region; -001 is the group's first (primary) node.
            alarm("cache-lag-alarm", {
                name: `${cacheId}-GlobalDatastoreReplicationLag`,
                alarmDescription: `ElastiCache Global Datastore replication lag into ${region} above the ${cfg.rpoSeconds}s RPO`,
                namespace: "AWS/ElastiCache",
                metricName: "GlobalDatastoreReplicationLag",
                dimensions: { CacheClusterId: `${cacheId}-001` },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 3,
                datapointsToAlarm: 2,
                threshold: thresholds.elasticacheSeconds,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "missing",
            });
        }
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

        // ---- The cell's tasks: least-privilege access to this region's stores ----------------------
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
                        cacheSecret.arn,
                        key,
                    ])
                    .apply(([p, account, clusterResourceId, bucketArn, secretArn, keyArn]) =>
                        taskAccessPolicy({
                            partition: p,
                            accountId: account,
                            region,
                            tableNames: Object.values(TABLES).map((t) => names.table(cfg, t.table)),
                            clusterResourceId,
                            bucketArn,
                            secretArns: [secretArn],
                            kmsKeyArn: keyArn,
                        }),
                    ),
            },
            parent,
        );

        // ---- Endpoints for the tasks -------------------------------------------------------------
        this.endpoints = {
            DATABASE_HOST: cluster.endpoint,
            DATABASE_READER_HOST: cluster.readerEndpoint,
            DATABASE_PORT: "5432",
            DATABASE_NAME: DATABASE_NAME,
            DATABASE_IAM_AUTH: "true",
            DATABASE_USER: APP_DB_USER,
            ...(dbSecretArn ? { DATABASE_MASTER_SECRET_ARN: dbSecretArn } : {}),
            CACHE_HOST: cacheGroup.primaryEndpointAddress,
            CACHE_PORT: "6379",
            CACHE_TLS: "true",
            CACHE_AUTH_SECRET_ARN: cacheSecret.arn,
            SESSIONS_TABLE: names.table(cfg, TABLES.sessions.table),
            USER_PREFERENCES_TABLE: names.table(cfg, TABLES.userPreferences.table),
            ASSETS_BUCKET: bucket.bucket,
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
            kmsKeyArns: this.kmsKeyArns,
            dynamodbTables: this.dynamodbTables,
            assetsBucketNames: Object.fromEntries(
                globalDataRegions(cfg.topology).map((r) => [r, names.assetsBucket(cfg, r)]),
            ),
        };
    }
}
