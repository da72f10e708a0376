/**
 * `npm test` — every check of the repository, run side by side:
 *
 *   check   the type check and the lint over one TypeScript program (scripts/check.ts: tsc's
 *           diagnostics for tsconfig.json, then ESLint with eslint.config.mjs)
 *   format  `prettier --check .`
 *   unit    mocha over every spec (.mocharc.js: two workers, the slowest files first)
 *
 * The three use different cores at different moments (the type check is one thread, mocha's two
 * workers often wait on a child process: moto_server, the pack served over gRPC, a plan run from
 * the command line), so running them at once takes about the time of the unit specs alone instead
 * of the sum. Each step's output is printed whole when it ends, under its name, so outputs do not
 * interleave; a summary line gives each step's time and verdict. Exit code 0 when every step
 * passes, else 1 (the failing steps are named). `npm run lint`, `npm run typecheck` and
 * `npm run test:unit` still run one step each.
 */
import { spawn } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "node_modules", ".bin");

interface Step {
    name: string;
    command: string;
    args: string[];
}

const STEPS: Step[] = [
    {
        name: "check",
        command: process.execPath,
        args: ["-r", "./scripts/register.js", "scripts/check.ts"],
    },
    { name: "format", command: path.join(BIN, "prettier"), args: ["--check", "--cache", "."] },
    { name: "unit", command: path.join(BIN, "mocha"), args: ["--parallel", "--jobs", "2"] },
];

interface Result {
    step: Step;
    code: number | null;
    seconds: number;
    output: string;
}

function run(step: Step, color: boolean): Promise<Result> {
    const start = process.hrtime.bigint();
    return new Promise((resolve) => {
        const env = { ...process.env, ...(color ? { FORCE_COLOR: "1" } : {}) };
        const child = spawn(step.command, step.args, {
            cwd: ROOT,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr.on("data", (d: Buffer) => (output += d.toString()));
        const done = (code: number | null, extra = "") => {
            const seconds = Number(process.hrtime.bigint() - start) / 1e9;
            resolve({ step, code, seconds, output: output + extra });
        };
        child.on("error", (e) => done(null, `\n${step.command}: ${e.message}\n`));
        child.on("close", (code, signal) => done(code, signal ? `\nkilled by ${signal}\n` : ""));
    });
}

async function main(): Promise<number> {
    const start = process.hrtime.bigint();
    const color = Boolean(process.stdout.isTTY);
    const pending = STEPS.map((s) => run(s, color));
    // Printed in the order the steps finish (the quick ones first).
    const results: Result[] = [];
    await Promise.all(
        pending.map((p) =>
            p.then((r) => {
                results.push(r);
                const verdict = r.code === 0 ? "passed" : `FAILED (exit ${r.code ?? "none"})`;
                process.stdout.write(
                    `\n== ${r.step.name}: ${[r.step.command === process.execPath ? "node" : path.basename(r.step.command), ...r.step.args].join(" ")}\n`,
                );
                process.stdout.write(
                    r.output.endsWith("\n") || r.output === "" ? r.output : `${r.output}\n`,
                );
                process.stdout.write(`== ${r.step.name} ${verdict} in ${r.seconds.toFixed(1)} s\n`);
            }),
        ),
    );
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    const failed = results.filter((r) => r.code !== 0).map((r) => r.step.name);
    const times = STEPS.map(
        (s) => `${s.name} ${results.find((r) => r.step === s)!.seconds.toFixed(1)} s`,
    );
    process.stdout.write(
        `\nnpm test: ${failed.length === 0 ? "every step passed" : `FAILED: ${failed.join(", ")}`} (${times.join(", ")}; wall ${wall.toFixed(1)} s)\n`,
    );
    return failed.length === 0 ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`npm test: ${e instanceof Error ? (e.stack ?? e.message) : e}\n`);
        process.exit(2);
    },
);
