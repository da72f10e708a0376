/**
 * The app: its log group (under the cell's key), the execution role's policy, the ECS cluster,
 * the task definition whose environment carries the data tier's endpoints, and the Fargate
 * service behind the target group.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { CellAlarm } from "../../model/cell";
import { isPlaceholderImage, placeholderContainer } from "../../model/placeholder-app";
import { DataEndpoints } from "./args";
import { CellDeploymentArgs, rollbackAlarmsOf, serviceDeployment } from "./deployment";
import { RESIDENCY_HEADER, ecrRepositoryArn } from "./constants";
import { CellContext, childOf } from "./context";
import { appLogGroupName } from "./foundation";
import { TaskParameters, parameterSecrets, taskParameters } from "./parameters";
import { Listeners } from "./listeners";
import { LoadBalancer } from "./load-balancer";
import { CellSecurityGroups } from "./network";

/** What the app is made of. */
export interface AppSpec {
    role: "primary" | "secondary";
    /** Residency zone of the region's users. */
    zone: string;
    /** Region whose Aurora member and cache take the writes now. */
    writerRegion: string;
    image: string;
    taskCpu: number;
    taskMemory: number;
    containerPort: number;
    /** Path the target group (and through it Route 53) asks for health. */
    healthCheckPath: string;
    logRetentionDays: number;
    /** Initial desired count (the mode's floor). */
    desiredCount: number;
    edgeResidency: { zone: string; region: string };
    dataEndpoints: DataEndpoints;
    /** How a new task definition rolls out. */
    deployment: CellDeploymentArgs;
}

export interface AppService {
    cluster: aws.ecs.Cluster;
    service: aws.ecs.Service;
}

/** The log group, the execution policy, the cluster, the task definition and the service. */
export function appService(
    ctx: CellContext,
    app: AppSpec,
    deps: {
        key: aws.kms.Key;
        roles: { executionRole: aws.iam.Role; taskRole: aws.iam.Role };
        vpc: awsx.ec2.Vpc;
        groups: CellSecurityGroups;
        lb: LoadBalancer;
        listeners: Listeners;
        /** The cell's alarms: the deployment rolls back on some of them. */
        alarms: Record<CellAlarm, aws.cloudwatch.MetricAlarm>;
    },
): AppService {
    const p = childOf(ctx);
    const logGroup = new aws.cloudwatch.LogGroup(
        `${ctx.name}-app-logs`,
        {
            name: appLogGroupName(ctx.environment, ctx.region),
            retentionInDays: app.logRetentionDays,
            kmsKeyId: deps.key.arn,
            tags: ctx.zoneTags,
        },
        p,
    );
    const params = taskParameters(ctx, {
        ...app.dataEndpoints,
        TASKFLOW_ROLE: app.role,
        TASKFLOW_RESIDENCY_ZONE: app.zone,
        TASKFLOW_WRITER_REGION: app.writerRegion,
    });
    executionPolicy(ctx, deps.roles.executionRole, { logGroup, params }, app.image);
    const cluster = new aws.ecs.Cluster(
        `${ctx.name}-ecs`,
        {
            name: `${ctx.prefix}-${ctx.region}`,
            settings: [{ name: "containerInsights", value: "enabled" }],
            tags: ctx.tags,
        },
        p,
    );
    const taskDefinition = appTaskDefinition(ctx, app, deps.roles, { logGroup, params });
    const service = new aws.ecs.Service(
        `${ctx.name}-service`,
        {
            name: `${ctx.prefix}-app`,
            cluster: cluster.arn,
            taskDefinition: taskDefinition.arn,
            launchType: "FARGATE",
            platformVersion: "LATEST",
            // Initial size only: autoscaling and night mode change it at runtime (ignoreChanges).
            desiredCount: app.desiredCount,
            networkConfiguration: {
                subnets: deps.vpc.privateSubnetIds,
                securityGroups: [deps.groups.tasks.id],
                assignPublicIp: false,
            },
            loadBalancers: [
                {
                    targetGroupArn: deps.lb.targetGroup.arn,
                    containerName: "app",
                    containerPort: app.containerPort,
                },
            ],
            healthCheckGracePeriodSeconds: 60,
            // Rolling update, circuit breaker and alarm rollback (deployment.ts).
            ...serviceDeployment(app.deployment, ctx.environment, ctx.region),
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
            waitForSteadyState: false,
            tags: ctx.tags,
        },
        {
            parent: ctx.parent,
            ignoreChanges: ["desiredCount"],
            // A target group must be attached to a load balancer before a service uses it:
            // 8443 forwards to it by default (443 only through its rules). The deployment
            // alarms exist before the service names them.
            dependsOn: [
                deps.listeners.https,
                deps.listeners.accelerated,
                ...rollbackAlarmsOf(app.deployment).map((a) => deps.alarms[a]),
            ],
        },
    );
    return { cluster, service };
}

