/** The night-mode runbook's actions, the ports it runs through, and what it reports. */
import type { StepResult } from "../../model/steps";

/**
 * - `night` / `day`: the scheduled flips.
 * - `sync`: whichever of the two the clock (and the hold) calls for; the program runs it after
 *   every change of the spec, so new capacities reach the cells the controller owns.
 * - `emergency`: everything back at once, and night mode held off for `holdHours`.
 * - `release`: end the hold.
 * - `restore`: `day` + `release`, ignoring the clock; run when night mode is removed.
 * - `status`: read only.
 */
export type NightAction = "night" | "day" | "sync" | "emergency" | "release" | "restore" | "status";
export const NIGHT_ACTIONS: readonly NightAction[] = [
    "night",
    "day",
    "sync",
    "emergency",
    "release",
    "restore",
    "status",
];

/** What the runner needs from AWS. ops/aws implements it on the SDK. */
export interface NightModePorts {
    getCapacity(region: string, resourceId: string): Promise<{ min: number; max: number }>;
    setCapacity(region: string, resourceId: string, min: number, max: number): Promise<void>;
    getService(
        region: string,
        cluster: string,
        service: string,
    ): Promise<{ desired: number; running: number }>;
    setDesired(region: string, cluster: string, service: string, desired: number): Promise<void>;
    getDial(endpointGroupArn: string): Promise<number>;
    setDial(endpointGroupArn: string, percent: number): Promise<void>;
    /** Publishes the DNS gate of a region: 1 closes it (drained), 0 opens it. */
    setGate(region: string, drained: boolean): Promise<void>;
    getHold(): Promise<Date | undefined>;
    setHold(until: Date): Promise<void>;
    clearHold(): Promise<void>;
    /** Takes the flip lock until `until`; false when someone else holds an unexpired lock. */
    tryLock(owner: string, until: Date): Promise<boolean>;
    unlock(owner: string): Promise<void>;
    now(): Date;
    sleep(ms: number): Promise<void>;
}

export interface NightModeReport {
    action: NightAction;
    /** For `sync`: the phase it applied. */
    applied?: "night" | "day";
    environment: string;
    ok: boolean;
    /** Set when a night flip was skipped (or stopped) because of an emergency hold. */
    heldUntil?: string;
    results: StepResult[];
}
