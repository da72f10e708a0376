/**
 * The ways in: every entry point the plan offers, and where each sends a viewer in a scenario.
 *
 * - CloudFront distributions (by their aliases): the origin's name is resolved from the edge's
 *   resolver (near the viewer), after the Lambda@Edge residency router, when the distribution
 *   runs one, has re-pointed a residency viewer to the resident origin.
 * - Global Accelerator accelerators: the closest endpoint group whose traffic dial is open and
 *   whose endpoints are healthy; failover to the three closest groups ignoring dials, then fail
 *   open (GA_FAILOVER_SOURCE).
 * - Route 53 names nobody else in the zone points at (the API name, any name added later).
 *
 * All read from planned resources; the only names taken from outputs are the residency router's
 * resident origin (`residentHostname`, the one thing the router's baked bundle holds that the plan
 * cannot show) — documented in docs/plan-format.md.
 */
import { GDPR_COUNTRIES } from "../../edge/residency-router";
import { Endpoint, Resolution, Route53, Scenario } from "./dns";
import { Place, distanceKm, regionLocation } from "./geo";
import { Obj, PlanIndex, Res, T, byKey, classification, dnsName, inp, out } from "./model";

/** The Lambda@Edge residency router as far as the plan shows it. */
export interface ResidencyRouter {
    /** Viewer countries pinned to the resident origin. */
    countries: string[];
    residentOrigin: string;
    /** The zone whose resident data the resident origin serves, and where that data lives. */
    zone: string;
    dataRegions: string[];
}

export type EntryKind = "cloudfront" | "accelerator" | "dns";

export interface EntryPoint {
    kind: EntryKind;
    /** Host name users use (or the accelerator's DNS name). */
    name: string;
    urn: string;
    stack: string;
}

/** Where one viewer's request goes through one entry point. */
export interface Route {
    /** Region that serves it, or null when it fails. */
    region: string | null;
    endpoint?: Endpoint;
    path: string[];
    /** Seconds a resolver caches the answer (DNS entries). */
    ttl: number;
    /** Whether the router pinned it to the resident origin. */
    pinned: boolean;
    note?: string;
}

/** Night mode's controller spec as planned (the Lambda's NIGHT_MODE_SPEC), if any. */
export interface NightSpec {
    timezone: string;
    nightStart: string;
    dayStart: string;
    cells: {
        region: string;
        role: "active" | "drain" | "keep";
        target?: string;
        day: { min: number; max: number };
        night: { min: number; max: number };
        endpointGroupArn?: string;
        reason?: string;
    }[];
}

export function nightSpec(idx: PlanIndex): NightSpec | undefined {
    for (const fn of idx.ofType(T.lambda)) {
        const vars = ((inp(fn).environment as Obj | undefined)?.variables ?? {}) as Obj;
        if (typeof vars.NIGHT_MODE_SPEC === "string") {
            return JSON.parse(vars.NIGHT_MODE_SPEC) as NightSpec;
        }
    }
    return undefined;
}

/** Store types that hold user data (logs, keys and topics carry a classification too, but no user records). */
export const USER_DATA_STORES: readonly string[] = [
    T.table,
    T.tableReplica,
    T.rdsCluster,
    T.bucket,
    T.cacheGroup,
];

/** Regions holding user-data stores classified in each zone (not `global`): the resident data. */
export function residentZones(idx: PlanIndex): Record<string, string[]> {
    const zones: Record<string, Set<string>> = {};
    for (const r of idx.all) {
        const z = classification(r);
        if (!USER_DATA_STORES.includes(r.type)) continue;
        if (!z || z === "global" || !r.region || r.region === "global") continue;
        (zones[z] ??= new Set()).add(r.region);
    }
    return Object.fromEntries(
        Object.entries(zones)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([z, s]) => [z, [...s].sort()]),
    );
}

export class Routing {
    readonly dns: Route53;
    readonly entries: EntryPoint[];
    readonly router?: ResidencyRouter;
    readonly night?: NightSpec;

    constructor(readonly idx: PlanIndex) {
        this.dns = new Route53(idx);
        this.night = nightSpec(idx);
        this.router = this.findRouter();
        this.entries = this.findEntries();
    }

