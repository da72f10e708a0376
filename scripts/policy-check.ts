/**
 * `npm run policy:check -- [--policy-pack-config <config.json>] <plan.json>...`
 *
 * Runs the policy pack over plan files written by `npm run plan -- --out <dir>` (or written by
 * hand in the same format, docs/plan-format.md). Each file is judged on its own, as
 * `pulumi preview --policy-pack` judges one stack. `--policy-pack-config` (alias
 * `--policy-config`) takes the JSON `pulumi preview --policy-pack-config` takes (policy name →
 * level or { enforcementLevel, zones, account, stores, ... }; "all" → level): the residency
 * settings, set alike on every residency policy, and enforcement levels. Without it: the
 * committed policies/policy-config.json.
 * Each resource's documented `region` is the region the policies judge; a file where it
 * contradicts the resource's `region` input/output or its `providerRegion` is invalid input.
 * Prints every violation and a summary. Exit codes (scripts/cli.ts, the same for every script):
 * 0 no mandatory violation, 1 at least one mandatory violation, 2 unreadable or invalid input or
 * pack config (nothing evaluated), 4 an internal failure.
 */
import * as fs from "fs";
import { allPolicies } from "../policies/all";
import {
    COMMITTED_PACK_CONFIG,
    loadPolicyConfig,
    PackSettings,
    PolicyConfigError,
} from "../policies/config";
import {
    evaluatePlans,
    PlanInputError,
    PlanLike,
    PlannedResourceLike,
    regionContradiction,
    StackViolation,
} from "../policies/offline";
import { countTotals, formatTotals } from "../plan/totals";
import { EXIT, helpText, internalFailure, unknownArgument, wantsHelp } from "./cli";

export class PlanFileError extends Error {}

function fail(file: string, what: string): never {
    throw new PlanFileError(`${file}: ${what}`);
}

/** Reads and checks one plan file; throws PlanFileError naming the file and the bad field. */
export function readPlanFile(file: string): PlanLike {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        fail(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        fail(file, `is not JSON (${(e as Error).message})`);
    }
    if (!json || typeof json !== "object" || Array.isArray(json))
        fail(file, "must hold a plan object");
    const plan = json as Record<string, unknown>;
    if (typeof plan.stack !== "string" || plan.stack === "")
        fail(file, `"stack" must be a non-empty string`);
    if (typeof plan.region !== "string" || plan.region === "")
        fail(file, `"region" must be a non-empty string`);
    if (!Array.isArray(plan.resources)) fail(file, `"resources" must be an array`);
    plan.resources.forEach((r: unknown, i: number) => {
        const at = `resources[${i}]`;
        if (!r || typeof r !== "object") fail(file, `${at} must be an object`);
        const o = r as Record<string, unknown>;
        for (const k of ["urn", "type", "name"]) {
            if (typeof o[k] !== "string" || o[k] === "")
                fail(file, `${at}.${k} must be a non-empty string`);
        }
        for (const k of ["region", "providerRegion"]) {
            if (o[k] !== null && o[k] !== undefined && typeof o[k] !== "string") {
                fail(file, `${at}.${k} must be a string or null, got ${JSON.stringify(o[k])}`);
            }
        }
        if (!o.inputs || typeof o.inputs !== "object" || Array.isArray(o.inputs)) {
            fail(file, `${at}.inputs must be an object`);
        }
        if (
            o.outputs !== undefined &&
            (typeof o.outputs !== "object" || o.outputs === null || Array.isArray(o.outputs))
        ) {
            fail(file, `${at}.outputs must be an object`);
        }
        o.region = o.region ?? null;
        o.providerRegion = o.providerRegion ?? null;
        // The documented `region` is the effective region the policies judge: a file whose
        // `region` says otherwise than the resource's region input or provider is refused.
        const why = regionContradiction(o as unknown as PlannedResourceLike);
        if (why) fail(file, `${at} (${String(o.urn)}): ${why}`);
    });
    return plan as unknown as PlanLike;
}

export function formatViolation(v: StackViolation): string {
    return `[${v.level}] ${v.stack} ${v.policy}\n    ${v.urn ?? "(stack)"}\n    ${v.message}`;
}

const USAGE =
    "usage: npm run policy:check -- [--policy-pack-config <config.json>] <plan.json> [<plan.json>...]";

/** Command line: plan files, and the policy config file if any. Throws on a bad flag. */
export function parseArgs(argv: string[]): { files: string[]; policyConfig?: string } {
    const files: string[] = [];
    let policyConfig: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--") continue;
        if (a === "--policy-pack-config" || a === "--policy-config") {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a file`);
            policyConfig = v;
        } else if (a.startsWith("--")) {
            throw new Error(unknownArgument(a, ["--policy-pack-config", "--help"]));
        } else {
            files.push(a);
        }
    }
    if (files.length === 0) throw new Error("no plan file given");
    return { files, policyConfig };
}

/** The command: what `npm run policy:check -- <argv>` does, returning its exit code. */
export function main(argv: string[]): number {
    if (wantsHelp(argv)) {
        console.log(
            helpText(
                `${USAGE}\n  judges each plan file (npm run plan -- --out <dir>) with the policy pack` +
                    `\n  --policy-pack-config <file>   the pack config (default: policies/policy-config.json)`,
            ),
        );
        return EXIT.OK;
    }
    try {
        return check(argv);
    } catch (e) {
        return internalFailure("policy:check", e);
    }
}

function check(argv: string[]): number {
    let files: string[];
    let policyConfig: string | undefined;
    try {
        ({ files, policyConfig } = parseArgs(argv));
    } catch (e) {
        console.error(`policy:check: ${(e as Error).message}\n${USAGE}`);
        return EXIT.INPUT;
    }
    let plans: PlanLike[];
    let settings: PackSettings | undefined;
    try {
        settings = loadPolicyConfig(policyConfig ?? COMMITTED_PACK_CONFIG, allPolicies);
        plans = files.map(readPlanFile);
        const stacks = plans.map((p) => p.stack);
        const dup = stacks.find((s, i) => stacks.indexOf(s) !== i);
        if (dup) throw new PlanFileError(`stack "${dup}" is given more than once`);
    } catch (e) {
        if (!(e instanceof PlanFileError) && !(e instanceof PolicyConfigError)) throw e;
        const what = e instanceof PolicyConfigError ? "invalid policy config" : "invalid input";
        console.error(`policy:check: ${what}, nothing evaluated: ${e.message}`);
        return EXIT.INPUT;
    }
    let violations: StackViolation[];
    try {
        violations = evaluatePlans(plans, settings);
    } catch (e) {
        if (!(e instanceof PlanInputError)) throw e;
        console.error(`policy:check: invalid input, nothing evaluated: ${e.message}`);
        return EXIT.INPUT;
    }
    for (const v of violations) console.log(formatViolation(v));
    const totals = countTotals(plans, violations);
    console.log(`policy:check: ${formatTotals(totals)}`);
    return totals.mandatory > 0 ? EXIT.FAILED : EXIT.OK;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
