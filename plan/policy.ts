/**
 * Runs the policy pack's functions over planned stacks: the same policy objects the CrossGuard
 * pack (`policies/index.ts`) serves, through the offline adapter `policies/offline.ts`. All
 * stacks are evaluated together so cross-stack replication (the global stack's S3 replication
 * of buckets created by the region stacks) is proven from the other plans' tags and regions.
 */
import { allPolicies } from "../policies/all";
import { loadPolicyConfig, PackSettings } from "../policies/config";
import { evaluatePlans } from "../policies/offline";
import { PlanViolation, StackPlan } from "./run";

/**
 * Violations by stack. `config`: the residency matrix and enforcement levels; by default seed
 * 000's matrix and each policy's own level, as `pulumi preview --policy-pack policies` without
 * `--policy-config`.
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
 * The evaluator for `planAll({ evaluate })` with a policy config file applied: the JSON that
 * `pulumi preview --policy-config <file>` takes. Throws PolicyConfigError (naming the file and
 * the key) before anything is planned when the file cannot be applied.
 */
export function evaluatorFor(
    policyConfigFile: string | undefined,
): (plans: StackPlan[]) => Record<string, PlanViolation[]> {
    const settings = policyConfigFile ? loadPolicyConfig(policyConfigFile, allPolicies) : {};
    return (plans) => evaluate(plans, settings);
}
