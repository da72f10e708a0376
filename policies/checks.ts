// The findings of the data-flow model for one resource, once flow.ts knows who holds which zone's
// data: references the pack does not know, resources that read zone data outside the zone,
// destinations that are outside it or cannot be proven, sources that cannot be proven, data sent
// to other regions or shared with other accounts, and policies that let someone outside the
// account reach zone data.

import { documents, principals, where, zoneText } from "./checks-access";
import type { Carry, DataFlow } from "./flow";
import { Node } from "./graph";
import { Judge, judgeFor, Kind, kindOf } from "./judges";
import { leaves, read } from "./paths";
import { regionText, zoneAllows, zoneRule } from "./residency";
import { isKnownString, isUnknown } from "./values";

/** Kinds that keep the data in place: the referring resource must be in the zone. */
const IN_PLACE: readonly Kind[] = ["attach", "key", "metric"];
const ROLE: Readonly<Record<string, string>> = {
    attach: "parent store",
    key: "encryption key",
    metric: "metric source",
};
const FAIL_CLOSED =
    "rule: data may only move between stores proven to stay in their zone (fail closed)";
const STRICT = "rule: replication destinations must be proven stores (fail closed)";

/** Why a resource is not in zone `z`'s regions and the stack's account; undefined if it is. */
function placement(f: DataFlow, n: Node, z: string, j: Judge | undefined): string | undefined {
    const acct = f.graph.stackAccount;
    if (n.account !== undefined && n.account !== acct) {
        return acct === undefined
            ? `it is created in account ${n.account} (its provider's), which cannot be compared with the stack's account (not configured)`
            : `it is created in account ${n.account} (its provider's), not the stack's account ${acct}`;
    }
    if (n.kind !== "resource") {
        if (n.region.kind !== "known" || !zoneAllows(f.config, z, n.region.region))
            return `it is in region ${regionText(n.region)}`;
        return undefined;
    }
    if (j?.worldwide)
        return "it serves its origins from edge locations worldwide (a CDN caches what they serve)";
    if (j?.multiRegion) return j.multiRegion;
    if (j?.regionless) return undefined;
    const landsIn = j?.landsIn && n.view ? n.view.props[j.landsIn] : undefined;
    if (isUnknown(landsIn)) return `it lands in a region not known until apply (${j!.landsIn})`;
    if (isKnownString(landsIn))
        return zoneAllows(f.config, z, landsIn)
            ? undefined
            : `it lands in region ${landsIn} (${j!.landsIn})`;
    if (n.region.kind !== "known") return `its region cannot be proven: ${regionText(n.region)}`;
    return zoneAllows(f.config, z, n.region.region)
        ? undefined
        : `it is in region ${n.region.region}`;
}

/** Why a node may not hold zone `z`'s data (placement, or a store classified otherwise). */
function receiverProblem(f: DataFlow, t: Node, z: string): string | undefined {
    const why = placement(f, t, z, judgeFor(t));
    if (why) return why;
    const c = t.classification;
    if (t.store && (c.kind === "global" || (c.kind === "zone" && c.zone !== z)))
        return `it is classified '${c.kind === "global" ? "global" : c.zone}' (a store holding zone data must be classified in that zone)`;
    return undefined;
}

/** The kind of the judge's pattern covering a path. */
function kindAt(j: Judge, path: string | undefined): Kind | undefined {
    return path === undefined
        ? undefined
        : kindOf(j, { target: undefined as never, path, value: "" });
}

