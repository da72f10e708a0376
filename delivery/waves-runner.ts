/**
 * Runs deployment waves: one wave after the other, the stacks of a wave in parallel, stopping
 * after the first wave in which any stack failed (its siblings are allowed to finish, so no
 * update is interrupted half-way). The operation on one stack is injected, so the orchestration
 * is tested without the Pulumi CLI.
 */
import type { OpMap } from "@pulumi/pulumi/automation";
import { Wave } from "./order";

/** Outcome of one stack. */
export interface StackOutcome {
    stack: string;
    ok: boolean;
    /** The error's message when the stack failed. */
    error?: string;
    /** A one-line summary when it succeeded (e.g. resource changes). */
    summary?: string;
}

/** Outcome of a run: every stack that ran, and the first failed wave if any. */
export interface RunOutcome {
    ok: boolean;
    outcomes: StackOutcome[];
    /** Stacks never started because an earlier wave failed. */
    skipped: string[];
    /** Index (0-based) of the wave that failed. */
    failedWave?: number;
}

/** Options of `runWaves`. */
export interface RunWavesOptions {
    /**
     * Runs first for every stack of a wave (in parallel); the wave's `runStack` calls start only
     * when all of them succeeded. `npm run deploy` previews each stack with the policy pack here:
     * CrossGuard's stack policies only report after the engine has applied every step of an
     * update, so a violation they find must stop the wave before `pulumi up` starts.
     */
    gate?: (stack: string, wave: Wave) => Promise<string | void>;
}

/** Runs `runStack` over the waves; never throws for a stack failure. */
export async function runWaves(
    waves: readonly Wave[],
    runStack: (stack: string, wave: Wave) => Promise<string | void>,
    options: RunWavesOptions = {},
): Promise<RunOutcome> {
    const outcomes: StackOutcome[] = [];
    const attempt = async (
        stack: string,
        op: () => Promise<string | void>,
        label?: string,
    ): Promise<StackOutcome> => {
        try {
            const summary = await op();
            return { stack, ok: true, ...(summary ? { summary } : {}) };
        } catch (e) {
            const message = e instanceof Error ? e.message : String(e);
            return { stack, ok: false, error: label ? `${label}: ${message}` : message };
        }
    };
    for (let i = 0; i < waves.length; i++) {
        const wave = waves[i];
        if (options.gate) {
            const gate = options.gate;
            const gated = await Promise.all(
                wave.stacks.map((stack) => attempt(stack, () => gate(stack, wave), "gate")),
            );
            const failed = gated.filter((r) => !r.ok);
            if (failed.length > 0) {
                outcomes.push(...failed);
                return {
                    ok: false,
                    outcomes,
                    skipped: [
                        ...gated.filter((r) => r.ok).map((r) => r.stack),
                        ...waves.slice(i + 1).flatMap((w) => w.stacks),
                    ],
                    failedWave: i,
                };
            }
        }
        const results = await Promise.all(
            wave.stacks.map((stack) => attempt(stack, () => runStack(stack, wave))),
        );
        outcomes.push(...results);
        if (results.some((r) => !r.ok)) {
            return {
                ok: false,
                outcomes,
                skipped: waves.slice(i + 1).flatMap((w) => w.stacks),
                failedWave: i,
            };
        }
    }
    return { ok: true, outcomes, skipped: [] };
}

/** Human-readable report of a run: one line per stack, then the verdict. */
export function formatOutcome(run: RunOutcome, command: string): string {
    const lines = run.outcomes.map((o) =>
        o.ok
            ? `  ok      ${o.stack}${o.summary ? `: ${o.summary}` : ""}`
            : `  FAILED  ${o.stack}: ${firstLines(o.error ?? "")}`,
    );
    if (run.skipped.length > 0)
        lines.push(`  skipped ${run.skipped.join(", ")} (a gate or an earlier wave failed)`);
    if (run.ok) lines.push(`${command} succeeded for ${run.outcomes.length} stack(s)`);
    else {
        const failed = run.outcomes.filter((o) => !o.ok).map((o) => o.stack);
        lines.push(
            `${command} stopped at wave ${(run.failedWave ?? 0) + 1}: ${failed.join(", ")} failed`,
        );
    }
    return lines.join("\n");
}

/** The error's first lines: CLI errors can be long; the full output was already streamed. */
function firstLines(text: string, n = 12): string {
    const lines = text.trim().split("\n");
    return lines.length <= n
        ? lines.join("\n          ")
        : [...lines.slice(0, n), "..."].join("\n          ");
}

/** A change summary as one line: `2 create, 1 update`. */
export function describeChanges(changes: OpMap | undefined): string {
    if (!changes) return "no change summary";
    const parts = Object.entries(changes)
        .filter(([, n]) => (n ?? 0) > 0)
        .map(([op, n]) => `${n} ${op}`);
    return parts.length > 0 ? parts.join(", ") : "no changes";
}

/** Streams a stack's output line by line, prefixed with the stack name (stacks run in parallel). */
export function prefixed(stack: string): (out: string) => void {
    let pending = "";
    return (out: string) => {
        pending += out;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) process.stdout.write(`[${stack}] ${line}\n`);
    };
}
