/**
 * The edge's rules: the global stack's health-check settings, and the residency zone the edge
 * pins GDPR viewers to: the zone config names (`taskflow:topology.gdprZone`), never derived from
 * geolocation (the rule itself is in model/edge-residency.ts: EdgeRouting runs it too, when it is
 * given no zone).
 */
import { Collector } from "./errors";
import { DEFAULTS, NS } from "./keys";
import { EdgeConfig, RawConfig } from "./types";
import { asInt, intIn } from "./values";

const k = (key: string) => `${NS}:${key}`;

/** `taskflow:healthCheckIntervalSeconds` and `taskflow:healthCheckFailureThreshold`. */
export function checkEdge(c: Collector, raw: RawConfig): EdgeConfig {
    const edge: EdgeConfig = {
        healthCheckIntervalSeconds: DEFAULTS.healthCheckIntervalSeconds,
        healthCheckFailureThreshold: intIn(
            c,
            k("healthCheckFailureThreshold"),
            raw[k("healthCheckFailureThreshold")],
            DEFAULTS.healthCheckFailureThreshold,
            1,
            10,
        ),
    };
    const interval = asInt(raw[k("healthCheckIntervalSeconds")]);
    if (interval !== undefined) {
        if (interval !== 10 && interval !== 30) {
            c.add(
                k("healthCheckIntervalSeconds"),
                raw[k("healthCheckIntervalSeconds")],
                "10 or 30 (Route 53 request intervals)",
            );
        } else edge.healthCheckIntervalSeconds = interval;
    }
    return edge;
}

export { edgeResidencyOf, type EdgeResidency } from "../model/edge-residency";
