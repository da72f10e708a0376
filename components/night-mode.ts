/**
 * NightMode: the scheduled active-passive switch of seed 000's design exercise, as the global
 * stack deploys it.
 *
 *   EventBridge Scheduler (time zone from config, default Asia/Tokyo; DLQ)
 *     22:00 {"action":"night"} ─┐
 *     08:00 {"action":"day"}   ─┼─► Lambda controller (ops/night-mode.ts, bundled with esbuild)
 *   every deploy {"action":"sync"}┘     ├─ DNS gate metric TaskFlow/NightMode Drained (EdgeRouting's
 *   (aws.lambda.Invocation, CRUD:      │    gate alarms → Route 53 health checks → gate records)
 *    its delete restores everything)   ├─ Global Accelerator traffic dial (us-west-2 API)
 *                                       ├─ Application Auto Scaling min/max of each drained cell
 *                                       ├─ ECS desired count (on the way up)
 *                                       └─ SSM hold and lock parameters
 *
 * The controller lives in a region that stays active at night (config validation), with its
 * own CMK for its logs and environment, one concurrent execution, a lock shared with the CLI
 * (a night flip and an emergency restore never interleave), alarms on its errors, throttles,
 * dropped schedules and dead letters, and an IAM policy naming only the drained cells' regions
 * and services, the endpoint groups, the gate metric's namespace and its own parameters.
 *
 * After every change of its spec (capacities, cells), the program invokes it with `sync`, so
 * a new floor or ceiling reaches the scalable targets it owns at once, in the phase the clock
 * calls for; removing night mode invokes it one last time with `restore`.
 *
 * What it changes at runtime is excluded from the program's diffs (RegionalCell's scalable
 * target and ECS service, EdgeRouting's endpoint groups), so a refresh stays clean; the clean-
 * refresh spec checks that for every region it touches.
 */
import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION, Topology } from "../config";
import { bundleNightModeController, CONTROLLER_NODE_TARGET } from "../ops/bundle";
import {
    CellFacts,
    GATE_NAMESPACE,
    NightModeConfig,
    NightModeSpec,
    cronAt,
    planNightMode,
} from "../ops/night-mode";
import { keyPolicy, logsServicePrincipal } from "./kms-policy";
import { GLOBAL, residencyTags, residencyTransformation } from "./residency";

/** What NightMode reads about one regional cell (region stack outputs, EdgeRouting). */
export interface NightCellInputs {
    clusterName: pulumi.Input<string>;
    serviceName: pulumi.Input<string>;
    /** `service/<cluster>/<service>`. */
    resourceId: pulumi.Input<string>;
    /** The cell's day capacity (its mode's floor and ceiling). */
    minTasks: pulumi.Input<number>;
    maxTasks: pulumi.Input<number>;
    /** The Global Accelerator endpoint group of the cell's ALB. */
    endpointGroupArn?: pulumi.Input<string>;
}

export interface NightModeArgs {
    /** Validated `taskflow:nightMode` (enabled). Required. */
    config: NightModeConfig;
    /** The deployment topology. Required. */
    topology: Topology;
    /** Environment name used in resource names. Required. */
    environment: string;
    /** Every topology region's cell. Required. */
    cells: Record<string, NightCellInputs>;
    /** Region of the controller, its schedules and hold parameter; active at night. Required. */
    controllerRegion: string;
    /** SNS topic (in the controller's region) notified when a flip fails. Default: none. */
    alarmTopicArn?: pulumi.Input<string>;
}

/** Lambda timeout: the day flip waits up to `readinessTimeoutSeconds` for tasks, plus margin. */
export const CONTROLLER_TIMEOUT_MARGIN_SECONDS = 60;

export class NightMode extends pulumi.ComponentResource {
    /** The controller's function name (`aws lambda invoke` for an emergency restore). */
    public readonly functionName: pulumi.Output<string>;
    public readonly functionArn: pulumi.Output<string>;
    /** The controller's spec; `npm run ops -- night-mode <action> --spec <file>` reads it. */
    public readonly spec: pulumi.Output<NightModeSpec>;
    /** Names of the night and day schedules. */
    public readonly scheduleNames: pulumi.Output<string[]>;

