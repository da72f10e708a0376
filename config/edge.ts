/**
 * The edge's rules: the global stack's health-check settings, and the residency zone the edge
 * pins GDPR viewers to: the zone config names (`taskflow:topology.gdprZone`), never derived from
 * geolocation (the rule itself is in model/edge-residency.ts: EdgeRouting runs it too, when it is
 * given no zone).
 */
import {
    DEFAULT_WAF_BODY_LIMITS,
    MAX_WAF_BODY_LIMIT,
    MAX_WAF_BODY_PREFIXES,
    WAF_PATH_PREFIX,
} from "../model/waf";
import { Collector } from "./errors";
import { DEFAULTS, NS } from "./keys";
import { EdgeConfig, RawConfig } from "./types";
import { asInt, intIn, isObject } from "./values";

const k = (key: string) => `${NS}:${key}`;

/**
 * `taskflow:healthCheckIntervalSeconds`, `taskflow:healthCheckFailureThreshold` and
 * `taskflow:wafBodyLimits`.
 */
export function checkEdge(c: Collector, raw: RawConfig): EdgeConfig {
    const edge: EdgeConfig = {
        wafBodyLimits: { ...DEFAULT_WAF_BODY_LIMITS },
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
    edge.wafBodyLimits = checkWafBodyLimits(c, raw[k("wafBodyLimits")]);
    return edge;
}

/**
 * `taskflow:wafBodyLimits`: `{ "<path prefix>": <max body bytes>, ... }`, merged over the
 * default `{ "/": 16384 }` (so `/` always has a limit; `{}`, Pulumi.yaml's declared default, is
 * the default alone). Each limit 1 to 64 KB: the most of a CloudFront request body AWS WAF can
 * inspect (model/waf.ts).
 */
export function checkWafBodyLimits(c: Collector, raw: unknown): Record<string, number> {
    const key = k("wafBodyLimits");
    if (raw === undefined) return { ...DEFAULT_WAF_BODY_LIMITS };
    if (!isObject(raw)) {
        c.add(
            key,
            raw,
            'an object of path prefix → max body bytes, e.g. {"/": 16384, "/api/imports/": 65536}',
        );
        return { ...DEFAULT_WAF_BODY_LIMITS };
    }
    const out: Record<string, number> = { ...DEFAULT_WAF_BODY_LIMITS };
    for (const [prefix, value] of Object.entries(raw)) {
        if (!WAF_PATH_PREFIX.test(prefix)) {
            c.add(
                `${key}.${prefix}`,
                value,
                `a path prefix starting with "/" (letters, digits, / _ . ~ -; no "..", no wildcard), at most 200 characters`,
            );
            continue;
        }
        const bytes = asInt(value);
        if (bytes === undefined || Number.isNaN(bytes) || bytes < 1 || bytes > MAX_WAF_BODY_LIMIT) {
            c.add(
                `${key}.${prefix}`,
                value,
                `an integer from 1 to ${MAX_WAF_BODY_LIMIT} bytes (AWS WAF inspects at most 64 KB of a CloudFront request body)`,
            );
            continue;
        }
        out[prefix] = bytes;
    }
    if (Object.keys(out).length > MAX_WAF_BODY_PREFIXES) {
        c.add(key, raw, `at most ${MAX_WAF_BODY_PREFIXES} path prefixes, "/" included`);
    }
    return out;
}

export { edgeResidencyOf, type EdgeResidency } from "../model/edge-residency";
