/**
 * Route 53 as the planned records make it answer: geolocation (most specific location first),
 * failover by health, latency, weighted and simple records, aliases followed through the zone,
 * health checks evaluated per scenario (endpoint checks through the names they probe, CloudWatch
 * alarm checks — night mode's gates — and calculated checks).
 *
 * Read generically from `aws:route53/record:Record` and `aws:route53/healthCheck:HealthCheck`
 * resources of every planned stack: a new record or entry point is resolved without code changes.
 * Sources: aws-facts.ts (ROUTE53_*).
 */
import { GATE_NAMESPACE } from "../../model/night-mode";
import { ALIAS_TTL_OTHER_SECONDS, ALIAS_TTL_SECONDS } from "./aws-facts";
import { Place, distanceKm, regionLocation } from "./geo";
import { Obj, PlanIndex, Res, T, dnsName, inp, out } from "./model";

/** One failure scenario: which regions are down, whether night mode has drained its regions. */
export interface Scenario {
    id: string;
    title: string;
    /** Regions whose cells (web tier and data tier) are down. */
    down: string[];
    /** A region whose data tier alone is down (its cell still answers /health). */
    dataDown?: string;
    /** Night mode is on: the controller's gate metric is 1, its alarms are in ALARM. */
    night: boolean;
}

export type RoutingPolicy =
    | { kind: "simple" }
    | { kind: "failover"; role: "PRIMARY" | "SECONDARY" }
    | { kind: "geo"; country?: string; continent?: string; subdivision?: string }
    | { kind: "latency"; region: string }
    | { kind: "weighted"; weight: number };

/** An A/AAAA record as planned. */
export interface DnsRecord {
    name: string;
    type: string;
    setIdentifier?: string;
    policy: RoutingPolicy;
    healthCheckId?: string;
    alias?: { name: string; evaluateTargetHealth: boolean };
    ttl?: number;
    urn: string;
    stack: string;
}

/** What a name finally points at. */
export type Endpoint =
    | { kind: "alb"; region: string; name: string; urn: string; stack: string }
    | { kind: "cloudfront"; name: string; urn: string }
    | { kind: "accelerator"; name: string; urn: string }
    | { kind: "external"; name: string };

export interface Resolution {
    endpoint?: Endpoint;
    /** Names and set identifiers followed, in order. */
    path: string[];
    /** TTL a resolver caches the final answer for (s). */
    ttl: number;
    /** Why there is no endpoint, or a caveat of the choice. */
    note?: string;
}

function policyOf(i: Obj): RoutingPolicy {
    const first = (k: string) => ((i[k] as Obj[] | undefined) ?? [])[0];
    const f = first("failoverRoutingPolicies");
    if (f) return { kind: "failover", role: f.type === "SECONDARY" ? "SECONDARY" : "PRIMARY" };
    const g = first("geolocationRoutingPolicies");
    if (g)
        return {
            kind: "geo",
            country: g.country as string | undefined,
            continent: g.continent as string | undefined,
            subdivision: g.subdivision as string | undefined,
        };
    const l = first("latencyRoutingPolicies");
    if (l) return { kind: "latency", region: String(l.region) };
    const w = first("weightedRoutingPolicies");
    if (w) return { kind: "weighted", weight: Number(w.weight ?? 0) };
    return { kind: "simple" };
}

/** The zone's A/AAAA records as planned. */
export function dnsRecords(idx: PlanIndex): DnsRecord[] {
    return idx
        .ofType(T.record)
        .filter((r) => ["A", "AAAA"].includes(String(inp(r).type)))
        .map((r) => {
            const i = inp(r);
            const alias = ((i.aliases as Obj[] | undefined) ?? [])[0];
            return {
                name: dnsName(i.name),
                type: String(i.type),
                setIdentifier: i.setIdentifier as string | undefined,
                policy: policyOf(i),
                healthCheckId: i.healthCheckId as string | undefined,
                alias: alias
                    ? {
                          name: dnsName(alias.name),
                          evaluateTargetHealth: alias.evaluateTargetHealth === true,
                      }
                    : undefined,
                ttl: i.ttl === undefined ? undefined : Number(i.ttl),
                urn: r.urn,
                stack: r.stack,
            };
        });
}

