/**
 * The Pulumi runtime (3.248) stamps every promise it tracks with the stack trace of its
 * creation, formatted at once (`runtime/debuggable.js`: `_debugStackTrace: new Error().stack`),
 * for one use only: the list of leaked promises printed when `PULUMI_DEBUG_PROMISE_LEAKS` is
 * set (pulumi/pulumi#1374). A plan of the four stacks makes ~25,000 of them, and formatting
 * those traces was half of its CPU time (measured: 1.6 s → 0.8 s per warm plan of the four
 * stacks). Under the mocks the stamp is cut to the error's first line; the leak detection
 * itself (which promises are still pending at exit) is untouched, and with
 * `PULUMI_DEBUG_PROMISE_LEAKS` set nothing changes, so a leak can still be traced.
 */

interface Debuggable {
    debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown>;
}

let installed = false;

/** Makes the runtime's promise stamps cheap for the rest of the process (idempotent). */
export function skipPromiseStacks(): void {
    if (installed || process.env.PULUMI_DEBUG_PROMISE_LEAKS) return;
    installed = true;
    // The runtime calls it as `debuggable_1.debuggablePromise(...)`: replacing the export reaches
    // every caller.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Debuggable;
    const stamp = debuggable.debuggablePromise;
    debuggable.debuggablePromise = (p, ctx) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return stamp(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
}
