/**
 * What each failure drill is, as pure functions of resolved names: its FIS actions and targets,
 * the IAM policy its experiment role needs (only the actions the actions reference lists, on the
 * targeted ARNs where the action's API allows resource-level permissions), and the SSM
 * Automation document that makes the health check fail.
 *
 * FIS actions, their resource types, parameters and permissions: the actions reference
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html); target
 * selection by resource parameters (ECS tasks: cluster + service) or ARNs
 * (https://docs.aws.amazon.com/fis/latest/userguide/targets.html). FIS has no action that fails
 * a Route 53 health check or an ALB rule, so `fail-health-check` runs an SSM Automation document
 * through `aws:ssm:start-automation-execution` (the action FIS documents for custom faults):
 * the document points the ALB rule answering the health path at a fixed 503, waits, and
 * restores the forward, also when the execution is cancelled (onCancel) or a step fails
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyRule.html).
 */
import { FisDrill } from "../../model/drills";

/** The cell's names a drill acts on, resolved. */
export interface DrillTargets {
    partition: string;
    account: string;
    region: string;
    ecsClusterArn: string;
    ecsClusterName: string;
    ecsServiceName: string;
    /** Subnets of the tasks (private) and of the data tier (isolated). */
    taskSubnetIds: string[];
    dataSubnetIds: string[];
    /** fail-health-check: the rule, its target group, the document and the role it runs as. */
    healthRuleArn: string;
    targetGroupArn: string;
    documentName: string;
    automationRoleArn: string;
    /** ISO 8601 duration of the fault, e.g. PT5M. */
    duration: string;
}

