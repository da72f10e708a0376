/**
 * Where stack config becomes component args: one function per component, from the validated
 * StackConfig (and what the composition has built so far) to that component's own XArgs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CellNetwork, RegionalCellArgs } from "../components/cell";
import type { GlobalDataArgs, PrimaryDataRefs } from "../components/data";
import type { ResidencyBoundaryArgs } from "../components/boundary";
import type { EdgeRegionEndpoint, EdgeRoutingArgs } from "../components/edge";
import type { NightCellInputs, NightModeArgs } from "../components/night-mode";
import type { LandingBucket, LogArchiveArgs, LoggedBucket } from "../components/log-archive";
import { landingRetentionDays } from "../model/logs";
import { GLOBAL_CLASSIFICATION } from "../model/residency";
import {
    DeploymentsConfig,
    EdgeResidency,
    StackConfig,
    capacityFor,
    globalDataRegions,
    holdsGlobalData,
    landingLogSources,
    nightGatesOf,
    nightModeMovesCapacity,
    primaryRegion,
} from "../config";

/** A region stack's config, narrowed: its topology entry and cell sizing are present. */
export interface RegionStackConfig extends StackConfig {
    role: "primary" | "secondary";
    regionSpec: NonNullable<StackConfig["regionSpec"]>;
    cell: NonNullable<StackConfig["cell"]>;
}

/** The config of a region stack, or an error naming what is missing. */
export function regionStackConfig(cfg: StackConfig): RegionStackConfig {
    if (cfg.role === "global" || !cfg.regionSpec || !cfg.cell) {
        throw new Error(
            `stack "${cfg.stack}" has role ${cfg.role}; a region composition needs a region stack (primary or secondary) with a topology entry and cell config`,
        );
    }
    return cfg as RegionStackConfig;
}

/** The zones of the topology (every component's residency check). */
const zonesOf = (cfg: StackConfig) => Object.keys(cfg.topology.zones);

/** RegionalCell's args: the region, its sizing in its mode, the edge's pins. */
export function cellArgs(
    cfg: RegionStackConfig,
    edge: {
        hostedZoneId: pulumi.Input<string>;
        originVerifySecret: pulumi.Input<string>;
        edgeResidency: EdgeResidency;
    },
): RegionalCellArgs {
    const { regionSpec: spec, cell } = cfg;
    return {
        region: spec.region,
        role: cfg.role,
        zone: spec.zone,
        zones: zonesOf(cfg),
        writerRegion: cfg.writerRegion,
        environment: cfg.environment,
        domain: cfg.topology.domain,
        vpcCidr: spec.vpcCidr,
        mode: cell.mode,
        capacity: capacityFor(cell, cfg.role),
        image: cell.image,
        taskCpu: cell.taskCpu,
        taskMemory: cell.taskMemory,
        capacityManagedAtRuntime: nightModeMovesCapacity(cfg),
        deployment: {
            rollbackAlarms: cfg.rollout.rollbackAlarms,
            minimumHealthyPercent: cfg.rollout.minimumHealthyPercent,
            maximumPercent: cfg.rollout.maximumPercent,
            strategy: cfg.rollout.strategy,
        },
        hostedZoneId: edge.hostedZoneId,
        originVerifySecret: edge.originVerifySecret,
        edgeResidency: edge.edgeResidency,
        logClassification: logClassificationOf(cfg),
        // The landing bucket is staging: the archive keeps the logs for the configured days.
        accessLogRetentionDays: landingRetentionDays(cfg.logArchiveRetentionDays),
        s3LogSources: (account) =>
            landingLogSources(cfg.environment, cfg.topology, spec, cfg.boundary, account),
    };
}

/**
 * Classification of a region's ALB and S3 access logs and of its log archive: the zone of the
 * region's residency boundary (eu-west-1: `eu`), else `global`.
 */
export function logClassificationOf(cfg: StackConfig): string {
    return cfg.boundary?.zone ?? GLOBAL_CLASSIFICATION;
}

/** LogArchive's args: the region's archive, fed by its landing bucket and logging its buckets. */
export function logArchiveArgs(
    cfg: RegionStackConfig,
    landing: LandingBucket,
    logged: LoggedBucket[],
    alarmActions: pulumi.Input<string>[] = [],
): LogArchiveArgs {
    return {
        alarmActions,
        region: cfg.awsRegion,
        classification: logClassificationOf(cfg),
        zones: zonesOf(cfg),
        environment: cfg.environment,
        retentionDays: cfg.logArchiveRetentionDays,
        landing,
        logged,
    };
}

