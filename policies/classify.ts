// A resource's residency classification: its `data-residency` tag, exactly `global` or a zone of
// the matrix; anything else (missing, unknown at preview, a case or whitespace variant) is not one.

import { GLOBAL, RESIDENCY_TAG, ResidencyConfig } from "./residency";
import { isUnknown } from "./values";

/**
 * The classification of a resource: a tag value, missing, not yet known, or a value that is not
 * exactly `global` or a zone name (`hint` names the near miss: a case or whitespace variant of
 * the key or the value).
 */
export type Classification =
    | { kind: "missing"; hint?: string }
    | { kind: "unknown" }
    | { kind: "global" }
    | { kind: "zone"; zone: string }
    | { kind: "invalid"; value: string; hint?: string };

const norm = (s: string) => s.trim().toLowerCase();

/**
 * Tags in list form (`[{ key, value }]`, as aws-native and CloudFormation-shaped providers take
 * them; `Key`/`Value` too) as a map; undefined when an entry is not known at preview.
 */
function tagList(tags: unknown[]): Record<string, unknown> | undefined {
    const out: Record<string, unknown> = {};
    for (const e of tags) {
        if (isUnknown(e)) return undefined;
        if (!e || typeof e !== "object") continue;
        const o = e as Record<string, unknown>;
        const k = o["key"] ?? o["Key"];
        if (isUnknown(k)) return undefined;
        if (typeof k === "string") out[k] = o["value"] ?? o["Value"];
    }
    return out;
}

export function classify(props: Record<string, unknown>, config: ResidencyConfig): Classification {
    const tags = props["tags"];
    if (isUnknown(tags)) return { kind: "unknown" };
    if (tags === undefined || tags === null || typeof tags !== "object") return { kind: "missing" };
    const t = Array.isArray(tags) ? tagList(tags) : (tags as Record<string, unknown>);
    if (t === undefined) return { kind: "unknown" };
    if (!Object.hasOwn(t, RESIDENCY_TAG)) {
        const near = Object.keys(t).find((k) => norm(k) === RESIDENCY_TAG);
        return near
            ? {
                  kind: "missing",
                  hint: `a tag '${near}' is set, but the key is exactly '${RESIDENCY_TAG}'`,
              }
            : { kind: "missing" };
    }
    const v = t[RESIDENCY_TAG];
    if (v === undefined || v === null || v === "") return { kind: "missing" };
    if (isUnknown(v)) return { kind: "unknown" };
    if (v === GLOBAL) return { kind: "global" };
    if (typeof v === "string" && Object.hasOwn(config.zones, v)) return { kind: "zone", zone: v };
    const value = String(v);
    const known = [GLOBAL, ...Object.keys(config.zones)].find((k) => k === norm(value));
    return known
        ? {
              kind: "invalid",
              value,
              hint: `values are exact: '${known}', not ${JSON.stringify(value)}`,
          }
        : { kind: "invalid", value };
}
