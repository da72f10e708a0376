/** `taskflow:nightMode` and `taskflow:writerRegion` (project-level keys every stack reads alike). */
import { NIGHT_MODE_DEFAULTS, NightModeConfig, nightRoles } from "../model/night-mode";
import { Topology, globalDataRegions, primaryRegion } from "../model/topology";
import { Collector } from "./errors";
import { NIGHT_MODE_KEYS, NS, checkKeys } from "./keys";
import { StackConfig } from "./types";
import { asBool, intIn, isObject } from "./values";

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Time zones already asked about: building a DateTimeFormat costs ~0.2 ms, and every plan asks. */
const timeZones = new Map<string, boolean>();

/** Whether the runtime knows an IANA time zone (EventBridge Scheduler takes the same names). */
function knownTimeZone(tz: string): boolean {
    let known = timeZones.get(tz);
    if (known === undefined) {
        try {
            new Intl.DateTimeFormat("en-US", { timeZone: tz });
            known = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz);
        } catch {
            known = false;
        }
        timeZones.set(tz, known);
    }
    return known;
}

/**
 * Validates `taskflow:nightMode` (the night-time active-passive switch of docs/requirements.md). Absent means
 * disabled. The regions active at night must include the primary: the controller runs there, and
 * so do the Aurora writer and the cache primary.
 */
export function checkNightMode(c: Collector, raw: unknown, topology: Topology): NightModeConfig {
    const K = `${NS}:nightMode`;
    const primary = primaryRegion(topology).region;
    const value: NightModeConfig = { ...NIGHT_MODE_DEFAULTS, activeRegions: [primary] };
    if (raw === undefined) return value;
    if (!isObject(raw)) {
        c.add(K, raw, `an object with the keys ${NIGHT_MODE_KEYS.join(", ")}`);
        return value;
    }
    checkKeys(c, raw, NIGHT_MODE_KEYS, `${K}.`);
    const enabled = asBool(raw.enabled) ?? NIGHT_MODE_DEFAULTS.enabled;
    if (typeof enabled !== "boolean") c.add(`${K}.enabled`, raw.enabled, "true or false");
    else value.enabled = enabled;
    if (raw.timezone !== undefined) {
        if (typeof raw.timezone !== "string" || !knownTimeZone(raw.timezone)) {
            c.add(`${K}.timezone`, raw.timezone, "an IANA time zone such as Asia/Tokyo");
        } else value.timezone = raw.timezone;
    }
    for (const key of ["nightStart", "dayStart"] as const) {
        const v = raw[key];
        if (v === undefined) continue;
        if (typeof v !== "string" || !HHMM.test(v)) {
            c.add(`${K}.${key}`, v, "a local time HH:MM such as 22:00");
        } else value[key] = v;
    }
    if (value.nightStart === value.dayStart) {
        c.add(
            `${K}.dayStart`,
            value.dayStart,
            `a time other than nightStart (${value.nightStart})`,
        );
    }
    if (raw.activeRegions !== undefined) {
        const known = topology.regions.map((r) => r.region);
        const list = raw.activeRegions;
        if (!Array.isArray(list) || list.length === 0) {
            c.add(
                `${K}.activeRegions`,
                list,
                `a non-empty list of the topology's regions (${known.join(", ")})`,
            );
        } else {
            list.forEach((r, i) => {
                if (typeof r !== "string" || !known.includes(r)) {
                    c.add(
                        `${K}.activeRegions[${i}]`,
                        r,
                        `one of the topology's regions: ${known.join(", ")}`,
                    );
                }
            });
            if (new Set(list).size !== list.length) {
                c.add(`${K}.activeRegions`, list, "each region at most once");
            }
            if (!list.includes(primary)) {
                c.add(
                    `${K}.activeRegions`,
                    list,
                    `a list including the primary ${primary} (the controller, the Aurora writer and the cache primary run there)`,
                );
            }
            value.activeRegions = list.filter((r): r is string => typeof r === "string");
        }
    }
    value.nightTasks = intIn(
        c,
        `${K}.nightTasks`,
        raw.nightTasks,
        NIGHT_MODE_DEFAULTS.nightTasks,
        1,
        100,
    );
    value.holdHours = intIn(
        c,
        `${K}.holdHours`,
        raw.holdHours,
        NIGHT_MODE_DEFAULTS.holdHours,
        1,
        168,
    );
    // The controller's Lambda timeout is this plus a minute, and Lambda allows 900 s.
    value.readinessTimeoutSeconds = intIn(
        c,
        `${K}.readinessTimeoutSeconds`,
        raw.readinessTimeoutSeconds,
        NIGHT_MODE_DEFAULTS.readinessTimeoutSeconds,
        30,
        840,
    );
    if (raw.reservedConcurrency !== undefined) {
        // Opt-in: `npm run deploy` checks the account can spare it (delivery/lambda-quota.ts).
        const n = intIn(c, `${K}.reservedConcurrency`, raw.reservedConcurrency, 0, 1, 10);
        if (n > 0) value.reservedConcurrency = n;
    }
    return value;
}

/** Validates `taskflow:writerRegion`: a global-data region; default the primary. */
export function checkWriterRegion(c: Collector, raw: unknown, topology: Topology): string {
    const regions = globalDataRegions(topology);
    if (raw === undefined) return regions[0];
    if (typeof raw !== "string" || !regions.includes(raw)) {
        c.add(
            `${NS}:writerRegion`,
            raw,
            `a region holding global data (${regions.join(", ")}): the Aurora writer and the cache primary can only be there`,
        );
        return regions[0];
    }
    return raw;
}

/**
 * Each region night mode drains → the active region serving its users at night (empty when
 * night mode is off): EdgeRouting's DNS gates, and whose capacity the controller owns.
 */
export function nightGatesOf(
    topology: Topology,
    nightMode: NightModeConfig,
): Record<string, string> {
    if (!nightMode.enabled) return {};
    return Object.fromEntries(
        Object.entries(nightRoles(topology, nightMode.activeRegions)).flatMap(([region, r]) =>
            r.role === "drain" && r.target ? [[region, r.target]] : [],
        ),
    );
}

/**
 * Whether night mode's controller owns this region stack's scalable target: night mode is
 * enabled and the region is drained at night, whatever the cell's mode — the controller applies
 * the mode's day capacity (pilot-light's 0/0 included) after every change of its spec, so
 * switching modes never hands min/max back and forth between it and the program.
 */
export function nightModeMovesCapacity(
    cfg: Pick<StackConfig, "topology" | "nightMode" | "regionSpec">,
): boolean {
    if (!cfg.nightMode?.enabled || !cfg.regionSpec) return false;
    return cfg.regionSpec.region in nightGatesOf(cfg.topology, cfg.nightMode);
}
