/**
 * What every command line in scripts/ shares: its exit codes and its `--help`.
 *
 * The exit codes are the same across `plan`, `policy:check`, `plan:diff`, `deploy`, `ops`,
 * `bench` and `structure` (docs/plan-format.md, "Exit codes", which the README points at):
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | done: no mandatory violation, no difference, every check passed |
 * | 1 | the command ran and its verdict is "no": a mandatory policy violation (plan, policy:check), a target not met (plan --strict), a difference (plan:diff), a limit exceeded (bench), a refused or failed step (ops), a failed stack or a missing prerequisite (deploy) |
 * | 2 | bad input, nothing was run: the command line, a configuration error (stack files, an unknown `--stack`, the policy pack config) or an invalid plan file |
 * | 3 | `deploy --rollout` only: an infrastructure change, for the deploy waves |
 * | 4 | internal failure: an unexpected error in the program or the tool (its stack trace is printed) |
 */
import { unknownArgument } from "../config/keys";

/** The message for a flag a command does not take (shared with `npm run deploy`). */
export { unknownArgument };

export const EXIT = {
    OK: 0,
    FAILED: 1,
    INPUT: 2,
    INFRA_CHANGE: 3,
    INTERNAL: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** One line per exit code, for the scripts' `--help`. */
export const EXIT_CODES_HELP = `exit codes (the same for every npm run script):
  0  done: no mandatory violation, no difference, every check passed
  1  the verdict is "no": a mandatory policy violation, a target or limit not met, a difference,
     a refused or failed step
  2  bad input, nothing was run: command line, configuration error, pack config, plan file
  3  deploy --rollout only: an infrastructure change, handed to the deploy waves
  4  internal failure: an unexpected error (its stack trace is printed)`;

/** True when the command line asks for the usage (`--help` or `-h`, anywhere before `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
    for (const a of argv) {
        if (a === "--") return false;
        if (a === "--help" || a === "-h") return true;
    }
    return false;
}

/** A command's full help: its usage, then the shared exit codes. */
export function helpText(usage: string): string {
    return `${usage}\n\n${EXIT_CODES_HELP}`;
}

/**
 * Reports an error no command expected (a bug in the program or the tool) with its stack trace,
 * and returns the internal-failure exit code.
 */
export function internalFailure(command: string, e: unknown): ExitCode {
    const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
    console.error(`${command}: internal failure: ${text}`);
    return EXIT.INTERNAL;
}
