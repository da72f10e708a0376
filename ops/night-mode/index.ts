/**
 * The night-mode runbook: runs one action of the controller's spec (model/night-mode.ts) over
 * every cell, through small ports (ops/aws implements them on the AWS SDK v3), so the same code
 * runs in the scheduled Lambda, in `npm run ops`, and in the tests against moto. What each action
 * does to a drained cell: docs/operations.md, "Night mode".
 *
 * Refresh respects `ignoreChanges`, so what the controller changes never shows as drift
 * (pulumi/pulumi#16146).
 */
export type { StepResult, StepStatus } from "../../model/steps";
export * from "./ports";
export { formatReport } from "./report";
export { runNightMode } from "./run";