/** The Route 53 model of the planned zone(s), for one record type. */
export class Route53 {
    readonly records: DnsRecord[];
    private readonly byName = new Map<string, DnsRecord[]>();
    private readonly checks = new Map<string, Res>();
    private readonly alarmsByName = new Map<string, Res>();
    /** Health depends on the scenario only, not on the viewer: computed once per scenario. */
    private readonly health = new Map<string, boolean>();

    constructor(
        readonly idx: PlanIndex,
        readonly type = "A",
    ) {
        this.records = dnsRecords(idx).filter((r) => r.type === type);
        for (const r of this.records) {
            const list = this.byName.get(r.name) ?? [];
            list.push(r);
            this.byName.set(r.name, list);
        }
        for (const hc of idx.ofType(T.healthCheck)) this.checks.set(String(hc.id), hc);
        for (const a of idx.ofType(T.alarm)) {
            const name = inp(a).name ?? out(a).name ?? a.id;
            this.alarmsByName.set(String(name), a);
        }
    }

    /** Record names in the zone. */
    names(): string[] {
        return [...this.byName.keys()].sort();
    }

    recordsNamed(name: string): DnsRecord[] {
        return this.byName.get(dnsName(name)) ?? [];
    }

    healthCheck(id: string | undefined): Res | undefined {
        return id ? this.checks.get(id) : undefined;
    }

    /** A non-record alias target: a load balancer, distribution or accelerator by DNS name. */
    target(name: string): Endpoint {
        const r = this.idx.ref(name);
        if (r?.type === T.lb) {
            return { kind: "alb", region: String(r.region), name, urn: r.urn, stack: r.stack };
        }
        if (r?.type === T.distribution) return { kind: "cloudfront", name, urn: r.urn };
        if (r?.type === T.accelerator) return { kind: "accelerator", name, urn: r.urn };
        return { kind: "external", name };
    }

    /** Whether an endpoint serves in a scenario (a load balancer is down with its region). */
    endpointUp(e: Endpoint | undefined, sc: Scenario): boolean {
        if (!e) return false;
        if (e.kind === "alb") return !sc.down.includes(e.region);
        return true;
    }

    // ---- Health checks ---------------------------------------------------------------------

    /**
     * Status of a health check in a scenario. Endpoint checks probe what their `fqdn` resolves to
     * (Route 53's checkers are spread worldwide, so the name is resolved without a viewer);
     * CLOUDWATCH_METRIC checks follow their alarm: night mode's gate alarms are in ALARM exactly
     * when night mode is on, any other alarm is taken as OK (stated in `assumptions`).
     */
    checkHealthy(id: string | undefined, sc: Scenario, depth = 0): boolean {
        const key = `${sc.id}|check|${id}`;
        const known = this.health.get(key);
        if (known !== undefined) return known;
        const v = this.computeCheckHealthy(id, sc, depth);
        this.health.set(key, v);
        return v;
    }

    private computeCheckHealthy(id: string | undefined, sc: Scenario, depth: number): boolean {
        const hc = this.healthCheck(id);
        if (!hc || depth > 8) return true;
        const i = inp(hc);
        const type = String(i.type);
        if (type === "CALCULATED") {
            const children = (i.childHealthchecks ?? i.childHealthChecks ?? []) as string[];
            const healthy = children.filter((c) => this.checkHealthy(c, sc, depth + 1)).length;
            const threshold = Number(i.childHealthThreshold ?? children.length);
            return i.invertHealthcheck === true ? healthy < threshold : healthy >= threshold;
        }
        let healthy = true;
        if (type === "CLOUDWATCH_METRIC") {
            const alarm = this.alarmsByName.get(String(i.cloudwatchAlarmName));
            if (alarm && inp(alarm).namespace === GATE_NAMESPACE) healthy = !sc.night;
        } else if (typeof i.fqdn === "string") {
            const res = this.resolve(i.fqdn, undefined, sc, depth + 1);
            healthy = this.endpointUp(res.endpoint, sc);
        }
        return i.invertHealthcheck === true ? !healthy : healthy;
    }

    /** Whether Route 53 considers a record healthy (its health check, then its alias target's health). */
    recordHealthy(rec: DnsRecord, sc: Scenario, depth = 0): boolean {
        const key = `${sc.id}|record|${rec.urn}`;
        const known = this.health.get(key);
        if (known !== undefined) return known;
        const v = this.computeRecordHealthy(rec, sc, depth);
        this.health.set(key, v);
        return v;
    }

