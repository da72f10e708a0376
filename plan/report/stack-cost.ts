/**
 * The cost lines of one stack's planned resources: one pricer per priced resource type, each
 * reading the resource's inputs (and the resources it refers to) against the price table.
 */
import prices from "./data/prices.json";
import { CostLine, RegionPrices, StackCost, taskHourly } from "./cost-lines";
import { Obj, PlanIndex, Res, T, byKey, inp, out } from "./model";

const H = prices.hoursPerMonth;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** What a pricer works with. */
interface Pricing {
    idx: PlanIndex;
    stack: string;
    /** Adds a cost line for `r`. */
    add(r: Res, l: Omit<CostLine, "stack" | "region" | "resource" | "monthly">): void;
    /** Notes a fixed charge the price table has no figure for. */
    missing(what: string): void;
    /** The prices of `r`'s region, or undefined (noted as missing). */
    needRegion(r: Res): RegionPrices | undefined;
}

const regionPrices = (region: string): RegionPrices | undefined =>
    (prices.regions as Record<string, RegionPrices>)[region];

function natCount(vpc: Res): number {
    const i = inp(vpc);
    const strategy = String(((i.natGateways ?? {}) as Obj).strategy ?? "OnePerAz");
    const azs = Number(i.numberOfAvailabilityZones ?? 3);
    return strategy === "OnePerAz" ? azs : strategy === "Single" ? 1 : 0;
}

/** A fixed monthly charge from the global prices. */
const flat =
    (item: string, unit: string, key: keyof typeof prices.global) => (r: Res, c: Pricing) =>
        c.add(r, {
            item,
            quantity: 1,
            unit,
            unitMonthly: prices.global[key],
            priceKey: `global.${key}`,
        });

function ecsService(r: Res, c: Pricing): void {
    const pr = c.needRegion(r);
    const td = c.idx.ref(inp(r).taskDefinition);
    if (!pr || !td) return;
    const t = taskHourly(td, pr);
    c.add(r, {
        item: `Fargate ${t.vcpu} vCPU / ${t.gb} GB${t.arm ? " ARM" : ""} task`,
        quantity: Number(inp(r).desiredCount ?? 0),
        unit: "tasks",
        unitMonthly: t.hourly * H,
        priceKey: `regions.${r.region}.${t.arm ? "fargateArmVcpuHour+fargateArmGbHour" : "fargateVcpuHour+fargateGbHour"}`,
        scales: "tasks",
    });
}

function loadBalancer(r: Res, c: Pricing): void {
    const pr = c.needRegion(r);
    if (!pr) return;
    c.add(r, {
        item: "ALB hours",
        quantity: 1,
        unit: "load balancers",
        unitMonthly: pr.albHour * H,
        priceKey: `regions.${r.region}.albHour`,
    });
    if (inp(r).internal !== true) {
        c.add(r, {
            item: "public IPv4 addresses (one per subnet)",
            quantity: ((inp(r).subnets as unknown[]) ?? []).length,
            unit: "addresses",
            unitMonthly: pr.publicIpv4Hour * H,
            priceKey: `regions.${r.region}.publicIpv4Hour`,
        });
    }
}

/** awsx's Vpc is a component to the plan (its NAT gateways are invisible children): priced from its inputs. */
function vpc(r: Res, c: Pricing): void {
    const region = String(
        r.region === null || r.region === undefined ? c.idx.plan(c.stack)?.region : r.region,
    );
    const pr = regionPrices(region);
    if (!pr) {
        c.missing(`${r.type} ${r.name} in ${region}: no prices for that region`);
        return;
    }
    const n = natCount(r);
    const at = { ...r, region };
    for (const [item, unit, key] of [
        ["NAT gateway hours", "gateways", "natGatewayHour"],
        ["NAT gateway public IPv4", "addresses", "publicIpv4Hour"],
    ] as const) {
        c.add(at, {
            item,
            quantity: n,
            unit,
            unitMonthly: pr[key] * H,
            priceKey: `regions.${region}.${key}`,
            scales: "nat",
        });
    }
}

function auroraInstance(r: Res, c: Pricing): void {
    const pr = c.needRegion(r);
    const cls = String(inp(r).instanceClass);
    const price = pr ? (pr.aurora as Record<string, number>)[cls] : undefined;
    if (pr && price === undefined)
        c.missing(`${r.name}: no Aurora price for ${cls} in ${r.region}`);
    if (price === undefined) return;
    const cluster = c.idx
        .ofType(T.rdsCluster)
        .find((x) => inp(x).clusterIdentifier === inp(r).clusterIdentifier);
    c.add(r, {
        item: `Aurora ${cls} instance`,
        quantity: 1,
        unit: "instances",
        unitMonthly: price * H,
        priceKey: `regions.${r.region}.aurora.${cls}`,
        ...(cluster && inp(cluster).globalClusterIdentifier ? { scales: "db" as const } : {}),
    });
}

