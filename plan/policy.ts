/**
 * Runs the policy pack's functions over planned stacks: the same policy objects the CrossGuard
 * pack (`policies/index.ts`) serves, through the offline adapter `policies/offline.ts`. Each
 * stack is judged on its own, as `pulumi preview --policy-pack policies` of that stack would be.
 */
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../policies/all";
import { Level, loadPolicyConfig, PACK_CONFIG_FILE, PackSettings } from "../policies/config";
import { PACK_DIR, PACK_ENFORCEMENT_LEVEL, PACK_NAME, packVersion } from "../policies/identity";
import { evaluatePlans } from "../policies/offline";
import { PlanViolation, REPO_ROOT, StackPlan } from "./run";

/** The committed pack config, relative to a checkout: the file every preview, deploy and workflow passes. */
export const PACK_CONFIG = `policies/${PACK_CONFIG_FILE}`;

/**
 * The pack config `npm run plan` applies by default: the committed file of the checkout whose
 * stack files are planned (`<dir>/policies/policy-config.json`), else the repository's.
 */
export function defaultPackConfig(dir: string = REPO_ROOT): string {
    const own = path.join(dir, PACK_CONFIG);
    return fs.existsSync(own) ? own : path.join(REPO_ROOT, PACK_CONFIG);
}

/**
 * Violations by stack. `config`: the residency settings and enforcement levels; by default the
 * schema defaults and each policy's own level, as `pulumi preview --policy-pack policies`
 * without `--policy-pack-config`.
 */
export function evaluate(
    plans: StackPlan[],
    config?: Partial<PackSettings>,
): Record<string, PlanViolation[]> {
    const out: Record<string, PlanViolation[]> = Object.fromEntries(
        plans.map((p) => [p.stack, []]),
    );
    for (const { stack, ...v } of evaluatePlans(plans, config)) out[stack].push(v);
    return out;
}

/**
 * The evaluator for `planAll({ evaluate })` with a pack config file applied: the JSON that
 * `pulumi preview --policy-pack-config <file>` takes. Throws PolicyConfigError (naming the file
 * and the key) before anything is planned when the file cannot be applied.
 */
export function evaluatorFor(
    policyConfigFile: string | undefined,
): (plans: StackPlan[]) => Record<string, PlanViolation[]> {
    return packEvaluation(policyConfigFile).evaluate;
}

/** Which pack ran and how it was configured: what the preview prints under "Policies:". */
export interface PackRun {
    /** The PolicyPack's name (policies/identity.ts). */
    name: string;
    /** Its package.json version, as the policy SDK reports it. */
    version: string;
    /** The pack's folder (`--policy-pack <dir>`), relative to the repository. */
    path: string;
    /** The pack config file applied (relative to the repository when inside it); null: none. */
    config: string | null;
    /** Number of policies in the pack. */
    policies: number;
    /** Policies the config sets to a level other than their own, in the pack's order. */
    levels: { policy: string; level: Level; default: Level }[];
    /** Policies the config disables (they judge nothing). */
    disabled: string[];
}

/** A path as the preview shows it: relative to the repository when inside it. */
function shownPath(file: string): string {
    const rel = path.relative(REPO_ROOT, path.resolve(file));
    return rel.startsWith("..") || path.isAbsolute(rel) ? path.resolve(file) : rel;
}

/** The pack run described from its config's resolved settings (`{}`: no config file). */
export function describePackRun(
    policyConfigFile: string | undefined,
    settings: Partial<PackSettings>,
): PackRun {
    const levels: PackRun["levels"] = [];
    for (const p of allPolicies) {
        const own = p.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL;
        const byDefault: Level = own === "remediate" ? "mandatory" : own;
        const set = settings.levels?.[p.name];
        if (set !== undefined && set !== byDefault)
            levels.push({ policy: p.name, level: set, default: byDefault });
    }
    return {
        name: PACK_NAME,
        version: packVersion(),
        path: shownPath(PACK_DIR),
        config: policyConfigFile ? shownPath(policyConfigFile) : null,
        policies: allPolicies.length,
        levels,
        disabled: levels.filter((l) => l.level === "disabled").map((l) => l.policy),
    };
}

/**
 * The evaluator for `planAll({ evaluate })` with a pack config file applied, and the pack run it
 * stands for. Throws PolicyConfigError (naming the file and the key) when the file cannot be
 * applied, before anything is planned.
 */
export function packEvaluation(policyConfigFile: string | undefined): {
    pack: PackRun;
    evaluate: (plans: StackPlan[]) => Record<string, PlanViolation[]>;
} {
    const settings = policyConfigFile ? loadPolicyConfig(policyConfigFile, allPolicies) : {};
    return {
        pack: describePackRun(policyConfigFile, settings),
        evaluate: (plans) => evaluate(plans, settings),
    };
}
