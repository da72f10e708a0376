/**
 * The keys a stack may set, their defaults, and the check that refuses a misspelled key (with a
 * "did you mean"). Pulumi.yaml declares every key with the same defaults (a test checks).
 */
import { CellMode } from "../model/cell";
import { PLACEHOLDER_IMAGE } from "../model/placeholder-app";
import { Collector } from "./errors";

export { NS } from "../model/config-error";

/** Defaults of every optional key. Pulumi.yaml declares the same values (a test checks). */
export const DEFAULTS = {
    environment: "prod",
    rpoSeconds: 5,
    logArchiveRetentionDays: 365,
    auroraEngineVersion: "16.6",
    appImage: PLACEHOLDER_IMAGE,
    cellMode: "active" as CellMode,
    minTasks: 2,
    maxTasks: 12,
    standbyTasks: 1,
    taskCpu: 512,
    taskMemory: 1024,
    dbInstanceClass: "db.r7g.large",
    cacheNodeType: "cache.r7g.large",
    healthCheckIntervalSeconds: 10,
    healthCheckFailureThreshold: 2,
    project: "taskflow",
    globalStack: "global",
};

// ---------------------------------------------------------------------------------------------
// Known keys: a misspelled key is an error, never silently ignored
// ---------------------------------------------------------------------------------------------

/** Keys of `taskflow:topology`. */
export const TOPOLOGY_KEYS: readonly string[] = [
    "org",
    "project",
    "globalStack",
    "domain",
    "hostedZoneId",
    "zones",
    "gdprZone",
    "regions",
];
/** Keys of one `taskflow:topology.regions[]` entry. */
export const REGION_KEYS: readonly string[] = [
    "region",
    "stack",
    "primary",
    "failover",
    "zone",
    "vpcCidr",
    "geolocation",
    "globalData",
];
/** Keys of a region entry's `geolocation`. */
export const GEOLOCATION_KEYS: readonly string[] = ["countries", "continents"];
/** Keys of `taskflow:residencyBoundary`. */
export const BOUNDARY_KEYS: readonly string[] = ["zone", "aurora", "replicaRegions"];
/** Cell sizing keys (`taskflow:<key>`): region stacks only; the global stack has no cell. */
export const CELL_KEYS: readonly string[] = [
    "appImage",
    "cellMode",
    "minTasks",
    "maxTasks",
    "standbyTasks",
    "taskCpu",
    "taskMemory",
    "dbInstanceClass",
    "cacheNodeType",
];
/**
 * Every `taskflow:<key>` a stack may have: the keys of DEFAULTS — except `project` and
 * `globalStack`, the defaults of topology fields, which are not keys of their own — plus the
 * keys without a default.
 */
export const STACK_KEYS: readonly string[] = [
    "topology",
    "role",
    ...Object.keys(DEFAULTS).filter((k) => !TOPOLOGY_KEYS.includes(k)),
    "residencyBoundary",
    "deployments",
    "nightMode",
    "writerRegion",
    "rollout",
    "targets",
    "wafBodyLimits",
    "drills",
];

/** Keys of `taskflow:nightMode`. */
export const NIGHT_MODE_KEYS: readonly string[] = [
    "enabled",
    "timezone",
    "nightStart",
    "dayStart",
    "activeRegions",
    "nightTasks",
    "holdHours",
    "readinessTimeoutSeconds",
    "reservedConcurrency",
];

/** Keys of `taskflow:deployments`. */
export const DEPLOYMENTS_KEYS = [
    "enabled",
    "repo",
    "branch",
    "refreshCron",
    "driftCron",
    "awsRoleArn",
    "autoRemediateGlobal",
    "prPreviews",
] as const;

/** Keys of `taskflow:rollout`. */
export const ROLLOUT_KEYS: readonly string[] = [
    "canaryRegion",
    "bakeMinutes",
    "pollSeconds",
    "deploymentTimeoutMinutes",
    "rollbackAlarms",
    "minimumHealthyPercent",
    "maximumPercent",
    "strategy",
];

/** Keys every stack must read alike, so they may only be set in Pulumi.yaml. */
export const PROJECT_ONLY_KEYS: readonly string[] = [
    "nightMode",
    "writerRegion",
    "rollout",
    "targets",
];

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            cur[j] = Math.min(
                prev[j] + 1,
                cur[j - 1] + 1,
                prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
            );
        }
        prev = cur;
    }
    return prev[b.length];
}

/**
 * The known key an unknown one most likely meant: the same key in another case, else the
 * closest one 1 or 2 edits away; undefined when none is that close.
 */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
    const lower = key.toLowerCase();
    const sameCase = known.find((k) => k.toLowerCase() === lower);
    if (sameCase) return sameCase;
    let best: string | undefined;
    let bestDistance = 3;
    for (const k of known) {
        const d = editDistance(lower, k.toLowerCase());
        if (d < bestDistance) {
            best = k;
            bestDistance = d;
        }
    }
    return best;
}

/**
 * A command-line flag a command does not take, named with the one it most likely meant (the
 * same rule as a key's "did you mean") and every flag it does take.
 */
export function unknownArgument(arg: string, known: readonly string[]): string {
    const guess = didYouMean(arg, known);
    const hint = guess === undefined ? ";" : `: did you mean ${guess}?`;
    return `unknown argument "${arg}"${hint} allowed: ${known.join(", ")}`;
}

/**
 * Reports every key of `obj` that is not in `known` as {key, value, "not a known key; allowed:
 * ..."}, with a "did you mean" when a known key is close. The key is `keyPrefix` + key;
 * the allowed keys are listed as `listPrefix` + key.
 */
export function checkKeys(
    c: Collector,
    obj: Record<string, unknown>,
    known: readonly string[],
    keyPrefix: string,
    listPrefix = "",
): void {
    for (const [key, value] of Object.entries(obj)) {
        if (known.includes(key)) continue;
        const guess = didYouMean(key, known);
        c.add(
            `${keyPrefix}${key}`,
            value,
            `not a known key; allowed: ${known.map((k) => listPrefix + k).join(", ")}` +
                (guess ? `; did you mean ${listPrefix}${guess}?` : ""),
        );
    }
}