function cacheGroup(r: Res, c: Pricing): void {
    const pr = c.needRegion(r);
    const i = inp(r);
    // A Global Datastore secondary inherits node type and engine from the primary group.
    const gr = c.idx
        .ofType(T.globalCacheGroup)
        .find((x) => (out(x).globalReplicationGroupId ?? x.id) === i.globalReplicationGroupId);
    const primary = gr
        ? c.idx
              .ofType(T.cacheGroup)
              .find(
                  (x) =>
                      inp(x).replicationGroupId === inp(gr).primaryReplicationGroupId ||
                      x.id === inp(gr).primaryReplicationGroupId,
              )
        : undefined;
    const nodeType = String(i.nodeType ?? (primary && inp(primary).nodeType) ?? "");
    const engine = String(i.engine ?? (primary && inp(primary).engine) ?? "redis");
    const price =
        pr && engine === "valkey"
            ? (pr.elasticacheValkey as Record<string, number>)[nodeType]
            : undefined;
    if (pr && price === undefined)
        c.missing(
            `${r.name}: no ElastiCache ${engine} price for ${nodeType || "(node type inherited)"} in ${r.region}`,
        );
    if (price === undefined) return;
    const nodes = Number(
        i.numCacheClusters ??
            Number(i.numNodeGroups ?? 1) * (Number(i.replicasPerNodeGroup ?? 0) + 1),
    );
    c.add(r, {
        item: `ElastiCache ${engine} ${nodeType} node`,
        quantity: nodes,
        unit: "nodes",
        unitMonthly: price * H,
        priceKey: `regions.${r.region}.elasticacheValkey.${nodeType}`,
        scales: "cache",
    });
}

function healthCheck(r: Res, c: Pricing): void {
    const g = prices.global;
    const i = inp(r);
    const options = [
        String(i.type).startsWith("HTTPS"),
        String(i.type).endsWith("STR_MATCH"),
        Number(i.requestInterval ?? 30) === 10,
        i.measureLatency === true,
    ].filter(Boolean).length;
    c.add(r, {
        item: `Route 53 health check (${options} optional feature(s))`,
        quantity: 1,
        unit: "checks",
        unitMonthly: g.route53HealthCheckAwsMonth + options * g.route53HealthCheckOptionMonth,
        priceKey: "global.route53HealthCheckAwsMonth+route53HealthCheckOptionMonth",
    });
}

function accelerator(r: Res, c: Pricing): void {
    c.add(r, {
        item: "Global Accelerator fixed fee",
        quantity: 1,
        unit: "accelerators",
        unitMonthly: prices.global.globalAcceleratorHour * H,
        priceKey: "global.globalAcceleratorHour",
    });
}

function webAcl(r: Res, c: Pricing): void {
    const g = prices.global;
    const rules = ((inp(r).rules as unknown[]) ?? []).length;
    c.add(r, {
        item: `WAF web ACL with ${rules} rule(s)`,
        quantity: 1,
        unit: "web ACLs",
        unitMonthly: g.wafWebAclMonth + rules * g.wafRuleMonth,
        priceKey: "global.wafWebAclMonth+wafRuleMonth",
    });
}

/** The priced resource types; anything else has no fixed charge the report counts. */
const PRICERS: Record<string, (r: Res, c: Pricing) => void> = {
    [T.ecsService]: ecsService,
    [T.lb]: loadBalancer,
    [T.vpc]: vpc,
    [T.rdsInstance]: auroraInstance,
    [T.cacheGroup]: cacheGroup,
    [T.kmsKey]: flat("KMS key", "keys", "kmsKeyMonth"),
    [T.kmsReplicaKey]: flat("KMS key", "keys", "kmsKeyMonth"),
    [T.secret]: flat("Secrets Manager secret", "secrets", "secretMonth"),
    [T.alarm]: flat("CloudWatch alarm", "alarms", "cloudwatchAlarmMonth"),
    [T.healthCheck]: healthCheck,
    [T.accelerator]: accelerator,
    [T.webAcl]: webAcl,
};

/** Cost lines of one stack's planned resources. */
export function stackCost(idx: PlanIndex, stack: string, role: string): StackCost {
    const lines: CostLine[] = [];
    const missing: string[] = [];
    const pricing: Pricing = {
        idx,
        stack,
        add: (r, l) =>
            lines.push({
                stack,
                region: String(r.region),
                resource: r.name,
                monthly: l.quantity * l.unitMonthly,
                ...l,
            }),
        missing: (what) => missing.push(what),
        needRegion: (r) => {
            const p = regionPrices(String(r.region));
            if (!p) missing.push(`${r.type} ${r.name} in ${r.region}: no prices for that region`);
            return p;
        },
    };
    // awsx's Vpc is a component to the plan (its NAT gateways are invisible children).
    const mine = idx.all.filter((r) => r.stack === stack && (r.custom || r.type === T.vpc));
    for (const r of mine) PRICERS[r.type]?.(r, pricing);
    lines.sort(byKey((l) => `${l.region}|${l.item}|${l.resource}`));
    for (const l of lines) {
        l.unitMonthly = round2(l.unitMonthly);
        l.monthly = round2(l.monthly);
    }
    return {
        stack,
        role,
        lines,
        monthly: round2(lines.reduce((a, l) => a + l.monthly, 0)),
        missingPrices: missing.sort(),
    };
}
