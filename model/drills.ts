/**
 * The failure drills: their names, the tags that find a drill's FIS experiment template, and the
 * physical names the drill runner reads (the stacks create them under the same names; the drill
 * spec checks that against the planned stacks).
 */
import { namePrefix } from "./naming";
import { TAG } from "./tags";

/** `taskflow:drill`: the drill an FIS experiment template (and the experiments it starts) runs. */
export const DRILL_TAG = "taskflow:drill";
/** The region a drill's template targets (the scheme's `taskflow:region`). */
export const DRILL_REGION_TAG = TAG.region;

export type FisDrill = "stop-tasks" | "fail-health-check" | "cut-data-network";
export type DrillName = FisDrill | "aurora-switchover";

export interface DrillSpec {
    name: DrillName;
    /** False for a drill FIS cannot run (a runbook step instead). */
    fis: boolean;
    /** What it does to the region's cell. */
    summary: string;
    /** True when the drill must move the region's traffic to its failover partner. */
    expectsFailover: boolean;
}

export const DRILLS: readonly DrillSpec[] = [
    {
        name: "stop-tasks",
        fis: true,
        summary: "stops the cell's ECS tasks",
        expectsFailover: false,
    },
    {
        name: "fail-health-check",
        fis: true,
        summary: "makes the cell's Route 53 health check fail",
        expectsFailover: true,
    },
    {
        name: "cut-data-network",
        fis: true,
        summary: "cuts the cell's network to its data tier",
        expectsFailover: false,
    },
    {
        name: "aurora-switchover",
        fis: false,
        summary: "moves the Aurora global writer away from the primary and back (FIS cannot)",
        expectsFailover: false,
    },
];

export const DRILL_NAMES: readonly DrillName[] = DRILLS.map((d) => d.name);

/** The drill of that name, or undefined. */
export function drillSpec(name: string): DrillSpec | undefined {
    return DRILLS.find((d) => d.name === name);
}

/** `Name` tag of the Route 53 health check of a region's cell (the edge's check). */
export function cellHealthCheckName(environment: string, region: string): string {
    return `${namePrefix(environment)}-${region}-health`;
}

/** The cell's ECS cluster and service. */
export function cellEcsNames(
    environment: string,
    region: string,
): { cluster: string; service: string } {
    return {
        cluster: `${namePrefix(environment)}-${region}`,
        service: `${namePrefix(environment)}-app`,
    };
}

/** The drills an FIS experiment template runs (a region stack's `taskflow:drills`), from DRILLS. */
export const FIS_DRILLS: readonly FisDrill[] = DRILLS.filter((d) => d.fis).map(
    (d) => d.name as FisDrill,
);

/** Tag keys every drill template carries: its drill name and the region it drills. */
export const DRILL_TAGS = { drill: DRILL_TAG, region: DRILL_REGION_TAG } as const;
