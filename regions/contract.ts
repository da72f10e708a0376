/**
 * The cross-stack contract: every output a stack exports and every output another stack reads,
 * typed once per stack kind. A region stack exports RegionStackOutputs (the primary also
 * PrimaryStackOutputs); the global stack exports GlobalStackOutputs. Writers build the output
 * map from the components; readers wrap a StackReference and read keys of those interfaces
 * only, with `requireOutput` (a missing output fails the update naming it, never `undefined`).
 *
 * The stack graph this contract implies (docs/architecture.md): secondaries read the primary;
 * the global stack reads every region stack. Nothing reads the global stack.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CellService, RegionalCell } from "../components/cell";
import type { GlobalData, PrimaryDataRefs, TableRefs } from "../components/data";
import type { ResidencyBoundary } from "../components/boundary";
import type { LogArchive, LogArchiveOutputs } from "../components/log-archive";
import type { ReplicationEnd } from "../components/assets-replication";
import { CellMode } from "../model/cell";
import { Topology, globalDataRegions, stackRefName } from "../model/topology";

/** What a stack program returns: its outputs. */
export type StackOutputs = Record<string, pulumi.Input<unknown>>;

/** A value as a program may export it: the value, an Output of it, or its fields as Inputs. */
export type DeepInput<T> = [NonNullable<T>] extends [object]
    ? | pulumi.Input<T>
      | { [K in keyof NonNullable<T>]: DeepInput<NonNullable<T>[K]> }
      | (undefined extends T ? undefined : never)
    : pulumi.Input<T>;

/** Each field of T as a program may export it. */
export type Written<T> = { [K in keyof T]: DeepInput<T[K]> };

/** The zone-resident stores of a region stack hosting a residency zone. */
export interface ResidencyOutputs {
    zone: string;
    tableName: string;
    tableArn: string;
    bucketName: string;
    kmsKeyArn: string;
    /** Only when the boundary has an Aurora cluster. */
    auroraEndpoint?: string;
}

/**
 * A region stack's log landing bucket (SSE-S3): S3 server access logs land there, only from the
 * buckets its policy admits (`aws:SourceArn`), then replicate into the region's log archive.
 */
export interface LogLandingOutputs {
    bucketName: string;
    bucketArn: string;
    /** Classification of the logs it takes: the region's boundary zone, else `global`. */
    classification: string;
    region: string;
    /** Names of the buckets whose S3 server access logs its policy admits. */
    s3LogSources: string[];
}

/** What every region stack exports (the global stack reads it; secondaries read the primary's). */
export interface RegionStackOutputs {
    region: string;
    role: "primary" | "secondary";
    /** Residency zone of the users homed in the region. */
    zone: string;
    cellMode: CellMode;
    vpcId: string;
    vpcCidr: string;
    albDnsName: string;
    albZoneId: string;
    albArn: string;
    albArnSuffix: string;
    /** The ALB group that takes the global stack's Global Accelerator rule. */
    edgeSecurityGroupId: string;
    healthCheckFqdn: string;
    healthCheckPath: string;
    healthUrl: string;
    /** The cell's regional key (not the global-data key: `globalDataKmsKeyArn`). */
    kmsKeyArn: string;
    alarmTopicArn: string;
    /** The region's "region unhealthy" composite alarm (the dashboard shows it; drills stop on it). */
    healthAlarmArn: string;
    ecsClusterName: string;
    ecsServiceName: string;
    scalableTargetResourceId: string;
    /** The cell's capacity in its mode: night mode restores it every morning. */
    dayCapacity: { minTasks: number; maxTasks: number };
    /** Whether the region holds global data; the fields below exist only when it does. */
    globalData: boolean;
    auroraGlobalClusterId?: string;
    globalDatastoreId?: string;
    auroraClusterId?: string;
    cacheReplicationGroupId?: string;
    globalDataKmsKeyArn?: string;
    assetsBucketName?: string;
    assetsBucketArn?: string;
    /** The zone-resident stores, when the stack hosts a residency zone. */
    residency?: ResidencyOutputs;
    /**
     * The region's log archive (bucket, its key, classification, region): `eu` in eu-west-1,
     * `global` elsewhere. Logs written into it must be of its classification and region.
     */
    logArchive: LogArchiveOutputs;
    /** The region's log landing bucket; in the edge region, the edge's bucket logs there too. */
    logLanding: LogLandingOutputs;
}

