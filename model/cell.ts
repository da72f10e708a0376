/** The vocabulary of a regional cell's DR mode, shared by the config and the components. */

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
