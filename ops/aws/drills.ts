/**
 * Drill runner ports (ops/drills/) on the AWS SDK v3: FIS (templates and experiments), CloudWatch
 * (alarm states, the cell alarm that names the ALB, metric series), Route 53 (the cells' health
 * checks by their Name tag) and ECS (the cell's service).
 *
 * FIS calls, REST-JSON (https://docs.aws.amazon.com/fis/latest/APIReference/Welcome.html):
 * ListExperimentTemplates `GET /experimentTemplates?maxResults&nextToken`, StartExperiment
 * `POST /experiments`, GetExperiment `GET /experiments/{id}`, StopExperiment
 * `DELETE /experiments/{id}`.
 */
import {
    DescribeAlarmsCommand,
    GetMetricStatisticsCommand,
    type Datapoint,
} from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import {
    GetExperimentCommand,
    ListExperimentTemplatesCommand,
    StartExperimentCommand,
    StopExperimentCommand,
    type Experiment,
} from "@aws-sdk/client-fis";
import { ListHealthChecksCommand, ListTagsForResourcesCommand } from "@aws-sdk/client-route-53";
import type { DrillPorts, ExperimentView, TemplateView } from "../drills";
import { AwsClients } from "./clients";

function view(e: Experiment | undefined): ExperimentView {
    if (!e?.id) throw new Error("FIS answered without an experiment");
    return {
        id: e.id,
        status: e.state?.status ?? "unknown",
        ...(e.state?.reason ? { reason: e.state.reason } : {}),
        ...(e.startTime ? { startTime: e.startTime } : {}),
        ...(e.endTime ? { endTime: e.endTime } : {}),
    };
}

type FisPorts = Pick<
    DrillPorts,
    "listTemplates" | "startExperiment" | "getExperiment" | "stopExperiment"
>;

function fisPorts(clients: AwsClients): FisPorts {
    return {
        async listTemplates(region) {
            const out: TemplateView[] = [];
            let nextToken: string | undefined;
            do {
                const page = await clients
                    .fis(region)
                    .send(new ListExperimentTemplatesCommand({ maxResults: 100, nextToken }));
                for (const t of page.experimentTemplates ?? []) {
                    if (!t.id) continue;
                    out.push({
                        id: t.id,
                        ...(t.description ? { description: t.description } : {}),
                        tags: t.tags ?? {},
                    });
                }
                nextToken = page.nextToken;
            } while (nextToken);
            return out;
        },
        async startExperiment(region, templateId, clientToken, tags) {
            const out = await clients.fis(region).send(
                new StartExperimentCommand({
                    experimentTemplateId: templateId,
                    clientToken,
                    tags,
                }),
            );
            return view(out.experiment);
        },
        async getExperiment(region, id) {
            return view(
                (await clients.fis(region).send(new GetExperimentCommand({ id }))).experiment,
            );
        },
        async stopExperiment(region, id) {
            return view(
                (await clients.fis(region).send(new StopExperimentCommand({ id }))).experiment,
            );
        },
    };
}

/** The cells' Route 53 health checks, found by their `Name` tag (ListTagsForResources: 10 ids a call). */
async function healthCheckByName(clients: AwsClients, name: string): Promise<string | undefined> {
    const r53 = clients.route53();
    let marker: string | undefined;
    do {
        const page = await r53.send(new ListHealthChecksCommand({ Marker: marker }));
        const ids = (page.HealthChecks ?? []).map((h) => h.Id ?? "").filter((id) => id !== "");
        for (let i = 0; i < ids.length; i += 10) {
            const tags = await r53.send(
                new ListTagsForResourcesCommand({
                    ResourceType: "healthcheck",
                    ResourceIds: ids.slice(i, i + 10),
                }),
            );
            const hit = (tags.ResourceTagSets ?? []).find((set) =>
                (set.Tags ?? []).some((t) => t.Key === "Name" && t.Value === name),
            );
            if (hit?.ResourceId) return hit.ResourceId;
        }
        marker = page.IsTruncated ? page.NextMarker : undefined;
    } while (marker);
    return undefined;
}

/** Drill runner ports on the AWS SDK. */
export function drillPorts(clients: AwsClients): DrillPorts {
    return {
        ...fisPorts(clients),
        async alarmState(region, name) {
            const out = await clients.cloudwatch(region).send(
                // Composite alarms are only returned when asked for
                // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html).
                new DescribeAlarmsCommand({
                    AlarmNames: [name],
                    AlarmTypes: ["CompositeAlarm", "MetricAlarm"],
                }),
            );
            const alarm = [...(out.CompositeAlarms ?? []), ...(out.MetricAlarms ?? [])][0];
            return alarm?.StateValue;
        },
        healthCheckId: (name) => healthCheckByName(clients, name),
        async alarmLoadBalancer(region, alarmName) {
            const out = await clients
                .cloudwatch(region)
                .send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }));
            const dims = out.MetricAlarms?.[0]?.Dimensions ?? [];
            return dims.find((d) => d.Name === "LoadBalancer")?.Value;
        },
        async series(region, metric, start, end) {
            const out = await clients.cloudwatch(region).send(
                new GetMetricStatisticsCommand({
                    Namespace: metric.namespace,
                    MetricName: metric.name,
                    Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({
                        Name,
                        Value,
                    })),
                    StartTime: start,
                    EndTime: end,
                    Period: 60,
                    Statistics: [metric.stat],
                }),
            );
            return (out.Datapoints ?? [])
                .filter((d: Datapoint) => d.Timestamp !== undefined)
                .map((d) => ({ t: d.Timestamp!, v: d[metric.stat] ?? 0 }))
                .sort((a, b) => a.t.getTime() - b.t.getTime());
        },
        async service(region, cluster, service) {
            const out = await clients
                .ecs(region)
                .send(new DescribeServicesCommand({ cluster, services: [service] }))
                .catch((e: { name?: string }) => {
                    if (e?.name === "ClusterNotFoundException") return { services: [] };
                    throw e;
                });
            const s = out.services?.[0];
            return s ? { desired: s.desiredCount ?? 0, running: s.runningCount ?? 0 } : undefined;
        },
        now: () => new Date(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    };
}
