/**
 * `taskflow:deployments` (global stack only): Pulumi Deployments settings and schedules for every
 * stack of the topology. The validator is a pure function, run by validateStackConfig with the
 * rest of the config, so a bad value stops the offline plan before any stack is planned.
 */
import { Topology } from "../model/topology";
import { ConfigError, ConfigIssue } from "./errors";
import { DEPLOYMENTS_KEYS, NS, didYouMean } from "./keys";
import { asBool } from "./values";

/** The validated `taskflow:deployments` object. */
export interface DeploymentsConfig {
    /** Create the Deployments settings and schedules. Default false. */
    enabled: boolean;
    /** GitHub repository `owner/name` the deployments check out. Required when enabled. */
    repo: string;
    /** Branch deployments run from. Default `main`. */
    branch: string;
    /** Cron (UTC, 5 fields) of the scheduled `pulumi refresh` of every stack. Default every 6 h. */
    refreshCron: string;
    /** Cron (UTC, 5 fields) of drift detection on every stack. Default daily 02:30. */
    driftCron: string;
    /** IAM role Pulumi Deployments assumes through OIDC. Required when enabled. */
    awsRoleArn: string;
    /**
     * Let drift detection remediate (run `up`) on the global stack. Default false. Region stacks
     * hold data and never auto-remediate: a drift there is for a human to read.
     */
    autoRemediateGlobal: boolean;
    /**
     * Pulumi Deployments previews pull requests through the GitHub app. Default false: GitHub
     * Actions already previews every PR with the policy pack attached, and a Deployments preview
     * (which runs without the local pack) would preview each PR a second time.
     */
    prPreviews: boolean;
}

export const DEPLOYMENTS_DEFAULTS = {
    enabled: false,
    branch: "main",
    refreshCron: "0 */6 * * *",
    driftCron: "30 2 * * *",
    autoRemediateGlobal: false,
    prPreviews: false,
};

const GITHUB_REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
// git check-ref-format, simplified: no spaces, no "..", no leading "-" or "/", no trailing "/" or ".lock".
const BRANCH = /^(?!-|\/)(?!.*\.\.)(?!.*\/$)(?!.*\.lock$)[A-Za-z0-9._/-]{1,200}$/;

/** Field ranges of a 5-field cron: minute, hour, day of month, month, day of week. */
const CRON_FIELDS: readonly { name: string; min: number; max: number }[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12 },
    { name: "day of week", min: 0, max: 6 },
];

/**
 * Checks a 5-field cron expression (numbers, `*`, ranges `a-b`, steps `/n`, lists `a,b`).
 * Returns undefined when valid, else what is wrong.
 */
