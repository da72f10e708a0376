/**
 * `taskflow:rollout` (project-level): how an app change reaches the cells.
 *
 * Two consumers read the same validated value:
 * - every RegionalCell's ECS service (the deployment circuit breaker is always on; these settings
 *   choose the CloudWatch alarms that roll a deployment back, and the rolling-update bounds), see
 *   components/cell/deployment.ts (regions/args.ts hands it these fields);
 * - `npm run deploy -- --rollout` (delivery/rollout.ts): the canary region, the bake time in each
 *   region, how often the bake reads the alarms, how long a region's ECS deployment may take.
 *
 * The parser is a pure function returning issues (key, value, what is allowed), so
 * validateStackConfig runs it with the rest of a stack's config and refuses a bad value before any
 * resource is registered.
 */
import { CELL_ALARMS, CellAlarm, CellMode } from "../model/cell";
import { RegionSpec, Topology } from "../model/topology";
import { Collector, ConfigIssue } from "./errors";
import { NS, ROLLOUT_KEYS, checkKeys } from "./keys";
import { asInt, isObject } from "./values";

export { CELL_ALARMS, type CellAlarm } from "../model/cell";

/** The only ECS deployment strategy the cell uses; see {@link STRATEGY_REFUSALS} for the others. */
export type DeploymentStrategy = "ROLLING";

/** The validated `taskflow:rollout` object. */
export interface RolloutConfig {
    /**
     * The region an app change reaches first. Default: derived from the topology
     * (delivery/rollout-order.ts): the first secondary whose users another region of their zone
     * can serve. Never the primary.
     */
    canaryRegion?: string;
    /** Minutes each region bakes (alarms read, nothing promoted) after its ECS deployment. Default 10. */
    bakeMinutes: number;
    /** Seconds between two readings of the alarms while a region deploys or bakes. Default 30. */
    pollSeconds: number;
    /** Minutes a region's ECS deployment may take before the rollout calls it failed. Default 30. */
    deploymentTimeoutMinutes: number;
    /**
     * Cell alarms ECS watches during a deployment and rolls back on (`alarms` of the service).
     * Default: 5xx-rate and unhealthy-hosts (latency-p99 is allowed; cold starts make it noisy).
     */
    rollbackAlarms: CellAlarm[];
    /** ECS rolling update: lower bound of healthy tasks, % of desired. Default 100. */
    minimumHealthyPercent: number;
    /** ECS rolling update: upper bound of running tasks, % of desired. Default 200. */
    maximumPercent: number;
    /** ECS deployment strategy. Default and only value: ROLLING. */
    strategy: DeploymentStrategy;
}

export const ROLLOUT_DEFAULTS: Readonly<Omit<RolloutConfig, "canaryRegion">> = {
    bakeMinutes: 10,
    pollSeconds: 30,
    deploymentTimeoutMinutes: 30,
    rollbackAlarms: ["5xx-rate", "unhealthy-hosts"],
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    strategy: "ROLLING",
};

/**
 * Why the cell refuses ECS's traffic-shifting strategies (docs/operations.md, "Why not ECS
 * blue/green"). They need one production listener rule per target group, while a cell forwards to
 * its target group from three places (443 `/health`, 443 origin-verify, the 8443 listener's
 * default action), and they are documented to fail on listeners that mix forward and
 * fixed-response actions, which the 443 listener does by design (default 403, residency 403).
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AdvancedConfiguration.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html
 */
const TRAFFIC_SHIFT_REFUSAL = (strategy: string) =>
    `ROLLING only: ${strategy} shifts one production listener rule per target group, but a cell forwards to its target group from three (443 /health, 443 origin-verify, the 8443 default action) on listeners that mix forward and fixed-response actions; see docs/operations.md, "Why not ECS blue/green"`;
export const STRATEGY_REFUSALS: Readonly<Record<string, string>> = Object.fromEntries(
    ["BLUE_GREEN", "LINEAR", "CANARY"].map((s) => [s, TRAFFIC_SHIFT_REFUSAL(s)]),
);

/**
 * Validates `taskflow:rollout` (absent: every default). Returns the typed value (defaults where a
 * field is bad) and every problem, each naming `taskflow:rollout.<field>`, the value and what is
 * allowed. Unknown fields are reported by the caller's key check (`unknownKeys`).
 */
