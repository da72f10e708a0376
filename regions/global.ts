/**
 * The global (edge) stack, deployed last, in us-east-1: EdgeRouting fed by every region stack's
 * outputs, the Global Accelerator rule in each cell's ALB group, the replication glue that needs
 * both ends to exist (S3 replication), night mode, and Pulumi Deployments when enabled.
 */
import * as pulumi from "@pulumi/pulumi";
import { AssetsReplication } from "../components/assets-replication";
import { admitGlobalAccelerator } from "../components/cell";
import { PulumiDeployments } from "../components/deployments";
import {
    EdgeAccessLogTarget,
    EdgeLogArchiveRef,
    EdgeRegionEndpoint,
    EdgeRouting,
} from "../components/edge";
import { NightCellInputs, NightMode } from "../components/night-mode";
import { HealthRollup } from "../components/observability";
import { EDGE_REGION } from "../model/aws";
import { globalHealthAlarmName } from "../model/observability";
import { GLOBAL_CLASSIFICATION } from "../model/residency";
import {
    StackConfig,
    edgeResidencyOf,
    globalDataRegions,
    primaryRegion,
    validateDeployments,
} from "../config";
import { deploymentsArgs, edgeRoutingArgs, nightModeArgs } from "./args";
import {
    GlobalRegionReader,
    GlobalStackOutputs,
    StackOutputs,
    Written,
    globalRegionReader,
    referenceStack,
    replicationEnds,
} from "./contract";
import { hostedZoneId } from "./hosted-zone";
import { globalDashboard } from "./observability";

/** One region stack as the global stack reads it. */
interface RegionStack {
    region: string;
    ref: pulumi.StackReference;
    /** Reads only what regions/contract.ts lists (requiredOutputs): what --upstreams checks. */
    outputs: GlobalRegionReader;
}

export function composeGlobal(cfg: StackConfig): StackOutputs {
    // Validated before any resource is registered (throws ConfigError naming the key).
    const deployments = validateDeployments(cfg.deployments, cfg.topology, cfg.stack);
    edgeResidencyOf(cfg.topology, cfg.stack);
    const zoneId = hostedZoneId(cfg.topology);
    const regions = readRegionStacks(cfg);
    const primary = regions[primaryRegion(cfg.topology).region].outputs;
    // CloudFront-side resources in us-east-1, Global Accelerator via us-west-2 (the component
    // makes both providers). CloudFront sends the origin secret the primary stack generated,
    // the one every ALB's 443 listener requires.
    const edge = new EdgeRouting(
        "edge",
        edgeRoutingArgs(cfg, edgeEndpoints(regions), {
            hostedZoneId: zoneId,
            originHeaderSecret: pulumi.secret(primary.require("originVerifySecret")),
            logArchive: edgeLogArchive(regions),
            accessLogs: edgeLogLanding(regions),
        }),
    );
    admitAccelerator(regions, edge);
    // A composite alarm can only watch alarms of its own region, so the global roll-up is built
    // from the edge's Route 53 health-check alarms (us-east-1), one per region, not from the
    // regions' composite alarms.
    new HealthRollup("global-health", {
        alarmName: globalHealthAlarmName(cfg.environment),
        description: "TaskFlow: at least one region fails its Route 53 health check",
        alarmNames: edge.healthAlarmNames.apply((byRegion) => Object.values(byRegion)),
        alarmActions: [edge.alarmTopicArn],
        environment: cfg.environment,
        region: EDGE_REGION,
    });
    globalDashboard(
        cfg,
        Object.fromEntries(Object.values(regions).map((r) => [r.region, r.outputs])),
        edge,
    );
    const assets = assetsReplication(cfg, regions, primary.require("alarmTopicArn"));
    // The scheduled active-passive switch. Its controller runs in the primary region (active at
    // night: config validation), fed every cell's outputs and its endpoint group.
    const night = cfg.nightMode.enabled
        ? new NightMode(
              "night-mode",
              nightModeArgs(cfg, nightCells(regions, edge), primary.require("alarmTopicArn")),
          )
        : undefined;
    if (deployments.enabled) {
        new PulumiDeployments("deployments", deploymentsArgs(cfg, deployments));
    }
    const outputs: Written<GlobalStackOutputs> = {
        domain: cfg.topology.domain,
        hostedZoneId: zoneId,
        appHostname: edge.appHostname,
        apiHostname: edge.apiHostname,
        acceleratorHostname: edge.acceleratorHostname,
        failoverHostnames: edge.failoverHostnames,
        residentHostname: edge.residentHostname,
        acceleratorDnsName: edge.acceleratorDnsName,
        acceleratorIps: edge.acceleratorIps,
        distributionId: edge.distributionId,
        healthCheckIds: edge.healthCheckIds,
        originHeaderName: edge.originHeaderName,
        edgeAlarmTopicArn: edge.alarmTopicArn,
        ...(night ? { nightModeSpec: night.spec, nightModeFunctionName: night.functionName } : {}),
        assetsReplicationRegions: assets?.destinationRegions ?? [],
        regions: Object.fromEntries(
            Object.values(regions).map((r) => [
                r.region,
                {
                    albDnsName: r.outputs.require("albDnsName"),
                    albZoneId: r.outputs.require("albZoneId"),
                },
            ]),
        ),
    };
    return outputs;
}

