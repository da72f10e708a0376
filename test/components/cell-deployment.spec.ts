/** The cell's ECS deployment settings as pure functions of taskflow:rollout (issue 16). */
import { expect } from "chai";
import { cellAlarmName, serviceDeployment } from "../../components/cell-deployment";
import { ROLLOUT_DEFAULTS } from "../../delivery/rollout-config";

describe("RegionalCell deployment settings (components/cell-deployment.ts)", () => {
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
