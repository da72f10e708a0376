/**
 * The API's DNS (plan.ts draws it): each region's failover pair, night mode's gates, the
 * resident name (no failover), the latency set and the geolocation records, each set depending
 * on the names it aliases.
 */
import * as aws from "@pulumi/aws";
import { GATE_ALARM, GATE_INSUFFICIENT_DATA } from "../../model/night-gate";
import { GATE_METRIC, GATE_NAMESPACE } from "../../model/night-mode";
import { TAG } from "../../model/tags";
import { EdgeContext, childOf } from "./context";

/** The records that the next layer aliases. */
export interface ApiRecords {
    failover: aws.route53.Record[];
    gates: aws.route53.Record[];
    /** Gated region → the gate's Route 53 health check (night mode's drained regions only). */
    gateChecks: Record<string, aws.route53.HealthCheck>;
    resident: aws.route53.Record;
}

/** Every API record: failover pairs, gates, resident, latency, geolocation. */
export function apiRecords(
    ctx: EdgeContext,
    checks: Record<string, aws.route53.HealthCheck>,
): ApiRecords {
    const failover = failoverRecords(ctx, checks);
    const { records: gates, checks: gateChecks } = gateRecords(ctx, failover);
    const resident = residentRecord(ctx);
    const latency = latencyRecords(ctx, [...failover, ...gates]);
    geolocationRecords(ctx, [...failover, ...gates, ...latency]);
    return { failover, gates, gateChecks, resident };
}

/** An alias to a region's ALB. */
function albAlias(ctx: EdgeContext, region: string, evaluateTargetHealth = true) {
    const ep = ctx.args.regions[region];
    return [{ name: ep.albDnsName, zoneId: ep.albZoneId, evaluateTargetHealth }];
}

/** `<region>.api.<domain>`: PRIMARY the region's ALB, SECONDARY its failover partner's. */
function failoverRecords(
    ctx: EdgeContext,
    checks: Record<string, aws.route53.HealthCheck>,
): aws.route53.Record[] {
    const records: aws.route53.Record[] = [];
    for (const r of ctx.args.topology.regions) {
        const [primary, secondary] = ctx.plan.failoverPairs[r.region];
        for (const [role, target] of [
            ["PRIMARY", primary],
            ["SECONDARY", secondary],
        ] as const) {
            records.push(
                new aws.route53.Record(
                    `${ctx.name}-failover-${r.region}-${role.toLowerCase()}`,
                    {
                        zoneId: ctx.zoneId,
                        name: ctx.plan.failoverNames[r.region],
                        type: "A",
                        setIdentifier: `${r.region}-${role.toLowerCase()}`,
                        failoverRoutingPolicies: [{ type: role }],
                        healthCheckId: checks[target].id,
                        aliases: albAlias(ctx, target),
                    },
                    childOf(ctx),
                ),
            );
        }
    }
    return records;
}

/**
 * Night mode's DNS gates. The controller publishes TaskFlow/NightMode Drained (1 at night, 0 by
 * day) for each drained region, once per flip; the alarm turns it into a Route 53 health check on
 * the gate's PRIMARY. Route 53 reads the alarm's data stream, not its state, so between flips the
 * check has insufficient data and keeps its last known status (model/night-gate.ts); a check
 * that never had data is healthy: the gate is open until the first night flip.
 */
