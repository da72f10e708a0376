/** Pieces every composition uses. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig, Topology, primaryRegion, stackRefName } from "../config";
import { RegionalCell } from "../components/regional-cell";

/**
 * The id of the pre-existing public hosted zone: given in the topology, or looked up by domain.
 * Region stacks never wait on the global stack for it.
 */
export function hostedZoneId(topology: Topology): pulumi.Output<string> {
    if (topology.hostedZoneId) return pulumi.output(topology.hostedZoneId);
    return aws.route53.getZoneOutput({ name: topology.domain, privateZone: false }).zoneId;
}

/** A StackReference to the primary region's stack. */
export function primaryStackReference(cfg: StackConfig): pulumi.StackReference {
    const primary = primaryRegion(cfg.topology);
    return new pulumi.StackReference(`ref-${primary.stack}`, {
        name: stackRefName(cfg.topology, primary.stack),
    });
}

/** The outputs every region stack exports for the global stack (the cross-stack contract). */
export function cellOutputs(cfg: StackConfig, cell: RegionalCell) {
    return {
        region: cfg.awsRegion,
        role: cfg.role,
        zone: cfg.regionSpec!.zone,
        cellMode: cell.mode,
        vpcId: cell.vpcId,
        albDnsName: cell.albDnsName,
        albZoneId: cell.albZoneId,
        albArn: cell.albArn,
        healthCheckFqdn: cell.healthCheckFqdn,
        healthCheckPath: cell.healthCheckPath,
        healthUrl: cell.healthUrl,
        // For the global stack: the ALB group that takes the Global Accelerator rule
        // (admitGlobalAccelerator), and what cross-region dashboards/alarms and night mode need.
        vpcCidr: cell.vpcCidr,
        albArnSuffix: cell.albArnSuffix,
        edgeSecurityGroupId: cell.edgeSecurityGroupId,
        kmsKeyArn: cell.kmsKeyArn,
        alarmTopicArn: cell.alarmTopicArn,
        ecsClusterName: cell.ecsClusterName,
        ecsServiceName: cell.ecsServiceName,
        scalableTargetResourceId: cell.scalableTargetResourceId,
        // The cell's capacity in its mode: night mode restores it every morning.
        dayCapacity: { minTasks: cell.capacity.minTasks, maxTasks: cell.capacity.maxTasks },
    };
}
