// What an AWS Backup selection picks besides the stores it names: resources by tag, by wildcard
// or by conditions over tags. Picks that may include any resource of the plan's Region (another
// tag, a wildcard, conditions alone, a value not known until apply) may include the data of every
// zone of that Region (fail closed); a selection by the residency tag picks that zone; a
// StringEquals condition on the residency tag narrows what the rest picks.

import {
    effectiveRegion,
    GLOBAL,
    ResidencyConfig,
    RESIDENCY_TAG,
    ResourceView,
    zoneAllows,
} from "../residency";
import { asArray, isUnknown, obj } from "../values";

/** The condition keys AWS Backup uses for a resource tag (`aws:ResourceTag/<key>`). */
const RESIDENCY_KEYS = [`aws:ResourceTag/${RESIDENCY_TAG}`, RESIDENCY_TAG];

export function backupPicks(
    v: ResourceView,
    config: ResidencyConfig,
): { zone: string; why: string }[] {
    const p = v.props;
    const open: string[] = [];
    const zones = new Map<string, string>();
    const resources = p["resources"];
    const list = isUnknown(resources) ? [] : asArray(resources);
    if (isUnknown(resources)) open.push("resources not known until apply");
    for (const arn of list) {
        // ARNs are proven as references (sources); a wildcard picks whatever it matches.
        if (typeof arn === "string" && arn.includes("*"))
            open.push(`resources by wildcard ${JSON.stringify(arn)}`);
    }
    const conditions = p["conditions"];
    const tagsList = p["selectionTags"];
    const hasTags = isUnknown(tagsList) || asArray(tagsList).length > 0;
    const hasConditions = isUnknown(conditions) || asArray(conditions).length > 0;
    if (list.length === 0 && !isUnknown(resources) && hasConditions && !hasTags)
        open.push("conditions over every resource");
    // A StringEquals on the residency tag narrows what the resources and conditions pick.
    const narrowTo = new Set<string>();
    for (const c of isUnknown(conditions) ? [] : asArray(conditions)) {
        for (const e of asArray(obj(c)["stringEquals"])) {
            const k = obj(e)["key"];
            const val = obj(e)["value"];
            if (
                typeof k === "string" &&
                RESIDENCY_KEYS.includes(k) &&
                typeof val === "string" &&
                !isUnknown(val)
            )
                narrowTo.add(val);
        }
    }
    const region = effectiveRegion(v);
    const inRegion = Object.keys(config.zones).filter(
        (z) => region.kind !== "known" || zoneAllows(config, z, region.region),
    );
    if (open.length > 0) {
        const why = `what ${v.type} '${v.name}' picks (${open.join(", ")}), which may include the data of every zone of its region`;
        for (const z of narrowTo.size > 0
            ? [...narrowTo].filter((x) => x !== GLOBAL && Object.hasOwn(config.zones, x))
            : inRegion)
            zones.set(
                z,
                narrowTo.size > 0 ? `${why}, narrowed by condition ${RESIDENCY_TAG}=${z}` : why,
            );
    }
    // Selection tags (OR) pick every resource of the region carrying the tag.
    if (isUnknown(tagsList))
        for (const z of inRegion)
            zones.set(
                z,
                `what ${v.type} '${v.name}' picks by selection tags not known until apply`,
            );
    for (const t of isUnknown(tagsList) ? [] : asArray(tagsList)) {
        const k = obj(t)["key"];
        const val = obj(t)["value"];
        if (typeof k !== "string" || isUnknown(k) || typeof val !== "string" || isUnknown(val)) {
            for (const z of inRegion)
                zones.set(
                    z,
                    `what ${v.type} '${v.name}' picks by a selection tag not known until apply`,
                );
        } else if (k === RESIDENCY_TAG) {
            if (Object.hasOwn(config.zones, val))
                zones.set(
                    val,
                    `every resource tagged ${k}=${val} (selection tag of ${v.type} '${v.name}')`,
                );
        } else {
            for (const z of inRegion)
                zones.set(
                    z,
                    `every resource tagged ${k}=${val} (selection tag of ${v.type} '${v.name}'), which may include the data of every zone of its region`,
                );
        }
    }
    return [...zones].map(([zone, why]) => ({ zone, why }));
}
