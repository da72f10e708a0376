/**
 * Alarms on what would make a flip not happen: the controller's errors and throttles, flips the
 * scheduler dropped, and flips dead-lettered. They notify the primary cell's topic.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NightContext, childOf } from "./context";
import { Schedules } from "./schedules";

export function nightAlarms(
    ctx: NightContext,
    fn: aws.lambda.Function,
    sched: Schedules,
    topic: pulumi.Input<string> | undefined,
): void {
    const actions = topic ? [topic] : [];
    const alarm = (
        id: string,
        description: string,
        metric: {
            namespace: string;
            metricName: string;
            dimensions: Record<string, pulumi.Input<string>>;
        },
    ) =>
        new aws.cloudwatch.MetricAlarm(
            `${ctx.name}-${id}`,
            {
                region: ctx.region,
                alarmDescription: `${description}; run npm run ops -- night-mode status`,
                ...metric,
                statistic:
                    metric.metricName === "ApproximateNumberOfMessagesVisible" ? "Maximum" : "Sum",
                period: 300,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "notBreaching",
                alarmActions: actions,
                okActions: actions,
                tags: ctx.tags,
            },
            childOf(ctx),
        );
    alarm("errors", "A night-mode flip did not complete (see the controller's log)", {
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: fn.name },
    });
    alarm("throttles", "A night-mode invocation was throttled (another flip was running)", {
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        dimensions: { FunctionName: fn.name },
    });
    alarm("dropped", "EventBridge Scheduler dropped a night-mode flip", {
        namespace: "AWS/Scheduler",
        metricName: "InvocationDroppedCount",
        dimensions: { ScheduleGroup: sched.group.name },
    });
    alarm("dead-letters", "A night-mode flip was never delivered (dead-letter queue)", {
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: sched.dlq.name },
    });
}
