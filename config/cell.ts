/** The cell sizing keys (`taskflow:cellMode`, `minTasks`, ...) and what a cell's mode gives. */
import { CELL_MODES, CellCapacity } from "../model/cell";
import { Collector } from "./errors";
import { DEFAULTS, NS } from "./keys";
import { CellConfig, RawConfig } from "./types";
import { asInt, intIn, oneOf } from "./values";

/** Fargate task sizes: CPU units → allowed memory (MiB) range and step. */
export const FARGATE_SIZES: Readonly<Record<number, { min: number; max: number; step: number }>> = {
    256: { min: 512, max: 2048, step: 512 },
    512: { min: 1024, max: 4096, step: 1024 },
    1024: { min: 2048, max: 8192, step: 1024 },
    2048: { min: 4096, max: 16384, step: 1024 },
    4096: { min: 8192, max: 30720, step: 1024 },
    8192: { min: 16384, max: 61440, step: 4096 },
    16384: { min: 32768, max: 122880, step: 8192 },
};

/**
 * Effective capacity of a cell in its mode. The mode changes capacity only: task counts, NAT
 * gateways, database and cache instance counts.
 */
export function capacityFor(cell: CellConfig, role: "primary" | "secondary"): CellCapacity {
    switch (cell.mode) {
        case "active":
            return {
                minTasks: cell.minTasks,
                maxTasks: cell.maxTasks,
                natGateways: 3,
                dbInstances: 2,
                cacheNodes: 2,
            };
        case "warm-standby":
            return {
                minTasks: cell.standbyTasks,
                maxTasks: cell.maxTasks,
                natGateways: 1,
                dbInstances: 1,
                cacheNodes: 1,
            };
        case "pilot-light":
            // The primary always keeps a writer; a secondary Aurora member may be headless.
            return {
                minTasks: 0,
                maxTasks: 0,
                natGateways: 1,
                dbInstances: role === "primary" ? 1 : 0,
                cacheNodes: 1,
            };
    }
}

export function checkCell(c: Collector, raw: RawConfig): CellConfig | undefined {
    const k = (key: string) => `${NS}:${key}`;
    const mode = oneOf(c, k("cellMode"), raw[k("cellMode")], CELL_MODES, DEFAULTS.cellMode);
    const minTasks = intIn(c, k("minTasks"), raw[k("minTasks")], DEFAULTS.minTasks, 1, 100);
    const maxTasks = intIn(c, k("maxTasks"), raw[k("maxTasks")], DEFAULTS.maxTasks, 1, 500);
    const standbyTasks = intIn(
        c,
        k("standbyTasks"),
        raw[k("standbyTasks")],
        DEFAULTS.standbyTasks,
        1,
        100,
    );
    if (maxTasks < minTasks)
        c.add(k("maxTasks"), raw[k("maxTasks")] ?? maxTasks, `at least minTasks (${minTasks})`);
    if (standbyTasks > maxTasks)
        c.add(
            k("standbyTasks"),
            raw[k("standbyTasks")] ?? standbyTasks,
            `at most maxTasks (${maxTasks})`,
        );
    const cpuRaw = raw[k("taskCpu")];
    const taskCpu = asInt(cpuRaw) ?? DEFAULTS.taskCpu;
    const size = FARGATE_SIZES[taskCpu];
    if (!size)
        c.add(
            k("taskCpu"),
            cpuRaw,
            `one of the Fargate CPU sizes ${Object.keys(FARGATE_SIZES).join(", ")}`,
        );
    const memRaw = raw[k("taskMemory")];
    const taskMemory = asInt(memRaw) ?? DEFAULTS.taskMemory;
    if (
        size &&
        (Number.isNaN(taskMemory) ||
            taskMemory < size.min ||
            taskMemory > size.max ||
            taskMemory % size.step !== 0)
    ) {
        c.add(
            k("taskMemory"),
            memRaw ?? taskMemory,
            `for taskCpu ${taskCpu}: ${size.min}–${size.max} MiB in steps of ${size.step}`,
        );
    }
    const image = raw[k("appImage")] ?? DEFAULTS.appImage;
    if (typeof image !== "string" || !/^[a-z0-9][a-z0-9._\-/:@]+$/i.test(image)) {
        c.add(
            k("appImage"),
            image,
            "a container image reference such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/taskflow:1.2.3",
        );
    }
    const dbInstanceClass = raw[k("dbInstanceClass")] ?? DEFAULTS.dbInstanceClass;
    if (
        typeof dbInstanceClass !== "string" ||
        !/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(dbInstanceClass)
    ) {
        c.add(k("dbInstanceClass"), dbInstanceClass, "an RDS instance class such as db.r7g.large");
    }
    const cacheNodeType = raw[k("cacheNodeType")] ?? DEFAULTS.cacheNodeType;
    if (typeof cacheNodeType !== "string" || !/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(cacheNodeType)) {
        c.add(
            k("cacheNodeType"),
            cacheNodeType,
            "an ElastiCache node type such as cache.r7g.large",
        );
    }
    if (!mode) return undefined;
    return {
        mode,
        minTasks,
        maxTasks,
        standbyTasks,
        taskCpu,
        taskMemory,
        image: image as string,
        dbInstanceClass: dbInstanceClass as string,
        cacheNodeType: cacheNodeType as string,
    };
}
