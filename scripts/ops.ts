/**
 * npm run ops -- <runbook> ...: the runtime operations the program ships, run by an operator with
 * AWS credentials (or against an emulator with --endpoint). Exit codes (scripts/cli.ts): 0 done,
 * 1 a step failed or a check refused, 2 bad arguments or a configuration error, 4 an internal
 * failure. Without arguments (or with --help) it prints its usage.
 *
 *   night-mode <night|day|sync|emergency|release|restore|status> --spec <file>
 *       the scheduled controller's actions by hand; the spec is the global stack's output:
 *       pulumi stack output --stack <org>/taskflow/global nightModeSpec --json > spec.json
 *   aurora <switchover|failover> --global-cluster <id> --to <region>
 *       [--datastore <global datastore id>] [--dry-run] [--allow-data-loss]
 *       [--allow-missing-lag-metric] [--wait-minutes <n>]
 *       planned switchover / unplanned failover of the Aurora global cluster (and the
 *       ElastiCache Global Datastore with it); the topology and RPO come from the stack files
 *   drill <stop-tasks|fail-health-check|cut-data-network|aurora-switchover> --region <region>
 *       [--timeout-minutes <n>] [--recovery-minutes <n>] [--poll-seconds <n>]
 *       [--fis-endpoint <url>]
 *       one failure drill (ops/drills/): starts the region's FIS experiment (found by its
 *       taskflow:drill and taskflow:region tags), waits for it, and reports which region
 *       answered the region's name and how long the traffic was away; aurora-switchover is a
 *       runbook step (it names the aurora command to run)
 *
 * Common: --endpoint <url> (one endpoint for every AWS call, e.g. moto_server on 127.0.0.1),
 * --dir <dir> (where Pulumi.yaml and the stack files are; default: this repository).
 */
import * as fs from "fs";
import * as path from "path";
import {
    ConfigError,
    PlanConfigError,
    didYouMean,
    globalDataRegions,
    readProjectFiles,
    validateAll,
} from "../config";
import { names } from "../components/data/names";
import type { StackConfig } from "../config";
import { DRILL_NAMES, type FisDrill, drillSpec } from "../model/drills";
import { primaryRegion } from "../model/topology";
import { formatDrillReport, runDrill } from "../ops/drills";
import { failover, formatRunbook, switchover } from "../ops/aurora";
import type { AwsClients } from "../ops/aws";
import type { NightModeSpec } from "../model/night-mode";
import { NIGHT_ACTIONS, NightAction, formatReport, runNightMode } from "../ops/night-mode";
import { EXIT, helpText, internalFailure, unknownArgument } from "./cli";

