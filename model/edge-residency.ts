/**
 * The edge's residency zone: which zone's viewers the Lambda@Edge router pins to one region,
 * derived from the topology's geolocation. A topology rule that config validation runs for every
 * stack (config/edge.ts) and EdgeRouting runs when it is given no zone.
 */
import { GDPR_COUNTRIES } from "../edge/residency-router";
import { ConfigError, NS } from "./config-error";
import { Topology } from "./topology";

/** The zone the edge pins GDPR viewers to, and its one region. */
export interface EdgeResidency {
    zone: string;
    region: string;
}

/**
 * The residency zone of the edge, derived from the topology: the zone of the region(s) whose
 * geolocation claims continent `EU` or any of `countries` (default GDPR_COUNTRIES). Pure; the
 * config validation runs it for every stack so that renaming or widening the zone fails before
 * anything is planned, not only at the global stack.
 *
 * Throws a ConfigError naming the key when no region claims those locations, when regions of
 * different zones claim them, or when the zone (`taskflow:topology.zones.<zone>`) does not allow
 * exactly one region of the topology: the edge pins GDPR viewers to that region with no failover,
 * so there must be exactly one.
 */
export function edgeResidencyOf(
    topology: Topology,
    stack = "(all)",
    countries: readonly string[] = GDPR_COUNTRIES,
): EdgeResidency {
    const K = `${NS}:topology`;
    const gdpr = new Set(countries);
    const claims = (r: Topology["regions"][number]) => [
        ...r.geolocation.continents.filter((c) => c === "EU"),
        ...r.geolocation.countries.filter((c) => gdpr.has(c)),
    ];
    const claimers = topology.regions.filter((r) => claims(r).length > 0);
    if (claimers.length === 0) {
        throw new ConfigError(stack, [
            {
                key: `${K}.regions[].geolocation`,
                value: topology.regions.map((r) => ({ [r.region]: r.geolocation })),
                allowed:
                    "one region's geolocation must claim continent EU (or GDPR countries): the edge pins GDPR viewers to that region's residency zone",
            },
        ]);
    }
    const zones = [...new Set(claimers.map((r) => r.zone))];
    if (zones.length > 1) {
        throw new ConfigError(stack, [
            {
                key: `${K}.regions[].geolocation`,
                value: Object.fromEntries(claimers.map((r) => [r.region, claims(r)])),
                allowed: `GDPR locations must route to one residency zone; regions of zones ${zones.join(", ")} claim them`,
            },
        ]);
    }
    const zone = zones[0];
    const known = topology.regions.map((r) => r.region);
    // Only the zone's regions that have a stack count: the edge pins GDPR viewers to the one
    // region that serves them. A zone may list more regions (a second EU region for its data,
    // say), which the policy pack's own matrix then judges.
    const allowed = (topology.zones[zone] ?? []).filter((r) => known.includes(r));
    if (allowed.length !== 1) {
        throw new ConfigError(stack, [
            {
                key: `${K}.zones.${zone}`,
                value: allowed,
                allowed: `exactly one region of the topology (${known.join(", ")}): zone ${zone} is the edge's residency zone (${claimers.map((r) => r.region).join(", ")} claims the GDPR locations), and its viewers are pinned to one region with no failover`,
            },
        ]);
    }
    return { zone, region: allowed[0] };
}
