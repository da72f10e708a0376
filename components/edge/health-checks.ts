/**
 * One Route 53 health check per region (HTTPS on the cell's health URL, with SNI), and an alarm
 * on each in us-east-1, where Route 53's metrics live.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cellHealthCheckName } from "../../model/drills";
import { TAG } from "../../model/tags";
import { DEFAULT_HEALTH_CHECKER_REGIONS } from "./constants";
import { EdgeContext, childOf } from "./context";

/** The health checks by region, and the names of their alarms (in the edge region) by region. */
export interface HealthChecks {
    checks: Record<string, aws.route53.HealthCheck>;
    alarmNames: pulumi.Output<Record<string, string>>;
}

export function healthChecks(ctx: EdgeContext, alarmActions: pulumi.Input<string>[]): HealthChecks {
    const { args, plan } = ctx;
    const checks: Record<string, aws.route53.HealthCheck> = {};
    const alarms: Record<string, pulumi.Output<string>> = {};
    for (const r of args.topology.regions) {
        const ep = args.regions[r.region];
        const hc = new aws.route53.HealthCheck(
            `${ctx.name}-hc-${r.region}`,
            {
                type: "HTTPS",
                fqdn: ep.healthCheckFqdn,
                port: 443,
                resourcePath: ep.healthCheckPath,
                enableSni: true,
                requestInterval: args.edge?.healthCheckIntervalSeconds ?? 10,
                failureThreshold: args.edge?.healthCheckFailureThreshold ?? 2,
                regions: [...(args.healthCheckerRegions ?? DEFAULT_HEALTH_CHECKER_REGIONS)],
                measureLatency: true,
                tags: {
                    ...ctx.tags,
                    [TAG.region]: r.region,
                    // The name the drill runner finds the check by.
                    Name: cellHealthCheckName(ctx.environment, r.region),
                },
            },
            childOf(ctx),
        );
        checks[r.region] = hc;
        const alarm = new aws.cloudwatch.MetricAlarm(
            `${ctx.name}-hc-${r.region}-alarm`,
            {
                region: plan.edgeRegion,
                alarmDescription: `${r.region} cell unhealthy from Route 53 checkers (${plan.failoverNames[r.region]} is failing over to ${r.failover})`,
                namespace: "AWS/Route53",
                metricName: "HealthCheckStatus",
                dimensions: { HealthCheckId: hc.id },
                statistic: "Minimum",
                period: 60,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                treatMissingData: "breaching",
                alarmActions,
                okActions: alarmActions,
                tags: { ...ctx.tags, [TAG.region]: r.region },
            },
            ctx.edge,
        );
        alarms[r.region] = alarm.name;
    }
    return { checks, alarmNames: pulumi.all(alarms) };
}
