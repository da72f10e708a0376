/**
 * Progressive delivery across regions (issue 16; seed 000, follow-up exercise 2: canary release
 * between regions, automatic rollback). `npm run deploy -- --rollout` takes an app change one
 * region at a time, in the order of delivery/rollout-order.ts:
 *
 *   for each region: pulumi up of its stack -> wait for its ECS deployment -> bake, reading the
 *   region's alarms and the edge's alarms -> promoted; the next region.
 *
 * Any alarm in ALARM (or an ECS deployment that fails, is rolled back by ECS's circuit breaker or
 * alarm rollback, or does not finish in time) stops the rollout, and the region being changed is
 * rolled back by the same program: `pulumi up` of its stack with the previous image (and CPU and
 * memory) pinned. No other region is touched: regions already promoted keep the new image (they
 * baked clean), regions not reached keep the old one.
 *
 * It is an orchestration over small ports, so the tests run it against moto_server (CloudWatch,
 * ECS, SSM are real AWS APIs there) with the Pulumi side replaced:
 * - {@link RolloutStacks}: preview / up / outputs of one stack (delivery/rollout-stacks.ts, on the
 *   Automation API);
 * - {@link RolloutCloud}: alarms and ECS services (ops/rollout-aws.ts, on the AWS SDK v3);
 * - {@link RolloutStore}: the rollout's state, an SSM parameter next to night mode's lock and hold
 *   (ops/rollout-aws.ts): it outlives the CI runner, any operator can read it with the AWS CLI,
 *   SSM keeps its history, and it spans stacks (a stack tag is per stack and needs Pulumi Cloud).
 *
 * An interrupted rollout (Ctrl-C, a cancelled job, a lost runner) is resumed by the next
 * `--rollout` with the same images: promoted regions are checked and skipped, the region that was
 * in flight is deployed (if it is not yet) and baked again from the start. Anything else that is
 * left over is reported with what to do, and nothing is touched.
 */
import type { RolloutStep } from "./rollout-order";
import { ResourceChange, StackChange, classifyChanges, describeChange } from "./rollout-classify";

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

/** What the rollout pins in a stack to roll it back: the cell's app config keys. */
export interface AppPin {
    /** `taskflow:appImage`. */
    image: string;
    /** `taskflow:taskCpu` (Fargate CPU units). */
    cpu?: number;
    /** `taskflow:taskMemory` (MiB). */
    memory?: number;
}

/** The Pulumi side, one stack at a time. */
export interface RolloutStacks {
    /** `pulumi preview` of the stack with the policy pack: its resource steps. */
    preview(stack: string): Promise<ResourceChange[]>;
    /**
     * `pulumi up` of the stack with the policy pack (preview first). Without `pin`, with the
     * repository's config; with `pin`, the stack's app config keys set to it (the rollback).
     * Returns a one-line summary of the changes.
     */
    up(stack: string, pin?: AppPin): Promise<string>;
    /** The stack's outputs (plain values). */
    outputs(stack: string): Promise<Record<string, unknown>>;
}

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/** One CloudWatch alarm as the rollout reads it. */
export interface AlarmView {
    name: string;
    region: string;
    state: AlarmState;
    reason?: string;
}

/** An ECS service and what its current task definition runs. */
export interface ServiceView {
    taskDefinitionArn: string;
    /** The `app` container's image. */
    image: string;
    cpu?: number;
    memory?: number;
    /** The PRIMARY deployment's rollout state (IN_PROGRESS, COMPLETED, FAILED). */
    rolloutState?: string;
    rolloutStateReason?: string;
    desired: number;
    running: number;
}

/** What the rollout reads in AWS. */
export interface RolloutCloud {
    /** Alarms in `region` that notify `topicArn` (CloudWatch DescribeAlarms, ActionPrefix). */
    alarmsNotifying(region: string, topicArn: string): Promise<AlarmView[]>;
    service(region: string, cluster: string, service: string): Promise<ServiceView>;
}

/** Where the rollout keeps its state. */
export interface RolloutStore {
    get(): Promise<RolloutState | undefined>;
    put(state: RolloutState): Promise<void>;
    /** Where it is, for the messages (e.g. `ssm:ap-northeast-1:/taskflow/prod/rollout`). */
    readonly where: string;
}