function gateRecords(
    ctx: EdgeContext,
    failover: aws.route53.Record[],
): { records: aws.route53.Record[]; checks: Record<string, aws.route53.HealthCheck> } {
    const { plan } = ctx;
    const records: aws.route53.Record[] = [];
    const checks: Record<string, aws.route53.HealthCheck> = {};
    for (const [region, [gateName, target]] of Object.entries(plan.gates)) {
        const gateAlarm = new aws.cloudwatch.MetricAlarm(
            `${ctx.name}-night-gate-${region}`,
            {
                region: plan.edgeRegion,
                name: `${ctx.prefix}-night-gate-${region}`,
                alarmDescription: `Night mode: ${region} is drained (its DNS names answer with ${target}) while in ALARM. Not an incident; the controller sets it.`,
                namespace: GATE_NAMESPACE,
                metricName: GATE_METRIC,
                dimensions: { Environment: ctx.environment, Region: region },
                statistic: GATE_ALARM.statistic,
                period: GATE_ALARM.periodSeconds,
                evaluationPeriods: GATE_ALARM.evaluationPeriods,
                threshold: GATE_ALARM.threshold,
                comparisonOperator: GATE_ALARM.comparisonOperator,
                // The alarm's own state (console, history) holds between flips too; Route 53
                // does not read it (see above).
                treatMissingData: "ignore",
                tags: { ...ctx.tags, [TAG.region]: region },
            },
            ctx.edge,
        );
        const gateCheck = new aws.route53.HealthCheck(
            `${ctx.name}-night-gate-${region}-check`,
            {
                type: "CLOUDWATCH_METRIC",
                cloudwatchAlarmName: gateAlarm.name,
                cloudwatchAlarmRegion: plan.edgeRegion,
                insufficientDataHealthStatus: GATE_INSUFFICIENT_DATA,
                tags: {
                    ...ctx.tags,
                    [TAG.region]: region,
                    Name: `${ctx.prefix}-${region}-night-gate`,
                },
            },
            childOf(ctx),
        );
        checks[region] = gateCheck;
        for (const [role, alias, check] of [
            ["PRIMARY", plan.failoverNames[region], gateCheck.id],
            ["SECONDARY", plan.failoverNames[target], undefined],
        ] as const) {
            records.push(
                new aws.route53.Record(
                    `${ctx.name}-gate-${region}-${role.toLowerCase()}`,
                    {
                        zoneId: ctx.zoneId,
                        name: gateName,
                        type: "A",
                        setIdentifier: `${region}-gate-${role.toLowerCase()}`,
                        failoverRoutingPolicies: [{ type: role }],
                        ...(check ? { healthCheckId: check } : {}),
                        aliases: [{ name: alias, zoneId: ctx.zoneId, evaluateTargetHealth: true }],
                    },
                    { parent: ctx.parent, dependsOn: failover },
                ),
            );
        }
    }
    return { records, checks };
}

/** The resident (zone-only) origin: a simple record, deliberately without failover. */
function residentRecord(ctx: EdgeContext): aws.route53.Record {
    return new aws.route53.Record(
        `${ctx.name}-resident`,
        {
            zoneId: ctx.zoneId,
            name: ctx.plan.residentName,
            type: "A",
            // No alternative answer exists, so evaluating target health would change nothing:
            // when the residency region is down these requests fail, by design.
            aliases: albAlias(ctx, ctx.plan.residencyRegion, false),
        },
        childOf(ctx),
    );
}

/** The latency set over every region's routed name (its gate, or its failover name). */
function latencyRecords(ctx: EdgeContext, aliased: aws.route53.Record[]): aws.route53.Record[] {
    return ctx.args.topology.regions.map(
        (r) =>
            new aws.route53.Record(
                `${ctx.name}-latency-${r.region}`,
                {
                    zoneId: ctx.zoneId,
                    name: ctx.plan.latencyName,
                    type: "A",
                    setIdentifier: `latency-${r.region}`,
                    latencyRoutingPolicies: [{ region: r.region }],
                    aliases: [
                        {
                            name: ctx.plan.routedNames[r.region],
                            zoneId: ctx.zoneId,
                            evaluateTargetHealth: true,
                        },
                    ],
                },
                { parent: ctx.parent, dependsOn: aliased },
            ),
    );
}

/** Geolocation on the API name: each claimed location, and the default to the latency set. */
function geolocationRecords(ctx: EdgeContext, aliased: aws.route53.Record[]): void {
    for (const g of ctx.plan.geo) {
        new aws.route53.Record(
            `${ctx.name}-${g.setIdentifier}`,
            {
                zoneId: ctx.zoneId,
                name: ctx.plan.apiName,
                type: "A",
                setIdentifier: g.setIdentifier,
                geolocationRoutingPolicies: [g.location],
                aliases: [{ name: g.target, zoneId: ctx.zoneId, evaluateTargetHealth: true }],
            },
            { parent: ctx.parent, dependsOn: aliased },
        );
    }
}
