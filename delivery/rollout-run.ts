/**
 * One rollout run, in the order it goes: the stored state (new, resume or refuse), the previews
 * (is this an app rollout, and where does it go), where each region's service and alarms are,
 * the pre-flight, the state, then one region at a time (rollout-region.ts).
 */
import { classifyChanges, StackChange } from "./rollout-classify";
import { RegionRollout } from "./rollout-region";
import {
    RegionRefs,
    RolloutInput,
    RolloutOutcome,
    RolloutPorts,
    RolloutReport,
    RunContext,
    Stop,
    arnRegion,
    describeVerdict,
    errorText,
    formatSummary,
    regionRefs,
    summarize,
} from "./rollout-service";
import {
    AlarmView,
    RegionState,
    RolloutState,
    decideStart,
    describePin,
    pinOf,
} from "./rollout-state";

/** Runs (or resumes) a rollout. Never throws for a failed region: the report says what happened. */
export async function runRollout(input: RolloutInput, ports: RolloutPorts): Promise<RolloutReport> {
    return new RolloutRun(input, ports).run();
}

/** The resume (or not) and the regions a change reaches, once the previews are read. */
interface Decided {
    resuming?: RolloutState;
    reach: string[];
}

/** A run: the previews' verdicts, the state as it goes, where each region is. */
export class RolloutRun implements RunContext {
    readonly verdicts: StackChange[] = [];
    state: RolloutState | undefined;
    refs: Record<string, RegionRefs> = {};
    edgeTopic = "";
    /** The lease a run holds while it polls. */
    readonly pollLease: number;

    constructor(
        readonly input: RolloutInput,
        readonly ports: RolloutPorts,
    ) {
        this.pollLease = Math.max(4 * input.pollMs, 2 * 60_000);
    }

    async run(): Promise<RolloutReport> {
        const decided = await this.decide();
        if ("outcome" in decided) return decided;
        const { resuming, reach } = decided;
        const located = await this.locate();
        if (located) return located;
        // A run that died while rolling a region back: finish that rollback first, alarms or not.
        const halfRolledBack = resuming?.order.find((r) =>
            ["rolling-back", "failed"].includes(resuming.regions[r]?.status ?? ""),
        );
        if (resuming && halfRolledBack) {
            this.state = { ...resuming, status: "running", owner: this.input.owner };
            this.ports.log(
                `${halfRolledBack}: an earlier run was rolling it back; finishing the rollback`,
            );
            const how = await new RegionRollout(this, halfRolledBack).rollBack(
                resuming.regions[halfRolledBack].reason ?? "an interrupted rollback",
            );
            return this.finish(how, this.state.reason!, 1);
        }
        const refused = await this.preflight(reach);
        if (refused) return refused;
        await this.createState(resuming, reach);
        return this.rollOut();
    }

    // ---- the state -------------------------------------------------------------------------

    iso(): string {
        return this.ports.clock.now().toISOString();
    }

    /** The run's state (created before any region is touched). */
    get current(): RolloutState {
        if (!this.state) throw new Error("rollout: no state yet");
        return this.state;
    }

    async save(leaseMs: number): Promise<void> {
        if (!this.state) return;
        this.state.updatedAt = this.iso();
        this.state.leaseUntil = new Date(this.ports.clock.now().getTime() + leaseMs).toISOString();
        await this.ports.store.put(this.state);
    }

    async setRegion(region: string, r: Partial<RegionState>, leaseMs: number): Promise<void> {
        const state = this.current;
        state.regions[region] = { ...state.regions[region], ...r, at: this.iso() } as RegionState;
        await this.save(leaseMs);
    }

    /** Extends the lease while polling, once less than half of it is left (few SSM writes). */
    async heartbeat(): Promise<void> {
        if (!this.state) return;
        const left = new Date(this.state.leaseUntil).getTime() - this.ports.clock.now().getTime();
        if (left < this.pollLease / 2) await this.save(this.pollLease);
    }

    // ---- the alarms ------------------------------------------------------------------------

    async readAlarms(region: string): Promise<AlarmView[]> {
        const { cloud } = this.ports;
        const own = await cloud.alarmsNotifying(region, this.refs[region].alarmTopicArn);
        const edge = this.edgeTopic
            ? await cloud.alarmsNotifying(arnRegion(this.edgeTopic), this.edgeTopic)
            : [];
        return [...own, ...edge];
    }

    firing(alarms: AlarmView[]): AlarmView[] {
        return alarms.filter((a) => a.state === "ALARM");
    }

    alarmText(alarms: AlarmView[]): string {
        return alarms
            .map((a) => `${a.name} (${a.region})${a.reason ? `: ${a.reason}` : ""}`)
            .join("; ");
    }

