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
import { RESIDENCY_TAG } from "../model/residency";
import { ParameterPorts, updateWriterParameters } from "./aurora-parameters";
import { StepResult, errorText } from "../model/steps";

export interface GlobalClusterView {
    id: string;
    status: string;
    engineVersion: string;
    members: { arn: string; region: string; isWriter: boolean }[];
}

export interface AuroraPorts extends ParameterPorts {
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
    /** Regions the topology lists for global data (model/topology.ts globalDataRegions). */
    globalDataRegions: string[];
    /** RPO target in seconds: a switchover refuses a target lagging more than this. */
    rpoSeconds: number;
    /** Global Datastore to move with the writer (failover; optional for switchover). */
    globalDatastoreId?: string;
    /** Environment of the stacks: its writer parameters follow the new writer. Optional. */
    environment?: string;
    /** The topology's regions; those without a member get their writer region rewritten. */
    topologyRegions?: string[];
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

/** Planned switchover of the global cluster's writer to `targetRegion`. */
export function switchover(opts: RunbookOptions, ports: AuroraPorts): Promise<RunbookReport> {
    return run("switchover", opts, ports);
}

/** Unplanned failover of the global cluster's writer to `targetRegion` (data loss accepted). */
export function failover(opts: RunbookOptions, ports: AuroraPorts): Promise<RunbookReport> {
    return run("failover", opts, ports);
}

type Runbook = "switchover" | "failover";
type ClusterView = Awaited<ReturnType<AuroraPorts["describeCluster"]>>;
type Member = GlobalClusterView["members"][number];

/** Raised by a step that failed or refused; the runbook stops there (the step is recorded). */
class Stop extends Error {}

function run(runbook: Runbook, opts: RunbookOptions, ports: AuroraPorts): Promise<RunbookReport> {
    return new AuroraRunbook(runbook, opts, ports).run();
}

/** One run of a runbook: its checks in order, the switch, and the wait for the new writer. */
class AuroraRunbook {
    private readonly steps: StepResult[] = [];
    private readonly dryRun: boolean;

    constructor(
        private readonly runbook: Runbook,
        private readonly opts: RunbookOptions,
        private readonly ports: AuroraPorts,
    ) {
        this.dryRun = opts.dryRun === true;
    }

    async run(): Promise<RunbookReport> {
        try {
            this.checkTarget();
            const { g, target } = await this.globalCluster();
            const cluster = await this.targetCluster(g, target);
            await this.replicationLag(cluster);
            const cacheTarget = await this.datastore();
            const call =
                this.runbook === "switchover" ? "SwitchoverGlobalCluster" : "FailoverGlobalCluster";
            if (this.dryRun) {
                this.steps.push({
                    region: this.opts.targetRegion,
                    step: "dry-run",
                    status: "skipped",
                    detail:
                        `would call ${call}(${g.id} → ${target.arn})` +
                        (cacheTarget
                            ? ` and FailoverGlobalReplicationGroup(${cacheTarget.id} → ${cacheTarget.groupId})`
                            : ""),
                });
                return this.done();
            }
            await this.switchWriter(call, g, target);
            await this.waitForWriter(g);
            if (cacheTarget) await this.moveCache(cacheTarget);
            const { environment: env, targetRegion: t, topologyRegions } = this.opts;
            const scope = { cacheMoved: cacheTarget !== undefined, otherRegions: topologyRegions };
            if (env)
                this.steps.push(
                    ...(await updateWriterParameters(this.ports, env, t, g.members, scope)),
                );
            this.ok(
                "next",
                `set taskflow:writerRegion: ${this.opts.targetRegion} in Pulumi.yaml and pulumi up the region stacks (the members' write forwarding follows it; the tasks' writer parameters ${env ? "were rewritten above" : "need --environment"}); a refresh before that is already clean (members and writer parameters ignore what the runbook changes)`,
            );
        } catch (e) {
            if (!(e instanceof Stop)) throw e;
        }
        return this.done();
    }

    private done(): RunbookReport {
        return {
            runbook: this.runbook,
            dryRun: this.dryRun,
            ok: this.steps.every((s) => s.status !== "failed"),
            steps: this.steps,
        };
    }