export function cronProblem(expr: string): string | undefined {
    const fields = expr.trim().split(/\s+/);
    if (fields.length !== 5)
        return `5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
    for (let i = 0; i < 5; i++) {
        const { name, min, max } = CRON_FIELDS[i];
        for (const part of fields[i].split(",")) {
            const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
            if (!m)
                return `the ${name} field "${fields[i]}" is not a number, *, range a-b, step /n or list`;
            const nums = [m[2], m[3]].filter((x) => x !== undefined).map(Number);
            if (nums.some((n) => n < min || n > max))
                return `the ${name} field "${fields[i]}" must stay within ${min}-${max}`;
            if (nums.length === 2 && nums[0] > nums[1])
                return `the ${name} range "${part}" runs backwards`;
            if (m[4] !== undefined && Number(m[4]) === 0)
                return `the ${name} step "${part}" must be at least 1`;
        }
    }
    return undefined;
}

/**
 * Validates the raw `taskflow:deployments` value (undefined when the key is absent) and fills its
 * defaults. Throws ConfigError naming every bad key, its value and what is allowed. When
 * `enabled` is false, `repo` and `awsRoleArn` may be absent (they come back as "").
 */
export function validateDeployments(
    raw: unknown,
    topology: Topology,
    stack = topology.globalStack,
): DeploymentsConfig {
    const { value, issues } = checkDeployments(raw);
    if (issues.length > 0) throw new ConfigError(stack, issues);
    return value;
}

/** The problems of a raw `taskflow:deployments` value (empty when valid). */
export function deploymentsIssues(raw: unknown): ConfigIssue[] {
    return checkDeployments(raw).issues;
}

function checkDeployments(raw: unknown): { value: DeploymentsConfig; issues: ConfigIssue[] } {
    const K = `${NS}:deployments`;
    const disabled = { ...DEPLOYMENTS_DEFAULTS, repo: "", awsRoleArn: "" };
    if (raw === undefined) return { value: disabled, issues: [] };
    const issues: ConfigIssue[] = [];
    const add = (key: string, value: unknown, allowed: string) =>
        issues.push({ key: key ? `${K}.${key}` : K, value, allowed });
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        add("", raw, `an object with the keys ${DEPLOYMENTS_KEYS.join(", ")}`);
        return { value: disabled, issues };
    }
    const o = raw as Record<string, unknown>;
    for (const key of Object.keys(o)) {
        if (!(DEPLOYMENTS_KEYS as readonly string[]).includes(key)) {
            const guess = didYouMean(key, DEPLOYMENTS_KEYS);
            add(
                key,
                o[key],
                `not a known key; allowed: ${DEPLOYMENTS_KEYS.join(", ")}` +
                    (guess ? `; did you mean ${guess}?` : ""),
            );
        }
    }
    const bool = (key: "enabled" | "autoRemediateGlobal" | "prPreviews"): boolean => {
        if (o[key] === undefined) return DEPLOYMENTS_DEFAULTS[key];
        const b = asBool(o[key]);
        if (typeof b !== "boolean") add(key, o[key], "true or false");
        return typeof b === "boolean" ? b : DEPLOYMENTS_DEFAULTS[key];
    };
    const enabled = bool("enabled");
    const autoRemediateGlobal = bool("autoRemediateGlobal");
    const prPreviews = bool("prPreviews");

    const required = (key: "repo" | "awsRoleArn", pattern: RegExp, allowed: string): string => {
        const v = o[key];
        if (v === undefined) {
            if (enabled) add(key, v, `required when enabled: ${allowed}`);
            return "";
        }
        if (typeof v !== "string" || !pattern.test(v)) {
            add(key, v, allowed);
            return "";
        }
        return v;
    };
    const repo = required(
        "repo",
        GITHUB_REPO,
        'a GitHub repository "owner/name", e.g. acme/taskflow-infra',
    );
    const awsRoleArn = required(
        "awsRoleArn",
        ROLE_ARN,
        "an IAM role ARN arn:aws:iam::<12-digit account>:role/<name> trusted for Pulumi's OIDC issuer",
    );

    const branch = o.branch ?? DEPLOYMENTS_DEFAULTS.branch;
    if (typeof branch !== "string" || !BRANCH.test(branch) || branch.startsWith("refs/")) {
        add("branch", o.branch, "a branch name such as main (without refs/heads/)");
    }
    const cron = (key: "refreshCron" | "driftCron"): string => {
        const v = o[key] ?? DEPLOYMENTS_DEFAULTS[key];
        const problem = typeof v === "string" ? cronProblem(v) : "a string";
        if (problem)
            add(
                key,
                o[key],
                `a 5-field cron expression in UTC such as "${DEPLOYMENTS_DEFAULTS[key]}": ${problem}`,
            );
        return typeof v === "string" ? v.trim() : DEPLOYMENTS_DEFAULTS[key];
    };
    const refreshCron = cron("refreshCron");
    const driftCron = cron("driftCron");
    if (issues.length === 0 && enabled && refreshCron === driftCron) {
        add(
            "driftCron",
            driftCron,
            "a different schedule than refreshCron (both would queue on every stack at once)",
        );
    }
    return {
        value: {
            enabled,
            repo,
            branch: typeof branch === "string" ? branch : DEPLOYMENTS_DEFAULTS.branch,
            refreshCron,
            driftCron,
            awsRoleArn,
            autoRemediateGlobal,
            prPreviews,
        },
        issues,
    };
}