/** What the primary stack exports besides: what the secondaries join and encrypt with. */
export interface PrimaryStackOutputs extends RegionStackOutputs {
    /** CloudFront's `x-origin-verify` value, which every ALB requires (a secret). */
    originVerifySecret: string;
    /** The Global Datastore's AUTH token (a secret). */
    cacheAuthToken: string;
    /** Region → global-data key ARN in that region. */
    kmsKeyArns: Record<string, string>;
    dynamodbTables: TableRefs;
    /** Region → assets bucket name, for every global-data region. */
    assetsBucketNames: Record<string, string>;
}

/** What the global stack exports (operators and `npm run ops` read it). */
export interface GlobalStackOutputs {
    domain: string;
    hostedZoneId: string;
    /** Browsers and API clients: CloudFront (WAF, residency router). */
    appHostname: string;
    /** CloudFront's routed origin name; its ALB listener refuses clients without the edge. */
    apiHostname: string;
    /** Direct API clients: Global Accelerator's static IPs (docs/architecture.md). */
    acceleratorHostname: string;
    failoverHostnames: Record<string, string>;
    residentHostname: string;
    acceleratorDnsName: string;
    acceleratorIps: string[];
    distributionId: string;
    healthCheckIds: Record<string, string>;
    originHeaderName: string;
    edgeAlarmTopicArn: string;
    /** `npm run ops -- night-mode <action> --spec <file>` reads it (docs/operations.md). */
    nightModeSpec?: unknown;
    nightModeFunctionName?: string;
    assetsReplicationRegions: string[];
    regions: Record<string, { albDnsName: string; albZoneId: string }>;
}

// ---- writers ------------------------------------------------------------------------------

/** What a region stack is made of, for its outputs. */
export interface RegionStackParts {
    region: string;
    role: "primary" | "secondary";
    zone: string;
    cell: RegionalCell;
    service: CellService;
    data: GlobalData;
    logArchive: LogArchive;
    /** The region's log landing bucket (the cell's), as exported. */
    logLanding: Written<LogLandingOutputs>;
    /** ARN of the region's composite alarm. */
    healthAlarmArn: pulumi.Output<string>;
    boundary?: { component: ResidencyBoundary; aurora: boolean };
}

/** A region stack's outputs. */
export function regionStackOutputs(parts: RegionStackParts): Written<RegionStackOutputs> {
    const { cell, service, data, boundary } = parts;
    return {
        region: parts.region,
        role: parts.role,
        zone: parts.zone,
        cellMode: cell.mode,
        vpcId: cell.vpcId,
        albDnsName: service.albDnsName,
        albZoneId: service.albZoneId,
        albArn: service.albArn,
        healthCheckFqdn: service.healthCheckFqdn,
        healthCheckPath: service.healthCheckPath,
        healthUrl: service.healthUrl,
        vpcCidr: cell.vpcCidr,
        albArnSuffix: service.albArnSuffix,
        edgeSecurityGroupId: cell.edgeSecurityGroupId,
        kmsKeyArn: cell.kmsKeyArn,
        alarmTopicArn: cell.alarmTopicArn,
        healthAlarmArn: parts.healthAlarmArn,
        ecsClusterName: service.ecsClusterName,
        ecsServiceName: service.ecsServiceName,
        scalableTargetResourceId: service.scalableTargetResourceId,
        dayCapacity: { minTasks: cell.capacity.minTasks, maxTasks: cell.capacity.maxTasks },
        ...globalDataOutputs(data),
        logArchive: {
            bucketName: parts.logArchive.bucketName,
            bucketArn: parts.logArchive.bucketArn,
            kmsKeyArn: parts.logArchive.kmsKeyArn,
            classification: parts.logArchive.classification,
            region: parts.logArchive.region,
        },
        logLanding: parts.logLanding,
        ...(boundary ? { residency: residencyOutputs(boundary.component, boundary.aurora) } : {}),
    };
}

/** The global-data part of a region stack's outputs: ids, key and bucket of its members. */
type GlobalDataOutputs = Pick<
    RegionStackOutputs,
    | "globalData"
    | "auroraGlobalClusterId"
    | "globalDatastoreId"
    | "auroraClusterId"
    | "cacheReplicationGroupId"
    | "globalDataKmsKeyArn"
    | "assetsBucketName"
    | "assetsBucketArn"
>;

