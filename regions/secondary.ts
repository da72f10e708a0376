/**
 * A secondary region's stack: its RegionalCell, whose Aurora and ElastiCache members join the
 * global cluster / datastore whose ids come from a StackReference to the primary stack.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config";
import { GlobalData } from "../components/global-data";
import { RegionalCell } from "../components/regional-cell";
import { residencyBoundaryFor } from "../components/residency-boundary";
import { StackOutputs } from "./index";
import { cellOutputs, hostedZoneId, primaryStackReference } from "./shared";

export function composeSecondary(cfg: StackConfig): StackOutputs {
    const primary = primaryStackReference(cfg);
    const zoneId = hostedZoneId(cfg.topology);
    let data: GlobalData | undefined;
    const cell = new RegionalCell("cell", {
        config: cfg,
        hostedZoneId: zoneId,
        dataTier: (network) => {
            data = new GlobalData("global-data", {
                config: cfg,
                network,
                primary: {
                    auroraGlobalClusterId: primary.requireOutput(
                        "auroraGlobalClusterId",
                    ) as pulumi.Output<string>,
                    globalDatastoreId: primary.requireOutput(
                        "globalDatastoreId",
                    ) as pulumi.Output<string>,
                    kmsKeyArns: primary.requireOutput("kmsKeyArns") as pulumi.Output<
                        Record<string, string>
                    >,
                },
            });
            return data.endpoints;
        },
    });
    // The zone's resident-only stores, when this stack hosts a residency zone (eu-west-1: eu).
    const residency = residencyBoundaryFor(cfg, cell);
    return {
        ...cellOutputs(cfg, cell),
        // GlobalData's cross-stack contract (ids secondaries join, keys, buckets; issue #4).
        ...data!.stackOutputs(cfg),
        ...residency,
    };
}
