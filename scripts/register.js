// A TypeScript require hook for the command-line scripts (plan, policy:check, deploy, bench).
// It transpiles each .ts file with esbuild (already a dependency for bundling Lambda@Edge), which
// is an order of magnitude faster to start than ts-node and keeps `npm run plan` within a small
// multiple of the time Node needs to load the Pulumi SDKs. Like ts-node's transpile-only mode it
// does no type checking: `npm run typecheck` (tsc --noEmit) does that as its own step.
//
// Stack traces that reach the user point at the TypeScript lines: esbuild's source map of every
// file it compiles is kept, and `mapStackTrace` rewrites the positions in those files when a
// trace is printed — by this hook for a crash (uncaught exception or unhandled rejection), by
// the scripts for the errors they print (scripts/plan.ts). Not `process.setSourceMapsEnabled`,
// nor an `Error.prepareStackTrace` hook: both run for every `.stack` read, and the Pulumi runtime
// reads one per promise it tracks (~25,000 in a plan). Measured on `npm run plan`: source maps
// enabled +50 % (Node also loads the .js.map of every @pulumi/aws module; bench ratio 3.7), even
// a trivial prepareStackTrace +8 %; mapping at print time costs nothing.
"use strict";
const fs = require("fs");
const Module = require("module");
const util = require("util");
const esbuild = require("esbuild");

/** filename → esbuild's source map (JSON text), parsed into a Module.SourceMap on first use. */
const sourceMaps = new Map();

Module._extensions[".ts"] = function compileTs(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    const { code, map } = esbuild.transformSync(source, {
        loader: "ts",
        format: "cjs",
        target: "node20",
        sourcemap: "external",
        sourcefile: filename,
    });
    sourceMaps.set(filename, map);
    module._compile(code, filename);
};

/** The TypeScript position `file:line:column` of a position in a compiled file, or undefined. */
function originalPosition(file, line, column) {
    let map = sourceMaps.get(file);
    if (map === undefined) return undefined;
    if (typeof map === "string") {
        map = new Module.SourceMap(JSON.parse(map));
        sourceMaps.set(file, map);
    }
    // SourceMap positions are 0-based; stack traces are 1-based.
    const entry = map.findEntry(line - 1, column - 1);
    if (!entry || entry.originalLine === undefined) return undefined;
    return `${file}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

/** Rewrites every `<compiled .ts file>:<line>:<column>` in a stack trace to its TypeScript position. */
function mapStackTrace(text) {
    return String(text).replace(
        /([^\s()]+\.ts):(\d+):(\d+)/g,
        (all, file, line, column) => originalPosition(file, Number(line), Number(column)) ?? all,
    );
}

// A crash prints its trace mapped, then exits 1 as Node would (an unhandled rejection reaches
// here too: Node's default --unhandled-rejections=throw raises it as an uncaught exception).
process.on("uncaughtException", (err) => {
    const text = err instanceof Error ? util.inspect(err) : `Uncaught ${util.inspect(err)}`;
    process.stderr.write(`${mapStackTrace(text)}\n`);
    process.exit(1);
});

module.exports = { mapStackTrace };
