/**
 * The edge's routing table, derived from the topology alone (pure): which names exist, which
 * region answers each, the failover pairs, night mode's DNS gates, the geolocation records and
 * what the Lambda@Edge router is built with. It checks EdgeRouting's arguments too, so bad input
 * throws before anything is registered.
 *
 * ```text
 * app.<domain>  ── CloudFront (WAF, Lambda@Edge residency router, ACM cert in us-east-1)
 *                    └─ origin api.<domain>:443 (HTTPS only, TLSv1.2, x-origin-verify header)
 * api.<domain>  ── geolocation: each topology country/continent → <region>.api.<domain>
 *                               default (*)                     → latency.api.<domain>
 * latency.api.<domain>  ── latency set, one member per region  → <region>.api.<domain>
 * <region>.api.<domain> ── failover: PRIMARY   → the region's ALB (its health check)
 *                                    SECONDARY → the topology `failover` partner's ALB
 * <zone>-resident.api.<domain> ── simple alias to the residency region's ALB, NO failover
 * Global Accelerator (static IPs) ── TCP 443 → one endpoint group per region → its ALB on 8443
 * ```
 */
import {
    GDPR_COUNTRIES,
    ResidencyRouterConfig,
    validateRouterConfig,
} from "../../edge/residency-router";
import { CONTINENTS, EDGE_REGION, GLOBAL_ACCELERATOR_API_REGION } from "../../model/aws";
import { edgeResidencyOf } from "../../model/edge-residency";
import { Topology } from "../../model/topology";
import { EdgeRoutingArgs } from "./args";
import { DEFAULT_HEALTH_CHECKER_REGIONS, HEALTH_CHECKER_REGIONS } from "./constants";
import { edgeLogRetentionDays } from "./log-rules";

/** One geolocation record on the API name. */
export interface GeoRoute {
    /** Route 53 set identifier. */
    setIdentifier: string;
    /** `country`, `continent` or the default location `*`. */
    location: { country: string } | { continent: string };
    /** Record name the alias points at. */
    target: string;
}

/** The routing table derived from the topology (pure; what the records implement). */
export interface EdgeRoutingPlan {
    /** Region of the CloudFront-side resources (us-east-1). */
    edgeRegion: string;
    /** Region of the Global Accelerator API (us-west-2). */
    acceleratorRegion: string;
    appName: string;
    apiName: string;
    /**
     * The direct API clients' name: `<acceleratorLabel>.<api>.<domain>`, an alias to Global
     * Accelerator (static IPs), covered by the cells' `*.<api>.<domain>` certificate name.
     */
    acceleratorApiName: string;
    latencyName: string;
    residentName: string;
    /** The zone GDPR viewers are pinned to (`taskflow:topology.gdprZone`) and its one region. */
    residencyZone: string;
    residencyRegion: string;
    /** What the Lambda@Edge residency router is built with. */
    routerConfig: ResidencyRouterConfig;
    /** Region → its stable failover name. */
    failoverNames: Record<string, string>;
    /** Region → [primary region, secondary region]. */
    failoverPairs: Record<string, [string, string]>;
    /** Night mode's gated regions → [gate name, night target region]. */
    gates: Record<string, [string, string]>;
    /** Region → the name its geolocation and latency records point at (gate or failover name). */
    routedNames: Record<string, string>;
    geo: GeoRoute[];
    /** Days the edge log archive keeps CloudFront's and the WAF's logs. */
    logRetentionDays: number;
}

const ROUTE53_DEFAULT_LOCATION = "*";

