/**
 * Command line of `npm run deploy -- [--preview] [--stacks a,b] [--refresh] [--destroy --yes]`.
 * A pure function so that every accepted and rejected form is unit-tested.
 */

/** What `npm run deploy` was asked to do. */
export interface DeployArgs {
    /** `up` (default), `preview` (`--preview`) or `destroy` (`--destroy --yes`). */
    command: "up" | "preview" | "destroy";
    /** Only these stacks (`--stacks a,b`); undefined means every stack of the topology. */
    stacks?: string[];
    /** Refresh each stack's state before the operation (`--refresh`). Default false. */
    refresh: boolean;
    /** Print the usage and exit (`--help`, `-h`). */
    help: boolean;
    /**
     * Print the waves as GitHub Actions step outputs and exit (`--print-waves`); needs neither the
     * Pulumi CLI nor credentials. The workflows build their job matrices from it.
     */
    printWaves: boolean;
}

export const USAGE = `usage: npm run deploy -- [--preview] [--stacks <stack>[,<stack>...]] [--refresh] [--destroy --yes]

Runs \`pulumi up\` (or \`preview\`, or \`destroy\`) for every stack of taskflow:topology with the
policy pack in ./policies, in waves: the primary stack, then the secondaries in parallel, then the
global stack (destroy: the reverse). Stops at the first wave with a failed stack.

  --preview        run \`pulumi preview\` instead of \`pulumi up\`
  --stacks a,b     only these stacks (kept in wave order)
  --refresh        refresh each stack's state first (\`--refresh\`)
  --destroy --yes  destroy the stacks in reverse order (--yes is required)
  --print-waves    print the stacks and waves as GitHub Actions outputs (no CLI needed) and exit
  --help, -h       print this help

Needs the Pulumi CLI on PATH, a Pulumi backend login (PULUMI_ACCESS_TOKEN or \`pulumi login\`) and
AWS credentials (AWS_* variables, AWS_PROFILE or ~/.aws).`;

/** Thrown for a bad command line; the message names the argument and what is allowed. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

const FLAGS = [
    "--preview",
    "--stacks",
    "--refresh",
    "--destroy",
    "--yes",
    "--print-waves",
    "--help",
    "-h",
];

/** Parses the arguments after `npm run deploy --`. Throws UsageError on anything it does not know. */
export function parseDeployArgs(argv: readonly string[]): DeployArgs {
    let preview = false;
    let destroy = false;
    let yes = false;
    let refresh = false;
    let help = false;
    let printWaves = false;
    let stacks: string[] | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const eq = arg.indexOf("=");
        const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
        const inline = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
        if (flag !== "--stacks" && inline !== undefined) {
            throw new UsageError(`${flag} takes no value (got "${arg}")`);
        }
        switch (flag) {
            case "--preview":
                preview = true;
                break;
            case "--refresh":
                refresh = true;
                break;
            case "--destroy":
                destroy = true;
                break;
            case "--yes":
                yes = true;
                break;
            case "--print-waves":
                printWaves = true;
                break;
            case "--help":
            case "-h":
                help = true;
                break;
            case "--stacks": {
                const value = inline ?? argv[++i];
                if (value === undefined || value.startsWith("-")) {
                    throw new UsageError(
                        "--stacks needs a comma-separated list of stack names, e.g. --stacks ap-northeast-1,global",
                    );
                }
                const names = value.split(",").map((s) => s.trim());
                if (names.some((s) => s === "")) {
                    throw new UsageError(
                        `--stacks "${value}" has an empty name; give names separated by single commas`,
                    );
                }
                stacks = [...new Set([...(stacks ?? []), ...names])];
                break;
            }
            default:
                throw new UsageError(`unknown argument "${arg}"; allowed: ${FLAGS.join(", ")}`);
        }
    }
    if (preview && destroy) throw new UsageError("--preview and --destroy cannot be combined");
    if (destroy && !yes) {
        throw new UsageError(
            "--destroy deletes the stacks' resources; add --yes to confirm (see docs/operations.md, destroying)",
        );
    }
    if (yes && !destroy) throw new UsageError("--yes only confirms --destroy");
    if (printWaves && (preview || destroy || refresh)) {
        throw new UsageError(
            "--print-waves only prints the order; it cannot be combined with --preview, --destroy or --refresh",
        );
    }
    return {
        command: destroy ? "destroy" : preview ? "preview" : "up",
        ...(stacks ? { stacks } : {}),
        refresh,
        help,
        printWaves,
    };
}