export function parseRollout(
    raw: unknown,
    topology: Pick<Topology, "regions">,
): { value: RolloutConfig; issues: ConfigIssue[]; unknownKeys: Record<string, unknown> } {
    const K = `${NS}:rollout`;
    const issues: ConfigIssue[] = [];
    const add = (key: string, value: unknown, allowed: string) =>
        issues.push({ key: `${K}${key}`, value, allowed });
    const value: RolloutConfig = {
        ...ROLLOUT_DEFAULTS,
        rollbackAlarms: [...ROLLOUT_DEFAULTS.rollbackAlarms],
    };
    if (raw === undefined) return { value, issues, unknownKeys: {} };
    if (!isObject(raw)) {
        add("", raw, `an object with keys ${ROLLOUT_KEYS.join(", ")} (every one optional)`);
        return { value, issues, unknownKeys: {} };
    }
    const unknownKeys = Object.fromEntries(
        Object.entries(raw).filter(([k]) => !ROLLOUT_KEYS.includes(k)),
    );

    const int = (field: keyof RolloutConfig, min: number, max: number, unit: string) => {
        const v = asInt(raw[field]);
        if (v === undefined) return;
        if (Number.isNaN(v) || v < min || v > max) {
            add(`.${field}`, raw[field], `an integer from ${min} to ${max} (${unit})`);
            return;
        }
        (value as unknown as Record<string, number>)[field] = v;
    };
    int("bakeMinutes", 1, 240, "minutes");
    int("pollSeconds", 10, 300, "seconds");
    int("deploymentTimeoutMinutes", 5, 120, "minutes");
    int("minimumHealthyPercent", 0, 100, "percent of the desired count");
    int("maximumPercent", 100, 200, "percent of the desired count");
    if (value.pollSeconds > value.bakeMinutes * 60) {
        add(
            ".pollSeconds",
            raw.pollSeconds,
            `at most the bake time (bakeMinutes ${value.bakeMinutes} = ${value.bakeMinutes * 60} s), so a bake reads the alarms more than once`,
        );
    }
    if (value.maximumPercent <= value.minimumHealthyPercent) {
        add(
            ".maximumPercent",
            raw.maximumPercent ?? value.maximumPercent,
            `more than minimumHealthyPercent (${value.minimumHealthyPercent}): ECS must be able to start a new task or stop an old one`,
        );
    }

    if (raw.strategy !== undefined) {
        if (raw.strategy === "ROLLING") value.strategy = "ROLLING";
        else {
            add(
                ".strategy",
                raw.strategy,
                typeof raw.strategy === "string" && STRATEGY_REFUSALS[raw.strategy]
                    ? STRATEGY_REFUSALS[raw.strategy]
                    : "ROLLING (the ECS rolling update with circuit breaker and alarm rollback)",
            );
        }
    }

    if (raw.rollbackAlarms !== undefined) {
        const list = raw.rollbackAlarms;
        const allowed = `a non-empty list of the cell's alarms, each once: ${CELL_ALARMS.join(", ")}`;
        if (!Array.isArray(list) || list.length === 0) add(".rollbackAlarms", list, allowed);
        else {
            const seen = new Set<string>();
            list.forEach((a, i) => {
                if (!CELL_ALARMS.includes(a as CellAlarm) || seen.has(String(a))) {
                    add(`.rollbackAlarms[${i}]`, a, allowed);
                }
                seen.add(String(a));
            });
            if (issues.every((i) => !i.key.startsWith(`${K}.rollbackAlarms`))) {
                value.rollbackAlarms = list as CellAlarm[];
            }
        }
    }

    if (raw.canaryRegion !== undefined) {
        const regions = topology.regions.map((r) => r.region);
        const primary = topology.regions.find((r) => r.primary)?.region;
        const secondaries = regions.filter((r) => r !== primary);
        if (typeof raw.canaryRegion !== "string" || !regions.includes(raw.canaryRegion)) {
            add(
                ".canaryRegion",
                raw.canaryRegion,
                `one of the topology's secondary regions: ${secondaries.join(", ") || "(none)"}`,
            );
        } else if (raw.canaryRegion === primary) {
            add(
                ".canaryRegion",
                raw.canaryRegion,
                `a secondary region (${secondaries.join(", ") || "none in this topology"}): the primary, which holds the writer and the night-mode controller, is never first`,
            );
        } else value.canaryRegion = raw.canaryRegion;
    }
    return { value, issues, unknownKeys };
}

/**
 * `taskflow:rollout` of one stack: the parsed value, its problems and its unknown keys. A region
 * stack in pilot-light runs no task, so it cannot be the canary: nothing would answer while it
 * bakes.
 */
export function checkRollout(
    c: Collector,
    raw: unknown,
    topology: Topology,
    regionSpec: RegionSpec | undefined,
    cellMode: CellMode | undefined,
): RolloutConfig {
    const parsed = parseRollout(raw, topology);
    checkKeys(c, parsed.unknownKeys, ROLLOUT_KEYS, `${NS}:rollout.`);
    c.issues.push(...parsed.issues);
    const canary = parsed.value.canaryRegion;
    if (regionSpec && canary === regionSpec.region && cellMode === "pilot-light") {
        c.add(
            `${NS}:rollout.canaryRegion`,
            canary,
            `a region whose cell serves: ${canary} is pilot-light in this stack (no tasks answer while it bakes)`,
        );
    }
    return parsed.value;
}
