// The require hook of the command-line scripts (plan, policy:check, deploy, ops, bench, ...):
// the TypeScript hook (scripts/ts-hook.js, which mocha runs on too) plus a crash handler that
// prints a crash's stack trace at the TypeScript lines. Scripts print the errors they catch
// through `mapStackTrace` themselves (scripts/plan.ts). Mocha does not load this file: its own
// handlers turn an uncaught error into a failed test, which this one would cut short.
"use strict";
const util = require("util");
const { mapStackTrace, lazyModulesLoaded } = require("./ts-hook.js");

// The AWS SDK v3 prints a NodeVersionSupportWarning on every run under Node < 22 (its releases
// after January 2027 need Node 22). This project supports Node 20.19+ on purpose (package.json
// engines; README "Requirements") and README says so once, so the scripts do not repeat it on
// every `npm run ops` / `deploy`. Set AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false to
// see it again.
if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined)
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

// A crash prints its trace mapped, then exits 1 as Node would (an unhandled rejection reaches
// here too: Node's default --unhandled-rejections=throw raises it as an uncaught exception).
process.on("uncaughtException", (err) => {
    const text = err instanceof Error ? util.inspect(err) : `Uncaught ${util.inspect(err)}`;
    process.stderr.write(`${mapStackTrace(text)}\n`);
    process.exit(1);
});

module.exports = { mapStackTrace, lazyModulesLoaded };
