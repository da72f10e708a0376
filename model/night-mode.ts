/**
 * Night mode's pure model: the settings (`taskflow:nightMode`), each region's role at night, and
 * the controller's spec. Shared by the config (validation), the components (NightMode builds the
 * spec, EdgeRouting the DNS gates, RegionalCell hands drained cells' capacity to the controller)
 * and the runbook (ops/night-mode/ runs the spec). How it works end to end:
 * docs/operations.md, "Night mode".
 *
 * Roles, from the topology alone:
 * - **active**: listed in `activeRegions`; untouched.
 * - **drain**: its users' residency zone allows a region active at night (the *night target*):
 *   its DNS gate closes, its Global Accelerator dial goes to 0 and its task floor drops.
 * - **keep**: its users' zone lives only in regions that are not active at night: it keeps
 *   serving at full floor, because its resident data can be served nowhere else.
 */
import { namePath } from "./naming";

/** Night mode settings (`taskflow:nightMode`, validated by config/night-mode.ts). */
export interface NightModeConfig {
    /** Build the scheduler, gates and controller. Default false. */
    enabled: boolean;
    /** IANA time zone of the schedule. Default Asia/Tokyo. */
    timezone: string;
    /** Local time the night starts, HH:MM. Default 22:00. */
    nightStart: string;
    /** Local time the day starts, HH:MM. Default 08:00. */
    dayStart: string;
    /** Regions that keep serving at night. Default: the primary region. */
    activeRegions: string[];
    /** ECS task floor of a drained cell at night (≥ 1). Default 1. */
    nightTasks: number;
    /** How long an emergency restore holds night mode off. Default 12 hours. */
    holdHours: number;
    /** How long the day flip waits for tasks before opening a cell's traffic. Default 240 s. */
    readinessTimeoutSeconds: number;
    /**
     * Concurrent executions reserved for the controller. Default: none. A reservation must leave
     * the account 100 unreserved (new accounts often have 10 in all), so it is opt-in; flips are
     * serialized by the lock parameter either way.
     */
    reservedConcurrency?: number;
}

export const NIGHT_MODE_DEFAULTS = {
    enabled: false,
    timezone: "Asia/Tokyo",
    nightStart: "22:00",
    dayStart: "08:00",
    nightTasks: 1,
    holdHours: 12,
    readinessTimeoutSeconds: 240,
};

/**
 * What Lambda keeps unreserved in an account and region: a reservation that would leave less is
 * refused (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html;
 * PutFunctionConcurrency: https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html).
 */
export const LAMBDA_MIN_UNRESERVED_CONCURRENCY = 100;

/** CloudWatch namespace and metric of the DNS gates (EdgeRouting alarms on them). */
export const GATE_NAMESPACE = "TaskFlow/NightMode";
export const GATE_METRIC = "Drained";

export type NightRole = "active" | "drain" | "keep";

/** What night mode does with one region, from the topology alone. */
export interface RegionNightRole {
    role: NightRole;
    /** For `drain`: the active region that serves this region's users at night. */
    target?: string;
    /** Why (printed in every report). */
    reason: string;
}

/** The part of the topology night mode reads. */
export interface NightTopology {
    zones: Record<string, string[]>;
    regions: { region: string; zone: string; primary: boolean; failover?: string }[];
}

/**
 * Each region's role at night. A region is drained only to a region its users' residency zone
 * allows and that is active at night: its failover partner if that qualifies, else the primary,
 * else the first such region in topology order. Pure.
 */
export function nightRoles(
    topology: NightTopology,
    activeRegions: readonly string[],
): Record<string, RegionNightRole> {
    const primary = topology.regions.find((r) => r.primary)?.region;
    const order = topology.regions.map((r) => r.region);
    return Object.fromEntries(
        topology.regions.map((r): [string, RegionNightRole] => {
            if (activeRegions.includes(r.region)) {
                return [r.region, { role: "active", reason: "active at night" }];
            }
            const homes = topology.zones[r.zone] ?? [];
            const candidates = order.filter(
                (x) => x !== r.region && homes.includes(x) && activeRegions.includes(x),
            );
            if (candidates.length === 0) {
                return [
                    r.region,
                    {
                        role: "keep",
                        reason: `zone ${r.zone} data lives only in ${homes.join(", ")}, none active at night: the cell keeps serving at full floor`,
                    },
                ];
            }
            const target =
                (r.failover && candidates.includes(r.failover) ? r.failover : undefined) ??
                (primary && candidates.includes(primary) ? primary : undefined) ??
                candidates[0];
            return [
                r.region,
                {
                    role: "drain",
                    target,
                    reason: `zone ${r.zone} is also served by ${target}: drained to it at night`,
                },
            ];
        }),
    );
}

