/** ECS clusters, services and task definitions. */
import { ServiceMocks, first } from "../context";

export const ecs: ServiceMocks = {
    synthesizers: {
        "aws:ecs/cluster:Cluster": (c) => ({
            id: c.arn(`cluster/${first(c.inputs, "name") ?? c.physicalName}`),
            outputs: {
                arn: c.arn(`cluster/${first(c.inputs, "name") ?? c.physicalName}`),
                name: first(c.inputs, "name") ?? c.physicalName,
            },
        }),
        "aws:ecs/service:Service": (c) => ({
            id: c.arn(`service/${first(c.inputs, "name") ?? c.physicalName}`),
            outputs: { name: first(c.inputs, "name") ?? c.physicalName },
        }),
        "aws:ecs/taskDefinition:TaskDefinition": (c) => {
            const fam = first(c.inputs, "family") ?? c.physicalName;
            return {
                id: fam,
                outputs: {
                    arn: c.arn(`task-definition/${fam}:1`),
                    revision: 1,
                    arnWithoutRevision: c.arn(`task-definition/${fam}`),
                },
            };
        },
    },
    arnService: { appautoscaling: "application-autoscaling" },
};
