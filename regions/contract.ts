/**
 * The cross-stack contract: every output a stack exports and every output another stack reads,
 * typed once per stack kind. A region stack exports RegionStackOutputs (the primary also
 * PrimaryStackOutputs); the global stack exports GlobalStackOutputs. Writers (regions/outputs.ts)
 * build the output map from the components; readers wrap a StackReference and read keys of
 * those interfaces only, the names listed here of each upstream (`requiredOutputs`, which
 * `npm run deploy -- --upstreams` checks), with `requireOutput` (a missing output fails the
 * update naming it, never `undefined`).
 *
 * The stack graph this contract implies (docs/architecture.md): secondaries read the primary;
 * the global stack reads every region stack. Nothing reads the global stack.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PrimaryDataRefs, TableRefs } from "../components/data";
import type { LogArchiveOutputs } from "../components/log-archive";
import type { ReplicationEnd } from "../components/assets-replication";
import { CellMode } from "../model/cell";
import { EDGE_REGION } from "../model/aws";
import { Topology, globalDataRegions, roleOf, stackRefName, upstreamOf } from "../model/topology";

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

// ---- readers ------------------------------------------------------------------------------

/** Something that exposes a stack's outputs: a StackReference (or a test's fake). */
export interface OutputSource {
    requireOutput(name: string): pulumi.Output<unknown>;
}

/**
 * Reads the outputs of one stack kind `T`, by the names in `keys` only: the names this stack
 * reads of that one, which `npm run deploy -- --upstreams` requires the upstream to export.
 */
export class StackReader<T, K extends keyof T & string = keyof T & string> {
    constructor(
        readonly source: OutputSource,
        readonly keys: readonly K[],
        /** The read, for the error: e.g. `the global stack reads of us-east-1`. */
        readonly label: string,
    ) {}

    /** The output `key`; the update fails naming it when the stack does not export it. */
    require<J extends K>(key: J): pulumi.Output<NonNullable<T[J]>> {
        if (!this.keys.includes(key))
            throw new Error(
                `output '${key}' is not among what ${this.label} (regions/contract.ts: ${this.keys.join(", ")}); list it there`,
            );
        return this.source.requireOutput(key) as pulumi.Output<NonNullable<T[J]>>;
    }
}

// ---- what each stack reads of its upstreams ------------------------------------------------

/** What a secondary reads of the primary stack (the origin secret, the global data's ids). */
export const SECONDARY_READS_OF_PRIMARY = [
    "originVerifySecret",
    "auroraGlobalClusterId",
    "globalDatastoreId",
    "kmsKeyArns",
    "cacheAuthToken",
    "assetsBucketName",
    "assetsBucketArn",
] as const satisfies readonly (keyof PrimaryStackOutputs)[];

/** What the global stack reads of every region stack (edge endpoints, GA rule, night mode). */
export const GLOBAL_READS_OF_REGION = [
    "albDnsName",
    "albZoneId",
    "albArn",
    "albArnSuffix",
    "healthCheckFqdn",
    "healthCheckPath",
    "healthAlarmArn",
    "vpcId",
    "edgeSecurityGroupId",
    "ecsClusterName",
    "ecsServiceName",
    "scalableTargetResourceId",
    "dayCapacity",
] as const satisfies readonly (keyof RegionStackOutputs)[];

/** Besides, of a global-data region's stack (the dashboard, S3 replication). */
export const GLOBAL_READS_OF_DATA_REGION = [
    "auroraClusterId",
    "cacheReplicationGroupId",
    "assetsBucketName",
    "assetsBucketArn",
    "globalDataKmsKeyArn",
] as const satisfies readonly (keyof RegionStackOutputs)[];

/** Besides, of the edge region's stack: where the edge's logs go. */
export const GLOBAL_READS_OF_EDGE_REGION = [
    "logArchive",
    "logLanding",
] as const satisfies readonly (keyof RegionStackOutputs)[];

/** Besides, of the primary stack (CloudFront's origin secret, the alarm topic). */
export const GLOBAL_READS_OF_PRIMARY = [
    "originVerifySecret",
    "alarmTopicArn",
] as const satisfies readonly (keyof PrimaryStackOutputs)[];

type SecondaryRead = (typeof SECONDARY_READS_OF_PRIMARY)[number];
type GlobalRead =
    | (typeof GLOBAL_READS_OF_REGION)[number]
    | (typeof GLOBAL_READS_OF_DATA_REGION)[number]
    | (typeof GLOBAL_READS_OF_EDGE_REGION)[number]
    | (typeof GLOBAL_READS_OF_PRIMARY)[number];

/**
 * The outputs `downstream` reads of `upstream` (both stacks of the topology): what `upstream`
 * must export before `downstream` can be previewed. Empty when it does not read that stack.
 */
export function requiredOutputs(
    topology: Topology,
    downstream: string,
    upstream: string,
): string[] {
    const up = topology.regions.find((r) => r.stack === upstream);
    if (!up || !upstreamOf(topology, downstream).includes(upstream)) return [];
    if (roleOf(topology, downstream) === "secondary") return [...SECONDARY_READS_OF_PRIMARY];
    return [
        ...new Set<string>([
            ...GLOBAL_READS_OF_REGION,
            ...(globalDataRegions(topology).includes(up.region) ? GLOBAL_READS_OF_DATA_REGION : []),
            ...(up.region === EDGE_REGION ? GLOBAL_READS_OF_EDGE_REGION : []),
            ...(up.primary ? GLOBAL_READS_OF_PRIMARY : []),
        ]),
    ];
}

/** The global stack's reader of one region stack: only what requiredOutputs lists for it. */
export type GlobalRegionReader = StackReader<PrimaryStackOutputs, GlobalRead>;

/** The global stack's reader of the region stack `stack` (primary-only names on the primary). */
export function globalRegionReader(
    topology: Topology,
    stack: string,
    source: OutputSource,
): GlobalRegionReader {
    const keys = requiredOutputs(topology, topology.globalStack, stack) as GlobalRead[];
    return new StackReader(source, keys, `the global stack reads of ${stack}`);
}

/** A secondary's reader of the primary stack. */
export const primaryReader = (source: OutputSource) =>
    new StackReader<PrimaryStackOutputs, SecondaryRead>(
        source,
        SECONDARY_READS_OF_PRIMARY,
        "a secondary reads of the primary stack",
    );

/**
 * The StackReference to a stack of the topology, named `ref-<stack>`. The SDK is loaded here, not
 * at the top: the command lines that read only this module's lists (`npm run deploy`) then start
 * without loading it.
 */
export function referenceStack(topology: Topology, stack: string): pulumi.StackReference {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { StackReference } = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    return new StackReference(`ref-${stack}`, { name: stackRefName(topology, stack) });
}

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
        const spec = topology.regions.find((r) => r.region === region)!;
        const stack = globalRegionReader(topology, spec.stack, source);
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
