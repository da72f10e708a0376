/** Failover time (RTO) per entry point and region, and the write path when a writer is down. */
import type { Targets } from "../../config/targets";
import {
    AURORA_PROMOTION,
    ELASTICACHE_PROMOTION,
    DYNAMODB_MREC,
    ELB_TARGET_HEALTH_SOURCE,
    GA_FAILOVER_SOURCE,
    RESOLVER_ALLOWANCE_SECONDS,
    ROUTE53_CHECK_TIMEOUT_SECONDS,
    ROUTE53_HEALTH_SOURCE,
} from "./aws-facts";
import { Scenario } from "./dns";
import { MatrixRow } from "./matrix";
import { Obj, PlanIndex, Res, T, inp } from "./model";
import { Routing } from "./routing";
import type { Check } from "./check";

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
