/**
 * The Pulumi runtime around one mocked run of the program: loading it, awaiting its outputs with
 * a deadline, and leaving nothing of a failed run behind for the next stack.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { RawConfig } from "../config";

export const REPO_ROOT = path.resolve(__dirname, "..");

/** The config map handed to the Pulumi runtime: every value as text, objects as JSON. */
export function runtimeConfig(raw: RawConfig): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
        out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}

/** Loads the program's entry point: `index.ts` exports the function Pulumi runs. */
export function loadProgram(): () => Promise<Record<string, unknown>> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(REPO_ROOT, "index.ts"));
    return (program.default ?? program) as () => Promise<Record<string, unknown>>;
}

/** Resolves every Output in `value`; rejects when any of them failed (an apply that threw). */
export function resolve<T>(value: T): Promise<pulumi.Unwrap<T>> {
    // Output#promise is the SDK's own way to await an output; unlike apply it propagates errors.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (pulumi.output(value) as any).promise() as Promise<pulumi.Unwrap<T>>;
}

/** How long one stack's program may take under the mocks before the plan gives up on it. */
export const STACK_TIMEOUT_MS = 60_000;

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
            () => reject(new Error(`${what} did not finish within ${ms / 1000} s`)),
            ms,
        );
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** How long a failed stack's run may take to settle what it started before it is abandoned. */
const ABANDON_DRAIN_MS = 5_000;
/** A failed run is settled once this long passes without a new rejection from it. */
const ABANDON_QUIET_MS = 100;

/**
 * Leaves nothing of a failed run behind. A program that failed part-way still has registrations
 * in flight and outputs that will never resolve (they wait on the output that failed); the
 * runtime tracks each of them as a leak candidate and reports them all when the process exits
 * ("N promises were still active"). Let what can still settle settle — until the RPC queue drains
 * or no new rejection arrives for a moment — so those rejections reach this stack's handler and
 * not the next stack's (or the process's), then reset the runtime: no monitor, no leak candidates.
 * The next stack's `setMocks` starts from a clean runtime either way.
 */
export async function abandonRun(
    failures: unknown[],
    onRejection: (reason: unknown) => void,
): Promise<void> {
    // waitForRPCs is exported by the runtime but marked internal in its typings.
    const runtime = pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> };
    const drained = runtime.waitForRPCs().then(
        () => true,
        () => true,
    );
    const deadline = Date.now() + ABANDON_DRAIN_MS;
    let seen = -1;
    while (seen !== failures.length && Date.now() < deadline) {
        seen = failures.length;
        let timer: NodeJS.Timeout | undefined;
        const quiet = new Promise<boolean>((r) => {
            timer = setTimeout(() => r(false), ABANDON_QUIET_MS);
        });
        const done = await Promise.race([drained, quiet]);
        clearTimeout(timer);
        if (done) break;
    }
    pulumi.runtime.resetOptions("", "", -1, "", "", false, "");
    process.off("unhandledRejection", onRejection);
}