function globalDataOutputs(data: GlobalData): Written<GlobalDataOutputs> {
    if (!data.holdsGlobalData) return { globalData: false };
    return {
        globalData: true,
        auroraGlobalClusterId: data.auroraGlobalClusterId,
        globalDatastoreId: data.globalDatastoreId,
        auroraClusterId: data.auroraClusterId,
        cacheReplicationGroupId: data.cacheReplicationGroupId,
        globalDataKmsKeyArn: data.kmsKeyArn,
        assetsBucketName: data.assetsBucketName,
        assetsBucketArn: data.assetsBucketArn,
    };
}

function residencyOutputs(b: ResidencyBoundary, aurora: boolean): Written<ResidencyOutputs> {
    return {
        zone: b.zone,
        tableName: b.tableName,
        tableArn: b.tableArn,
        bucketName: b.bucketName,
        kmsKeyArn: b.kmsKeyArn,
        ...(aurora ? { auroraEndpoint: b.auroraEndpoint as pulumi.Output<string> } : {}),
    };
}

/** The primary stack's own outputs, besides its region stack outputs. */
export function primaryStackOutputs(args: {
    topology: Topology;
    environment: string;
    data: GlobalData;
    originVerifySecret: pulumi.Output<string>;
}): Written<Omit<PrimaryStackOutputs, keyof RegionStackOutputs>> {
    const { data } = args;
    return {
        // A secret output: the secondaries' cache groups join with the same AUTH token.
        cacheAuthToken: pulumi.secret(data.cacheAuthToken),
        kmsKeyArns: data.kmsKeyArns,
        dynamodbTables: data.dynamodbTables,
        assetsBucketNames: data.assetsBucketNames,
        // Read by the secondaries (their ALBs) and the global stack (CloudFront's origin header).
        originVerifySecret: args.originVerifySecret,
    };
}

// ---- readers ------------------------------------------------------------------------------

/** Something that exposes a stack's outputs: a StackReference (or a test's fake). */
export interface OutputSource {
    requireOutput(name: string): pulumi.Output<unknown>;
}

/** Reads the outputs of one stack kind `T`, by their names in `T` only. */
export class StackReader<T> {
    constructor(readonly source: OutputSource) {}

    /** The output `key`; the update fails naming it when the stack does not export it. */
    require<K extends keyof T & string>(key: K): pulumi.Output<NonNullable<T[K]>> {
        return this.source.requireOutput(key) as pulumi.Output<NonNullable<T[K]>>;
    }
}

/** The StackReference to a stack of the topology, named `ref-<stack>`. */
export function referenceStack(topology: Topology, stack: string): pulumi.StackReference {
    return new pulumi.StackReference(`ref-${stack}`, { name: stackRefName(topology, stack) });
}

/** A reader of the primary stack. */
export const primaryReader = (source: OutputSource) => new StackReader<PrimaryStackOutputs>(source);

/** A reader of a region stack. */
export const regionReader = (source: OutputSource) => new StackReader<RegionStackOutputs>(source);

/**
 * Everything a secondary's GlobalData reads from the primary stack, each with `requireOutput`.
 */
export function primaryDataRefs(source: OutputSource): PrimaryDataRefs {
    const primary = primaryReader(source);
    return {
        auroraGlobalClusterId: primary.require("auroraGlobalClusterId"),
        globalDatastoreId: primary.require("globalDatastoreId"),
        kmsKeyArns: primary.require("kmsKeyArns"),
        cacheAuthToken: primary.require("cacheAuthToken"),
        assetsBucketName: primary.require("assetsBucketName"),
        assetsBucketArn: primary.require("assetsBucketArn"),
    };
}

/**
 * The S3 replication ends from the topology and the region stacks' outputs: source = the
 * primary, destinations = every other region with `globalData: true`. `sources` maps region →
 * that region stack's outputs.
 */
export function replicationEnds(
    topology: Topology,
    sources: Record<string, OutputSource>,
): { source: ReplicationEnd; destinations: ReplicationEnd[] } {
    const end = (region: string): ReplicationEnd => {
        const source = sources[region];
        if (!source)
            throw new Error(
                `AssetsReplication: no stack reference for global-data region ${region}`,
            );
        const stack = regionReader(source);
        return {
            region,
            bucketName: stack.require("assetsBucketName"),
            bucketArn: stack.require("assetsBucketArn"),
            kmsKeyArn: stack.require("globalDataKmsKeyArn"),
        };
    };
    const [primary, ...others] = globalDataRegions(topology);
    return { source: end(primary), destinations: others.map(end) };
}