    /** Records a failed step and stops the runbook. */
    private fail(step: string, detail: string): never {
        this.steps.push({ region: this.opts.targetRegion, step, status: "failed", detail });
        throw new Stop(detail);
    }

    private ok(step: string, detail: string): void {
        this.steps.push({ region: this.opts.targetRegion, step, status: "info", detail });
    }

    /** A port call whose error fails `step` (with the error's text). */
    private async call<T>(step: string, fn: () => Promise<T>): Promise<T> {
        try {
            return await fn();
        } catch (e) {
            return this.fail(step, errorText(e));
        }
    }

    /** 1. Residency and topology: the target must be a global-data region. */
    private checkTarget(): void {
        const { opts } = this;
        if (!opts.globalDataRegions.includes(opts.targetRegion)) {
            this.fail(
                "residency",
                `${opts.targetRegion} is not a global-data region of the topology (${opts.globalDataRegions.join(", ")}); the global cluster may not be written there`,
            );
        }
        if (this.runbook === "failover" && !opts.allowDataLoss && !this.dryRun) {
            this.fail(
                "confirmation",
                "an unplanned failover loses the writes not yet replicated; rerun with --allow-data-loss (or use switchover while the writer's region is healthy)",
            );
        }
    }

    /** 2. The global cluster as seen from the target region (the writer's region may be down). */
    private async globalCluster(): Promise<{ g: GlobalClusterView; target: Member }> {
        const { opts } = this;
        const g = await this.call("global-cluster", () =>
            this.ports.describeGlobalCluster(opts.targetRegion, opts.globalClusterId),
        );
        if (!g)
            return this.fail("global-cluster", `global cluster ${opts.globalClusterId} not found`);
        const writer = g.members.find((m) => m.isWriter);
        const target = g.members.find((m) => m.region === opts.targetRegion);
        if (!target) {
            return this.fail(
                "global-cluster",
                `no member of ${g.id} in ${opts.targetRegion} (members: ${g.members.map((m) => m.region).join(", ") || "none"})`,
            );
        }
        if (target.isWriter) {
            this.fail("global-cluster", `${opts.targetRegion} already holds the writer of ${g.id}`);
        }
        if (this.runbook === "switchover" && g.status !== "available") {
            this.fail("global-cluster", `${g.id} is ${g.status}; a switchover needs it available`);
        }
        this.ok(
            "global-cluster",
            `${g.id} (${g.status}, ${g.engineVersion}); writer ${writer?.region ?? "unknown"}, target ${target.arn}`,
        );
        return { g, target };
    }

    /** 3. The target cluster: classification, state, engine version. */
    private async targetCluster(g: GlobalClusterView, target: Member): Promise<ClusterView> {
        const cluster = await this.call("target-cluster", () =>
            this.ports.describeCluster(this.opts.targetRegion, target.arn),
        );
        // Only a member classified global may become the writer: an untagged cluster cannot be
        // shown to hold global data (every cluster the program creates carries the tag).
        const classification = cluster.tags[RESIDENCY_TAG];
        if (classification !== "global") {
            this.fail(
                "residency",
                classification === undefined
                    ? `${cluster.id} has no ${RESIDENCY_TAG} tag, so it cannot be shown to hold global data; the runbook only promotes members classified "global"`
                    : `${cluster.id} is classified "${classification}", not global data; the runbook never promotes zone-resident data`,
            );
        }
        if (cluster.status !== "available") {
            this.fail("target-cluster", `${cluster.id} is ${cluster.status}, not available`);
        }
        if (
            this.runbook === "switchover" &&
            g.engineVersion &&
            cluster.engineVersion !== g.engineVersion
        ) {
            this.fail(
                "target-cluster",
                `${cluster.id} runs ${cluster.engineVersion}, the global cluster ${g.engineVersion}: a switchover needs every member on the same version`,
            );
        }
        this.ok("target-cluster", `${cluster.id} available, ${cluster.engineVersion}`);
        return cluster;
    }

