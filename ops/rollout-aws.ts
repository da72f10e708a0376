/**
 * The rollout's AWS ports on the SDK v3 (delivery/rollout.ts): CloudWatch alarms, ECS services
 * and task definitions, and the rollout state in SSM. Tested against moto_server
 * (test/ops/rollout.spec.ts); `endpoint` in AwsClients points every client there.
 */
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
    DescribeServicesCommand,
    DescribeTaskDefinitionCommand,
    DescribeTaskDefinitionCommandOutput,
} from "@aws-sdk/client-ecs";
import { GetParameterCommand, ParameterNotFound, PutParameterCommand } from "@aws-sdk/client-ssm";
import type {
    AlarmState,
    AlarmView,
    RolloutCloud,
    RolloutState,
    RolloutStore,
    ServiceView,
} from "../delivery/rollout";
import { AwsClients } from "./aws";

/** Alarms and ECS services. */
export function rolloutCloud(clients: AwsClients): RolloutCloud {
    // A task-definition revision never changes once registered: describe each one once.
    const revisions = new Map<string, Promise<DescribeTaskDefinitionCommandOutput>>();
    return {
        async alarmsNotifying(region, topicArn) {
            // ActionPrefix selects the alarms whose actions start with the topic's ARN; without
            // AlarmTypes only metric alarms are returned, so ask for composites too.
            // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
            const found: AlarmView[] = [];
            let next: string | undefined;
            do {
                const out = await clients.cloudwatch(region).send(
                    new DescribeAlarmsCommand({
                        ActionPrefix: topicArn,
                        AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
                        ...(next ? { NextToken: next } : {}),
                    }),
                );
                for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
                    found.push({
                        name: a.AlarmName ?? "?",
                        region,
                        state: (a.StateValue ?? "INSUFFICIENT_DATA") as AlarmState,
                        ...(a.StateReason ? { reason: a.StateReason } : {}),
                    });
                }
                next = out.NextToken;
            } while (next);
            return found;
        },
        async service(region, cluster, service): Promise<ServiceView> {
            const ecs = clients.ecs(region);
            const out = await ecs.send(
                new DescribeServicesCommand({ cluster, services: [service] }),
            );
            const s = out.services?.[0];
            if (!s || !s.taskDefinition) {
                const why = out.failures?.[0]?.reason;
                throw new Error(
                    `no ECS service ${cluster}/${service} in ${region}${why ? ` (${why})` : ""}`,
                );
            }
            const arn = s.taskDefinition;
            if (!revisions.has(arn)) {
                const read = ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
                read.catch(() => revisions.delete(arn));
                revisions.set(arn, read);
            }
            const td = await revisions.get(arn)!;
            const app = td.taskDefinition?.containerDefinitions?.find((c) => c.name === "app");
            if (!app?.image) {
                throw new Error(`${s.taskDefinition} in ${region} has no container named app`);
            }
            const num = (v: string | undefined) =>
                v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
            const cpu = num(td.taskDefinition?.cpu);
            const memory = num(td.taskDefinition?.memory);
            const primary = (s.deployments ?? []).find((d) => d.status === "PRIMARY");
            return {
                taskDefinitionArn: s.taskDefinition,
                image: app.image,
                ...(cpu !== undefined ? { cpu } : {}),
                ...(memory !== undefined ? { memory } : {}),
                ...(primary?.rolloutState ? { rolloutState: primary.rolloutState } : {}),
                ...(primary?.rolloutStateReason
                    ? { rolloutStateReason: primary.rolloutStateReason }
                    : {}),
                desired: s.desiredCount ?? 0,
                running: s.runningCount ?? 0,
            };
        },
    };
}

/**
 * The rollout state as one SSM parameter (JSON). Intelligent-Tiering: Standard (4 KB) while it
 * fits, Advanced (8 KB) beyond, so six regions of long ECR image URIs still fit. SSM keeps every
 * version (GetParameterHistory: the rollout's audit trail).
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
 */
export function rolloutStore(
    clients: AwsClients,
    where: { region: string; parameter: string },
): RolloutStore {
    const ssm = () => clients.ssm(where.region);
    return {
        where: `ssm:${where.region}:${where.parameter}`,
        async get() {
            try {
                const out = await ssm().send(new GetParameterCommand({ Name: where.parameter }));
                const parsed = JSON.parse(out.Parameter?.Value ?? "null") as RolloutState | null;
                if (!parsed || parsed.version !== 1) {
                    throw new Error(
                        `${where.parameter} in ${where.region} does not hold a rollout state (version 1)`,
                    );
                }
                return parsed;
            } catch (e) {
                if (e instanceof ParameterNotFound) return undefined;
                throw e;
            }
        },
        async put(state) {
            await ssm().send(
                new PutParameterCommand({
                    Name: where.parameter,
                    Value: JSON.stringify(state),
                    Type: "String",
                    Tier: "Intelligent-Tiering",
                    Overwrite: true,
                    Description:
                        "TaskFlow: state of the region-by-region app rollout (npm run deploy -- --rollout)",
                }),
            );
        },
    };
}
