/**
 * `npm run plan -- [--stack <name>[,<name>]]... [--out <dir>] [--dir <config dir>]
 *      [--policy-pack-config <file.json>] [--strict] [--quiet] [--json] [--color <when>]`
 *
 * The offline plan: evaluates the real program for every stack under Pulumi's runtime mocks,
 * in dependency order, wires StackReferences between the planned stacks, runs the policy pack
 * over every planned resource and prints each stack as `pulumi preview` would
 * (plan/preview-display.ts: the resource tree, the pack and its config, the outputs whole,
 * `Resources: + N to create`), then one line of totals for all stacks (`--quiet`: none).
 * `--json` prints instead one JSON document on stdout and nothing else there
 * (plan/preview-json.ts, docs/plan-format.md "Preview document"). Colour only on a terminal,
 * never with NO_COLOR, forced by FORCE_COLOR or `--color always`. `--out` also writes
 * `<dir>/<stack>.json` (docs/plan-format.md), whatever is printed.
 * The pack config is the file `pulumi preview --policy-pack-config` takes (residency settings,
 * enforcement levels): by default the committed `policies/policy-config.json` of the planned
 * checkout (`--dir`), else the repository's; `--policy-pack-config <file>` (alias
 * `--policy-config`) applies another. When every stack is planned it also builds the resilience
 * report (plan/report: RTO, RPO, availability, failure matrix, cost per mode, the architecture
 * picture), prints its summary and, with `--out`, writes report.json, report.md and
 * architecture.md. Exit codes (scripts/cli.ts, the same for every script): 1 a mandatory policy
 * violation or, with `--strict`, a target the design does not meet; 2 a bad command line or a
 * configuration error (an unknown `--stack` included, with a "did you mean"), nothing planned;
 * 4 an internal failure.
 */
import * as fs from "fs";
import * as path from "path";
import { PlanConfigError, PlannedStack, planAll, planToJson } from "../plan/run";
import { defaultPackConfig, PackRun, packEvaluation } from "../plan/policy";
import { PolicyConfigError } from "../policies/config";
import { renderPreview, useColor } from "../plan/preview-display";
import { previewToJson } from "../plan/preview-json";
import { buildReport, reportToJson, reportToMarkdown, summarizeReport } from "../plan/report";
import { EXIT, helpText, unknownArgument, wantsHelp } from "./cli";

/**
 * register.js's stack-trace mapper (TypeScript positions) when the script runs under it, as
 * `npm run plan` does; the text unchanged otherwise (e.g. when a test imports this module).
 */
function mapStackTrace(text: string): string {
    const hook = require.cache[require.resolve("./register.js")];
    const map = (hook?.exports as { mapStackTrace?: (t: string) => string } | undefined)
        ?.mapStackTrace;
    return map ? map(text) : text;
}

export interface PlanArgs {
    stacks: string[];
    out?: string;
    dir?: string;
    policyConfig?: string;
    strict: boolean;
    quiet: boolean;
    json: boolean;
    color: "auto" | "always" | "never";
}

const USAGE = `usage: npm run plan -- [--stack <name>[,<name>]]... [--out <dir>] [--dir <config dir>]
       [--policy-pack-config <file.json>] [--strict] [--quiet] [--json] [--color <when>]
  --stack <name>     plan this stack (and the stacks upstream of it, for their outputs)
  --out <dir>        also write <dir>/<stack>.json and the report files (docs/plan-format.md)
  --dir <dir>        plan the Pulumi*.yaml files of another directory
  --policy-pack-config <file.json>   the pack config (default: policies/policy-config.json)
  --strict           exit 1 when the design does not meet a target (taskflow:targets)
  --quiet            print nothing but errors and the files written
  --json             print one JSON document on stdout instead (docs/plan-format.md)
  --color <when>     auto (default: on a terminal, unless NO_COLOR is set), always or never
  --help, -h         this text`;

const FLAGS = [
    "--stack",
    "--out",
    "--dir",
    "--policy-pack-config",
    "--strict",
    "--quiet",
    "--json",
    "--color",
    "--help",
];

