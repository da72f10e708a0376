/** One line of the cost model: what is priced, how many, at which list price. */
import prices from "./data/prices.json";
import { Obj, Res, inp } from "./model";

export type RegionPrices = (typeof prices.regions)["us-east-1"];

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