    private findRouter(): ResidencyRouter | undefined {
        for (const d of this.idx.ofType(T.distribution)) {
            const assoc = this.behaviours(d).some((b) =>
                ((b.lambdaFunctionAssociations as Obj[] | undefined) ?? []).some(
                    (a) => a.eventType === "origin-request",
                ),
            );
            const resident = this.idx.plan(d.stack)?.outputs.residentHostname;
            if (!assoc || typeof resident !== "string") continue;
            // Where the resident origin leads with every region up: that region's zone data.
            const res = this.dns.resolve(resident, undefined, {
                id: "-",
                title: "-",
                down: [],
                night: false,
            });
            const region = res.endpoint?.kind === "alb" ? res.endpoint.region : undefined;
            // The zone: where the resident name leads, else the only zone with resident data, else
            // the zone the name is for (`<zone>-resident.`): a resident name that leads out of
            // its zone must still be judged, never ignored.
            const zones = residentZones(this.idx);
            const prefix = /^([a-z0-9]+)-resident\./.exec(dnsName(resident))?.[1];
            const zone =
                Object.keys(zones).find((z) => region && zones[z].includes(region)) ??
                (Object.keys(zones).length === 1 ? Object.keys(zones)[0] : undefined) ??
                (prefix && zones[prefix] ? prefix : undefined);
            if (!zone) continue;
            return {
                countries: [...GDPR_COUNTRIES],
                residentOrigin: dnsName(resident),
                zone,
                dataRegions: zones[zone],
            };
        }
        return undefined;
    }

    private behaviours(d: Res): Obj[] {
        const i = inp(d);
        return [
            i.defaultCacheBehavior as Obj,
            ...((i.orderedCacheBehaviors as Obj[]) ?? []),
        ].filter(Boolean);
    }

    private findEntries(): EntryPoint[] {
        const entries: EntryPoint[] = [];
        const cfNames = new Set<string>();
        for (const d of this.idx.ofType(T.distribution)) {
            const aliases = ((inp(d).aliases as string[] | undefined) ?? []).map(dnsName);
            const name = aliases[0] ?? dnsName(out(d).domainName);
            entries.push({ kind: "cloudfront", name, urn: d.urn, stack: d.stack });
            aliases.forEach((a) => cfNames.add(a));
        }
        for (const a of this.idx.ofType(T.accelerator)) {
            const byRecord = this.dns.records.find(
                (r) => r.alias && this.idx.ref(r.alias.name)?.urn === a.urn,
            );
            entries.push({
                kind: "accelerator",
                name: byRecord?.name ?? dnsName(out(a).dnsName),
                urn: a.urn,
                stack: a.stack,
            });
        }
        // Names no record, health check or router points at, that are not CloudFront/GA aliases.
        const referenced = new Set<string>();
        for (const r of this.dns.records) if (r.alias) referenced.add(r.alias.name);
        for (const hc of this.idx.ofType(T.healthCheck)) {
            if (typeof inp(hc).fqdn === "string") referenced.add(dnsName(inp(hc).fqdn));
        }
        if (this.router) referenced.add(this.router.residentOrigin);
        for (const name of this.dns.names()) {
            if (referenced.has(name) || cfNames.has(name)) continue;
            const recs = this.dns.recordsNamed(name);
            const viaGa = recs.some(
                (r) => r.alias && this.dns.target(r.alias.name).kind === "accelerator",
            );
            if (viaGa) continue;
            entries.push({ kind: "dns", name, urn: recs[0].urn, stack: recs[0].stack });
        }
        return entries.sort(byKey((e) => `${e.kind}:${e.name}`));
    }

    private toRoute(res: Resolution, sc: Scenario, pinned: boolean, note?: string): Route {
        const up = this.dns.endpointUp(res.endpoint, sc);
        const region = res.endpoint?.kind === "alb" && up ? res.endpoint.region : null;
        const why =
            res.endpoint?.kind === "alb" && !up
                ? `answers with ${res.endpoint.region}, which is down`
                : res.endpoint && res.endpoint.kind !== "alb"
                  ? `ends at ${res.endpoint.kind} ${res.endpoint.name}`
                  : undefined;
        return {
            region,
            endpoint: res.endpoint,
            path: res.path,
            ttl: res.ttl,
            pinned,
            note: [note, res.note, why].filter(Boolean).join("; ") || undefined,
        };
    }

