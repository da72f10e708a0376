/**
 * One run of one night-mode action over every cell: its steps (capacity, traffic dial, DNS gate,
 * desired count), the phases they make up (night, day), the hold and the lock.
 */
import type { NightCell, NightModeSpec } from "../../model/night-mode";
import { isNight } from "../../model/night-mode";
import { StepResult, StepStatus, errorText } from "../../model/steps";
import { NightAction, NightModePorts, NightModeReport } from "./ports";

/** How long a flip may hold the lock; a crashed run's lock expires after it. */
const LOCK_SECONDS = 900;
/** How long an action waits for another run's lock (an emergency sets its hold first). */
const LOCK_WAIT_SECONDS = 120;

type Phase = "night" | "day";

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
    return new NightModeRun(spec, action, ports, owner).run();
}

/** One run of one action: the steps it takes, recorded as it goes. */
class NightModeRun {
    private readonly results: StepResult[] = [];
    private heldUntil: string | undefined;
    private applied: Phase | undefined;
    private readonly drained: NightCell[];

    constructor(
        private readonly spec: NightModeSpec,
        private readonly action: NightAction,
        private readonly ports: NightModePorts,
        private readonly owner: string,
    ) {
        this.drained = spec.cells.filter((c) => c.role === "drain");
    }

    async run(): Promise<NightModeReport> {
        for (const c of this.spec.cells) {
            this.results.push({ region: c.region, step: "plan", status: "info", detail: c.reason });
        }
        if (this.action === "status") {
            await this.status();
            return this.report();
        }
        // Writing actions. An emergency declares its hold before anything else, so a night flip
        // in progress stops at its next cell and releases the lock.
        if (this.action === "emergency") await this.declareHold();
        if (!(await this.lock())) return this.report();
        try {
            await this.write();
        } finally {
            await this.ports.unlock(this.owner).catch((e) => this.fail("unlock", e));
        }
        return this.report();
    }

    private report(): NightModeReport {
        return {
            action: this.action,
            ...(this.applied ? { applied: this.applied } : {}),
            environment: this.spec.environment,
            ok: this.results.every((r) => r.status !== "failed"),
            ...(this.heldUntil ? { heldUntil: this.heldUntil } : {}),
            results: this.results,
        };
    }

    /** Records a failure at the spec's hold region (lock, unlock). */
    private fail(step: string, e: unknown): void {
        this.results.push({
            region: this.spec.holdRegion,
            step,
            status: "failed",
            detail: errorText(e),
        });
    }

    private note(region: string, step: string, status: StepStatus, detail: string): void {
        this.results.push({ region, step, status, detail });
    }

    /** Runs one step and records it; false when it failed (thrown errors included). */
    private async step(
        region: string,
        name: string,
        fn: () => Promise<{ status: StepStatus; detail: string }>,
    ): Promise<boolean> {
        try {
            const r = await fn();
            this.results.push({ region, step: name, ...r });
            return r.status !== "failed";
        } catch (e) {
            this.results.push({ region, step: name, status: "failed", detail: errorText(e) });
            return false;
        }
    }

    // ---- the steps -------------------------------------------------------------------------

    private capacityTo(c: NightCell, target: { min: number; max: number }): Promise<boolean> {
        return this.step(c.region, "capacity", async () => {
            const cur = await this.ports.getCapacity(c.region, c.resourceId);
            if (cur.min === target.min && cur.max === target.max) {
                return { status: "unchanged", detail: `min ${cur.min}, max ${cur.max}` };
            }
            await this.ports.setCapacity(c.region, c.resourceId, target.min, target.max);
            return {
                status: "changed",
                detail: `min ${cur.min}→${target.min}, max ${cur.max}→${target.max}`,
            };
        });
    }

    private dialTo(c: NightCell, percent: number): Promise<boolean> {
        return this.step(c.region, "traffic-dial", async () => {
            if (!c.endpointGroupArn) {
                return { status: "failed", detail: "no Global Accelerator endpoint group known" };
            }
            const cur = await this.ports.getDial(c.endpointGroupArn);
            if (cur === percent) return { status: "unchanged", detail: `${cur}%` };
            await this.ports.setDial(c.endpointGroupArn, percent);
            return { status: "changed", detail: `${cur}% → ${percent}%` };
        });
    }

