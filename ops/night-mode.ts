/**
 * Night mode (seed 000, design exercise "Active-Active → Active-Passive"): from 22:00 to 08:00
 * JST only the regions listed as active at night serve; every other cell whose users may be
 * served elsewhere is *drained* — its DNS gate closes, its Global Accelerator traffic dial goes
 * to 0, and its task floor drops — and comes back in the morning.
 *
 * Roles, decided from the topology alone (so EdgeRouting builds the DNS gates from the same
 * function):
 * - **active**: listed in `activeRegions`; untouched.
 * - **drain**: its users' residency zone allows a region active at night (the *night target*):
 *   us-east-1 (zone us: us-east-1, ap-northeast-1) drains to ap-northeast-1.
 * - **keep**: its users' zone lives only in regions that are not active at night (eu-west-1 for
 *   zone eu): it keeps serving at full floor, because EU-resident data can be served nowhere else.
 *
 * How a drained cell stops taking traffic, without anything the program would call drift:
 * - **DNS**: EdgeRouting routes the region's geolocation and latency records through a gate
 *   (`<region>.gate.api.<domain>`), a failover pair whose PRIMARY is the region's usual failover
 *   name and whose SECONDARY is the night target's. The PRIMARY's health check is a CloudWatch
 *   alarm on the metric `TaskFlow/NightMode Drained` this controller publishes: 1 at night
 *   (gate closed), 0 by day. The records never change; only a metric value does.
 * - **Global Accelerator**: the endpoint group's traffic dial (0/100), excluded from the
 *   program's diffs for drained regions only.
 * - **Capacity**: the scalable target's min/max (the RegionalCell of a drained region leaves
 *   them to the controller) and the ECS desired count (always excluded from diffs).
 * Refresh respects `ignoreChanges` (pulumi/pulumi#16146), so a scheduled refresh stays clean.
 *
 * This module is pure planning plus a runner over small ports (ops/aws.ts implements them on
 * the AWS SDK v3), so the same code runs in the scheduled Lambda, in `npm run ops`, and in the
 * tests against moto.
 */

/** Night mode settings (`taskflow:nightMode`, validated in config.ts). */
export interface NightModeConfig {
    /** Build the scheduler, gates and controller. Default false. */
    enabled: boolean;
    /** IANA time zone of the schedule. Default Asia/Tokyo (seed 000). */
    timezone: string;
    /** Local time the night starts, HH:MM. Default 22:00. */
    nightStart: string;
    /** Local time the day starts, HH:MM. Default 08:00. */
    dayStart: string;
    /** Regions that keep serving at night. Default: the primary region. */
    activeRegions: string[];
    /** ECS task floor of a drained cell at night (≥ 1). Default 1. */
    nightTasks: number;
    /** How long an emergency restore holds night mode off. Default 12 hours. */
    holdHours: number;
    /** How long the day flip waits for tasks before opening a cell's traffic. Default 240 s. */
    readinessTimeoutSeconds: number;
}

export const NIGHT_MODE_DEFAULTS = {
    enabled: false,
    timezone: "Asia/Tokyo",
    nightStart: "22:00",
    dayStart: "08:00",
    nightTasks: 1,
    holdHours: 12,
    readinessTimeoutSeconds: 240,
};

/** CloudWatch namespace and metric of the DNS gates (EdgeRouting alarms on them). */
export const GATE_NAMESPACE = "TaskFlow/NightMode";
export const GATE_METRIC = "Drained";

export type NightRole = "active" | "drain" | "keep";

/** What night mode does with one region, from the topology alone. */
export interface RegionNightRole {
    role: NightRole;
    /** For `drain`: the active region that serves this region's users at night. */
    target?: string;
    /** Why (printed in every report). */
    reason: string;
}

/** The part of the topology night mode reads. */
export interface NightTopology {
    zones: Record<string, string[]>;
    regions: { region: string; zone: string; primary: boolean; failover?: string }[];
}

