/**
 * Monthly cost of the planned resources from the price table (data/prices.json: list prices per
 * region, dated, sources named), per stack and per operating mode:
 *
 * - all active: as planned;
 * - night mode: the controller's spec (the planned NIGHT_MODE_SPEC) drops each drained cell's
 *   task floor for the configured hours;
 * - warm standby / pilot light: every secondary cell in that mode (the program's own capacity
 *   rule, `capacityFor`, applied to the planned quantities), except cells that hold a zone's
 *   resident data, which have no other region to fail over to and stay active.
 *
 * Only fixed charges (per hour or per month) are priced; usage charges are listed as not
 * estimated. Nothing is fetched at plan time.
 */
import { CellConfig, CellMode, capacityFor } from "../../config";
import prices from "./data/prices.json";
import { Obj, PlanIndex, Res, T, byKey, inp, out } from "./model";
import { NightSpec, residentZones } from "./routing";

type RegionPrices = (typeof prices.regions)["us-east-1"];

export interface CostLine {
    stack: string;
    region: string;
    resource: string;
    item: string;
    /** What the quantity counts (tasks, gateways, instances, nodes, keys, ...). */
    quantity: number;
    unit: string;
    /** Price of one unit for a month (USD). */
    unitMonthly: number;
    monthly: number;
    /** `regions.<region>.<key>` or `global.<key>` in prices.json. */
    priceKey: string;
    /** What the mode projection may change: tasks, nat, db, cache. */
    scales?: "tasks" | "nat" | "db" | "cache";
}

export interface StackCost {
    stack: string;
    role: string;
    lines: CostLine[];
    monthly: number;
    /** Resources with a fixed charge the price table has no figure for. */
    missingPrices: string[];
}

export interface ModeCost {
    mode: "all-active" | "night-mode" | "warm-standby" | "pilot-light";
    title: string;
    byStack: Record<string, number>;
    monthly: number;
    notes: string[];
}

export interface CostModel {
    currency: string;
    priceTableAsOf: string;
    hoursPerMonth: number;
    sources: Record<string, string>;
    stacks: StackCost[];
    modes: ModeCost[];
    nightMode?: {
        nightHours: number;
        savingMonthly: number;
        savingPercent: number;
        /** Saving if every non-primary cell ran no tasks at night (the most task-scaling could give). */
        ceilingPercent: number;
        seedClaimPercent: number;
        explanation: string[];
    };
    /** Resource types planned that carry only usage charges (or none): not estimated. */
    usageOnly: string[];
}

const H = prices.hoursPerMonth;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Hours from `start` to `end` (HH:MM, wrapping midnight). */
export function hoursBetween(start: string, end: string): number {
    const m = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
    const d = (m(end) - m(start) + 1440) % 1440;
    return d / 60;
}

/** Task hourly price of a task definition (Fargate vCPU + memory, by architecture). */
export function taskHourly(
    td: Res,
    p: RegionPrices,
): { hourly: number; vcpu: number; gb: number; arm: boolean } {
    const i = inp(td);
    const vcpu = Number(i.cpu) / 1024;
    const gb = Number(i.memory) / 1024;
    const arm = ((i.runtimePlatform ?? {}) as Obj).cpuArchitecture === "ARM64";
    const hourly = arm
        ? vcpu * p.fargateArmVcpuHour + gb * p.fargateArmGbHour
        : vcpu * p.fargateVcpuHour + gb * p.fargateGbHour;
    return { hourly, vcpu, gb, arm };
}

function natCount(vpc: Res): number {
    const i = inp(vpc);
    const strategy = String(((i.natGateways ?? {}) as Obj).strategy ?? "OnePerAz");
    const azs = Number(i.numberOfAvailabilityZones ?? 3);
    return strategy === "OnePerAz" ? azs : strategy === "Single" ? 1 : 0;
}