    /** 4. Replication lag against the RPO. */
    private async replicationLag(cluster: ClusterView): Promise<void> {
        const { opts } = this;
        const lag = await this.call("replication-lag", () =>
            this.ports.maxReplicationLagMs(opts.targetRegion, cluster.id, 5),
        );
        const rpoMs = opts.rpoSeconds * 1000;
        if (this.runbook === "failover") {
            this.ok(
                "replication-lag",
                lag === undefined
                    ? "no recent metric: data loss cannot be estimated"
                    : `last 5 min max ${lag} ms: writes in roughly that window may be lost`,
            );
            return;
        }
        if (lag === undefined && !opts.allowMissingLagMetric) {
            this.fail(
                "replication-lag",
                `no AuroraGlobalDBReplicationLag for ${cluster.id} in the last 5 minutes: the RPO cannot be shown (--allow-missing-lag-metric to proceed)`,
            );
        }
        if (lag !== undefined && lag > rpoMs) {
            this.fail(
                "replication-lag",
                `${cluster.id} lags ${lag} ms, above the ${rpoMs} ms RPO; wait for it to catch up`,
            );
        }
        this.ok(
            "replication-lag",
            lag === undefined ? "no metric (accepted)" : `max ${lag} ms ≤ ${rpoMs} ms`,
        );
    }

    /** 5. Cache: the Global Datastore member that will become primary. */
    private async datastore(): Promise<{ id: string; groupId: string } | undefined> {
        const { opts } = this;
        const datastoreId = opts.globalDatastoreId;
        if (!datastoreId) return undefined;
        const ds = await this.call("global-datastore", () =>
            this.ports.describeGlobalDatastore(opts.targetRegion, datastoreId),
        );
        const m = ds?.members.find((x) => x.region === opts.targetRegion);
        if (!ds || !m) {
            return this.fail(
                "global-datastore",
                `no member of ${datastoreId} in ${opts.targetRegion}`,
            );
        }
        this.ok(
            "global-datastore",
            `${ds.id}: ${m.replicationGroupId} (${m.role}) becomes primary`,
        );
        return { id: ds.id, groupId: m.replicationGroupId };
    }

    /** 6. The switch itself. */
    private async switchWriter(call: string, g: GlobalClusterView, target: Member): Promise<void> {
        const region = this.opts.targetRegion;
        try {
            if (this.runbook === "switchover")
                await this.ports.switchover(region, g.id, target.arn);
            else await this.ports.failover(region, g.id, target.arn);
        } catch (e) {
            this.fail(call, `${errorText(e)}; nothing was changed`);
        }
        this.steps.push({ region, step: call, status: "changed", detail: "requested" });
    }

    /** 7. Wait for the new writer. */
    private async waitForWriter(g: GlobalClusterView): Promise<void> {
        const { opts, ports } = this;
        const deadline = ports.now().getTime() + (opts.waitMinutes ?? 15) * 60_000;
        for (;;) {
            const now = await ports
                .describeGlobalCluster(opts.targetRegion, g.id)
                .catch(() => undefined);
            const w = now?.members.find((m) => m.isWriter);
            if (w?.region === opts.targetRegion && now?.status === "available") {
                this.ok("new-writer", `${w.arn} is the writer`);
                return;
            }
            if (ports.now().getTime() >= deadline) {
                this.fail(
                    "new-writer",
                    `the writer is still ${w?.region ?? "unknown"} (${now?.status ?? "unknown"}) after ${opts.waitMinutes ?? 15} min; check the RDS events`,
                );
            }
            await ports.sleep((opts.pollSeconds ?? 15) * 1000);
        }
    }

    /** 8. Move the cache's primary with the writer. */
    private async moveCache(cacheTarget: { id: string; groupId: string }): Promise<void> {
        const region = this.opts.targetRegion;
        await this.call("FailoverGlobalReplicationGroup", () =>
            this.ports.failoverGlobalDatastore(region, cacheTarget.id, region, cacheTarget.groupId),
        );
        this.steps.push({
            region,
            step: "FailoverGlobalReplicationGroup",
            status: "changed",
            detail: `${cacheTarget.groupId} requested as primary`,
        });
    }
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
