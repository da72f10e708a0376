/**
 * The cell's foundation, built before its data tier: the regional KMS key (app logs, alarm
 * topic), the alarm topic, and the tasks' IAM roles (the data tier grants the task role access).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { namePath } from "../../model/naming";
import { keyWithAlias } from "../shared/kms-key";
import { keyPolicy, logsServicePrincipal, cloudWatchAlarmsPrincipal } from "../shared/kms-policy";
import { CellContext, childOf } from "./context";
import { serviceTrustPolicy } from "../shared/trust-policy";

/** `/taskflow/<env>/<region>/app`: the app's log group (the key admits CloudWatch Logs for it). */
export function appLogGroupName(environment: string, region: string): string {
    return `${namePath(environment)}/${region}/app`;
}

/**
 * The cell's key. The project's key policy: the account administers the key and may use it only
 * through SNS in this region (the alarm topic); CloudWatch Logs may use it for the app log group
 * only, and CloudWatch alarms may have SNS encrypt their notifications with it.
 */
export function cellKey(ctx: CellContext): aws.kms.Key {
    const { region } = ctx;
    const logGroup = appLogGroupName(ctx.environment, region);
    const { key } = keyWithAlias(
        `${ctx.name}-kms`,
        {
            description: `TaskFlow ${ctx.environment} cell ${region}: app logs and alarm topic`,
            multiRegion: false,
            policy: pulumi.all([ctx.partition, ctx.account]).apply(([part, accountId]) =>
                keyPolicy({
                    partition: part,
                    accountId,
                    services: ["sns"],
                    regions: [region],
                    servicePrincipals: [
                        logsServicePrincipal(part, accountId, region, [logGroup]),
                        cloudWatchAlarmsPrincipal(part, accountId, region),
                    ],
                }),
            ),
            tags: ctx.zoneTags,
            alias: {
                resourceName: `${ctx.name}-kms-alias`,
                name: `alias/${ctx.prefix}-cell-${region}`,
            },
        },
        childOf(ctx),
    );
    return key as aws.kms.Key;
}

/**
 * The region's alarm topic (CMK-encrypted; the key admits CloudWatch): the cell's alarms and the
 * data tier's replication-lag alarms notify it.
 */
export function alarmTopic(ctx: CellContext, key: aws.kms.Key): aws.sns.Topic {
    return new aws.sns.Topic(
        `${ctx.name}-alarms`,
        {
            name: `${ctx.prefix}-cell-alarms-${ctx.region}`,
            kmsMasterKeyId: key.arn,
            tags: ctx.zoneTags,
        },
        childOf(ctx),
    );
}

/** The ECS agent's role (pull the image, write logs) and the app's own role. */
export function taskRoles(ctx: CellContext): {
    executionRole: aws.iam.Role;
    taskRole: aws.iam.Role;
} {
    const ecsTrust = serviceTrustPolicy("ecs-tasks.amazonaws.com", ctx.account);
    const executionRole = new aws.iam.Role(
        `${ctx.name}-execution-role`,
        {
            description: `ECS agent of the TaskFlow cell in ${ctx.region}: pull the image, write logs`,
            assumeRolePolicy: ecsTrust,
            tags: ctx.tags,
        },
        childOf(ctx),
    );
    const taskRole = new aws.iam.Role(
        `${ctx.name}-task-role`,
        {
            description: `TaskFlow app in ${ctx.region}; the data tier grants it access to its stores`,
            assumeRolePolicy: ecsTrust,
            tags: ctx.tags,
        },
        childOf(ctx),
    );
    return { executionRole, taskRole };
}
