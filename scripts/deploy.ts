/**
 * `npm run deploy -- [--preview] [--stacks a,b] [--refresh] [--destroy --yes]`
 *
 * Ordered deploys on the Pulumi Automation API: the waves come from the topology
 * (delivery/order.ts), the stacks of a wave run in parallel, every preview and update runs the
 * policy pack in ./policies, and the run stops at the first wave with a failed stack, naming the
 * stack and its error. Before anything else it checks that the Pulumi CLI and the credentials it
 * needs are present, and says what is missing when they are not. `--preview` previews the stacks
 * whose upstream stacks are deployed and names the others with the upstream they wait for (a
 * brand-new organisation); `--upstreams` prints that verdict for the preview workflow.
 *
 * Exit codes (scripts/cli.ts, the same for every script): 0 success, 1 a stack failed or a
 * prerequisite is missing, 2 bad arguments or config, 3 `--rollout`: an infrastructure change,
 * 4 an internal failure.
 */
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import type { StackConfig, Topology } from "../config";
import type { RolloutArgs } from "../delivery/args";
import { DeployArgs, USAGE, UsageError, parseDeployArgs } from "../delivery/args";
import {
    Wave,
    UnknownStackError,
    deployWaves,
    destroyWaves,
    qualifiedStackName,
    wavesAsGithubOutputs,
} from "../delivery/order";
import { lambdaQuotaPreflight } from "../delivery/lambda-quota";
import { missingPrerequisites } from "../delivery/prerequisites";
import { observePrerequisites } from "../delivery/observe";
import {
    Readiness,
    cliStackState,
    previewWaves,
    previewable,
    readinessAsGithubOutputs,
    readinessLine,
    readinessOf,
} from "../delivery/upstreams";
import { requiredOutputs } from "../regions/contract";
import { describeChanges, formatOutcome, prefixed, runWaves } from "../delivery/waves-runner";
import { ConfigError, PlanConfigError } from "../config/errors";
import { readProjectFiles, validateAll } from "../config";
import { EXIT, helpText } from "./cli";

/**
 * The Pulumi SDK (the automation API) and the AWS side are loaded only once they are needed:
 * `--help`, bad arguments, the prerequisite check and the config's validation (config/, which
 * loads no SDK) answer in a fraction of a second.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const automation = () =>
    require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
const rolloutCli = () =>
    require("../delivery/rollout-cli") as typeof import("../delivery/rollout-cli");
const rolloutCore = () => require("../delivery/rollout") as typeof import("../delivery/rollout");
const rolloutStacks = () =>
    require("../delivery/rollout-stacks") as typeof import("../delivery/rollout-stacks");
const opsAws = () => ({
    ...(require("../ops/aws") as typeof import("../ops/aws")),
    ...(require("../ops/rollout-aws") as typeof import("../ops/rollout-aws")),
});
const lambdaQuotaPort = (): ReturnType<typeof import("../ops/aws/lambda-quota").lambdaQuotaPort> =>
    (
        require("../ops/aws/lambda-quota") as typeof import("../ops/aws/lambda-quota")
    ).lambdaQuotaPort();
/* eslint-enable @typescript-eslint/no-require-imports */

const REPO_ROOT = path.resolve(__dirname, "..");
const POLICY_PACK = path.join(REPO_ROOT, "policies");
/** The committed pack config (zone matrix, account, declared stores): docs/operations.md. */
const POLICY_PACK_CONFIG = path.join(POLICY_PACK, "policy-config.json");
/** What every preview and update runs with: the pack and its committed config. */
const PACK = { policyPacks: [POLICY_PACK], policyPackConfigs: [POLICY_PACK_CONFIG] };

async function runOne(stack: Stack, args: DeployArgs, name: string): Promise<string> {
    const onOutput = prefixed(name);
    const common = { onOutput, color: "never" as const, refresh: args.refresh };
    switch (args.command) {
        case "preview": {
            const r = await stack.preview({ ...common, ...PACK });
            return describeChanges(r.changeSummary);
        }
        case "up": {
            const r = await stack.up({ ...common, ...PACK });
            return describeChanges(r.summary.resourceChanges);
        }
        case "destroy": {
            const r = await stack.destroy(common);
            return describeChanges(r.summary.resourceChanges);
        }
    }
}

/**
 * A configuration error (stack files, Pulumi.yaml), under the heading `npm run plan` gives it;
 * undefined for any other error.
 */
export function configErrorReport(e: unknown): string | undefined {
    if (!(e instanceof PlanConfigError || e instanceof ConfigError)) return undefined;
    return `npm run deploy: configuration error; nothing was deployed.\n${e.message}\n`;
}

/** A configuration error as configErrorReport says it; any other error by its message. */
function inputErrorReport(e: unknown): string {
    return (
        configErrorReport(e) ?? `npm run deploy: ${e instanceof Error ? e.message : String(e)}\n`
    );
}

