/**
 * Command line of `npm run deploy -- [--preview] [--stacks a,b] [--refresh] [--destroy --yes]`.
 * A pure function so that every accepted and rejected form is unit-tested.
 */
import { unknownArgument } from "../config/keys";

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
    /**
     * `--upstreams`: print, as GitHub Actions step outputs, which stacks can be previewed now and
     * which wait for an upstream stack that is not deployed yet (delivery/upstreams.ts), and exit.
     * Needs the Pulumi CLI and a backend login, no AWS credentials. Absent when not given.
     */
    upstreams?: true;
    /** `--rollout` and its options; absent without `--rollout`. */
    rollout?: RolloutArgs;
}

/** What `npm run deploy -- --rollout ...` was asked to do (delivery/rollout-cli.ts). */
export interface RolloutArgs {
    /**
     * `run` (default: roll the app change region by region, or resume), `preview` (`--preview`:
     * print the plan, touch nothing), `status` (print the stored state), `abandon` (give up an
     * interrupted or failed rollout), `rollback` (`--rollback <region>`: pin that region's
     * previous image by hand).
     */
    mode: "run" | "preview" | "status" | "abandon" | "rollback";
    /** `--retry`: roll an image into the region that rolled it back before. */
    retry: boolean;
    /** `--rollback <region>`. */
    region?: string;
    /** `--base-plan <dir> --head-plan <dir>` (with --preview): classify the change from two offline plans. */
    basePlan?: string;
    headPlan?: string;
}

export const USAGE = `usage: npm run deploy -- [--preview] [--stacks <stack>[,<stack>...]] [--refresh] [--destroy --yes]

Runs \`pulumi up\` (or \`preview\`, or \`destroy\`) for every stack of taskflow:topology with the
policy pack in ./policies, in waves: the primary stack, then the secondaries in parallel, then the
global stack (destroy: the reverse). Stops at the first wave with a failed stack.

  --preview        run \`pulumi preview\` instead of \`pulumi up\`; a stack whose upstream stack is
                   not deployed yet is not previewed but named, with the upstream it waits for
  --stacks a,b     only these stacks (kept in wave order)
  --refresh        refresh each stack's state first (\`--refresh\`)
  --destroy --yes  destroy the stacks in reverse order (--yes is required)
  --print-waves    print the stacks and waves as GitHub Actions outputs (no CLI needed) and exit
  --upstreams      print which stacks can be previewed now and which wait for an upstream stack,
                   as GitHub Actions outputs (Pulumi CLI and login, no AWS credentials) and exit
  --help, -h       print this help

       npm run deploy -- --rollout [--preview [--base-plan <dir> --head-plan <dir>]]
                                   [--retry | --status | --abandon | --rollback <region>]

Takes an app change (the cells' task definitions only) one region at a time: a canary region
first, the primary last (taskflow:rollout, docs/operations.md "Rolling out an app change"); each
region bakes while its alarms and the edge's are read, and any alarm rolls that region back and
stops. Exits 3 when the change is not an app change (deploy it in waves).

  --rollout --preview      print the rollout's order and timing, touching nothing (no CLI needed);
                           with --base-plan/--head-plan (npm run plan -- --out), also which
                           regions the change between the two plans rolls through
  --rollout --retry        roll an image again into the region that rolled it back
  --rollout --status       print the stored rollout state
  --rollout --abandon      give up an interrupted or failed rollout (after checking the regions)
  --rollout --rollback r   roll region r back by hand to the image it ran before the rollout

Needs the Pulumi CLI on PATH, a Pulumi backend login (PULUMI_ACCESS_TOKEN or \`pulumi login\`) and
AWS credentials (AWS_* variables, AWS_PROFILE or ~/.aws).`;

/** Thrown for a bad command line; the message names the argument and what is allowed. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

const FLAGS: string[] = [
    "--preview",
    "--stacks",
    "--refresh",
    "--destroy",
    "--yes",
    "--print-waves",
    "--upstreams",
    "--help",
    "-h",
    "--rollout",
];
/** The options that only go with `--rollout`. */
const ROLLOUT_OPTIONS = [
    "--retry",
    "--status",
    "--abandon",
    "--rollback",
    "--base-plan",
    "--head-plan",
];
FLAGS.push(...ROLLOUT_OPTIONS);
const VALUED = ["--stacks", "--rollback", "--base-plan", "--head-plan"];

