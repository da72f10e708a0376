/**
 * The one tag scheme of every resource the program creates: `taskflow:`-prefixed keys for what
 * the resource belongs to, plus the residency classification of data stores (model/residency.ts,
 * the policy pack's own key). Tags change in place (no replacement), but a tag key is read by
 * operators' cost reports and IAM conditions: keep them stable.
 */

import { ROUTER_ORIGIN_TAG, ROUTER_ZONE_TAG } from "../policies/edge";

/** The keys of the scheme. */
export const TAG = {
    /** `taskflow:environment`: the environment (prod, stage, ...). */
    environment: "taskflow:environment",
    /** `taskflow:component`: the ComponentResource that made it (cell, global-data, ...). */
    component: "taskflow:component",
    /** `taskflow:region`: the region the resource serves, where that is not its own. */
    region: "taskflow:region",
    /** `taskflow:purpose`: what a resource is for, where its type does not say. */
    purpose: "taskflow:purpose",
    /** `taskflow:role`: its part in a replication (source, replica). */
    role: "taskflow:role",
    /** `taskflow:code-sha256`: the hash of a function's bundled code (archives are not diffed). */
    codeSha256: "taskflow:code-sha256",
    /** `taskflow:node-target`: the Node.js target a function's bundle was built for. */
    nodeTarget: "taskflow:node-target",
    /** `taskflow:residency-zone`: the zone a residency router pins (the pack's key). */
    residencyZone: ROUTER_ZONE_TAG,
    /** `taskflow:resident-origin`: the origin a residency router pins to (the pack's key). */
    residentOrigin: ROUTER_ORIGIN_TAG,
} as const;

/** The tags of a component's resources: its environment and its name, plus `extra`. */
export function componentTags(
    environment: string,
    component: string,
    extra: Record<string, string> = {},
): Record<string, string> {
    return { [TAG.environment]: environment, [TAG.component]: component, ...extra };
}
