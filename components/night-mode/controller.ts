/**
 * The controller Lambda (ops/night-mode-handler.ts, bundled with esbuild): its own CMK for its
 * logs and environment, its log group, a role allowed only what the spec names, and reserved
 * concurrency only when configured.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GATE_NAMESPACE, NightModeSpec } from "../../model/night-mode";
import { namePath } from "../../model/naming";
import { TAG } from "../../model/tags";
import { bundleNightModeController, CONTROLLER_NODE_TARGET } from "../../ops/bundle";
import { keyWithAlias } from "../shared/kms-key";
import { keyPolicy, logsServicePrincipal } from "../shared/kms-policy";
import { GLOBAL, residencyTags } from "../shared/residency";
import { CONTROLLER_TIMEOUT_MARGIN_SECONDS } from "./args";
import { NightContext, childOf } from "./context";

export interface Controller {
    fn: aws.lambda.Function;
    /** The role's policy: the sync invocation waits for it. */
    policy: aws.iam.RolePolicy;
}

export function controller(ctx: NightContext): Controller {
    const { region } = ctx;
    const fnName = `${ctx.prefix}-night-mode`;
    const logGroupName = `/aws/lambda/${fnName}`;
    // The project's key policy: the account administers the key and may use it only through
    // Lambda here (the environment); CloudWatch Logs only for this log group.
    const { key } = keyWithAlias(
        `${ctx.name}-key`,
        {
            region,
            description: `TaskFlow ${ctx.environment} night-mode controller logs and environment`,
            policy: pulumi.all([ctx.partition, ctx.account]).apply(([part, accountId]) =>
                keyPolicy({
                    partition: part,
                    accountId,
                    services: ["lambda"],
                    regions: [region],
                    servicePrincipals: [
                        logsServicePrincipal(part, accountId, region, [logGroupName]),
                    ],
                }),
            ),
            tags: residencyTags(GLOBAL, ctx.tags),
        },
        childOf(ctx),
    );
    const logGroup = new aws.cloudwatch.LogGroup(
        `${ctx.name}-logs`,
        {
            region,
            name: logGroupName,
            retentionInDays: 90,
            kmsKeyId: key.arn,
            tags: residencyTags(GLOBAL, ctx.tags),
        },
        childOf(ctx),
    );
    const role = new aws.iam.Role(
        `${ctx.name}-role`,
        {
            description: "TaskFlow night-mode controller",
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "lambda.amazonaws.com" },
                        Action: "sts:AssumeRole",
                    },
                ],
            }),
            tags: ctx.tags,
        },
        childOf(ctx),
    );
    const policy = controllerPolicy(ctx, role, logGroup);
    const fn = new aws.lambda.Function(
        `${ctx.name}-controller`,
        {
            region,
            name: fnName,
            description: "TaskFlow night mode: active-passive at night, active-active by day",
            runtime: aws.lambda.Runtime.NodeJS22dX,
            architectures: ["arm64"],
            handler: "index.handler",
            code: new pulumi.asset.AssetArchive({
                "index.js": new pulumi.asset.StringAsset(bundleNightModeController()),
            }),
            role: role.arn,
            timeout: ctx.settings.readinessTimeoutSeconds + CONTROLLER_TIMEOUT_MARGIN_SECONDS,
            memorySize: 256,
            // Flips never interleave through the lock parameter (ops/night-mode/run.ts); a
            // reservation is opt-in because it fails CreateFunction in an account that cannot
            // keep 100 unreserved (LAMBDA_MIN_UNRESERVED_CONCURRENCY).
            ...(ctx.settings.reservedConcurrency !== undefined
                ? { reservedConcurrentExecutions: ctx.settings.reservedConcurrency }
                : {}),
            kmsKeyArn: key.arn,
            environment: {
                variables: { NIGHT_MODE_SPEC: ctx.spec.apply((s) => JSON.stringify(s)) },
            },
            loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            tags: { ...ctx.tags, [TAG.nodeTarget]: CONTROLLER_NODE_TARGET },
        },
        { parent: ctx.parent, dependsOn: [logGroup] },
    );
    return { fn, policy };
}

/** Only what the spec names: its log group, its parameters, the gate metric, the drained cells. */
function controllerPolicy(
    ctx: NightContext,
    role: aws.iam.Role,
    logGroup: aws.cloudwatch.LogGroup,
): aws.iam.RolePolicy {
    const paramArn = (leaf: string) =>
        pulumi.interpolate`arn:${ctx.partition}:ssm:${ctx.region}:${ctx.account}:parameter${namePath(ctx.environment)}/night-mode/${leaf}`;
    return new aws.iam.RolePolicy(
        `${ctx.name}-policy`,
        {
            role: role.id,
            policy: pulumi
                .all([
                    ctx.spec,
                    ctx.account,
                    ctx.partition,
                    logGroup.arn,
                    paramArn("hold"),
                    paramArn("lock"),
                ])
                .apply(([spec, acct, part, logArn, hold, lock]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: controllerStatements(spec, { acct, part, logArn, hold, lock }),
                    }),
                ),
        },
        childOf(ctx),
    );
}

/** The controller's statements for a spec (resolved values). */
function controllerStatements(
    spec: NightModeSpec,
    at: { acct: string; part: string; logArn: string; hold: string; lock: string },
): unknown[] {
    const { acct, part } = at;
    const drained = spec.cells.filter((c) => c.role === "drain");
    const regions = [...new Set(drained.map((c) => c.region))].sort();
    const services = drained.map(
        (c) => `arn:${part}:ecs:${c.region}:${acct}:service/${c.clusterName}/${c.serviceName}`,
    );
    // Every cell's group: the day flip reopens any dial an earlier spec closed.
    const groups = spec.cells
        .filter((c) => c.endpointGroupArn)
        .map((c) => c.endpointGroupArn as string);
    const statements: unknown[] = [
        {
            Sid: "Logs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [`${at.logArn}:*`],
        },
        {
            Sid: "HoldAndLock",
            Effect: "Allow",
            Action: ["ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter"],
            Resource: [at.hold, at.lock],
        },
        {
            // PutMetricData has no resources; the namespace condition keeps the controller to
            // its own gate metric.
            Sid: "DnsGates",
            Effect: "Allow",
            Action: ["cloudwatch:PutMetricData"],
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": GATE_NAMESPACE } },
        },
    ];
    if (drained.length > 0) {
        statements.push(
            {
                // DescribeScalableTargets has no resource-level permissions.
                Sid: "ReadScalableTargets",
                Effect: "Allow",
                Action: ["application-autoscaling:DescribeScalableTargets"],
                Resource: "*",
            },
            {
                // Scalable-target ARNs carry a random id, so the resource is scoped to the
                // account and the drained cells' regions.
                Sid: "ScaleDrainedCells",
                Effect: "Allow",
                Action: ["application-autoscaling:RegisterScalableTarget"],
                Resource: regions.map(
                    (r) => `arn:${part}:application-autoscaling:${r}:${acct}:scalable-target/*`,
                ),
            },
            {
                // Registering an ECS scalable target also needs these two on the service;
                // UpdateService raises the desired count.
                Sid: "DrainedServices",
                Effect: "Allow",
                Action: ["ecs:DescribeServices", "ecs:UpdateService"],
                Resource: services,
            },
        );
    }
    if (groups.length > 0) {
        statements.push({
            Sid: "TrafficDials",
            Effect: "Allow",
            Action: [
                "globalaccelerator:DescribeEndpointGroup",
                "globalaccelerator:UpdateEndpointGroup",
            ],
            Resource: groups,
        });
    }
    return statements;
}
