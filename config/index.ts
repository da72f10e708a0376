/**
 * Stack configuration: one typed, validated value per stack.
 *
 * Everything here is a pure function of the raw config map (the same map `pulumi config` shows,
 * with object values already parsed), so it is unit-tested without mocks and reused by the
 * offline plan to validate every stack before any of them is planned. `loadStackConfig()`
 * (config/load.ts) is the only function that touches the Pulumi runtime, and the one module not
 * exported from here: importing this one loads no Pulumi SDK (the command lines that validate or
 * order stacks, `npm run deploy -- --help` say, start ~0.25 s sooner without it).
 *
 * | module | what it holds |
 * |---|---|
 * | keys.ts | the keys a stack may set, their defaults, "did you mean" |
 * | errors.ts | ConfigError (key, value, what is allowed) and PlanConfigError |
 * | values.ts | scalar parsing (Pulumi stores config as strings) |
 * | topology.ts, region-rules.ts | `taskflow:topology` and the rules between its regions |
 * | stack.ts | one stack's config: role, region, the keys its role allows |
 * | cell.ts, boundary.ts, edge.ts, night-mode.ts, deployments.ts, rollout.ts, targets.ts | the rules of each part |
 * | load.ts | reading the config from the Pulumi runtime |
 * | project.ts | the stack files of a project, validated as a whole |
 */
export * from "../model/aws";
export * from "../model/cell";
export { GLOBAL_CLASSIFICATION } from "../model/residency";
export * from "../model/topology";
export type { NightModeConfig } from "../model/night-mode";
export { capacityFor, FARGATE_SIZES } from "./cell";
export { cidrsOverlap, parseCidr } from "../model/cidr";
export {
    DEPLOYMENTS_DEFAULTS,
    cronProblem,
    deploymentsIssues,
    validateDeployments,
    type DeploymentsConfig,
} from "./deployments";
export { edgeResidencyOf, type EdgeResidency } from "./edge";
export { ConfigError, PlanConfigError, type ConfigIssue } from "./errors";
export {
    BOUNDARY_KEYS,
    CELL_KEYS,
    DEFAULTS,
    GEOLOCATION_KEYS,
    NIGHT_MODE_KEYS,
    NS,
    PROJECT_ONLY_KEYS,
    REGION_KEYS,
    ROLLOUT_KEYS,
    STACK_KEYS,
    TOPOLOGY_KEYS,
    didYouMean,
} from "./keys";
export { landingLogSources } from "./bucket-names";
export { readProjectFiles, validateAll, type ProjectFiles } from "./project";
export { holdsGlobalData, stackKeyIssues, validateStackConfig } from "./stack";
export { nightGatesOf, nightModeMovesCapacity } from "./night-mode";
export { topologyIssues, validateTopology } from "./topology";
export {
    ROLLOUT_DEFAULTS,
    STRATEGY_REFUSALS,
    parseRollout,
    type DeploymentStrategy,
    type RolloutConfig,
} from "./rollout";
export { SEED_TARGETS, TARGET_KEYS, targetsIssues, validateTargets, type Targets } from "./targets";
export type * from "./types";
