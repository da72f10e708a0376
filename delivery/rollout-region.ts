/**
 * One region of a rollout run: pre-flight, `pulumi up` of its stack, its ECS deployment gated by
 * the alarms, the bake, promotion; or, on a failure, its rollback by the same program with the
 * previous image (and CPU and memory) pinned.
 */
import type { RolloutStep } from "./rollout-order";
import {
    LEASE_MARGIN_MS,
    RolloutReport,
    RunContext,
    Stop,
    errorText,
    firstLine,
    waitForService,
} from "./rollout-service";
import { AppPin, describePin, pinOf, samePin } from "./rollout-state";

export class RegionRollout {
    constructor(
        private readonly rollout: RunContext,
        private readonly region: string,
    ) {}

    private get ref() {
        return this.rollout.refs[this.region];
    }

    private log(line: string): void {
        this.rollout.ports.log(line);
    }

    /** Takes the region to its target; a report when it failed (and was rolled back or not). */
    async run(step: RolloutStep): Promise<RolloutReport | undefined> {
        const { region, ref } = this;
        const { cloud, clock } = this.rollout.ports;
        const state = this.rollout.current;
        const target = state.targets[region];
        const rs = state.regions[region];
        if (rs.status === "promoted") {
            const svc = await cloud.service(region, ref.cluster, ref.service);
            if (samePin(pinOf(svc), target)) {
                this.log(`${region}: promoted by an earlier run (runs ${describePin(target)})`);
                return undefined;
            }
            this.log(
                `${region}: was promoted, but now runs ${describePin(pinOf(svc))}: taking it to ${describePin(target)} again`,
            );
        }
        this.rollout.stopIfAsked();
        // Pre-flight for this region (its alarms and the edge's).
        const before = this.rollout.firing(await this.rollout.readAlarms(region));
        if (before.length > 0) {
            throw new Stop(
                "interrupted",
                `${region} not started: alarms in ALARM before its change: ${this.rollout.alarmText(before)}`,
            );
        }
        if (step.bakes && this.rollout.input.drainedAt?.(region, clock.now())) {
            throw new Stop(
                "interrupted",
                `${region} not started: night mode drains it now, so its bake would see no user traffic; resume by day (npm run deploy -- --rollout)`,
            );
        }
        const updated = await this.update(step, target);
        if (updated) return updated;
        this.rollout.stopIfAsked();
        // The ECS deployment, gated by the alarms.
        await this.rollout.setRegion(region, { status: "deploying" }, this.rollout.pollLease);
        const deployed = await this.waitForDeployment(target, true);
        if (deployed !== true) return this.failed(deployed);
        if (step.bakes) {
            const baked = await this.bake(target);
            if (baked) return baked;
        } else {
            this.log(`${region}: ${step.reason}; no bake`);
        }
        await this.rollout.setRegion(region, { status: "promoted" }, this.rollout.pollLease);
        this.log(`${region}: promoted`);
        return undefined;
    }

    /** Records the failure, rolls the region back, and reports. */
    private async failed(why: string): Promise<RolloutReport> {
        const how = await this.rollBack(why);
        return this.rollout.finish(how, this.rollout.current.reason!, 1);
    }

    /** `pulumi up` of the region's stack (unless an interrupted run already did). */
    private async update(step: RolloutStep, target: AppPin): Promise<RolloutReport | undefined> {
        const { region, ref } = this;
        const running = await this.rollout.ports.cloud.service(region, ref.cluster, ref.service);
        if (samePin(pinOf(running), target)) {
            this.log(`${region}: already runs ${describePin(target)} (an earlier run updated it)`);
            return undefined;
        }
        this.log(`${region}: pulumi up ${step.stack} (${describePin(target)})`);
        await this.rollout.setRegion(
            region,
            { status: "updating" },
            this.rollout.input.deployTimeoutMs + LEASE_MARGIN_MS,
        );
        try {
            const changes = await this.rollout.ports.stacks.up(step.stack);
            this.log(`${region}: updated (${changes})`);
        } catch (e) {
            return this.failed(`pulumi up failed: ${firstLine(errorText(e))}`);
        }
        return undefined;
    }

