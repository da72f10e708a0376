/**
 * The cell's alarms on its ALB (5xx rate, unhealthy targets, p99 latency), to the alarm topic.
 * Named (model/cell.ts cellAlarmName): the ECS service's deployment alarms and the rollout name
 * them.
 */
import * as aws from "@pulumi/aws";
import { CellAlarm, cellAlarmName } from "../../model/cell";
import { CellContext, childOf } from "./context";
import { LoadBalancer } from "./load-balancer";

export interface CellAlarmArgs {
    topic: aws.sns.Topic;
    healthCheckPath: string;
    /** 5xx share of requests (%) over which the 5xx alarm fires. */
    errorRateThresholdPercent: number;
    /** p99 target response time (seconds) over which the latency alarm fires. */
    latencyP99ThresholdSeconds: number;
}

export function cellAlarms(
    ctx: CellContext,
    lb: LoadBalancer,
    args: CellAlarmArgs,
): Record<CellAlarm, aws.cloudwatch.MetricAlarm> {
    const p = childOf(ctx);
    const { region } = ctx;
    const lbDims = { LoadBalancer: lb.alb.arnSuffix };
    const tgDims = { LoadBalancer: lb.alb.arnSuffix, TargetGroup: lb.targetGroup.arnSuffix };
    const sum = (id: string, metricName: string) => ({
        id,
        returnData: false,
        metric: {
            namespace: "AWS/ApplicationELB",
            metricName,
            dimensions: lbDims,
            period: 60,
            stat: "Sum",
        },
    });
    const common = {
        alarmActions: [args.topic.arn],
        okActions: [args.topic.arn],
        treatMissingData: "notBreaching",
        tags: ctx.tags,
    };
    const name = (a: CellAlarm) => cellAlarmName(ctx.environment, region, a);
    const errorRate = args.errorRateThresholdPercent;
    const errors = new aws.cloudwatch.MetricAlarm(
        `${ctx.name}-alarm-5xx-rate`,
        {
            ...common,
            name: name("5xx-rate"),
            alarmDescription: `TaskFlow ${region}: more than ${errorRate}% of requests answered 5xx (targets or ALB)`,
            comparisonOperator: "GreaterThanThreshold",
            threshold: errorRate,
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
            metricQueries: [
                sum("requests", "RequestCount"),
                sum("target5xx", "HTTPCode_Target_5XX_Count"),
                sum("elb5xx", "HTTPCode_ELB_5XX_Count"),
                {
                    id: "rate",
                    label: "5xx rate (%)",
                    returnData: true,
                    expression:
                        "IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)",
                },
            ],
        },
        p,
    );
    const unhealthy = new aws.cloudwatch.MetricAlarm(
        `${ctx.name}-alarm-unhealthy-hosts`,
        {
            ...common,
            name: name("unhealthy-hosts"),
            alarmDescription: `TaskFlow ${region}: targets failing ${args.healthCheckPath}`,
            namespace: "AWS/ApplicationELB",
            metricName: "UnHealthyHostCount",
            dimensions: tgDims,
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 3,
            datapointsToAlarm: 2,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
        },
        p,
    );
    const p99 = args.latencyP99ThresholdSeconds;
    const latency = new aws.cloudwatch.MetricAlarm(
        `${ctx.name}-alarm-latency-p99`,
        {
            ...common,
            name: name("latency-p99"),
            alarmDescription: `TaskFlow ${region}: p99 target response time above ${p99}s`,
            namespace: "AWS/ApplicationELB",
            metricName: "TargetResponseTime",
            dimensions: tgDims,
            extendedStatistic: "p99",
            period: 60,
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
            comparisonOperator: "GreaterThanThreshold",
            threshold: p99,
        },
        p,
    );
    return { "5xx-rate": errors, "unhealthy-hosts": unhealthy, "latency-p99": latency };
}