/**
 * Each region's role at night. A region is drained only to a region its users' residency zone
 * allows and that is active at night: its failover partner if that qualifies, else the primary,
 * else the first such region in topology order. Pure.
 */
export function nightRoles(
    topology: NightTopology,
    activeRegions: readonly string[],
): Record<string, RegionNightRole> {
    const primary = topology.regions.find((r) => r.primary)?.region;
    const order = topology.regions.map((r) => r.region);
    return Object.fromEntries(
        topology.regions.map((r): [string, RegionNightRole] => {
            if (activeRegions.includes(r.region)) {
                return [r.region, { role: "active", reason: "active at night" }];
            }
            const homes = topology.zones[r.zone] ?? [];
            const candidates = order.filter(
                (x) => x !== r.region && homes.includes(x) && activeRegions.includes(x),
            );
            if (candidates.length === 0) {
                return [
                    r.region,
                    {
                        role: "keep",
                        reason: `zone ${r.zone} data lives only in ${homes.join(", ")}, none active at night: the cell keeps serving at full floor`,
                    },
                ];
            }
            const target =
                (r.failover && candidates.includes(r.failover) ? r.failover : undefined) ??
                (primary && candidates.includes(primary) ? primary : undefined) ??
                candidates[0];
            return [
                r.region,
                {
                    role: "drain",
                    target,
                    reason: `zone ${r.zone} is also served by ${target}: drained to it at night`,
                },
            ];
        }),
    );
}

/** What the controller needs to know about one regional cell. */
export interface NightCell {
    region: string;
    /** Residency zone of the users homed in this region. */
    zone: string;
    role: NightRole;
    /** For `drain`: where its users go at night. */
    target?: string;
    clusterName: string;
    serviceName: string;
    /** Application Auto Scaling resource id, `service/<cluster>/<service>`. */
    resourceId: string;
    /** Capacity the program gives the cell (its mode's floor and ceiling). */
    day: { min: number; max: number };
    /** Capacity at night (equal to `day` unless drained). */
    night: { min: number; max: number };
    /** Global Accelerator endpoint group of the cell's ALB. */
    endpointGroupArn?: string;
    reason: string;
}

/** The controller's whole configuration: baked into the Lambda, or read from a file by the CLI. */
export interface NightModeSpec {
    environment: string;
    timezone: string;
    nightStart: string;
    dayStart: string;
    /** SSM parameters: the emergency hold (ISO time) and the flip lock, in `holdRegion`. */
    holdParameter: string;
    lockParameter: string;
    /** Region of the hold and lock parameters (the controller's own region). */
    holdRegion: string;
    /** Region of the DNS gates' metric and alarms (the global stack's). */
    gateRegion: string;
    holdHours: number;
    readinessTimeoutSeconds: number;
    cells: NightCell[];
}

/** Input of `planNightMode` for one region: the cell's stack outputs and its GA endpoint group. */
export interface CellFacts {
    clusterName: string;
    serviceName: string;
    resourceId: string;
    minTasks: number;
    maxTasks: number;
    endpointGroupArn?: string;
}

/** The controller's spec, from the roles and each cell's outputs. Pure. */
export function planNightMode(
    topology: NightTopology,
    cfg: NightModeConfig,
    facts: Record<string, CellFacts>,
    names: { environment: string; holdRegion: string; gateRegion: string },
): NightModeSpec {
    const roles = nightRoles(topology, cfg.activeRegions);
    const cells = topology.regions.map((r): NightCell => {
        const f = facts[r.region];
        if (!f) throw new Error(`night mode: no cell outputs for region ${r.region}`);
        const day = { min: f.minTasks, max: f.maxTasks };
        const { role, target, reason } = roles[r.region];
        return {
            region: r.region,
            zone: r.zone,
            role,
            ...(target ? { target } : {}),
            clusterName: f.clusterName,
            serviceName: f.serviceName,
            resourceId: f.resourceId,
            day,
            night:
                role === "drain" ? { min: Math.min(cfg.nightTasks, day.min), max: day.max } : day,
            ...(f.endpointGroupArn ? { endpointGroupArn: f.endpointGroupArn } : {}),
            reason,
        };
    });
    return {
        environment: names.environment,
        timezone: cfg.timezone,
        nightStart: cfg.nightStart,
        dayStart: cfg.dayStart,
        holdParameter: `/taskflow/${names.environment}/night-mode/hold`,
        lockParameter: `/taskflow/${names.environment}/night-mode/lock`,
        holdRegion: names.holdRegion,
        gateRegion: names.gateRegion,
        holdHours: cfg.holdHours,
        readinessTimeoutSeconds: cfg.readinessTimeoutSeconds,
        cells,
    };
}

