/**
 * How a RegionalCell's ECS service takes a new task definition (issue 16): a rolling update with
 * the deployment circuit breaker and CloudWatch-alarm rollback, both rolling back to the last
 * deployment that completed. Pure functions of `taskflow:rollout`, unit-tested without mocks
 * (test/components/cell-deployment.spec.ts) and on every planned cell
 * (test/components/regional-cell.spec.ts).
 *
 * - Circuit breaker: tasks that fail to start or fail their health checks fail the deployment.
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
 * - Alarms: ECS fails the deployment when one of the named alarms goes to ALARM while it runs or
 *   during the bake ECS computes from the alarms' periods, and rolls back. In the @pulumi/aws
 *   provider this is the service's top-level `alarms` (the API's `deploymentConfiguration.alarms`).
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
 *   An alarm already in ALARM when a deployment starts is not a signal to ECS (aws/copilot-cli#4512),
 *   so `npm run deploy -- --rollout` refuses to start a region whose alarms are in ALARM.
 * - Strategy: ROLLING; why not BLUE_GREEN is in delivery/rollout-config.ts and docs/operations.md.
 */
import { CellAlarm, RolloutConfig } from "../delivery/rollout-config";

/**
 * The name of one of a cell's alarms. Stable (not auto-named) so that the ECS service, the
 * rollout controller, the drills in docs/operations.md and the tests name the same alarm.
 */
export function cellAlarmName(environment: string, region: string, alarm: CellAlarm): string {
    return `taskflow-${environment}-cell-${region}-${alarm}`;
}

/** The deployment fields of the cell's `aws.ecs.Service` (merged into its args). */
export interface ServiceDeployment {
    deploymentMinimumHealthyPercent: number;
    deploymentMaximumPercent: number;
    deploymentCircuitBreaker: { enable: true; rollback: true };
    alarms: { enable: true; rollback: true; alarmNames: string[] };
}

/** The service's deployment settings for a cell in `region`. */
export function serviceDeployment(
    rollout: Pick<
        RolloutConfig,
        "rollbackAlarms" | "minimumHealthyPercent" | "maximumPercent" | "strategy"
    >,
    environment: string,
    region: string,
): ServiceDeployment {
    if (rollout.strategy !== "ROLLING") {
        // config.ts refuses any other value; a caller building the config by hand gets told too.
        throw new Error(
            `RegionalCell: deployment strategy ${JSON.stringify(rollout.strategy)} is not allowed; ROLLING only (docs/operations.md, "Why not ECS blue/green")`,
        );
    }
    return {
        deploymentMinimumHealthyPercent: rollout.minimumHealthyPercent,
        deploymentMaximumPercent: rollout.maximumPercent,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        alarms: {
            enable: true,
            rollback: true,
            alarmNames: rollout.rollbackAlarms.map((a) => cellAlarmName(environment, region, a)),
        },
    };
}
