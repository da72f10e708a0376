/**
 * The service's autoscaling: a scalable target at the mode's floor and ceiling, and two target
 * tracking policies (CPU, requests per target). ECS desired counts are changed at runtime by
 * autoscaling (and night mode), so the service ignores its desired count in diffs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CellCapacity } from "../../model/cell";
import { CellContext, childOf } from "./context";
import { LoadBalancer } from "./load-balancer";
import { AppService } from "./service";

export interface ScalingArgs {
    capacity: CellCapacity;
    /** Night mode's controller owns min/max (a region drained at night). */
    capacityManagedAtRuntime: boolean;
    cpuTargetPercent: number;
    requestsPerTargetTarget: number;
}

/** The scalable target and its policies; returns the target. */
export function autoscaling(
    ctx: CellContext,
    app: AppService,
    lb: LoadBalancer,
    args: ScalingArgs,
): aws.appautoscaling.Target {
    const p = childOf(ctx);
    const resourceId = pulumi.interpolate`service/${app.cluster.name}/${app.service.name}`;
    const scalable = new aws.appautoscaling.Target(
        `${ctx.name}-scaling`,
        {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId,
            minCapacity: args.capacity.minTasks,
            maxCapacity: args.capacity.maxTasks,
            tags: ctx.tags,
        },
        // Night mode's controller moves min/max of a cell drained at night (ops/night-mode/);
        // the program must neither report that as drift nor undo it. The day capacity reaches
        // AWS through the controller's spec: the global stack invokes it with `sync`.
        args.capacityManagedAtRuntime ? { ...p, ignoreChanges: ["minCapacity", "maxCapacity"] } : p,
    );
    const trackingPolicy = (
        role: string,
        metric: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
        targetValue: number,
    ) =>
        new aws.appautoscaling.Policy(
            `${ctx.name}-${role}`,
            {
                policyType: "TargetTrackingScaling",
                serviceNamespace: scalable.serviceNamespace,
                scalableDimension: scalable.scalableDimension,
                resourceId: scalable.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: metric,
                    targetValue,
                    scaleOutCooldown: 60,
                    scaleInCooldown: 300,
                },
            },
            p,
        );
    trackingPolicy(
        "scale-cpu",
        { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        args.cpuTargetPercent,
    );
    trackingPolicy(
        "scale-requests",
        {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: pulumi.interpolate`${lb.alb.arnSuffix}/${lb.targetGroup.arnSuffix}`,
        },
        args.requestsPerTargetTarget,
    );
    return scalable;
}
