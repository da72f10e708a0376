/**
 * What the planned design promises: failover time (RTO) per entry point and region, RPO per data
 * tier from the replication actually planned, and the composite availability of the web tier —
 * each compared with the targets (config/targets.ts). Every AWS figure comes from aws-facts.ts.
 */
import type { Targets } from "../../config/targets";
import {
    AURORA_GLOBAL,
    AURORA_PROMOTION,
    ELASTICACHE_PROMOTION,
    AURORA_MANAGED_RPO_SOURCE,
    DYNAMODB_MRSC,
    DYNAMODB_MREC,
    ELASTICACHE_GLOBAL,
    ELB_TARGET_HEALTH_SOURCE,
    GA_FAILOVER_SOURCE,
    RESOLVER_ALLOWANCE_SECONDS,
    ROUTE53_CHECK_TIMEOUT_SECONDS,
    ROUTE53_HEALTH_SOURCE,
    ReplicationFact,
    S3_NO_RTC,
    S3_RTC,
    SLA,
} from "./aws-facts";
import { Scenario } from "./dns";
import { MatrixRow } from "./matrix";
import { Obj, PlanIndex, Res, T, byKey, classification, inp, out } from "./model";
import { Routing } from "./routing";

/**
 * met: AWS promises a figure within the target. typical: AWS documents typical behaviour within
 * it but promises nothing that is. not-met: the design cannot meet it (or nothing is documented).
 */
export type Verdict = "met" | "typical" | "not-met";

/** One compared line; `exempt` lines are reported but never fail `--strict`. */
export interface Check {
    target: keyof Targets | "residency";
    subject: string;
    value: number | null;
    unit: "s" | "%" | "ms" | "";
    targetValue: number | null;
    verdict: Verdict;
    detail: string;
    exempt?: string;
    source?: string;
}

// ---- RTO ------------------------------------------------------------------------------------

export interface RtoLine extends Check {
    entry: string;
    entryKind: string;
    region: string;
    /** The terms of the sum, in seconds. */
    terms: Record<string, number>;
}

function checkDetectSeconds(hc: Res): { seconds: number; formula: string } {
    const i = inp(hc);
    const interval = Number(i.requestInterval ?? 30);
    const threshold = Number(i.failureThreshold ?? 3);
    const timeout = ROUTE53_CHECK_TIMEOUT_SECONDS[String(i.type)] ?? 0;
    return {
        seconds: interval * threshold + timeout,
        formula: `${interval} s interval × ${threshold} failures + ${timeout} s check timeout`,
    };
}

/** The target group health (what GA and the ALB act on) of the ALBs in a region. */
function targetGroupDetect(
    idx: PlanIndex,
    region: string,
): { seconds: number; formula: string } | undefined {
    const tgs = idx.ofType(T.targetGroup).filter((t) => t.region === region);
    const worst = tgs
        .map((t) => {
            const h = (inp(t).healthCheck ?? {}) as Obj;
            const interval = Number(h.interval ?? 30);
            const threshold = Number(h.unhealthyThreshold ?? 2);
            const timeout = Number(h.timeout ?? 5);
            return {
                seconds: interval * threshold + timeout,
                formula: `${interval} s interval × ${threshold} unhealthy checks + ${timeout} s timeout`,
            };
        })
        .sort((a, b) => b.seconds - a.seconds)[0];
    return worst;
}

