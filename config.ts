/**
 * Stack configuration: one typed, validated value per stack.
 *
 * Everything here is a pure function of the raw config map (the same map `pulumi config` shows,
 * with object values already parsed), so it is unit-tested without mocks and reused by the
 * offline plan to validate every stack before any of them is planned. `loadStackConfig()` is the
 * only function that touches the Pulumi runtime.
 */
import * as pulumi from "@pulumi/pulumi";
import { ROLLOUT_KEYS, RolloutConfig, parseRollout } from "./delivery/rollout-config";
import { NIGHT_MODE_DEFAULTS, NightModeConfig } from "./ops/night-mode";
import { Targets, targetsIssues, validateTargets } from "./config/targets";
import { GDPR_COUNTRIES } from "./policies/gdpr";

/** Config namespace of this project (the project name in Pulumi.yaml). */
export const NS = "taskflow";

export type Role = "primary" | "secondary" | "global";
export const ROLES: readonly Role[] = ["primary", "secondary", "global"];

/**
 * DR strategy of a regional cell (seeds 002/003): `active` serves at full capacity,
 * `warm-standby` serves scaled down, `pilot-light` runs no tasks and keeps only the data tier.
 */
export type CellMode = "active" | "warm-standby" | "pilot-light";
export const CELL_MODES: readonly CellMode[] = ["active", "warm-standby", "pilot-light"];

/** Residency classification of data: `global` may live anywhere, a zone only in its regions. */
export const GLOBAL_CLASSIFICATION = "global";

/** The region the `global` stack's default provider must use (CloudFront, ACM, Lambda@Edge). */
export const EDGE_REGION = "us-east-1";
/** Global Accelerator's control-plane API is only served from us-west-2. */
export const GLOBAL_ACCELERATOR_API_REGION = "us-west-2";

/** Commercial AWS regions this program knows how to address. */
export const AWS_REGIONS: readonly string[] = [
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/** Route 53 geolocation continent codes. */
export const CONTINENTS: readonly string[] = ["AF", "AN", "AS", "EU", "OC", "NA", "SA"];

/** Fargate task sizes: CPU units → allowed memory (MiB) range and step. */
export const FARGATE_SIZES: Readonly<Record<number, { min: number; max: number; step: number }>> = {
    256: { min: 512, max: 2048, step: 512 },
    512: { min: 1024, max: 4096, step: 1024 },
    1024: { min: 2048, max: 8192, step: 1024 },
    2048: { min: 4096, max: 16384, step: 1024 },
    4096: { min: 8192, max: 30720, step: 1024 },
    8192: { min: 16384, max: 61440, step: 4096 },
    16384: { min: 32768, max: 122880, step: 8192 },
};

/** One region of the deployment, as written in `taskflow:topology.regions[]`. */
export interface RegionSpec {
    /** AWS region name, e.g. `eu-west-1`. */
    region: string;
    /** Stack that deploys this region. Default: the region name. */
    stack: string;
    /** Exactly one region is the primary (owns GlobalData). Default: false. */
    primary: boolean;
    /** Region that serves this region's users when it is unhealthy. Required. */
    failover: string;
    /** Residency zone of the users homed in this region (a key of `zones`). Required. */
    zone: string;
    /** VPC CIDR (/16–/20). Must not overlap any other region's. Required. */
    vpcCidr: string;
    /** Geolocation routing: ISO country codes and continent codes routed to this region. Default: none. */
    geolocation: { countries: string[]; continents: string[] };
    /** Whether replicas of `global` data (DynamoDB global tables, Aurora/ElastiCache members, assets) live here. Default: true. */
    globalData: boolean;
}

/** The deployment topology (`taskflow:topology`, project-level, overridable per stack). */
export interface Topology {
    /** Pulumi organization that owns the stacks (for StackReferences). Required. */
    org: string;
    /** Pulumi project name (for StackReferences). Default: `taskflow`. */
    project: string;
    /** Name of the edge stack. Default: `global`. */
    globalStack: string;
    /** Apex domain of the pre-existing public hosted zone. Required. */
    domain: string;
    /** Hosted zone id; when absent the zone is looked up by `domain`. */
    hostedZoneId?: string;
    /** Residency zones → regions where that zone's data may be stored. */
    zones: Record<string, string[]>;
    /**
     * The zone GDPR viewers (continent EU and the GDPR countries) belong to: the edge pins them to
     * its one region, never to whichever region's geolocation claims them. Default: `eu` when
     * `zones` has it; absent otherwise (a topology without a GDPR zone cannot deploy the edge).
     */
    gdprZone?: string;
    /** The regions, in any order; exactly one primary. */
    regions: RegionSpec[];
}

/** Capacity and sizing of a regional cell (stack-level keys). */
export interface CellConfig {
    mode: CellMode;
    /** Minimum ECS tasks in `active` mode. Default 2. */
    minTasks: number;
    /** Maximum ECS tasks (autoscaling ceiling) in `active` and `warm-standby`. Default 12. */
    maxTasks: number;
    /** Tasks kept running in `warm-standby`. Default 1. */
    standbyTasks: number;
    /** Fargate CPU units. Default 512. */
    taskCpu: number;
    /** Fargate memory (MiB). Default 1024. */
    taskMemory: number;
    /** Container image of the app. */
    image: string;
    /** Aurora instance class. Default db.r7g.large. */
    dbInstanceClass: string;
    /** ElastiCache node type. Default cache.r7g.large. */
    cacheNodeType: string;
}

/** Effective capacity of a cell in its mode. */
export interface CellCapacity {
    /** Autoscaling floor, also the initial desired count. */
    minTasks: number;
    /** Autoscaling ceiling. */
    maxTasks: number;
    /** NAT gateways: one per AZ when active, one otherwise. */
    natGateways: number;
    /** Aurora instances in this region's cluster (0 = headless secondary). */
    dbInstances: number;
    /** ElastiCache nodes per shard in this region (primary + replicas). */
    cacheNodes: number;
}

/** EU-only (or any zone-only) data stores built by the ResidencyBoundary. */
export interface BoundaryConfig {
    /** Residency zone whose user data this stack stores. */
    zone: string;
    /** Also create an Aurora cluster outside the global cluster. Default false. */
    aurora: boolean;
    /**
     * Regions that may hold replicas of the zone's data (e.g. a second `us` region). Each must be
     * one of the zone's allowed regions and not this stack's own region. Default: none.
     */
    replicaRegions: string[];
}

/** Edge settings (global stack). */
export interface EdgeConfig {
    /** Route 53 health-check request interval, 10 or 30 seconds. Default 10. */
    healthCheckIntervalSeconds: number;
    /** Consecutive failures before unhealthy, 1–10. Default 2. */
    healthCheckFailureThreshold: number;
}

/** The validated configuration of one stack. */
export interface StackConfig {
    stack: string;
    role: Role;
    /** The stack's `aws:region`. */
    awsRegion: string;
    environment: string;
    topology: Topology;
    /** RPO target in seconds; replication-lag alarm thresholds derive from it. Default 5. */
    rpoSeconds: number;
    /** Aurora PostgreSQL engine version. */
    auroraEngineVersion: string;
    /** The region this stack deploys (region stacks only). */
    regionSpec?: RegionSpec;
    /** Cell sizing (region stacks only). */
    cell?: CellConfig;
    /** Zone-resident data stores (region stacks that host a zone's data). */
    boundary?: BoundaryConfig;
    /** Edge settings (global stack). */
    edge: EdgeConfig;
    /** Raw `taskflow:deployments` object for the Pulumi Deployments settings (global stack). */
    deployments?: Record<string, unknown>;
    /** Night mode (`taskflow:nightMode`, project-level). Disabled by default. */
    nightMode: NightModeConfig;
    /**
     * Region whose Aurora member and cache group take writes (`taskflow:writerRegion`,
     * project-level). Default: the primary. Set after a switchover (docs/operations.md).
     */
    writerRegion: string;
    /**
     * How app changes reach the cells (`taskflow:rollout`, project-level): ECS deployment alarms
     * and bounds, canary region, bake (delivery/rollout-config.ts). Every field has a default.
     */
    rollout: RolloutConfig;
    /**
     * What the design must promise (`taskflow:targets`, project-level; config/targets.ts):
     * the resilience report's targets. Default: seed 000's.
     */
    targets: Targets;
}

/** Defaults of every optional key. Pulumi.yaml declares the same values (a test checks). */
export const DEFAULTS = {
    environment: "prod",
    rpoSeconds: 5,
    auroraEngineVersion: "16.6",
    appImage: "public.ecr.aws/docker/library/nginx:1.27",
    cellMode: "active" as CellMode,
    minTasks: 2,
    maxTasks: 12,
    standbyTasks: 1,
    taskCpu: 512,
    taskMemory: 1024,
    dbInstanceClass: "db.r7g.large",
    cacheNodeType: "cache.r7g.large",
    healthCheckIntervalSeconds: 10,
    healthCheckFailureThreshold: 2,
    project: "taskflow",
    globalStack: "global",
};

// ---------------------------------------------------------------------------------------------
// Known keys: a misspelled key is an error, never silently ignored
// ---------------------------------------------------------------------------------------------

/** Keys of `taskflow:topology`. */
export const TOPOLOGY_KEYS: readonly string[] = [
    "org",
    "project",
    "globalStack",
    "domain",
    "hostedZoneId",
    "zones",
    "gdprZone",
    "regions",
];
/** Keys of one `taskflow:topology.regions[]` entry. */
export const REGION_KEYS: readonly string[] = [
    "region",
    "stack",
    "primary",
    "failover",
    "zone",
    "vpcCidr",
    "geolocation",
    "globalData",
];
/** Keys of a region entry's `geolocation`. */
export const GEOLOCATION_KEYS: readonly string[] = ["countries", "continents"];
/** Keys of `taskflow:residencyBoundary`. */
export const BOUNDARY_KEYS: readonly string[] = ["zone", "aurora", "replicaRegions"];
/** Cell sizing keys (`taskflow:<key>`): region stacks only; the global stack has no cell. */
export const CELL_KEYS: readonly string[] = [
    "appImage",
    "cellMode",
    "minTasks",
    "maxTasks",
    "standbyTasks",
    "taskCpu",
    "taskMemory",
    "dbInstanceClass",
    "cacheNodeType",
];
/**
 * Every `taskflow:<key>` a stack may have: the keys of DEFAULTS — except `project` and
 * `globalStack`, the defaults of topology fields, which are not keys of their own — plus the
 * keys without a default.
 */
export const STACK_KEYS: readonly string[] = [
    "topology",
    "role",
    ...Object.keys(DEFAULTS).filter((k) => !TOPOLOGY_KEYS.includes(k)),
    "residencyBoundary",
    "deployments",
    "nightMode",
    "writerRegion",
    "rollout",
    "targets",
];

/** Keys of `taskflow:nightMode`. */
export const NIGHT_MODE_KEYS: readonly string[] = [
    "enabled",
    "timezone",
    "nightStart",
    "dayStart",
    "activeRegions",
    "nightTasks",
    "holdHours",
    "readinessTimeoutSeconds",
];

/** Keys every stack must read alike, so they may only be set in Pulumi.yaml. */
export const PROJECT_ONLY_KEYS: readonly string[] = [
    "nightMode",
    "writerRegion",
    "rollout",
    "targets",
];

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            cur[j] = Math.min(
                prev[j] + 1,
                cur[j - 1] + 1,
                prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
            );
        }
        prev = cur;
    }
    return prev[b.length];
}