export interface PolicyStatement {
    Effect: "Allow";
    Action: string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

type KV = { key: string; value: string };

export interface TemplateParts {
    description: string;
    actions: {
        name: string;
        actionId: string;
        description: string;
        parameters: KV[];
        target?: KV;
    }[];
    targets: {
        name: string;
        resourceType: string;
        selectionMode: string;
        resourceArns?: string[];
        parameters?: Record<string, string>;
    }[];
}

const arn = (t: DrillTargets, service: string, resource: string) =>
    `arn:${t.partition}:${service}:${t.region}:${t.account}:${resource}`;

const subnetArns = (t: DrillTargets, ids: string[]) =>
    ids.map((id) => arn(t, "ec2", `subnet/${id}`));

/** The experiment template's actions and targets. */
export function templateParts(drill: FisDrill, t: DrillTargets): TemplateParts {
    switch (drill) {
        case "stop-tasks":
            return {
                description: `Stop every task of the ${t.region} cell's ECS service`,
                actions: [
                    {
                        name: "stop-cell-tasks",
                        actionId: "aws:ecs:stop-task",
                        description: "StopTask on every task of the cell's service",
                        parameters: [],
                        target: { key: "Tasks", value: "cell-tasks" },
                    },
                ],
                targets: [
                    {
                        name: "cell-tasks",
                        resourceType: "aws:ecs:task",
                        selectionMode: "ALL",
                        parameters: { cluster: t.ecsClusterName, service: t.ecsServiceName },
                    },
                ],
            };
        case "fail-health-check":
            return {
                description: `Answer 503 on the ${t.region} cell's health path (Route 53 checks fail)`,
                actions: [
                    {
                        name: "fail-health-path",
                        actionId: "aws:ssm:start-automation-execution",
                        description: "Fixed 503 on the health rule, then the forward restored",
                        parameters: [
                            {
                                key: "documentArn",
                                value: arn(t, "ssm", `document/${t.documentName}`),
                            },
                            {
                                key: "documentParameters",
                                value: JSON.stringify({
                                    AutomationAssumeRole: t.automationRoleArn,
                                    RuleArn: t.healthRuleArn,
                                    TargetGroupArn: t.targetGroupArn,
                                    Duration: t.duration,
                                }),
                            },
                            { key: "maxDuration", value: "PT30M" },
                        ],
                    },
                ],
                targets: [],
            };
        case "cut-data-network":
            return {
                description: `Cut the ${t.region} cell's network to its data tier`,
                actions: [
                    {
                        name: "cut-data-subnets",
                        actionId: "aws:network:disrupt-connectivity",
                        description: "Deny all traffic in and out of the data tier's subnets",
                        parameters: [
                            { key: "duration", value: t.duration },
                            { key: "scope", value: "all" },
                        ],
                        target: { key: "Subnets", value: "data-subnets" },
                    },
                    {
                        name: "cut-dynamodb",
                        actionId: "aws:network:disrupt-connectivity",
                        description: "Deny the tasks' subnets their DynamoDB traffic",
                        parameters: [
                            { key: "duration", value: t.duration },
                            { key: "scope", value: "dynamodb" },
                        ],
                        target: { key: "Subnets", value: "task-subnets" },
                    },
                ],
                targets: [
                    {
                        name: "data-subnets",
                        resourceType: "aws:ec2:subnet",
                        selectionMode: "ALL",
                        resourceArns: subnetArns(t, t.dataSubnetIds),
                    },
                    {
                        name: "task-subnets",
                        resourceType: "aws:ec2:subnet",
                        selectionMode: "ALL",
                        resourceArns: subnetArns(t, t.taskSubnetIds),
                    },
                ],
            };
    }
}

/** One Allow statement: the actions, on the resources, under the condition if any. */
function allow(
    actions: string[],
    resource: PolicyStatement["Resource"],
    condition?: PolicyStatement["Condition"],
): PolicyStatement {
    return {
        Effect: "Allow",
        Action: actions,
        Resource: resource,
        ...(condition ? { Condition: condition } : {}),
    };
}

const policyOf = (statements: PolicyStatement[]): PolicyDocument => ({
    Version: "2012-10-17",
    Statement: statements,
});

/** The experiment role's policy: what the drill's actions need, on what they act. */
export function experimentPolicy(drill: FisDrill, t: DrillTargets): PolicyDocument {
    const onCluster = { ArnEquals: { "ecs:cluster": t.ecsClusterArn } };
    const statements: Record<FisDrill, PolicyStatement[]> = {
        "stop-tasks": [
            allow(
                ["ecs:DescribeTasks", "ecs:StopTask"],
                arn(t, "ecs", `task/${t.ecsClusterName}/*`),
                onCluster,
            ),
            // ListTasks is authorized on container instances, with the cluster as condition
            // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
            allow(
                ["ecs:ListTasks"],
                arn(t, "ecs", `container-instance/${t.ecsClusterName}/*`),
                onCluster,
            ),
        ],
        "fail-health-check": [
            allow(
                ["ssm:StartAutomationExecution"],
                arn(t, "ssm", `automation-definition/${t.documentName}:*`),
            ),
            allow(
                ["ssm:GetAutomationExecution", "ssm:StopAutomationExecution"],
                arn(t, "ssm", "automation-execution/*"),
            ),
            allow(["iam:PassRole"], t.automationRoleArn, {
                StringEquals: { "iam:PassedToService": "ssm.amazonaws.com" },
            }),
        ],
        "cut-data-network": [
            // FIS creates a NACL tagged managedByFIS=true, swaps it onto the target subnets and
            // puts the original back.
            allow(["ec2:CreateNetworkAcl"], arn(t, "ec2", "network-acl/*"), {
                StringEquals: { "aws:RequestTag/managedByFIS": "true" },
            }),
            allow(["ec2:CreateNetworkAcl"], arn(t, "ec2", "vpc/*")),
            allow(
                ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"],
                arn(t, "ec2", "network-acl/*"),
                { StringEquals: { "ec2:ResourceTag/managedByFIS": "true" } },
            ),
            allow(["ec2:CreateTags"], arn(t, "ec2", "network-acl/*"), {
                StringEquals: { "ec2:CreateAction": "CreateNetworkAcl" },
            }),
            allow(
                ["ec2:ReplaceNetworkAclAssociation"],
                [
                    ...subnetArns(t, [...t.dataSubnetIds, ...t.taskSubnetIds]),
                    arn(t, "ec2", "network-acl/*"),
                ],
            ),
            // Describe calls support no resource-level permissions.
            allow(
                [
                    "ec2:DescribeManagedPrefixLists",
                    "ec2:DescribeNetworkAcls",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVpcs",
                ],
                "*",
            ),
            // The dynamodb scope reads the Region's DynamoDB prefix list (owned by AWS).
            allow(
                ["ec2:GetManagedPrefixListEntries"],
                `arn:${t.partition}:ec2:${t.region}:*:prefix-list/*`,
            ),
        ],
    };
    return policyOf(statements[drill]);
}

/** The automation role's policy (fail-health-check): the one rule, nothing else. */
export function automationPolicy(t: Pick<DrillTargets, "healthRuleArn">): PolicyDocument {
    return policyOf([allow(["elasticloadbalancing:ModifyRule"], t.healthRuleArn)]);
}

/** The SSM Automation document (schema 0.3) that fails the health path for `Duration`. */
export function failHealthCheckDocument(): string {
    const restore = "step:restore-forward";
    return JSON.stringify({
        schemaVersion: "0.3",
        description:
            "TaskFlow drill: the ALB rule answering the Route 53 health path returns 503 for Duration, then forwards again",
        assumeRole: "{{ AutomationAssumeRole }}",
        parameters: {
            AutomationAssumeRole: { type: "String" },
            RuleArn: { type: "String" },
            TargetGroupArn: { type: "String" },
            Duration: { type: "String", default: "PT5M" },
        },
        mainSteps: [
            {
                name: "answer-503",
                action: "aws:executeAwsApi",
                onFailure: restore,
                onCancel: restore,
                inputs: {
                    Service: "elbv2",
                    Api: "ModifyRule",
                    RuleArn: "{{ RuleArn }}",
                    Actions: [
                        {
                            Type: "fixed-response",
                            FixedResponseConfig: {
                                StatusCode: "503",
                                ContentType: "text/plain",
                                MessageBody: "drill: fail-health-check",
                            },
                        },
                    ],
                },
            },
            {
                name: "hold",
                action: "aws:sleep",
                onFailure: restore,
                onCancel: restore,
                inputs: { Duration: "{{ Duration }}" },
            },
            {
                name: "restore-forward",
                action: "aws:executeAwsApi",
                isEnd: true,
                inputs: {
                    Service: "elbv2",
                    Api: "ModifyRule",
                    RuleArn: "{{ RuleArn }}",
                    Actions: [{ Type: "forward", TargetGroupArn: "{{ TargetGroupArn }}" }],
                },
            },
        ],
    });
}