/** What the controller needs to know about one regional cell. */
export interface NightCell {
    region: string;
    /** Residency zone of the users homed in this region. */
    zone: string;
    role: NightRole;
    /** For `drain`: where its users go at night. */
    target?: string;
    clusterName: string;
    serviceName: string;
    /** Application Auto Scaling resource id, `service/<cluster>/<service>`. */
    resourceId: string;
    /** Capacity the program gives the cell (its mode's floor and ceiling). */
    day: { min: number; max: number };
    /** Capacity at night (equal to `day` unless drained). */
    night: { min: number; max: number };
    /** Global Accelerator endpoint group of the cell's ALB. */
    endpointGroupArn?: string;
    reason: string;
}

/** The controller's whole configuration: baked into the Lambda, or read from a file by the CLI. */
export interface NightModeSpec {
    environment: string;
    timezone: string;
    nightStart: string;
    dayStart: string;
    /** SSM parameters: the emergency hold (ISO time) and the flip lock, in `holdRegion`. */
    holdParameter: string;
    lockParameter: string;
    /** Region of the hold and lock parameters (the controller's own region). */
    holdRegion: string;
    /** Region of the DNS gates' metric and alarms (the global stack's). */
    gateRegion: string;
    holdHours: number;
    readinessTimeoutSeconds: number;
    cells: NightCell[];
}

/** Input of `planNightMode` for one region: the cell's stack outputs and its GA endpoint group. */
export interface CellFacts {
    clusterName: string;
    serviceName: string;
    resourceId: string;
    minTasks: number;
    maxTasks: number;
    endpointGroupArn?: string;
}

/** The controller's spec, from the roles and each cell's outputs. Pure. */
export function planNightMode(
    topology: NightTopology,
    cfg: NightModeConfig,
    facts: Record<string, CellFacts>,
    names: { environment: string; holdRegion: string; gateRegion: string },
): NightModeSpec {
    const roles = nightRoles(topology, cfg.activeRegions);
    const cells = topology.regions.map((r): NightCell => {
        const f = facts[r.region];
        if (!f) throw new Error(`night mode: no cell outputs for region ${r.region}`);
        const day = { min: f.minTasks, max: f.maxTasks };
        const { role, target, reason } = roles[r.region];
        return {
            region: r.region,
            zone: r.zone,
            role,
            ...(target ? { target } : {}),
            clusterName: f.clusterName,
            serviceName: f.serviceName,
            resourceId: f.resourceId,
            day,
            night:
                role === "drain" ? { min: Math.min(cfg.nightTasks, day.min), max: day.max } : day,
            ...(f.endpointGroupArn ? { endpointGroupArn: f.endpointGroupArn } : {}),
            reason,
        };
    });
    return {
        environment: names.environment,
        timezone: cfg.timezone,
        nightStart: cfg.nightStart,
        dayStart: cfg.dayStart,
        holdParameter: `${namePath(names.environment)}/night-mode/hold`,
        lockParameter: `${namePath(names.environment)}/night-mode/lock`,
        holdRegion: names.holdRegion,
        gateRegion: names.gateRegion,
        holdHours: cfg.holdHours,
        readinessTimeoutSeconds: cfg.readinessTimeoutSeconds,
        cells,
    };
}

/** Scheduler cron expression for a local HH:MM (used with the schedule's time zone). */
export function cronAt(hhmm: string): string {
    const [h, m] = hhmm.split(":").map(Number);
    return `cron(${m} ${h} * * ? *)`;
}

/** Whether `at` falls in the night window of the spec's time zone. */
export function isNight(
    spec: Pick<NightModeSpec, "timezone" | "nightStart" | "dayStart">,
    at: Date,
): boolean {
    const parts = new Intl.DateTimeFormat("en-GB", {
        timeZone: spec.timezone,
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
    }).formatToParts(at);
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
    const now = get("hour") * 60 + get("minute");
    const toMin = (hhmm: string) => {
        const [h, m] = hhmm.split(":").map(Number);
        return h * 60 + m;
    };
    const start = toMin(spec.nightStart);
    const end = toMin(spec.dayStart);
    return start < end ? now >= start && now < end : now >= start || now < end;
}
