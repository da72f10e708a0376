/**
 * The writers of the cross-stack contract (regions/contract.ts): a region stack's output map,
 * built from its components, typed by the contract's interfaces.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CellService, RegionalCell } from "../components/cell";
import type { GlobalData } from "../components/data";
import type { ResidencyBoundary } from "../components/boundary";
import type { LogArchive } from "../components/log-archive";
import { Topology } from "../model/topology";
import {
    LogLandingOutputs,
    PrimaryStackOutputs,
    RegionStackOutputs,
    ResidencyOutputs,
    Written,
} from "./contract";

/** What a region stack is made of, for its outputs. */
export interface RegionStackParts {
    region: string;
    role: "primary" | "secondary";
    zone: string;
    cell: RegionalCell;
    service: CellService;
    data: GlobalData;
    logArchive: LogArchive;
    /** The region's log landing bucket (the cell's), as exported. */
    logLanding: Written<LogLandingOutputs>;
    /** ARN of the region's composite alarm. */
    healthAlarmArn: pulumi.Output<string>;
    boundary?: { component: ResidencyBoundary; aurora: boolean };
}

/** A region stack's outputs. */
export function regionStackOutputs(parts: RegionStackParts): Written<RegionStackOutputs> {
    const { cell, service, data, boundary } = parts;
    return {
        region: parts.region,
        role: parts.role,
        zone: parts.zone,
        cellMode: cell.mode,
        vpcId: cell.vpcId,
        albDnsName: service.albDnsName,
        albZoneId: service.albZoneId,
        albArn: service.albArn,
        healthCheckFqdn: service.healthCheckFqdn,
        healthCheckPath: service.healthCheckPath,
        healthUrl: service.healthUrl,
        vpcCidr: cell.vpcCidr,
        albArnSuffix: service.albArnSuffix,
        edgeSecurityGroupId: cell.edgeSecurityGroupId,
        kmsKeyArn: cell.kmsKeyArn,
        alarmTopicArn: cell.alarmTopicArn,
        healthAlarmArn: parts.healthAlarmArn,
        ecsClusterName: service.ecsClusterName,
        ecsServiceName: service.ecsServiceName,
        scalableTargetResourceId: service.scalableTargetResourceId,
        dayCapacity: { minTasks: cell.capacity.minTasks, maxTasks: cell.capacity.maxTasks },
        ...globalDataOutputs(data),
        logArchive: {
            bucketName: parts.logArchive.bucketName,
            bucketArn: parts.logArchive.bucketArn,
            kmsKeyArn: parts.logArchive.kmsKeyArn,
            classification: parts.logArchive.classification,
            region: parts.logArchive.region,
        },
        logLanding: parts.logLanding,
        ...(boundary ? { residency: residencyOutputs(boundary.component, boundary.aurora) } : {}),
    };
}

/** The global-data part of a region stack's outputs: ids, key and bucket of its members. */
type GlobalDataOutputs = Pick<
    RegionStackOutputs,
    | "globalData"
    | "auroraGlobalClusterId"
    | "globalDatastoreId"
    | "auroraClusterId"
    | "cacheReplicationGroupId"
    | "globalDataKmsKeyArn"
    | "assetsBucketName"
    | "assetsBucketArn"
>;

function globalDataOutputs(data: GlobalData): Written<GlobalDataOutputs> {
    if (!data.holdsGlobalData) return { globalData: false };
    return {
        globalData: true,
        auroraGlobalClusterId: data.auroraGlobalClusterId,
        globalDatastoreId: data.globalDatastoreId,
        auroraClusterId: data.auroraClusterId,
        cacheReplicationGroupId: data.cacheReplicationGroupId,
        globalDataKmsKeyArn: data.kmsKeyArn,
        assetsBucketName: data.assetsBucketName,
        assetsBucketArn: data.assetsBucketArn,
    };
}

function residencyOutputs(b: ResidencyBoundary, aurora: boolean): Written<ResidencyOutputs> {
    return {
        zone: b.zone,
        tableName: b.tableName,
        tableArn: b.tableArn,
        bucketName: b.bucketName,
        kmsKeyArn: b.kmsKeyArn,
        ...(aurora ? { auroraEndpoint: b.auroraEndpoint as pulumi.Output<string> } : {}),
    };
}

/** The primary stack's own outputs, besides its region stack outputs. */
export function primaryStackOutputs(args: {
    topology: Topology;
    environment: string;
    data: GlobalData;
    originVerifySecret: pulumi.Output<string>;
}): Written<Omit<PrimaryStackOutputs, keyof RegionStackOutputs>> {
    const { data } = args;
    return {
        // A secret output: the secondaries' cache groups join with the same AUTH token.
        cacheAuthToken: pulumi.secret(data.cacheAuthToken),
        kmsKeyArns: data.kmsKeyArns,
        dynamodbTables: data.dynamodbTables,
        assetsBucketNames: data.assetsBucketNames,
        // Read by the secondaries (their ALBs) and the global stack (CloudFront's origin header).
        originVerifySecret: args.originVerifySecret,
    };
}