/** The command: what `npm run deploy -- <argv>` does, returning its exit code. */
export async function main(argv: string[]): Promise<number> {
    let args: DeployArgs;
    try {
        args = parseDeployArgs(argv);
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        process.stderr.write(`npm run deploy: ${e.message}\n\n${USAGE}\n`);
        return EXIT.INPUT;
    }
    if (args.help) {
        process.stdout.write(`${helpText(USAGE)}\n`);
        return EXIT.OK;
    }

    if (args.rollout) return rolloutMain(args.rollout);

    if (args.printWaves) {
        // Config only: no CLI, no credentials (the workflows' first job runs this).
        try {
            const configs = validateAll(readProjectFiles(REPO_ROOT));
            const topology = Object.values(configs)[0].topology;
            process.stdout.write(`${wavesAsGithubOutputs(topology, args.stacks)}\n`);
            return EXIT.OK;
        } catch (e) {
            process.stderr.write(inputErrorReport(e));
            return EXIT.INPUT;
        }
    }

    // --upstreams reads the Pulumi backend only: no AWS credentials needed.
    const seen = await observePrerequisites();
    const missing = missingPrerequisites(seen).filter(
        (m) => !args.upstreams || !m.startsWith("AWS credentials"),
    );
    if (missing.length > 0) {
        process.stderr.write(
            `npm run deploy cannot run; missing:\n${missing.map((m) => `  - ${m}`).join("\n")}\n` +
                "Without a cloud account, `npm run plan` evaluates every stack offline.\n",
        );
        return EXIT.FAILED;
    }

    // Validate every stack's config (and that the stacks agree on one topology) before any run.
    let waves: Wave[];
    let topology: Topology;
    let configs: Record<string, StackConfig>;
    try {
        configs = validateAll(readProjectFiles(REPO_ROOT));
        topology = Object.values(configs)[0].topology;
        waves =
            args.command === "destroy"
                ? destroyWaves(topology, args.stacks)
                : deployWaves(topology, args.stacks);
    } catch (e) {
        const known = e instanceof UnknownStackError || configErrorReport(e) !== undefined;
        if (!known && !(e instanceof Error && /configuration/.test(e.message))) throw e;
        process.stderr.write(inputErrorReport(e));
        return EXIT.INPUT;
    }
    if (args.upstreams || args.command === "preview") {
        // A stack whose upstream is not deployed cannot be previewed (delivery/upstreams.ts).
        let rs: Readiness[];
        try {
            const stacks = waves.flatMap((w) => w.stacks);
            rs = await readinessOf(
                topology,
                stacks,
                cliStackState(seen.pulumiPath!, REPO_ROOT),
                requiredOutputs,
            );
        } catch (e) {
            process.stderr.write(`npm run deploy: ${e instanceof Error ? e.message : String(e)}\n`);
            return EXIT.FAILED;
        }
        if (args.upstreams) {
            process.stdout.write(`${readinessAsGithubOutputs(topology, rs)}\n`);
            return EXIT.OK;
        }
        for (const r of rs.filter((x) => !previewable(x)))
            process.stdout.write(`${readinessLine(topology, r)}\n`);
        waves = previewWaves(waves, rs);
    }
    if (args.command !== "destroy" && !fs.existsSync(path.join(POLICY_PACK, "PulumiPolicy.yaml"))) {
        process.stderr.write(
            `npm run deploy: no policy pack at ${POLICY_PACK} (PulumiPolicy.yaml missing)\n`,
        );
        return EXIT.INPUT;
    }
    if (args.command !== "destroy" && !fs.existsSync(POLICY_PACK_CONFIG)) {
        process.stderr.write(`npm run deploy: no pack config at ${POLICY_PACK_CONFIG}\n`);
        return EXIT.INPUT;
    }

    if (args.command !== "destroy") {
        const quota = await lambdaQuota(configs);
        (quota.ok ? process.stdout : process.stderr).write(`${quota.line}\n`);
        if (!quota.ok) return 1;
    }

    if (args.command === "up") {
        // Not while a rollout runs or is interrupted, nor with an image a rollout rolled back
        // (the waves would take it to every region at once): delivery/rollout.ts wavesGuard.
        const refusal = await rolloutGuard(configs);
        if (refusal) {
            process.stderr.write(`npm run deploy: ${refusal}\n`);
            return EXIT.FAILED;
        }
    }

    const { LocalWorkspace, PulumiCommand } = automation();
    const pulumiCommand = await PulumiCommand.get();
    process.stdout.write(
        `${args.command} in ${waves.length} wave(s): ${waves.map((w) => `[${w.stacks.join(" ")}]`).join(" -> ")}\n`,
    );
    const select = (name: string) =>
        LocalWorkspace.selectStack(
            { stackName: qualifiedStackName(topology, name), workDir: REPO_ROOT },
            { pulumiCommand },
        );
    // Before `pulumi up` of a wave: `pulumi preview --policy-pack` of each of its stacks. The
    // Automation API's `up` skips the preview, and CrossGuard stack policies (the residency
    // wiring checks among them) only report after an update has applied its steps; the preview
    // stops a violating wave while nothing has changed.
    const gate = async (name: string) => {
        const stack = await select(name);
        const r = await stack.preview({
            onOutput: prefixed(`${name} preview`),
            color: "never",
            refresh: args.refresh,
            ...PACK,
        });
        return `preview: ${describeChanges(r.changeSummary)}`;
    };
    const run = await runWaves(
        waves,
        async (name) => {
            const stack = await select(name);
            return runOne(stack, args, name);
        },
        args.command === "up" ? { gate } : {},
    );
    const report = formatOutcome(run, `pulumi ${args.command}`);
    (run.ok ? process.stdout : process.stderr).write(`${report}\n`);
    return run.ok ? 0 : 1;
}