/** Checks the arguments and derives the routing table. Throws before anything is registered. */
export function planEdgeRouting(name: string, args: EdgeRoutingArgs): EdgeRoutingPlan {
    const where = `EdgeRouting "${name}"`;
    const { edgeRegion, acceleratorRegion } = checkPlacement(where, args);
    const t = args.topology;
    const topologyRegions = t.regions.map((r) => r.region);
    checkRegionsAndCheckers(where, args, topologyRegions);
    const logRetentionDays = edgeLogRetentionDays(
        where,
        args.logRetentionDays,
        args.logArchive !== undefined,
    );
    const zone =
        args.residency?.zone ?? edgeResidencyOf(t, undefined, args.residency?.countries).zone;
    const zoneRegions = (t.zones[zone] ?? []).filter((r) => topologyRegions.includes(r));
    if (zoneRegions.length !== 1) {
        throw new Error(
            `${where}: residency.zone ${JSON.stringify(zone)} must name a topology zone with exactly one region that is in the topology (zones: ${JSON.stringify(t.zones)})`,
        );
    }
    const { app, api } = labels(where, args);
    const apiName = `${api}.${t.domain}`;
    const failoverNames: Record<string, string> = {};
    const failoverPairs: Record<string, [string, string]> = {};
    for (const r of t.regions) {
        failoverNames[r.region] = `${r.region}.${apiName}`;
        failoverPairs[r.region] = [r.region, r.failover];
    }
    const gates = nightGates(where, t, args.nightGates ?? {}, apiName);
    const routedNames: Record<string, string> = Object.fromEntries(
        t.regions.map((r) => [r.region, gates[r.region]?.[0] ?? failoverNames[r.region]]),
    );
    const latencyName = `latency.${apiName}`;
    const geo = geoRoutes(where, t, routedNames, latencyName);
    const residentName = `${zone}-resident.${apiName}`;
    const accel = acceleratorLabel(where, args, [
        "latency",
        `${zone}-resident`,
        ...topologyRegions,
    ]);
    const routerConfig: ResidencyRouterConfig = {
        residencyRegion: zoneRegions[0],
        residentOrigin: residentName,
        routedOrigins: [apiName],
        countries: args.residency?.countries ?? [...GDPR_COUNTRIES],
    };
    try {
        validateRouterConfig(routerConfig);
    } catch (e) {
        throw new Error(`${where}: residency: ${(e as Error).message}`);
    }
    return {
        edgeRegion,
        acceleratorRegion,
        appName: `${app}.${t.domain}`,
        apiName,
        acceleratorApiName: `${accel}.${apiName}`,
        latencyName,
        residentName,
        residencyZone: zone,
        residencyRegion: zoneRegions[0],
        routerConfig,
        failoverNames,
        failoverPairs,
        gates,
        routedNames,
        geo,
        logRetentionDays,
    };
}

/** The single-region services stay where AWS serves them; anything else is refused. */
function checkPlacement(where: string, args: EdgeRoutingArgs) {
    const edgeRegion = args.edgeRegion ?? EDGE_REGION;
    if (edgeRegion !== EDGE_REGION) {
        throw new Error(
            `${where}: edgeRegion is ${JSON.stringify(edgeRegion)}, but the CloudFront certificate and the Lambda@Edge function can only be created in ${EDGE_REGION}`,
        );
    }
    const acceleratorRegion = args.acceleratorRegion ?? GLOBAL_ACCELERATOR_API_REGION;
    if (acceleratorRegion !== GLOBAL_ACCELERATOR_API_REGION) {
        throw new Error(
            `${where}: acceleratorRegion is ${JSON.stringify(acceleratorRegion)}, but the Global Accelerator API is only served from ${GLOBAL_ACCELERATOR_API_REGION}`,
        );
    }
    return { edgeRegion, acceleratorRegion };
}

