/**
 * Running a command-line script's `main(argv)` in the spec's own process: what the command prints
 * and its exit code, without starting Node and loading the Pulumi SDKs again (~0.4 s each). The
 * scripts that export `main` set `process.exitCode = main(argv)` and nothing else when run
 * directly, so this is the command minus its process; each such spec keeps at least one run
 * through the real command line to prove that wiring.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import * as util from "util";

export interface CliRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

const ROOT = path.resolve(__dirname, "..", "..");

/** `main(argv)` with console.log/info to stdout and console.error/warn to stderr, captured. */
export function inProcess(main: (argv: string[]) => number, argv: string[]): CliRun {
    let stdout = "";
    let stderr = "";
    const saved = {
        log: console.log,
        info: console.info,
        error: console.error,
        warn: console.warn,
    };
    const out = (...a: unknown[]) => void (stdout += `${util.format(...a)}\n`);
    const err = (...a: unknown[]) => void (stderr += `${util.format(...a)}\n`);
    Object.assign(console, { log: out, info: out, error: err, warn: err });
    try {
        const code = main(argv);
        return { code, stdout, stderr };
    } finally {
        Object.assign(console, saved);
    }
}

/**
 * `main(argv)` of a command whose main is async (the plan), captured the same way. Mocha runs one
 * test at a time per process, so nothing else logs while it is awaited.
 */
export async function inProcessAsync(
    main: (argv: string[]) => Promise<number>,
    argv: string[],
): Promise<CliRun> {
    let stdout = "";
    let stderr = "";
    const saved = {
        log: console.log,
        info: console.info,
        error: console.error,
        warn: console.warn,
    };
    const out = (...a: unknown[]) => void (stdout += `${util.format(...a)}\n`);
    const err = (...a: unknown[]) => void (stderr += `${util.format(...a)}\n`);
    Object.assign(console, { log: out, info: out, error: err, warn: err });
    try {
        const code = await main(argv);
        return { code, stdout, stderr };
    } finally {
        Object.assign(console, saved);
    }
}

/** `npm run <script> -- args` without npm's own start: node with the scripts' require hook. */
export function spawnScript(script: string, args: string[]): CliRun {
    const r = spawnSync(process.execPath, ["-r", "./scripts/register.js", script, ...args], {
        cwd: ROOT,
        encoding: "utf8",
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