    private computeRecordHealthy(rec: DnsRecord, sc: Scenario, depth: number): boolean {
        if (depth > 16) return false;
        if (rec.healthCheckId && !this.checkHealthy(rec.healthCheckId, sc, depth + 1)) return false;
        if (rec.alias?.evaluateTargetHealth) {
            const group = this.recordsNamed(rec.alias.name);
            if (group.length === 0) return this.endpointUp(this.target(rec.alias.name), sc);
            // An alias to a record group is healthy when at least one record of it is.
            return group.some((r) => this.recordHealthy(r, sc, depth + 1));
        }
        return true;
    }

    // ---- Choosing a record -----------------------------------------------------------------

    /** The record Route 53 answers with for this viewer, or undefined (no answer). */
    choose(
        group: DnsRecord[],
        viewer: Place | undefined,
        sc: Scenario,
        depth: number,
    ): { record?: DnsRecord; note?: string } {
        if (group.length === 0) return {};
        const healthy = (r: DnsRecord) => this.recordHealthy(r, sc, depth + 1);
        const kind = group[0].policy.kind;
        // When no record of a group is healthy Route 53 treats them all as healthy
        // (ROUTE53_CHOOSING_SOURCE): the first by routing policy answers.
        const pick = (ordered: DnsRecord[]) => {
            const ok = ordered.find(healthy);
            return ok
                ? { record: ok }
                : { record: ordered[0], note: "no healthy record: Route 53 answers anyway" };
        };
        if (kind === "failover") {
            const primary = group.find(
                (r) => r.policy.kind === "failover" && r.policy.role === "PRIMARY",
            );
            const secondary = group.find(
                (r) => r.policy.kind === "failover" && r.policy.role === "SECONDARY",
            );
            return pick([primary, secondary].filter((r): r is DnsRecord => !!r));
        }
        if (kind === "geo") {
            // Smallest matching area first (ROUTE53_GEO_SOURCE): country, continent, default.
            const geo = (r: DnsRecord) => r.policy as Extract<RoutingPolicy, { kind: "geo" }>;
            const ordered = [
                ...group.filter((r) => viewer && geo(r).country === viewer.country),
                ...group.filter((r) => viewer && geo(r).continent === viewer.continent),
                ...group.filter((r) => geo(r).country === "*"),
            ];
            if (ordered.length === 0)
                return { note: "no geolocation record matches and no default: no answer" };
            return pick(ordered);
        }
        if (kind === "latency") {
            // Route 53 measures latency between networks and regions; the nearest region is the
            // report's stand-in (AWS publishes no latency table).
            const dist = (r: DnsRecord) =>
                viewer
                    ? distanceKm(viewer, regionLocation((r.policy as { region: string }).region))
                    : 0;
            return pick([...group].sort((a, b) => dist(a) - dist(b) || (a.urn < b.urn ? -1 : 1)));
        }
        if (kind === "weighted") {
            return pick(
                [...group].sort(
                    (a, b) =>
                        (b.policy as { weight: number }).weight -
                        (a.policy as { weight: number }).weight,
                ),
            );
        }
        return { record: group[0] };
    }

    /** Resolves a name the way Route 53 answers a query from `viewer` (undefined: a health checker). */
    resolve(name: string, viewer: Place | undefined, sc: Scenario, depth = 0): Resolution {
        const n = dnsName(name);
        if (depth > 16) return { path: [n], ttl: 0, note: "alias chain too deep" };
        const group = this.recordsNamed(n);
        if (group.length === 0) {
            const e = this.target(n);
            return {
                endpoint: e,
                path: [],
                ttl: e.kind === "alb" ? ALIAS_TTL_SECONDS.value : ALIAS_TTL_OTHER_SECONDS,
            };
        }
        const { record, note } = this.choose(group, viewer, sc, depth);
        if (!record) return { path: [n], ttl: 0, note };
        const step = record.setIdentifier ? `${n} [${record.setIdentifier}]` : n;
        if (!record.alias) {
            return {
                endpoint: { kind: "external", name: n },
                path: [step],
                ttl: record.ttl ?? 0,
                note,
            };
        }
        const next = this.resolve(record.alias.name, viewer, sc, depth + 1);
        return {
            ...next,
            path: [step, ...next.path],
            note: [note, next.note].filter(Boolean).join("; ") || undefined,
        };
    }
}
