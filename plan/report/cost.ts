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
import { PlanIndex, T } from "./model";
import { CostLine, StackCost } from "./cost-lines";
import { NightSpec, residentZones } from "./routing";

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

import { stackCost } from "./stack-cost";

export { stackCost } from "./stack-cost";
export { taskHourly, type CostLine, type RegionPrices, type StackCost } from "./cost-lines";

/** Hours from `start` to `end` (HH:MM, wrapping midnight). */
export function hoursBetween(start: string, end: string): number {
    const m = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
    const d = (m(end) - m(start) + 1440) % 1440;
    return d / 60;
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