    // ---- the report ------------------------------------------------------------------------

    async finish(
        outcome: RolloutOutcome,
        message: string,
        exitCode: 0 | 1 | 3,
    ): Promise<RolloutReport> {
        const lines = await summarize(this.input, this.state, this.refs, this.ports.cloud);
        this.ports.log(formatSummary(lines, outcome, message));
        return {
            outcome,
            exitCode,
            message,
            verdicts: this.verdicts,
            summary: lines,
            ...(this.state ? { state: this.state } : {}),
        };
    }

    /** A report without a summary (nothing was touched). */
    private refuse(message: string, extra: Partial<RolloutReport> = {}): RolloutReport {
        return {
            outcome: "refused",
            exitCode: 1,
            message,
            verdicts: this.verdicts,
            summary: [],
            ...extra,
        };
    }

    // ---- 1-2. the stored state and the previews --------------------------------------------

    /** The stored state (new, resume, or refuse) and the previews: an app rollout, and where. */
    private async decide(): Promise<Decided | RolloutReport> {
        const { input, ports } = this;
        const { store, clock, log } = ports;
        const stored = await store.get();
        const start = decideStart(stored, input.targets, clock.now(), {
            ...(input.retry ? { retry: true } : {}),
            where: store.where,
        });
        if (start.kind === "refuse") {
            log(`rollout refused: ${start.message}`);
            return this.refuse(start.message, stored ? { state: stored } : {});
        }
        const resuming = start.kind === "resume" ? start.state : undefined;
        if (resuming) {
            log(
                `resuming rollout ${resuming.id} (started ${resuming.startedAt} by ${resuming.owner}; ${resuming.order.map((r) => `${r} ${resuming.regions[r]?.status ?? "pending"}`).join(", ")})`,
            );
        }
        const changed = await this.previews();
        return this.reachOf(resuming, changed);
    }

    /** Previews every region stack and the edge; returns the regions with an app change. */
    private async previews(): Promise<string[]> {
        const { input, ports } = this;
        const changed: string[] = [];
        for (const s of input.steps) {
            const v = classifyChanges(s.stack, await ports.stacks.preview(s.stack), true);
            this.verdicts.push(v);
            ports.log(`preview ${s.stack}: ${describeVerdict(v)}`);
            if (v.kind === "app") changed.push(s.region);
        }
        const edgeVerdict = classifyChanges(
            input.globalStack,
            await ports.stacks.preview(input.globalStack),
            false,
        );
        this.verdicts.push(edgeVerdict);
        ports.log(`preview ${input.globalStack}: ${describeVerdict(edgeVerdict)}`);
        return changed;
    }

    /** Where the change goes, or why it does not (an infrastructure change, nothing to do). */
    private async reachOf(
        resuming: RolloutState | undefined,
        changed: string[],
    ): Promise<Decided | RolloutReport> {
        const { log } = this.ports;
        const infra = this.verdicts.filter((v) => v.kind === "infra");
        if (infra.length > 0 && resuming) {
            // The waves would take the repository's images to every region at once, in the
            // middle of a rollout of those images.
            const message = `rollout ${resuming.id} was interrupted and this change is not only an app change (${infra.map((v) => v.stack).join(", ")}): resume the rollout from the commit that started it, or give it up (--rollout --abandon), before deploying an infrastructure change. Nothing was changed.`;
            log(`rollout refused: ${message}`);
            return this.refuse(message, { state: resuming });
        }
        if (infra.length > 0) {
            const message = `not an app rollout: ${infra.map((v) => v.stack).join(", ")} change${infra.length > 1 ? "" : "s"} more than the app's task definition; deploy it in waves (npm run deploy), or split the app change from the infrastructure change`;
            log(message);
            return {
                outcome: "not-an-app-rollout",
                exitCode: 3,
                message,
                verdicts: this.verdicts,
                summary: [],
            };
        }
        const order = this.input.steps.map((s) => s.region);
        const inFlight = resuming
            ? resuming.order.filter((r) => resuming.regions[r]?.status !== "promoted")
            : [];
        const reach = order.filter(
            (r) => changed.includes(r) || resuming?.order.includes(r) === true,
        );
        const beyond = resuming ? changed.filter((r) => !resuming.order.includes(r)) : [];
        if (resuming && beyond.length > 0) {
            const message = `the change also reaches ${beyond.join(", ")}, which interrupted rollout ${resuming.id} did not: finish that rollout from the commit that started it, or give it up with --rollout --abandon. Nothing was changed.`;
            log(`rollout refused: ${message}`);
            return this.refuse(message, { state: resuming });
        }
        if (reach.length === 0 || (resuming && inFlight.length === 0 && changed.length === 0)) {
            if (resuming) {
                this.state = {
                    ...resuming,
                    status: "completed",
                    reason: "every region was promoted",
                };
                await this.save(0);
            }
            const message = resuming
                ? `rollout ${resuming.id}: every region was already promoted`
                : "no app change to roll out: every region stack previews without changes";
            return this.finish(resuming ? "completed" : "nothing-to-do", message, 0);
        }
        return { ...(resuming ? { resuming } : {}), reach };
    }

