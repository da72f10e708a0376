/**
 * Night mode (seed 000, design exercise "Active-Active → Active-Passive"): from 22:00 to 08:00
 * JST only the regions listed as active at night keep full capacity; every other cell drops to a
 * small floor and, where residency allows it, stops taking Global Accelerator traffic.
 *
 * What it changes, and why none of it is drift:
 * - the ECS service's scalable target (min/max capacity): the RegionalCell's
 *   `aws.appautoscaling.Target` ignores `minCapacity`/`maxCapacity` when night mode is on;
 * - the ECS service's `desiredCount` (raised on the way back up): ignored by every cell;
 * - the Global Accelerator endpoint group's traffic dial: ignored by EdgeRouting.
 * Refresh respects `ignoreChanges` (pulumi/pulumi#16146), so a scheduled refresh stays clean.
 *
 * It never rewrites Route 53 records (the seed's sketch UPSERTs `api.<domain>`, which would
 * fight the program and send EU users to Tokyo). DNS-routed users keep reaching their own
 * region, which keeps serving at the night floor and can still autoscale up to its day maximum.
 *
 * Residency: a cell is drained (traffic dial 0) only when its users' zone allows a region that
 * stays active at night. A region whose zone lives nowhere else (eu-west-1 for `eu`) keeps its
 * traffic; only its capacity floor is lowered.
 *
 * This module is pure planning plus a runner over small ports (ops/aws.ts implements them on
 * the AWS SDK v3), so the same code runs in the scheduled Lambda, in `npm run ops`, and in the
 * tests against moto.
 */

