/**
 * The cross-region dashboard: on the planned global stack (names read from the region stacks'
 * outputs) and, through the same pure functions, for the six-region fixture topology. Each
 * region must get a widget per metric, in the region CloudWatch holds that metric in: ALB and
 * ECS in the cell's region, Route 53 in us-east-1
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html),
 * Global Accelerator in us-west-2
 * (https://docs.aws.amazon.com/global-accelerator/latest/dg/cloudwatch-monitoring.html), S3
 * replication in the source bucket's region
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics.html), DynamoDB
 * ReplicationLatency in the writing region per ReceivingRegion
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html).
 */
import { expect } from "chai";
import { TABLES, names } from "../../../components/data";
import { dashboardBody } from "../../../components/observability";
import { readProjectFiles, validateAll } from "../../../config";
import { Topology, globalDataRegions } from "../../../model/topology";
import { RegionNames, dashboardRegions } from "../../../regions/observability";
import { repoPlan } from "../../helpers/repo-plan";
import { SIX_REGIONS, topologyFixture } from "../../helpers/topology-fixture";

interface Widget {
    type: string;
    properties: {
        region: string;
        metrics: (string | object)[][];
        alarms?: string[];
        title: string;
    };
}

/** Widgets in `region` plotting `ns`/`metric` with every dimension of `dims`. */
function plotting(
    widgets: Widget[],
    region: string,
    ns: string,
    metric: string,
    dims: Record<string, string>,
    hidden = false,
): Widget[] {
    const shown = (m: (string | object)[]) => {
        const opts = m[m.length - 1];
        return (
            hidden || typeof opts !== "object" || (opts as { visible?: boolean }).visible !== false
        );
    };
    return widgets.filter(
        (w) =>
            w.type === "metric" &&
            w.properties.region === region &&
            w.properties.metrics.some((m) => {
                if (m[0] !== ns || m[1] !== metric || !shown(m)) return false;
                return Object.entries(dims).every(([k, v]) => {
                    const i = m.indexOf(k);
                    return i >= 2 && i % 2 === 0 && m[i + 1] === v;
                });
            }),
    );
}

