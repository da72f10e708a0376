/**
 * The primary region's stack: its RegionalCell plus GlobalData, which owns everything that
 * replicates (Aurora global cluster, DynamoDB global tables, ElastiCache global datastore,
 * multi-region KMS keys, the source assets bucket).
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { StackConfig } from "../config";
import { edgeResidencyOf } from "../components/edge-routing";
import { GlobalData } from "../components/global-data";
import { RegionalCell } from "../components/regional-cell";
import { residencyBoundaryFor } from "../components/residency-boundary";
import { StackOutputs } from "./index";
import { cellOutputs, hostedZoneId } from "./shared";

export function composePrimary(cfg: StackConfig): StackOutputs {
    // Throws (ConfigError naming the key) before anything is registered.
    const edgeResidency = edgeResidencyOf(cfg.topology, cfg.stack);
    const zoneId = hostedZoneId(cfg.topology);
    // The value CloudFront sends in x-origin-verify and every ALB's 443 listener requires. It is
    // made here, in the first stack to deploy, so that the secondaries and the global stack read
    // it (StackReference) before anything uses it. Rotation: components/edge-routing.ts.
    const originVerifySecret = pulumi.secret(
        new random.RandomPassword("origin-verify-secret", { length: 48, special: false }).result,
    );
    let data: GlobalData | undefined;
    const cell = new RegionalCell("cell", {
        config: cfg,
        hostedZoneId: zoneId,
        originVerifySecret,
        edgeResidency,
        dataTier: (network) => {
            data = new GlobalData("global-data", {
                config: cfg,
                network,
                writerRegion: cfg.writerRegion,
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
        // Read by the secondaries (their ALBs) and the global stack (CloudFront's origin header).
        originVerifySecret,
    };
}
