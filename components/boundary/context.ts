/** What every part of a ResidencyBoundary is built with. */
import * as pulumi from "@pulumi/pulumi";
import { namePrefix, zoneBucketName } from "../../model/naming";
import { residencyName } from "../shared/residency";

export interface BoundaryContext {
    /** The component's name: every child is `<name>-<role>`. */
    name: string;
    /** The ResidencyBoundary itself: the parent of every child. */
    parent: pulumi.ComponentResource;
    zone: string;
    region: string;
    environment: string;
    /** The zone's residency tag: every store carries it. */
    tags: Record<string, string>;
    accountId: pulumi.Output<string>;
    partition: pulumi.Output<string>;
}

/** `taskflow-<env>-<what>-<zone>-<region>`: the residency-name convention the pack proves. */
export function boundaryName(ctx: BoundaryContext, what: string): string {
    return residencyName(`${namePrefix(ctx.environment)}-${what}`, ctx.zone, ctx.region);
}

/**
 * `taskflow-<env>-userdata-<account>-<zone>-<region>`: the zone bucket's residency name, with the
 * account in its base (bucket names are global across accounts).
 */
export function zoneBucketNameOf(ctx: BoundaryContext, account: string): string {
    return zoneBucketName(ctx.environment, account, ctx.zone, ctx.region);
}

export const childOf = (ctx: BoundaryContext): pulumi.CustomResourceOptions => ({
    parent: ctx.parent,
});

export const protectedChildOf = (ctx: BoundaryContext): pulumi.CustomResourceOptions => ({
    parent: ctx.parent,
    protect: true,
});
