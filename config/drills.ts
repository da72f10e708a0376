/**
 * `taskflow:drills` (region stacks, optional): the failure drills whose FIS experiment templates
 * the stack builds, a list of names out of model/drills.ts. Default: none (no template, no role).
 */
import { FIS_DRILLS, FisDrill } from "../model/drills";
import { Collector } from "./errors";
import { NS } from "./keys";
import { RawConfig } from "./types";

const KEY = `${NS}:drills`;

/** The stack's drills; an issue naming the key, the value and what is allowed otherwise. */
export function checkDrills(c: Collector, raw: RawConfig, hasCell: boolean): FisDrill[] {
    const value = raw[KEY];
    if (value === undefined) return [];
    if (!hasCell) {
        c.add(KEY, value, "not allowed on the global stack: drills act on a region's cell");
        return [];
    }
    const allowed = `a list of distinct drill names out of ${FIS_DRILLS.join(", ")} (default: none)`;
    if (!Array.isArray(value)) {
        c.add(KEY, value, allowed);
        return [];
    }
    const bad = value.filter((d) => !FIS_DRILLS.includes(d as FisDrill));
    if (bad.length > 0 || new Set(value).size !== value.length) {
        c.add(KEY, value, allowed);
        return [];
    }
    return value as FisDrill[];
}
