/**
 * The drill runner finds what it reads by name (ops/drills/run.ts): the Route 53 health check of
 * each cell by its Name tag, the cell's ECS cluster and service, the cell alarm that names the
 * ALB, and each region's health roll-up (the drills' stop condition and the runner's guard).
 * These tests hold those names against what the repository's stacks create (the shared plan).
 */
import { expect } from "chai";
import { cellAlarmName } from "../../model/cell";
import { cellEcsNames, cellHealthCheckName } from "../../model/drills";
import { regionHealthAlarmName } from "../../model/observability";
import { PlannedStack } from "../../plan/run";
import { repoPlan } from "../helpers/repo-plan";
import { repoRegions } from "../helpers/repo-topology";

describe("ops: the names the drill runner reads are the stacks' names", () => {
    let planned: PlannedStack[];
    before(async function () {
        this.timeout(60_000);
        planned = await repoPlan();
    });
    const of = (p: PlannedStack, type: string) => p.plan.resources.filter((r) => r.type === type);
    const regionStacks = () => planned.filter((p) => p.config.role !== "global");

    it("finds one HTTPS health check per topology region by its Name tag (not the night gates')", () => {
        const global = planned.find((p) => p.config.role === "global")!;
        const env = global.config.environment;
        const checks = of(global, "aws:route53/healthCheck:HealthCheck");
        for (const r of global.config.topology.regions) {
            const named = checks.filter(
                (c) =>
                    (c.inputs.tags as Record<string, string>)?.Name ===
                    cellHealthCheckName(env, r.region),
            );
            expect(
                named.map((c) => c.inputs.type),
                r.region,
            ).to.deep.equal(["HTTPS"]);
        }
    });

    it("finds each region's ECS service, the ALB on its latency alarm, and its health roll-up", () => {
        expect(regionStacks().map((p) => p.config.awsRegion)).to.have.members(repoRegions());
        for (const p of regionStacks()) {
            const env = p.config.environment;
            const region = p.config.awsRegion;
            const { cluster, service } = cellEcsNames(env, region);
            expect(of(p, "aws:ecs/cluster:Cluster").map((c) => c.inputs.name)).to.include(cluster);
            expect(of(p, "aws:ecs/service:Service").map((s) => s.inputs.name)).to.include(service);
            const latency = of(p, "aws:cloudwatch/metricAlarm:MetricAlarm").find(
                (a) => a.inputs.name === cellAlarmName(env, region, "latency-p99"),
            );
            expect(latency, region).to.not.equal(undefined);
            expect(Object.keys(latency!.inputs.dimensions as object)).to.include("LoadBalancer");
            const rollups = of(p, "aws:cloudwatch/compositeAlarm:CompositeAlarm").filter(
                (a) => a.inputs.alarmName === regionHealthAlarmName(env, region),
            );
            expect(
                rollups.map((a) => a.region),
                region,
            ).to.deep.equal([region]);
        }
    });
});
