// A TypeScript require hook for the command-line scripts (plan, policy:check, deploy, bench).
// It transpiles each .ts file with esbuild (already a dependency for bundling Lambda@Edge), which
// is an order of magnitude faster to start than ts-node and keeps `npm run plan` within a small
// multiple of the time Node needs to load the Pulumi SDKs. Like ts-node's transpile-only mode it
// does no type checking: `npm run typecheck` (tsc --noEmit) does that as its own step.
"use strict";
const fs = require("fs");
const Module = require("module");
const esbuild = require("esbuild");

Module._extensions[".ts"] = function compileTs(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    const { code } = esbuild.transformSync(source, {
        loader: "ts",
        format: "cjs",
        target: "node20",
        sourcemap: "inline",
        sourcefile: filename,
    });
    module._compile(code, filename);
};
