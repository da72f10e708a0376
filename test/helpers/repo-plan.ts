/**
 * One offline plan of the repository's own four stacks (policy pack included), shared by every
 * spec in the mocha process: a whole plan costs a few seconds, and the specs only read it.
 */
import { defaultPackConfig, evaluatorFor } from "../../plan/policy";
import { PlannedStack, planAll } from "../../plan/run";

let shared: Promise<PlannedStack[]> | undefined;

/** The repo's stacks planned once per process, in dependency order. */
export function repoPlan(): Promise<PlannedStack[]> {
    shared ??= planAll({ evaluate: evaluatorFor(defaultPackConfig()) });
    return shared;
}