    constructor(name: string, args: NightModeArgs, opts?: pulumi.ComponentResourceOptions) {
        const cfg = args.config;
        const active = cfg.activeRegions;
        if (!active.includes(args.controllerRegion)) {
            // Validated in config.ts as well; guarded here before anything is registered.
            throw new Error(
                `NightMode ${name}: controllerRegion ${args.controllerRegion} is not active at night (${active.join(", ")}); the controller must not run in a region it scales down`,
            );
        }
        for (const r of args.topology.regions) {
            if (!args.cells[r.region]) {
                throw new Error(`NightMode ${name}: no cell outputs for region ${r.region}`);
            }
        }
        super(
            "taskflow:ops:NightMode",
            name,
            {},
            {
                ...opts,
                transformations: [
                    ...(opts?.transformations ?? []),
                    residencyTransformation(Object.keys(args.topology.zones)),
                ],
            },
        );
        const region = args.controllerRegion;
        const env = args.environment;
        const fnName = `taskflow-${env}-night-mode`;
        const caller = aws.getCallerIdentityOutput({}, { parent: this });
        const account = caller.accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;

        // The spec, from the cells' outputs: which cells are drained, their capacities.
        this.spec = pulumi
            .all(
                Object.fromEntries(
                    Object.entries(args.cells).map(([r, c]) => [r, pulumi.output(c)]),
                ) as Record<string, pulumi.Output<pulumi.Unwrap<NightCellInputs>>>,
            )
            .apply((cells) =>
                planNightMode(
                    args.topology,
                    cfg,
                    Object.fromEntries(
                        Object.entries(cells).map(([r, c]): [string, CellFacts] => [
                            r,
                            {
                                clusterName: c.clusterName,
                                serviceName: c.serviceName,
                                resourceId: c.resourceId,
                                minTasks: c.minTasks,
                                maxTasks: c.maxTasks,
                                ...(c.endpointGroupArn
                                    ? { endpointGroupArn: c.endpointGroupArn }
                                    : {}),
                            },
                        ]),
                    ),
                    { environment: env, holdRegion: region, gateRegion: EDGE_REGION },
                ),
            );

        const tags = { "taskflow:component": "night-mode", "taskflow:environment": env };

        // ---- Key and log group ------------------------------------------------------------
        const logGroupName = `/aws/lambda/${fnName}`;
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                region,
                description: `TaskFlow ${env} night-mode controller logs and environment`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                // The project's key policy: the account administers the key and may use it only
                // through Lambda here (the environment); CloudWatch Logs only for this log group.
                policy: pulumi.all([partition, account]).apply(([part, accountId]) =>
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
                tags: residencyTags(GLOBAL, tags),
            },
            { parent: this },
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                region,
                name: logGroupName,
                retentionInDays: 90,
                kmsKeyId: key.arn,
                tags: residencyTags(GLOBAL, tags),
            },
            { parent: this },
        );

        // ---- Controller role: only what the spec names ----------------------------------------
        const role = new aws.iam.Role(
            `${name}-role`,
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
                tags,
            },
            { parent: this },
        );
        const paramArn = (leaf: string) =>
            pulumi.interpolate`arn:${partition}:ssm:${region}:${account}:parameter/taskflow/${env}/night-mode/${leaf}`;
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: pulumi
                    .all([
                        this.spec,
                        account,
                        partition,
                        logGroup.arn,
                        paramArn("hold"),
                        paramArn("lock"),
                    ])
                    .apply(([spec, acct, part, logArn, hold, lock]) => {
                        const drained = spec.cells.filter((c) => c.role === "drain");
                        const regions = [...new Set(drained.map((c) => c.region))].sort();
                        const services = drained.map(
                            (c) =>
                                `arn:${part}:ecs:${c.region}:${acct}:service/${c.clusterName}/${c.serviceName}`,
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
                                Resource: [`${logArn}:*`],
                            },
                            {
                                Sid: "HoldAndLock",
                                Effect: "Allow",
                                Action: [
                                    "ssm:GetParameter",
                                    "ssm:PutParameter",
                                    "ssm:DeleteParameter",
                                ],
                                Resource: [hold, lock],
                            },
                            {
                                // PutMetricData has no resources; the namespace condition keeps
                                // the controller to its own gate metric.
                                Sid: "DnsGates",
                                Effect: "Allow",
                                Action: ["cloudwatch:PutMetricData"],
                                Resource: "*",
                                Condition: {
                                    StringEquals: { "cloudwatch:namespace": GATE_NAMESPACE },
                                },
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
                                    // Scalable-target ARNs carry a random id, so the resource is
                                    // scoped to the account and the drained cells' regions.
                                    Sid: "ScaleDrainedCells",
                                    Effect: "Allow",
                                    Action: ["application-autoscaling:RegisterScalableTarget"],
                                    Resource: regions.map(
                                        (r) =>
                                            `arn:${part}:application-autoscaling:${r}:${acct}:scalable-target/*`,
                                    ),
                                },
                                {
                                    // Registering an ECS scalable target also needs these two on
                                    // the service; UpdateService raises the desired count.
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
                        return JSON.stringify({ Version: "2012-10-17", Statement: statements });
                    }),
            },
            { parent: this },
        );

        // ---- The controller -------------------------------------------------------------------
        const fn = new aws.lambda.Function(
            `${name}-controller`,
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
                timeout: cfg.readinessTimeoutSeconds + CONTROLLER_TIMEOUT_MARGIN_SECONDS,
                memorySize: 256,
                // One flip at a time: a night flip and an emergency restore never interleave.
                reservedConcurrentExecutions: 1,
                kmsKeyArn: key.arn,
                environment: {
                    variables: { NIGHT_MODE_SPEC: this.spec.apply((s) => JSON.stringify(s)) },
                },
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
                tags: { ...tags, "taskflow:node-target": CONTROLLER_NODE_TARGET },
            },
            { parent: this, dependsOn: [logGroup] },
        );

        // ---- Schedules ------------------------------------------------------------------------
        const group = new aws.scheduler.ScheduleGroup(
            `${name}-schedules`,
            { region, name: `taskflow-${env}-night-mode`, tags },
            { parent: this },
        );
        const schedulerRole = new aws.iam.Role(
            `${name}-scheduler-role`,
            {
                description: "EventBridge Scheduler invoking the TaskFlow night-mode controller",
                assumeRolePolicy: account.apply((acct) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Service: "scheduler.amazonaws.com" },
                                Action: "sts:AssumeRole",
                                Condition: { StringEquals: { "aws:SourceAccount": acct } },
                            },
                        ],
                    }),
                ),
                tags,
            },
            { parent: this },
        );
        // Invocations the scheduler could not deliver (role, throttling, retries exhausted).
        // SQS-managed encryption: the queue only ever holds `{"action":...}` events.
        const dlq = new aws.sqs.Queue(
            `${name}-dlq`,
            {
                region,
                name: `taskflow-${env}-night-mode-dlq`,
                sqsManagedSseEnabled: true,
                messageRetentionSeconds: 14 * 24 * 3600,
                // A queue holds data (failed schedule payloads: the night-mode spec, no user data).
                tags: residencyTags(GLOBAL, tags),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-scheduler-policy`,
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
            { parent: this },
        );
        const schedule = (phase: "night" | "day", at: string) =>
            new aws.scheduler.Schedule(
                `${name}-${phase}`,
                {
                    region,
                    name: `taskflow-${env}-${phase}`,
                    groupName: group.name,
                    description: `TaskFlow night mode: ${phase} flip at ${at} ${cfg.timezone}`,
                    scheduleExpression: cronAt(at),
                    scheduleExpressionTimezone: cfg.timezone,
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
                { parent: this },
            );
        const night = schedule("night", cfg.nightStart);
        const day = schedule("day", cfg.dayStart);

        const actions = args.alarmTopicArn ? [args.alarmTopicArn] : [];
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
                `${name}-${id}`,
                {
                    region,
                    alarmDescription: `${description}; run npm run ops -- night-mode status`,
                    ...metric,
                    statistic:
                        metric.metricName === "ApproximateNumberOfMessagesVisible"
                            ? "Maximum"
                            : "Sum",
                    period: 300,
                    evaluationPeriods: 1,
                    threshold: 1,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    treatMissingData: "notBreaching",
                    alarmActions: actions,
                    okActions: actions,
                    tags,
                },
                { parent: this },
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
            dimensions: { ScheduleGroup: group.name },
        });
        alarm("dead-letters", "A night-mode flip was never delivered (dead-letter queue)", {
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: dlq.name },
        });

        // Every change of the spec (a cell's capacity, its endpoint group, the roles) reaches the
        // cells the controller owns now, in the phase the clock calls for; deleting this resource
        // (night mode removed) invokes the controller with tf.action=delete: everything restored.
        new aws.lambda.Invocation(
            `${name}-sync`,
            {
                region,
                functionName: fn.name,
                input: this.spec.apply((sp) =>
                    JSON.stringify({
                        action: "sync",
                        spec: createHash("sha256")
                            .update(JSON.stringify(sp))
                            .digest("hex")
                            .slice(0, 16),
                    }),
                ),
                lifecycleScope: "CRUD",
            },
            { parent: this, dependsOn: [fn, policy] },
        );

        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.scheduleNames = pulumi.all([night.name, day.name]);
        this.registerOutputs({
            functionName: this.functionName,
            functionArn: this.functionArn,
            spec: this.spec,
            scheduleNames: this.scheduleNames,
        });
    }
}
