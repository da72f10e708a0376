/**
 * Global Accelerator (its API in us-west-2): static anycast IPs, TCP 443, one endpoint group per
 * region targeting the region's ALB on its own listener, 8443.
 */
import * as aws from "@pulumi/aws";
import { GA_ENDPOINT_PORT } from "../cell/constants";
import { EdgeContext, childOf } from "./context";

export interface Accelerator {
    accelerator: aws.globalaccelerator.Accelerator;
    /** Region → its endpoint group. */
    endpointGroups: Record<string, aws.globalaccelerator.EndpointGroup>;
}

export function accelerator(ctx: EdgeContext): Accelerator {
    const acc = new aws.globalaccelerator.Accelerator(
        `${ctx.name}-accelerator`,
        { name: ctx.prefix, ipAddressType: "IPV4", enabled: true, tags: ctx.tags },
        ctx.accel,
    );
    // TCP 443 only. Port 80 is not offered: the ALBs admit GA on 8443 only, so their HTTP
    // redirect listener would be unreachable through the accelerator anyway.
    const listener = new aws.globalaccelerator.Listener(
        `${ctx.name}-accelerator-tcp`,
        {
            acceleratorArn: acc.id,
            protocol: "TCP",
            clientAffinity: "NONE",
            portRanges: [{ fromPort: 443, toPort: 443 }],
        },
        ctx.accel,
    );
    const endpointGroups: Record<string, aws.globalaccelerator.EndpointGroup> = {};
    for (const r of ctx.args.topology.regions) {
        endpointGroups[r.region] = new aws.globalaccelerator.EndpointGroup(
            `${ctx.name}-accelerator-${r.region}`,
            {
                listenerArn: listener.id,
                endpointGroupRegion: r.region,
                // Clients connect to 443; the ALB serves GA on its own listener, 8443, which
                // only GA's security group may reach (separate trust domain from CloudFront's 443).
                portOverrides: [{ listenerPort: 443, endpointPort: GA_ENDPOINT_PORT }],
                // No health-check settings: for ALB endpoints Global Accelerator ignores them
                // and uses the load balancer's own target health (the target group's /health
                // check), so setting them here would only suggest a check that never runs.
                // https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoint-groups-health-check-options.html
                trafficDialPercentage: 100,
                endpointConfigurations: [
                    {
                        endpointId: ctx.args.regions[r.region].albArn,
                        weight: 100,
                        clientIpPreservationEnabled: true,
                    },
                ],
            },
            // Night mode's controller turns a drained region's dial at runtime; the program
            // must not turn it back. Every other dial is the program's (100): when a region
            // stops being drained, the controller's day flip and its `restore` (night mode
            // removed) reopen the dial, and `pulumi up --refresh` would too.
            ctx.plan.gates[r.region]
                ? { ...ctx.accel, ignoreChanges: ["trafficDialPercentage"] }
                : ctx.accel,
        );
    }
    // The direct API clients' entry point: static anycast IPs under a name of its own, distinct
    // from CloudFront's origin names (which the cells' 443 listeners refuse to clients).
    // Route 53 alias to an accelerator:
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-global-acc.html
    new aws.route53.Record(
        `${ctx.name}-accelerator-api`,
        {
            zoneId: ctx.zoneId,
            name: ctx.plan.acceleratorApiName,
            type: "A",
            aliases: [{ name: acc.dnsName, zoneId: acc.hostedZoneId, evaluateTargetHealth: false }],
        },
        childOf(ctx),
    );
    return { accelerator: acc, endpointGroups };
}