    /** The bake: the region's alarms and the edge's read until the bake time is over. */
    private async bake(target: AppPin): Promise<RolloutReport | undefined> {
        const { region, ref } = this;
        const { input } = this.rollout;
        const { cloud, clock } = this.rollout.ports;
        await this.rollout.setRegion(region, { status: "baking" }, this.rollout.pollLease);
        const bakeEnd = clock.now().getTime() + input.bakeMs;
        this.log(
            `${region}: baking ${Math.round(input.bakeMs / 60_000)} min until ${new Date(bakeEnd).toISOString()}, reading its alarms and the edge's every ${Math.round(input.pollMs / 1000)} s`,
        );
        let reads = 0;
        for (;;) {
            const alarms = await this.rollout.readAlarms(region);
            reads++;
            const bad = this.rollout.firing(alarms);
            if (bad.length > 0) {
                return this.failed(`alarm during the bake: ${this.rollout.alarmText(bad)}`);
            }
            const svc = await cloud.service(region, ref.cluster, ref.service);
            if (!samePin(pinOf(svc), target)) {
                return this.failed(
                    `ECS replaced the deployment during the bake (now ${describePin(pinOf(svc))}${svc.rolloutStateReason ? `: ${svc.rolloutStateReason}` : ""})`,
                );
            }
            const left = bakeEnd - clock.now().getTime();
            if (left <= 0) break;
            this.rollout.stopIfAsked();
            if (input.drainedAt?.(region, clock.now())) {
                throw new Stop(
                    "interrupted",
                    `${region}: night mode drained it during its bake (no user traffic now); it keeps the new image and bakes again from the start when the rollout resumes by day`,
                );
            }
            await this.rollout.heartbeat();
            await clock.sleep(Math.min(input.pollMs, left));
        }
        this.log(`${region}: baked clean (${reads} readings of ${this.alarmSources()})`);
        return undefined;
    }

    private alarmSources(): string {
        return `the alarms on ${this.region}'s cell topic${this.rollout.edgeTopic ? " and on the edge topic" : ""}`;
    }

    private waitForDeployment(pin: AppPin, gate: boolean): Promise<true | string> {
        const run = this.rollout;
        return waitForService(run.ports, this.ref, pin, {
            timeoutMs: run.input.deployTimeoutMs,
            pollMs: run.input.pollMs,
            heartbeat: () => run.heartbeat(),
            ...(gate
                ? {
                      alarms: async () => {
                          const bad = run.firing(await run.readAlarms(this.region));
                          return bad.length > 0
                              ? `alarm during the ECS deployment: ${run.alarmText(bad)}`
                              : undefined;
                      },
                  }
                : {}),
        });
    }

    /** Rolls the region back to its previous pin by the same program; records the outcome. */
    async rollBack(why: string): Promise<"rolled-back" | "rollback-failed"> {
        const { region } = this;
        const run = this.rollout;
        const s = run.current;
        const step = run.input.steps.find((x) => x.region === region)!;
        const previous = s.regions[region].previous;
        s.failedRegion = region;
        this.log(`${region}: FAILED: ${why}`);
        this.log(`rollout stopped at ${region}; no other region is touched`);
        if (!previous || samePin(previous, s.targets[region])) {
            s.status = "rollback-failed";
            s.reason = `${why}; nothing to roll back to: the change is not in the image, CPU or memory (revert the commit and deploy ${step.stack})`;
            await run.setRegion(region, { status: "failed", reason: why }, 0);
            this.log(`${region}: ${s.reason}`);
            return "rollback-failed";
        }
        await run.setRegion(
            region,
            { status: "rolling-back", reason: why },
            run.input.deployTimeoutMs + LEASE_MARGIN_MS,
        );
        this.log(
            `${region}: rolling back: pulumi up ${step.stack} with ${describePin(previous)} pinned`,
        );
        try {
            const changes = await run.ports.stacks.up(step.stack, previous);
            this.log(`${region}: rollback update applied (${changes})`);
            const ok = await this.waitForDeployment(previous, false);
            if (ok !== true) throw new Error(ok);
        } catch (e) {
            s.status = "rollback-failed";
            s.reason = `${why}; the rollback failed: ${firstLine(errorText(e))}`;
            await run.setRegion(region, { status: "failed", reason: s.reason }, 0);
            this.log(
                `${region}: ROLLBACK FAILED: ${errorText(e)} (docs/operations.md, "Rolling back by hand")`,
            );
            return "rollback-failed";
        }
        s.status = "rolled-back";
        s.reason = `${region}: ${why}`;
        await run.setRegion(region, { status: "rolled-back", reason: why }, 0);
        this.log(
            `${region}: rolled back to ${describePin(previous)}. The repository still asks for ${describePin(s.targets[region])}: revert it (a later --rollout or wave deploy of it is refused; --rollout --retry overrides)`,
        );
        return "rolled-back";
    }
}
