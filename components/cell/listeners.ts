/**
 * The ALB's listeners, one trust domain per port (docs/architecture.md, "Who reaches a cell's
 * ALB"): 443 refuses by default and forwards only the health path and requests carrying the
 * origin secret; 8443 (Global Accelerator's security group only) forwards; 80 only redirects.
 * Outside the edge's residency region both HTTPS listeners first refuse a request tagged for it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GA_ENDPOINT_PORT, ORIGIN_VERIFY_HEADER, RESIDENCY_HEADER, TLS_POLICY } from "./constants";
import { CellContext, childOf } from "./context";
import { LoadBalancer } from "./load-balancer";

export interface Listeners {
    /** 443: CloudFront (with the origin secret) and the Route 53 health checkers. */
    https: aws.lb.Listener;
    /** 8443: Global Accelerator. */
    accelerated: aws.lb.Listener;
    /** 443's rule forwarding the health path (all the Route 53 health checkers may see). */
    health: aws.lb.ListenerRule;
}

export interface ListenerArgs {
    certificateArn: pulumi.Output<string>;
    healthCheckPath: string;
    originVerifySecret: pulumi.Input<string>;
    edgeResidency: { zone: string; region: string };
}

/** A 403 with a JSON body naming the rule that refused the request. */
const refuse = (rule: string, body: Record<string, string>) => [
    {
        type: "fixed-response",
        fixedResponse: {
            statusCode: "403",
            contentType: "application/json",
            messageBody: JSON.stringify({ error: "forbidden", rule, ...body }),
        },
    },
];

/** The three listeners and the 443 listener's rules. */
export function listeners(ctx: CellContext, lb: LoadBalancer, args: ListenerArgs): Listeners {
    const p = childOf(ctx);
    const forward = [{ type: "forward", targetGroupArn: lb.targetGroup.arn }];
    const https = new aws.lb.Listener(
        `${ctx.name}-https`,
        {
            loadBalancerArn: lb.alb.arn,
            protocol: "HTTPS",
            port: 443,
            sslPolicy: TLS_POLICY,
            certificateArn: args.certificateArn,
            // Anyone's CloudFront distribution and anyone's Route 53 health check can open a
            // connection to 443: what the rules below do not recognise is refused.
            defaultActions: refuse("origin-verify", {
                message: `requests on this port must come through the TaskFlow edge (${ORIGIN_VERIFY_HEADER})`,
            }),
            tags: ctx.tags,
        },
        p,
    );
    const accelerated = new aws.lb.Listener(
        `${ctx.name}-ga-https`,
        {
            loadBalancerArn: lb.alb.arn,
            protocol: "HTTPS",
            port: GA_ENDPOINT_PORT,
            sslPolicy: TLS_POLICY,
            certificateArn: args.certificateArn,
            // Only Global Accelerator's security group is admitted on this port (the global
            // stack's admitGlobalAccelerator rule): its packets need no header.
            defaultActions: forward,
            tags: ctx.tags,
        },
        p,
    );
    residencyRules(ctx, { https, accelerated }, args.edgeResidency);
    // Route 53 health checkers send no header; they may see the health path only.
    const health = new aws.lb.ListenerRule(
        `${ctx.name}-https-health`,
        {
            listenerArn: https.arn,
            priority: 20,
            conditions: [{ pathPattern: { values: [args.healthCheckPath] } }],
            actions: forward,
            tags: ctx.tags,
        },
        p,
    );
    new aws.lb.ListenerRule(
        `${ctx.name}-https-origin-verify`,
        {
            listenerArn: https.arn,
            priority: 30,
            conditions: [
                {
                    httpHeader: {
                        httpHeaderName: ORIGIN_VERIFY_HEADER,
                        values: [pulumi.secret(args.originVerifySecret)],
                    },
                },
            ],
            actions: forward,
            tags: ctx.tags,
        },
        p,
    );
    // No security group admits port 80, so this listener is unreachable by design; it stays
    // as defence in depth (should a rule ever open 80, plain HTTP still only redirects).
    new aws.lb.Listener(
        `${ctx.name}-http-redirect`,
        {
            loadBalancerArn: lb.alb.arn,
            protocol: "HTTP",
            port: 80,
            defaultActions: [
                {
                    type: "redirect",
                    redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
                },
            ],
            tags: ctx.tags,
        },
        p,
    );
    return { https, accelerated, health };
}

/**
 * Fail closed on residency: a request the edge router tagged for the residency region is refused
 * in every other region, on both HTTPS listeners, before any forward rule.
 */
function residencyRules(
    ctx: CellContext,
    { https, accelerated }: Pick<Listeners, "https" | "accelerated">,
    resident: { zone: string; region: string },
): void {
    const { region } = ctx;
    if (region === resident.region) return;
    for (const [role, listener] of [
        ["https", https],
        ["ga-https", accelerated],
    ] as const) {
        new aws.lb.ListenerRule(
            `${ctx.name}-${role}-residency`,
            {
                listenerArn: listener.arn,
                priority: 10,
                conditions: [
                    {
                        httpHeader: {
                            httpHeaderName: RESIDENCY_HEADER,
                            values: [resident.region],
                        },
                    },
                ],
                actions: refuse("data-residency-fail-closed", {
                    error: "data_residency_violation",
                    message: `requests tagged ${RESIDENCY_HEADER}: ${resident.region} (zone ${resident.zone}) are served only in ${resident.region}, not ${region}`,
                    requiredRegion: resident.region,
                    region,
                }),
                tags: ctx.tags,
            },
            childOf(ctx),
        );
    }
}
