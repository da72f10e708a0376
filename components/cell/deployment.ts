/**
 * How a RegionalCell's ECS service takes a new task definition: a rolling update with the
 * deployment circuit breaker and CloudWatch-alarm rollback, both rolling back to the last
 * deployment that completed. Pure functions of the cell's `deployment` args (regions/args.ts
 * fills them from `taskflow:rollout`), unit-tested without mocks and on every planned cell.
 *
 * - Circuit breaker: tasks that fail to start or fail their health checks fail the deployment.
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
 * - Alarms: ECS fails the deployment when one of the named alarms goes to ALARM while it runs or
 *   during the bake ECS computes from the alarms' periods, and rolls back. In the @pulumi/aws
 *   provider this is the service's top-level `alarms` (the API's `deploymentConfiguration.alarms`).
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
 *   An alarm already in ALARM when a deployment starts is not a signal to ECS (aws/copilot-cli#4512),
 *   so `npm run deploy -- --rollout` refuses to start a region whose alarms are in ALARM.
 * - Strategy: ROLLING; why not BLUE_GREEN is in config/rollout.ts and docs/operations.md.
 */
import { CellAlarm, cellAlarmName } from "../../model/cell";

export { cellAlarmName } from "../../model/cell";

/** How the cell's service rolls out a new task definition (RegionalCellArgs.deployment). */
export interface CellDeploymentArgs {
    /** Cell alarms ECS watches during a deployment and rolls back on. Default 5xx-rate, unhealthy-hosts. */
    rollbackAlarms?: CellAlarm[];
    /** Rolling update: lower bound of healthy tasks, % of desired. Default 100. */
    minimumHealthyPercent?: number;
    /** Rolling update: upper bound of running tasks, % of desired. Default 200. */
    maximumPercent?: number;
    /** ECS deployment strategy. Default and only value: ROLLING. */
    strategy?: string;
}

/** The defaults of {@link CellDeploymentArgs}. */
export const CELL_DEPLOYMENT_DEFAULTS = {
    rollbackAlarms: ["5xx-rate", "unhealthy-hosts"] as CellAlarm[],
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    strategy: "ROLLING",
};

/** The deployment fields of the cell's `aws.ecs.Service` (merged into its args). */
export interface ServiceDeployment {
    deploymentMinimumHealthyPercent: number;
    deploymentMaximumPercent: number;
    deploymentCircuitBreaker: { enable: true; rollback: true };
    alarms: { enable: true; rollback: true; alarmNames: string[] };
}

/** The service's deployment settings for a cell in `region`. */
export function serviceDeployment(
    rollout: CellDeploymentArgs,
    environment: string,
    region: string,
): ServiceDeployment {
    const d = { ...CELL_DEPLOYMENT_DEFAULTS, ...definedOnly(rollout) };
    if (d.strategy !== "ROLLING") {
        // config/rollout.ts refuses any other value; a caller building the args by hand gets told too.
        throw new Error(
            `RegionalCell: deployment strategy ${JSON.stringify(d.strategy)} is not allowed; ROLLING only (docs/operations.md, "Why not ECS blue/green")`,
        );
    }
    return {
        deploymentMinimumHealthyPercent: d.minimumHealthyPercent,
        deploymentMaximumPercent: d.maximumPercent,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        alarms: {
            enable: true,
            rollback: true,
            alarmNames: d.rollbackAlarms.map((a) => cellAlarmName(environment, region, a)),
        },
    };
}

/** The rollback alarms of a deployment (the service depends on them). */
export function rollbackAlarmsOf(rollout: CellDeploymentArgs): CellAlarm[] {
    return rollout.rollbackAlarms ?? CELL_DEPLOYMENT_DEFAULTS.rollbackAlarms;
}

function definedOnly<T extends object>(o: T): Partial<T> {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
