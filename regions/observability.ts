/**
 * The global stack's view of every region: the cross-region dashboard's rows, from the topology,
 * the region stacks' outputs and the edge's health checks and endpoint groups.
 */
import * as pulumi from "@pulumi/pulumi";
import { ruleId } from "../components/assets-replication";
import { TABLES, names } from "../components/data";
import { EdgeRouting } from "../components/edge";
import { DashboardRegion, GlobalDashboard } from "../components/observability";
import { StackConfig } from "../config";
import { EDGE_REGION } from "../model/aws";
import { Topology, globalDataRegions } from "../model/topology";
import { GlobalRegionReader } from "./contract";

/**
 * The names a region's row needs, resolved: the row's own fields (the component's
 * `DashboardRegion`, so they are declared once), and the data tier's, from which the row's
 * global-data and replication parts are built.
 */
export interface RegionNames extends Omit<
    DashboardRegion,
    "region" | "globalData" | "assetsReplication"
> {
    /** Global-data regions only. */
    auroraClusterId?: string;
    cacheReplicationGroupId?: string;
    assetsBucketName?: string;
}

/**
 * One row per topology region, in the topology's order: the cell's metrics everywhere, the data
 * tier's in the global-data regions, S3 replication in every replica region.
 */
export function dashboardRegions(
    topology: Topology,
    environment: string,
    byRegion: Record<string, RegionNames>,
): DashboardRegion[] {
    const dataRegions = globalDataRegions(topology);
    const [source, ...destinations] = dataRegions;
    const tables = Object.values(TABLES).map((t) => names.table(environment, t.table));
    return topology.regions.map(({ region }) => {
        const n = byRegion[region];
        if (!n) throw new Error(`dashboard: no names for region ${region}`);
        const need = (v: string | undefined, what: string): string => {
            if (v === undefined)
                throw new Error(`dashboard: ${region} holds global data but exports no ${what}`);
            return v;
        };
        const { auroraClusterId, cacheReplicationGroupId, assetsBucketName, ...cell } = n;
        const row: DashboardRegion = { region, ...cell };
        if (dataRegions.includes(region)) {
            row.globalData = {
                auroraClusterId: need(auroraClusterId, "auroraClusterId"),
                // GlobalDatastoreReplicationLag is a node metric: the group's first node.
                cacheClusterId: `${need(cacheReplicationGroupId, "cacheReplicationGroupId")}-001`,
                tables,
                receivingRegions: dataRegions.filter((r) => r !== region),
            };
        }
        if (destinations.includes(region)) {
            row.assetsReplication = {
                sourceRegion: source,
                sourceBucket: need(byRegion[source]?.assetsBucketName, "assetsBucketName"),
                destinationBucket: need(assetsBucketName, "assetsBucketName"),
                ruleId: ruleId(region),
            };
        }
        return row;
    });
}

/** The dashboard, once every region's names resolve. */
export function globalDashboard(
    cfg: StackConfig,
    regions: Record<string, GlobalRegionReader>,
    edge: EdgeRouting,
): GlobalDashboard {
    const dataRegions = globalDataRegions(cfg.topology);
    const byRegion = Object.fromEntries(
        cfg.topology.regions.map(({ region }) => {
            const out = regions[region];
            const data = dataRegions.includes(region)
                ? {
                      auroraClusterId: out.require("auroraClusterId"),
                      cacheReplicationGroupId: out.require("cacheReplicationGroupId"),
                      assetsBucketName: out.require("assetsBucketName"),
                  }
                : {};
            const names: pulumi.Output<RegionNames> = pulumi.output({
                albArnSuffix: out.require("albArnSuffix"),
                healthCheckId: edge.healthCheckIds.apply((ids) => ids[region]),
                gateHealthCheckId: edge.gateHealthCheckIds.apply((ids) => ids[region]),
                healthAlarmArn: out.require("healthAlarmArn"),
                ecsClusterName: out.require("ecsClusterName"),
                ecsServiceName: out.require("ecsServiceName"),
                acceleratorListenerArn: edge.endpointGroups[region].listenerArn,
                ...data,
            });
            return [region, names];
        }),
    );
    return new GlobalDashboard("dashboard", {
        environment: cfg.environment,
        regions: pulumi
            .all(byRegion)
            .apply((ns) => dashboardRegions(cfg.topology, cfg.environment, ns)),
        region: EDGE_REGION,
    });
}