const REPO_ROOT = path.resolve(__dirname, "..");
/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The AWS side (the SDK clients and each runbook's ports), loaded when that runbook runs: `--help`,
 * a usage error or a config error answer without loading the AWS SDK, and a runbook loads only
 * the SDK packages it calls.
 */
const aws = {
    clients: () => require("../ops/aws/clients") as typeof import("../ops/aws/clients"),
    aurora: () => require("../ops/aws/aurora") as typeof import("../ops/aws/aurora"),
    drills: () => require("../ops/aws/drills") as typeof import("../ops/aws/drills"),
    nightMode: () => require("../ops/aws/night-mode") as typeof import("../ops/aws/night-mode"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

const USAGE = `usage:
  npm run ops -- night-mode <${NIGHT_ACTIONS.join("|")}> --spec <file> [--endpoint <url>]
  npm run ops -- aurora <switchover|failover> --global-cluster <id> --to <region>
      [--datastore <id>] [--dry-run] [--allow-data-loss] [--allow-missing-lag-metric]
      [--wait-minutes <n>] [--endpoint <url>] [--dir <dir>]
  npm run ops -- drill <${DRILL_NAMES.join("|")}> --region <region>
      [--timeout-minutes <n>] [--recovery-minutes <n>] [--poll-seconds <n>]
      [--endpoint <url>] [--fis-endpoint <url>] [--dir <dir>]`;

export class UsageError extends Error {}

interface Parsed {
    positional: string[];
    flags: Record<string, string | true>;
}

const BOOLEAN = new Set(["dry-run", "allow-data-loss", "allow-missing-lag-metric", "help"]);
const VALUED = new Set([
    "spec",
    "endpoint",
    "dir",
    "global-cluster",
    "to",
    "datastore",
    "wait-minutes",
    "region",
    "timeout-minutes",
    "recovery-minutes",
    "poll-seconds",
    "fis-endpoint",
]);

function parse(argv: string[]): Parsed {
    const out: Parsed = { positional: [], flags: {} };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (!a.startsWith("--")) {
            out.positional.push(a);
            continue;
        }
        const name = a.slice(2);
        if (BOOLEAN.has(name)) out.flags[name] = true;
        else if (VALUED.has(name)) {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--"))
                throw new UsageError(`--${name} needs a value`);
            out.flags[name] = v;
        } else {
            const known = [...BOOLEAN, ...VALUED].map((f) => `--${f}`);
            throw new UsageError(unknownArgument(a, known));
        }
    }
    return out;
}

const str = (p: Parsed, name: string): string | undefined =>
    typeof p.flags[name] === "string" ? (p.flags[name] as string) : undefined;
const required = (p: Parsed, name: string): string => {
    const v = str(p, name);
    if (v === undefined) throw new UsageError(`--${name} is required`);
    return v;
};

/** A positive integer option, or undefined when absent. */
function positive(p: Parsed, name: string): number | undefined {
    const raw = str(p, name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!(Number.isInteger(n) && n > 0)) {
        throw new UsageError(`--${name} ${raw}: a positive integer is required`);
    }
    return n;
}

/** The primary stack's config (the topology, the environment and the RPO are project-wide). */
function projectConfig(p: Parsed): StackConfig {
    const configs = validateAll(readProjectFiles(str(p, "dir") ?? REPO_ROOT));
    return Object.values(configs).find((c) => c.role === "primary") ?? Object.values(configs)[0];
}

/** `drill <name> --region <r>`: one failure drill, or the runbook step FIS cannot run. */
async function drill(p: Parsed, name: string | undefined, clients: AwsClients): Promise<number> {
    const spec = name === undefined ? undefined : drillSpec(name);
    if (!spec) {
        const guess = name === undefined ? undefined : didYouMean(name, DRILL_NAMES);
        throw new UsageError(
            `drill ${JSON.stringify(name)}: ${guess ? `did you mean ${guess}? ` : ""}one of ${DRILL_NAMES.join(", ")}`,
        );
    }
    const region = required(p, "region");
    const opts = {
        timeoutMinutes: positive(p, "timeout-minutes"),
        recoveryMinutes: positive(p, "recovery-minutes"),
        pollSeconds: positive(p, "poll-seconds"),
    };
    const cfg = projectConfig(p);
    const entry = cfg.topology.regions.find((r) => r.region === region);
    if (!entry) {
        const all = cfg.topology.regions.map((r) => r.region);
        const guess = didYouMean(region, all);
        throw new PlanConfigError([
            new ConfigError(
                "(all)",
                [
                    {
                        key: "--region",
                        value: region,
                        allowed: `${guess ? `did you mean ${guess}? ` : ""}one of the topology's regions: ${all.join(", ")}`,
                    },
                ],
                "the command line",
            ),
        ]);
    }
    if (!spec.fis) {
        console.error(auroraDrill(cfg, region));
        return EXIT.INPUT;
    }
    const report = await runDrill(
        {
            drill: spec.name as FisDrill,
            region,
            partner: entry.failover,
            environment: cfg.environment,
            ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
        },
        aws.drills().drillPorts(clients),
    );
    console.log(formatDrillReport(report));
    return report.ok ? EXIT.OK : EXIT.FAILED;
}

/** What to run instead of an `aurora-switchover` drill: the Aurora runbook, there and back. */
function auroraDrill(cfg: StackConfig, region: string): string {
    const primary = primaryRegion(cfg.topology).region;
    const data = globalDataRegions(cfg.topology);
    const partner = cfg.topology.regions.find((r) => r.region === primary)!.failover;
    const to = data.includes(partner) ? partner : data.find((r) => r !== primary);
    const cluster = names.globalCluster(cfg.environment);
    const run = (target: string) =>
        `npm run ops -- aurora switchover --global-cluster ${cluster} --to ${target}`;
    return [
        `ops: aurora-switchover is not an FIS drill (FIS has no action that switches an Aurora global cluster over); it is a runbook step, nothing was started.`,
        ...(region !== primary
            ? [
                  `  it drills the primary (${primary}), whose writer it moves; --region ${region} is not the primary.`,
              ]
            : []),
        to
            ? `  run: ${run(to)} --dry-run, then without --dry-run; to come back: ${run(primary)}`
            : `  no other global-data region in the topology: there is nowhere to switch the writer to.`,
        `  (docs/operations.md, "Switching the primary")`,
    ].join("\n");
}

/** The command: what `npm run ops -- <argv>` does; throws UsageError on a bad command line. */
export async function run(argv: string[]): Promise<number> {
    const p = parse(argv);
    if (p.flags.help || argv.length === 0) {
        console.log(helpText(USAGE));
        return EXIT.OK;
    }
    const [runbook, action] = p.positional;
    const endpoint = str(p, "endpoint");
    const fisEndpoint = str(p, "fis-endpoint");
    for (const [flag, url] of [
        ["--endpoint", endpoint],
        ["--fis-endpoint", fisEndpoint],
    ] as const) {
        if (url !== undefined && !/^https?:\/\//.test(url)) {
            throw new UsageError(`${flag} ${url}: a URL such as http://127.0.0.1:5000 is required`);
        }
    }
    const clients = new (aws.clients().AwsClients)({
        ...(endpoint ? { endpoint } : {}),
        ...(fisEndpoint ? { fisEndpoint } : {}),
    });
    try {
        if (runbook === "night-mode") {
            if (!NIGHT_ACTIONS.includes(action as NightAction)) {
                throw new UsageError(
                    `night-mode action ${JSON.stringify(action)}: one of ${NIGHT_ACTIONS.join(", ")}`,
                );
            }
            const file = required(p, "spec");
            let spec: NightModeSpec;
            try {
                spec = JSON.parse(fs.readFileSync(file, "utf8")) as NightModeSpec;
            } catch (e) {
                throw new UsageError(`--spec ${file}: ${(e as Error).message}`);
            }
            if (!Array.isArray(spec.cells) || typeof spec.holdParameter !== "string") {
                throw new UsageError(
                    `--spec ${file}: not a night-mode spec (the global stack's nightModeSpec output)`,
                );
            }
            const report = await runNightMode(
                spec,
                action as NightAction,
                aws.nightMode().nightModePortsFor(clients, spec),
            );
            console.log(formatReport(report));
            return report.ok ? 0 : 1;
        }
        if (runbook === "aurora") {
            if (action !== "switchover" && action !== "failover") {
                throw new UsageError(
                    `aurora runbook ${JSON.stringify(action)}: switchover or failover`,
                );
            }
            const globalClusterId = required(p, "global-cluster");
            const targetRegion = required(p, "to");
            const waitRaw = str(p, "wait-minutes");
            const waitMinutes = waitRaw === undefined ? undefined : Number(waitRaw);
            if (waitMinutes !== undefined && !(Number.isInteger(waitMinutes) && waitMinutes > 0)) {
                throw new UsageError(`--wait-minutes ${waitRaw}: a positive integer is required`);
            }
            // The topology (global-data regions) and the RPO, from the same files the stacks use.
            const configs = validateAll(readProjectFiles(str(p, "dir") ?? REPO_ROOT));
            const cfg =
                Object.values(configs).find((c) => c.role === "primary") ??
                Object.values(configs)[0];
            const datastore = str(p, "datastore");
            const opts = {
                globalClusterId,
                targetRegion,
                globalDataRegions: globalDataRegions(cfg.topology),
                rpoSeconds: cfg.rpoSeconds,
                // The writer parameters of the stacks' environment follow the new writer.
                environment: cfg.environment,
                topologyRegions: cfg.topology.regions.map((r) => r.region),
                ...(datastore ? { globalDatastoreId: datastore } : {}),
                dryRun: p.flags["dry-run"] === true,
                allowDataLoss: p.flags["allow-data-loss"] === true,
                allowMissingLagMetric: p.flags["allow-missing-lag-metric"] === true,
                ...(waitMinutes ? { waitMinutes } : {}),
            };
            const report = await (action === "switchover" ? switchover : failover)(
                opts,
                aws.aurora().auroraPorts(clients),
            );
            console.log(formatRunbook(report));
            return report.ok ? 0 : 1;
        }
        if (runbook === "drill") return await drill(p, action, clients);
        throw new UsageError(
            `unknown runbook ${JSON.stringify(runbook)}: night-mode, aurora or drill`,
        );
    } finally {
        clients.destroy();
    }
}

/** `run` with its errors turned into exit codes and messages (tests call it in-process). */
export async function main(argv: string[]): Promise<number> {
    try {
        return await run(argv);
    } catch (e) {
        if (e instanceof UsageError) {
            console.error(`ops: ${e.message}\n${USAGE}`);
            return EXIT.INPUT;
        }
        if (e instanceof PlanConfigError) {
            console.error(`ops: configuration error; nothing was run.\n${e.message}`);
            return EXIT.INPUT;
        }
        // An AWS call that failed (a service error carries $metadata; no credentials, no endpoint)
        // is a failed step, not a bug in the runbook.
        const err = e as { $metadata?: unknown; name?: string; message?: string };
        if (err?.$metadata !== undefined || err?.name === "CredentialsProviderError") {
            console.error(`ops: an AWS call failed: ${err.name}: ${err.message}`);
            return EXIT.FAILED;
        }
        return internalFailure("ops", e);
    }
}

if (require.main === module) main(process.argv.slice(2)).then((code) => process.exit(code));
