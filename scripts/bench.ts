/**
 * `npm run bench [-- --runs N] [--no-test] [--max-ratio R] [--max-test-seconds S]`
 *
 * Measures the project's two speed budgets and prints them:
 *  - the plan ratio: the offline plan of all stacks (`npm run plan`) over the time Node needs to
 *    load @pulumi/pulumi, @pulumi/aws and @pulumi/awsx; both measured as fresh processes, N runs
 *    each (default 5), medians compared. Budget 2.5.
 *  - the wall time of `npm test` (lint, type check, every spec), run once (`--test-runs N`: N
 *    times, each printed with npm test's own step times, and the median compared). Budget 60 s
 *    on 2 cores. One run varies by several seconds on a shared 2-core machine.
 * It is a benchmark, not a test: it exits 0 unless a run fails, or a figure exceeds a limit given
 * with `--max-ratio` / `--max-test-seconds` (for CI gates). Exit codes (scripts/cli.ts): 1 a limit
 * exceeded or a measured run failed, 2 bad usage. The machine's core count and load
 * average are printed with the figures: a busy machine makes both slower.
 */
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { EXIT, helpText, internalFailure, unknownArgument } from "./cli";

const ROOT = path.resolve(__dirname, "..");
const RATIO_BUDGET = 2.5;
const TEST_BUDGET_SECONDS = 60;

const USAGE = `usage: npm run bench [-- options]

  --runs N               runs of the load and of the plan (default 5; medians are compared)
  --no-test              skip the npm test wall time
  --test-runs N          runs of npm test (default 1; with more, the median is compared)
  --max-ratio R          exit 1 when the plan ratio exceeds R
  --max-test-seconds S   exit 1 when npm test takes longer than S seconds
  --help, -h             this text

Budgets: plan ratio <= ${RATIO_BUDGET}, npm test <= ${TEST_BUDGET_SECONDS} s on 2 cores.
0: figures printed within the limits given; 1: a limit exceeded or a measured run failed.`;

/** A run's wall time in ms and what it printed on stdout. */
function timedRun(command: string, args: string[], label: string): { ms: number; stdout: string } {
    const start = process.hrtime.bigint();
    const res = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (res.status !== 0) {
        const tail = `${res.stdout ?? ""}${res.stderr ?? ""}`.split("\n").slice(-30).join("\n");
        throw new RunFailed(`${label} exited ${res.status ?? res.signal}:\n${tail}`);
    }
    return { ms, stdout: res.stdout ?? "" };
}

/** A bad command line. */
class BenchError extends Error {}
/** A measured run (the SDK load, the plan, npm test) that did not exit 0. */
class RunFailed extends Error {}

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Options {
    runs: number;
    test: boolean;
    testRuns: number;
    maxRatio?: number;
    maxTestSeconds?: number;
}

export function parseArgs(argv: string[]): Options | "help" {
    const o: Options = { runs: 5, test: true, testRuns: 1 };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const num = (min: number): number => {
            const v = Number(argv[++i]);
            if (!Number.isFinite(v) || v < min) {
                throw new BenchError(`${a} needs a number >= ${min}, got ${argv[i] ?? "nothing"}`);
            }
            return v;
        };
        if (a === "--help" || a === "-h") return "help";
        else if (a === "--runs") o.runs = Math.floor(num(1));
        else if (a === "--no-test") o.test = false;
        else if (a === "--test-runs") o.testRuns = Math.floor(num(1));
        else if (a === "--max-ratio") o.maxRatio = num(0);
        else if (a === "--max-test-seconds") o.maxTestSeconds = num(0);
        else {
            const known = [
                "--runs",
                "--no-test",
                "--test-runs",
                "--max-ratio",
                "--max-test-seconds",
                "--help",
            ];
            throw new BenchError(`${unknownArgument(a, known)}\n\n${USAGE}`);
        }
    }
    return o;
}

function machine(): string {
    const [one] = os.loadavg();
    return `${os.cpus().length} core(s), load average ${one.toFixed(2)}`;
}

function measure(argv: string[]): number {
    const parsed = parseArgs(argv);
    if (parsed === "help") {
        console.log(helpText(USAGE));
        return EXIT.OK;
    }
    const { runs } = parsed;
    const node = process.execPath;
    const load = [
        "-e",
        "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/awsx');",
    ];
    const plan = ["-r", "./scripts/register.js", "scripts/plan.ts", "--quiet"];
    console.log(`machine: ${machine()}`);
    timedRun(node, load, "the SDK load"); // warm the file-system cache once
    const loads: number[] = [];
    const plans: number[] = [];
    for (let i = 0; i < runs; i++) {
        loads.push(timedRun(node, load, "the SDK load").ms);
        plans.push(timedRun(node, plan, "npm run plan").ms);
    }
    const l = median(loads);
    const p = median(plans);
    const ratio = p / l;
    console.log(
        `load @pulumi/pulumi + @pulumi/aws + @pulumi/awsx: median ${l.toFixed(0)} ms over ${runs} runs`,
    );
    console.log(
        `offline plan of all stacks (npm run plan):          median ${p.toFixed(0)} ms over ${runs} runs`,
    );
    console.log(`plan ratio: ${ratio.toFixed(2)} (budget <= ${RATIO_BUDGET})`);
    let failed = false;
    if (parsed.maxRatio !== undefined && ratio > parsed.maxRatio) {
        console.error(`plan ratio ${ratio.toFixed(2)} exceeds --max-ratio ${parsed.maxRatio}`);
        failed = true;
    }
    if (parsed.test) {
        const times: number[] = [];
        for (let i = 0; i < parsed.testRuns; i++) {
            const before = machine();
            const run = timedRun("npm", ["test", "--silent"], "npm test");
            times.push(run.ms / 1000);
            // npm test's last line gives each step's time (scripts/test.ts).
            const steps = run.stdout.trim().split("\n").pop() ?? "";
            console.log(
                `npm test wall time: ${(run.ms / 1000).toFixed(1)} s (budget <= ${TEST_BUDGET_SECONDS} s on 2 cores; ${before} when it started)\n  ${steps}`,
            );
        }
        const seconds = median(times);
        if (times.length > 1)
            console.log(
                `npm test median: ${seconds.toFixed(1)} s over ${times.length} runs (${times.map((t) => t.toFixed(1)).join(", ")}; budget <= ${TEST_BUDGET_SECONDS} s)`,
            );
        if (parsed.maxTestSeconds !== undefined && seconds > parsed.maxTestSeconds) {
            console.error(
                `npm test took ${seconds.toFixed(1)} s, over --max-test-seconds ${parsed.maxTestSeconds}`,
            );
            failed = true;
        }
    }
    return failed ? EXIT.FAILED : EXIT.OK;
}

/** The command: what `npm run bench -- <argv>` does, returning its exit code. */
export function main(argv: string[]): number {
    try {
        return measure(argv);
    } catch (e) {
        if (e instanceof BenchError) {
            console.error(`bench: ${e.message}`);
            return EXIT.INPUT;
        }
        if (e instanceof RunFailed) {
            console.error(`bench: ${e.message}`);
            return EXIT.FAILED;
        }
        return internalFailure("bench", e);
    }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
