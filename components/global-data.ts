/**
 * GlobalData — what replicates across regions, and nothing that must not (issue #4 fills it out).
 *
 * FOUNDATION STUB: the primary creates the Aurora global cluster so that its id flows through the
 * stack outputs into the secondaries' StackReferences; members, tables, caches, keys and buckets
 * arrive with the GlobalData issue.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config";
import { CellNetwork, DataEndpoints } from "./regional-cell";

/** What a secondary reads from the primary stack's outputs. */
export interface PrimaryDataRefs {
    auroraGlobalClusterId: pulumi.Input<string>;
    globalDatastoreId: pulumi.Input<string>;
    kmsKeyArns: pulumi.Input<Record<string, string>>;
}

export interface GlobalDataArgs {
    /** The validated stack config (role primary or secondary). */
    config: StackConfig;
    /** The cell's network in this region, where the Aurora and ElastiCache members live. */
    network: CellNetwork;
    /** Secondaries only: ids owned by the primary stack, read through a StackReference. */
    primary?: PrimaryDataRefs;
}

export class GlobalData extends pulumi.ComponentResource {
    /** Aurora global cluster id (primary: created here; secondary: joined). */
    public readonly auroraGlobalClusterId: pulumi.Output<string>;
    /** Endpoints this region's tasks use. */
    public readonly endpoints: DataEndpoints;

    constructor(name: string, args: GlobalDataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("taskflow:data:GlobalData", name, {}, opts);
        const cfg = args.config;
        if (cfg.role === "primary") {
            const gc = new aws.rds.GlobalCluster(
                `${name}-aurora-global`,
                {
                    globalClusterIdentifier: `taskflow-${cfg.environment}`,
                    engine: "aurora-postgresql",
                    engineVersion: cfg.auroraEngineVersion,
                    storageEncrypted: true,
                    deletionProtection: true,
                },
                { parent: this, protect: true },
            );
            this.auroraGlobalClusterId = gc.id;
        } else {
            if (!args.primary) throw new Error("GlobalData: a secondary needs the primary stack's references");
            this.auroraGlobalClusterId = pulumi.output(args.primary.auroraGlobalClusterId);
        }
        this.endpoints = {};
        this.registerOutputs({ auroraGlobalClusterId: this.auroraGlobalClusterId });
    }
}
