/**
 * EventBridge Scheduler: a group, the night and day schedules in the configured time zone (with
 * retries and a dead-letter queue), and the role they invoke the controller with.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cronAt } from "../../model/night-mode";
import { NightContext, childOf } from "./context";
import { GLOBAL, residencyTags } from "../shared/residency";
import { serviceTrustPolicy } from "../shared/trust-policy";

export interface Schedules {
    group: aws.scheduler.ScheduleGroup;
    dlq: aws.sqs.Queue;
    night: aws.scheduler.Schedule;
    day: aws.scheduler.Schedule;
}

export function schedules(ctx: NightContext, fn: aws.lambda.Function): Schedules {
    const { region, prefix } = ctx;
    const group = new aws.scheduler.ScheduleGroup(
        `${ctx.name}-schedules`,
        { region, name: `${prefix}-night-mode`, tags: ctx.tags },
        childOf(ctx),
    );
    const schedulerRole = new aws.iam.Role(
        `${ctx.name}-scheduler-role`,
        {
            description: "EventBridge Scheduler invoking the TaskFlow night-mode controller",
            assumeRolePolicy: serviceTrustPolicy("scheduler.amazonaws.com", ctx.account),
            tags: ctx.tags,
        },
        childOf(ctx),
    );
    // Invocations the scheduler could not deliver (role, throttling, retries exhausted).
    // SQS-managed encryption: the queue only ever holds `{"action":...}` events.
    const dlq = new aws.sqs.Queue(
        `${ctx.name}-dlq`,
        {
            region,
            name: `${prefix}-night-mode-dlq`,
            sqsManagedSseEnabled: true,
            messageRetentionSeconds: 14 * 24 * 3600,
            // A queue holds data (failed schedule payloads: the night-mode spec, no user data).
            tags: residencyTags(GLOBAL, ctx.tags),
        },
        childOf(ctx),
    );
    new aws.iam.RolePolicy(
        `${ctx.name}-scheduler-policy`,
        {
            role: schedulerRole.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "InvokeController",
                        Effect: "Allow",
                        Action: ["lambda:InvokeFunction"],
                        Resource: [fn.arn, pulumi.interpolate`${fn.arn}:*`],
                    },
                    {
                        Sid: "DeadLetters",
                        Effect: "Allow",
                        Action: ["sqs:SendMessage"],
                        Resource: [dlq.arn],
                    },
                ],
            }),
        },
        childOf(ctx),
    );
    const schedule = (phase: "night" | "day", at: string) =>
        new aws.scheduler.Schedule(
            `${ctx.name}-${phase}`,
            {
                region,
                name: `${prefix}-${phase}`,
                groupName: group.name,
                description: `TaskFlow night mode: ${phase} flip at ${at} ${ctx.settings.timezone}`,
                scheduleExpression: cronAt(at),
                scheduleExpressionTimezone: ctx.settings.timezone,
                flexibleTimeWindow: { mode: "OFF" },
                target: {
                    arn: fn.arn,
                    roleArn: schedulerRole.arn,
                    // The controller drops a flip delivered long after its time (stale).
                    input: JSON.stringify({
                        action: phase,
                        scheduledTime: "<aws.scheduler.scheduled-time>",
                    }),
                    retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 600 },
                    deadLetterConfig: { arn: dlq.arn },
                },
            },
            childOf(ctx),
        );
    return {
        group,
        dlq,
        night: schedule("night", ctx.settings.nightStart),
        day: schedule("day", ctx.settings.dayStart),
    };
}
