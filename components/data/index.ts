/**
 * GlobalData: what replicates across regions, and nothing that must not. One instance per region
 * stack, built on its cell's network:
 *
 * - **primary** (owns everything that replicates): the Aurora global cluster and its primary
 *   member, the DynamoDB global tables with a replica in every other global-data region, the
 *   ElastiCache primary group and the Global Datastore, the multi-Region key (a replica in every
 *   other global-data region) and the versioned source assets bucket.
 * - **secondary holding global data**: an Aurora cluster joining the global cluster and an
 *   ElastiCache group joining the Global Datastore (ids from the primary stack's outputs), the
 *   replica assets bucket, all under this region's replica of the primary's key.
 * - **secondary without global data**: nothing at all.
 *
 * Write paths in every region, and how a data stack is taken down: docs/architecture.md,
 * "GlobalData", and docs/operations.md, "Destroying".
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DataEndpoints } from "../cell/args";
import { withResidencyCheck } from "../shared/residency";
import { taskAccess, writeBucket } from "./access";
import { APP_DB_USER } from "./access-policy";
import { lagAlarms } from "./alarms";
import { GlobalDataArgs } from "./args";
import { assetsBucket } from "./assets";
import { auroraMember } from "./aurora";
import { cacheMember } from "./cache";
import { DataContext, globalDataTags } from "./context";
import { dataKeys } from "./keys";
import { names } from "./names";
import { DATABASE_NAME, TABLES, supportsGlobalWriteForwarding } from "./rules";
import { TableRefs, globalTables } from "./tables";

export * from "./access-policy";
export * from "./args";
export { globalDataTags } from "./context";
export { names } from "./names";
export * from "./rules";
export type { TableRefs } from "./tables";

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
    public readonly dynamodbTables: pulumi.Output<TableRefs>;
    /** This region's assets bucket (source in the primary, replica elsewhere). */
    public readonly assetsBucketName: pulumi.Output<string>;
    public readonly assetsBucketArn: pulumi.Output<string>;
    /** Every global-data region's assets bucket name, by region (they carry this account's id). */
    public readonly assetsBucketNames: pulumi.Output<Record<string, string>>;
    /** The Global Datastore's AUTH token (a secret; generated in the primary, shared by every member). */
    public readonly cacheAuthToken: pulumi.Output<string>;
    /** Endpoints this region's tasks use (the cell's task environment). */
    public readonly endpoints: DataEndpoints;
    /** Names of the replication-lag alarms (none when the region holds no global data). */
    public readonly alarmNames: pulumi.Output<string[]>;

    constructor(name: string, args: GlobalDataArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything is registered.
        validateGlobalDataArgs(args);
        // A data store registered without its residency tag fails here, before registration.
        super("taskflow:data:GlobalData", name, {}, withResidencyCheck(opts, args.zones));
        this.holdsGlobalData = args.holdsGlobalData ?? true;
        if (!this.holdsGlobalData) {
            // The topology forbids global data here: no member, replica, key or bucket.
            const empty = pulumi.output("");
            this.auroraGlobalClusterId = empty;
            this.globalDatastoreId = empty;
            this.auroraClusterId = empty;
            this.cacheReplicationGroupId = empty;
            this.kmsKeyArn = empty;
            this.kmsKeyArns = pulumi.output<Record<string, string>>({});
            this.dynamodbTables = pulumi.output({}) as GlobalData["dynamodbTables"];
            this.assetsBucketName = empty;
            this.assetsBucketArn = empty;
            this.assetsBucketNames = pulumi.output<Record<string, string>>({});
            this.cacheAuthToken = empty;
            this.endpoints = {};
            this.alarmNames = pulumi.output([]);
            this.registerOutputs({ holdsGlobalData: false, alarmNames: this.alarmNames });
            return;
        }
        const ctx = dataContext(name, this, args);

        const { key, keyArns } = dataKeys(ctx);
        const aurora = auroraMember(ctx, key);
        const cache = cacheMember(ctx, key);
        const tables = globalTables(ctx, key, keyArns);
        const bucket = assetsBucket(ctx, key);
        const alarms = lagAlarms(ctx, {
            clusterIdentifier: aurora.cluster.clusterIdentifier,
            cacheGroupId: cache.groupId,
        });
        const write = writeBucket(ctx, bucket, key);
        taskAccess(ctx, { cluster: aurora.cluster, bucket, write, cacheSecret: cache.secret, key });

        this.kmsKeyArn = key;
        this.kmsKeyArns = keyArns;
        this.auroraGlobalClusterId = aurora.globalClusterId;
        this.auroraClusterId = aurora.cluster.clusterIdentifier;
        this.cacheAuthToken = cache.authToken;
        this.globalDatastoreId = cache.datastoreId;
        this.cacheReplicationGroupId = cache.group.id;
        this.dynamodbTables = tables;
        this.assetsBucketName = bucket.bucket;
        this.assetsBucketArn = bucket.arn;
        this.assetsBucketNames = ctx.accountId.apply((a) =>
            Object.fromEntries(
                args.globalDataRegions.map((r) => [r, names.assetsBucket(ctx.environment, a, r)]),
            ),
        );
        this.endpoints = taskEndpoints(ctx, { aurora, cache, bucket, write });
        this.alarmNames = pulumi.all(alarms.map((a) => a.name));
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
            assetsBucketNames: this.assetsBucketNames,
            cacheAuthToken: this.cacheAuthToken,
            alarmNames: this.alarmNames,
        });
    }
}