/** Parses the command line; throws on an unknown flag or a flag without its value. */
export function parseArgs(argv: string[]): PlanArgs {
    const args: PlanArgs = { stacks: [], strict: false, quiet: false, json: false, color: "auto" };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value`);
            return v;
        };
        if (a === "--stack") args.stacks.push(...value().split(","));
        else if (a === "--out") args.out = value();
        else if (a === "--dir") args.dir = value();
        else if (a === "--policy-pack-config" || a === "--policy-config")
            args.policyConfig = value();
        else if (a === "--quiet") args.quiet = true;
        else if (a === "--strict") args.strict = true;
        else if (a === "--json") args.json = true;
        else if (a === "--color") {
            const v = value();
            if (v !== "auto" && v !== "always" && v !== "never")
                throw new Error(`--color must be auto, always or never, got "${v}"`);
            args.color = v;
        } else throw new Error(`${unknownArgument(a, FLAGS)}\n${USAGE}`);
    }
    return args;
}

/** The command: what `npm run plan -- <argv>` does, returning its exit code (tests call it in-process). */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
    if (wantsHelp(argv)) {
        console.log(helpText(USAGE));
        return EXIT.OK;
    }
    let args: PlanArgs;
    try {
        args = parseArgs(argv);
    } catch (e) {
        console.error(`plan: ${(e as Error).message}`);
        return EXIT.INPUT;
    }
    let planned: PlannedStack[];
    let pack: PackRun;
    // The Pulumi runtime formats a stack trace for every promise it tracks (~25,000 in a plan,
    // kept only to explain leaks): a fifth of the plan's time. Errors still carry their messages;
    // TASKFLOW_PLAN_STACK_TRACES=1 keeps full traces for debugging the program.
    const stackTraceLimit = Error.stackTraceLimit;
    if (process.env.TASKFLOW_PLAN_STACK_TRACES !== "1") Error.stackTraceLimit = 0;
    try {
        const dir = args.dir ? path.resolve(args.dir) : undefined;
        const run = packEvaluation(args.policyConfig ?? defaultPackConfig(dir));
        pack = run.pack;
        planned = await planAll({ dir, stacks: args.stacks, evaluate: run.evaluate });
    } catch (e) {
        if (e instanceof PolicyConfigError) {
            console.error(`plan: ${e.message}`);
            return EXIT.INPUT;
        }
        if (e instanceof PlanConfigError) {
            console.error(`plan: configuration error; nothing was planned.\n${e.message}`);
            return EXIT.INPUT;
        }
        console.error(`plan: internal failure: ${mapStackTrace((e as Error).stack ?? String(e))}`);
        return EXIT.INTERNAL;
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
    const shown =
        args.stacks.length > 0
            ? planned.filter((p) => args.stacks.includes(p.plan.stack))
            : planned;
    // The report needs every stack (the edge resolves to every cell): not built for --stack.
    const report = args.stacks.length === 0 ? reportOf(planned) : undefined;
    const written: string[] = [];
    if (args.out) {
        fs.mkdirSync(args.out, { recursive: true });
        const write = (name: string, text: string) => {
            fs.writeFileSync(path.join(args.out!, name), text);
            written.push(path.join(args.out!, name));
        };
        for (const p of shown) write(`${p.plan.stack}.json`, planToJson(p.plan));
        if (report) {
            write("report.json", reportToJson(report.report));
            write("report.md", reportToMarkdown(report.report));
            write("architecture.md", report.architecture);
        }
    }
    if (args.json) {
        // stdout holds the document and nothing else: what would go there goes to stderr.
        console.log(
            previewToJson(
                shown.map((p) => p.plan),
                pack,
            ).trimEnd(),
        );
    } else if (!args.quiet) {
        const color = useColor(args.color, process.stdout.isTTY, process.env);
        console.log(
            renderPreview(
                shown.map((p) => p.plan),
                pack,
                { color },
            ),
        );
        console.log(
            report
                ? `\n${summarizeReport(report.report)}`
                : "\n== resilience report: not built (it needs every stack; --stack was given)",
        );
    }
    if (written.length > 0)
        (args.json ? console.error : console.log)(`wrote ${written.join(", ")}`);
    const mandatory = shown.flatMap((p) =>
        p.plan.violations.filter((v) => v.level === "mandatory"),
    );
    if (args.strict && report && report.report.unmet.length > 0) {
        for (const u of report.report.unmet)
            console.error(`plan --strict: target ${u.target} not met: ${u.subject}: ${u.detail}`);
    }
    if (args.strict && !report) {
        console.error("plan --strict: the resilience report needs every stack; drop --stack");
        return EXIT.INPUT;
    }
    return mandatory.length > 0 || (args.strict && report!.report.unmet.length > 0)
        ? EXIT.FAILED
        : EXIT.OK;
}

/** The resilience report of a whole plan, from the planned stacks and their validated config. */
export function reportOf(planned: PlannedStack[]): ReturnType<typeof buildReport> {
    const cfg = planned[0].config;
    const primary = cfg.topology.regions.find((r) => r.primary)?.region;
    const cells: Parameters<typeof buildReport>[0]["cells"] = {};
    for (const p of planned) {
        if (p.config.cell && (p.config.role === "primary" || p.config.role === "secondary"))
            cells[p.plan.stack] = { role: p.config.role, cell: p.config.cell };
    }
    return buildReport({
        plans: planned.map((p) => p.plan),
        targets: cfg.targets,
        cells,
        primaryRegion: primary,
    });
}

/**
 * Exits once stdout and stderr have flushed: writes to a pipe are asynchronous in Node, so a bare
 * `process.exit` cuts the output at the pipe's buffer (64 KiB; the preview and `--json` are
 * longer). https://nodejs.org/api/process.html#a-note-on-process-io
 */
function exitAfterFlush(code: number): void {
    process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

if (require.main === module) {
    main().then(
        (code) => exitAfterFlush(code),
        (e) => {
            console.error(mapStackTrace((e as Error)?.stack ?? String(e)));
            exitAfterFlush(EXIT.INTERNAL);
        },
    );
}
