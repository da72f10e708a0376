/**
 * Runbooks for the Aurora Global Database (and the ElastiCache Global Datastore that follows
 * the writer):
 *
 * - **switchover** (planned, no data loss): `SwitchoverGlobalCluster` to a healthy secondary,
 *   after proving the target is a global-data member in a region the topology allows, on the
 *   same engine version, and within the RPO (its `AuroraGlobalDBReplicationLag`).
 * - **failover** (unplanned, the writer's region is down): `FailoverGlobalCluster` with
 *   `AllowDataLoss`, only when the operator says so, then the Global Datastore's primary moves
 *   to the same region.
 *
 * Neither makes the program drift: every member ignores `globalClusterIdentifier` and
 * `replicationSourceIdentifier`, and the Global Datastore ignores `primaryReplicationGroupId`,
 * so the next refresh is clean. The app's write path (Aurora write forwarding on the members
 * that are not the writer, the cache's read-only flag) follows `taskflow:writerRegion`: the last
 * step says to set it and update the region stacks (docs/operations.md, "Switching the primary").
 *
 * Residency: only `global` data is in the global cluster. The runbooks refuse any target whose
 * cluster is classified in a zone, or whose region the topology does not list for global data.
 */
import type { StepResult } from "./night-mode";

export interface GlobalClusterView {
    id: string;
    status: string;
    engineVersion: string;
    members: { arn: string; region: string; isWriter: boolean }[];
}

export interface AuroraPorts {
    describeGlobalCluster(region: string, id: string): Promise<GlobalClusterView | undefined>;
    describeCluster(
        region: string,
        arn: string,
    ): Promise<{ id: string; status: string; engineVersion: string; tags: Record<string, string> }>;
    /** Largest `AuroraGlobalDBReplicationLag` (ms) of a cluster over the last minutes, if any. */
    maxReplicationLagMs(
        region: string,
        clusterId: string,
        minutes: number,
    ): Promise<number | undefined>;
    switchover(region: string, id: string, targetArn: string): Promise<void>;
    failover(region: string, id: string, targetArn: string): Promise<void>;
    describeGlobalDatastore(
        region: string,
        id: string,
    ): Promise<
        | {
              id: string;
              status: string;
              members: { replicationGroupId: string; region: string; role: string }[];
          }
        | undefined
    >;
    failoverGlobalDatastore(
        region: string,
        id: string,
        targetRegion: string,
        targetGroupId: string,
    ): Promise<void>;
    now(): Date;
    sleep(ms: number): Promise<void>;
}

export interface RunbookOptions {
    globalClusterId: string;
    targetRegion: string;
    /** Regions the topology lists for global data (config.ts globalDataRegions). */
    globalDataRegions: string[];
    /** RPO target in seconds: a switchover refuses a target lagging more than this. */
    rpoSeconds: number;
    /** Global Datastore to move with the writer (failover; optional for switchover). */
    globalDatastoreId?: string;
    /** Only run the checks and print what would be called. */
    dryRun?: boolean;
    /** Failover only: the operator accepts losing the writes not yet replicated. */
    allowDataLoss?: boolean;
    /** Switchover only: proceed without a lag metric (never past a measured lag). */
    allowMissingLagMetric?: boolean;
    /** How long to wait for the new writer. Default 15 minutes. */
    waitMinutes?: number;
    /** Poll interval while waiting. Default 15 s. */
    pollSeconds?: number;
}

export interface RunbookReport {
    runbook: "switchover" | "failover";
    ok: boolean;
    dryRun: boolean;
    steps: StepResult[];
}

/** Tag carrying the residency classification (components/residency.ts writes it). */
export const RESIDENCY_TAG = "data-residency";

const errText = (e: unknown) => {
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = err?.$metadata?.httpStatusCode;
    const msg = (err?.message ?? String(e)).split("\n")[0].slice(0, 200);
    return `${err?.name ?? "Error"}${status ? ` (HTTP ${status})` : ""}: ${msg}`;
};

/** Planned switchover of the global cluster's writer to `targetRegion`. */
export function switchover(opts: RunbookOptions, ports: AuroraPorts): Promise<RunbookReport> {
    return run("switchover", opts, ports);
}

/** Unplanned failover of the global cluster's writer to `targetRegion` (data loss accepted). */
export function failover(opts: RunbookOptions, ports: AuroraPorts): Promise<RunbookReport> {
    return run("failover", opts, ports);
}

