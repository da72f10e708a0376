/** RPO per data tier, from the replication actually planned. */
import type { Targets } from "../../config/targets";
import {
    AURORA_GLOBAL,
    AURORA_MANAGED_RPO_SOURCE,
    DYNAMODB_MRSC,
    DYNAMODB_MREC,
    ELASTICACHE_GLOBAL,
    ReplicationFact,
    S3_NO_RTC,
    S3_RTC,
} from "./aws-facts";
import { Obj, PlanIndex, T, byKey, classification, inp, out } from "./model";
import type { Verdict, Check } from "./check";

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
            // Same-Region replication (a region's log landing bucket into its log archive) is
            // no copy another region could fail over to: it has no regional RPO.
            if (regions[0] === regions[1]) continue;
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