/** One endpoint per topology region, no more; at least three distinct checker regions. */
function checkRegionsAndCheckers(
    where: string,
    args: EdgeRoutingArgs,
    topologyRegions: string[],
): void {
    const given = Object.keys(args.regions);
    const missing = topologyRegions.filter((r) => !given.includes(r));
    const extra = given.filter((r) => !topologyRegions.includes(r));
    if (missing.length > 0 || extra.length > 0) {
        throw new Error(
            `${where}: regions must have one entry per topology region (${topologyRegions.join(", ")}); missing: ${missing.join(", ") || "none"}; not in the topology: ${extra.join(", ") || "none"}`,
        );
    }
    const checkers = args.healthCheckerRegions ?? DEFAULT_HEALTH_CHECKER_REGIONS;
    const badChecker = checkers.filter((r) => !HEALTH_CHECKER_REGIONS.includes(r));
    if (
        checkers.length < 3 ||
        badChecker.length > 0 ||
        new Set(checkers).size !== checkers.length
    ) {
        throw new Error(
            `${where}: healthCheckerRegions ${JSON.stringify(checkers)} is not allowed; at least 3 distinct of ${HEALTH_CHECKER_REGIONS.join(", ")}`,
        );
    }
}

/** The app and API labels: single lower-case DNS labels, different from each other. */
function labels(where: string, args: EdgeRoutingArgs): { app: string; api: string } {
    const label = (v: string | undefined, dflt: string, key: string) => {
        const s = v ?? dflt;
        if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(s)) {
            throw new Error(
                `${where}: ${key} ${JSON.stringify(s)} is not allowed; a single lower-case DNS label`,
            );
        }
        return s;
    };
    const app = label(args.appLabel, "app", "appLabel");
    const api = label(args.apiLabel, "api", "apiLabel");
    if (app === api)
        throw new Error(
            `${where}: appLabel and apiLabel must differ (both ${JSON.stringify(app)})`,
        );
    return { app, api };
}

/** The accelerator name's label: one DNS label, none of the routing table's own names. */
function acceleratorLabel(where: string, args: EdgeRoutingArgs, taken: string[]): string {
    const s = args.acceleratorLabel ?? "accel";
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(s) || taken.includes(s)) {
        throw new Error(
            `${where}: acceleratorLabel ${JSON.stringify(s)} is not allowed; a single lower-case DNS label other than ${taken.join(", ")}`,
        );
    }
    return s;
}

/** Night mode's gates: a drained region → [its gate name, the region serving it at night]. */
function nightGates(
    where: string,
    t: Topology,
    given: Record<string, string>,
    apiName: string,
): Record<string, [string, string]> {
    const topologyRegions = t.regions.map((r) => r.region);
    const gates: Record<string, [string, string]> = {};
    for (const [region, target] of Object.entries(given)) {
        const r = t.regions.find((x) => x.region === region);
        if (!r || !topologyRegions.includes(target) || target === region) {
            throw new Error(
                `${where}: nightGates ${JSON.stringify({ [region]: target })} must map a topology region to another (${topologyRegions.join(", ")})`,
            );
        }
        if (!(t.zones[r.zone] ?? []).includes(target)) {
            throw new Error(
                `${where}: nightGates would send ${region}'s users (zone ${r.zone}) to ${target}, which zone ${r.zone} does not allow (${(t.zones[r.zone] ?? []).join(", ")})`,
            );
        }
        gates[region] = [`${region}.gate.${apiName}`, target];
    }
    return gates;
}

/** The geolocation records of the API name: each claimed location, then the default. */
function geoRoutes(
    where: string,
    t: Topology,
    routedNames: Record<string, string>,
    latencyName: string,
): GeoRoute[] {
    const geo: GeoRoute[] = [];
    for (const r of t.regions) {
        for (const c of r.geolocation.countries) {
            geo.push({
                setIdentifier: `geo-country-${c}`,
                location: { country: c },
                target: routedNames[r.region],
            });
        }
        for (const c of r.geolocation.continents) {
            if (!CONTINENTS.includes(c))
                throw new Error(`${where}: continent ${c} is not one of ${CONTINENTS.join(", ")}`);
            geo.push({
                setIdentifier: `geo-continent-${c}`,
                location: { continent: c },
                target: routedNames[r.region],
            });
        }
    }
    geo.push({
        setIdentifier: "geo-default",
        location: { country: ROUTE53_DEFAULT_LOCATION },
        target: latencyName,
    });
    return geo;
}
