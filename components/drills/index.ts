/**
 * FailureDrills: one FIS experiment template per drill the stack enables, each with its own
 * experiment role, stopping when the region's "region unhealthy" composite alarm is in ALARM
 * (stop condition source `aws:cloudwatch:alarm`,
 * https://docs.aws.amazon.com/fis/latest/userguide/stop-conditions.html), and targeting this
 * cell's resources only (its cluster and service, its subnets, its health rule). Templates are
 * tagged with their drill and region (model/drills.ts), which is how `npm run ops -- drill`
 * finds them. None is built unless asked for: drills are off by default.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DRILL_TAGS, FisDrill } from "../../model/drills";
import { namePrefix } from "../../model/naming";
import { GLOBAL_CLASSIFICATION } from "../../model/residency";
import { componentTags } from "../../model/tags";
import { residencyTags } from "../shared/residency";
import { serviceTrustPolicy } from "../shared/trust-policy";
import {
    DrillTargets,
    automationPolicy,
    experimentPolicy,
    failHealthCheckDocument,
    templateParts,
} from "./plan";

export * from "./plan";

export interface FailureDrillsArgs {
    environment: string;
    /** The cell's region (every template and target is in it). */
    region: string;
    /** The drills to build. Default: none. */
    drills?: FisDrill[];
    /** ARN of the region's composite alarm: the stop condition of every template. */
    stopAlarmArn: pulumi.Input<string>;
    ecsClusterArn: pulumi.Input<string>;
    ecsClusterName: pulumi.Input<string>;
    ecsServiceName: pulumi.Input<string>;
    taskSubnetIds: pulumi.Input<string[]>;
    dataSubnetIds: pulumi.Input<string[]>;
    healthRuleArn: pulumi.Input<string>;
    targetGroupArn: pulumi.Input<string>;
    /** How long each fault lasts, in minutes (1-60). Default 5. */
    durationMinutes?: number;
}

export class FailureDrills extends pulumi.ComponentResource {
    /** Drill name → its experiment template's id. */
    public readonly templateIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: FailureDrillsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("taskflow:drills:FailureDrills", name, {}, opts);
        const drills = args.drills ?? [];
        const minutes = args.durationMinutes ?? 5;
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60)
            throw new Error(`FailureDrills ${name}: durationMinutes ${minutes} is not 1-60`);
        const p = { parent: this };
        const tags = componentTags(args.environment, name);
        const identity = aws.getCallerIdentityOutput({}, p);
        const partition = aws.getPartitionOutput({}, p).partition;
        const documentName = `${namePrefix(args.environment)}-${args.region}-fail-health-check`;
        const automationRole = drills.includes("fail-health-check")
            ? this.automation(name, args, identity.accountId, documentName, tags)
            : undefined;
        const targets: pulumi.Output<DrillTargets> = pulumi
            .all({
                partition,
                account: identity.accountId,
                ecsClusterArn: args.ecsClusterArn,
                ecsClusterName: args.ecsClusterName,
                ecsServiceName: args.ecsServiceName,
                taskSubnetIds: args.taskSubnetIds,
                dataSubnetIds: args.dataSubnetIds,
                healthRuleArn: args.healthRuleArn,
                targetGroupArn: args.targetGroupArn,
                automationRoleArn: automationRole ? automationRole.arn : pulumi.output(""),
            })
            .apply((r): DrillTargets => ({
                ...(r as Omit<DrillTargets, "region" | "documentName" | "duration">),
                region: args.region,
                documentName,
                duration: `PT${minutes}M`,
            }));
        const ids: Record<string, pulumi.Output<string>> = {};
        for (const drill of drills) {
            const role = new aws.iam.Role(
                `${name}-${drill}-role`,
                {
                    description: `FIS drill ${drill} in ${args.region}: acts on this cell only`,
                    assumeRolePolicy: serviceTrustPolicy("fis.amazonaws.com", identity.accountId),
                    tags,
                },
                p,
            );
            new aws.iam.RolePolicy(
                `${name}-${drill}-policy`,
                {
                    role: role.id,
                    policy: targets.apply((t) => JSON.stringify(experimentPolicy(drill, t))),
                },
                p,
            );
            const parts = targets.apply((t) => templateParts(drill, t));
            const template = new aws.fis.ExperimentTemplate(
                `${name}-${drill}`,
                {
                    region: args.region,
                    description: parts.description,
                    roleArn: role.arn,
                    stopConditions: [{ source: "aws:cloudwatch:alarm", value: args.stopAlarmArn }],
                    actions: parts.actions,
                    targets: parts.targets,
                    experimentOptions: {
                        accountTargeting: "single-account",
                        // No task or subnet found is a failed drill, not a silent success.
                        emptyTargetResolutionMode: "fail",
                    },
                    tags: {
                        ...tags,
                        [DRILL_TAGS.drill]: drill,
                        [DRILL_TAGS.region]: args.region,
                    },
                },
                p,
            );
            ids[drill] = template.id;
        }
        this.templateIds = pulumi.all(ids);
        this.registerOutputs({ templateIds: this.templateIds });
    }

    /** fail-health-check's Automation document and the role it runs as. */
    private automation(
        name: string,
        args: FailureDrillsArgs,
        account: pulumi.Output<string>,
        documentName: string,
        tags: Record<string, string>,
    ): aws.iam.Role {
        const p = { parent: this };
        const role = new aws.iam.Role(
            `${name}-fail-health-check-automation-role`,
            {
                description: `Drill fail-health-check in ${args.region}: modifies the cell's health rule only`,
                assumeRolePolicy: serviceTrustPolicy("ssm.amazonaws.com", account),
                tags,
            },
            p,
        );
        new aws.iam.RolePolicy(
            `${name}-fail-health-check-automation-policy`,
            {
                role: role.id,
                policy: pulumi
                    .output(args.healthRuleArn)
                    .apply((healthRuleArn) => JSON.stringify(automationPolicy({ healthRuleArn }))),
            },
            p,
        );
        new aws.ssm.Document(
            `${name}-fail-health-check-document`,
            {
                region: args.region,
                name: documentName,
                documentType: "Automation",
                documentFormat: "JSON",
                content: failHealthCheckDocument(),
                // The drill's own steps, no user data (like the cell's task parameters).
                tags: residencyTags(GLOBAL_CLASSIFICATION, {
                    ...tags,
                    [DRILL_TAGS.region]: args.region,
                }),
            },
            p,
        );
        return role;
    }
}
