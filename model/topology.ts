/**
 * The deployment topology as the program reads it (`taskflow:topology`, validated by
 * config/topology.ts), and the pure questions every part asks of it: which stack is the primary,
 * which regions hold global data, in what order the stacks deploy.
 */

export type Role = "primary" | "secondary" | "global";
export const ROLES: readonly Role[] = ["primary", "secondary", "global"];

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

/** The primary region's entry (a validated topology has exactly one). */
export function primaryRegion(topology: Topology): RegionSpec {
    const primary = topology.regions.find((r) => r.primary);
    if (!primary) throw new Error("the topology has no primary region");
    return primary;
}

/** Regions that hold replicas of `global` data, primary first. */
export function globalDataRegions(topology: Topology): string[] {
    const p = primaryRegion(topology);
    return [
        p.region,
        ...topology.regions.filter((r) => !r.primary && r.globalData).map((r) => r.region),
    ];
}

/** Regions that receive replicas of global data: every global-data region except the primary. */
export function replicaRegions(topology: Topology): string[] {
    return globalDataRegions(topology).slice(1);
}

/** The stacks a stack depends on (its StackReferences), from the topology. */
export function upstreamOf(topology: Topology, stack: string): string[] {
    const role = roleOf(topology, stack);
    if (role === "secondary") return [primaryRegion(topology).stack];
    if (role === "global") return topology.regions.map((r) => r.stack);
    return [];
}