/** Parses the arguments after `npm run deploy --`. Throws UsageError on anything it does not know. */
export function parseDeployArgs(argv: readonly string[]): DeployArgs {
    let preview = false;
    let destroy = false;
    let yes = false;
    let refresh = false;
    let help = false;
    let printWaves = false;
    let upstreams = false;
    let stacks: string[] | undefined;
    let rollout = false;
    let retry = false;
    let status = false;
    let abandon = false;
    const valued: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const eq = arg.indexOf("=");
        const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
        const inline = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
        if (!VALUED.includes(flag) && inline !== undefined) {
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
            case "--upstreams":
                upstreams = true;
                break;
            case "--help":
            case "-h":
                help = true;
                break;
            case "--rollout":
                rollout = true;
                break;
            case "--retry":
                retry = true;
                break;
            case "--status":
                status = true;
                break;
            case "--abandon":
                abandon = true;
                break;
            case "--rollback":
            case "--base-plan":
            case "--head-plan": {
                const value = inline ?? argv[++i];
                if (value === undefined || value.startsWith("-") || value === "") {
                    throw new UsageError(
                        `${flag} needs a value (${flag === "--rollback" ? "a region" : "a directory written by npm run plan -- --out"})`,
                    );
                }
                valued[flag] = value;
                break;
            }
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
                throw new UsageError(unknownArgument(arg, FLAGS));
        }
    }
    checkCombinations({ preview, destroy, yes, refresh, printWaves });
    if (upstreams && (preview || destroy || refresh || printWaves || rollout))
        throw new UsageError(
            "--upstreams only prints which stacks can be previewed; it takes --stacks alone",
        );
    const rolloutArgs = rolloutArgsOf(
        { rollout, preview, destroy, refresh, printWaves, retry, status, abandon, stacks },
        valued,
    );
    return {
        command: destroy ? "destroy" : preview ? "preview" : "up",
        ...(stacks ? { stacks } : {}),
        refresh,
        help,
        printWaves,
        ...(upstreams ? { upstreams: true as const } : {}),
        ...(rolloutArgs ? { rollout: rolloutArgs } : {}),
    };
}

/** The flags of a deploy command line that cannot go together. */
function checkCombinations(f: {
    preview: boolean;
    destroy: boolean;
    yes: boolean;
    refresh: boolean;
    printWaves: boolean;
}): void {
    const { preview, destroy, yes, refresh, printWaves } = f;
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
}

/** The rollout's arguments (`--rollout` and the options that only go with it), checked. */
function rolloutArgsOf(
    f: {
        rollout: boolean;
        preview: boolean;
        destroy: boolean;
        refresh: boolean;
        printWaves: boolean;
        retry: boolean;
        status: boolean;
        abandon: boolean;
        stacks: string[] | undefined;
    },
    valued: Record<string, string>,
): RolloutArgs | undefined {
    const { rollout, preview, destroy, refresh, printWaves, retry, status, abandon, stacks } = f;
    const given = (f: string) =>
        ({ "--retry": retry, "--status": status, "--abandon": abandon })[f] ?? f in valued;
    if (!rollout) {
        const stray = ROLLOUT_OPTIONS.filter(given);
        if (stray.length > 0) throw new UsageError(`${stray.join(", ")} only go with --rollout`);
        return undefined;
    }
    const clash = [
        ...(destroy ? ["--destroy"] : []),
        ...(stacks ? ["--stacks"] : []),
        ...(refresh ? ["--refresh"] : []),
        ...(printWaves ? ["--print-waves"] : []),
    ];
    if (clash.length > 0) {
        throw new UsageError(
            `--rollout cannot be combined with ${clash.join(", ")}: it takes every region stack of the topology in its own order`,
        );
    }
    const modes = [
        ...(preview ? ["--preview"] : []),
        ...(status ? ["--status"] : []),
        ...(abandon ? ["--abandon"] : []),
        ...("--rollback" in valued ? ["--rollback"] : []),
        ...(retry ? ["--retry"] : []),
    ];
    if (modes.length > 1) {
        throw new UsageError(`--rollout takes one of ${modes.join(", ")}, not several`);
    }
    const plans = ["--base-plan", "--head-plan"].filter((f) => f in valued);
    if (plans.length === 1) throw new UsageError("--base-plan and --head-plan go together");
    if (plans.length === 2 && !preview) {
        throw new UsageError("--base-plan and --head-plan only go with --rollout --preview");
    }
    return {
        mode: preview
            ? "preview"
            : status
              ? "status"
              : abandon
                ? "abandon"
                : "--rollback" in valued
                  ? "rollback"
                  : "run",
        retry,
        ...("--rollback" in valued ? { region: valued["--rollback"] } : {}),
        ...(plans.length === 2
            ? { basePlan: valued["--base-plan"], headPlan: valued["--head-plan"] }
            : {}),
    };
}