    /** Where a viewer's request through an entry point is served in a scenario. */
    route(entry: EntryPoint, viewer: Place, sc: Scenario): Route {
        if (entry.kind === "accelerator") return this.routeAccelerator(entry, viewer, sc);
        if (entry.kind === "cloudfront") {
            const d = this.idx.all.find((r) => r.urn === entry.urn)!;
            const behaviour = inp(d).defaultCacheBehavior as Obj;
            const origin = ((inp(d).origins as Obj[]) ?? []).find(
                (o) => o.originId === behaviour.targetOriginId,
            );
            let name = dnsName(origin?.domainName);
            const pinned = !!this.router && this.router.countries.includes(viewer.country);
            if (pinned) name = this.router!.residentOrigin;
            // CloudFront resolves the origin from the edge location serving the viewer: the
            // viewer's location stands for the edge's.
            const res = this.dns.resolve(name, viewer, sc);
            const target = res.endpoint && this.dns.target(res.endpoint.name);
            if (target?.kind === "cloudfront" || target?.kind === "accelerator") {
                return this.toRoute(res, sc, pinned, "origin loops to an edge service");
            }
            return this.toRoute(
                res,
                sc,
                pinned,
                pinned ? "residency router pinned the request" : undefined,
            );
        }
        const res = this.dns.resolve(entry.name, viewer, sc);
        const end = res.endpoint;
        if (end?.kind === "accelerator") {
            const acc = this.entries.find((e) => e.urn === end.urn);
            if (acc) {
                const r = this.routeAccelerator(acc, viewer, sc);
                return { ...r, path: [...res.path, ...r.path], ttl: res.ttl };
            }
        }
        if (end?.kind === "cloudfront") {
            const cf = this.entries.find((e) => e.urn === end.urn);
            if (cf) return { ...this.route(cf, viewer, sc), path: res.path };
        }
        return this.toRoute(res, sc, false);
    }

    /** The endpoint groups of an accelerator: region, dial, ALB endpoints. */
    endpointGroups(
        acceleratorUrn: string,
    ): { group: Res; region: string; dial: number; albs: Res[] }[] {
        const acc = this.idx.all.find((r) => r.urn === acceleratorUrn)!;
        const listeners = this.idx
            .ofType(T.gaListener)
            .filter((l) => this.idx.ref(inp(l).acceleratorArn)?.urn === acc.urn);
        const groups = this.idx
            .ofType(T.endpointGroup)
            .filter((g) => listeners.some((l) => this.idx.ref(inp(g).listenerArn)?.urn === l.urn));
        return groups
            .map((g) => ({
                group: g,
                region: String(inp(g).endpointGroupRegion),
                dial: Number(inp(g).trafficDialPercentage ?? 100),
                albs: ((inp(g).endpointConfigurations as Obj[]) ?? [])
                    .filter((e) => Number(e.weight ?? 128) > 0)
                    .map((e) => this.idx.ref(e.endpointId))
                    .filter((r): r is Res => r?.type === T.lb),
            }))
            .sort(byKey((g) => g.region));
    }

    /** A group's dial in a scenario: night mode's controller turns a drained region's to 0. */
    private dialAt(g: { group: Res; dial: number }, sc: Scenario): number {
        if (!sc.night || !this.night) return g.dial;
        const drained = this.night.cells.some(
            (c) =>
                c.role === "drain" &&
                c.endpointGroupArn !== undefined &&
                this.idx.ref(c.endpointGroupArn)?.urn === g.group.urn,
        );
        return drained ? 0 : g.dial;
    }

    private routeAccelerator(entry: EntryPoint, viewer: Place, sc: Scenario): Route {
        const groups = this.endpointGroups(entry.urn).sort(
            (a, b) =>
                distanceKm(viewer, regionLocation(a.region)) -
                distanceKm(viewer, regionLocation(b.region)),
        );
        const healthy = (g: (typeof groups)[number]) =>
            g.albs.some((a) => !sc.down.includes(String(a.region)));
        const path = (g: (typeof groups)[number], how: string) => [
            `${entry.name} → endpoint group ${g.region} (${how})`,
        ];
        const first = groups.find((g) => this.dialAt(g, sc) > 0 && healthy(g));
        if (first) {
            return {
                region: first.region,
                path: path(first, "closest open group"),
                ttl: 0,
                pinned: false,
            };
        }
        // No open healthy group: GA tries the three closest groups ignoring dials, then fails open.
        const fallback = groups.slice(0, 3).find(healthy);
        if (fallback) {
            return {
                region: fallback.region,
                path: path(fallback, "failover, dials ignored"),
                ttl: 0,
                pinned: false,
                note: "no open healthy group: Global Accelerator fails over ignoring traffic dials",
            };
        }
        const closest = groups[0];
        return {
            region: null,
            path: closest ? path(closest, "fail open") : [entry.name],
            ttl: 0,
            pinned: false,
            note: closest
                ? `no healthy endpoint in the three closest groups: fails open to ${closest.region}, which is down`
                : "no endpoint groups",
        };
    }
}
