/** The composite availability of the web tier, and the failure matrix's checks. */
import type { Targets } from "../../config/targets";
import { SLA } from "./aws-facts";
import { MatrixRow } from "./matrix";
import { Obj, PlanIndex, T, inp } from "./model";
import { Routing } from "./routing";
import type { Check } from "./check";

export interface AvailabilityLine extends Check {
    formula: string;
}

export interface CellAvailability {
    region: string;
    percent: number;
    components: { name: string; percent: number; source: string }[];
}

const pct = (x: number) => Math.round(x * 1e6) / 1e4;

export function cellAvailability(idx: PlanIndex, region: string): CellAvailability {
    const inRegion = (type: string) => idx.ofType(type).filter((r) => r.region === region);
    const components: CellAvailability["components"] = [];
    const add = (key: string, name: string) =>
        components.push({ name, percent: SLA[key].value, source: SLA[key].source });
    if (inRegion(T.lb).length) add("elb", "ALB");
    if (inRegion(T.ecsService).length) add("ecs", "ECS Fargate");
    if (inRegion(T.rdsCluster).length) add("rds", "Aurora");
    if (inRegion(T.cacheGroup).length) add("elasticache", "ElastiCache");
    const tables = idx.ofType(T.table);
    const global = tables.some(
        (t) =>
            (t.region === region ||
                ((inp(t).replicas as Obj[]) ?? []).some((r) => r.regionName === region)) &&
            ((inp(t).replicas as Obj[]) ?? []).length > 0,
    );
    if (global) add("dynamodbGlobal", "DynamoDB global tables");
    else if (tables.some((t) => t.region === region)) add("dynamodb", "DynamoDB");
    const percent = components.reduce((a, c) => a * (c.percent / 100), 1) * 100;
    return { region, percent: Math.round(percent * 1e4) / 1e4, components };
}

export function availabilityLines(
    idx: PlanIndex,
    routing: Routing,
    regions: string[],
    targets: Targets,
): { cells: CellAvailability[]; lines: AvailabilityLine[] } {
    const cells = regions.map((r) => cellAvailability(idx, r));
    const a = (r: string) => (cells.find((c) => c.region === r)?.percent ?? 0) / 100;
    const r53 = SLA.route53.value / 100;
    // Failover partners from the planned failover pairs: PRIMARY's ALB region → SECONDARY's.
    const partners: Record<string, string> = {};
    const groups = new Map<string, { p?: string; s?: string }>();
    for (const rec of routing.dns.records.filter((r) => r.policy.kind === "failover" && r.alias)) {
        const t = routing.dns.target(rec.alias!.name);
        if (t.kind !== "alb") continue;
        const g = groups.get(rec.name) ?? {};
        if ((rec.policy as { role: string }).role === "PRIMARY") g.p = t.region;
        else g.s = t.region;
        groups.set(rec.name, g);
    }
    for (const g of groups.values()) if (g.p && g.s && g.p !== g.s) partners[g.p] = g.s;
    const pair = (r: string) => (partners[r] ? 1 - (1 - a(r)) * (1 - a(partners[r])) : a(r));
    const routed = regions.filter(
        (r) => partners[r] || cells.find((c) => c.region === r)!.components.length,
    );
    const worst = [...routed].sort((x, y) => pair(x) - pair(y))[0];
    const web = r53 * (worst ? pair(worst) : 0);
    const lines: AvailabilityLine[] = [];
    const line = (
        subject: string,
        value: number,
        formula: string,
        extra: Partial<AvailabilityLine> = {},
    ) =>
        lines.push({
            target: "availabilityPercent",
            subject,
            value: pct(value),
            unit: "%",
            targetValue: targets.availabilityPercent,
            verdict: pct(value) >= targets.availabilityPercent ? "met" : "not-met",
            formula,
            detail: formula,
            ...extra,
        });
    line(
        "global web tier (Route 53 routing over the regional cells)",
        web,
        `A = A(Route 53) × min over regions r of [1 − (1 − A(cell r)) × (1 − A(cell failover(r)))]; worst r = ${worst} (failover ${partners[worst] ?? "none"}); A(cell) = product of its components' SLAs, failures assumed independent`,
        { source: SLA.route53.source },
    );
    for (const e of routing.entries) {
        if (e.kind === "cloudfront") {
            line(
                `${e.name} (CloudFront) for global features`,
                (SLA.cloudfront.value / 100) * web,
                `A(CloudFront) × A(global web tier); CloudFront's SLA is ${SLA.cloudfront.value} %, which bounds anything served through it`,
                {
                    exempt: "informational: an entry service's own SLA bounds it",
                    source: SLA.cloudfront.source,
                },
            );
            if (routing.router) {
                const region = routing.router.dataRegions[0];
                line(
                    `${e.name} for zone ${routing.router.zone} residents (pinned to ${region}, no failover)`,
                    (SLA.cloudfront.value / 100) * r53 * a(region),
                    `A(CloudFront) × A(Route 53) × A(cell ${region}): resident requests have no second region`,
                    {
                        exempt: `residency: zone ${routing.router.zone} data is served only from ${region}`,
                    },
                );
            }
        }
        if (e.kind === "accelerator") {
            const groupRegions = routing.endpointGroups(e.urn).map((g) => g.region);
            const anyUp = 1 - groupRegions.reduce((acc, r) => acc * (1 - a(r)), 1);
            line(
                `${e.name} (Global Accelerator)`,
                (SLA.globalAccelerator.value / 100) * anyUp,
                `A(Global Accelerator) × [1 − Π over endpoint groups (1 − A(cell))] (GA fails over to the closest healthy group)`,
                {
                    exempt: "informational: an entry service's own SLA bounds it",
                    source: SLA.globalAccelerator.source,
                },
            );
        }
    }
    return { cells, lines };
}

/** Latency and residency verdicts from the matrix. */
export function matrixChecks(rows: MatrixRow[], targets: Targets): Check[] {
    const checks: Check[] = [];
    for (const r of rows) {
        if (r.latencyOk === false) {
            checks.push({
                target: "latencyMs",
                subject: `${r.geography} via ${r.entry} (${r.scenario})`,
                value: r.worstRttMs,
                unit: "ms",
                targetValue: targets.latencyMs,
                verdict: "not-met",
                detail: `${r.worstPlace} is served from ${r.servedBy.filter(Boolean).join(", ")}: no round trip can be faster than ${r.worstRttMs} ms (great circle at the speed of light in fibre)`,
                ...(r.scenario === "night"
                    ? {
                          exempt: "night mode: drained regions' users are served from the active regions by design (seed 000's active-passive night); the target is judged by day",
                      }
                    : {}),
            });
        }
        if (r.residency === "served-outside") {
            checks.push({
                target: "residency",
                subject: `${r.geography} via ${r.entry} (${r.scenario})`,
                value: null,
                unit: "",
                targetValue: null,
                verdict: "not-met",
                detail: `residency requests are served by ${r.servedBy.join(", ")}, outside their zone, and nothing in the plan refuses them`,
            });
        }
    }
    return checks;
}
