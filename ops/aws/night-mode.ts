/**
 * Night-mode ports (ops/night-mode/) on the AWS SDK v3, one group per service: the cells'
 * capacity (Application Auto Scaling, ECS), the traffic dials (Global Accelerator), the DNS gates
 * (a CloudWatch metric) and the hold and lock (SSM parameters).
 */
import {
    DescribeScalableTargetsCommand,
    RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import {
    DescribeEndpointGroupCommand,
    UpdateEndpointGroupCommand,
} from "@aws-sdk/client-global-accelerator";
import {
    DeleteParameterCommand,
    GetParameterCommand,
    ParameterAlreadyExists,
    ParameterNotFound,
    PutParameterCommand,
} from "@aws-sdk/client-ssm";
import { GATE_METRIC, GATE_NAMESPACE, type NightModeSpec } from "../../model/night-mode";
import type { NightModePorts } from "../night-mode";
import { AwsClients } from "./clients";

const ECS_DIMENSION = "ecs:service:DesiredCount" as const;

/** Where the night-mode state lives. */
export interface NightModeLocation {
    environment: string;
    /** SSM parameters of the hold and the lock, and their region. */
    holdParameter: string;
    lockParameter: string;
    holdRegion: string;
    /** Region of the DNS gates' metric. */
    gateRegion: string;
}

type CapacityPorts = Pick<
    NightModePorts,
    "getCapacity" | "setCapacity" | "getService" | "setDesired"
>;

/** The cells' scalable targets and ECS services. */
function capacityPorts(clients: AwsClients): CapacityPorts {
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
    };
}

/** The Global Accelerator traffic dials and the DNS gates' metric. */
function trafficPorts(
    clients: AwsClients,
    where: NightModeLocation,
): Pick<NightModePorts, "getDial" | "setDial" | "setGate"> {
    return {
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
    };
}

/** The flip lock: an SSM parameter holding its owner and lease. */
function lockPorts(
    clients: AwsClients,
    where: NightModeLocation,
): Pick<NightModePorts, "tryLock" | "unlock"> {
    const ssm = () => clients.ssm(where.holdRegion);
    return {
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
    };
}

/** The emergency hold: an SSM parameter holding the time night mode is held off until. */
function holdPorts(
    clients: AwsClients,
    where: NightModeLocation,
): Pick<NightModePorts, "getHold" | "setHold" | "clearHold"> {
    const hold = { parameter: where.holdParameter, region: where.holdRegion };
    return {
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
    };
}

/** Night-mode ports on the AWS SDK. */
export function nightModePorts(clients: AwsClients, where: NightModeLocation): NightModePorts {
    return {
        ...capacityPorts(clients),
        ...trafficPorts(clients, where),
        ...lockPorts(clients, where),
        ...holdPorts(clients, where),
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
