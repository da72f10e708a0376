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
import { RegionStackOutputs, StackReader } from "./contract";

/** The names a region's row needs, resolved. */
export interface RegionNames {
    albArnSuffix: string;
    healthCheckId: string;
    /** Night mode's gated regions only. */
    gateHealthCheckId?: string;
    healthAlarmArn: string;
    ecsClusterName: string;
    ecsServiceName: string;
    acceleratorListenerArn: string;
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
        const row: DashboardRegion = {
            region,
            albArnSuffix: n.albArnSuffix,
            healthCheckId: n.healthCheckId,
            ...(n.gateHealthCheckId ? { gateHealthCheckId: n.gateHealthCheckId } : {}),
            healthAlarmArn: n.healthAlarmArn,
            ecsClusterName: n.ecsClusterName,
            ecsServiceName: n.ecsServiceName,
            acceleratorListenerArn: n.acceleratorListenerArn,
        };
        if (dataRegions.includes(region)) {
            row.globalData = {
                auroraClusterId: need(n.auroraClusterId, "auroraClusterId"),
                // GlobalDatastoreReplicationLag is a node metric: the group's first node.
                cacheClusterId: `${need(n.cacheReplicationGroupId, "cacheReplicationGroupId")}-001`,
                tables,
                receivingRegions: dataRegions.filter((r) => r !== region),
            };
        }
        if (destinations.includes(region)) {
            row.assetsReplication = {
                sourceRegion: source,
                sourceBucket: need(byRegion[source]?.assetsBucketName, "assetsBucketName"),
                destinationBucket: need(n.assetsBucketName, "assetsBucketName"),
                ruleId: ruleId(region),
            };
        }
        return row;
    });
}

/** The dashboard, once every region's names resolve. */
export function globalDashboard(
    cfg: StackConfig,
    regions: Record<string, StackReader<RegionStackOutputs>>,
    edge: EdgeRouting,
): GlobalDashboard {
    const dataRegions = globalDataRegions(cfg.topology);
    const names = cfg.topology.regions.map(({ region }) => {
        const out = regions[region];
        const data = dataRegions.includes(region)
            ? {
                  auroraClusterId: out.require("auroraClusterId"),
                  cacheReplicationGroupId: out.require("cacheReplicationGroupId"),
                  assetsBucketName: out.require("assetsBucketName"),
              }
            : {};
        return pulumi.output({
            region,
            albArnSuffix: out.require("albArnSuffix"),
            healthCheckId: edge.healthCheckIds.apply((ids) => ids[region]),
            gateHealthCheckId: edge.gateHealthCheckIds.apply((ids) => ids[region]),
            healthAlarmArn: out.require("healthAlarmArn"),
            ecsClusterName: out.require("ecsClusterName"),
            ecsServiceName: out.require("ecsServiceName"),
            acceleratorListenerArn: edge.endpointGroups[region].listenerArn,
            ...data,
        });
    });
    return new GlobalDashboard("dashboard", {
        environment: cfg.environment,
        regions: pulumi
            .all(names)
            .apply((ns) =>
                dashboardRegions(
                    cfg.topology,
                    cfg.environment,
                    Object.fromEntries(ns.map(({ region, ...n }) => [region, n as RegionNames])),
                ),
            ),
        region: EDGE_REGION,
    });
}