/** Scheduler cron expression for a local HH:MM (used with the schedule's time zone). */
export function cronAt(hhmm: string): string {
    const [h, m] = hhmm.split(":").map(Number);
    return `cron(${m} ${h} * * ? *)`;
}

/** Whether `at` falls in the night window of the spec's time zone. */
export function isNight(
    spec: Pick<NightModeSpec, "timezone" | "nightStart" | "dayStart">,
    at: Date,
): boolean {
    const parts = new Intl.DateTimeFormat("en-GB", {
        timeZone: spec.timezone,
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
    }).formatToParts(at);
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
    const now = get("hour") * 60 + get("minute");
    const toMin = (hhmm: string) => {
        const [h, m] = hhmm.split(":").map(Number);
        return h * 60 + m;
    };
    const start = toMin(spec.nightStart);
    const end = toMin(spec.dayStart);
    return start < end ? now >= start && now < end : now >= start || now < end;
}

// ---------------------------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------------------------

/**
 * - `night` / `day`: the scheduled flips.
 * - `sync`: whichever of the two the clock (and the hold) calls for; the program runs it after
 *   every change of the spec, so new capacities reach the cells the controller owns.
 * - `emergency`: everything back at once, and night mode held off for `holdHours`.
 * - `release`: end the hold.
 * - `restore`: `day` + `release`, ignoring the clock; run when night mode is removed.
 * - `status`: read only.
 */
export type NightAction = "night" | "day" | "sync" | "emergency" | "release" | "restore" | "status";
export const NIGHT_ACTIONS: readonly NightAction[] = [
    "night",
    "day",
    "sync",
    "emergency",
    "release",
    "restore",
    "status",
];

/** What the runner needs from AWS. ops/aws.ts implements it on the SDK. */
export interface NightModePorts {
    getCapacity(region: string, resourceId: string): Promise<{ min: number; max: number }>;
    setCapacity(region: string, resourceId: string, min: number, max: number): Promise<void>;
    getService(
        region: string,
        cluster: string,
        service: string,
    ): Promise<{ desired: number; running: number }>;
    setDesired(region: string, cluster: string, service: string, desired: number): Promise<void>;
    getDial(endpointGroupArn: string): Promise<number>;
    setDial(endpointGroupArn: string, percent: number): Promise<void>;
    /** Publishes the DNS gate of a region: 1 closes it (drained), 0 opens it. */
    setGate(region: string, drained: boolean): Promise<void>;
    getHold(): Promise<Date | undefined>;
    setHold(until: Date): Promise<void>;
    clearHold(): Promise<void>;
    /** Takes the flip lock until `until`; false when someone else holds an unexpired lock. */
    tryLock(owner: string, until: Date): Promise<boolean>;
    unlock(owner: string): Promise<void>;
    now(): Date;
    sleep(ms: number): Promise<void>;
}

export type StepStatus = "changed" | "unchanged" | "skipped" | "failed" | "info";

export interface StepResult {
    region: string;
    step: string;
    status: StepStatus;
    detail: string;
}

export interface NightModeReport {
    action: NightAction;
    /** For `sync`: the phase it applied. */
    applied?: "night" | "day";
    environment: string;
    ok: boolean;
    /** Set when a night flip was skipped (or stopped) because of an emergency hold. */
    heldUntil?: string;
    results: StepResult[];
}