/** Night mode settings (`taskflow:nightMode`, validated in config.ts). */
export interface NightModeConfig {
    /** Build the scheduler and controller. Default false. */
    enabled: boolean;
    /** IANA time zone of the schedule. Default Asia/Tokyo (seed 000). */
    timezone: string;
    /** Local time the night starts, HH:MM. Default 22:00. */
    nightStart: string;
    /** Local time the day starts, HH:MM. Default 08:00. */
    dayStart: string;
    /** Regions that keep full capacity and traffic at night. Default: the primary region. */
    activeRegions: string[];
    /** ECS task floor of a passive cell at night (≥ 1: it keeps serving DNS-routed users). Default 1. */
    nightTasks: number;
    /** How long an emergency restore holds night mode off. Default 12 hours. */
    holdHours: number;
    /** How long the day flip waits for tasks before turning the traffic dial back up. Default 240 s. */
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

/** What the controller needs to know about one regional cell. */
export interface NightCell {
    region: string;
    /** Residency zone of the users homed in this region. */
    zone: string;
    clusterName: string;
    serviceName: string;
    /** Application Auto Scaling resource id, `service/<cluster>/<service>`. */
    resourceId: string;
    /** Capacity the program gives the cell (its mode's floor and ceiling). */
    day: { min: number; max: number };
    /** Capacity at night (equal to `day` for cells that stay active). */
    night: { min: number; max: number };
    /** Stays at full capacity and traffic at night. */
    active: boolean;
    /** Global Accelerator traffic dial goes to 0 at night. */
    drain: boolean;
    /** Global Accelerator endpoint group of the cell's ALB. */
    endpointGroupArn?: string;
    /** Why the cell is treated as it is (printed in every report). */
    reason: string;
}

/** The controller's whole configuration: baked into the Lambda, or read from a file by the CLI. */
export interface NightModeSpec {
    environment: string;
    timezone: string;
    nightStart: string;
    dayStart: string;
    /** SSM parameter holding the emergency hold (ISO time until which night mode is off). */
    holdParameter: string;
    /** Region of the hold parameter (the controller's own region). */
    holdRegion: string;
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

/** The part of the topology night mode reads. */
export interface NightTopology {
    zones: Record<string, string[]>;
    regions: { region: string; zone: string; primary: boolean }[];
}

/**
 * Decides, per cell, its night capacity and whether it is drained. Pure; the same function
 * builds the Lambda's spec and the reports.
 */
export function planNightMode(
    topology: NightTopology,
    cfg: NightModeConfig,
    facts: Record<string, CellFacts>,
    names: { environment: string; holdRegion: string },
): NightModeSpec {
    const cells = topology.regions.map((r): NightCell => {
        const f = facts[r.region];
        if (!f) throw new Error(`night mode: no cell outputs for region ${r.region}`);
        const day = { min: f.minTasks, max: f.maxTasks };
        const base = {
            region: r.region,
            zone: r.zone,
            clusterName: f.clusterName,
            serviceName: f.serviceName,
            resourceId: f.resourceId,
            day,
            ...(f.endpointGroupArn ? { endpointGroupArn: f.endpointGroupArn } : {}),
        };
        if (cfg.activeRegions.includes(r.region)) {
            return {
                ...base,
                night: day,
                active: true,
                drain: false,
                reason: "active at night",
            };
        }
        if (day.max === 0) {
            return {
                ...base,
                night: day,
                active: false,
                drain: false,
                reason: "pilot-light cell: no tasks to scale",
            };
        }
        const night = { min: Math.min(cfg.nightTasks, day.min), max: day.max };
        const homes = topology.zones[r.zone] ?? [];
        const servedAtNight = homes.filter((h) => cfg.activeRegions.includes(h));
        if (servedAtNight.length === 0) {
            return {
                ...base,
                night,
                active: false,
                drain: false,
                reason:
                    `zone ${r.zone} data lives only in ${homes.join(", ")}, none active at night: ` +
                    `the cell keeps its traffic at the night floor`,
            };
        }
        return {
            ...base,
            night,
            active: false,
            drain: true,
            reason: `zone ${r.zone} is also served by ${servedAtNight.join(", ")} at night`,
        };
    });
    return {
        environment: names.environment,
        timezone: cfg.timezone,
        nightStart: cfg.nightStart,
        dayStart: cfg.dayStart,
        holdParameter: `/taskflow/${names.environment}/night-mode/hold`,
        holdRegion: names.holdRegion,
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

// ---------------------------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------------------------

export type NightAction = "night" | "day" | "emergency" | "release" | "status";
export const NIGHT_ACTIONS: readonly NightAction[] = [
    "night",
    "day",
    "emergency",
    "release",
    "status",
];

/** What the runner needs from AWS, per region. ops/aws.ts implements it on the SDK. */
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
    getHold(): Promise<Date | undefined>;
    setHold(until: Date): Promise<void>;
    clearHold(): Promise<void>;
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
    environment: string;
    ok: boolean;
    /** Set when a night flip was skipped because of an emergency hold. */
    heldUntil?: string;
    results: StepResult[];
}

const errText = (e: unknown) => {
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = err?.$metadata?.httpStatusCode;
    const msg = (err?.message ?? String(e)).split("\n")[0].slice(0, 200);
    return `${err?.name ?? "Error"}${status ? ` (HTTP ${status})` : ""}: ${msg}`;
};

/**
 * Runs one action over every cell. Idempotent: each step reads the current value first and
 * only writes when it differs. Never throws for a failing AWS call: the failure is a `failed`
 * step and the report is not `ok` (the Lambda then throws, which fires its error alarm).
 */
export async function runNightMode(
    spec: NightModeSpec,
    action: NightAction,
    ports: NightModePorts,
): Promise<NightModeReport> {
    const results: StepResult[] = [];
    const report = (): NightModeReport => ({
        action,
        environment: spec.environment,
        ok: results.every((r) => r.status !== "failed"),
        ...(heldUntil ? { heldUntil } : {}),
        results,
    });
    let heldUntil: string | undefined;
    const passive = spec.cells.filter((c) => !c.active && c.day.max > 0);
    for (const c of spec.cells) {
        results.push({ region: c.region, step: "plan", status: "info", detail: c.reason });
    }

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

    switch (action) {
        case "status": {
            const hold = await ports.getHold().catch(() => undefined);
            results.push({
                region: spec.holdRegion,
                step: "hold",
                status: "info",
                detail: hold && hold > ports.now() ? `held until ${hold.toISOString()}` : "none",
            });
            for (const c of passive) {
                await step(c.region, "capacity", async () => {
                    const cur = await ports.getCapacity(c.region, c.resourceId);
                    const phase =
                        cur.min === c.night.min && cur.min !== c.day.min ? "night" : "day";
                    return { status: "info", detail: `min ${cur.min}, max ${cur.max} (${phase})` };
                });
                if (c.drain && c.endpointGroupArn) {
                    const arn = c.endpointGroupArn;
                    await step(c.region, "traffic-dial", async () => ({
                        status: "info",
                        detail: `${await ports.getDial(arn)}%`,
                    }));
                }
            }
            return report();
        }
        case "release": {
            await step(spec.holdRegion, "hold", async () => {
                await ports.clearHold();
                return { status: "changed", detail: "hold cleared: the next night flip runs" };
            });
            return report();
        }
        case "night": {
            const hold = await ports.getHold();
            if (hold && hold > ports.now()) {
                heldUntil = hold.toISOString();
                results.push({
                    region: spec.holdRegion,
                    step: "hold",
                    status: "skipped",
                    detail: `emergency hold until ${heldUntil}: night mode not applied`,
                });
                return report();
            }
            for (const c of passive) {
                // Traffic first, capacity second: never shrink a cell that still takes GA traffic.
                if (c.drain && !(await dialTo(c, 0))) {
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
            return report();
        }
        case "day":
        case "emergency": {
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
            // Capacity for every passive cell at once: this is the part that takes minutes.
            await Promise.all(
                passive.map(async (c) => {
                    if (await capacityTo(c, c.day)) await raiseDesired(c);
                }),
            );
            const drained = passive.filter((c) => c.drain);
            if (action === "emergency") {
                // Cells at the night floor are serving; turn traffic back at once.
                for (const c of drained) await dialTo(c, 100);
                return report();
            }
            for (const c of drained) {
                const ready = await waitForTasks(c);
                if (ready.running === 0) {
                    results.push({
                        region: c.region,
                        step: "traffic-dial",
                        status: "failed",
                        detail: `no running task after ${spec.readinessTimeoutSeconds}s: dial left at 0 (Global Accelerator keeps sending these users elsewhere)`,
                    });
                    continue;
                }
                if (ready.running < c.day.min) {
                    results.push({
                        region: c.region,
                        step: "readiness",
                        status: "info",
                        detail: `${ready.running}/${c.day.min} tasks running after ${spec.readinessTimeoutSeconds}s; dialling up anyway (autoscaling continues)`,
                    });
                }
                await dialTo(c, 100);
            }
            return report();
        }
    }

    async function waitForTasks(c: NightCell): Promise<{ running: number }> {
        const deadline = ports.now().getTime() + spec.readinessTimeoutSeconds * 1000;
        let running = 0;
        for (;;) {
            try {
                running = (await ports.getService(c.region, c.clusterName, c.serviceName)).running;
            } catch (e) {
                results.push({
                    region: c.region,
                    step: "readiness",
                    status: "failed",
                    detail: errText(e),
                });
                return { running: 0 };
            }
            if (running >= c.day.min || ports.now().getTime() >= deadline) return { running };
            await ports.sleep(5000);
        }
    }
}

/** One line per step, for logs and the CLI. */
export function formatReport(r: NightModeReport): string {
    const head = `night mode ${r.action} (${r.environment}): ${r.ok ? "ok" : "FAILED"}${
        r.heldUntil ? `, held until ${r.heldUntil}` : ""
    }`;
    const lines = r.results.map(
        (s) => `  ${s.region.padEnd(15)} ${s.step.padEnd(14)} ${s.status.padEnd(9)} ${s.detail}`,
    );
    return [head, ...lines].join("\n");
}
