/**
 * `taskflow:deployments` (global stack only): Pulumi Deployments settings and schedules for every
 * stack of the topology.
 *
 * The validator is a pure function, unit-tested without mocks. It is defined in config.ts and
 * re-exported here: `validateStackConfig` runs it with the rest of the global stack's config, so
 * the offline plan's `validateAll` refuses a bad value before any stack is planned (config.ts
 * cannot import this module instead: the validator throws config.ts's ConfigError, and the two
 * modules would import each other). The global stack still calls `validateDeployments` for the
 * typed value before it registers any resource.
 */
export type { DeploymentsConfig } from "../config";
export {
    DEPLOYMENTS_DEFAULTS,
    cronProblem,
    deploymentsIssues,
    validateDeployments,
} from "../config";