/** All findings of one resource. */
export function judgeResource(f: DataFlow, n: Node): void {
    if (!n.view) return;
    const j = judgeFor(n);
    references(f, n, j);
    if (!j) return;
    const held = [...(f.carries.get(n) ?? new Map<string, Carry>())];
    for (const [z, c] of held) {
        const rule = zoneRule(f.config, z);
        if (c.origin === n) {
            // Its own region is judged by residency-region-outside-zone; where a copy lands, a
            // CDN or a multi-Region resource is judged here.
            const why =
                j.landsIn || j.worldwide || j.multiRegion ? placement(f, n, z, j) : undefined;
            if (why) f.report(n, `${where(n)} holds zone '${z}' data, but ${why}; ${rule}`);
            const acct = f.graph.stackAccount;
            if (n.account !== undefined && n.account !== acct)
                f.report(
                    n,
                    `${where(n)} holds zone '${z}' data in account ${n.account} (its provider's), not the stack's account${acct ? ` ${acct}` : " (not configured)"}; ${rule} and stay in the stack's account`,
                );
            continue;
        }
        // Data it reads (not data sent to it: the sender answers for that).
        if (c.sender) continue;
        // A source known only by its name is reported as unprovable (sources below).
        if (c.origin.kind === "named" && c.via.length === 0 && kindAt(j, c.path) === "source")
            continue;
        const why = receiverProblem(f, n, z);
        if (why)
            f.report(n, `${where(n)} reads ${zoneText(z, c)} (${c.path}), but ${why}; ${rule}`);
    }
    for (const e of f.outbound.get(n) ?? []) {
        for (const [z, c] of held) {
            const why = e.to.kind === "resource" ? receiverProblem(f, e.to, z) : undefined;
            if (why)
                f.report(
                    n,
                    `${where(n)} sends ${zoneText(z, c)} to ${e.to.label} (${e.path}), but ${why}; ${zoneRule(f.config, z)}`,
                );
        }
    }
    sources(f, n, j, held);
    if (held.length > 0 || j.strictSinks) sinks(f, n, j, held);
    for (const [z, c] of held) {
        regionSinks(f, n, j, z, c);
        shares(f, n, j, z, c);
    }
    principals(f, n, j);
    documents(f, n, j);
}

/** Every reference to zone data must be one the pack knows, and in-place ones in the zone. */
function references(f: DataFlow, n: Node, j: Judge | undefined): void {
    const v = n.view!;
    for (const r of f.graph.refsOf(n)) {
        const zones = f.carries.get(r.target);
        if (!zones) continue;
        const [z, c] = [...zones][0];
        const rule = zoneRule(f.config, z);
        if (!j) {
            f.report(
                n,
                `${where(n)} refers to ${zoneText(z, c)} at ${r.path}; the pack does not know how a ${v.type} moves data (unknown types fail closed); ${rule}`,
            );
            continue;
        }
        const kind = kindOf(j, r);
        if (kind === undefined) {
            f.report(
                n,
                `${where(n)} refers to ${zoneText(z, c)} at ${r.path}, a reference the pack does not know for ${v.type} (fail closed); ${rule}`,
            );
        } else if (IN_PLACE.includes(kind)) {
            for (const [zz, cc] of zones) {
                const why = placement(f, n, zz, j);
                if (why)
                    f.report(
                        n,
                        `${where(n)} uses ${zoneText(zz, cc)} as its ${ROLE[kind]} (${r.path}), but ${why}; ${zoneRule(f.config, zz)}`,
                    );
            }
        }
    }
}

/** A mover's sources must be proven: an unknown one could be zone data. */
function sources(f: DataFlow, n: Node, j: Judge, held: [string, Carry][]): void {
    const v = n.view!;
    for (const [pattern, kind] of Object.entries(j.refs)) {
        if (kind !== "source") continue;
        const found = read(v.props, pattern).flatMap((x) =>
            typeof x.value === "object" && x.value !== null ? leaves(x.value, x.path) : [x],
        );
        for (const x of found) {
            if (x.value === undefined || x.value === null || x.value === "") continue;
            // A wildcard picks what it matches (the judge's `picks`), never one provable store.
            if (typeof x.value === "string" && x.value.includes("*")) continue;
            // A store known only by its name proves nothing (it may not exist, or be another).
            const found = f.resolveValue(v, x.value, x.path).filter((t) => t.kind !== "named");
            if (found.length > 0) continue;
            const why = isUnknown(x.value)
                ? "not known until apply, and no property dependency names a resource it comes from"
                : "no plan of this stack shows it and the pack's config does not declare it (names are no proof)";
            const what = isUnknown(x.value) ? "a source" : JSON.stringify(x.value);
            const z = held[0]?.[0];
            f.report(
                n,
                `${where(n)} copies from ${what} at ${x.path}, whose residency cannot be proven: ${why}; ${FAIL_CLOSED}${z ? `; ${zoneRule(f.config, z)}` : ""}`,
            );
        }
    }
}

