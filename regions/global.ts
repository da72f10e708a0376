/**
 * The global (edge) stack, deployed last, in us-east-1: EdgeRouting fed by every region stack's
 * ALB outputs, the replication glue that needs both ends to exist (S3 replication), cross-region
 * dashboards, and Pulumi Deployments settings when enabled.
 */
import * as pulumi from "@pulumi/pulumi";
import { AssetsReplication, replicationEnds } from "../components/assets-replication";
import { PulumiDeployments } from "../components/deployments";
import { EdgeRouting, edgeResidencyOf } from "../components/edge-routing";
import { NightMode } from "../components/night-mode";
import { nightRoles } from "../ops/night-mode";
import { admitGlobalAccelerator } from "../components/regional-cell";
import { StackConfig, primaryRegion, stackRefName } from "../config";
import { validateDeployments } from "../delivery/deployments";
import { StackOutputs } from "./index";
import { hostedZoneId } from "./shared";

/** What the global stack reads from one region stack. */
export interface RegionRef {
    region: string;
    stack: string;
    albDnsName: pulumi.Output<string>;
    albZoneId: pulumi.Output<string>;
    albArn: pulumi.Output<string>;
    healthCheckFqdn: pulumi.Output<string>;
    healthCheckPath: pulumi.Output<string>;
    /** The cell's VPC and the ALB security group that takes the Global Accelerator rule. */
    vpcId: pulumi.Output<string>;
    edgeSecurityGroupId: pulumi.Output<string>;
    /** The whole output map, for wiring that needs more (e.g. bucket names). */
    ref: pulumi.StackReference;
}

export function composeGlobal(cfg: StackConfig): StackOutputs {
    // Validated before any resource is registered (throws ConfigError naming the key).
    const deployments = validateDeployments(cfg.deployments, cfg.topology, cfg.stack);
    edgeResidencyOf(cfg.topology, cfg.stack);
    const zoneId = hostedZoneId(cfg.topology);
    const regions: Record<string, RegionRef> = {};
    for (const r of cfg.topology.regions) {
        const ref = new pulumi.StackReference(`ref-${r.stack}`, {
            name: stackRefName(cfg.topology, r.stack),
        });
        const out = (key: string) => ref.requireOutput(key) as pulumi.Output<string>;
        regions[r.region] = {
            region: r.region,
            stack: r.stack,
            albDnsName: out("albDnsName"),
            albZoneId: out("albZoneId"),
            albArn: out("albArn"),
            healthCheckFqdn: out("healthCheckFqdn"),
            healthCheckPath: out("healthCheckPath"),
            vpcId: out("vpcId"),
            edgeSecurityGroupId: out("edgeSecurityGroupId"),
            ref,
        };
    }
    const primary = regions[primaryRegion(cfg.topology).region].ref;
    // EDGE ROUTING (issue #5): CloudFront-side resources in us-east-1, Global Accelerator via
    // us-west-2 (the component makes both providers). CloudFront sends the origin secret the
    // primary stack generated, the one every ALB's 443 listener requires.
    // Night mode's drained regions (DNS gates, traffic dials), from the topology and config.
    const nightGates = cfg.nightMode.enabled
        ? Object.fromEntries(
              Object.entries(nightRoles(cfg.topology, cfg.nightMode.activeRegions))
                  .filter(([, r]) => r.role === "drain")
                  .map(([region, r]) => [region, r.target!]),
          )
        : {};
    const edge = new EdgeRouting("edge", {
        nightGates,
        topology: cfg.topology,
        edge: cfg.edge,
        environment: cfg.environment,
        regions,
        hostedZoneId: zoneId,
        originHeaderSecret: pulumi.secret(
            primary.requireOutput("originVerifySecret") as pulumi.Output<string>,
        ),
    });
    // GLOBAL ACCELERATOR → ALB (8443): the rule references the security group GA creates in the
    // cell's VPC once the region's endpoint group exists, so it is made here, after that group,
    // in the cell's region (per-resource `region`).
    for (const r of Object.values(regions)) {
        admitGlobalAccelerator(`accelerator-ingress-${r.region}`, {
            region: r.region,
            vpcId: r.vpcId,
            securityGroupId: r.edgeSecurityGroupId,
            endpointGroup: edge.endpointGroups[r.region],
        });
    }
    // S3 REPLICATION (issue #4): source bucket (primary) → replica buckets (secondaries).
    // Ends from the topology's global-data regions and the region stacks' outputs.
    const ends = replicationEnds(
        cfg,
        Object.fromEntries(Object.values(regions).map((r) => [r.region, r.ref])),
    );
    const assets =
        ends.destinations.length > 0
            ? new AssetsReplication("assets-replication", {
                  config: cfg,
                  ...ends,
                  // The replication alarms live in the source bucket's (the primary's) region:
                  // they notify the primary cell's alarm topic, in that region.
                  alarmActions: [primary.requireOutput("alarmTopicArn") as pulumi.Output<string>],
              })
            : undefined;
    // NIGHT MODE (seed 000 design exercise): the scheduled active-passive switch. Its controller
    // runs in the primary region (active at night: config validation), fed every cell's outputs
    // and its Global Accelerator endpoint group.
    const night = cfg.nightMode.enabled
        ? new NightMode("night-mode", {
              config: cfg.nightMode,
              topology: cfg.topology,
              environment: cfg.environment,
              controllerRegion: primaryRegion(cfg.topology).region,
              alarmTopicArn: primary.requireOutput("alarmTopicArn") as pulumi.Output<string>,
              cells: Object.fromEntries(
                  Object.values(regions).map((r) => {
                      const day = r.ref.requireOutput("dayCapacity") as pulumi.Output<{
                          minTasks: number;
                          maxTasks: number;
                      }>;
                      return [
                          r.region,
                          {
                              clusterName: r.ref.requireOutput(
                                  "ecsClusterName",
                              ) as pulumi.Output<string>,
                              serviceName: r.ref.requireOutput(
                                  "ecsServiceName",
                              ) as pulumi.Output<string>,
                              resourceId: r.ref.requireOutput(
                                  "scalableTargetResourceId",
                              ) as pulumi.Output<string>,
                              minTasks: day.minTasks,
                              maxTasks: day.maxTasks,
                              endpointGroupArn: edge.endpointGroups[r.region].arn,
                          },
                      ];
                  }),
              ),
          })
        : undefined;
    // PULUMI DEPLOYMENTS (issue #7): settings, scheduled refresh and drift detection per stack.
    if (deployments.enabled) {
        new PulumiDeployments("deployments", { topology: cfg.topology, settings: deployments });
    }
    return {
        domain: cfg.topology.domain,
        hostedZoneId: zoneId,
        appHostname: edge.appHostname,
        apiHostname: edge.apiHostname,
        failoverHostnames: edge.failoverHostnames,
        residentHostname: edge.residentHostname,
        acceleratorDnsName: edge.acceleratorDnsName,
        acceleratorIps: edge.acceleratorIps,
        distributionId: edge.distributionId,
        healthCheckIds: edge.healthCheckIds,
        originHeaderName: edge.originHeaderName,
        edgeAlarmTopicArn: edge.alarmTopicArn,
        // `npm run ops -- night-mode <action> --spec <file>` reads this (docs/operations.md).
        ...(night ? { nightModeSpec: night.spec, nightModeFunctionName: night.functionName } : {}),
        assetsReplicationRegions: assets?.destinationRegions ?? [],
        regions: Object.fromEntries(
            Object.entries(regions).map(([k, v]) => [
                k,
                { albDnsName: v.albDnsName, albZoneId: v.albZoneId },
            ]),
        ),
    };
}
