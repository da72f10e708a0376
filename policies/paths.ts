// Property paths in the notation of references (graph.ts): `a.b`, `a[]` (array elements), `a{}`
// (a JSON document held as a string), `*` (any key). Matching a reference's path against a
// judge's patterns, and reading the values a pattern designates.

import { isUnknown, parseDocument } from "./values";

type Segment = { key: string; array: number; doc: boolean };

/** `a[]{}.b` → [{key a, array 1, doc true}, {key b}] (`[]` and `{}` apply to the key before). */
function segments(path: string): Segment[] {
    const out: Segment[] = [];
    for (const part of path.split(".")) {
        const m = /^([^[{]*)((?:\[\]|\{\})*)$/.exec(part);
        const key = m ? m[1] : part;
        const suffix = m ? m[2] : "";
        out.push({
            key,
            array: (suffix.match(/\[\]/g) ?? []).length,
            doc: suffix.includes("{}"),
        });
    }
    return out;
}

/** Whether a pattern segment admits a path segment (`*` admits any key; suffixes are ignored). */
function admits(p: Segment, s: Segment): boolean {
    return p.key === "*" || p.key === s.key;
}

/**
 * How a judge's patterns cover a path: `exact` when a pattern is the path or a prefix of it;
 * `coarse` when the path is a prefix of patterns (a reference known only by the property
 * dependency of its top-level input), with the patterns under it.
 */
export function coverage<K>(
    patterns: Readonly<Record<string, K>>,
    path: string,
): { exact?: K; under: K[] } {
    const ps = segments(path);
    let best: { k: K; len: number } | undefined;
    const under: K[] = [];
    for (const [pattern, kind] of Object.entries(patterns)) {
        const qs = segments(pattern);
        const n = Math.min(qs.length, ps.length);
        let ok = true;
        for (let i = 0; i < n && ok; i++) ok = admits(qs[i], ps[i]);
        if (!ok) continue;
        if (qs.length <= ps.length) {
            if (!best || qs.length > best.len) best = { k: kind, len: qs.length };
        } else {
            under.push(kind);
        }
    }
    return { exact: best?.k, under };
}

/** A value found at a path: the value (possibly an unknown sentinel) and where it was. */
export interface Found {
    value: unknown;
    path: string;
}

/**
 * The values a pattern designates in `props`. An unknown value met on the way is returned as
 * found (at the path reached so far): what it holds is not known until apply.
 */
export function read(props: Record<string, unknown>, pattern: string): Found[] {
    const out: Found[] = [];
    const segs = segments(pattern);
    const visit = (v: unknown, i: number, at: string): void => {
        if (v === undefined || v === null) return;
        if (isUnknown(v)) {
            out.push({ value: v, path: at });
            return;
        }
        if (i === segs.length) {
            out.push({ value: v, path: at });
            return;
        }
        const seg = segs[i];
        const o = v as Record<string, unknown>;
        if (typeof v !== "object" || Array.isArray(v)) return;
        const keys = seg.key === "*" ? Object.keys(o) : [seg.key];
        for (const k of keys) {
            let cur: unknown[] = [o[k]];
            let here = at ? `${at}.${k}` : k;
            for (let a = 0; a < seg.array; a++) {
                cur = cur.flatMap((x) => (Array.isArray(x) ? x : isUnknown(x) ? [x] : []));
                here += "[]";
            }
            if (seg.doc) {
                cur = cur.map((x) => (isUnknown(x) ? x : parseDocument(x)));
                here += "{}";
            }
            for (const x of cur) visit(x, i + 1, here);
        }
    };
    visit(props, 0, "");
    return out;
}

/** Every string leaf under a value (a destination given as an object: `{ bucketArn, ... }`). */
export function leaves(v: unknown, at: string): Found[] {
    if (v === undefined || v === null) return [];
    if (typeof v === "string") {
        if (isUnknown(v)) return [{ value: v, path: at }];
        const doc = parseDocument(v);
        return doc === undefined ? [{ value: v, path: at }] : leaves(doc, `${at}{}`);
    }
    if (Array.isArray(v)) return v.flatMap((x) => leaves(x, `${at}[]`));
    if (typeof v === "object")
        return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) =>
            leaves(x, `${at}.${k}`),
        );
    return [];
}
