/** What every part of a NightMode is built with. */
import * as pulumi from "@pulumi/pulumi";
import { NightModeConfig, NightModeSpec } from "../../model/night-mode";

export interface NightContext {
    /** The component's name: every child is `<name>-<role>`. */
    name: string;
    /** The NightMode itself: the parent of every child. */
    parent: pulumi.ComponentResource;
    /** The controller's region. */
    region: string;
    environment: string;
    /** `taskflow-<environment>`: the prefix of physical names. */
    prefix: string;
    settings: NightModeConfig;
    spec: pulumi.Output<NightModeSpec>;
    tags: Record<string, string>;
    account: pulumi.Output<string>;
    partition: pulumi.Output<string>;
}

export const childOf = (ctx: NightContext): pulumi.CustomResourceOptions => ({
    parent: ctx.parent,
});
