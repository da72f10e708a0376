/**
 * The vocabulary of a regional cell (its DR mode, its alarms), shared by the config, the
 * components and the rollout.
 */
import { namePrefix } from "./naming";

/**
 * DR strategy of a regional cell: `active` serves at full capacity, `warm-standby` serves scaled
 * down, `pilot-light` runs no tasks and keeps only the data tier.
 */
export type CellMode = "active" | "warm-standby" | "pilot-light";
export const CELL_MODES: readonly CellMode[] = ["active", "warm-standby", "pilot-light"];

/** Effective capacity of a cell in its mode. */
export interface CellCapacity {
    /** Autoscaling floor, also the initial desired count. */
    minTasks: number;
    /** Autoscaling ceiling. */
    maxTasks: number;
    /** NAT gateways: one per AZ when active, one otherwise. */
    natGateways: number;
    /** Aurora instances in this region's cluster (0 = headless secondary). */
    dbInstances: number;
    /** ElastiCache nodes per shard in this region (primary + replicas). */
    cacheNodes: number;
}

/** The cell alarms ECS may watch during a deployment (`taskflow:rollout.rollbackAlarms`). */
export type CellAlarm = "5xx-rate" | "unhealthy-hosts" | "latency-p99";
export const CELL_ALARMS: readonly CellAlarm[] = ["5xx-rate", "unhealthy-hosts", "latency-p99"];

/**
 * The name of one of a cell's alarms. Stable (not auto-named) so that the ECS service, the
 * rollout controller, the drills in docs/operations.md and the tests name the same alarm.
 */
export function cellAlarmName(environment: string, region: string, alarm: CellAlarm): string {
    return `${namePrefix(environment)}-cell-${region}-${alarm}`;
}