/** GlobalData's args: the region's role in the data tier, on the cell's network. */
export function globalDataArgs(
    cfg: RegionStackConfig,
    network: CellNetwork,
    primary?: PrimaryDataRefs,
): GlobalDataArgs {
    const capacity = capacityFor(cfg.cell, cfg.role);
    return {
        role: cfg.role,
        region: cfg.awsRegion,
        globalDataRegions: globalDataRegions(cfg.topology),
        holdsGlobalData: holdsGlobalData(cfg),
        zones: zonesOf(cfg),
        environment: cfg.environment,
        network,
        ...(primary ? { primary } : {}),
        writerRegion: cfg.writerRegion,
        rpoSeconds: cfg.rpoSeconds,
        auroraEngineVersion: cfg.auroraEngineVersion,
        dbInstanceClass: cfg.cell.dbInstanceClass,
        dbInstances: capacity.dbInstances,
        cacheNodeType: cfg.cell.cacheNodeType,
        cacheNodes: capacity.cacheNodes,
    };
}

/** The boundary's arguments from a validated stack config (undefined when it has no boundary). */
export function boundaryArgsFromConfig(
    cfg: StackConfig,
    network?: {
        isolatedSubnetIds: pulumi.Input<string[]>;
        dataSecurityGroupId: pulumi.Input<string>;
    },
): ResidencyBoundaryArgs | undefined {
    if (!cfg.boundary) return undefined;
    return {
        zone: cfg.boundary.zone,
        zoneRegions: cfg.topology.zones[cfg.boundary.zone] ?? [],
        region: cfg.awsRegion,
        environment: cfg.environment,
        aurora: cfg.boundary.aurora,
        subnetIds: network?.isolatedSubnetIds,
        securityGroupIds: network ? [network.dataSecurityGroupId] : undefined,
        auroraEngineVersion: cfg.auroraEngineVersion,
        dbInstanceClass: cfg.cell?.dbInstanceClass,
        replicaRegions: cfg.boundary.replicaRegions ?? [],
    };
}

/** EdgeRouting's args: the topology, every region's endpoint, night mode's gates. */
export function edgeRoutingArgs(
    cfg: StackConfig,
    regions: Record<string, EdgeRegionEndpoint>,
    edge: {
        hostedZoneId: pulumi.Input<string>;
        originHeaderSecret: pulumi.Input<string>;
        logArchive?: EdgeRoutingArgs["logArchive"];
        accessLogs?: EdgeRoutingArgs["accessLogs"];
    },
): EdgeRoutingArgs {
    return {
        nightGates: nightGatesOf(cfg.topology, cfg.nightMode),
        topology: cfg.topology,
        edge: cfg.edge,
        environment: cfg.environment,
        providerSettings: cfg.awsProvider,
        wafBodyLimits: cfg.edge.wafBodyLimits,
        regions,
        hostedZoneId: edge.hostedZoneId,
        originHeaderSecret: edge.originHeaderSecret,
        // Archived, the edge's bucket is staging like a landing bucket.
        ...(edge.logArchive
            ? {
                  logArchive: edge.logArchive,
                  logRetentionDays: landingRetentionDays(cfg.logArchiveRetentionDays),
              }
            : {}),
        ...(edge.accessLogs ? { accessLogs: edge.accessLogs } : {}),
    };
}

/** NightMode's args: the controller runs in the primary region, active at night. */
export function nightModeArgs(
    cfg: StackConfig,
    cells: Record<string, NightCellInputs>,
    alarmTopicArn: pulumi.Input<string>,
): NightModeArgs {
    return {
        settings: cfg.nightMode,
        topology: cfg.topology,
        environment: cfg.environment,
        controllerRegion: primaryRegion(cfg.topology).region,
        alarmTopicArn,
        cells,
    };
}

/** PulumiDeployments' settings: the validated `taskflow:deployments`. */
export function deploymentsArgs(cfg: StackConfig, settings: DeploymentsConfig) {
    return { topology: cfg.topology, settings };
}