    // ---- 3-5. where the regions are, the pre-flight, the state -----------------------------

    /** Where each region's service and alarms are; a report when a stack is not deployed. */
    private async locate(): Promise<RolloutReport | undefined> {
        const { input, ports } = this;
        try {
            this.refs = await regionRefs(input.steps, ports.stacks);
        } catch (e) {
            return this.refuse(errorText(e));
        }
        const edgeOutputs = await ports.stacks.outputs(input.globalStack);
        this.edgeTopic =
            typeof edgeOutputs.edgeAlarmTopicArn === "string" ? edgeOutputs.edgeAlarmTopicArn : "";
        if (!this.edgeTopic) {
            ports.log(
                `warning: stack ${input.globalStack} has no edgeAlarmTopicArn output: the edge alarms cannot be read (deploy the global stack first)`,
            );
        }
        return undefined;
    }

    /** Nothing alarming anywhere the change goes, nor at the edge. */
    private async preflight(reach: string[]): Promise<RolloutReport | undefined> {
        for (const region of reach) {
            const now = this.firing(await this.readAlarms(region));
            if (now.length > 0) {
                const message = `not starting: alarms already in ALARM before any change (ECS ignores an alarm that is already firing when its deployment starts): ${this.alarmText(now)}`;
                this.ports.log(message);
                return this.finish("refused", message, 1);
            }
        }
        return undefined;
    }

    /** The run's state: the resumed one, or a new one recording what each region runs now. */
    private async createState(resuming: RolloutState | undefined, reach: string[]) {
        const { input, ports } = this;
        if (resuming) {
            this.state = { ...resuming, status: "running", owner: input.owner };
            delete this.state.reason;
        } else {
            const started = this.iso();
            const state: RolloutState = {
                version: 1,
                id: `rollout-${started.replace(/[-:.TZ]/g, "").slice(0, 14)}-${Math.floor(
                    Math.random() * 0xffff,
                )
                    .toString(16)
                    .padStart(4, "0")}`,
                status: "running",
                owner: input.owner,
                leaseUntil: started,
                startedAt: started,
                updatedAt: started,
                order: reach,
                targets: Object.fromEntries(reach.map((r) => [r, input.targets[r]])),
                regions: {},
            };
            this.state = state;
            for (const region of reach) {
                const ref = this.refs[region];
                const svc = await ports.cloud.service(region, ref.cluster, ref.service);
                state.regions[region] = {
                    status: "pending",
                    previous: pinOf(svc),
                    previousTaskDefinition: svc.taskDefinitionArn,
                    at: started,
                };
            }
        }
        await this.save(this.pollLease);
        const state = this.current;
        ports.log(
            `rollout ${state.id} (${ports.store.where}): ${state.order.map((r) => `${r}: ${describePin(state.regions[r].previous)} -> ${describePin(state.targets[r])}`).join("; ")}`,
        );
    }

    // ---- 6. one region at a time -----------------------------------------------------------

    stopIfAsked(): void {
        if (this.input.signal?.aborted) throw new Stop("interrupted", "stopped by the operator");
    }

    private async rollOut(): Promise<RolloutReport> {
        const state = this.current;
        try {
            for (const step of this.input.steps) {
                if (!state.order.includes(step.region)) {
                    this.ports.log(
                        `${step.region}: unchanged (its stack previews without changes)`,
                    );
                    continue;
                }
                const failed = await new RegionRollout(this, step.region).run(step);
                if (failed) return failed;
            }
        } catch (e) {
            if (!(e instanceof Stop)) throw e;
            state.status = "interrupted";
            state.reason = e.message;
            await this.save(0);
            this.ports.log(
                `rollout ${state.id} stopped: ${e.message}. Resume with npm run deploy -- --rollout`,
            );
            return this.finish("interrupted", e.message, 1);
        }
        state.status = "completed";
        delete state.reason;
        await this.save(0);
        return this.finish(
            "completed",
            `rollout ${state.id} completed: ${state.order.join(" -> ")}`,
            0,
        );
    }
}