/**
 * The ECS agent may write the app's log streams, read the task's parameters (exactly those ARNs;
 * String parameters, so no kms:Decrypt) and, for a private ECR image, pull it.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html
 */
function executionPolicy(
    ctx: CellContext,
    executionRole: aws.iam.Role,
    reads: { logGroup: aws.cloudwatch.LogGroup; params: TaskParameters },
    image: string,
): void {
    const { logGroup, params } = reads;
    const repo = ecrRepositoryArn(image);
    const statements: unknown[] = [
        {
            Sid: "WriteAppLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
        },
        {
            Sid: "ReadTaskParameters",
            Effect: "Allow",
            Action: "ssm:GetParameters",
            Resource: Object.keys(params)
                .sort()
                .map((k) => params[k].arn),
        },
    ];
    if (repo) {
        statements.push(
            {
                // GetAuthorizationToken has no resource-level permissions.
                Sid: "EcrLogin",
                Effect: "Allow",
                Action: "ecr:GetAuthorizationToken",
                Resource: "*",
            },
            {
                Sid: "PullAppImage",
                Effect: "Allow",
                Action: [
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:BatchGetImage",
                    "ecr:GetDownloadUrlForLayer",
                ],
                Resource: repo,
            },
        );
    }
    new aws.iam.RolePolicy(
        `${ctx.name}-execution-policy`,
        {
            role: executionRole.name,
            policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }),
        },
        childOf(ctx),
    );
}

/**
 * The task definition. Its secrets: the region's parameters (endpoints, tables, role, zone,
 * writer region); its environment: what never changes in a region (its name, the edge's pins).
 * Deliberately no TASKFLOW_CELL_MODE: a mode switch must change capacity only; a new
 * task-definition revision would roll every task of the cell for no capacity reason.
 */
function appTaskDefinition(
    ctx: CellContext,
    app: AppSpec,
    roles: { executionRole: aws.iam.Role; taskRole: aws.iam.Role },
    reads: { logGroup: aws.cloudwatch.LogGroup; params: TaskParameters },
): aws.ecs.TaskDefinition {
    const { region } = ctx;
    const { logGroup, params } = reads;
    const environment: Record<string, pulumi.Input<string>> = {
        AWS_REGION: region,
        TASKFLOW_REGION: region,
        // The edge's residency pinning, for the app's own check of requests that never passed
        // the edge router (direct API and accelerator clients carry no residency header).
        TASKFLOW_RESIDENT_ZONE: app.edgeResidency.zone,
        TASKFLOW_RESIDENT_REGION: app.edgeResidency.region,
        TASKFLOW_RESIDENCY_HEADER: RESIDENCY_HEADER,
        TASKFLOW_ENVIRONMENT: ctx.environment,
    };
    // The placeholder image does nothing by itself: run its static server on the target group's
    // port and health path, and let ECS check the same URL. A real image brings its own command.
    const placeholder = isPlaceholderImage(app.image)
        ? placeholderContainer(app.containerPort, app.healthCheckPath)
        : undefined;
    return new aws.ecs.TaskDefinition(
        `${ctx.name}-task`,
        {
            family: `${ctx.prefix}-app-${region}`,
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: String(app.taskCpu),
            memory: String(app.taskMemory),
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            executionRoleArn: roles.executionRole.arn,
            taskRoleArn: roles.taskRole.arn,
            containerDefinitions: pulumi.jsonStringify([
                {
                    name: "app",
                    image: app.image,
                    essential: true,
                    ...(placeholder ?? {}),
                    portMappings: [{ containerPort: app.containerPort, protocol: "tcp" }],
                    environment: Object.keys(environment)
                        .sort()
                        .map((k) => ({ name: k, value: environment[k] })),
                    secrets: parameterSecrets(params),
                    logConfiguration: {
                        logDriver: "awslogs",
                        options: {
                            "awslogs-group": logGroup.name,
                            "awslogs-region": region,
                            "awslogs-stream-prefix": "app",
                        },
                    },
                },
            ]),
            tags: ctx.tags,
        },
        childOf(ctx),
    );
}