export function rtoLines(
    idx: PlanIndex,
    routing: Routing,
    rows: MatrixRow[],
    scs: Scenario[],
    targets: Targets,
): RtoLine[] {
    const lines: RtoLine[] = [];
    const healthy = scs.find((s) => s.id === "healthy")!;
    const healthOf = (sc: Scenario) =>
        new Map(
            idx
                .ofType(T.healthCheck)
                .map((hc) => [hc.urn, routing.dns.checkHealthy(String(hc.id), sc)]),
        );
    const base = healthOf(healthy);
    for (const sc of scs.filter((s) => s.down.length === 1)) {
        const region = sc.down[0];
        const now = healthOf(sc);
        const flipped = idx
            .ofType(T.healthCheck)
            .filter(
                (hc) => base.get(hc.urn) !== now.get(hc.urn) && typeof inp(hc).fqdn === "string",
            );
        for (const entry of routing.entries) {
            const before = rows.filter((r) => r.scenario === "healthy" && r.entry === entry.name);
            const after = rows.filter((r) => r.scenario === sc.id && r.entry === entry.name);
            const affected = before.flatMap((r) =>
                r.places.filter((p) => p.region === region).map((p) => ({ geo: r.geography, p })),
            );
            if (affected.length === 0) continue;
            const lost = affected.filter(
                ({ geo, p }) =>
                    after.find((r) => r.geography === geo)?.places.find((x) => x.place === p.place)
                        ?.region === null,
            );
            const pinnedLost = lost.filter(({ p }) => p.resident);
            const subject = `${entry.name} (${entry.kind}) with ${region} down`;
            if (lost.length > 0) {
                const onlyResidency =
                    pinnedLost.length === lost.length &&
                    after.every((r) =>
                        r.places.every((x) => x.region !== null || x.residency === "fails-closed"),
                    );
                lines.push({
                    target: "rtoSeconds",
                    subject,
                    entry: entry.name,
                    entryKind: entry.kind,
                    region,
                    value: null,
                    unit: "s",
                    targetValue: targets.rtoSeconds,
                    verdict: "not-met",
                    terms: {},
                    detail: `no failover for ${lost.length} of ${affected.length} sample viewer(s) (${lost
                        .map(({ p }) => p.place)
                        .slice(0, 4)
                        .join(
                            ", ",
                        )}${lost.length > 4 ? ", …" : ""}): served again only when ${region} recovers`,
                    ...(onlyResidency
                        ? {
                              exempt: `residency: requests for zone ${routing.router?.zone} data fail closed by design; AWS promises no RTO for a region's recovery`,
                          }
                        : {}),
                });
                if (lost.length === affected.length) continue;
            }
            let terms: Record<string, number>;
            let detail: string;
            let source: string;
            if (entry.kind === "accelerator") {
                const d = targetGroupDetect(idx, region);
                terms = { detection: d?.seconds ?? 0 };
                detail = `target-group health (${d?.formula ?? "none planned"}) that Global Accelerator acts on; no DNS caching (static anycast IPs). How fast GA reacts to a newly unhealthy endpoint is not documented by AWS (recovery: about 30 s).`;
                source = `${ELB_TARGET_HEALTH_SOURCE} ; ${GA_FAILOVER_SOURCE}`;
            } else {
                const d = flipped.map(checkDetectSeconds).sort((a, b) => b.seconds - a.seconds)[0];
                // The TTL of the answers that now send the affected viewers elsewhere.
                const ttl = Math.max(
                    0,
                    ...affected.map(
                        ({ geo, p }) =>
                            after
                                .find((r) => r.geography === geo)
                                ?.places.find((x) => x.place === p.place)?.ttl ?? 0,
                    ),
                );
                terms = {
                    detection: d?.seconds ?? 0,
                    ttl,
                    resolverAllowance: RESOLVER_ALLOWANCE_SECONDS,
                };
                detail = `Route 53 health check (${d?.formula ?? "no health check flipped"}) + ${ttl} s alias TTL + ${RESOLVER_ALLOWANCE_SECONDS} s allowance for resolvers that keep answers past their TTL (an assumption, not an AWS figure)${entry.kind === "cloudfront" ? "; CloudFront re-resolves its origin name from the edge, its DNS caching is not documented" : ""}`;
                source = ROUTE53_HEALTH_SOURCE;
            }
            const seconds = Object.values(terms).reduce((a, b) => a + b, 0);
            lines.push({
                target: "rtoSeconds",
                subject,
                entry: entry.name,
                entryKind: entry.kind,
                region,
                value: seconds,
                unit: "s",
                targetValue: targets.rtoSeconds,
                verdict: seconds <= targets.rtoSeconds ? "met" : "not-met",
                terms,
                detail,
                source,
            });
        }
    }
    return lines;
}

/**
 * The write path when the writer region's data tier is down (the cells still answer): Aurora and
 * the cache take writes in one region only, so writes wait for an operator to promote a
 * secondary; DynamoDB global tables take writes in every replica.
 */
