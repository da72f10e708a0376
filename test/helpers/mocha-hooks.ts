/**
 * Root hooks of every spec file (.mocharc.js requires this after scripts/ts-hook.js): a failed
 * test's stack trace is mapped to the TypeScript lines before mocha reports it. The hook keeps
 * esbuild's source maps and maps a trace only when asked (why: scripts/ts-hook.js); mocha holds
 * the error until the file's run ends (in a parallel worker too), so mapping it in `afterEach`
 * changes what the reporter prints.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { mapStackTrace } = require("../../scripts/ts-hook.js") as {
    mapStackTrace: (text: string) => string;
};

export const mochaHooks = {
    afterEach(this: Mocha.Context): void {
        const err = (this.currentTest as { err?: unknown } | undefined)?.err;
        if (err instanceof Error && typeof err.stack === "string") {
            err.stack = mapStackTrace(err.stack);
        }
    },
};
