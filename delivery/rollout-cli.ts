/**
 * `npm run deploy -- --rollout ...`: the glue between the command line, the validated
 * config and the rollout controller (delivery/rollout.ts). scripts/deploy.ts calls
 * {@link runRolloutCommand} and nothing else for `--rollout`.
 *
 * `--rollout --preview` needs neither the Pulumi CLI nor credentials: it prints the order, the
 * timing and each region's target from the config, and, given two offline plans (before and after
 * a change), which regions the change rolls through or whether it goes in waves.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CellMode, StackConfig, Topology, primaryRegion } from "../config";
import { isNight, nightRoles } from "../model/night-mode";
import type { RolloutArgs } from "./args";
import { deployWaves } from "./order";
import {
    AppPin,
    RolloutClock,
    RolloutCloud,
    RolloutStacks,
    RolloutStore,
    abandonRollout,
    describePin,
    formatState,
    rollbackByHand,
    rolloutParameterName,
    runRollout,
} from "./rollout";
import { PlanLike, StackChange, classifyPlans, describeChange } from "./rollout-classify";
import type { RolloutConfig } from "../config";
import { RolloutStep, formatRolloutOrder, rolloutOrder } from "./rollout-order";

/** Everything the rollout takes from the validated stack configs. */
export interface RolloutContext {
    topology: Topology;
    rollout: RolloutConfig;
    steps: RolloutStep[];
    /** What the repository asks each region to run. */
    targets: Record<string, AppPin>;
    environment: string;
    /** Region of the SSM parameter holding the state (the primary's, next to night mode's). */
    stateRegion: string;
    /** Night mode's drained regions and window, when enabled. */
    night?: { drained: string[]; timezone: string; nightStart: string; dayStart: string };
}

/** The rollout's context from `validateAll`'s configs. */
export function rolloutContext(configs: Record<string, StackConfig>): RolloutContext {
    const all = Object.values(configs);
    const topology = all[0].topology;
    const primary = primaryRegion(topology);
    const primaryCfg = all.find((c) => c.regionSpec?.region === primary.region) ?? all[0];
    const rollout = primaryCfg.rollout;
    const modes: Record<string, CellMode> = {};
    const targets: Record<string, AppPin> = {};
    for (const c of all) {
        if (!c.regionSpec || !c.cell) continue;
        modes[c.regionSpec.region] = c.cell.mode;
        targets[c.regionSpec.region] = {
            image: c.cell.image,
            cpu: c.cell.taskCpu,
            memory: c.cell.taskMemory,
        };
    }
    const nm = primaryCfg.nightMode;
    const night = nm.enabled
        ? {
              drained: Object.entries(nightRoles(topology, nm.activeRegions))
                  .filter(([, r]) => r.role === "drain")
                  .map(([region]) => region),
              timezone: nm.timezone,
              nightStart: nm.nightStart,
              dayStart: nm.dayStart,
          }
        : undefined;
    return {
        topology,
        rollout,
        steps: rolloutOrder(topology, {
            ...(rollout.canaryRegion ? { canaryRegion: rollout.canaryRegion } : {}),
            modes,
            ...(night ? { night } : {}),
        }),
        targets,
        environment: primaryCfg.environment,
        stateRegion: primary.region,
        ...(night ? { night } : {}),
    };
}

/** Reads `<dir>/<stack>.json` plan files (npm run plan -- --out). */
export function readPlans(dir: string): Record<string, PlanLike> {
    if (!fs.existsSync(dir))
        throw new Error(`no plan directory ${dir} (npm run plan -- --out ${dir})`);
    const plans: Record<string, PlanLike> = {};
    for (const f of fs
        .readdirSync(dir)
        .filter((x) => x.endsWith(".json"))
        .sort()) {
        const p = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as PlanLike;
        if (typeof p.stack === "string" && Array.isArray(p.resources)) plans[p.stack] = p;
    }
    if (Object.keys(plans).length === 0) throw new Error(`no plan files in ${dir}`);
    return plans;
}

/** What a change between two plans does: per stack, and where it goes. */
export interface ChangePlan {
    verdicts: StackChange[];
    kind: "none" | "app" | "infra";
    /** For an app change: the regions it rolls through, in order. */
    regions: string[];
}

export function changeBetween(
    ctx: RolloutContext,
    base: Record<string, PlanLike>,
    head: Record<string, PlanLike>,
): ChangePlan {
    const stacks = [...ctx.steps.map((s) => s.stack), ctx.topology.globalStack];
    const verdicts = stacks.map((stack): StackChange => {
        const h = head[stack];
        const b = base[stack];
        if (!h) {
            return {
                stack,
                kind: "infra",
                app: [],
                infra: [
                    { urn: `(no plan of ${stack} after the change)`, type: "stack", op: "delete" },
                ],
            };
        }
        if (!b) {
            return {
                stack,
                kind: "infra",
                app: [],
                infra: [{ urn: `(new stack ${stack})`, type: "stack", op: "create" }],
            };
        }
        return classifyPlans(b, h);
    });
    const kind = verdicts.some((v) => v.kind === "infra")
        ? "infra"
        : verdicts.some((v) => v.kind === "app")
          ? "app"
          : "none";
    const changed = new Set(verdicts.filter((v) => v.kind === "app").map((v) => v.stack));
    return {
        verdicts,
        kind,
        regions:
            kind === "app"
                ? ctx.steps.filter((s) => changed.has(s.stack)).map((s) => s.region)
                : [],
    };
}

