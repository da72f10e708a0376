/**
 * What a rollout run is given and reports, and the reads it makes of a region: where its service
 * and alarm topic are, and whether its ECS service has finished a deployment.
 */
import type { RolloutStep } from "./rollout-order";
import { StackChange, describeChange } from "./rollout-classify";
import {
    AlarmView,
    AppPin,
    RegionState,
    RegionStatus,
    RolloutCloud,
    RolloutClock,
    RolloutStacks,
    RolloutState,
    RolloutStore,
    describePin,
    pinOf,
    samePin,
} from "./rollout-state";

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
export interface RegionRefs {
    region: string;
    stack: string;
    cluster: string;
    service: string;
    alarmTopicArn: string;
}

export class Stop extends Error {
    constructor(
        readonly outcome: RolloutOutcome,
        message: string,
    ) {
        super(message);
    }
}

export const LEASE_MARGIN_MS = 10 * 60_000;

/**
 * Waits until the region's ECS service runs `pin` with its PRIMARY deployment COMPLETED.
 * Returns true, or why not. `alarms` (not for a rollback) fails it on an alarm in ALARM.
 */
export async function waitForService(
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
export async function regionRefs(
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

export function describeVerdict(v: StackChange): string {
    switch (v.kind) {
        case "none":
            return "no changes";
        case "app":
            return `app change (${v.app.map(describeChange).join("; ")})`;
        case "infra":
            return `infrastructure change (${v.infra.map(describeChange).join("; ")})`;
    }
}

export function errorText(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

export function firstLine(text: string): string {
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

/** What one region's rollout (rollout-region.ts) uses of the run it belongs to (rollout-run.ts). */
export interface RunContext {
    readonly input: RolloutInput;
    readonly ports: RolloutPorts;
    readonly refs: Record<string, RegionRefs>;
    readonly edgeTopic: string;
    readonly pollLease: number;
    /** The run's state (created before any region is touched). */
    readonly current: RolloutState;
    setRegion(region: string, r: Partial<RegionState>, leaseMs: number): Promise<void>;
    heartbeat(): Promise<void>;
    readAlarms(region: string): Promise<AlarmView[]>;
    firing(alarms: AlarmView[]): AlarmView[];
    alarmText(alarms: AlarmView[]): string;
    stopIfAsked(): void;
    finish(outcome: RolloutOutcome, message: string, exitCode: 0 | 1 | 3): Promise<RolloutReport>;
}

/** Which region runs what, for the closing summary (read from each region's service). */
export async function summarize(
    input: Pick<RolloutInput, "steps">,
    state: RolloutState | undefined,
    refs: Record<string, RegionRefs>,
    cloud: RolloutCloud,
): Promise<RegionSummary[]> {
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
}
