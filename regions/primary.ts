/**
 * The primary region's stack: its RegionalCell plus GlobalData, which owns everything that
 * replicates (Aurora global cluster, DynamoDB global tables, ElastiCache global datastore,
 * multi-region KMS keys, the source assets bucket).
 */
import { StackConfig } from "../config";
import { GlobalData } from "../components/global-data";
import { RegionalCell } from "../components/regional-cell";
import { residencyBoundaryFor } from "../components/residency-boundary";
import { StackOutputs } from "./index";
import { cellOutputs, hostedZoneId } from "./shared";

export function composePrimary(cfg: StackConfig): StackOutputs {
    const zoneId = hostedZoneId(cfg.topology);
    let data: GlobalData | undefined;
    const cell = new RegionalCell("cell", {
        config: cfg,
        hostedZoneId: zoneId,
        dataTier: (network) => {
            data = new GlobalData("global-data", { config: cfg, network });
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
