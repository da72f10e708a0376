/**
 * The cross-region dashboard's body: a pure function of the topology's regions and the names of
 * what they run, so a new region gets its row without code. Widget shape: "Dashboard body
 * structure and syntax"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
 * Metrics, namespaces and dimensions, with the region each is emitted in:
 * - ALB RequestCount, HTTPCode_Target_5XX_Count, TargetResponseTime (LoadBalancer), in the cell's
 *   region (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html);
 * - Route 53 HealthCheckStatus (HealthCheckId), in us-east-1 only
 *   (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html);
 * - Global Accelerator NewFlowCount (Accelerator, Listener, EndpointGroup), in us-west-2 only
 *   (https://docs.aws.amazon.com/global-accelerator/latest/dg/cloudwatch-monitoring.html);
 * - AuroraGlobalDBReplicationLag (DBClusterIdentifier), by the replicating member, in its region;
 * - DynamoDB ReplicationLatency (TableName, ReceivingRegion), in the writing region;
 * - ElastiCache GlobalDatastoreReplicationLag (CacheClusterId), by the replicating group;
 * - S3 ReplicationLatency, OperationsPendingReplication (SourceBucket, DestinationBucket, RuleId),
 *   in the source bucket's region;
 * - ECS/ContainerInsights RunningTaskCount, DesiredTaskCount (ClusterName, ServiceName);
 * - TaskFlow/NightMode Drained (Environment, Region), which the night-mode controller publishes
 *   in the edge region and the DNS gates read; a gated region's gate check is a Route 53
 *   HealthCheckStatus line beside its record's check.
 * The region's "region unhealthy" composite alarm is an alarm status widget (type "alarm",
 * properties.alarms: ARNs), in the alarm's region: composite alarms have no metric to graph
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/add_remove_alarm_dashboard.html,
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_cloudwatch.AlarmStatusWidget.html).
 */
import { GATE_METRIC, GATE_NAMESPACE } from "../../model/night-mode";

/** Where the edge's Route 53 metrics and the night-mode metric live. */
export const EDGE_METRICS_REGION = "us-east-1";
/** Global Accelerator publishes its metrics in us-west-2 only. */
export const ACCELERATOR_METRICS_REGION = "us-west-2";

/** What a region's row shows, by name. */
export interface DashboardRegion {
    region: string;
    albArnSuffix: string;
    healthCheckId: string;
    /** Night mode's gate check, when the region is gated (drained at night). */
    gateHealthCheckId?: string;
    /** ARN of the region's composite alarm. */
    healthAlarmArn: string;
    ecsClusterName: string;
    ecsServiceName: string;
    /** Global Accelerator: the region's endpoint group's listener ARN (it names the accelerator). */
    acceleratorListenerArn: string;
    /** When the region holds global data. */
    globalData?: {
        auroraClusterId: string;
        cacheClusterId: string;
        tables: string[];
        /** The other global-data regions, which receive this region's DynamoDB writes. */
        receivingRegions: string[];
    };
    /** When the region receives S3 replication: its rule on the source bucket. */
    assetsReplication?: {
        sourceRegion: string;
        sourceBucket: string;
        destinationBucket: string;
        ruleId: string;
    };
}

export interface DashboardInput {
    environment: string;
    regions: DashboardRegion[];
}

type Metric = (string | Record<string, unknown>)[];

type Widget = {
    x: number;
    y: number;
    width: number;
    height: number;
} & (
    | {
          type: "metric";
          properties: {
              title: string;
              region: string;
              view: "timeSeries";
              stat?: string;
              period: number;
              metrics: Metric[];
          };
      }
    | { type: "alarm"; properties: { title: string; region: string; alarms: string[] } }
);

const WIDTH = 6;
const HEIGHT = 6;
const PER_LINE = 24 / WIDTH;

