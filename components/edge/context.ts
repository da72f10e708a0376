/** What every part of an EdgeRouting is built with. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AWS_SECRET_SETTINGS, AwsProviderSettings } from "../../model/aws-provider";
import { EdgeRoutingArgs } from "./args";
import { EdgeRoutingPlan } from "./plan";

export interface EdgeContext {
    /** The component's name: every child is `<name>-<role>`. */
    name: string;
    /** The EdgeRouting itself: the parent of every child. */
    parent: pulumi.ComponentResource;
    args: EdgeRoutingArgs;
    /** The routing table (plan.ts). */
    plan: EdgeRoutingPlan;
    environment: string;
    /** `taskflow-<environment>`: the prefix of physical names. */
    prefix: string;
    /** Tags of every child. */
    tags: Record<string, string>;
    /** Options of children in the edge region (us-east-1): the component's own provider. */
    edge: pulumi.CustomResourceOptions;
    /** Options of Global Accelerator children: the component's own us-west-2 provider. */
    accel: pulumi.CustomResourceOptions;
    zoneId: pulumi.Input<string>;
    account: pulumi.Output<string>;
    partition: pulumi.Output<string>;
}

/**
 * The component's own providers, built from the validated region names (a provider handed in
 * could carry any region whatever its label said) and the stack's other `aws:*` settings (an
 * explicit provider reads none of them: https://github.com/pulumi/pulumi-aws/issues/1307), and
 * the options of the children using them.
 */
export function edgeProviders(
    name: string,
    parent: pulumi.ComponentResource,
    plan: EdgeRoutingPlan,
    settingsOf: AwsProviderSettings = {},
): Pick<EdgeContext, "edge" | "accel"> {
    const settings = carriedSettings(settingsOf);
    const usEast1 = new aws.Provider(
        `${name}-${plan.edgeRegion}`,
        { ...settings, region: plan.edgeRegion },
        {
            parent,
        },
    );
    const usWest2 = new aws.Provider(
        `${name}-${plan.acceleratorRegion}`,
        { ...settings, region: plan.acceleratorRegion },
        { parent },
    );
    return { edge: { parent, provider: usEast1 }, accel: { parent, provider: usWest2 } };
}

/** The resource options of a global-service child (Route 53, CloudFront, IAM): parented only. */
export const childOf = (ctx: EdgeContext): pulumi.CustomResourceOptions => ({
    parent: ctx.parent,
});

/** The settings as provider args, credentials wrapped as secrets. */
function carriedSettings(settings: AwsProviderSettings): Omit<aws.ProviderArgs, "region"> {
    const out: aws.ProviderArgs = { ...settings };
    for (const key of AWS_SECRET_SETTINGS) {
        const value = settings[key];
        if (value !== undefined) out[key] = pulumi.secret(value);
    }
    return out;
}
