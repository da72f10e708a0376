/**
 * The global (edge) stack, deployed last, in us-east-1: EdgeRouting fed by every region stack's
 * ALB outputs, the replication glue that needs both ends to exist (S3 replication), cross-region
 * dashboards, and Pulumi Deployments settings when enabled.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig, stackRefName } from "../config";
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
    /** The whole output map, for wiring that needs more (e.g. bucket names). */
    ref: pulumi.StackReference;
}

export function composeGlobal(cfg: StackConfig): StackOutputs {
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
            ref,
        };
    }
    // EDGE ROUTING (issue #5): new EdgeRouting("edge", { config: cfg, regions, hostedZoneId: zoneId, ... }).
    // S3 REPLICATION (issue #4): source bucket (primary) → replica buckets (secondaries).
    // PULUMI DEPLOYMENTS (issue #7): when cfg.deployments?.enabled.
    return {
        domain: cfg.topology.domain,
        hostedZoneId: zoneId,
        regions: Object.fromEntries(
            Object.entries(regions).map(([k, v]) => [
                k,
                { albDnsName: v.albDnsName, albZoneId: v.albZoneId },
            ]),
        ),
    };
}