export function writePathLines(
    idx: PlanIndex,
    sc: Scenario | undefined,
    targets: Targets,
): RtoLine[] {
    if (!sc?.dataDown) return [];
    const region = sc.dataDown;
    const lines: RtoLine[] = [];
    const base = {
        target: "rtoSeconds" as const,
        entry: "write path",
        entryKind: "data",
        region,
        unit: "s" as const,
        targetValue: targets.rtoSeconds,
    };
    const promotion = (subject: string, fact: typeof AURORA_PROMOTION, detail: string) =>
        lines.push({
            ...base,
            subject,
            value: fact.value,
            verdict: "not-met",
            terms: { promotion: fact.value },
            detail: `${detail}; ${fact.text}; detection and the decision are not timed (no automation)`,
            exempt: "operator action: the report cannot time a human decision",
            source: fact.source,
        });
    const writerAurora = idx
        .ofType(T.rdsCluster)
        .find(
            (c) =>
                c.region === region &&
                idx
                    .ofType(T.globalCluster)
                    .some(
                        (g) =>
                            g.stack === c.stack &&
                            inp(c).globalClusterIdentifier ===
                                (inp(g).globalClusterIdentifier ?? g.id),
                    ),
        );
    if (writerAurora) {
        promotion(
            `Aurora writes with the ${region} data tier down`,
            AURORA_PROMOTION,
            "writes fail until an operator promotes a secondary (runbook: npm run ops -- aurora failover)",
        );
    }
    const writerCache = idx
        .ofType(T.cacheGroup)
        .find(
            (c) =>
                c.region === region &&
                idx
                    .ofType(T.globalCacheGroup)
                    .some((g) => inp(g).primaryReplicationGroupId === inp(c).replicationGroupId),
        );
    if (writerCache) {
        promotion(
            `cache writes with the ${region} data tier down`,
            ELASTICACHE_PROMOTION,
            `the cache is read-only outside ${region} until an operator promotes a secondary`,
        );
    }
    const global = idx.ofType(T.table).filter((t) => ((inp(t).replicas as Obj[]) ?? []).length > 0);
    if (global.length) {
        lines.push({
            ...base,
            subject: `DynamoDB writes with the ${region} data tier down`,
            value: 0,
            verdict: "met",
            terms: {},
            detail: `global tables take writes in every replica (${global.length} table(s)): writes continue in the other regions`,
            source: DYNAMODB_MREC.source,
        });
    }
    return lines;
}

// ---- RPO ------------------------------------------------------------------------------------

export interface RpoLine extends Check {
    tier: "aurora" | "dynamodb" | "elasticache" | "s3" | "resident";
    regions: string[];
    mechanism: string;
    promised: string;
    typical: string;
}

function rpoVerdict(f: ReplicationFact, target: number): Verdict {
    if (f.promisedSeconds !== null && f.promisedSeconds <= target) return "met";
    if (f.typicalSeconds !== null && f.typicalSeconds <= target) return "typical";
    return "not-met";
}

function rpoLine(
    tier: RpoLine["tier"],
    subject: string,
    regions: string[],
    f: ReplicationFact,
    targets: Targets,
): RpoLine {
    const verdict = rpoVerdict(f, targets.rpoSeconds);
    return {
        target: "rpoSeconds",
        tier,
        subject,
        regions,
        mechanism: f.mechanism,
        value: f.promisedSeconds ?? f.typicalSeconds,
        unit: "s",
        targetValue: targets.rpoSeconds,
        verdict,
        promised: f.promisedText,
        typical: f.typicalText,
        detail:
            verdict === "met"
                ? `promised: ${f.promisedText}`
                : verdict === "typical"
                  ? `typical only: ${f.typicalText}; AWS does not promise it (${f.promisedText})`
                  : `${f.promisedText}; ${f.typicalText}`,
        source: f.source,
    };
}