/** One StackReference per region stack, by region. */
function readRegionStacks(cfg: StackConfig): Record<string, RegionStack> {
    return Object.fromEntries(
        cfg.topology.regions.map((r) => {
            const ref = referenceStack(cfg.topology, r.stack);
            const outputs = globalRegionReader(cfg.topology, r.stack, ref);
            return [r.region, { region: r.region, ref, outputs }];
        }),
    );
}

/**
 * True when a store the edge's logs go to is `global` in the edge region; else an error naming
 * what it is, so edge logs never land in a zone's store.
 */
function globalInEdgeRegion(
    store: string,
    what: string,
    s: { classification: string; region: string },
): true {
    if (s.classification !== GLOBAL_CLASSIFICATION || s.region !== EDGE_REGION)
        throw new Error(
            `edge logs: the ${EDGE_REGION} stack's ${store} is classified '${s.classification}' in ${s.region}; ${what} go only to a '${GLOBAL_CLASSIFICATION}' ${store} in ${EDGE_REGION}`,
        );
    return true;
}

/**
 * The log archive of the region stack in the edge region (us-east-1), if the topology has one:
 * the edge's CloudFront and WAF logs are replicated into it, same Region. Only a `global` archive
 * in that region is accepted: the update fails naming both before the replication is created
 * (its destination depends on the check), so edge logs never land in a zone's archive.
 */
function edgeLogArchive(regions: Record<string, RegionStack>): EdgeLogArchiveRef | undefined {
    const stack = regions[EDGE_REGION];
    if (!stack) return undefined;
    const archive = stack.outputs.require("logArchive");
    return {
        bucketArn: archive.apply(
            (a) => globalInEdgeRegion("log archive", "the edge's logs", a) && a.bucketArn,
        ),
        kmsKeyArn: archive.apply((a) => a.kmsKeyArn),
    };
}

/**
 * The log landing bucket of the region stack in the edge region (us-east-1), if the topology has
 * one: the edge's log bucket sends its S3 server access logs there (S3 logs only within one Region
 * and account; the region stacks deploy first). Only a `global` landing bucket in that region is
 * accepted: the update fails naming both before the logging is configured.
 */
function edgeLogLanding(regions: Record<string, RegionStack>): EdgeAccessLogTarget | undefined {
    const stack = regions[EDGE_REGION];
    if (!stack) return undefined;
    const landing = stack.outputs.require("logLanding");
    return {
        bucketName: landing.apply(
            (l) =>
                globalInEdgeRegion("log landing bucket", "the edge bucket's access logs", l) &&
                l.bucketName,
        ),
        s3LogSources: landing.apply((l) => l.s3LogSources),
    };
}

/** What EdgeRouting needs of every region's cell. */
function edgeEndpoints(regions: Record<string, RegionStack>): Record<string, EdgeRegionEndpoint> {
    return Object.fromEntries(
        Object.values(regions).map(({ region, outputs }) => [
            region,
            {
                albDnsName: outputs.require("albDnsName"),
                albZoneId: outputs.require("albZoneId"),
                albArn: outputs.require("albArn"),
                healthCheckFqdn: outputs.require("healthCheckFqdn"),
                healthCheckPath: outputs.require("healthCheckPath"),
            },
        ]),
    );
}

/**
 * Global Accelerator → ALB (8443): the rule references the security group GA creates in the
 * cell's VPC once the region's endpoint group exists, so it is made here, after that group, in
 * the cell's region (per-resource `region`).
 */
function admitAccelerator(regions: Record<string, RegionStack>, edge: EdgeRouting): void {
    for (const { region, outputs } of Object.values(regions)) {
        admitGlobalAccelerator(`accelerator-ingress-${region}`, {
            region,
            vpcId: outputs.require("vpcId"),
            securityGroupId: outputs.require("edgeSecurityGroupId"),
            endpointGroup: edge.endpointGroups[region],
        });
    }
}

/**
 * S3 replication: the source bucket (primary) → the replica buckets (secondaries), from the
 * topology's global-data regions and the region stacks' outputs. Its alarms live in the source
 * bucket's (the primary's) region and notify the primary cell's alarm topic, in that region.
 */
function assetsReplication(
    cfg: StackConfig,
    regions: Record<string, RegionStack>,
    alarmTopicArn: pulumi.Output<string>,
): AssetsReplication | undefined {
    const ends = replicationEnds(
        cfg.topology,
        Object.fromEntries(Object.values(regions).map((r) => [r.region, r.ref])),
    );
    if (ends.destinations.length === 0) return undefined;
    return new AssetsReplication("assets-replication", {
        globalDataRegions: globalDataRegions(cfg.topology),
        zones: Object.keys(cfg.topology.zones),
        environment: cfg.environment,
        rpoSeconds: cfg.rpoSeconds,
        ...ends,
        alarmActions: [alarmTopicArn],
    });
}

/** Night mode's view of every cell: its service, day capacity and endpoint group. */
function nightCells(
    regions: Record<string, RegionStack>,
    edge: EdgeRouting,
): Record<string, NightCellInputs> {
    return Object.fromEntries(
        Object.values(regions).map(({ region, outputs }) => {
            const day = outputs.require("dayCapacity");
            return [
                region,
                {
                    clusterName: outputs.require("ecsClusterName"),
                    serviceName: outputs.require("ecsServiceName"),
                    resourceId: outputs.require("scalableTargetResourceId"),
                    minTasks: day.minTasks,
                    maxTasks: day.maxTasks,
                    endpointGroupArn: edge.endpointGroups[region].arn,
                },
            ];
        }),
    );
}