/**
 * The known key an unknown one most likely meant: the same key in another case, else the
 * closest one 1 or 2 edits away; undefined when none is that close.
 */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
    const lower = key.toLowerCase();
    const sameCase = known.find((k) => k.toLowerCase() === lower);
    if (sameCase) return sameCase;
    let best: string | undefined;
    let bestDistance = 3;
    for (const k of known) {
        const d = editDistance(lower, k.toLowerCase());
        if (d < bestDistance) {
            best = k;
            bestDistance = d;
        }
    }
    return best;
}

/** One problem in the config: the key, the value found, and what is allowed. */
export interface ConfigIssue {
    key: string;
    value: unknown;
    allowed: string;
}

/** Thrown before any resource is registered when the config is invalid. */
export class ConfigError extends Error {
    /**
     * @param stack the stack whose config is wrong ("(all)" for config every stack shares).
     * @param scope what the heading names instead of `stack "<stack>"`, e.g. "the command line".
     */
    constructor(
        public readonly stack: string,
        public readonly issues: ConfigIssue[],
        scope?: string,
    ) {
        super(
            `invalid configuration for ${scope ?? `stack "${stack}"`}:\n` +
                issues
                    .map(
                        (i) =>
                            `  - ${i.key}: ${JSON.stringify(i.value)} is not allowed; ${i.allowed}`,
                    )
                    .join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** Raw config of one stack: `"<ns>:<key>"` → value (objects parsed, scalars as written). */
export type RawConfig = Record<string, unknown>;

class Collector {
    readonly issues: ConfigIssue[] = [];
    add(key: string, value: unknown, allowed: string): void {
        this.issues.push({ key, value, allowed });
    }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reports every key of `obj` that is not in `known` as {key, value, "not a known key; allowed:
 * ..."}, with a "did you mean" when a known key is close. The issue's key is `keyPrefix` + key;
 * the allowed keys are listed as `listPrefix` + key.
 */
function checkKeys(
    c: Collector,
    obj: Record<string, unknown>,
    known: readonly string[],
    keyPrefix: string,
    listPrefix = "",
): void {
    for (const [key, value] of Object.entries(obj)) {
        if (known.includes(key)) continue;
        const guess = didYouMean(key, known);
        c.add(
            `${keyPrefix}${key}`,
            value,
            `not a known key; allowed: ${known.map((k) => listPrefix + k).join(", ")}` +
                (guess ? `; did you mean ${listPrefix}${guess}?` : ""),
        );
    }
}

/** Parses a config scalar that may arrive as a string (Pulumi stores config as strings). */
function asInt(v: unknown): number | undefined {
    if (typeof v === "number") return Number.isInteger(v) ? v : NaN;
    if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return parseInt(v, 10);
    return v === undefined ? undefined : NaN;
}

function asBool(v: unknown): boolean | undefined {
    if (typeof v === "boolean") return v;
    if (v === "true") return true;
    if (v === "false") return false;
    return v === undefined ? undefined : (NaN as unknown as boolean);
}

function intIn(
    c: Collector,
    key: string,
    raw: unknown,
    dflt: number,
    min: number,
    max: number,
): number {
    const v = asInt(raw);
    if (v === undefined) return dflt;
    if (Number.isNaN(v) || v < min || v > max) {
        c.add(key, raw, `an integer from ${min} to ${max} is required`);
        return dflt;
    }
    return v;
}

function oneOf<T extends string>(
    c: Collector,
    key: string,
    raw: unknown,
    allowed: readonly T[],
    dflt?: T,
): T | undefined {
    if (raw === undefined && dflt !== undefined) return dflt;
    if (typeof raw !== "string" || !allowed.includes(raw as T)) {
        c.add(key, raw, `allowed: ${allowed.join(", ")}`);
        return undefined;
    }
    return raw as T;
}

// ---------------------------------------------------------------------------------------------
// CIDR arithmetic
// ---------------------------------------------------------------------------------------------

/** Parses `a.b.c.d/n` into [network, prefix]; undefined when malformed or not a network address. */
export function parseCidr(cidr: string): [number, number] | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const addr = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if ((addr & mask) >>> 0 !== addr) return undefined;
    return [addr, prefix];
}

/** True when two valid CIDR blocks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
    const pa = parseCidr(a);
    const pb = parseCidr(b);
    if (!pa || !pb) return false;
    const prefix = Math.min(pa[1], pb[1]);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return (pa[0] & mask) >>> 0 === (pb[0] & mask) >>> 0;
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const PULUMI_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

// ---------------------------------------------------------------------------------------------
// Topology
// ---------------------------------------------------------------------------------------------

/**
 * Validates `taskflow:topology` and fills its defaults. Throws ConfigError listing every problem.
 * @param stack used only to name the stack in the error message.
 * @param project the Pulumi project's name (Pulumi.yaml `name`); when given, `project` must
 * equal it, or StackReferences would name stacks of another project.
 */
export function validateTopology(raw: unknown, stack = "(any)", project?: string): Topology {
    const c = new Collector();
    const topology = checkTopology(c, raw, project);
    if (c.issues.length > 0 || !topology) throw new ConfigError(stack, c.issues);
    return topology;
}

/** The problems of a raw topology (empty when valid); `project` as in validateTopology. */
export function topologyIssues(raw: unknown, project?: string): ConfigIssue[] {
    const c = new Collector();
    checkTopology(c, raw, project);
    return c.issues;
}

function checkTopology(c: Collector, raw: unknown, expectedProject?: string): Topology | undefined {
    const K = `${NS}:topology`;
    if (!isObject(raw)) {
        c.add(K, raw, "an object with org, domain, zones and regions is required");
        return undefined;
    }
    checkKeys(c, raw, TOPOLOGY_KEYS, `${K}.`);
    const str = (k: string, required: boolean, dflt?: string): string | undefined => {
        const v = raw[k];
        if (v === undefined && !required) return dflt;
        if (typeof v !== "string" || v.trim() === "") {
            c.add(`${K}.${k}`, v, "a non-empty string is required");
            return undefined;
        }
        return v;
    };
    const org = str("org", true);
    if (org !== undefined && !PULUMI_NAME.test(org))
        c.add(`${K}.org`, org, "letters, digits, _ . - only");
    const project = str("project", false, DEFAULTS.project);
    if (project !== undefined && !PULUMI_NAME.test(project)) {
        c.add(`${K}.project`, project, "a Pulumi project name (letters, digits, _ . -)");
    } else if (
        project !== undefined &&
        expectedProject !== undefined &&
        project !== expectedProject
    ) {
        c.add(
            `${K}.project`,
            project,
            `the name of this Pulumi project, "${expectedProject}" (Pulumi.yaml name); StackReferences to ${project}/<stack> would name another project's stacks`,
        );
    }
    const globalStack = str("globalStack", false, DEFAULTS.globalStack);
    if (globalStack !== undefined && !PULUMI_NAME.test(globalStack))
        c.add(`${K}.globalStack`, globalStack, "a stack name (letters, digits, _ . -)");
    const domain = str("domain", true);
    if (domain !== undefined && !DNS_NAME.test(domain)) {
        c.add(
            `${K}.domain`,
            domain,
            "a lower-case DNS name such as taskflow.example.com is required",
        );
    }
    const hostedZoneId = raw.hostedZoneId;
    if (
        hostedZoneId !== undefined &&
        (typeof hostedZoneId !== "string" || !/^Z[A-Z0-9]{4,32}$/.test(hostedZoneId))
    ) {
        c.add(
            `${K}.hostedZoneId`,
            hostedZoneId,
            "a Route 53 zone id such as Z0123456789ABCDEFGHIJ, or omit it to look the zone up by domain",
        );
    }

    // Zones. A zone that fails to parse is remembered so that region entries homed in it are not
    // reported a second time for it.
    const zones: Record<string, string[]> = {};
    const badZones = new Set<string>();
    if (!isObject(raw.zones) || Object.keys(raw.zones).length === 0) {
        c.add(`${K}.zones`, raw.zones, "a map of zone name → list of allowed regions is required");
    } else {
        for (const [zone, regions] of Object.entries(raw.zones)) {
            if (zone === GLOBAL_CLASSIFICATION || !/^[a-z][a-z0-9-]{0,15}$/.test(zone)) {
                badZones.add(zone);
                c.add(
                    `${K}.zones`,
                    zone,
                    `zone names are lower-case identifiers other than "${GLOBAL_CLASSIFICATION}"`,
                );
                continue;
            }
            if (!Array.isArray(regions) || regions.length === 0) {
                badZones.add(zone);
                c.add(`${K}.zones.${zone}`, regions, "a non-empty list of AWS regions is required");
                continue;
            }
            regions.forEach((r, i) => {
                if (typeof r !== "string" || !AWS_REGIONS.includes(r)) {
                    c.add(
                        `${K}.zones.${zone}[${i}]`,
                        r,
                        `a known AWS region is required (${AWS_REGIONS.join(", ")})`,
                    );
                }
            });
            if (new Set(regions).size !== regions.length) {
                c.add(`${K}.zones.${zone}`, regions, "each region at most once");
            }
            zones[zone] = regions.filter((r): r is string => typeof r === "string");
        }
    }

    // Regions. An entry without a usable region is left out of the cross-entry rules, which
    // then skip what its absence would make them report wrongly (see checkRegionRules).
    const regions: RegionSpec[] = [];
    /** Index in `raw.regions` of each parsed entry (error keys name the entry as written). */
    const rawIndex: number[] = [];
    let dropped = 0;
    if (!Array.isArray(raw.regions) || raw.regions.length === 0) {
        c.add(`${K}.regions`, raw.regions, "a non-empty list of region entries is required");
        return undefined;
    }
    raw.regions.forEach((entry: unknown, i: number) => {
        const RK = `${K}.regions[${i}]`;
        if (!isObject(entry)) {
            c.add(RK, entry, "an object with region, failover, zone and vpcCidr is required");
            dropped++;
            return;
        }
        checkKeys(c, entry, REGION_KEYS, `${RK}.`);
        const region = entry.region;
        if (typeof region !== "string" || !AWS_REGIONS.includes(region)) {
            c.add(
                `${RK}.region`,
                region,
                `a known AWS region is required (${AWS_REGIONS.join(", ")})`,
            );
            dropped++;
            return;
        }
        const stackName = entry.stack ?? region;
        if (typeof stackName !== "string" || !PULUMI_NAME.test(stackName)) {
            c.add(`${RK}.stack`, entry.stack, "a stack name (letters, digits, _ . -) is required");
        }
        const primary = asBool(entry.primary) ?? false;
        if (typeof primary !== "boolean") c.add(`${RK}.primary`, entry.primary, "true or false");
        const failover = entry.failover;
        if (typeof failover !== "string")
            c.add(
                `${RK}.failover`,
                failover,
                "the region name of another region in the topology is required",
            );
        const zone = entry.zone;
        if (typeof zone !== "string")
            c.add(`${RK}.zone`, zone, `one of the zones: ${Object.keys(zones).join(", ")}`);
        const vpcCidr = entry.vpcCidr;
        const parsed = typeof vpcCidr === "string" ? parseCidr(vpcCidr) : undefined;
        if (!parsed || parsed[1] < 16 || parsed[1] > 20) {
            c.add(
                `${RK}.vpcCidr`,
                vpcCidr,
                "an IPv4 network CIDR with a prefix from /16 to /20 is required (e.g. 10.10.0.0/16)",
            );
        }
        const geoRaw = entry.geolocation ?? {};
        const countries: string[] = [];
        const continents: string[] = [];
        if (!isObject(geoRaw)) {
            c.add(`${RK}.geolocation`, geoRaw, "an object with countries and continents lists");
        } else {
            checkKeys(c, geoRaw, GEOLOCATION_KEYS, `${RK}.geolocation.`);
            const cs = geoRaw.countries ?? [];
            const ks = geoRaw.continents ?? [];
            if (!Array.isArray(cs))
                c.add(`${RK}.geolocation.countries`, cs, "a list of ISO 3166-1 alpha-2 codes");
            else
                cs.forEach((v, j) => {
                    if (typeof v !== "string" || !/^[A-Z]{2}$/.test(v))
                        c.add(
                            `${RK}.geolocation.countries[${j}]`,
                            v,
                            "an ISO 3166-1 alpha-2 code such as JP",
                        );
                    else countries.push(v);
                });
            if (!Array.isArray(ks))
                c.add(`${RK}.geolocation.continents`, ks, `a list of ${CONTINENTS.join(", ")}`);
            else
                ks.forEach((v, j) => {
                    if (typeof v !== "string" || !CONTINENTS.includes(v))
                        c.add(
                            `${RK}.geolocation.continents[${j}]`,
                            v,
                            `one of ${CONTINENTS.join(", ")}`,
                        );
                    else continents.push(v);
                });
        }
        const globalData = asBool(entry.globalData) ?? true;
        if (typeof globalData !== "boolean")
            c.add(`${RK}.globalData`, entry.globalData, "true or false");
        rawIndex.push(i);
        regions.push({
            region,
            stack: typeof stackName === "string" ? stackName : region,
            primary: primary === true,
            failover: typeof failover === "string" ? failover : "",
            zone: typeof zone === "string" ? zone : "",
            vpcCidr: typeof vpcCidr === "string" ? vpcCidr : "",
            geolocation: { countries, continents },
            globalData: globalData !== false,
        });
    });

    checkRegionRules(c, regions, rawIndex, zones, globalStack, dropped > 0, badZones);
    const gdprZone = raw.gdprZone ?? (Object.hasOwn(zones, "eu") ? "eu" : undefined);
    if (typeof gdprZone === "string" && badZones.has(gdprZone)) {
        // reported where the zone was parsed
    } else if (
        gdprZone !== undefined &&
        (typeof gdprZone !== "string" || !Object.hasOwn(zones, gdprZone))
    )
        c.add(`${K}.gdprZone`, gdprZone, `one of the zones: ${Object.keys(zones).join(", ")}`);
    else if (gdprZone !== undefined) checkGdprRouting(c, regions, rawIndex, zones, gdprZone);
    if (c.issues.length > 0) return undefined;
    return {
        org: org!,
        project: project!,
        globalStack: globalStack!,
        domain: domain!,
        ...(typeof hostedZoneId === "string" ? { hostedZoneId } : {}),
        zones,
        ...(gdprZone !== undefined ? { gdprZone: gdprZone as string } : {}),
        regions,
    };
}

/** The GDPR locations (continent EU, GDPR countries) a region's geolocation claims. */
export function gdprClaims(
    r: Pick<RegionSpec, "geolocation">,
    countries: readonly string[] = GDPR_COUNTRIES,
): string[] {
    const gdpr = new Set(countries);
    return [
        ...r.geolocation.continents.filter((c) => c === "EU").map((c) => `continent ${c}`),
        ...r.geolocation.countries.filter((c) => gdpr.has(c)).map((c) => `country ${c}`),
    ];
}

/**
 * GDPR viewers belong to `gdprZone`: a region whose geolocation claims a GDPR location must be one
 * of that zone's regions, or the geolocation would send the zone's viewers out of it. The pin comes
 * from the zone named in config, never from which region claims the EU.
 */
function checkGdprRouting(
    c: Collector,
    regions: RegionSpec[],
    rawIndex: number[],
    zones: Record<string, string[]>,
    gdprZone: string,
): void {
    const allowed = zones[gdprZone] ?? [];
    regions.forEach((r, i) => {
        const claims = gdprClaims(r);
        if (claims.length === 0 || allowed.includes(r.region)) return;
        c.add(
            `${NS}:topology.regions[${rawIndex[i]}].geolocation`,
            claims,
            `GDPR viewers belong to zone ${gdprZone} (taskflow:topology.gdprZone: ${allowed.join(", ")}); routing them to ${r.region} would send them out of their zone — route ${claims.join(", ")} to ${allowed.join(" or ")}`,
        );
    });
}

/**
 * Cross-entry rules: duplicates, one primary, failover partners, zones, CIDRs, routing.
 * `incomplete` says an entry failed to parse and is missing from `regions`: it may have been the
 * primary or some entry's failover partner, so "no primary" and "partner not in the topology"
 * are not reported then (the entry's own error is). Entries homed in a zone that failed to parse
 * (`badZones`) are not reported again for it.
 */
function checkRegionRules(
    c: Collector,
    regions: RegionSpec[],
    rawIndex: number[],
    zones: Record<string, string[]>,
    globalStack: string | undefined,
    incomplete: boolean,
    badZones: ReadonlySet<string>,
): void {
    const K = `${NS}:topology.regions`;
    const at = (i: number) => `${K}[${rawIndex[i]}]`;
    const names = regions.map((r) => r.region);
    const seen = new Set<string>();
    regions.forEach((r, i) => {
        if (seen.has(r.region)) c.add(`${at(i)}.region`, r.region, "each region may appear once");
        seen.add(r.region);
    });
    const stacks = new Set<string>();
    regions.forEach((r, i) => {
        if (stacks.has(r.stack) || r.stack === globalStack) {
            c.add(
                `${at(i)}.stack`,
                r.stack,
                "stack names must be unique and differ from globalStack",
            );
        }
        stacks.add(r.stack);
    });
    const primaries = regions.filter((r) => r.primary).map((r) => r.region);
    if (primaries.length > 1 || (primaries.length === 0 && !incomplete)) {
        c.add(`${K}[].primary`, primaries, "exactly one region must have primary: true");
    }
    regions.forEach((r, i) => {
        if (r.failover === "") {
            // reported where the entry was parsed
        } else if (r.failover === r.region) {
            c.add(`${at(i)}.failover`, r.failover, `a region other than ${r.region} itself`);
        } else if (!names.includes(r.failover) && !incomplete) {
            c.add(
                `${at(i)}.failover`,
                r.failover,
                `one of the topology's regions: ${names.join(", ")}`,
            );
        }
        if (r.zone === "" || badZones.has(r.zone)) return;
        const allowed = zones[r.zone];
        if (!allowed) {
            c.add(`${at(i)}.zone`, r.zone, `one of the zones: ${Object.keys(zones).join(", ")}`);
        } else if (!allowed.includes(r.region)) {
            c.add(
                `${at(i)}.zone`,
                r.zone,
                `zone ${r.zone} allows only ${allowed.join(", ")}, not ${r.region}`,
            );
        }
    });
    for (let i = 0; i < regions.length; i++) {
        for (let j = i + 1; j < regions.length; j++) {
            if (cidrsOverlap(regions[i].vpcCidr, regions[j].vpcCidr)) {
                c.add(
                    `${at(j)}.vpcCidr`,
                    regions[j].vpcCidr,
                    `a block that does not overlap ${regions[i].region}'s ${regions[i].vpcCidr}`,
                );
            }
        }
    }
    const claimed = new Map<string, string>();
    regions.forEach((r, i) => {
        for (const code of [...r.geolocation.countries, ...r.geolocation.continents]) {
            const owner = claimed.get(code);
            if (owner && owner !== r.region) {
                c.add(
                    `${at(i)}.geolocation`,
                    code,
                    `each location routes to one region; ${code} already routes to ${owner}`,
                );
            }
            claimed.set(code, r.region);
        }
    });
    const primary = regions.find((r) => r.primary);
    if (primary && !primary.globalData) {
        c.add(
            `${at(regions.indexOf(primary))}.globalData`,
            false,
            "the primary region owns the global data and must have globalData: true",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Stack
// ---------------------------------------------------------------------------------------------

/** The role a stack must have in a topology, or undefined when the stack is not in it. */
export function roleOf(topology: Topology, stack: string): Role | undefined {
    if (stack === topology.globalStack) return "global";
    const r = topology.regions.find((x) => x.stack === stack);
    if (!r) return undefined;
    return r.primary ? "primary" : "secondary";
}

/** Every stack of the topology, in deployment order: primary, secondaries, global. */
export function stacksInOrder(topology: Topology): string[] {
    const primary = topology.regions.filter((r) => r.primary).map((r) => r.stack);
    const secondaries = topology.regions.filter((r) => !r.primary).map((r) => r.stack);
    return [...primary, ...secondaries, topology.globalStack];
}

/** Fully-qualified name of a stack for `new pulumi.StackReference(...)`. */
export function stackRefName(topology: Topology, stack: string): string {
    return `${topology.org}/${topology.project}/${stack}`;
}

/** The primary region's entry. */
export function primaryRegion(topology: Topology): RegionSpec {
    return topology.regions.find((r) => r.primary)!;
}

/** Regions that hold replicas of `global` data, primary first. */
export function globalDataRegions(topology: Topology): string[] {
    const p = primaryRegion(topology);
    return [
        p.region,
        ...topology.regions.filter((r) => !r.primary && r.globalData).map((r) => r.region),
    ];
}

/**
 * Effective capacity of a cell in its mode. The mode changes capacity only: task counts, NAT
 * gateways, database and cache instance counts.
 */
export function capacityFor(cell: CellConfig, role: "primary" | "secondary"): CellCapacity {
    switch (cell.mode) {
        case "active":
            return {
                minTasks: cell.minTasks,
                maxTasks: cell.maxTasks,
                natGateways: 3,
                dbInstances: 2,
                cacheNodes: 2,
            };
        case "warm-standby":
            return {
                minTasks: cell.standbyTasks,
                maxTasks: cell.maxTasks,
                natGateways: 1,
                dbInstances: 1,
                cacheNodes: 1,
            };
        case "pilot-light":
            // The primary always keeps a writer; a secondary Aurora member may be headless.
            return {
                minTasks: 0,
                maxTasks: 0,
                natGateways: 1,
                dbInstances: role === "primary" ? 1 : 0,
                cacheNodes: 1,
            };
    }
}

/** What validateStackConfig knows beyond the merged config map. */
export interface ValidateOptions {
    /**
     * The Pulumi project's name (Pulumi.yaml `name`, or `pulumi.getProject()`): `topology.project`
     * must equal it. Not checked when absent.
     */
    project?: string;
    /**
     * The `taskflow:*` keys the stack's own Pulumi.<stack>.yaml sets, as opposed to project-level
     * values from Pulumi.yaml. The merged map cannot tell them apart, so without this list a cell
     * key on the global stack is refused only when its value differs from the project default.
     */
    stackKeys?: readonly string[];
    /**
     * The topology, already validated (validateAll validates it once for every stack and reports
     * its problems once). When absent, `taskflow:topology` is validated here.
     */
    topology?: Topology;
}

/**
 * The problems of a stack's `taskflow:*` keys that do not depend on the topology: unknown
 * (misspelled) keys, with a "did you mean" when a known key is close.
 */
export function stackKeyIssues(raw: RawConfig): ConfigIssue[] {
    const c = new Collector();
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (key.startsWith(`${NS}:`)) own[key.slice(NS.length + 1)] = value;
    }
    checkKeys(c, own, STACK_KEYS, `${NS}:`, `${NS}:`);
    return c.issues;
}

/**
 * Validates one stack's raw config (project config merged with the stack's own) and returns the
 * typed value. Throws ConfigError naming every bad key, its value and what is allowed.
 */
export function validateStackConfig(
    stack: string,
    raw: RawConfig,
    options: ValidateOptions = {},
): StackConfig {
    const c = new Collector();
    const k = (key: string) => `${NS}:${key}`;
    const topology = options.topology ?? checkTopology(c, raw[k("topology")], options.project);
    c.issues.push(...stackKeyIssues(raw));
    if (!topology) throw new ConfigError(stack, c.issues);

    const role = roleOf(topology, stack);
    if (!role) {
        const known = stacksInOrder(topology);
        throw new ConfigError(stack, [
            {
                key: "stack",
                value: stack,
                allowed: `one of the topology's stacks: ${known.join(", ")}`,
            },
        ]);
    }
    const declaredRole = raw[k("role")];
    if (declaredRole !== undefined && declaredRole !== role) {
        c.add(k("role"), declaredRole, `the topology makes stack ${stack} "${role}"`);
    } else if (declaredRole === undefined) {
        c.add(
            k("role"),
            declaredRole,
            `set it to "${role}" (the topology's role for stack ${stack})`,
        );
    }

    const awsRegion = raw["aws:region"];
    const regionSpec = topology.regions.find((r) => r.stack === stack);
    const expectedRegion = regionSpec ? regionSpec.region : EDGE_REGION;
    if (awsRegion !== expectedRegion) {
        c.add(
            "aws:region",
            awsRegion,
            regionSpec
                ? `the topology places stack ${stack} in ${expectedRegion}`
                : `the ${role} stack must run in ${EDGE_REGION} (CloudFront certificates and Lambda@Edge live there)`,
        );
    }

    const environment = raw[k("environment")] ?? DEFAULTS.environment;
    if (typeof environment !== "string" || !/^[a-z][a-z0-9-]{0,15}$/.test(environment)) {
        c.add(k("environment"), environment, "a short lower-case name such as prod");
    }
    const rpoSeconds = intIn(c, k("rpoSeconds"), raw[k("rpoSeconds")], DEFAULTS.rpoSeconds, 1, 300);
    const auroraEngineVersion = raw[k("auroraEngineVersion")] ?? DEFAULTS.auroraEngineVersion;
    if (typeof auroraEngineVersion !== "string" || !/^1[3-7]\.\d+$/.test(auroraEngineVersion)) {
        c.add(
            k("auroraEngineVersion"),
            auroraEngineVersion,
            "an Aurora PostgreSQL version with global database support, 13.x to 17.x",
        );
    }

    const edge: EdgeConfig = {
        healthCheckIntervalSeconds: DEFAULTS.healthCheckIntervalSeconds,
        healthCheckFailureThreshold: intIn(
            c,
            k("healthCheckFailureThreshold"),
            raw[k("healthCheckFailureThreshold")],
            DEFAULTS.healthCheckFailureThreshold,
            1,
            10,
        ),
    };
    const interval = asInt(raw[k("healthCheckIntervalSeconds")]);
    if (interval !== undefined) {
        if (interval !== 10 && interval !== 30) {
            c.add(
                k("healthCheckIntervalSeconds"),
                raw[k("healthCheckIntervalSeconds")],
                "10 or 30 (Route 53 request intervals)",
            );
        } else edge.healthCheckIntervalSeconds = interval;
    }

    let cell: CellConfig | undefined;
    let boundary: BoundaryConfig | undefined;
    if (regionSpec) {
        cell = checkCell(c, raw);
        boundary = checkBoundary(c, raw[k("residencyBoundary")], topology, regionSpec);
    } else {
        if (raw[k("residencyBoundary")] !== undefined) {
            c.add(
                k("residencyBoundary"),
                raw[k("residencyBoundary")],
                `not allowed on the ${role} stack (it stores no data)`,
            );
        }
        // Cell keys have project-level defaults in Pulumi.yaml, which every stack inherits; only a
        // value the global stack sets itself is refused (see ValidateOptions.stackKeys).
        for (const key of CELL_KEYS) {
            const value = raw[k(key)];
            const own = options.stackKeys
                ? options.stackKeys.includes(k(key))
                : value !== undefined &&
                  String(value) !== String((DEFAULTS as Record<string, unknown>)[key]);
            if (own) {
                c.add(
                    k(key),
                    value,
                    `not allowed in the ${role} stack's own config: it has no regional cell (set cell sizes in Pulumi.<region>.yaml, defaults in Pulumi.yaml)`,
                );
            }
        }
    }

    const deployments = raw[k("deployments")];
    if (deployments !== undefined && role !== "global") {
        c.add(
            k("deployments"),
            deployments,
            "only the global stack manages Pulumi Deployments settings",
        );
    } else if (deployments !== undefined) {
        // Validated here, with the rest of the config, so that a bad value stops the offline plan
        // before any stack is planned (regions/global.ts reads the same value again).
        c.issues.push(...deploymentsIssues(deployments));
    }

    c.issues.push(...targetsIssues(raw[k("targets")]));
    const targets = validateTargets(raw[k("targets")]);
    const nightMode = checkNightMode(c, raw[k("nightMode")], topology);
    const writerRegion = checkWriterRegion(c, raw[k("writerRegion")], topology);
    if (nightMode.enabled && !nightMode.activeRegions.includes(writerRegion)) {
        c.add(
            `${NS}:nightMode.activeRegions`,
            nightMode.activeRegions,
            `a list including the writer region ${writerRegion} (taskflow:writerRegion): night mode must not drain the region that takes the writes`,
        );
    }
    const rollout = checkRollout(c, raw[k("rollout")], topology, regionSpec, cell);
    for (const key of PROJECT_ONLY_KEYS) {
        if (options.stackKeys?.includes(k(key))) {
            c.add(
                k(key),
                raw[k(key)],
                "only in Pulumi.yaml: every stack must read the same value (the region stacks and the global stack act on it together)",
            );
        }
    }

    if (c.issues.length > 0) throw new ConfigError(stack, c.issues);
    return {
        stack,
        role,
        awsRegion: awsRegion as string,
        environment: environment as string,
        topology,
        rpoSeconds,
        auroraEngineVersion: auroraEngineVersion as string,
        ...(regionSpec ? { regionSpec } : {}),
        ...(cell ? { cell } : {}),
        ...(boundary ? { boundary } : {}),
        edge,
        ...(isObject(deployments) ? { deployments } : {}),
        nightMode,
        writerRegion,
        rollout,
        targets,
    };
}

/**
 * `taskflow:rollout` (issue 16), parsed by delivery/rollout-config.ts. A region stack in
 * pilot-light runs no task, so it cannot be the canary: nothing would answer while it bakes.
 */
function checkRollout(
    c: Collector,
    raw: unknown,
    topology: Topology,
    regionSpec: RegionSpec | undefined,
    cell: CellConfig | undefined,
): RolloutConfig {
    const parsed = parseRollout(raw, topology);
    checkKeys(c, parsed.unknownKeys, ROLLOUT_KEYS, `${NS}:rollout.`);
    c.issues.push(...parsed.issues);
    const canary = parsed.value.canaryRegion;
    if (regionSpec && canary === regionSpec.region && cell?.mode === "pilot-light") {
        c.add(
            `${NS}:rollout.canaryRegion`,
            canary,
            `a region whose cell serves: ${canary} is pilot-light in this stack (no tasks answer while it bakes)`,
        );
    }
    return parsed.value;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Whether the runtime knows an IANA time zone (EventBridge Scheduler takes the same names). */
function knownTimeZone(tz: string): boolean {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz);
    } catch {
        return false;
    }
}

/**
 * Validates `taskflow:nightMode` (seed 000's night-time active-passive switch). Absent means
 * disabled. The regions active at night must include the primary: the controller runs there, and
 * so do the Aurora writer and the cache primary.
 */
function checkNightMode(c: Collector, raw: unknown, topology: Topology): NightModeConfig {
    const K = `${NS}:nightMode`;
    const primary = primaryRegion(topology).region;
    const value: NightModeConfig = { ...NIGHT_MODE_DEFAULTS, activeRegions: [primary] };
    if (raw === undefined) return value;
    if (!isObject(raw)) {
        c.add(K, raw, `an object with the keys ${NIGHT_MODE_KEYS.join(", ")}`);
        return value;
    }
    checkKeys(c, raw, NIGHT_MODE_KEYS, `${K}.`);
    const enabled = asBool(raw.enabled) ?? NIGHT_MODE_DEFAULTS.enabled;
    if (typeof enabled !== "boolean") c.add(`${K}.enabled`, raw.enabled, "true or false");
    else value.enabled = enabled;
    if (raw.timezone !== undefined) {
        if (typeof raw.timezone !== "string" || !knownTimeZone(raw.timezone)) {
            c.add(`${K}.timezone`, raw.timezone, "an IANA time zone such as Asia/Tokyo");
        } else value.timezone = raw.timezone;
    }
    for (const key of ["nightStart", "dayStart"] as const) {
        const v = raw[key];
        if (v === undefined) continue;
        if (typeof v !== "string" || !HHMM.test(v)) {
            c.add(`${K}.${key}`, v, "a local time HH:MM such as 22:00");
        } else value[key] = v;
    }
    if (value.nightStart === value.dayStart) {
        c.add(
            `${K}.dayStart`,
            value.dayStart,
            `a time other than nightStart (${value.nightStart})`,
        );
    }
    if (raw.activeRegions !== undefined) {
        const known = topology.regions.map((r) => r.region);
        const list = raw.activeRegions;
        if (!Array.isArray(list) || list.length === 0) {
            c.add(
                `${K}.activeRegions`,
                list,
                `a non-empty list of the topology's regions (${known.join(", ")})`,
            );
        } else {
            list.forEach((r, i) => {
                if (typeof r !== "string" || !known.includes(r)) {
                    c.add(
                        `${K}.activeRegions[${i}]`,
                        r,
                        `one of the topology's regions: ${known.join(", ")}`,
                    );
                }
            });
            if (new Set(list).size !== list.length) {
                c.add(`${K}.activeRegions`, list, "each region at most once");
            }
            if (!list.includes(primary)) {
                c.add(
                    `${K}.activeRegions`,
                    list,
                    `a list including the primary ${primary} (the controller, the Aurora writer and the cache primary run there)`,
                );
            }
            value.activeRegions = list.filter((r): r is string => typeof r === "string");
        }
    }
    value.nightTasks = intIn(
        c,
        `${K}.nightTasks`,
        raw.nightTasks,
        NIGHT_MODE_DEFAULTS.nightTasks,
        1,
        100,
    );
    value.holdHours = intIn(
        c,
        `${K}.holdHours`,
        raw.holdHours,
        NIGHT_MODE_DEFAULTS.holdHours,
        1,
        168,
    );
    // The controller's Lambda timeout is this plus a minute, and Lambda allows 900 s.
    value.readinessTimeoutSeconds = intIn(
        c,
        `${K}.readinessTimeoutSeconds`,
        raw.readinessTimeoutSeconds,
        NIGHT_MODE_DEFAULTS.readinessTimeoutSeconds,
        30,
        840,
    );
    return value;
}

/** Validates `taskflow:writerRegion`: a global-data region; default the primary. */
function checkWriterRegion(c: Collector, raw: unknown, topology: Topology): string {
    const regions = globalDataRegions(topology);
    if (raw === undefined) return regions[0];
    if (typeof raw !== "string" || !regions.includes(raw)) {
        c.add(
            `${NS}:writerRegion`,
            raw,
            `a region holding global data (${regions.join(", ")}): the Aurora writer and the cache primary can only be there`,
        );
        return regions[0];
    }
    return raw;
}

/** Validates `taskflow:residencyBoundary` of a region stack; undefined when absent or invalid. */
function checkBoundary(
    c: Collector,
    b: unknown,
    topology: Topology,
    regionSpec: RegionSpec,
): BoundaryConfig | undefined {
    const K = `${NS}:residencyBoundary`;
    if (b === undefined) return undefined;
    if (!isObject(b) || typeof b.zone !== "string") {
        c.add(K, b, "an object { zone: <zone>, aurora: <bool>, replicaRegions: [<region>...] }");
        return undefined;
    }
    checkKeys(c, b, BOUNDARY_KEYS, `${K}.`);
    const allowed = topology.zones[b.zone];
    if (!allowed) {
        c.add(`${K}.zone`, b.zone, `one of the zones: ${Object.keys(topology.zones).join(", ")}`);
        return undefined;
    }
    if (!allowed.includes(regionSpec.region)) {
        c.add(
            `${K}.zone`,
            b.zone,
            `zone ${b.zone} data may only be stored in ${allowed.join(", ")}, not ${regionSpec.region}`,
        );
        return undefined;
    }
    const aurora = asBool(b.aurora) ?? false;
    if (typeof aurora !== "boolean") c.add(`${K}.aurora`, b.aurora, "true or false");
    const replicaRegions: string[] = [];
    const rr = b.replicaRegions ?? [];
    if (!Array.isArray(rr)) {
        c.add(`${K}.replicaRegions`, rr, `a list of the zone's other regions`);
    } else {
        rr.forEach((r: unknown, i: number) => {
            const at = `${K}.replicaRegions[${i}]`;
            if (typeof r !== "string" || !AWS_REGIONS.includes(r)) {
                c.add(at, r, `a known AWS region is required (${AWS_REGIONS.join(", ")})`);
            } else if (!allowed.includes(r)) {
                c.add(at, r, `zone ${b.zone} data may only be stored in ${allowed.join(", ")}`);
            } else if (r === regionSpec.region) {
                c.add(at, r, `a region other than this stack's own (${regionSpec.region})`);
            } else if (replicaRegions.includes(r)) {
                c.add(at, r, "each region at most once");
            } else {
                replicaRegions.push(r);
            }
        });
    }
    return { zone: b.zone, aurora: aurora === true, replicaRegions };
}

function checkCell(c: Collector, raw: RawConfig): CellConfig | undefined {
    const k = (key: string) => `${NS}:${key}`;
    const mode = oneOf(c, k("cellMode"), raw[k("cellMode")], CELL_MODES, DEFAULTS.cellMode);
    const minTasks = intIn(c, k("minTasks"), raw[k("minTasks")], DEFAULTS.minTasks, 1, 100);
    const maxTasks = intIn(c, k("maxTasks"), raw[k("maxTasks")], DEFAULTS.maxTasks, 1, 500);
    const standbyTasks = intIn(
        c,
        k("standbyTasks"),
        raw[k("standbyTasks")],
        DEFAULTS.standbyTasks,
        1,
        100,
    );
    if (maxTasks < minTasks)
        c.add(k("maxTasks"), raw[k("maxTasks")] ?? maxTasks, `at least minTasks (${minTasks})`);
    if (standbyTasks > maxTasks)
        c.add(
            k("standbyTasks"),
            raw[k("standbyTasks")] ?? standbyTasks,
            `at most maxTasks (${maxTasks})`,
        );
    const cpuRaw = raw[k("taskCpu")];
    const taskCpu = asInt(cpuRaw) ?? DEFAULTS.taskCpu;
    const size = FARGATE_SIZES[taskCpu];
    if (!size)
        c.add(
            k("taskCpu"),
            cpuRaw,
            `one of the Fargate CPU sizes ${Object.keys(FARGATE_SIZES).join(", ")}`,
        );
    const memRaw = raw[k("taskMemory")];
    const taskMemory = asInt(memRaw) ?? DEFAULTS.taskMemory;
    if (
        size &&
        (Number.isNaN(taskMemory) ||
            taskMemory < size.min ||
            taskMemory > size.max ||
            taskMemory % size.step !== 0)
    ) {
        c.add(
            k("taskMemory"),
            memRaw ?? taskMemory,
            `for taskCpu ${taskCpu}: ${size.min}–${size.max} MiB in steps of ${size.step}`,
        );
    }
    const image = raw[k("appImage")] ?? DEFAULTS.appImage;
    if (typeof image !== "string" || !/^[a-z0-9][a-z0-9._\-/:@]+$/i.test(image)) {
        c.add(
            k("appImage"),
            image,
            "a container image reference such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/taskflow:1.2.3",
        );
    }
    const dbInstanceClass = raw[k("dbInstanceClass")] ?? DEFAULTS.dbInstanceClass;
    if (
        typeof dbInstanceClass !== "string" ||
        !/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(dbInstanceClass)
    ) {
        c.add(k("dbInstanceClass"), dbInstanceClass, "an RDS instance class such as db.r7g.large");
    }
    const cacheNodeType = raw[k("cacheNodeType")] ?? DEFAULTS.cacheNodeType;
    if (typeof cacheNodeType !== "string" || !/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(cacheNodeType)) {
        c.add(
            k("cacheNodeType"),
            cacheNodeType,
            "an ElastiCache node type such as cache.r7g.large",
        );
    }
    if (!mode) return undefined;
    return {
        mode,
        minTasks,
        maxTasks,
        standbyTasks,
        taskCpu,
        taskMemory,
        image: image as string,
        dbInstanceClass: dbInstanceClass as string,
        cacheNodeType: cacheNodeType as string,
    };
}

// ---------------------------------------------------------------------------------------------
// Pulumi Deployments (`taskflow:deployments`, global stack only)
// ---------------------------------------------------------------------------------------------
// It lives here, not in delivery/deployments.ts (which re-exports it), because validateStackConfig
// must run it before anything is planned and that module needs ConfigError from this one: calling
// back into it would be an import cycle.

/** The validated `taskflow:deployments` object. */
export interface DeploymentsConfig {
    /** Create the Deployments settings and schedules. Default false. */
    enabled: boolean;
    /** GitHub repository `owner/name` the deployments check out. Required when enabled. */
    repo: string;
    /** Branch deployments run from. Default `main`. */
    branch: string;
    /** Cron (UTC, 5 fields) of the scheduled `pulumi refresh` of every stack. Default every 6 h. */
    refreshCron: string;
    /** Cron (UTC, 5 fields) of drift detection on every stack. Default daily 02:30. */
    driftCron: string;
    /** IAM role Pulumi Deployments assumes through OIDC. Required when enabled. */
    awsRoleArn: string;
    /**
     * Let drift detection remediate (run `up`) on the global stack. Default false. Region stacks
     * hold data and never auto-remediate: a drift there is for a human to read.
     */
    autoRemediateGlobal: boolean;
    /**
     * Pulumi Deployments previews pull requests through the GitHub app. Default false: GitHub
     * Actions already previews every PR with the policy pack attached, and a Deployments preview
     * (which runs without the local pack) would preview each PR a second time.
     */
    prPreviews: boolean;
}

export const DEPLOYMENTS_DEFAULTS = {
    enabled: false,
    branch: "main",
    refreshCron: "0 */6 * * *",
    driftCron: "30 2 * * *",
    autoRemediateGlobal: false,
    prPreviews: false,
};

const DEPLOYMENTS_KEYS = [
    "enabled",
    "repo",
    "branch",
    "refreshCron",
    "driftCron",
    "awsRoleArn",
    "autoRemediateGlobal",
    "prPreviews",
] as const;

const GITHUB_REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
// git check-ref-format, simplified: no spaces, no "..", no leading "-" or "/", no trailing "/" or ".lock".
const BRANCH = /^(?!-|\/)(?!.*\.\.)(?!.*\/$)(?!.*\.lock$)[A-Za-z0-9._/-]{1,200}$/;

/** Field ranges of a 5-field cron: minute, hour, day of month, month, day of week. */
const CRON_FIELDS: readonly { name: string; min: number; max: number }[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12 },
    { name: "day of week", min: 0, max: 6 },
];

/**
 * Checks a 5-field cron expression (numbers, `*`, ranges `a-b`, steps `/n`, lists `a,b`).
 * Returns undefined when valid, else what is wrong.
 */
export function cronProblem(expr: string): string | undefined {
    const fields = expr.trim().split(/\s+/);
    if (fields.length !== 5)
        return `5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
    for (let i = 0; i < 5; i++) {
        const { name, min, max } = CRON_FIELDS[i];
        for (const part of fields[i].split(",")) {
            const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
            if (!m)
                return `the ${name} field "${fields[i]}" is not a number, *, range a-b, step /n or list`;
            const nums = [m[2], m[3]].filter((x) => x !== undefined).map(Number);
            if (nums.some((n) => n < min || n > max))
                return `the ${name} field "${fields[i]}" must stay within ${min}-${max}`;
            if (nums.length === 2 && nums[0] > nums[1])
                return `the ${name} range "${part}" runs backwards`;
            if (m[4] !== undefined && Number(m[4]) === 0)
                return `the ${name} step "${part}" must be at least 1`;
        }
    }
    return undefined;
}

/**
 * Validates the raw `taskflow:deployments` value (undefined when the key is absent) and fills its
 * defaults. Throws ConfigError naming every bad key, its value and what is allowed. When
 * `enabled` is false, `repo` and `awsRoleArn` may be absent (they come back as "").
 */
export function validateDeployments(
    raw: unknown,
    topology: Topology,
    stack = topology.globalStack,
): DeploymentsConfig {
    const { value, issues } = checkDeployments(raw);
    if (issues.length > 0) throw new ConfigError(stack, issues);
    return value;
}

/** The problems of a raw `taskflow:deployments` value (empty when valid). */
export function deploymentsIssues(raw: unknown): ConfigIssue[] {
    return checkDeployments(raw).issues;
}

function checkDeployments(raw: unknown): { value: DeploymentsConfig; issues: ConfigIssue[] } {
    const K = `${NS}:deployments`;
    const disabled = { ...DEPLOYMENTS_DEFAULTS, repo: "", awsRoleArn: "" };
    if (raw === undefined) return { value: disabled, issues: [] };
    const issues: ConfigIssue[] = [];
    const add = (key: string, value: unknown, allowed: string) =>
        issues.push({ key: key ? `${K}.${key}` : K, value, allowed });
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        add("", raw, `an object with the keys ${DEPLOYMENTS_KEYS.join(", ")}`);
        return { value: disabled, issues };
    }
    const o = raw as Record<string, unknown>;
    for (const key of Object.keys(o)) {
        if (!(DEPLOYMENTS_KEYS as readonly string[]).includes(key)) {
            const guess = didYouMean(key, DEPLOYMENTS_KEYS);
            add(
                key,
                o[key],
                `not a known key; allowed: ${DEPLOYMENTS_KEYS.join(", ")}` +
                    (guess ? `; did you mean ${guess}?` : ""),
            );
        }
    }
    const bool = (key: "enabled" | "autoRemediateGlobal" | "prPreviews"): boolean => {
        if (o[key] === undefined) return DEPLOYMENTS_DEFAULTS[key];
        const b = asBool(o[key]);
        if (typeof b !== "boolean") add(key, o[key], "true or false");
        return typeof b === "boolean" ? b : DEPLOYMENTS_DEFAULTS[key];
    };
    const enabled = bool("enabled");
    const autoRemediateGlobal = bool("autoRemediateGlobal");
    const prPreviews = bool("prPreviews");

    const required = (key: "repo" | "awsRoleArn", pattern: RegExp, allowed: string): string => {
        const v = o[key];
        if (v === undefined) {
            if (enabled) add(key, v, `required when enabled: ${allowed}`);
            return "";
        }
        if (typeof v !== "string" || !pattern.test(v)) {
            add(key, v, allowed);
            return "";
        }
        return v;
    };
    const repo = required(
        "repo",
        GITHUB_REPO,
        'a GitHub repository "owner/name", e.g. acme/taskflow-infra',
    );
    const awsRoleArn = required(
        "awsRoleArn",
        ROLE_ARN,
        "an IAM role ARN arn:aws:iam::<12-digit account>:role/<name> trusted for Pulumi's OIDC issuer",
    );

    const branch = o.branch ?? DEPLOYMENTS_DEFAULTS.branch;
    if (typeof branch !== "string" || !BRANCH.test(branch) || branch.startsWith("refs/")) {
        add("branch", o.branch, "a branch name such as main (without refs/heads/)");
    }
    const cron = (key: "refreshCron" | "driftCron"): string => {
        const v = o[key] ?? DEPLOYMENTS_DEFAULTS[key];
        const problem = typeof v === "string" ? cronProblem(v) : "a string";
        if (problem)
            add(
                key,
                o[key],
                `a 5-field cron expression in UTC such as "${DEPLOYMENTS_DEFAULTS[key]}": ${problem}`,
            );
        return typeof v === "string" ? v.trim() : DEPLOYMENTS_DEFAULTS[key];
    };
    const refreshCron = cron("refreshCron");
    const driftCron = cron("driftCron");
    if (issues.length === 0 && enabled && refreshCron === driftCron) {
        add(
            "driftCron",
            driftCron,
            "a different schedule than refreshCron (both would queue on every stack at once)",
        );
    }
    return {
        value: {
            enabled,
            repo,
            branch: typeof branch === "string" ? branch : DEPLOYMENTS_DEFAULTS.branch,
            refreshCron,
            driftCron,
            awsRoleArn,
            autoRemediateGlobal,
            prPreviews,
        },
        issues,
    };
}

/**
 * Reads this stack's config from the Pulumi runtime and validates it. Called by `index.ts`
 * before any resource is registered.
 *
 * Why `pulumi.runtime.allConfig()` and not `new pulumi.Config().require*()` per key: validation
 * is one pure function of the whole raw map (unit-tested, and run by the offline plan over every
 * stack before any is planned), and it must see every key the stack sets — including the ones no
 * code asks for — to refuse misspelled keys; `require` only answers for keys it is asked about.
 * No `taskflow:*` key holds a secret (the database credentials are generated by the program and
 * kept in Secrets Manager), so nothing is read here that `requireSecret` should have read. Should
 * one be set as a secret anyway (`pulumi config set --secret`), its value is masked in the error
 * message rather than printed in clear.
 */
export function loadStackConfig(): StackConfig {
    const raw: RawConfig = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!key.startsWith(`${NS}:`) && key !== "aws:region") continue;
        raw[key] = parseConfigValue(value);
    }
    try {
        return validateStackConfig(pulumi.getStack(), raw, { project: pulumi.getProject() });
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        // isConfigSecret is exported by the runtime but missing from its typings.
        const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
        const secret = (key: string) =>
            Object.keys(raw).some(
                (k) =>
                    runtime.isConfigSecret?.(k) === true && (key === k || key.startsWith(`${k}.`)),
            );
        throw new ConfigError(
            e.stack,
            e.issues.map((i) => (secret(i.key) ? { ...i, value: "[secret]" } : i)),
        );
    }
}

/** Pulumi hands object config over as JSON text; scalars stay strings and are parsed by the checks. */
export function parseConfigValue(value: string): unknown {
    const t = value.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
        try {
            return JSON.parse(t);
        } catch {
            return value;
        }
    }
    return value;
}
