// Readers of resource property values, shared by every policy of the pack: one definition of
// each, with one meaning. Property values come from the engine as JSON-like data in which a value
// not known until apply is one of Pulumi's unknown sentinels (`isUnknown`).
//
// Nothing here may import from outside policies/: the pack is published on its own.

/**
 * Pulumi's preview sentinels for values not yet computed (`@pulumi/policy` proxy.js). The string
 * one is what plan files and `pulumi preview --json` carry; the others are accepted too.
 */
export const UNKNOWN_SENTINELS: readonly string[] = [
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
];

/** The string unknown sentinel (`04da6b54-…`). */
export const UNKNOWN = UNKNOWN_SENTINELS[0];

/** Whether a value is not known until apply. */
export function isUnknown(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.includes(v);
}

/** A list: the value itself if it is one, `[]` for null/undefined, else `[v]`. */
export function asArray(v: unknown): unknown[] {
    return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** An object's fields, or `{}` for anything that is not a plain object. */
export function obj(v: unknown): Record<string, unknown> {
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * Whether an input is set to something: not absent, null, "" or false. An unknown value counts
 * as set (it may turn out to be anything), so a caller that tests `isSet` fails closed on it.
 */
export function isSet(v: unknown): boolean {
    return v !== undefined && v !== null && v !== "" && v !== false;
}

/** A non-empty string that is known at preview. */
export function isKnownString(v: unknown): v is string {
    return typeof v === "string" && v !== "" && !isUnknown(v);
}

/** Truthy boolean-ish input (`true` or "true"); unknown values are not true (test them first). */
export function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

/** A value for messages: "(unknown until apply)" or its JSON. */
export function show(v: unknown): string {
    return isUnknown(v) ? "(unknown until apply)" : JSON.stringify(v ?? null);
}

/** A reference for messages: the string itself, "(unknown until apply)" or "(not set)". */
export function refText(v: unknown): string {
    return isUnknown(v) ? "(unknown until apply)" : isKnownString(v) ? v : "(not set)";
}

/** A nested input (`dig(p, "a", "b")` = p.a.b): unknown if any level is, undefined if absent. */
export function dig(v: unknown, ...keys: string[]): unknown {
    let cur = v;
    for (const k of keys) {
        if (isUnknown(cur)) return cur;
        if (cur === undefined || cur === null) return undefined;
        cur = obj(cur)[k];
    }
    return cur;
}

/**
 * The policy SDK wraps props in a proxy that throws on reading an unknown value, and the SDK turns
 * that throw into an *advisory* "can't run during preview" note: fail-open. Residency must fail
 * closed, so the policies read the raw object behind the proxy and test for unknowns themselves.
 */
export function rawProps(props: Record<string, unknown>): Record<string, unknown> {
    const target = (props as Record<string, unknown>)["__getSpecialProxyTarget"];
    return (target && typeof target === "object" ? target : props) as Record<string, unknown>;
}

/** A JSON document given as a string or an object; undefined when it is neither (or invalid). */
export function parseDocument(v: unknown): unknown {
    if (typeof v !== "string") return v && typeof v === "object" ? v : undefined;
    const t = v.trimStart();
    if (!t.startsWith("{") && !t.startsWith("[")) return undefined;
    try {
        return JSON.parse(v);
    } catch {
        return undefined;
    }
}