function sinks(f: DataFlow, n: Node, j: Judge, held: [string, Carry][]): void {
    const v = n.view!;
    const zoneList: [string, Carry | undefined][] = held.length > 0 ? held : [["", undefined]];
    for (const [pattern, kind] of Object.entries(j.refs)) {
        if (kind !== "sink" && kind !== "alias") continue;
        const found = read(v.props, pattern).flatMap((x) =>
            typeof x.value === "object" && x.value !== null ? leaves(x.value, x.path) : [x],
        );
        for (const x of found) {
            if (x.value === undefined || x.value === null || x.value === "") continue;
            const targets = f.resolveValue(v, x.value, x.path);
            if (targets.length === 0) {
                const shown = isUnknown(x.value)
                    ? "a destination not known until apply"
                    : JSON.stringify(x.value);
                const why = isUnknown(x.value)
                    ? "no property dependency names the resource it comes from"
                    : "no plan of this stack shows it and the pack's config does not declare it (names are no proof)";
                for (const [z, c] of zoneList)
                    f.report(
                        n,
                        `${where(n)} sends ${c ? zoneText(z, c) : "its data"} to ${shown} at ${x.path}, which cannot be proven: ${why}; ${z ? zoneRule(f.config, z) : STRICT}`,
                    );
                continue;
            }
            for (const t of targets) destination(f, n, t, x.path, held, j.strictSinks === true);
        }
    }
}

/** A destination outside the stack (declared or named), and a strict sink's classification. */
function destination(
    f: DataFlow,
    n: Node,
    t: Node,
    path: string,
    held: [string, Carry][],
    strict: boolean,
): void {
    if (t.kind === "named") {
        for (const [z, c] of held.length > 0 ? held : [["", undefined] as const])
            f.report(
                n,
                `${where(n)} sends ${c ? zoneText(z, c) : "its data"} to ${t.label} at ${path}; a name is no proof of where a store is (declare it in the pack's config); ${z ? zoneRule(f.config, z) : STRICT}`,
            );
        return;
    }
    const cls = t.classification;
    if (strict && held.length === 0) {
        if (cls.kind === "zone")
            f.report(
                n,
                `${where(n)} replicates data not classified in zone '${cls.zone}' into ${t.label} (zone ${cls.zone}) at ${path}; ${zoneRule(f.config, cls.zone)}`,
            );
        else if (cls.kind !== "global")
            f.report(
                n,
                `${where(n)} replicates into ${t.label} at ${path}, whose classification cannot be proven (${cls.kind}); ${STRICT}`,
            );
    }
    if (t.kind !== "declared") return; // a resource of the stack: judged along the outbound edge
    for (const [z, c] of held) {
        const why = receiverProblem(f, t, z);
        if (why)
            f.report(
                n,
                `${where(n)} sends ${zoneText(z, c)} to ${t.label} at ${path}, but ${why}; ${zoneRule(f.config, z)}`,
            );
    }
}

function regionSinks(f: DataFlow, n: Node, j: Judge, z: string, c: Carry): void {
    for (const pattern of j.regionSinks ?? []) {
        for (const x of read(n.view!.props, pattern)) {
            if (isKnownString(x.value) && zoneAllows(f.config, z, x.value)) continue;
            const at = isUnknown(x.value)
                ? "a region not known until apply"
                : `region ${String(x.value)}`;
            f.report(
                n,
                `${where(n)} sends ${zoneText(z, c)} to ${at} (${x.path}); ${zoneRule(f.config, z)}`,
            );
        }
    }
}

function accountProblem(value: unknown, acct: string | undefined): string | undefined {
    if (isUnknown(value)) return "an account not known until apply";
    if (acct === undefined)
        return `account ${String(value)}, which cannot be compared with the stack's account (not configured: set the pack config 'account')`;
    return value === acct ? undefined : `account ${String(value)}, not the stack's account ${acct}`;
}

function shares(f: DataFlow, n: Node, j: Judge, z: string, c: Carry): void {
    for (const pattern of j.shares ?? []) {
        const found = read(n.view!.props, pattern).flatMap((x) =>
            Array.isArray(x.value) ? x.value.map((value) => ({ value, path: `${x.path}[]` })) : [x],
        );
        for (const x of found) {
            if (x.value === undefined || x.value === null || x.value === "") continue;
            const who = accountProblem(x.value, f.graph.stackAccount);
            if (who)
                f.report(
                    n,
                    `${where(n)} shares ${zoneText(z, c)} with ${who} (${x.path}); ${zoneRule(f.config, z)} and stay in the stack's account`,
                );
        }
    }
}
