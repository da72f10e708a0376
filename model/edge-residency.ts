/**
 * The edge's residency pin: the zone GDPR viewers belong to, as config names it
 * (`taskflow:topology.gdprZone`), and that zone's one region. Never derived from geolocation: a
 * geolocation that routes GDPR locations elsewhere is refused (by config validation for every
 * stack, config/topology.ts, and here, which EdgeRouting runs too when it is given no zone).
 */
import { GDPR_COUNTRIES } from "../edge/residency-router";
import { ConfigError, NS } from "./config-error";
import { RegionSpec, Topology } from "./topology";

/** The zone the edge pins GDPR viewers to, and its one region. */
export interface EdgeResidency {
    zone: string;
    region: string;
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
 * The residency zone of the edge and its one region, from the zone config names
 * (`taskflow:topology.gdprZone`); its region is the zone's one region of the topology. Pure; every
 * stack runs it so that a wrong zone fails before anything is planned, not only at the global
 * stack.
 *
 * Throws a ConfigError naming the key when no zone is named, when the zone does not allow exactly
 * one region of the topology (the edge pins GDPR viewers to that region with no failover), when a
 * region's geolocation routes a GDPR location (continent EU or one of `countries`) anywhere but
 * that region, or when no region routes one there.
 */
export function edgeResidencyOf(
    topology: Topology,
    stack = "(all)",
    countries: readonly string[] = GDPR_COUNTRIES,
): EdgeResidency {
    const K = `${NS}:topology`;
    const zone = topology.gdprZone;
    if (zone === undefined) {
        throw new ConfigError(stack, [
            {
                key: `${K}.gdprZone`,
                value: undefined,
                allowed: `the zone GDPR viewers belong to (one of ${Object.keys(topology.zones).join(", ")}): the edge pins them to that zone's region`,
            },
        ]);
    }
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
                allowed: `exactly one region of the topology (${known.join(", ")}): zone ${zone} is the zone GDPR viewers belong to (taskflow:topology.gdprZone), and its viewers are pinned to one region with no failover`,
            },
        ]);
    }
    const region = allowed[0];
    const astray = topology.regions.filter(
        (r) => r.region !== region && gdprClaims(r, countries).length > 0,
    );
    if (astray.length > 0) {
        throw new ConfigError(stack, [
            {
                key: `${K}.regions[].geolocation`,
                value: Object.fromEntries(astray.map((r) => [r.region, gdprClaims(r, countries)])),
                allowed: `GDPR locations route to ${region} only, the region of zone ${zone} (taskflow:topology.gdprZone); geolocation never moves the pin`,
            },
        ]);
    }
    if (!topology.regions.some((r) => r.region === region && gdprClaims(r, countries).length > 0)) {
        throw new ConfigError(stack, [
            {
                key: `${K}.regions[].geolocation`,
                value: topology.regions.map((r) => ({ [r.region]: r.geolocation })),
                allowed: `${region}'s geolocation must claim continent EU (or GDPR countries): GDPR viewers belong to zone ${zone}, and geolocation is how Route 53 sends them there`,
            },
        ]);
    }
    return { zone, region };
}