/** The text of `npm run deploy -- --rollout --preview [--base-plan a --head-plan b]`. */
export function previewText(ctx: RolloutContext, change?: ChangePlan): string {
    const r = ctx.rollout;
    const images = Object.fromEntries(
        ctx.steps.map((s) => {
            const v = change?.verdicts.find((x) => x.stack === s.stack);
            return [
                s.region,
                v?.image?.to
                    ? { from: v.image.from, to: v.image.to }
                    : { to: describePin(ctx.targets[s.region]) },
            ];
        }),
    );
    const lines = [
        "npm run deploy -- --rollout --preview: nothing is changed or read in AWS",
        formatRolloutOrder(ctx.steps, r, images),
        `  ECS in every cell: rolling update ${r.minimumHealthyPercent}-${r.maximumPercent}%, circuit breaker with rollback, alarm rollback on ${r.rollbackAlarms.join(", ")}`,
        `  state: ssm:${ctx.stateRegion}:${rolloutParameterName(ctx.environment)}`,
    ];
    if (change) {
        lines.push("change between the two plans:");
        for (const v of change.verdicts) {
            const detail =
                v.kind === "none"
                    ? "no changes"
                    : v.kind === "app"
                      ? `app change${v.image?.to ? ` (image ${v.image.from ?? "?"} -> ${v.image.to})` : ` (${v.app.map(describeChange).join("; ")})`}`
                      : `infrastructure change: ${v.infra.slice(0, 8).map(describeChange).join("; ")}${v.infra.length > 8 ? `; and ${v.infra.length - 8} more` : ""}`;
            lines.push(`  ${v.stack}: ${detail}`);
        }
        if (change.kind === "app") {
            lines.push(
                `verdict: an app rollout; on merge it rolls through ${change.regions.join(" -> ")}, one region at a time, baking ${r.bakeMinutes} min in each`,
            );
        } else if (change.kind === "infra") {
            lines.push(
                `verdict: an infrastructure change; on merge it deploys in waves ${deployWaves(
                    ctx.topology,
                )
                    .map((w) => `[${w.stacks.join(" ")}]`)
                    .join(
                        " -> ",
                    )} (an app change in the same merge reaches every region at once, each cell guarded by its circuit breaker and alarm rollback only)`,
            );
        } else lines.push("verdict: no change to deploy");
    }
    return lines.join("\n");
}

/** Who runs the rollout (stored with the state). */
export function rolloutOwner(env: Record<string, string | undefined> = process.env): string {
    if (env.GITHUB_RUN_ID) {
        return `github-actions ${env.GITHUB_REPOSITORY ?? "?"} run ${env.GITHUB_RUN_ID}`;
    }
    return `${os.userInfo().username}@${os.hostname()}`;
}

/** What a live rollout command needs (built by scripts/deploy.ts; replaced in tests). */
export interface RolloutDeps {
    stacks: () => RolloutStacks;
    cloud: RolloutCloud;
    store: RolloutStore;
    clock: RolloutClock;
    out: (line: string) => void;
    owner: string;
    signal?: AbortSignal;
}

/** Runs a live `--rollout` mode (not preview). Returns the exit code. */
export async function runRolloutCommand(
    args: RolloutArgs,
    ctx: RolloutContext,
    deps: RolloutDeps,
): Promise<number> {
    const { out } = deps;
    const timing = {
        deployTimeoutMs: ctx.rollout.deploymentTimeoutMinutes * 60_000,
        pollMs: ctx.rollout.pollSeconds * 1000,
    };
    switch (args.mode) {
        case "status":
            out(formatState(await deps.store.get(), deps.store.where));
            return 0;
        case "abandon": {
            const r = await abandonRollout(deps.store, deps.clock, deps.owner);
            out(r.message);
            return r.ok ? 0 : 1;
        }
        case "rollback": {
            const r = await rollbackByHand(
                args.region!,
                { steps: ctx.steps, owner: deps.owner, ...timing },
                {
                    stacks: deps.stacks(),
                    cloud: deps.cloud,
                    store: deps.store,
                    clock: deps.clock,
                    log: out,
                },
            );
            out(r.message);
            return r.ok ? 0 : 1;
        }
        case "run": {
            out(formatRolloutOrder(ctx.steps, ctx.rollout));
            const night = ctx.night;
            const report = await runRollout(
                {
                    steps: ctx.steps,
                    targets: ctx.targets,
                    globalStack: ctx.topology.globalStack,
                    bakeMs: ctx.rollout.bakeMinutes * 60_000,
                    owner: deps.owner,
                    retry: args.retry,
                    ...timing,
                    ...(night
                        ? {
                              drainedAt: (region: string, at: Date) =>
                                  night.drained.includes(region) && isNight(night, at),
                          }
                        : {}),
                    ...(deps.signal ? { signal: deps.signal } : {}),
                },
                {
                    stacks: deps.stacks(),
                    cloud: deps.cloud,
                    store: deps.store,
                    clock: deps.clock,
                    log: out,
                },
            );
            return report.exitCode;
        }
        case "preview":
            throw new Error("--rollout --preview runs offline (previewText)");
    }
}
