/**
 * Runs the policy pack's functions over planned stacks: the same policy objects the CrossGuard
 * pack (`policies/index.ts`) serves, through the offline adapter `policies/offline.ts`. Each
 * stack is judged on its own, as `pulumi preview --policy-pack policies` of that stack would be.
 */
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../policies/all";
import { loadPolicyConfig, PACK_CONFIG_FILE, PackSettings } from "../policies/config";
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
    const settings = policyConfigFile ? loadPolicyConfig(policyConfigFile, allPolicies) : {};
    return (plans) => evaluate(plans, settings);
}
