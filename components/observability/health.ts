/**
 * A health roll-up: one CloudWatch composite alarm in ALARM while any of the alarms it is given
 * is, notifying the topics it is given. The region stacks roll up their cell's and data tier's
 * alarms ("region unhealthy"); the global stack rolls up the edge's health-check alarms.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { anyInAlarmRule } from "../../model/observability";
import { componentTags } from "../../model/tags";

export interface HealthRollupArgs {
    /** Physical name of the composite alarm (model/observability.ts). */
    alarmName: string;
    description: string;
    /** The alarms it rolls up (same account and region as the composite alarm). */
    alarmNames: pulumi.Input<string[]>;
    /** SNS topics notified on ALARM and OK. */
    alarmActions: pulumi.Input<string>[];
    environment: string;
    /** Region of the composite alarm; default: the provider's. */
    region?: string;
}

export class HealthRollup extends pulumi.ComponentResource {
    public readonly alarmName: pulumi.Output<string>;
    public readonly alarmArn: pulumi.Output<string>;

    constructor(name: string, args: HealthRollupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("taskflow:observability:HealthRollup", name, {}, opts);
        const alarm = new aws.cloudwatch.CompositeAlarm(
            `${name}-alarm`,
            {
                ...(args.region ? { region: args.region } : {}),
                alarmName: args.alarmName,
                alarmDescription: args.description,
                alarmRule: pulumi.output(args.alarmNames).apply(anyInAlarmRule),
                alarmActions: args.alarmActions,
                okActions: args.alarmActions,
                tags: componentTags(args.environment, name),
            },
            { parent: this },
        );
        this.alarmName = alarm.alarmName;
        this.alarmArn = alarm.arn;
        this.registerOutputs({ alarmName: this.alarmName, alarmArn: this.alarmArn });
    }
}
