/** The cell's ECS deployment settings as pure functions of its deployment args (taskflow:rollout). */
import { expect } from "chai";
import {
    CELL_DEPLOYMENT_DEFAULTS,
    cellAlarmName,
    serviceDeployment,
} from "../../../components/cell/deployment";
import { ROLLOUT_DEFAULTS } from "../../../config";

describe("RegionalCell deployment settings (components/cell/deployment.ts)", () => {
    it("defaults to what taskflow:rollout defaults to, so a cell built without it deploys alike", () => {
        expect(CELL_DEPLOYMENT_DEFAULTS).to.deep.equal({
            rollbackAlarms: ROLLOUT_DEFAULTS.rollbackAlarms,
            minimumHealthyPercent: ROLLOUT_DEFAULTS.minimumHealthyPercent,
            maximumPercent: ROLLOUT_DEFAULTS.maximumPercent,
            strategy: ROLLOUT_DEFAULTS.strategy,
        });
        expect(serviceDeployment({}, "prod", "us-east-1")).to.deep.equal(
            serviceDeployment(ROLLOUT_DEFAULTS, "prod", "us-east-1"),
        );
    });

    it("names a cell's alarms after the environment, the region and the alarm", () => {
        expect(cellAlarmName("prod", "eu-west-1", "5xx-rate")).to.equal(
            "taskflow-prod-cell-eu-west-1-5xx-rate",
        );
    });

    it("always keeps the circuit breaker and rolls back on the configured alarms", () => {
        expect(serviceDeployment(ROLLOUT_DEFAULTS, "prod", "us-east-1")).to.deep.equal({
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            alarms: {
                enable: true,
                rollback: true,
                alarmNames: [
                    "taskflow-prod-cell-us-east-1-5xx-rate",
                    "taskflow-prod-cell-us-east-1-unhealthy-hosts",
                ],
            },
        });
    });

    it("refuses a strategy other than ROLLING even when the config was built by hand", () => {
        expect(() =>
            serviceDeployment(
                { ...ROLLOUT_DEFAULTS, strategy: "BLUE_GREEN" as never },
                "prod",
                "us-east-1",
            ),
        ).to.throw(/"BLUE_GREEN" is not allowed; ROLLING only/);
    });
});