/** Refuses arguments that cannot work, before anything is registered. */
export function validateGlobalDataArgs(args: GlobalDataArgs): void {
    const regions = args.globalDataRegions;
    if (args.writerRegion !== undefined && !regions.includes(args.writerRegion)) {
        throw new Error(
            `GlobalData: writerRegion "${args.writerRegion}" is not a global-data region of the topology (${regions.join(", ")})`,
        );
    }
    if (args.holdsGlobalData === false) return;
    if (args.role !== "primary" && !args.primary) {
        throw new Error(
            `GlobalData: secondary stack in ${args.region} needs the primary stack's references (args.primary)`,
        );
    }
    const writer = args.writerRegion ?? regions[0];
    const version = args.auroraEngineVersion ?? "16.6";
    if (args.region !== writer && !supportsGlobalWriteForwarding(version)) {
        throw new Error(
            `GlobalData: taskflow:auroraEngineVersion "${version}" does not support global write forwarding, which secondary ${args.region} needs to take writes (Aurora PostgreSQL 16.x, 15.4+ or 14.9+)`,
        );
    }
    names.cacheGroup(args.environment ?? "prod", args.region);
    names.checkAssetsBucket(args.environment ?? "prod", args.region);
}

function dataContext(
    name: string,
    parent: pulumi.ComponentResource,
    args: GlobalDataArgs,
): DataContext {
    const p = { parent };
    // Ownership (what this stack creates) follows the topology's primary; the write path
    // (forwarding, endpoints, read-only cache) follows the current writer.
    const [sourceRegion, ...replicaRegions] = args.globalDataRegions;
    const writerRegion = args.writerRegion ?? sourceRegion;
    return {
        name,
        parent,
        region: args.region,
        environment: args.environment ?? "prod",
        isPrimary: args.role === "primary",
        isWriter: args.region === writerRegion,
        sourceRegion,
        globalDataRegions: args.globalDataRegions,
        replicaRegions,
        primary: args.primary,
        tags: globalDataTags(args.environment ?? "prod"),
        accountId: aws.getCallerIdentityOutput({}, p).accountId,
        partition: aws.getPartitionOutput({}, p).partition,
        rpoSeconds: args.rpoSeconds ?? 5,
        auroraEngineVersion: args.auroraEngineVersion ?? "16.6",
        dbInstanceClass: args.dbInstanceClass ?? "db.r7g.large",
        dbInstances: args.dbInstances ?? 2,
        cacheNodeType: args.cacheNodeType ?? "cache.r7g.large",
        cacheNodes: args.cacheNodes ?? 2,
        network: args.network,
        alarmActions: args.alarmActions ?? [args.network.alarmTopicArn],
    };
}

/** The tasks' environment: where to read and write, and how. */
function taskEndpoints(
    ctx: DataContext,
    stores: {
        aurora: ReturnType<typeof auroraMember>;
        cache: ReturnType<typeof cacheMember>;
        bucket: aws.s3.Bucket;
        write: ReturnType<typeof writeBucket>;
    },
): DataEndpoints {
    const { aurora, cache, bucket, write } = stores;
    const { cluster } = aurora;
    return {
        // Writer: its cluster endpoint. Secondary: the local reader endpoint, whose instances
        // forward writes to the writer region (global write forwarding; the default
        // `apg_write_forward.consistency_mode` is SESSION: a session reads its own writes).
        DATABASE_HOST: ctx.isWriter ? cluster.endpoint : cluster.readerEndpoint,
        DATABASE_READER_HOST: cluster.readerEndpoint,
        DATABASE_WRITE_FORWARDING: ctx.isWriter ? "false" : "true",
        DATABASE_PORT: "5432",
        DATABASE_NAME: DATABASE_NAME,
        DATABASE_IAM_AUTH: "true",
        DATABASE_USER: APP_DB_USER,
        ...(aurora.masterSecretArn ? { DATABASE_MASTER_SECRET_ARN: aurora.masterSecretArn } : {}),
        CACHE_HOST: cache.group.primaryEndpointAddress,
        CACHE_PORT: "6379",
        CACHE_TLS: "true",
        // A Global Datastore secondary rejects writes (READONLY); the app keeps write-side state
        // (sessions, preferences) in the DynamoDB global tables and only reads the cache here.
        CACHE_READ_ONLY: ctx.isWriter ? "false" : "true",
        CACHE_AUTH_SECRET_ARN: cache.secret.arn,
        SESSIONS_TABLE: names.table(ctx.environment, TABLES.sessions.table),
        USER_PREFERENCES_TABLE: names.table(ctx.environment, TABLES.userPreferences.table),
        /** Read objects here (this region's copy). */
        ASSETS_BUCKET: bucket.bucket,
        /** Write objects here (the primary's source bucket, which replicates everywhere). */
        ASSETS_WRITE_BUCKET: write.name,
        ASSETS_WRITE_BUCKET_REGION: ctx.sourceRegion,
    };
}