/** `arn:...:accelerator/<a>/listener/<l>` → the Accelerator and Listener dimension values. */
export function acceleratorDimensions(listenerArn: string): {
    accelerator: string;
    listener: string;
} {
    const m = /accelerator\/([^/]+)\/listener\/([^/]+)$/.exec(listenerArn);
    if (!m) throw new Error(`not a Global Accelerator listener ARN: ${listenerArn}`);
    return { accelerator: m[1], listener: m[2] };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The widgets of one region, in row order (unplaced). */
function regionWidgets(
    env: string,
    r: DashboardRegion,
): DistributiveOmit<Widget, "x" | "y" | "width" | "height">[] {
    const alb = (name: string, opts: Record<string, unknown>): Metric => [
        "AWS/ApplicationELB",
        name,
        "LoadBalancer",
        r.albArnSuffix,
        opts,
    ];
    const w = (title: string, region: string, metrics: Metric[], stat?: string) => ({
        type: "metric" as const,
        properties: {
            title: `${r.region} · ${title}`,
            region,
            view: "timeSeries" as const,
            ...(stat ? { stat } : {}),
            period: 60,
            metrics,
        },
    });
    const ga = acceleratorDimensions(r.acceleratorListenerArn);
    const check = (id: string, label: string): Metric => [
        "AWS/Route53",
        "HealthCheckStatus",
        "HealthCheckId",
        id,
        { stat: "Minimum", label },
    ];
    const widgets: DistributiveOmit<Widget, "x" | "y" | "width" | "height">[] = [
        {
            type: "alarm",
            properties: {
                title: `${r.region} · region unhealthy (composite alarm)`,
                region: r.region,
                alarms: [r.healthAlarmArn],
            },
        },
        w("ALB requests", r.region, [alb("RequestCount", { stat: "Sum" })]),
        w("ALB target 5xx rate (%)", r.region, [
            [{ expression: "IF(m1 > 0, 100 * FILL(m2, 0) / m1, 0)", label: "5xx %", id: "e1" }],
            alb("RequestCount", { id: "m1", stat: "Sum", visible: false }),
            alb("HTTPCode_Target_5XX_Count", { id: "m2", stat: "Sum", visible: false }),
        ]),
        w("ALB target response time p99 (s)", r.region, [
            alb("TargetResponseTime", { stat: "p99" }),
        ]),
        w("Route 53 health checks (1 = healthy)", EDGE_METRICS_REGION, [
            check(r.healthCheckId, "record"),
            ...(r.gateHealthCheckId ? [check(r.gateHealthCheckId, "night-mode gate")] : []),
        ]),
        w("Global Accelerator new flows to the endpoint group", ACCELERATOR_METRICS_REGION, [
            [
                "AWS/GlobalAccelerator",
                "NewFlowCount",
                "Accelerator",
                ga.accelerator,
                "Listener",
                ga.listener,
                "EndpointGroup",
                r.region,
                { stat: "Sum" },
            ],
        ]),
        w("ECS running vs desired tasks", r.region, [
            ...["RunningTaskCount", "DesiredTaskCount"].map((m) => [
                "ECS/ContainerInsights",
                m,
                "ClusterName",
                r.ecsClusterName,
                "ServiceName",
                r.ecsServiceName,
                { stat: "Average" },
            ]),
        ]),
        w("Night mode drained (1 = drained)", EDGE_METRICS_REGION, [
            [
                GATE_NAMESPACE,
                GATE_METRIC,
                "Environment",
                env,
                "Region",
                r.region,
                { stat: "Maximum" },
            ],
        ]),
    ];
    if (r.globalData) widgets.push(...globalDataWidgets(w, r.region, r.globalData));
    const s3 = r.assetsReplication;
    if (s3) {
        const dims = [
            "SourceBucket",
            s3.sourceBucket,
            "DestinationBucket",
            s3.destinationBucket,
            "RuleId",
            s3.ruleId,
        ];
        widgets.push(
            w(`S3 replication from ${s3.sourceRegion}`, s3.sourceRegion, [
                ["AWS/S3", "ReplicationLatency", ...dims, { stat: "Maximum" }],
                [
                    "AWS/S3",
                    "OperationsPendingReplication",
                    ...dims,
                    { stat: "Maximum", yAxis: "right" },
                ],
            ]),
        );
    }
    return widgets;
}

type MetricWidget = Extract<Widget, { type: "metric" }>;
type WidgetOf = (
    title: string,
    region: string,
    metrics: Metric[],
    stat?: string,
) => Omit<MetricWidget, "x" | "y" | "width" | "height">;

/** A global-data region's replication widgets: Aurora, DynamoDB per receiving region, cache. */
function globalDataWidgets(
    w: WidgetOf,
    region: string,
    g: NonNullable<DashboardRegion["globalData"]>,
): Omit<MetricWidget, "x" | "y" | "width" | "height">[] {
    return [
        w(
            "Aurora global replication lag (ms)",
            region,
            [["AWS/RDS", "AuroraGlobalDBReplicationLag", "DBClusterIdentifier", g.auroraClusterId]],
            "Maximum",
        ),
        w(
            "DynamoDB replication latency (ms) by receiving region",
            region,
            g.tables.flatMap((t) =>
                g.receivingRegions.map((to) => [
                    "AWS/DynamoDB",
                    "ReplicationLatency",
                    "TableName",
                    t,
                    "ReceivingRegion",
                    to,
                    { label: `${t} → ${to}` },
                ]),
            ),
            "Average",
        ),
        w(
            "ElastiCache global replication lag (s)",
            region,
            [
                [
                    "AWS/ElastiCache",
                    "GlobalDatastoreReplicationLag",
                    "CacheClusterId",
                    g.cacheClusterId,
                ],
            ],
            "Maximum",
        ),
    ];
}

/** The dashboard body (JSON): one block of widgets per region, in the topology's order. */
export function dashboardBody(input: DashboardInput): string {
    const widgets: Widget[] = [];
    let y = 0;
    for (const r of input.regions) {
        const row = regionWidgets(input.environment, r);
        row.forEach((wd, i) =>
            widgets.push({
                ...wd,
                x: (i % PER_LINE) * WIDTH,
                y: y + Math.floor(i / PER_LINE) * HEIGHT,
                width: WIDTH,
                height: HEIGHT,
            }),
        );
        y += Math.ceil(row.length / PER_LINE) * HEIGHT;
    }
    return JSON.stringify({ widgets });
}