    private gate(c: NightCell, drain: boolean): Promise<boolean> {
        return this.step(c.region, "dns-gate", async () => {
            await this.ports.setGate(c.region, drain);
            return {
                status: "changed",
                detail: drain
                    ? `closed: ${c.region}'s DNS names answer with ${c.target ?? "its night target"}`
                    : "open",
            };
        });
    }

    private raiseDesired(c: NightCell): Promise<boolean> {
        return this.step(c.region, "desired-count", async () => {
            const svc = await this.ports.getService(c.region, c.clusterName, c.serviceName);
            if (svc.desired >= c.day.min) {
                return { status: "unchanged", detail: `desired ${svc.desired}` };
            }
            // Application Auto Scaling raises it to the new minimum on its own, but only at its
            // next evaluation; setting it here saves that minute (restore within 2 min).
            await this.ports.setDesired(c.region, c.clusterName, c.serviceName, c.day.min);
            return { status: "changed", detail: `desired ${svc.desired} → ${c.day.min}` };
        });
    }

    /** Whether an emergency hold is in force now (and remembers until when). */
    private async held(): Promise<boolean> {
        const hold = await this.ports.getHold();
        if (hold && hold > this.ports.now()) {
            this.heldUntil = hold.toISOString();
            return true;
        }
        return false;
    }

    /** Waits, for all cells at once, until each runs its day floor or the deadline passes. */
    private async waitForTasks(cells: NightCell[]): Promise<Record<string, number>> {
        const deadline = this.ports.now().getTime() + this.spec.readinessTimeoutSeconds * 1000;
        const running: Record<string, number> = {};
        let pending = [...cells];
        for (;;) {
            const next: NightCell[] = [];
            for (const c of pending) {
                try {
                    running[c.region] = (
                        await this.ports.getService(c.region, c.clusterName, c.serviceName)
                    ).running;
                } catch (e) {
                    this.note(c.region, "readiness", "failed", errorText(e));
                    running[c.region] = 0;
                    continue;
                }
                if (running[c.region] < c.day.min) next.push(c);
            }
            pending = next;
            if (pending.length === 0 || this.ports.now().getTime() >= deadline) return running;
            await this.ports.sleep(5000);
        }
    }

    // ---- the phases ------------------------------------------------------------------------

    private async toNight(): Promise<void> {
        for (const c of this.drained) {
            // Re-read before each cell: an emergency that started meanwhile wins.
            if (await this.held()) {
                this.note(
                    this.spec.holdRegion,
                    "hold",
                    "skipped",
                    `emergency hold until ${this.heldUntil}: night mode stopped before ${c.region}`,
                );
                return;
            }
            // Traffic first, capacity second: never shrink a cell that still takes traffic.
            const gateOk = await this.gate(c, true);
            const dialOk = await this.dialTo(c, 0);
            if (!gateOk || !dialOk) {
                this.note(
                    c.region,
                    "capacity",
                    "skipped",
                    "traffic could not be drained, so capacity stays at day level",
                );
                continue;
            }
            await this.capacityTo(c, c.night);
        }
    }

    private async toDay(urgent: boolean): Promise<void> {
        // Capacity for every drained cell at once: this is the part that takes minutes.
        await Promise.all(
            this.drained.map(async (c) => {
                if (await this.capacityTo(c, c.day)) await this.raiseDesired(c);
            }),
        );
        // Every cell's traffic comes back, not only the drained ones: a dial or gate left
        // closed by an earlier spec (a region no longer drained) is reopened too.
        const withTraffic = urgent ? [...this.spec.cells] : await this.readyCells();
        for (const c of withTraffic) {
            if (c.endpointGroupArn) await this.dialTo(c, 100);
            if (c.role === "drain") await this.gate(c, false);
        }
    }

