/**
 * `taskflow:targets` — what the design must promise (project-level, optional): the targets the
 * resilience report (plan/report) compares the planned design with, and that
 * `npm run plan -- --strict` enforces.
 *
 * Defaults are the required targets (docs/requirements.md: latency ≤ 100 ms per region,
 * 99.99 % global availability, RPO 5 min, RTO 15 min). A stricter target is allowed; a looser one
 * is refused: those figures are the business requirement, and a report judged against a
 * weaker one would hide what the design does not meet.
 *
 * Pure, no Pulumi: config/stack.ts lists the key and calls {@link targetsIssues} /
 * {@link validateTargets}.
 */
import { ConfigIssue } from "./errors";
import { didYouMean } from "./keys";

/** The validated targets. */
export interface Targets {
    /** Composite availability of the global web tier, percent (required: 99.99). */
    availabilityPercent: number;
    /** Recovery point objective per data tier, seconds (required: 300). */
    rpoSeconds: number;
    /** Recovery time objective of the web tier after a regional failure, seconds (required: 900). */
    rtoSeconds: number;
    /** Round-trip latency bound per user geography, ms (required: 100; the KPI is 50). */
    latencyMs: number;
}

/** The required targets (docs/requirements.md): 100 ms, 99.99 %, RPO 5 min, RTO 15 min. */
export const SEED_TARGETS: Readonly<Targets> = {
    availabilityPercent: 99.99,
    rpoSeconds: 300,
    rtoSeconds: 900,
    latencyMs: 100,
};

/** Keys of `taskflow:targets`. */
export const TARGET_KEYS: readonly (keyof Targets)[] = [
    "availabilityPercent",
    "rpoSeconds",
    "rtoSeconds",
    "latencyMs",
];

const KEY = "taskflow:targets";

/** The problems of a raw `taskflow:targets` value (absent: none). */
export function targetsIssues(raw: unknown): ConfigIssue[] {
    if (raw === undefined) return [];
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        return [
            {
                key: KEY,
                value: raw,
                allowed: `an object with any of ${TARGET_KEYS.join(", ")} (defaults: seed 000's ${JSON.stringify(SEED_TARGETS)})`,
            },
        ];
    }
    const issues: ConfigIssue[] = [];
    const obj = raw as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
        if (!(TARGET_KEYS as readonly string[]).includes(key)) {
            const near = didYouMean(key, TARGET_KEYS);
            issues.push({
                key: `${KEY}.${key}`,
                value: obj[key],
                allowed: `not a known key${near ? ` (did you mean ${near}?)` : ""}; allowed: ${TARGET_KEYS.join(", ")}`,
            });
        }
    }
    const num = (key: keyof Targets, check: (v: number) => boolean, allowed: string) => {
        if (!(key in obj)) return;
        const v = obj[key];
        const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
        if (typeof n !== "number" || !Number.isFinite(n) || !check(n)) {
            issues.push({ key: `${KEY}.${key}`, value: v, allowed });
        }
    };
    const s = SEED_TARGETS;
    num(
        "availabilityPercent",
        (v) => v >= s.availabilityPercent && v < 100,
        `a percentage from ${s.availabilityPercent} (seed 000) to below 100: stricter targets only`,
    );
    num(
        "rpoSeconds",
        (v) => Number.isInteger(v) && v >= 0 && v <= s.rpoSeconds,
        `an integer from 0 to ${s.rpoSeconds} seconds (seed 000's RPO is 5 min): stricter targets only`,
    );
    num(
        "rtoSeconds",
        (v) => Number.isInteger(v) && v >= 1 && v <= s.rtoSeconds,
        `an integer from 1 to ${s.rtoSeconds} seconds (seed 000's RTO is 15 min): stricter targets only`,
    );
    num(
        "latencyMs",
        (v) => v >= 1 && v <= s.latencyMs,
        `a number from 1 to ${s.latencyMs} ms (seed 000: ≤100 ms, KPI 50 ms): stricter targets only`,
    );
    return issues;
}

/** The targets of a raw value (validate with {@link targetsIssues} first); absent keys default to the required targets. */
export function validateTargets(raw: unknown): Targets {
    const obj = (raw ?? {}) as Record<string, unknown>;
    const out = { ...SEED_TARGETS };
    for (const key of TARGET_KEYS) {
        if (obj[key] !== undefined) out[key] = Number(obj[key]);
    }
    return out;
}
