/** What a GlobalData is built from. */
import * as pulumi from "@pulumi/pulumi";
import type { CellNetwork } from "../cell/args";

/** What a secondary's GlobalData takes from the primary stack (its outputs). */
export interface PrimaryDataRefs {
    /** The Aurora global cluster to join (`auroraGlobalClusterId`). Required. */
    auroraGlobalClusterId: pulumi.Input<string>;
    /** The ElastiCache Global Datastore to join (`globalDatastoreId`). Required. */
    globalDatastoreId: pulumi.Input<string>;
    /** Region → global-data key ARN in that region (`kmsKeyArns`). Required. */
    kmsKeyArns: pulumi.Input<Record<string, string>>;
    /** The Global Datastore's one AUTH token (`cacheAuthToken`, a secret). Required. */
    cacheAuthToken: pulumi.Input<string>;
    /** The source assets bucket every region writes to (`assetsBucketName`). Required. */
    assetsBucketName: pulumi.Input<string>;
    /** Its ARN (`assetsBucketArn`). Required. */
    assetsBucketArn: pulumi.Input<string>;
}

/** Arguments of {@link GlobalData}. */
export interface GlobalDataArgs {
    /**
     * `primary` creates everything that replicates (it owns the global cluster, the Global
     * Datastore, the tables and the keys); `secondary` joins it. Required.
     */
    role: "primary" | "secondary";
    /** AWS region of this stack: where the members are created. Required. */
    region: string;
    /**
     * The regions that hold global data, the topology's primary first (a secondary's tables,
     * key replicas and alarms follow it). Required.
     */
    globalDataRegions: string[];
    /**
     * Whether this region holds global data at all. False (a secondary the topology keeps
     * global data out of): the component registers nothing. Default true.
     */
    holdsGlobalData?: boolean;
    /** Every residency zone of the topology (data stores in another zone are refused). Required. */
    zones: string[];
    /** Environment name used in physical names. Default `prod`. */
    environment?: string;
    /** The cell's network in this region, where the Aurora and ElastiCache members live. Required. */
    network: Pick<
        CellNetwork,
        "isolatedSubnetIds" | "dataSecurityGroupId" | "taskRoleName" | "alarmTopicArn"
    >;
    /** Secondaries only (required there): what the primary stack owns, from its outputs. */
    primary?: PrimaryDataRefs;
    /** SNS topic ARNs notified by the replication-lag alarms. Default: the cell's alarm topic. */
    alarmActions?: pulumi.Input<string>[];
    /**
     * Region whose Aurora member is the writer (and whose cache group is the Global Datastore's
     * primary) right now. Default: the primary (`globalDataRegions[0]`). A switchover moves the
     * writer without moving ownership (docs/operations.md, "Switching the primary"); passing the
     * new writer region here and updating every region stack moves global write forwarding with
     * it; the tasks' `DATABASE_HOST`, `DATABASE_WRITE_FORWARDING` and `CACHE_READ_ONLY` take it
     * when their parameters are created, and the Aurora runbook rewrites them afterwards. Must
     * be a global-data region.
     */
    writerRegion?: string;
    /** RPO target in seconds; the replication-lag alarm thresholds derive from it. Default 5. */
    rpoSeconds?: number;
    /** Aurora PostgreSQL engine version of the global cluster. Default `16.6`. */
    auroraEngineVersion?: string;
    /** Aurora instance class. Default `db.r7g.large`. */
    dbInstanceClass?: string;
    /** Aurora instances in this region (0: a headless secondary). Default 2. */
    dbInstances?: number;
    /** ElastiCache node type (primary only; members inherit it). Default `cache.r7g.large`. */
    cacheNodeType?: string;
    /** ElastiCache nodes in this region's group (primary and replicas). Default 2. */
    cacheNodes?: number;
}