async function run(
    runbook: "switchover" | "failover",
    opts: RunbookOptions,
    ports: AuroraPorts,
): Promise<RunbookReport> {
    const steps: StepResult[] = [];
    const dryRun = opts.dryRun === true;
    const done = (): RunbookReport => ({
        runbook,
        dryRun,
        ok: steps.every((s) => s.status !== "failed"),
        steps,
    });
    const fail = (step: string, detail: string, region = opts.targetRegion) => {
        steps.push({ region, step, status: "failed", detail });
        return done();
    };
    const ok = (step: string, detail: string, region = opts.targetRegion) =>
        steps.push({ region, step, status: "info", detail });

    // 1. Residency and topology: the target must be a global-data region.
    if (!opts.globalDataRegions.includes(opts.targetRegion)) {
        return fail(
            "residency",
            `${opts.targetRegion} is not a global-data region of the topology (${opts.globalDataRegions.join(", ")}); the global cluster may not be written there`,
        );
    }
    if (runbook === "failover" && !opts.allowDataLoss && !dryRun) {
        return fail(
            "confirmation",
            "an unplanned failover loses the writes not yet replicated; rerun with --allow-data-loss (or use switchover while the writer's region is healthy)",
        );
    }

    // 2. The global cluster as seen from the target region (the writer's region may be down).
    let g: GlobalClusterView | undefined;
    try {
        g = await ports.describeGlobalCluster(opts.targetRegion, opts.globalClusterId);
    } catch (e) {
        return fail("global-cluster", errText(e));
    }
    if (!g) return fail("global-cluster", `global cluster ${opts.globalClusterId} not found`);
    const writer = g.members.find((m) => m.isWriter);
    const target = g.members.find((m) => m.region === opts.targetRegion);
    if (!target) {
        return fail(
            "global-cluster",
            `no member of ${g.id} in ${opts.targetRegion} (members: ${g.members.map((m) => m.region).join(", ") || "none"})`,
        );
    }
    if (target.isWriter) {
        return fail("global-cluster", `${opts.targetRegion} already holds the writer of ${g.id}`);
    }
    if (runbook === "switchover" && g.status !== "available") {
        return fail("global-cluster", `${g.id} is ${g.status}; a switchover needs it available`);
    }
    ok(
        "global-cluster",
        `${g.id} (${g.status}, ${g.engineVersion}); writer ${writer?.region ?? "unknown"}, target ${target.arn}`,
    );

    // 3. The target cluster: classification, state, engine version.
    let cluster: Awaited<ReturnType<AuroraPorts["describeCluster"]>>;
    try {
        cluster = await ports.describeCluster(opts.targetRegion, target.arn);
    } catch (e) {
        return fail("target-cluster", errText(e));
    }
    // Only a member classified global may become the writer: an untagged cluster cannot be
    // shown to hold global data (every cluster the program creates carries the tag).
    const classification = cluster.tags[RESIDENCY_TAG];
    if (classification !== "global") {
        return fail(
            "residency",
            classification === undefined
                ? `${cluster.id} has no ${RESIDENCY_TAG} tag, so it cannot be shown to hold global data; the runbook only promotes members classified "global"`
                : `${cluster.id} is classified "${classification}", not global data; the runbook never promotes zone-resident data`,
        );
    }
    if (cluster.status !== "available") {
        return fail("target-cluster", `${cluster.id} is ${cluster.status}, not available`);
    }
    if (runbook === "switchover" && g.engineVersion && cluster.engineVersion !== g.engineVersion) {
        return fail(
            "target-cluster",
            `${cluster.id} runs ${cluster.engineVersion}, the global cluster ${g.engineVersion}: a switchover needs every member on the same version`,
        );
    }
    ok("target-cluster", `${cluster.id} available, ${cluster.engineVersion}`);

    // 4. Replication lag against the RPO.
    let lag: number | undefined;
    try {
        lag = await ports.maxReplicationLagMs(opts.targetRegion, cluster.id, 5);
    } catch (e) {
        return fail("replication-lag", errText(e));
    }
    const rpoMs = opts.rpoSeconds * 1000;
    if (runbook === "switchover") {
        if (lag === undefined && !opts.allowMissingLagMetric) {
            return fail(
                "replication-lag",
                `no AuroraGlobalDBReplicationLag for ${cluster.id} in the last 5 minutes: the RPO cannot be shown (--allow-missing-lag-metric to proceed)`,
            );
        }
        if (lag !== undefined && lag > rpoMs) {
            return fail(
                "replication-lag",
                `${cluster.id} lags ${lag} ms, above the ${rpoMs} ms RPO; wait for it to catch up`,
            );
        }
        ok(
            "replication-lag",
            lag === undefined ? "no metric (accepted)" : `max ${lag} ms ≤ ${rpoMs} ms`,
        );
    } else {
        ok(
            "replication-lag",
            lag === undefined
                ? "no recent metric: data loss cannot be estimated"
                : `last 5 min max ${lag} ms: writes in roughly that window may be lost`,
        );
    }

    // 5. Cache: the Global Datastore member that will become primary.
    let cacheTarget: { id: string; groupId: string } | undefined;
    if (opts.globalDatastoreId) {
        try {
            const ds = await ports.describeGlobalDatastore(
                opts.targetRegion,
                opts.globalDatastoreId,
            );
            const m = ds?.members.find((x) => x.region === opts.targetRegion);
            if (!ds || !m) {
                return fail(
                    "global-datastore",
                    `no member of ${opts.globalDatastoreId} in ${opts.targetRegion}`,
                );
            }
            cacheTarget = { id: ds.id, groupId: m.replicationGroupId };
            ok("global-datastore", `${ds.id}: ${m.replicationGroupId} (${m.role}) becomes primary`);
        } catch (e) {
            return fail("global-datastore", errText(e));
        }
    }

    const call = runbook === "switchover" ? "SwitchoverGlobalCluster" : "FailoverGlobalCluster";
    if (dryRun) {
        steps.push({
            region: opts.targetRegion,
            step: "dry-run",
            status: "skipped",
            detail:
                `would call ${call}(${g.id} → ${target.arn})` +
                (cacheTarget
                    ? ` and FailoverGlobalReplicationGroup(${cacheTarget.id} → ${cacheTarget.groupId})`
                    : ""),
        });
        return done();
    }

    // 6. The switch itself.
    try {
        if (runbook === "switchover") await ports.switchover(opts.targetRegion, g.id, target.arn);
        else await ports.failover(opts.targetRegion, g.id, target.arn);
        steps.push({
            region: opts.targetRegion,
            step: call,
            status: "changed",
            detail: "requested",
        });
    } catch (e) {
        return fail(call, `${errText(e)}; nothing was changed`);
    }

    // 7. Wait for the new writer.
    const deadline = ports.now().getTime() + (opts.waitMinutes ?? 15) * 60_000;
    for (;;) {
        const now = await ports
            .describeGlobalCluster(opts.targetRegion, g.id)
            .catch(() => undefined);
        const w = now?.members.find((m) => m.isWriter);
        if (w?.region === opts.targetRegion && now?.status === "available") {
            ok("new-writer", `${w.arn} is the writer`);
            break;
        }
        if (ports.now().getTime() >= deadline) {
            return fail(
                "new-writer",
                `the writer is still ${w?.region ?? "unknown"} (${now?.status ?? "unknown"}) after ${opts.waitMinutes ?? 15} min; check the RDS events`,
            );
        }
        await ports.sleep((opts.pollSeconds ?? 15) * 1000);
    }

    // 8. Move the cache's primary with the writer.
    if (cacheTarget) {
        try {
            await ports.failoverGlobalDatastore(
                opts.targetRegion,
                cacheTarget.id,
                opts.targetRegion,
                cacheTarget.groupId,
            );
            steps.push({
                region: opts.targetRegion,
                step: "FailoverGlobalReplicationGroup",
                status: "changed",
                detail: `${cacheTarget.groupId} requested as primary`,
            });
        } catch (e) {
            return fail("FailoverGlobalReplicationGroup", errText(e));
        }
    }
    ok(
        "next",
        `set taskflow:writerRegion: ${opts.targetRegion} in Pulumi.yaml and pulumi up the region stacks (write forwarding and the tasks' write path follow it); a refresh before that is already clean (members ignore their global identifiers)`,
    );
    return done();
}

/** One line per step. */
export function formatRunbook(r: RunbookReport): string {
    const head = `${r.runbook}${r.dryRun ? " (dry run)" : ""}: ${r.ok ? "ok" : "FAILED"}`;
    return [
        head,
        ...r.steps.map(
            (s) =>
                `  ${s.region.padEnd(15)} ${s.step.padEnd(30)} ${s.status.padEnd(9)} ${s.detail}`,
        ),
    ].join("\n");
}
