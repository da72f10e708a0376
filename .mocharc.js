// Mocha's configuration. The spec files run in two worker processes, the slowest first: a worker
// takes the next file when it is free, so a slow file started last would leave the other worker
// idle at the end (the order is all this list changes; every spec file runs once). SLOWEST is the
// measured order (`npm run bench` reports the suite's wall time); a file missing from it runs after
// them, in path order. A spec file given on the command line replaces the list.
"use strict";
const fs = require("fs");
const path = require("path");

// The AWS SDK's Node-version notice, silenced as the scripts silence it (scripts/register.js says
// why); set here, in mocha's main process, so that its worker processes inherit it.
if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined)
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const SLOWEST = [
    "test/policies/cli-protocol.spec.ts",
    "test/ops/rollout.spec.ts",
    "test/ops/night-mode.spec.ts",
    "test/ops/aurora.spec.ts",
    "test/policies/topologies.spec.ts",
    "test/ops/drill.spec.ts",
    "test/delivery/upstreams.spec.ts",
    "test/delivery/deploy-pack-config.spec.ts",
    "test/plan/report.spec.ts",
    "test/scripts/plan-preview.spec.ts",
    "test/plan/run.spec.ts",
    "test/policies/catalogue.spec.ts",
    "test/delivery/lambda-quota.spec.ts",
    "test/delivery/deploy-cli.spec.ts",
    "test/policies/policy-check-real.spec.ts",
    "test/scripts/cli.spec.ts",
    "test/components/boundary/plan-cli.spec.ts",
];

function specFiles(dir) {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) return specFiles(p);
            return e.name.endsWith(".spec.ts") ? [p] : [];
        })
        .sort();
}

/** Spec files or globs named on the command line (`npx mocha test/x.spec.ts`): they replace the list. */
const named = process.argv.slice(2).some((a) => !a.startsWith("-") && /\.ts$|\*|^test\b/.test(a));
const all = named ? [] : specFiles("test");
const rank = (f) => {
    const i = SLOWEST.indexOf(f);
    return i < 0 ? SLOWEST.length : i;
};

module.exports = {
    require: ["./scripts/ts-hook.js", "./test/helpers/mocha-hooks.ts"],
    extension: ["ts"],
    timeout: 30000,
    reporter: "dot",
    // A young generation of 64 MiB in each worker (V8's default on Node 20 is 16: a 32 MiB new
    // space of two semi-spaces, read with v8.getHeapSpaceStatistics()): planning stacks under the
    // mocks allocates many short-lived objects, and with the default the workers spend much of
    // their time scavenging. Measured over the plan-heavy specs (topologies, report, catalogue):
    // about a fifth less CPU, ~70 MB more memory per process. Not for the short command lines
    // the specs spawn (no gain measured there) nor the type check (none either).
    "node-option": ["max-semi-space-size=64"],
    spec: all.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)),
};
