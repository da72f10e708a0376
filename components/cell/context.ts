/** What every part of a cell is built with: its name, parent, region, names and tags. */
import * as pulumi from "@pulumi/pulumi";

export interface CellContext {
    /** The component's name: every child is `<name>-<role>`. */
    name: string;
    /** The RegionalCell itself: the parent of every child. */
    parent: pulumi.ComponentResource;
    region: string;
    environment: string;
    /** `taskflow-<environment>`: the prefix of physical names. */
    prefix: string;
    /** Tags of every child. */
    tags: Record<string, string>;
    /** Tags of the children that may hold the region's users' data (classified in its zone). */
    zoneTags: Record<string, string>;
    account: pulumi.Output<string>;
    partition: pulumi.Output<string>;
}

/** The resource options of a plain child: parented to the cell. */
export const childOf = (ctx: CellContext): pulumi.CustomResourceOptions => ({ parent: ctx.parent });
