/**
 * Runs the policy pack's functions over planned stacks: the same policy objects the CrossGuard
 * pack (`policies/index.ts`) serves, through the offline adapter `policies/offline.ts`. All
 * stacks are evaluated together so cross-stack replication (the global stack's S3 replication
 * of buckets created by the region stacks) is proven from the other plans' tags and regions.
 */
import { evaluatePlans } from "../policies/offline";
import { ResidencyConfig } from "../policies/residency";
import { PlanViolation, StackPlan } from "./run";

export function evaluate(
    plans: StackPlan[],
    config?: Partial<ResidencyConfig>,
): Record<string, PlanViolation[]> {
    const out: Record<string, PlanViolation[]> = Object.fromEntries(
        plans.map((p) => [p.stack, []]),
    );
    for (const { stack, ...v } of evaluatePlans(plans, config)) out[stack].push(v);
    return out;
}
