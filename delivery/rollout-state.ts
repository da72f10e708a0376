/**
 * A rollout's ports (the stacks, the cloud, the stored state, the clock) and its stored state:
 * what each region was and is to run, and whether a new run starts, resumes or is refused.
 */
import { ResourceChange } from "./rollout-classify";

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

export const pinOf = (s: ServiceView): AppPin => ({
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
            message: `rollout ${state.id} is running (${state.owner}, lease until ${state.leaseUntil}; ${progress}). Wait for it, or stop it (docs/operations.md, "Stopping it").`,
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