/** Cost lines of one stack's planned resources. */
export function stackCost(idx: PlanIndex, stack: string, role: string): StackCost {
    const lines: CostLine[] = [];
    const missing: string[] = [];
    const g = prices.global;
    const regionPrices = (region: string): RegionPrices | undefined =>
        (prices.regions as Record<string, RegionPrices>)[region];
    // awsx's Vpc is a component to the plan (its NAT gateways are invisible children): priced from its inputs.
    const mine = idx.all.filter((r) => r.stack === stack && (r.custom || r.type === T.vpc));
    const add = (r: Res, l: Omit<CostLine, "stack" | "region" | "resource" | "monthly">) =>
        lines.push({
            stack,
            region: String(r.region),
            resource: r.name,
            monthly: l.quantity * l.unitMonthly,
            ...l,
        });
    for (const r of mine) {
        const p = regionPrices(String(r.region));
        const needRegion = () => {
            if (!p) missing.push(`${r.type} ${r.name} in ${r.region}: no prices for that region`);
            return p;
        };
        switch (r.type) {
            case T.ecsService: {
                const pr = needRegion();
                const td = idx.ref(inp(r).taskDefinition);
                if (!pr || !td) break;
                const t = taskHourly(td, pr);
                add(r, {
                    item: `Fargate ${t.vcpu} vCPU / ${t.gb} GB${t.arm ? " ARM" : ""} task`,
                    quantity: Number(inp(r).desiredCount ?? 0),
                    unit: "tasks",
                    unitMonthly: t.hourly * H,
                    priceKey: `regions.${r.region}.${t.arm ? "fargateArmVcpuHour+fargateArmGbHour" : "fargateVcpuHour+fargateGbHour"}`,
                    scales: "tasks",
                });
                break;
            }
            case T.lb: {
                const pr = needRegion();
                if (!pr) break;
                add(r, {
                    item: "ALB hours",
                    quantity: 1,
                    unit: "load balancers",
                    unitMonthly: pr.albHour * H,
                    priceKey: `regions.${r.region}.albHour`,
                });
                if (inp(r).internal !== true) {
                    add(r, {
                        item: "public IPv4 addresses (one per subnet)",
                        quantity: ((inp(r).subnets as unknown[]) ?? []).length,
                        unit: "addresses",
                        unitMonthly: pr.publicIpv4Hour * H,
                        priceKey: `regions.${r.region}.publicIpv4Hour`,
                    });
                }
                break;
            }
            case T.vpc: {
                const region = String(
                    r.region === null || r.region === undefined
                        ? idx.plan(stack)?.region
                        : r.region,
                );
                const pr = (prices.regions as Record<string, RegionPrices>)[region];
                if (!pr) {
                    missing.push(`${r.type} ${r.name} in ${region}: no prices for that region`);
                    break;
                }
                const n = natCount(r);
                const at = { ...r, region };
                for (const [item, unit, key] of [
                    ["NAT gateway hours", "gateways", "natGatewayHour"],
                    ["NAT gateway public IPv4", "addresses", "publicIpv4Hour"],
                ] as const) {
                    add(at, {
                        item,
                        quantity: n,
                        unit,
                        unitMonthly: pr[key] * H,
                        priceKey: `regions.${region}.${key}`,
                        scales: "nat",
                    });
                }
                break;
            }
            case T.rdsInstance: {
                const pr = needRegion();
                const cls = String(inp(r).instanceClass);
                const price = pr ? (pr.aurora as Record<string, number>)[cls] : undefined;
                if (pr && price === undefined)
                    missing.push(`${r.name}: no Aurora price for ${cls} in ${r.region}`);
                if (price === undefined) break;
                const cluster = idx
                    .ofType(T.rdsCluster)
                    .find((c) => inp(c).clusterIdentifier === inp(r).clusterIdentifier);
                add(r, {
                    item: `Aurora ${cls} instance`,
                    quantity: 1,
                    unit: "instances",
                    unitMonthly: price * H,
                    priceKey: `regions.${r.region}.aurora.${cls}`,
                    ...(cluster && inp(cluster).globalClusterIdentifier
                        ? { scales: "db" as const }
                        : {}),
                });
                break;
            }
            case T.cacheGroup: {
                const pr = needRegion();
                const i = inp(r);
                // A Global Datastore secondary inherits node type and engine from the primary group.
                const gr = idx
                    .ofType(T.globalCacheGroup)
                    .find(
                        (x) =>
                            (out(x).globalReplicationGroupId ?? x.id) ===
                            i.globalReplicationGroupId,
                    );
                const primary = gr
                    ? idx
                          .ofType(T.cacheGroup)
                          .find(
                              (c) =>
                                  inp(c).replicationGroupId === inp(gr).primaryReplicationGroupId ||
                                  c.id === inp(gr).primaryReplicationGroupId,
                          )
                    : undefined;
                const nodeType = String(i.nodeType ?? (primary && inp(primary).nodeType) ?? "");
                const engine = String(i.engine ?? (primary && inp(primary).engine) ?? "redis");
                const price =
                    pr && engine === "valkey"
                        ? (pr.elasticacheValkey as Record<string, number>)[nodeType]
                        : undefined;
                if (pr && price === undefined)
                    missing.push(
                        `${r.name}: no ElastiCache ${engine} price for ${nodeType || "(node type inherited)"} in ${r.region}`,
                    );
                if (price === undefined) break;
                const nodes = Number(
                    i.numCacheClusters ??
                        Number(i.numNodeGroups ?? 1) * (Number(i.replicasPerNodeGroup ?? 0) + 1),
                );
                add(r, {
                    item: `ElastiCache ${engine} ${nodeType} node`,
                    quantity: nodes,
                    unit: "nodes",
                    unitMonthly: price * H,
                    priceKey: `regions.${r.region}.elasticacheValkey.${nodeType}`,
                    scales: "cache",
                });
                break;
            }
            case T.kmsKey:
            case T.kmsReplicaKey:
                add(r, {
                    item: "KMS key",
                    quantity: 1,
                    unit: "keys",
                    unitMonthly: g.kmsKeyMonth,
                    priceKey: "global.kmsKeyMonth",
                });
                break;
            case T.secret:
                add(r, {
                    item: "Secrets Manager secret",
                    quantity: 1,
                    unit: "secrets",
                    unitMonthly: g.secretMonth,
                    priceKey: "global.secretMonth",
                });
                break;
            case T.alarm:
                add(r, {
                    item: "CloudWatch alarm",
                    quantity: 1,
                    unit: "alarms",
                    unitMonthly: g.cloudwatchAlarmMonth,
                    priceKey: "global.cloudwatchAlarmMonth",
                });
                break;
            case T.healthCheck: {
                const i = inp(r);
                const options = [
                    String(i.type).startsWith("HTTPS"),
                    String(i.type).endsWith("STR_MATCH"),
                    Number(i.requestInterval ?? 30) === 10,
                    i.measureLatency === true,
                ].filter(Boolean).length;
                add(r, {
                    item: `Route 53 health check (${options} optional feature(s))`,
                    quantity: 1,
                    unit: "checks",
                    unitMonthly:
                        g.route53HealthCheckAwsMonth + options * g.route53HealthCheckOptionMonth,
                    priceKey: "global.route53HealthCheckAwsMonth+route53HealthCheckOptionMonth",
                });
                break;
            }
            case T.accelerator:
                add(r, {
                    item: "Global Accelerator fixed fee",
                    quantity: 1,
                    unit: "accelerators",
                    unitMonthly: g.globalAcceleratorHour * H,
                    priceKey: "global.globalAcceleratorHour",
                });
                break;
            case T.webAcl: {
                const rules = ((inp(r).rules as unknown[]) ?? []).length;
                add(r, {
                    item: `WAF web ACL with ${rules} rule(s)`,
                    quantity: 1,
                    unit: "web ACLs",
                    unitMonthly: g.wafWebAclMonth + rules * g.wafRuleMonth,
                    priceKey: "global.wafWebAclMonth+wafRuleMonth",
                });
                break;
            }
        }
    }
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

/** A stack's monthly cost with its cell in `mode` (quantities from the program's capacity rule). */
export function projectMode(
    cost: StackCost,
    cell: CellConfig,
    role: "primary" | "secondary",
    mode: CellMode,
): number {
    const cap = capacityFor({ ...cell, mode }, role);
    // The planned instance count of the global member is per cluster; the projection keeps the
    // number of clusters and sets instances per cluster.
    const dbLines = cost.lines.filter((l) => l.scales === "db");
    const perLine = (l: CostLine): number => {
        switch (l.scales) {
            case "tasks":
                return cap.minTasks * l.unitMonthly;
            case "nat":
                return cap.natGateways * l.unitMonthly;
            case "cache":
                return cap.cacheNodes * l.unitMonthly;
            case "db":
                // One line per instance: keep the first `dbInstances` of them.
                return dbLines.indexOf(l) < cap.dbInstances ? l.unitMonthly : 0;
            default:
                return l.monthly;
        }
    };
    return round2(cost.lines.reduce((a, l) => a + perLine(l), 0));
}

export interface CostInputs {
    /** Per region stack: its role and validated cell config. */
    cells: Record<string, { role: "primary" | "secondary"; cell: CellConfig }>;
    /** Stack → role, for every stack. */
    roles: Record<string, string>;
    night?: NightSpec;
}

export function costModel(idx: PlanIndex, inputs: CostInputs): CostModel {
    const stacks = idx.plans.map((p) => stackCost(idx, p.stack, inputs.roles[p.stack] ?? p.role));
    const allActive = Object.fromEntries(stacks.map((s) => [s.stack, s.monthly]));
    const total = (m: Record<string, number>) =>
        round2(Object.values(m).reduce((a, b) => a + b, 0));
    const modes: ModeCost[] = [
        {
            mode: "all-active",
            title: "all active (as planned)",
            byStack: allActive,
            monthly: total(allActive),
            notes: [],
        },
    ];
    const stackOfRegion = (region: string) =>
        stacks.find((s) => idx.plan(s.stack)?.region === region && inputs.cells[s.stack]);
    const resident = residentZones(idx);
    const kept = new Set(Object.values(resident).flat());
    let night: CostModel["nightMode"];
    if (inputs.night) {
        const n = inputs.night;
        const hours = hoursBetween(n.nightStart, n.dayStart);
        const byStack = { ...allActive };
        let saving = 0;
        let ceiling = 0;
        const drained: string[] = [];
        for (const c of n.cells) {
            const s = stackOfRegion(c.region);
            const task = s?.lines.find((l) => l.scales === "tasks");
            if (!s || !task) continue;
            if (inputs.cells[s.stack].role !== "primary") ceiling += task.monthly * (hours / 24);
            if (c.role !== "drain") continue;
            const cut = (c.day.min - c.night.min) * task.unitMonthly * (hours / 24);
            byStack[s.stack] = round2(byStack[s.stack] - cut);
            saving += cut;
            drained.push(`${c.region} (${c.day.min} → ${c.night.min} tasks)`);
        }
        const all = total(allActive);
        const kept2 = n.cells
            .filter((c) => c.role === "keep")
            .map((c) => `${c.region} (${c.reason ?? "kept"})`);
        const pct = all > 0 ? Math.round((saving / all) * 10000) / 100 : 0;
        const seedClaim = 50;
        night = {
            nightHours: hours,
            savingMonthly: round2(saving),
            savingPercent: pct,
            ceilingPercent: all > 0 ? Math.round((ceiling / all) * 10000) / 100 : 0,
            seedClaimPercent: seedClaim,
            explanation: [
                `Night mode (${n.nightStart}–${n.dayStart} ${n.timezone}, ${hours} h a day) lowers only the task floor of drained cells: ${drained.join(", ") || "none"}; saving ${round2(saving)} USD/month, ${pct} % of the all-active total, against seed 000's claimed ${seedClaim} %.`,
                `Kept serving at full floor: ${kept2.join("; ") || "none"}. Resident data of a zone lives only in its region, so that cell has nowhere to drain to.`,
                "ALBs, NAT gateways, Aurora and ElastiCache are billed per hour whether traffic flows or not, and the design keeps them at night (the drained region must take traffic back within the day flip's readiness timeout and keep replicating): only Fargate tasks scale.",
                `Seed 000's table halves ECS, ALB and NAT for the whole month although its own note says night lasts 8 hours (its schedule, 22:00–08:00, is ${hours}): switching every non-primary cell's tasks off at night would still save at most ${all > 0 ? Math.round((ceiling / all) * 10000) / 100 : 0} % here.`,
            ],
        };
        modes.push({
            mode: "night-mode",
            title: `night mode for ${hours} h a day`,
            byStack,
            monthly: total(byStack),
            notes: night.explanation.slice(0, 2),
        });
    }
    for (const mode of ["warm-standby", "pilot-light"] as const) {
        const byStack = { ...allActive };
        const notes: string[] = [];
        for (const s of stacks) {
            const c = inputs.cells[s.stack];
            if (!c || c.role === "primary") continue;
            const region = String(idx.plan(s.stack)?.region);
            if (kept.has(region)) {
                notes.push(
                    `${s.stack} stays active: it holds resident data of zone ${Object.keys(resident).find((z) => resident[z].includes(region))}, which no other region may serve`,
                );
                continue;
            }
            byStack[s.stack] = projectMode(s, c.cell, c.role, mode);
        }
        modes.push({
            mode,
            title:
                mode === "warm-standby"
                    ? "warm standby (secondaries scaled down, serving)"
                    : "pilot light (secondaries: data tier only, no tasks)",
            byStack,
            monthly: total(byStack),
            notes: [
                `secondary cells in ${mode} per the program's capacity rule (config.ts capacityFor); the primary stays active`,
                ...notes,
            ],
        });
    }
    const priced = new Set<string>([
        T.ecsService,
        T.lb,
        T.vpc,
        T.rdsInstance,
        T.cacheGroup,
        T.kmsKey,
        T.kmsReplicaKey,
        T.secret,
        T.alarm,
        T.healthCheck,
        T.accelerator,
        T.webAcl,
    ]);
    const usageOnly = [
        ...new Set(idx.all.filter((r) => r.custom && !priced.has(r.type)).map((r) => r.type)),
    ].sort();
    return {
        currency: prices.currency,
        priceTableAsOf: prices.asOf,
        hoursPerMonth: H,
        sources: prices.sources,
        stacks,
        modes,
        ...(night ? { nightMode: night } : {}),
        usageOnly,
    };
}
