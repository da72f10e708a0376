/**
 * The global stack's view of every region: the cross-region dashboard's rows, from the topology,
 * the region stacks' outputs and the edge's health checks and endpoint groups.
 */
import * as pulumi from "@pulumi/pulumi";
import { ruleId } from "../components/assets-replication";
import { TABLES, names } from "../components/data";
import { EdgeRouting } from "../components/edge";
import { DashboardRegionInput, GlobalDashboard } from "../components/observability";
import { StackConfig, globalDataRegions } from "../config";
import { EDGE_REGION } from "../model/aws";
import { RegionStackOutputs, StackReader } from "./contract";

/** One row per topology region, in the topology's order. */
export function globalDashboard(
    cfg: StackConfig,
    regions: Record<string, StackReader<RegionStackOutputs>>,
    edge: EdgeRouting,
): GlobalDashboard {
    const dataRegions = globalDataRegions(cfg.topology);
    const [source, ...destinations] = dataRegions;
    const tables = Object.values(TABLES).map((t) => names.table(cfg.environment, t.table));
    const row = (region: string): DashboardRegionInput => {
        const out = regions[region];
        const holdsData = dataRegions.includes(region);
        return {
            region,
            albArnSuffix: out.require("albArnSuffix"),
            healthCheckId: edge.healthCheckIds.apply((ids) => ids[region]),
            ecsClusterName: out.require("ecsClusterName"),
            ecsServiceName: out.require("ecsServiceName"),
            acceleratorListenerArn: edge.endpointGroups[region].listenerArn,
            ...(holdsData
                ? {
                      globalData: pulumi.output({
                          auroraClusterId: out.require("auroraClusterId"),
                          // GlobalDatastoreReplicationLag is a node metric: the group's first node.
                          cacheClusterId: pulumi.interpolate`${out.require("cacheReplicationGroupId")}-001`,
                          tables,
                          receivingRegions: dataRegions.filter((r) => r !== region),
                      }),
                  }
                : {}),
            ...(destinations.includes(region)
                ? {
                      assetsReplication: pulumi.output({
                          sourceRegion: source,
                          sourceBucket: regions[source].require("assetsBucketName"),
                          destinationBucket: out.require("assetsBucketName"),
                          ruleId: ruleId(region),
                      }),
                  }
                : {}),
        };
    };
    return new GlobalDashboard("dashboard", {
        environment: cfg.environment,
        regions: cfg.topology.regions.map((r) => row(r.region)),
        region: EDGE_REGION,
    });
}