    /** Every cell, less the drained cells that have no running task after the readiness wait. */
    private async readyCells(): Promise<NightCell[]> {
        const cells = [...this.spec.cells];
        const serving = this.drained.filter((c) => c.day.max > 0);
        const running = await this.waitForTasks(serving);
        const timeout = this.spec.readinessTimeoutSeconds;
        for (const c of serving) {
            const n = running[c.region] ?? 0;
            if (n === 0) {
                this.note(
                    c.region,
                    "traffic",
                    "failed",
                    `no running task after ${timeout}s: gate and dial stay closed (its users stay on ${c.target ?? "the night target"})`,
                );
                cells.splice(cells.indexOf(c), 1);
            } else if (n < c.day.min) {
                this.note(
                    c.region,
                    "readiness",
                    "info",
                    `${n}/${c.day.min} tasks running after ${timeout}s; opening anyway (autoscaling continues)`,
                );
            }
        }
        return cells;
    }

    // ---- the actions -----------------------------------------------------------------------

    /** `status`: the hold, the clock, and every cell's capacity and dial, read only. */
    private async status(): Promise<void> {
        const { spec, ports } = this;
        const hold = await ports.getHold().catch(() => undefined);
        this.note(
            spec.holdRegion,
            "hold",
            "info",
            hold && hold > ports.now() ? `held until ${hold.toISOString()}` : "none",
        );
        this.note(
            spec.holdRegion,
            "clock",
            "info",
            `${isNight(spec, ports.now()) ? "night" : "day"} in ${spec.timezone} (${spec.nightStart}–${spec.dayStart})`,
        );
        for (const c of this.drained) {
            await this.step(c.region, "capacity", async () => {
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
                await this.step(c.region, "traffic-dial", async () => ({
                    status: "info",
                    detail: `${await ports.getDial(arn)}%`,
                }));
            }
        }
    }

    private async declareHold(): Promise<void> {
        const until = new Date(this.ports.now().getTime() + this.spec.holdHours * 3600_000);
        await this.step(this.spec.holdRegion, "hold", async () => {
            await this.ports.setHold(until);
            return {
                status: "changed",
                detail: `night mode held off until ${until.toISOString()} (npm run ops -- night-mode release to end it)`,
            };
        });
    }

    /** Takes the flip lock, waiting up to LOCK_WAIT_SECONDS; false (recorded) when it cannot. */
    private async lock(): Promise<boolean> {
        const waitUntil = this.ports.now().getTime() + LOCK_WAIT_SECONDS * 1000;
        for (;;) {
            try {
                const until = new Date(this.ports.now().getTime() + LOCK_SECONDS * 1000);
                if (await this.ports.tryLock(this.owner, until)) return true;
            } catch (e) {
                this.fail("lock", e);
                return false;
            }
            if (this.ports.now().getTime() >= waitUntil) {
                this.note(
                    this.spec.holdRegion,
                    "lock",
                    "failed",
                    `another night-mode run held the lock for ${LOCK_WAIT_SECONDS}s (${this.spec.lockParameter})`,
                );
                return false;
            }
            await this.ports.sleep(2000);
        }
    }

    private clearHold(detail: string): Promise<boolean> {
        return this.step(this.spec.holdRegion, "hold", async () => {
            await this.ports.clearHold();
            return { status: "changed", detail };
        });
    }

    /** The writing actions, under the lock. */
    private async write(): Promise<void> {
        if (this.action === "release") {
            await this.clearHold("hold cleared: the next night flip runs");
            return;
        }
        if (this.action === "restore") await this.clearHold("hold cleared");
        let phase: Phase =
            this.action === "night"
                ? "night"
                : this.action === "sync"
                  ? isNight(this.spec, this.ports.now())
                      ? "night"
                      : "day"
                  : "day";
        if (phase === "night" && (await this.held())) {
            this.note(
                this.spec.holdRegion,
                "hold",
                "skipped",
                `emergency hold until ${this.heldUntil}: night mode not applied${this.action === "sync" ? "; day applied" : ""}`,
            );
            if (this.action === "night") return;
            phase = "day";
        }
        this.applied = phase;
        if (phase === "night") await this.toNight();
        else await this.toDay(this.action === "emergency");
    }
}
