/**
 * AWS SDK v3 implementations of the ops ports. One factory per process: every client of a
 * region is created once and reused. `endpoint` points every client at one address (moto in the
 * tests, `npm run ops -- --endpoint`); without it the SDK's default endpoints and credential
 * chain are used, as in the Lambda.
 */
import {
    ApplicationAutoScalingClient,
    DescribeScalableTargetsCommand,
    RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import {
    CloudWatchClient,
    GetMetricStatisticsCommand,
    PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import {
    DescribeGlobalReplicationGroupsCommand,
    ElastiCacheClient,
    FailoverGlobalReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import {
    DescribeEndpointGroupCommand,
    GlobalAcceleratorClient,
    UpdateEndpointGroupCommand,
} from "@aws-sdk/client-global-accelerator";
import {
    DescribeDBClustersCommand,
    DescribeGlobalClustersCommand,
    FailoverGlobalClusterCommand,
    RDSClient,
    SwitchoverGlobalClusterCommand,
} from "@aws-sdk/client-rds";
import {
    DeleteParameterCommand,
    GetParameterCommand,
    ParameterAlreadyExists,
    ParameterNotFound,
    PutParameterCommand,
    SSMClient,
} from "@aws-sdk/client-ssm";
import type { AuroraPorts, GlobalClusterView } from "./aurora";
import { GATE_METRIC, GATE_NAMESPACE, type NightModePorts, type NightModeSpec } from "./night-mode";

/** Global Accelerator's control plane is served from us-west-2 only. */
export const GLOBAL_ACCELERATOR_API_REGION = "us-west-2";

export interface ClientOptions {
    /** One endpoint for every service and region (moto). Default: AWS. */
    endpoint?: string;
    /** Attempts per call. Default 3; 1 against an emulator (a 500 is not worth retrying). */
    maxAttempts?: number;
}

/** Caches one client per service and region. */
export class AwsClients {
    private readonly cache = new Map<string, unknown>();
    constructor(private readonly opts: ClientOptions = {}) {}

    private config(region: string) {
        return {
            region,
            maxAttempts: this.opts.maxAttempts ?? (this.opts.endpoint ? 1 : 3),
            ...(this.opts.endpoint
                ? {
                      endpoint: this.opts.endpoint,
                      // An emulator accepts any credentials; never pick up real ones for it.
                      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
                  }
                : {}),
        };
    }

    private get<T>(key: string, make: () => T): T {
        if (!this.cache.has(key)) this.cache.set(key, make());
        return this.cache.get(key) as T;
    }

    autoscaling(region: string) {
        return this.get(
            `aas:${region}`,
            () => new ApplicationAutoScalingClient(this.config(region)),
        );
    }
    ecs(region: string) {
        return this.get(`ecs:${region}`, () => new ECSClient(this.config(region)));
    }
    accelerator() {
        return this.get(
            "ga",
            () => new GlobalAcceleratorClient(this.config(GLOBAL_ACCELERATOR_API_REGION)),
        );
    }
    ssm(region: string) {
        return this.get(`ssm:${region}`, () => new SSMClient(this.config(region)));
    }
    rds(region: string) {
        return this.get(`rds:${region}`, () => new RDSClient(this.config(region)));
    }
    cloudwatch(region: string) {
        return this.get(`cw:${region}`, () => new CloudWatchClient(this.config(region)));
    }
    elasticache(region: string) {
        return this.get(`ec:${region}`, () => new ElastiCacheClient(this.config(region)));
    }

    /** Closes every socket (the CLI and tests exit promptly). */
    destroy(): void {
        for (const c of this.cache.values()) (c as { destroy(): void }).destroy();
        this.cache.clear();
    }
}

const ECS_DIMENSION = "ecs:service:DesiredCount" as const;

/** Night-mode ports on the AWS SDK. */
export function nightModePorts(
    clients: AwsClients,
    where: {
        environment: string;
        /** SSM parameters of the hold and the lock, and their region. */
        holdParameter: string;
        lockParameter: string;
        holdRegion: string;
        /** Region of the DNS gates' metric. */
        gateRegion: string;
    },
): NightModePorts {
    const hold = { parameter: where.holdParameter, region: where.holdRegion };
    const ssm = () => clients.ssm(where.holdRegion);
    return {
        async getCapacity(region, resourceId) {
            const out = await clients.autoscaling(region).send(
                new DescribeScalableTargetsCommand({
                    ServiceNamespace: "ecs",
                    ScalableDimension: ECS_DIMENSION,
                    ResourceIds: [resourceId],
                }),
            );
            const t = out.ScalableTargets?.[0];
            if (!t) throw new Error(`no scalable target ${resourceId} in ${region}`);
            return { min: t.MinCapacity ?? 0, max: t.MaxCapacity ?? 0 };
        },
        async setCapacity(region, resourceId, min, max) {
            await clients.autoscaling(region).send(
                new RegisterScalableTargetCommand({
                    ServiceNamespace: "ecs",
                    ScalableDimension: ECS_DIMENSION,
                    ResourceId: resourceId,
                    MinCapacity: min,
                    MaxCapacity: max,
                }),
            );
        },
        async getService(region, cluster, service) {
            const out = await clients
                .ecs(region)
                .send(new DescribeServicesCommand({ cluster, services: [service] }));
            const s = out.services?.[0];
            if (!s) throw new Error(`no ECS service ${cluster}/${service} in ${region}`);
            return { desired: s.desiredCount ?? 0, running: s.runningCount ?? 0 };
        },
        async setDesired(region, cluster, service, desired) {
            await clients
                .ecs(region)
                .send(new UpdateServiceCommand({ cluster, service, desiredCount: desired }));
        },
        async setGate(region, drained) {
            await clients.cloudwatch(where.gateRegion).send(
                new PutMetricDataCommand({
                    Namespace: GATE_NAMESPACE,
                    MetricData: [
                        {
                            MetricName: GATE_METRIC,
                            Dimensions: [
                                { Name: "Environment", Value: where.environment },
                                { Name: "Region", Value: region },
                            ],
                            Value: drained ? 1 : 0,
                            Unit: "Count",
                            Timestamp: new Date(),
                        },
                    ],
                }),
            );
        },
        async tryLock(owner, until) {
            const value = JSON.stringify({ owner, until: until.toISOString() });
            try {
                await ssm().send(
                    new PutParameterCommand({
                        Name: where.lockParameter,
                        Value: value,
                        Type: "String",
                        Overwrite: false,
                    }),
                );
                return true;
            } catch (e) {
                if (!(e instanceof ParameterAlreadyExists)) throw e;
            }
            // Held: take it over only when the holder's lease has run out (a crashed run).
            const cur = await ssm().send(new GetParameterCommand({ Name: where.lockParameter }));
            const held = JSON.parse(cur.Parameter?.Value ?? "{}") as { until?: string };
            if (held.until && new Date(held.until) > new Date()) return false;
            await ssm().send(
                new PutParameterCommand({
                    Name: where.lockParameter,
                    Value: value,
                    Type: "String",
                    Overwrite: true,
                }),
            );
            return true;
        },
        async unlock(owner) {
            try {
                const cur = await ssm().send(
                    new GetParameterCommand({ Name: where.lockParameter }),
                );
                const held = JSON.parse(cur.Parameter?.Value ?? "{}") as { owner?: string };
                if (held.owner !== owner) return;
                await ssm().send(new DeleteParameterCommand({ Name: where.lockParameter }));
            } catch (e) {
                if (!(e instanceof ParameterNotFound)) throw e;
            }
        },
        async getDial(arn) {
            const out = await clients
                .accelerator()
                .send(new DescribeEndpointGroupCommand({ EndpointGroupArn: arn }));
            return out.EndpointGroup?.TrafficDialPercentage ?? 100;
        },
        async setDial(arn, percent) {
            const before = await clients
                .accelerator()
                .send(new DescribeEndpointGroupCommand({ EndpointGroupArn: arn }));
            // Only the dial is sent: UpdateEndpointGroup's other fields are optional and left as
            // they are when omitted (the AWS Load Balancer Controller updates dials the same way).
            // Everything else the group holds is compared afterwards, so a surprise fails loudly.
            const after = await clients.accelerator().send(
                new UpdateEndpointGroupCommand({
                    EndpointGroupArn: arn,
                    TrafficDialPercentage: percent,
                }),
            );
            const shape = (g: typeof before.EndpointGroup) =>
                JSON.stringify({
                    endpoints: (g?.EndpointDescriptions ?? [])
                        .map((d) => [d.EndpointId, d.Weight, d.ClientIPPreservationEnabled])
                        .sort(),
                    ports: (g?.PortOverrides ?? [])
                        .map((o) => [o.ListenerPort, o.EndpointPort])
                        .sort(),
                });
            if (shape(before.EndpointGroup) !== shape(after.EndpointGroup)) {
                throw new Error(
                    `endpoint group ${arn} changed beyond its dial: ${shape(before.EndpointGroup)} → ${shape(after.EndpointGroup)}`,
                );
            }
        },
        async getHold() {
            try {
                const out = await clients
                    .ssm(hold.region)
                    .send(new GetParameterCommand({ Name: hold.parameter }));
                const v = out.Parameter?.Value;
                const d = v ? new Date(v) : undefined;
                return d && !Number.isNaN(d.getTime()) ? d : undefined;
            } catch (e) {
                if (e instanceof ParameterNotFound) return undefined;
                throw e;
            }
        },
        async setHold(until) {
            await clients.ssm(hold.region).send(
                new PutParameterCommand({
                    Name: hold.parameter,
                    Value: until.toISOString(),
                    Type: "String",
                    Overwrite: true,
                    Description:
                        "TaskFlow night mode: held off until this time (emergency restore)",
                }),
            );
        },
        async clearHold() {
            try {
                await clients
                    .ssm(hold.region)
                    .send(new DeleteParameterCommand({ Name: hold.parameter }));
            } catch (e) {
                if (!(e instanceof ParameterNotFound)) throw e;
            }
        },
        now: () => new Date(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    };
}

/** Night-mode ports for a spec (the Lambda and the CLI). */
export function nightModePortsFor(clients: AwsClients, spec: NightModeSpec): NightModePorts {
    return nightModePorts(clients, {
        environment: spec.environment,
        holdParameter: spec.holdParameter,
        lockParameter: spec.lockParameter,
        holdRegion: spec.holdRegion,
        gateRegion: spec.gateRegion,
    });
}

/** The region of an RDS ARN (`arn:aws:rds:<region>:<account>:cluster:<id>`). */
export function arnRegion(arn: string): string {
    return arn.split(":")[3] ?? "";
}

/** Aurora / ElastiCache runbook ports on the AWS SDK. */
export function auroraPorts(clients: AwsClients): AuroraPorts {
    return {
        async describeGlobalCluster(region, id): Promise<GlobalClusterView | undefined> {
            const out = await clients
                .rds(region)
                .send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id }))
                .catch((e: { name?: string }) => {
                    if (e?.name === "GlobalClusterNotFoundFault") return { GlobalClusters: [] };
                    throw e;
                });
            const g = out.GlobalClusters?.[0];
            if (!g) return undefined;
            return {
                id: g.GlobalClusterIdentifier ?? id,
                status: g.Status ?? "unknown",
                engineVersion: g.EngineVersion ?? "",
                members: (g.GlobalClusterMembers ?? []).map((m) => ({
                    arn: m.DBClusterArn ?? "",
                    region: arnRegion(m.DBClusterArn ?? ""),
                    isWriter: m.IsWriter === true,
                })),
            };
        },
        async describeCluster(region, arn) {
            const out = await clients
                .rds(region)
                .send(new DescribeDBClustersCommand({ DBClusterIdentifier: arn }));
            const c = out.DBClusters?.[0];
            if (!c) throw new Error(`no DB cluster ${arn}`);
            return {
                id: c.DBClusterIdentifier ?? "",
                status: c.Status ?? "unknown",
                engineVersion: c.EngineVersion ?? "",
                tags: Object.fromEntries(
                    (c.TagList ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]),
                ),
            };
        },
        async maxReplicationLagMs(region, clusterId, minutes) {
            // One period past now, so the current (partial) minute is included.
            const end = new Date(Date.now() + 60_000);
            const out = await clients.cloudwatch(region).send(
                new GetMetricStatisticsCommand({
                    Namespace: "AWS/RDS",
                    MetricName: "AuroraGlobalDBReplicationLag",
                    Dimensions: [{ Name: "DBClusterIdentifier", Value: clusterId }],
                    StartTime: new Date(end.getTime() - (minutes + 1) * 60_000),
                    EndTime: end,
                    Period: 60,
                    Statistics: ["Maximum"],
                }),
            );
            const points = (out.Datapoints ?? []).map((d) => d.Maximum ?? 0);
            return points.length === 0 ? undefined : Math.max(...points);
        },
        async switchover(region, id, targetArn) {
            await clients.rds(region).send(
                new SwitchoverGlobalClusterCommand({
                    GlobalClusterIdentifier: id,
                    TargetDbClusterIdentifier: targetArn,
                }),
            );
        },
        async failover(region, id, targetArn) {
            await clients.rds(region).send(
                new FailoverGlobalClusterCommand({
                    GlobalClusterIdentifier: id,
                    TargetDbClusterIdentifier: targetArn,
                    AllowDataLoss: true,
                }),
            );
        },
        async describeGlobalDatastore(region, id) {
            const out = await clients.elasticache(region).send(
                new DescribeGlobalReplicationGroupsCommand({
                    GlobalReplicationGroupId: id,
                    ShowMemberInfo: true,
                }),
            );
            const g = out.GlobalReplicationGroups?.[0];
            if (!g) return undefined;
            return {
                id: g.GlobalReplicationGroupId ?? id,
                status: g.Status ?? "unknown",
                members: (g.Members ?? []).map((m) => ({
                    replicationGroupId: m.ReplicationGroupId ?? "",
                    region: m.ReplicationGroupRegion ?? "",
                    role: m.Role ?? "",
                })),
            };
        },
        async failoverGlobalDatastore(region, id, targetRegion, targetGroupId) {
            await clients.elasticache(region).send(
                new FailoverGlobalReplicationGroupCommand({
                    GlobalReplicationGroupId: id,
                    PrimaryRegion: targetRegion,
                    PrimaryReplicationGroupId: targetGroupId,
                }),
            );
        },
        now: () => new Date(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    };
}