/** Every metric of the issue, for every region of `topology`, with that region's names. */
function expectEveryRegion(
    body: string,
    topology: Topology,
    env: string,
    byRegion: Record<string, RegionNames>,
): void {
    const { widgets } = JSON.parse(body) as { widgets: Widget[] };
    const data = globalDataRegions(topology);
    const [source, ...replicas] = data;
    const tables = Object.values(TABLES).map((t) => names.table(env, t.table));
    const one = (region: string, ns: string, metric: string, dims: Record<string, string>) =>
        expect(
            plotting(widgets, region, ns, metric, dims),
            `${ns} ${metric} ${JSON.stringify(dims)} in ${region}`,
        ).to.have.length(1);
    for (const { region } of topology.regions) {
        const n = byRegion[region];
        const lb = { LoadBalancer: n.albArnSuffix };
        for (const m of ["RequestCount", "TargetResponseTime"])
            one(region, "AWS/ApplicationELB", m, lb);
        const rate = plotting(
            widgets,
            region,
            "AWS/ApplicationELB",
            "HTTPCode_Target_5XX_Count",
            lb,
            true,
        );
        // The 5xx rate: hidden counts, one expression of them.
        expect(rate).to.have.length(1);
        expect(JSON.stringify(rate[0].properties.metrics)).to.match(/"expression":"[^"]*m2[^"]*m1/);
        one("us-east-1", "AWS/Route53", "HealthCheckStatus", { HealthCheckId: n.healthCheckId });
        // The night-mode gate's check, beside the record's, exactly for the gated regions.
        if (n.gateHealthCheckId) {
            const hc = plotting(widgets, "us-east-1", "AWS/Route53", "HealthCheckStatus", {
                HealthCheckId: n.healthCheckId,
            });
            expect(
                plotting(hc, "us-east-1", "AWS/Route53", "HealthCheckStatus", {
                    HealthCheckId: n.gateHealthCheckId,
                }),
                `gate check of ${region}`,
            ).to.have.length(1);
        }
        // Its composite alarm, as an alarm status widget in the alarm's region.
        const alarms = widgets.filter(
            (w) => w.type === "alarm" && w.properties.alarms?.includes(n.healthAlarmArn),
        );
        expect(alarms, `composite alarm of ${region}`).to.have.length(1);
        expect(alarms[0].properties.region).to.equal(region);
        one("us-west-2", "AWS/GlobalAccelerator", "NewFlowCount", { EndpointGroup: region });
        for (const m of ["RunningTaskCount", "DesiredTaskCount"])
            one(region, "ECS/ContainerInsights", m, {
                ClusterName: n.ecsClusterName,
                ServiceName: n.ecsServiceName,
            });
        one("us-east-1", "TaskFlow/NightMode", "Drained", { Environment: env, Region: region });
        const aurora = { DBClusterIdentifier: String(n.auroraClusterId) };
        if (data.includes(region)) {
            one(region, "AWS/RDS", "AuroraGlobalDBReplicationLag", aurora);
            one(region, "AWS/ElastiCache", "GlobalDatastoreReplicationLag", {
                CacheClusterId: `${n.cacheReplicationGroupId}-001`,
            });
            for (const to of data.filter((r) => r !== region))
                for (const TableName of tables)
                    one(region, "AWS/DynamoDB", "ReplicationLatency", {
                        TableName,
                        ReceivingRegion: to,
                    });
        } else {
            expect(plotting(widgets, region, "AWS/RDS", "AuroraGlobalDBReplicationLag", {})).to.be
                .empty;
        }
        if (replicas.includes(region)) {
            const dims = {
                SourceBucket: String(byRegion[source].assetsBucketName),
                DestinationBucket: String(n.assetsBucketName),
            };
            one(source, "AWS/S3", "ReplicationLatency", dims);
            one(source, "AWS/S3", "OperationsPendingReplication", dims);
        }
    }
    // Widgets tile the 24-column grid without overlapping.
    const cells = new Set<string>();
    for (const w of widgets as unknown as {
        x: number;
        y: number;
        width: number;
        height: number;
    }[]) {
        expect(w.x + w.width).to.be.at.most(24);
        for (let x = w.x; x < w.x + w.width; x++)
            for (let y = w.y; y < w.y + w.height; y++) {
                expect(cells.has(`${x},${y}`), `overlap at ${x},${y}`).to.equal(false);
                cells.add(`${x},${y}`);
            }
    }
}

describe("cross-region dashboard", () => {
    it("puts one dashboard in the global stack with every metric for every region of the topology", async () => {
        const planned = await repoPlan();
        const g = planned.find((p) => p.config.role === "global")!;
        const [d, ...more] = g.mocks.ofType("aws:cloudwatch/dashboard:Dashboard");
        expect(more).to.be.empty;
        expect(d.region).to.equal("us-east-1");
        for (const p of planned) {
            if (p === g) continue;
            expect(p.mocks.ofType("aws:cloudwatch/dashboard:Dashboard"), p.plan.stack).to.be.empty;
        }
        const hc = g.outputs.healthCheckIds as Record<string, string>;
        const byRegion: Record<string, RegionNames> = {};
        let gated = 0;
        for (const { region, stack } of g.config.topology.regions) {
            const p = planned.find((s) => s.plan.stack === stack)!;
            const o = p.outputs as Record<string, string>;
            // The region stack's own composite alarm, not just what it exports.
            const [composite] = p.mocks.ofType("aws:cloudwatch/compositeAlarm:CompositeAlarm");
            expect(o.healthAlarmArn, stack).to.equal(composite.outputs.arn);
            const gate = g.mocks
                .ofType("aws:route53/healthCheck:HealthCheck")
                .find((c) => c.name === `edge-night-gate-${region}-check`);
            if (gate) gated++;
            byRegion[region] = {
                albArnSuffix: o.albArnSuffix,
                healthCheckId: hc[region],
                ...(gate ? { gateHealthCheckId: String(gate.id) } : {}),
                healthAlarmArn: o.healthAlarmArn,
                ecsClusterName: o.ecsClusterName,
                ecsServiceName: o.ecsServiceName,
                acceleratorListenerArn: "",
                auroraClusterId: o.auroraClusterId,
                cacheReplicationGroupId: o.cacheReplicationGroupId,
                assetsBucketName: o.assetsBucketName,
            };
        }
        // Night mode is on in the repository's config: at least one region is gated.
        expect(gated).to.be.greaterThan(0);
        expect(() => JSON.parse(String(d.inputs.dashboardBody))).to.not.throw();
        expectEveryRegion(
            String(d.inputs.dashboardBody),
            g.config.topology,
            g.config.environment,
            byRegion,
        );
    });

    it("gives each of the six-region fixture's regions its row, with no code for the new regions", () => {
        const configs = validateAll(readProjectFiles(topologyFixture(SIX_REGIONS)));
        const g = Object.values(configs).find((c) => c.role === "global")!;
        expect(g.topology.regions).to.have.length(6);
        const byRegion = Object.fromEntries(
            g.topology.regions.map(({ region }, i): [string, RegionNames] => [
                region,
                {
                    albArnSuffix: `app/cell-${region}/0123`,
                    healthCheckId: `hc-${region}`,
                    ...(i % 2 ? { gateHealthCheckId: `gate-${region}` } : {}),
                    healthAlarmArn: `arn:aws:cloudwatch:${region}:123456789012:alarm:unhealthy-${region}`,
                    ecsClusterName: `cluster-${region}`,
                    ecsServiceName: `service-${region}`,
                    acceleratorListenerArn: `arn:aws:globalaccelerator::123456789012:accelerator/acc-1/listener/l-1`,
                    auroraClusterId: `aurora-${region}`,
                    cacheReplicationGroupId: `cache-${region}`,
                    assetsBucketName: `assets-${region}`,
                },
            ]),
        );
        const body = dashboardBody({
            environment: g.environment,
            regions: dashboardRegions(g.topology, g.environment, byRegion),
        });
        expectEveryRegion(body, g.topology, g.environment, byRegion);
    });

    it("refuses a global-data region without its data tier's names", () => {
        const configs = validateAll(readProjectFiles(topologyFixture(SIX_REGIONS)));
        const g = Object.values(configs).find((c) => c.role === "global")!;
        const byRegion = Object.fromEntries(
            g.topology.regions.map(({ region }): [string, RegionNames] => [
                region,
                {
                    albArnSuffix: "a",
                    healthCheckId: "h",
                    healthAlarmArn: "arn:aws:cloudwatch:r:1:alarm:a",
                    ecsClusterName: "c",
                    ecsServiceName: "s",
                    acceleratorListenerArn: "arn:aws:globalaccelerator::1:accelerator/a/listener/l",
                },
            ]),
        );
        expect(() => dashboardRegions(g.topology, g.environment, byRegion)).to.throw(
            /holds global data but exports no auroraClusterId/,
        );
    });
});
