/** What every part of a GlobalData is built with. */
import * as pulumi from "@pulumi/pulumi";
import { GLOBAL_CLASSIFICATION } from "../../model/residency";
import { componentTags } from "../../model/tags";
import { residencyTags } from "../shared/residency";
import { GlobalDataArgs, PrimaryDataRefs } from "./args";

/** Tags of every resource here: the component's, classified `global`. */
export function globalDataTags(
    environment: string,
    component = "global-data",
    extra: Record<string, string> = {},
): Record<string, string> {
    return residencyTags(GLOBAL_CLASSIFICATION, componentTags(environment, component, extra));
}

export interface DataContext {
    /** The component's name: every child is `<name>-<role>`. */
    name: string;
    /** The GlobalData itself: the parent of every child. */
    parent: pulumi.ComponentResource;
    region: string;
    environment: string;
    isPrimary: boolean;
    /** Whether this region's members take the writes now (writerRegion). */
    isWriter: boolean;
    /** The primary region: owner of what replicates, and the assets source bucket's region. */
    sourceRegion: string;
    /** Global-data regions, primary first. */
    globalDataRegions: string[];
    /** Global-data regions but the primary: where replicas go. */
    replicaRegions: string[];
    /** Secondaries: what the primary owns. */
    primary?: PrimaryDataRefs;
    tags: Record<string, string>;
    accountId: pulumi.Output<string>;
    partition: pulumi.Output<string>;
    rpoSeconds: number;
    auroraEngineVersion: string;
    dbInstanceClass: string;
    dbInstances: number;
    cacheNodeType: string;
    cacheNodes: number;
    network: GlobalDataArgs["network"];
    alarmActions: pulumi.Input<string>[];
}

/** The resource options of a plain child: parented to the component. */
export const childOf = (ctx: DataContext): pulumi.CustomResourceOptions => ({
    parent: ctx.parent,
});

/** The options of a stateful child: parented and `protect`ed. */
export const protectedChildOf = (ctx: DataContext): pulumi.CustomResourceOptions => ({
    parent: ctx.parent,
    protect: true,
});

/** A secondary's primary refs (validated present before anything is registered). */
export function primaryRefs(ctx: DataContext): PrimaryDataRefs {
    if (!ctx.primary) {
        throw new Error(
            `GlobalData: secondary stack in ${ctx.region} needs the primary stack's references (args.primary)`,
        );
    }
    return ctx.primary;
}