export function rpoLines(idx: PlanIndex, targets: Targets): RpoLine[] {
    const lines: RpoLine[] = [];
    // Aurora global databases: members joined by globalClusterIdentifier.
    for (const gc of idx.ofType(T.globalCluster)) {
        const gid = String(inp(gc).globalClusterIdentifier ?? gc.id);
        const members = idx
            .ofType(T.rdsCluster)
            .filter((c) => inp(c).globalClusterIdentifier === gid);
        const regions = [...new Set(members.map((m) => String(m.region)))].sort();
        // rds.global_db_rpo on a member's cluster parameter group makes the RPO enforced.
        const rpoParam = members
            .map((m) =>
                idx
                    .ofType(T.clusterParams)
                    .find(
                        (p) =>
                            p.id === inp(m).dbClusterParameterGroupName ||
                            inp(p).name === inp(m).dbClusterParameterGroupName,
                    ),
            )
            .flatMap((p) => (p && (inp(p).parameters as Obj[])) ?? [])
            .find((p) => p.name === "rds.global_db_rpo");
        const fact: ReplicationFact = rpoParam
            ? {
                  ...AURORA_GLOBAL,
                  promisedSeconds: Number(rpoParam.value),
                  promisedText: `rds.global_db_rpo = ${rpoParam.value} s: the primary blocks commits when no secondary is within it`,
                  source: `${AURORA_GLOBAL.source} ; ${AURORA_MANAGED_RPO_SOURCE}`,
              }
            : AURORA_GLOBAL;
        lines.push(rpoLine("aurora", `Aurora global cluster ${gid}`, regions, fact, targets));
    }
    // DynamoDB global tables: inline replicas or TableReplica resources.
    for (const t of idx.ofType(T.table)) {
        const replicas = (inp(t).replicas as Obj[] | undefined) ?? [];
        const arn = out(t).arn ?? t.id;
        const extra = idx
            .ofType(T.tableReplica)
            .filter(
                (r) =>
                    idx.ref(inp(r).globalTableArn)?.urn === t.urn || inp(r).globalTableArn === arn,
            );
        if (replicas.length === 0 && extra.length === 0) continue;
        const regions = [
            String(t.region),
            ...replicas.map((r) => String(r.regionName)),
            ...extra.map((r) => String(r.region)),
        ];
        const strong = replicas.some((r) => r.consistencyMode === "STRONG");
        lines.push(
            rpoLine(
                "dynamodb",
                `DynamoDB table ${inp(t).name ?? t.name}`,
                [...new Set(regions)].sort(),
                strong ? DYNAMODB_MRSC : DYNAMODB_MREC,
                targets,
            ),
        );
    }
    // ElastiCache Global Datastores.
    for (const g of idx.ofType(T.globalCacheGroup)) {
        const gid = String(out(g).globalReplicationGroupId ?? g.id);
        const members = idx
            .ofType(T.cacheGroup)
            .filter(
                (c) =>
                    inp(c).globalReplicationGroupId === gid ||
                    idx.ref(inp(g).primaryReplicationGroupId)?.urn === c.urn ||
                    inp(g).primaryReplicationGroupId === inp(c).replicationGroupId,
            );
        const regions = [
            ...new Set([String(g.region), ...members.map((m) => String(m.region))]),
        ].sort();
        lines.push(
            rpoLine(
                "elasticache",
                `ElastiCache Global Datastore ${gid}`,
                regions,
                ELASTICACHE_GLOBAL,
                targets,
            ),
        );
    }
    // S3 replication rules.
    for (const cfg of idx.ofType(T.bucketReplication)) {
        for (const rule of (inp(cfg).rules as Obj[]) ?? []) {
            if (rule.status !== "Enabled") continue;
            const dest = (rule.destination ?? {}) as Obj;
            const rtc = ((dest.replicationTime ?? {}) as Obj).status === "Enabled";
            const destBucket = idx.ref(dest.bucket);
            const regions = [String(cfg.region), String(destBucket?.region ?? "?")];
            lines.push(
                rpoLine(
                    "s3",
                    `S3 ${inp(cfg).bucket} → ${String(dest.bucket).replace(/^arn:aws:s3:::/, "")} (rule ${rule.id ?? "?"})`,
                    regions,
                    rtc ? S3_RTC : S3_NO_RTC,
                    targets,
                ),
            );
        }
    }
    // Zone-resident stores: no cross-region copy, by design.
    const resident = idx.all.filter(
        (r) =>
            [T.table, T.rdsCluster, T.bucket].includes(r.type as never) &&
            classification(r) !== undefined &&
            classification(r) !== "global",
    );
    for (const r of resident.sort(byKey((x) => x.urn))) {
        lines.push({
            target: "rpoSeconds",
            tier: "resident",
            subject: `${r.type.split(":").pop()} ${inp(r).name ?? inp(r).bucket ?? inp(r).clusterIdentifier ?? r.name} (zone ${classification(r)})`,
            regions: [String(r.region)],
            mechanism: "none: never replicated out of its zone",
            value: null,
            unit: "s",
            targetValue: targets.rpoSeconds,
            verdict: "not-met",
            promised: "no cross-region copy",
            typical: "in-region backups only",
            detail: `a loss of ${r.region} is not covered: the zone's data has no copy elsewhere (in-region point-in-time recovery only)`,
            exempt: `residency: zone ${classification(r)} data must not leave its region`,
        });
    }
    return lines;
}

// ---- Availability -----------------------------------------------------------------------

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