export interface RolloutClock {
    now(): Date;
    sleep(ms: number): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

export type RegionStatus =
    | "pending"
    | "unchanged"
    | "updating"
    | "deploying"
    | "baking"
    | "promoted"
    | "failed"
    | "rolling-back"
    | "rolled-back";

export interface RegionState {
    status: RegionStatus;
    /** What ran before the rollout changed it (the rollback's pin). */
    previous?: AppPin;
    previousTaskDefinition?: string;
    reason?: string;
    at: string;
}

export type RolloutStatus =
    "running" | "interrupted" | "completed" | "rolled-back" | "rollback-failed" | "abandoned";

/** The rollout's state (JSON in the store). */
export interface RolloutState {
    version: 1;
    id: string;
    status: RolloutStatus;
    reason?: string;
    /** Who runs it (CI run or user@host), and until when its lease holds. */
    owner: string;
    leaseUntil: string;
    startedAt: string;
    updatedAt: string;
    /** Regions in rollout order (only the regions the change reaches). */
    order: string[];
    /** What each region of `order` is taken to. */
    targets: Record<string, AppPin>;
    regions: Record<string, RegionState>;
    /** The region that failed (status rolled-back or rollback-failed). */
    failedRegion?: string;
}

export const samePin = (a: AppPin | undefined, b: AppPin | undefined): boolean =>
    !!a &&
    !!b &&
    a.image === b.image &&
    (a.cpu ?? null) === (b.cpu ?? null) &&
    (a.memory ?? null) === (b.memory ?? null);

const pinOf = (s: ServiceView): AppPin => ({
    image: s.image,
    ...(s.cpu !== undefined ? { cpu: s.cpu } : {}),
    ...(s.memory !== undefined ? { memory: s.memory } : {}),
});

export const describePin = (p: AppPin | undefined): string =>
    p ? `${p.image}${p.cpu !== undefined ? ` (${p.cpu} CPU, ${p.memory} MiB)` : ""}` : "?";

/** The SSM parameter that holds the rollout state of an environment (ops/rollout-aws.ts). */
export function rolloutParameterName(environment: string): string {
    return `/taskflow/${environment}/rollout`;
}

/** How a run begins, given the stored state (pure). */
export type Start =
    { kind: "new" } | { kind: "resume"; state: RolloutState } | { kind: "refuse"; message: string };

/**
 * Whether a rollout to `targets` may start: fresh, as the resumption of an interrupted one, or
 * not at all (with the message saying why and what to do). Pure.
 */
export function decideStart(
    state: RolloutState | undefined,
    targets: Record<string, AppPin>,
    now: Date,
    options: { retry?: boolean; where?: string } = {},
): Start {
    if (!state || state.status === "completed" || state.status === "abandoned") {
        return { kind: "new" };
    }
    const where = options.where ?? "the rollout state";
    const progress = state.order
        .map((r) => `${r} ${state.regions[r]?.status ?? "pending"}`)
        .join(", ");
    const sameTargets =
        Object.keys(state.targets).every((r) => samePin(state.targets[r], targets[r])) &&
        Object.keys(state.targets).length > 0;
    if (state.status === "running" && new Date(state.leaseUntil) > now) {
        return {
            kind: "refuse",
            message: `rollout ${state.id} is running (${state.owner}, lease until ${state.leaseUntil}; ${progress}). Wait for it, or stop it (docs/operations.md, "Stopping a rollout").`,
        };
    }
    if (state.status === "running" || state.status === "interrupted") {
        if (sameTargets) return { kind: "resume", state };
        return {
            kind: "refuse",
            message:
                `rollout ${state.id} (${state.owner}, started ${state.startedAt}) was interrupted` +
                `${state.reason ? ` (${state.reason})` : ""} with other images than this run's: ${progress}. ` +
                `Resume it by running --rollout from the commit that started it, or check each region (npm run deploy -- --rollout --status), roll back by hand if needed, and give it up with --rollout --abandon (docs/operations.md). Nothing was changed.`,
        };
    }
    if (state.status === "rollback-failed") {
        return {
            kind: "refuse",
            message: `rollout ${state.id} failed in ${state.failedRegion} and its rollback failed too (${state.reason ?? "see the run's output"}): fix ${state.failedRegion} by hand (docs/operations.md, "Rolling back by hand"), then --rollout --abandon. Nothing was changed.`,
        };
    }
    // rolled-back: refuse to roll the same image into the failed region again, unless asked to.
    const failed = state.failedRegion;
    if (failed && samePin(state.targets[failed], targets[failed]) && !options.retry) {
        return {
            kind: "refuse",
            message: `${describePin(targets[failed])} was rolled back in ${failed} by rollout ${state.id} (${state.reason ?? "an alarm"}). Revert the change, or fix the cause and run --rollout --retry. Nothing was changed (state: ${where}).`,
        };
    }
    return { kind: "new" };
}

/**
 * Whether a wave deploy (`npm run deploy` without --rollout) may run given the stored state: not
 * while a rollout runs or is interrupted, and not while the repository still asks, for the region
 * a rollout rolled back, for the image it rolled back (the waves would take it everywhere at once).
 * Returns the refusal, or undefined. Pure.
 */
export function wavesGuard(
    state: RolloutState | undefined,
    targets: Record<string, AppPin>,
    now: Date,
): string | undefined {
    if (!state) return undefined;
    if (state.status === "running" && new Date(state.leaseUntil) > now) {
        return `rollout ${state.id} is running (${state.owner}); deploy after it ends`;
    }
    if (state.status === "running" || state.status === "interrupted") {
        return `rollout ${state.id} was interrupted; resume it (npm run deploy -- --rollout) or give it up (--rollout --abandon) before deploying in waves`;
    }
    if (state.status === "rollback-failed") {
        return `rollout ${state.id} could not roll ${state.failedRegion} back; fix it by hand, then --rollout --abandon`;
    }
    const failed = state.failedRegion;
    if (
        state.status === "rolled-back" &&
        failed &&
        samePin(state.targets[failed], targets[failed])
    ) {
        return `${describePin(targets[failed])} was rolled back in ${failed} by rollout ${state.id}; the waves would take it to every region at once. Revert it, or --rollout --retry`;
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

/** What a run needs besides the ports. */
export interface RolloutInput {
    /** The regions in rollout order (delivery/rollout-order.ts). */
    steps: readonly RolloutStep[];
    /** What the repository's config asks each region to run. */
    targets: Record<string, AppPin>;
    /** The global stack (previewed: it must not change in an app rollout; its alarms gate). */
    globalStack: string;
    bakeMs: number;
    pollMs: number;
    deployTimeoutMs: number;
    /** Who runs it (printed, stored). */
    owner: string;
    /** Roll an image into the region that rolled it back before. */
    retry?: boolean;
    /** Whether night mode drains `region` at `at` (its bake would see no user traffic). */
    drainedAt?: (region: string, at: Date) => boolean;
    /** Stops the run between two steps (Ctrl-C); the state is left resumable. */
    signal?: AbortSignal;
}

export interface RolloutPorts {
    stacks: RolloutStacks;
    cloud: RolloutCloud;
    store: RolloutStore;
    clock: RolloutClock;
    log: (line: string) => void;
}

export type RolloutOutcome =
    | "completed"
    | "nothing-to-do"
    | "not-an-app-rollout"
    | "refused"
    | "rolled-back"
    | "rollback-failed"
    | "interrupted";

/** One line of the final summary: which region runs what. */
export interface RegionSummary {
    region: string;
    stack: string;
    status: RegionStatus | "not reached";
    image?: string;
    taskDefinition?: string;
    reason?: string;
}

export interface RolloutReport {
    outcome: RolloutOutcome;
    /** 0 completed / nothing to do; 1 stopped, rolled back, refused; 3 not an app rollout. */
    exitCode: 0 | 1 | 3;
    message: string;
    /** The verdict of every stack's preview (when previews ran). */
    verdicts: StackChange[];
    summary: RegionSummary[];
    state?: RolloutState;
}

/** Where a region's service and alarm topic are (from its stack's outputs). */
interface RegionRefs {
    region: string;
    stack: string;
    cluster: string;
    service: string;
    alarmTopicArn: string;
}

class Stop extends Error {
    constructor(
        readonly outcome: RolloutOutcome,
        message: string,
    ) {
        super(message);
    }
}

const LEASE_MARGIN_MS = 10 * 60_000;

/** Runs (or resumes) a rollout. Never throws for a failed region: the report says what happened. */
export async function runRollout(input: RolloutInput, ports: RolloutPorts): Promise<RolloutReport> {
    const { stacks, cloud, store, clock, log } = ports;
    const verdicts: StackChange[] = [];
    const iso = () => clock.now().toISOString();
    let state: RolloutState | undefined;
    let refs: Record<string, RegionRefs> = {};

    const save = async (leaseMs: number) => {
        if (!state) return;
        state.updatedAt = iso();
        state.leaseUntil = new Date(clock.now().getTime() + leaseMs).toISOString();
        await store.put(state);
    };
    const setRegion = async (region: string, r: Partial<RegionState>, leaseMs: number) => {
        state!.regions[region] = { ...state!.regions[region], ...r, at: iso() } as RegionState;
        await save(leaseMs);
    };
    const pollLease = Math.max(4 * input.pollMs, 2 * 60_000);
    /** Extends the lease while polling, once less than half of it is left (few SSM writes). */
    const heartbeat = async () => {
        if (!state) return;
        const left = new Date(state.leaseUntil).getTime() - clock.now().getTime();
        if (left < pollLease / 2) await save(pollLease);
    };

    const summary = async (): Promise<RegionSummary[]> => {
        const out: RegionSummary[] = [];
        for (const s of input.steps) {
            const st = state?.regions[s.region];
            const line: RegionSummary = {
                region: s.region,
                stack: s.stack,
                status: st?.status ?? (state?.order.includes(s.region) ? "pending" : "unchanged"),
                ...(st?.reason ? { reason: st.reason } : {}),
            };
            if (line.status === "pending") line.status = "not reached";
            const ref = refs[s.region];
            if (ref) {
                try {
                    const svc = await cloud.service(ref.region, ref.cluster, ref.service);
                    line.image = svc.image;
                    line.taskDefinition = svc.taskDefinitionArn;
                } catch (e) {
                    line.reason = `${line.reason ? `${line.reason}; ` : ""}could not read its service: ${errorText(e)}`;
                }
            }
            out.push(line);
        }
        return out;
    };
    const finish = async (
        outcome: RolloutOutcome,
        message: string,
        exitCode: 0 | 1 | 3,
    ): Promise<RolloutReport> => {
        const lines = await summary();
        log(formatSummary(lines, outcome, message));
        return {
            outcome,
            exitCode,
            message,
            verdicts,
            summary: lines,
            ...(state ? { state } : {}),
        };
    };

    // ---- 1. the stored state: new, resume, or refuse --------------------------------------------
    const stored = await store.get();
    const order = input.steps.map((s) => s.region);
    const start = decideStart(stored, input.targets, clock.now(), {
        ...(input.retry ? { retry: true } : {}),
        where: store.where,
    });
    if (start.kind === "refuse") {
        log(`rollout refused: ${start.message}`);
        return {
            outcome: "refused",
            exitCode: 1,
            message: start.message,
            verdicts,
            summary: [],
            ...(stored ? { state: stored } : {}),
        };
    }
    const resuming = start.kind === "resume" ? start.state : undefined;
    if (resuming) {
        log(
            `resuming rollout ${resuming.id} (started ${resuming.startedAt} by ${resuming.owner}; ${resuming.order.map((r) => `${r} ${resuming.regions[r]?.status ?? "pending"}`).join(", ")})`,
        );
    }

    // ---- 2. previews: is this an app rollout, and where does it go? ------------------------------
    const changed: string[] = [];
    for (const s of input.steps) {
        const v = classifyChanges(s.stack, await stacks.preview(s.stack), true);
        verdicts.push(v);
        log(`preview ${s.stack}: ${describeVerdict(v)}`);
        if (v.kind === "app") changed.push(s.region);
    }
    const edgeVerdict = classifyChanges(
        input.globalStack,
        await stacks.preview(input.globalStack),
        false,
    );
    verdicts.push(edgeVerdict);
    log(`preview ${input.globalStack}: ${describeVerdict(edgeVerdict)}`);
    const infra = verdicts.filter((v) => v.kind === "infra");
    if (infra.length > 0 && resuming) {
        // The waves would take the repository's images to every region at once, in the middle
        // of a rollout of those images.
        const message = `rollout ${resuming.id} was interrupted and this change is not only an app change (${infra.map((v) => v.stack).join(", ")}): resume the rollout from the commit that started it, or give it up (--rollout --abandon), before deploying an infrastructure change. Nothing was changed.`;
        log(`rollout refused: ${message}`);
        return { outcome: "refused", exitCode: 1, message, verdicts, summary: [], state: resuming };
    }
    if (infra.length > 0) {
        const message = `not an app rollout: ${infra.map((v) => v.stack).join(", ")} change${infra.length > 1 ? "" : "s"} more than the app's task definition; deploy it in waves (npm run deploy), or split the app change from the infrastructure change`;
        log(message);
        return { outcome: "not-an-app-rollout", exitCode: 3, message, verdicts, summary: [] };
    }
    const inFlight = resuming
        ? resuming.order.filter((r) => resuming.regions[r]?.status !== "promoted")
        : [];
    const reach = order.filter((r) => changed.includes(r) || resuming?.order.includes(r) === true);
    const beyond = resuming ? changed.filter((r) => !resuming.order.includes(r)) : [];
    if (beyond.length > 0) {
        const message = `the change also reaches ${beyond.join(", ")}, which interrupted rollout ${resuming!.id} did not: finish that rollout from the commit that started it, or give it up with --rollout --abandon. Nothing was changed.`;
        log(`rollout refused: ${message}`);
        return { outcome: "refused", exitCode: 1, message, verdicts, summary: [], state: resuming };
    }
    if (reach.length === 0 || (resuming && inFlight.length === 0 && changed.length === 0)) {
        if (resuming) {
            state = {
                ...resuming,
                status: "completed",
                reason: "every region was promoted",
            };
            await save(0);
        }
        const message = resuming
            ? `rollout ${resuming.id}: every region was already promoted`
            : "no app change to roll out: every region stack previews without changes";
        return finish(resuming ? "completed" : "nothing-to-do", message, 0);
    }

    // ---- 3. where each region's service and alarms are ---------------------------------------------
    try {
        refs = await regionRefs(input.steps, stacks);
    } catch (e) {
        return {
            outcome: "refused",
            exitCode: 1,
            message: errorText(e),
            verdicts,
            summary: [],
        };
    }
    const edgeOutputs = await stacks.outputs(input.globalStack);
    const edgeTopic =
        typeof edgeOutputs.edgeAlarmTopicArn === "string" ? edgeOutputs.edgeAlarmTopicArn : "";
    if (!edgeTopic) {
        log(
            `warning: stack ${input.globalStack} has no edgeAlarmTopicArn output: the edge alarms cannot be read (deploy the global stack first)`,
        );
    }
    const readAlarms = async (region: string): Promise<AlarmView[]> => {
        const own = await cloud.alarmsNotifying(region, refs[region].alarmTopicArn);
        const edge = edgeTopic ? await cloud.alarmsNotifying(arnRegion(edgeTopic), edgeTopic) : [];
        return [...own, ...edge];
    };
    const firing = (alarms: AlarmView[]) => alarms.filter((a) => a.state === "ALARM");
    const alarmText = (alarms: AlarmView[]) =>
        alarms.map((a) => `${a.name} (${a.region})${a.reason ? `: ${a.reason}` : ""}`).join("; ");

    // A run that died while rolling a region back: finish that rollback first, alarms or not.
    const halfRolledBack = resuming?.order.find((r) =>
        ["rolling-back", "failed"].includes(resuming.regions[r]?.status ?? ""),
    );
    if (resuming && halfRolledBack) {
        state = { ...resuming, status: "running", owner: input.owner };
        log(`${halfRolledBack}: an earlier run was rolling it back; finishing the rollback`);
        const how = await rollBack(
            halfRolledBack,
            resuming.regions[halfRolledBack].reason ?? "an interrupted rollback",
        );
        return finish(how, state.reason!, 1);
    }

    // ---- 4. pre-flight: nothing alarming anywhere the change goes, nor at the edge ----------------
    for (const region of reach) {
        const now = firing(await readAlarms(region));
        if (now.length > 0) {
            const message = `not starting: alarms already in ALARM before any change (ECS ignores an alarm that is already firing when its deployment starts): ${alarmText(now)}`;
            log(message);
            return finish("refused", message, 1);
        }
    }

    // ---- 5. the state ------------------------------------------------------------------------------
    if (resuming) {
        state = { ...resuming, status: "running", owner: input.owner };
        delete state.reason;
    } else {
        const started = iso();
        state = {
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
        for (const region of reach) {
            const svc = await cloud.service(region, refs[region].cluster, refs[region].service);
            state.regions[region] = {
                status: "pending",
                previous: pinOf(svc),
                previousTaskDefinition: svc.taskDefinitionArn,
                at: started,
            };
        }
    }
    await save(pollLease);
    log(
        `rollout ${state.id} (${store.where}): ${state.order.map((r) => `${r}: ${describePin(state!.regions[r].previous)} -> ${describePin(state!.targets[r])}`).join("; ")}`,
    );

    // ---- 6. one region at a time -------------------------------------------------------------------
    const stopIfAsked = () => {
        if (input.signal?.aborted) throw new Stop("interrupted", "stopped by the operator");
    };
    try {
        for (const step of input.steps) {
            const region = step.region;
            if (!state.order.includes(region)) {
                log(`${region}: unchanged (its stack previews without changes)`);
                continue;
            }
            const ref = refs[region];
            const target = state.targets[region];
            const rs = state.regions[region];
            if (rs.status === "promoted") {
                const svc = await cloud.service(region, ref.cluster, ref.service);
                if (samePin(pinOf(svc), target)) {
                    log(`${region}: promoted by an earlier run (runs ${describePin(target)})`);
                    continue;
                }
                log(
                    `${region}: was promoted, but now runs ${describePin(pinOf(svc))}: taking it to ${describePin(target)} again`,
                );
            }
            stopIfAsked();
            // Pre-flight for this region (its alarms and the edge's).
            const before = firing(await readAlarms(region));
            if (before.length > 0) {
                throw new Stop(
                    "interrupted",
                    `${region} not started: alarms in ALARM before its change: ${alarmText(before)}`,
                );
            }
            if (step.bakes && input.drainedAt?.(region, clock.now())) {
                throw new Stop(
                    "interrupted",
                    `${region} not started: night mode drains it now, so its bake would see no user traffic; resume by day (npm run deploy -- --rollout)`,
                );
            }

            // Update (unless an interrupted run already did).
            const running = await cloud.service(region, ref.cluster, ref.service);
            if (samePin(pinOf(running), target)) {
                log(`${region}: already runs ${describePin(target)} (an earlier run updated it)`);
            } else {
                log(`${region}: pulumi up ${step.stack} (${describePin(target)})`);
                await setRegion(
                    region,
                    { status: "updating" },
                    input.deployTimeoutMs + LEASE_MARGIN_MS,
                );
                try {
                    const changes = await stacks.up(step.stack);
                    log(`${region}: updated (${changes})`);
                } catch (e) {
                    return finish(
                        await rollBack(region, `pulumi up failed: ${firstLine(errorText(e))}`),
                        state.reason!,
                        1,
                    );
                }
            }
            stopIfAsked();

            // The ECS deployment, gated by the alarms.
            await setRegion(region, { status: "deploying" }, pollLease);
            const deployed = await waitForDeployment(region, target, true);
            if (deployed !== true) {
                return finish(await rollBack(region, deployed), state.reason!, 1);
            }

            // The bake.
            if (step.bakes) {
                await setRegion(region, { status: "baking" }, pollLease);
                const bakeEnd = clock.now().getTime() + input.bakeMs;
                log(
                    `${region}: baking ${Math.round(input.bakeMs / 60_000)} min until ${new Date(bakeEnd).toISOString()}, reading its alarms and the edge's every ${Math.round(input.pollMs / 1000)} s`,
                );
                let reads = 0;
                for (;;) {
                    const alarms = await readAlarms(region);
                    reads++;
                    const bad = firing(alarms);
                    if (bad.length > 0) {
                        const how = await rollBack(
                            region,
                            `alarm during the bake: ${alarmText(bad)}`,
                        );
                        return finish(how, state.reason!, 1);
                    }
                    const svc = await cloud.service(region, ref.cluster, ref.service);
                    if (!samePin(pinOf(svc), target)) {
                        const how = await rollBack(
                            region,
                            `ECS replaced the deployment during the bake (now ${describePin(pinOf(svc))}${svc.rolloutStateReason ? `: ${svc.rolloutStateReason}` : ""})`,
                        );
                        return finish(how, state.reason!, 1);
                    }
                    const left = bakeEnd - clock.now().getTime();
                    if (left <= 0) break;
                    stopIfAsked();
                    if (input.drainedAt?.(region, clock.now())) {
                        throw new Stop(
                            "interrupted",
                            `${region}: night mode drained it during its bake (no user traffic now); it keeps the new image and bakes again from the start when the rollout resumes by day`,
                        );
                    }
                    await heartbeat();
                    await clock.sleep(Math.min(input.pollMs, left));
                }
                log(`${region}: baked clean (${reads} readings of ${alarmSources(region)})`);
            } else {
                log(`${region}: ${step.reason}; no bake`);
            }
            await setRegion(region, { status: "promoted" }, pollLease);
            log(`${region}: promoted`);
        }
    } catch (e) {
        if (!(e instanceof Stop)) throw e;
        state.status = "interrupted";
        state.reason = e.message;
        await save(0);
        log(`rollout ${state.id} stopped: ${e.message}. Resume with npm run deploy -- --rollout`);
        return finish("interrupted", e.message, 1);
    }
    state.status = "completed";
    delete state.reason;
    await save(0);
    return finish("completed", `rollout ${state.id} completed: ${state.order.join(" -> ")}`, 0);

    function alarmSources(region: string): string {
        return `the alarms on ${region}'s cell topic${edgeTopic ? " and on the edge topic" : ""}`;
    }

    function waitForDeployment(region: string, pin: AppPin, gate: boolean) {
        return waitForService(ports, refs[region], pin, {
            timeoutMs: input.deployTimeoutMs,
            pollMs: input.pollMs,
            heartbeat,
            ...(gate
                ? {
                      alarms: async () => {
                          const bad = firing(await readAlarms(region));
                          return bad.length > 0
                              ? `alarm during the ECS deployment: ${alarmText(bad)}`
                              : undefined;
                      },
                  }
                : {}),
        });
    }

    /** Rolls `region` back to its previous pin by the same program; records the outcome. */
    async function rollBack(
        region: string,
        why: string,
    ): Promise<"rolled-back" | "rollback-failed"> {
        const s = state!;
        const step = input.steps.find((x) => x.region === region)!;
        const previous = s.regions[region].previous;
        s.failedRegion = region;
        log(`${region}: FAILED: ${why}`);
        log(`rollout stopped at ${region}; no other region is touched`);
        if (!previous || samePin(previous, s.targets[region])) {
            s.status = "rollback-failed";
            s.reason = `${why}; nothing to roll back to: the change is not in the image, CPU or memory (revert the commit and deploy ${step.stack})`;
            await setRegion(region, { status: "failed", reason: why }, 0);
            log(`${region}: ${s.reason}`);
            return "rollback-failed";
        }
        await setRegion(
            region,
            { status: "rolling-back", reason: why },
            input.deployTimeoutMs + LEASE_MARGIN_MS,
        );
        log(
            `${region}: rolling back: pulumi up ${step.stack} with ${describePin(previous)} pinned`,
        );
        try {
            const changes = await stacks.up(step.stack, previous);
            log(`${region}: rollback update applied (${changes})`);
            const ok = await waitForDeployment(region, previous, false);
            if (ok !== true) throw new Error(ok);
        } catch (e) {
            s.status = "rollback-failed";
            s.reason = `${why}; the rollback failed: ${firstLine(errorText(e))}`;
            await setRegion(region, { status: "failed", reason: s.reason }, 0);
            log(
                `${region}: ROLLBACK FAILED: ${errorText(e)} (docs/operations.md, "Rolling back by hand")`,
            );
            return "rollback-failed";
        }
        s.status = "rolled-back";
        s.reason = `${region}: ${why}`;
        await setRegion(region, { status: "rolled-back", reason: why }, 0);
        log(
            `${region}: rolled back to ${describePin(previous)}. The repository still asks for ${describePin(s.targets[region])}: revert it (a later --rollout or wave deploy of it is refused; --rollout --retry overrides)`,
        );
        return "rolled-back";
    }
}

/**
 * Waits until the region's ECS service runs `pin` with its PRIMARY deployment COMPLETED.
 * Returns true, or why not. `alarms` (not for a rollback) fails it on an alarm in ALARM.
 */
async function waitForService(
    ports: Pick<RolloutPorts, "cloud" | "clock" | "log">,
    ref: RegionRefs,
    pin: AppPin,
    o: {
        timeoutMs: number;
        pollMs: number;
        heartbeat?: () => Promise<void>;
        alarms?: () => Promise<string | undefined>;
    },
): Promise<true | string> {
    const { cloud, clock, log } = ports;
    const deadline = clock.now().getTime() + o.timeoutMs;
    for (;;) {
        const svc = await cloud.service(ref.region, ref.cluster, ref.service);
        const runs = samePin(pinOf(svc), pin);
        if (svc.rolloutState === "FAILED") {
            return `ECS deployment failed${svc.rolloutStateReason ? `: ${svc.rolloutStateReason}` : ""}`;
        }
        if (svc.rolloutState === "COMPLETED" || svc.rolloutState === undefined) {
            if (runs) {
                log(
                    `${ref.region}: ECS deployment complete (${svc.taskDefinitionArn}, ${svc.running}/${svc.desired} tasks)`,
                );
                return true;
            }
            // A completed deployment of something else: ECS rolled back (circuit breaker or
            // alarms), or another change won.
            return `ECS runs ${describePin(pinOf(svc))} instead${svc.rolloutStateReason ? ` (${svc.rolloutStateReason})` : ""}: its circuit breaker or alarm rollback undid the deployment`;
        }
        const alarm = await o.alarms?.();
        if (alarm) return alarm;
        if (clock.now().getTime() >= deadline) {
            return `ECS deployment not complete after ${Math.round(o.timeoutMs / 60_000)} min (${svc.rolloutState}, ${svc.running}/${svc.desired} tasks)`;
        }
        await o.heartbeat?.();
        await clock.sleep(o.pollMs);
    }
}

/** Reads where each region's service and alarm topic are from its stack's outputs. */
async function regionRefs(
    steps: readonly RolloutStep[],
    stacks: RolloutStacks,
): Promise<Record<string, RegionRefs>> {
    const refs: Record<string, RegionRefs> = {};
    for (const s of steps) {
        const out = await stacks.outputs(s.stack);
        const missing = ["ecsClusterName", "ecsServiceName", "alarmTopicArn"].filter(
            (k) => typeof out[k] !== "string" || out[k] === "",
        );
        if (missing.length > 0) {
            throw new Error(
                `stack ${s.stack} has no output ${missing.join(", ")}: it has not been deployed yet; deploy it in waves first (npm run deploy)`,
            );
        }
        refs[s.region] = {
            region: s.region,
            stack: s.stack,
            cluster: out.ecsClusterName as string,
            service: out.ecsServiceName as string,
            alarmTopicArn: out.alarmTopicArn as string,
        };
    }
    return refs;
}

/** The region of an ARN (`arn:aws:sns:<region>:<account>:<name>`). */
export function arnRegion(arn: string): string {
    return arn.split(":")[3] ?? "";
}

function describeVerdict(v: StackChange): string {
    switch (v.kind) {
        case "none":
            return "no changes";
        case "app":
            return `app change (${v.app.map(describeChange).join("; ")})`;
        case "infra":
            return `infrastructure change (${v.infra.map(describeChange).join("; ")})`;
    }
}

function errorText(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

function firstLine(text: string): string {
    return text.trim().split("\n")[0];
}

/** The closing summary: which region runs what. */
export function formatSummary(
    lines: readonly RegionSummary[],
    outcome: RolloutOutcome,
    message: string,
): string {
    const width = Math.max(6, ...lines.map((l) => l.region.length));
    return [
        `rollout ${outcome}: ${message}`,
        "which region runs what:",
        ...lines.map(
            (l) =>
                `  ${l.region.padEnd(width)}  ${l.status.padEnd(12)} ${l.image ?? "?"}${l.taskDefinition ? `  (${l.taskDefinition})` : ""}${l.reason && l.status !== "promoted" ? `\n  ${" ".repeat(width)}  ${l.reason}` : ""}`,
        ),
    ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// By hand: status, abandon, roll one region back
// ---------------------------------------------------------------------------------------------

/** The stored state, for `--rollout --status` and the messages. */
export function formatState(state: RolloutState | undefined, where: string): string {
    if (!state) return `no rollout recorded (${where})`;
    return [
        `rollout ${state.id}: ${state.status}${state.reason ? ` (${state.reason})` : ""}`,
        `  state: ${where}; by ${state.owner}; started ${state.startedAt}; updated ${state.updatedAt}; lease until ${state.leaseUntil}`,
        ...state.order.map((r) => {
            const x = state.regions[r];
            return `  ${r}: ${x?.status ?? "pending"}; ${describePin(x?.previous)} -> ${describePin(state.targets[r])}${x?.reason ? `; ${x.reason}` : ""}`;
        }),
    ].join("\n");
}

/**
 * `--rollout --abandon`: gives up an interrupted or failed rollout once an operator has checked
 * the regions. Refused while a run holds the lease. Returns the message.
 */
export async function abandonRollout(
    store: RolloutStore,
    clock: RolloutClock,
    owner: string,
): Promise<{ ok: boolean; message: string }> {
    const state = await store.get();
    if (!state || state.status === "completed" || state.status === "abandoned") {
        return { ok: true, message: `nothing to abandon: ${formatState(state, store.where)}` };
    }
    if (state.status === "running" && new Date(state.leaseUntil) > clock.now()) {
        return {
            ok: false,
            message: `rollout ${state.id} is running (${state.owner}, lease until ${state.leaseUntil}); stop it first`,
        };
    }
    const was = state.status;
    state.status = "abandoned";
    state.reason = `abandoned by ${owner} (was ${was})`;
    state.updatedAt = clock.now().toISOString();
    state.leaseUntil = state.updatedAt;
    await store.put(state);
    return { ok: true, message: formatState(state, store.where) };
}

/**
 * `--rollout --rollback <region>`: the region's stack updated with the image (CPU, memory) it ran
 * before the recorded rollout, by the same program; the rollout is then `rolled-back` in that
 * region (so the image is not taken there again without --retry). Nothing else is touched.
 */
export async function rollbackByHand(
    region: string,
    input: Pick<RolloutInput, "steps" | "deployTimeoutMs" | "pollMs" | "owner">,
    ports: RolloutPorts,
): Promise<{ ok: boolean; message: string }> {
    const { stacks, store, clock, log } = ports;
    const state = await store.get();
    const step = input.steps.find((s) => s.region === region);
    if (!step) {
        return {
            ok: false,
            message: `${region} is not a region of the topology (${input.steps.map((s) => s.region).join(", ")})`,
        };
    }
    const previous = state?.regions[region]?.previous;
    if (!state || !previous) {
        return {
            ok: false,
            message: `no rollout recorded what ${region} ran before (${formatState(state, store.where)}); roll it back by reverting the change and deploying ${step.stack}`,
        };
    }
    if (state.status === "running" && new Date(state.leaseUntil) > clock.now()) {
        return {
            ok: false,
            message: `rollout ${state.id} is running (${state.owner}); stop it before rolling ${region} back by hand`,
        };
    }
    const [ref] = Object.values(await regionRefs([step], stacks));
    const now = await ports.cloud.service(ref.region, ref.cluster, ref.service);
    if (samePin(pinOf(now), previous)) {
        return {
            ok: true,
            message: `${region} already runs ${describePin(previous)}, what it ran before rollout ${state.id}: nothing to roll back`,
        };
    }
    log(
        `${region}: rolling back by hand: pulumi up ${step.stack} with ${describePin(previous)} pinned`,
    );
    const lease = new Date(clock.now().getTime() + input.deployTimeoutMs + LEASE_MARGIN_MS);
    const mark = async (status: RegionStatus, reason: string, overall: RolloutStatus) => {
        state.regions[region] = {
            ...state.regions[region],
            status,
            reason,
            at: clock.now().toISOString(),
        };
        state.status = overall;
        state.failedRegion = region;
        state.reason = `${region}: ${reason}`;
        state.updatedAt = clock.now().toISOString();
        await store.put(state);
    };
    state.leaseUntil = lease.toISOString();
    const reason = `rolled back by hand by ${input.owner}`;
    await mark("rolling-back", reason, "running");
    try {
        log(`${region}: ${await stacks.up(step.stack, previous)}`);
        const ok = await waitForService(ports, ref, previous, {
            timeoutMs: input.deployTimeoutMs,
            pollMs: input.pollMs,
        });
        if (ok !== true) throw new Error(ok);
    } catch (e) {
        state.leaseUntil = clock.now().toISOString();
        await mark("failed", `${reason}; it failed: ${firstLine(errorText(e))}`, "rollback-failed");
        return { ok: false, message: formatState(state, store.where) };
    }
    state.leaseUntil = clock.now().toISOString();
    await mark("rolled-back", reason, "rolled-back");
    return { ok: true, message: formatState(state, store.where) };
}