// ---- --rollout: delivery/rollout-cli.ts ---------------------------------------------

/** The stored rollout state's refusal of a wave deploy, if any. */
async function rolloutGuard(configs: Record<string, StackConfig>): Promise<string | undefined> {
    const { rolloutContext } = rolloutCli();
    const { wavesGuard, rolloutParameterName } = rolloutCore();
    const ctx = rolloutContext(configs);
    const { AwsClients, rolloutStore } = opsAws();
    const clients = new AwsClients();
    const store = rolloutStore(clients, {
        region: ctx.stateRegion,
        parameter: rolloutParameterName(ctx.environment),
    });
    try {
        return wavesGuard(await store.get(), ctx.targets, new Date());
    } catch (e) {
        return `cannot read the rollout state (${store.where}; the deploy role needs ssm:GetParameter on it): ${e instanceof Error ? e.message : String(e)}`;
    } finally {
        clients.destroy();
    }
}

/** The Lambda concurrency preflight (delivery/lambda-quota.ts) on the SDK. */
async function lambdaQuota(configs: Record<string, StackConfig>) {
    const port = lambdaQuotaPort();
    try {
        return await lambdaQuotaPreflight(configs, port);
    } finally {
        port.destroy();
    }
}

/** `npm run deploy -- --rollout ...`. */
async function rolloutMain(r: RolloutArgs): Promise<number> {
    const cli = rolloutCli();
    let ctx: import("../delivery/rollout-cli").RolloutContext;
    try {
        ctx = cli.rolloutContext(validateAll(readProjectFiles(REPO_ROOT)));
    } catch (e) {
        process.stderr.write(inputErrorReport(e));
        return EXIT.INPUT;
    }
    if (r.mode === "preview") {
        // Offline: no CLI, no credentials, nothing read in AWS.
        try {
            const change =
                r.basePlan && r.headPlan
                    ? cli.changeBetween(ctx, cli.readPlans(r.basePlan), cli.readPlans(r.headPlan))
                    : undefined;
            process.stdout.write(`${cli.previewText(ctx, change)}\n`);
            return EXIT.OK;
        } catch (e) {
            process.stderr.write(`npm run deploy: ${e instanceof Error ? e.message : String(e)}\n`);
            return EXIT.INPUT;
        }
    }
    const awsOnly = r.mode === "status" || r.mode === "abandon";
    const missing = missingPrerequisites(await observePrerequisites()).filter(
        (m) => !awsOnly || m.startsWith("AWS credentials"),
    );
    if (missing.length > 0) {
        process.stderr.write(
            `npm run deploy --rollout cannot run; missing:\n${missing.map((m) => `  - ${m}`).join("\n")}\n` +
                "`npm run deploy -- --rollout --preview` prints the plan without them.\n",
        );
        return EXIT.FAILED;
    }
    const { AwsClients, rolloutCloud, rolloutStore } = opsAws();
    const { rolloutParameterName } = rolloutCore();
    const clients = new AwsClients();
    let pulumi: ReturnType<ReturnType<typeof automation>["PulumiCommand"]["get"]> | undefined;
    const stop = new AbortController();
    const onSignal = () => {
        if (stop.signal.aborted) return;
        stop.abort();
        process.stderr.write(
            "npm run deploy --rollout: stopping after the current step; the rollout stays resumable (--rollout) and nothing is rolled back\n",
        );
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
        return await cli.runRolloutCommand(r, ctx, {
            stacks: () => {
                return rolloutStacks().automationStacks({
                    workDir: REPO_ROOT,
                    qualified: (stack) => qualifiedStackName(ctx.topology, stack),
                    ...PACK,
                    pulumiCommand: () => (pulumi ??= automation().PulumiCommand.get()),
                    onOutput: prefixed,
                });
            },
            cloud: rolloutCloud(clients),
            store: rolloutStore(clients, {
                region: ctx.stateRegion,
                parameter: rolloutParameterName(ctx.environment),
            }),
            clock: {
                now: () => new Date(),
                sleep: (ms) => new Promise((res) => setTimeout(res, ms)),
            },
            out: (line) => process.stdout.write(`${line}\n`),
            owner: cli.rolloutOwner(),
            signal: stop.signal,
        });
    } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        clients.destroy();
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (e: unknown) => {
            process.stderr.write(
                `npm run deploy: internal failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
            );
            process.exitCode = EXIT.INTERNAL;
        },
    );
}