const errText = (e: unknown) => {
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = err?.$metadata?.httpStatusCode;
    const msg = (err?.message ?? String(e)).split("\n")[0].slice(0, 200);
    return `${err?.name ?? "Error"}${status ? ` (HTTP ${status})` : ""}: ${msg}`;
};

/** How long a flip may hold the lock; a crashed run's lock expires after it. */
const LOCK_SECONDS = 900;
/** How long an action waits for another run's lock (an emergency sets its hold first). */
const LOCK_WAIT_SECONDS = 120;

/**
 * Runs one action over every cell. Idempotent: each step reads the current value first and
 * only writes when it differs. Never throws for a failing AWS call: the failure is a `failed`
 * step and the report is not `ok` (the Lambda then throws, which fires its error alarm).
 * Writing actions take a lock (an SSM parameter) shared by the Lambda and the CLI, so two flips
 * never interleave; an emergency sets its hold before waiting for the lock, and a night flip
 * re-reads the hold before each cell, so a running night flip stops at the next cell.
 */
export async function runNightMode(
    spec: NightModeSpec,
    action: NightAction,
    ports: NightModePorts,
    owner = `run-${Math.random().toString(36).slice(2, 10)}`,
): Promise<NightModeReport> {
    const results: StepResult[] = [];
    let heldUntil: string | undefined;
    let applied: "night" | "day" | undefined;
    const report = (): NightModeReport => ({
        action,
        ...(applied ? { applied } : {}),
        environment: spec.environment,
        ok: results.every((r) => r.status !== "failed"),
        ...(heldUntil ? { heldUntil } : {}),
        results,
    });
    for (const c of spec.cells) {
        results.push({ region: c.region, step: "plan", status: "info", detail: c.reason });
    }
    const drained = spec.cells.filter((c) => c.role === "drain");

    const step = async (
        region: string,
        name: string,
        fn: () => Promise<{ status: StepStatus; detail: string }>,
    ): Promise<boolean> => {
        try {
            const r = await fn();
            results.push({ region, step: name, ...r });
            return r.status !== "failed";
        } catch (e) {
            results.push({ region, step: name, status: "failed", detail: errText(e) });
            return false;
        }
    };
    const capacityTo = (c: NightCell, target: { min: number; max: number }) =>
        step(c.region, "capacity", async () => {
            const cur = await ports.getCapacity(c.region, c.resourceId);
            if (cur.min === target.min && cur.max === target.max) {
                return { status: "unchanged", detail: `min ${cur.min}, max ${cur.max}` };
            }
            await ports.setCapacity(c.region, c.resourceId, target.min, target.max);
            return {
                status: "changed",
                detail: `min ${cur.min}→${target.min}, max ${cur.max}→${target.max}`,
            };
        });
    const dialTo = (c: NightCell, percent: number) =>
        step(c.region, "traffic-dial", async () => {
            if (!c.endpointGroupArn) {
                return { status: "failed", detail: "no Global Accelerator endpoint group known" };
            }
            const cur = await ports.getDial(c.endpointGroupArn);
            if (cur === percent) return { status: "unchanged", detail: `${cur}%` };
            await ports.setDial(c.endpointGroupArn, percent);
            return { status: "changed", detail: `${cur}% → ${percent}%` };
        });
    const gate = (c: NightCell, drain: boolean) =>
        step(c.region, "dns-gate", async () => {
            await ports.setGate(c.region, drain);
            return {
                status: "changed",
                detail: drain
                    ? `closed: ${c.region}'s DNS names answer with ${c.target ?? "its night target"}`
                    : "open",
            };
        });
    const raiseDesired = (c: NightCell) =>
        step(c.region, "desired-count", async () => {
            const svc = await ports.getService(c.region, c.clusterName, c.serviceName);
            if (svc.desired >= c.day.min) {
                return { status: "unchanged", detail: `desired ${svc.desired}` };
            }
            // Application Auto Scaling raises it to the new minimum on its own, but only at its
            // next evaluation; setting it here saves that minute (seed: restore within 2 min).
            await ports.setDesired(c.region, c.clusterName, c.serviceName, c.day.min);
            return { status: "changed", detail: `desired ${svc.desired} → ${c.day.min}` };
        });
    const held = async (): Promise<boolean> => {
        const hold = await ports.getHold();
        if (hold && hold > ports.now()) {
            heldUntil = hold.toISOString();
            return true;
        }
        return false;
    };

    /** Waits, for all cells at once, until each runs its day floor or the deadline passes. */
    const waitForTasks = async (cells: NightCell[]): Promise<Record<string, number>> => {
        const deadline = ports.now().getTime() + spec.readinessTimeoutSeconds * 1000;
        const running: Record<string, number> = {};
        let pending = [...cells];
        for (;;) {
            const next: NightCell[] = [];
            for (const c of pending) {
                try {
                    running[c.region] = (
                        await ports.getService(c.region, c.clusterName, c.serviceName)
                    ).running;
                } catch (e) {
                    results.push({
                        region: c.region,
                        step: "readiness",
                        status: "failed",
                        detail: errText(e),
                    });
                    running[c.region] = 0;
                    continue;
                }
                if (running[c.region] < c.day.min) next.push(c);
            }
            pending = next;
            if (pending.length === 0 || ports.now().getTime() >= deadline) return running;
            await ports.sleep(5000);
        }
    };

    const toNight = async () => {
        for (const c of drained) {
            // Re-read before each cell: an emergency that started meanwhile wins.
            if (await held()) {
                results.push({
                    region: spec.holdRegion,
                    step: "hold",
                    status: "skipped",
                    detail: `emergency hold until ${heldUntil}: night mode stopped before ${c.region}`,
                });
                return;
            }
            // Traffic first, capacity second: never shrink a cell that still takes traffic.
            const gateOk = await gate(c, true);
            const dialOk = await dialTo(c, 0);
            if (!gateOk || !dialOk) {
                results.push({
                    region: c.region,
                    step: "capacity",
                    status: "skipped",
                    detail: "traffic could not be drained, so capacity stays at day level",
                });
                continue;
            }
            await capacityTo(c, c.night);
        }
    };

    const toDay = async (urgent: boolean) => {
        // Capacity for every drained cell at once: this is the part that takes minutes.
        await Promise.all(
            drained.map(async (c) => {
                if (await capacityTo(c, c.day)) await raiseDesired(c);
            }),
        );
        // Every cell's traffic comes back, not only the drained ones: a dial or gate left
        // closed by an earlier spec (a region no longer drained) is reopened too.
        const withTraffic = [...spec.cells];
        if (!urgent) {
            const running = await waitForTasks(drained.filter((c) => c.day.max > 0));
            for (const c of drained.filter((x) => x.day.max > 0)) {
                const n = running[c.region] ?? 0;
                if (n === 0) {
                    results.push({
                        region: c.region,
                        step: "traffic",
                        status: "failed",
                        detail: `no running task after ${spec.readinessTimeoutSeconds}s: gate and dial stay closed (its users stay on ${c.target ?? "the night target"})`,
                    });
                    withTraffic.splice(withTraffic.indexOf(c), 1);
                } else if (n < c.day.min) {
                    results.push({
                        region: c.region,
                        step: "readiness",
                        status: "info",
                        detail: `${n}/${c.day.min} tasks running after ${spec.readinessTimeoutSeconds}s; opening anyway (autoscaling continues)`,
                    });
                }
            }
        }
        for (const c of withTraffic) {
            if (c.endpointGroupArn) await dialTo(c, 100);
            if (c.role === "drain") await gate(c, false);
        }
    };

    if (action === "status") {
        const hold = await ports.getHold().catch(() => undefined);
        results.push({
            region: spec.holdRegion,
            step: "hold",
            status: "info",
            detail: hold && hold > ports.now() ? `held until ${hold.toISOString()}` : "none",
        });
        results.push({
            region: spec.holdRegion,
            step: "clock",
            status: "info",
            detail: `${isNight(spec, ports.now()) ? "night" : "day"} in ${spec.timezone} (${spec.nightStart}–${spec.dayStart})`,
        });
        for (const c of drained) {
            await step(c.region, "capacity", async () => {
                const cur = await ports.getCapacity(c.region, c.resourceId);
                const phase =
                    cur.min === c.day.min && cur.max === c.day.max
                        ? "day"
                        : cur.min === c.night.min && cur.max === c.night.max
                          ? "night"
                          : "neither day nor night capacity";
                return { status: "info", detail: `min ${cur.min}, max ${cur.max} (${phase})` };
            });
        }
        for (const c of spec.cells) {
            const arn = c.endpointGroupArn;
            if (arn) {
                await step(c.region, "traffic-dial", async () => ({
                    status: "info",
                    detail: `${await ports.getDial(arn)}%`,
                }));
            }
        }
        return report();
    }

    // Writing actions. An emergency declares its hold before anything else, so a night flip in
    // progress stops at its next cell and releases the lock.
    if (action === "emergency") {
        const until = new Date(ports.now().getTime() + spec.holdHours * 3600_000);
        await step(spec.holdRegion, "hold", async () => {
            await ports.setHold(until);
            return {
                status: "changed",
                detail: `night mode held off until ${until.toISOString()} (npm run ops -- night-mode release to end it)`,
            };
        });
    }
    const waitUntil = ports.now().getTime() + LOCK_WAIT_SECONDS * 1000;
    for (;;) {
        let locked = false;
        try {
            locked = await ports.tryLock(
                owner,
                new Date(ports.now().getTime() + LOCK_SECONDS * 1000),
            );
        } catch (e) {
            results.push({
                region: spec.holdRegion,
                step: "lock",
                status: "failed",
                detail: errText(e),
            });
            return report();
        }
        if (locked) break;
        if (ports.now().getTime() >= waitUntil) {
            results.push({
                region: spec.holdRegion,
                step: "lock",
                status: "failed",
                detail: `another night-mode run held the lock for ${LOCK_WAIT_SECONDS}s (${spec.lockParameter})`,
            });
            return report();
        }
        await ports.sleep(2000);
    }
    try {
        switch (action) {
            case "release":
                await step(spec.holdRegion, "hold", async () => {
                    await ports.clearHold();
                    return { status: "changed", detail: "hold cleared: the next night flip runs" };
                });
                break;
            case "night":
            case "sync":
            case "day":
            case "restore":
            case "emergency": {
                if (action === "restore") {
                    await step(spec.holdRegion, "hold", async () => {
                        await ports.clearHold();
                        return { status: "changed", detail: "hold cleared" };
                    });
                }
                let phase: "night" | "day" =
                    action === "night"
                        ? "night"
                        : action === "sync"
                          ? isNight(spec, ports.now())
                              ? "night"
                              : "day"
                          : "day";
                if (phase === "night" && (await held())) {
                    results.push({
                        region: spec.holdRegion,
                        step: "hold",
                        status: "skipped",
                        detail: `emergency hold until ${heldUntil}: night mode not applied${action === "sync" ? "; day applied" : ""}`,
                    });
                    if (action === "night") break;
                    phase = "day";
                }
                applied = phase;
                if (phase === "night") await toNight();
                else await toDay(action === "emergency");
                break;
            }
        }
    } finally {
        await ports.unlock(owner).catch((e) =>
            results.push({
                region: spec.holdRegion,
                step: "unlock",
                status: "failed",
                detail: errText(e),
            }),
        );
    }
    return report();
}

/** One line per step, for logs and the CLI. */
export function formatReport(r: NightModeReport): string {
    const head = `night mode ${r.action}${r.applied && r.applied !== r.action ? ` (${r.applied})` : ""} (${r.environment}): ${r.ok ? "ok" : "FAILED"}${
        r.heldUntil ? `, held until ${r.heldUntil}` : ""
    }`;
    const lines = r.results.map(
        (s) => `  ${s.region.padEnd(15)} ${s.step.padEnd(14)} ${s.status.padEnd(9)} ${s.detail}`,
    );
    return [head, ...lines].join("\n");
}
