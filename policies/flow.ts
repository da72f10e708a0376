// The closed-world data-flow model behind `residency-data-flow`: zone data is what a store
// classified in a zone holds, and whatever receives data from such a store (a copy, a stream, a
// subscriber, a role allowed to read it and the compute that runs as that role) holds zone data
// in turn, hop after hop. Every reference to zone data must be one the pack knows to keep the data
// in the zone's regions and the stack's account; every receiver must itself be in the zone; every
// destination of zone data must be proven (a store of the stack, or one the pack's config
// declares). Anything else — an unknown type, an unknown path, a value not known until apply, a
// store known only by its name — fails closed.

import { principalProblem, readDocument, trustProblem } from "./documents";
import { Node, Ref, StackGraph, topKey } from "./graph";
import { DocumentSpec, Judge, judgeOf, Kind } from "./judges";
import { coverage, leaves, read } from "./paths";
import {
    label,
    regionText,
    ResidencyConfig,
    ResourceView,
    zoneAllows,
    zoneRule,
} from "./residency";
import { isKnownString, isUnknown } from "./values";

export interface Finding {
    urn: string;
    message: string;
}

/** Zone data a node holds, and where it came from (for messages). */
interface Carry {
    origin: Node;
    /** The hops from the origin, e.g. ["aws:sns/topicSubscription:TopicSubscription 'x' (topic)"]. */
    via: string[];
}

const INERT: Judge = { refs: { "*": "inert" } };
/** Kinds that make the referring resource hold the target's zone data. */
const INBOUND: readonly Kind[] = ["reads", "source", "assume"];
/** Kinds along which the referring resource's data moves to the target. */
const OUTBOUND: readonly Kind[] = ["sink", "grantee"];
/** Kinds that keep the data in place: the referring resource must be in the zone. */
const IN_PLACE: readonly Kind[] = ["attach", "key", "metric"];
/** For a reference known only by a property dependency: the most data-moving kind under it. */
const SEVERITY: readonly Kind[] = [
    "source",
    "reads",
    "assume",
    "sink",
    "grantee",
    "attach",
    "key",
    "metric",
    "member",
    "inert",
];

function judgeFor(n: Node): Judge | undefined {
    if (n.component || n.view?.type.startsWith("pulumi:providers:")) return INERT;
    return n.view ? judgeOf(n.view.type) : undefined;
}

/** The kind of a reference by its path, or undefined when the judge does not cover it. */
function kindOf(j: Judge, r: Ref): Kind | undefined {
    const docs = (j.docs ?? []).map((d) => d.path);
    const docOwned = docs.some(
        (d) =>
            r.path === d ||
            r.path.startsWith(`${d}{`) ||
            r.path.startsWith(`${d}.`) ||
            topKey(d) === r.path,
    );
    if (docOwned) return "inert"; // judged as a document
    const c = coverage(j.refs, r.path);
    if (c.exact) return c.exact;
    if (r.value === undefined && c.under.length > 0)
        return SEVERITY.find((k) => c.under.includes(k));
    return undefined;
}

export class DataFlow {
    private readonly carries = new Map<Node, Map<string, Carry>>();
    private readonly inbound = new Map<Node, { from: Node; path: string }[]>();
    private readonly outbound = new Map<Node, { to: Node; path: string }[]>();
    private readonly findings: Finding[] = [];
    private readonly seen = new Set<string>();

    constructor(
        readonly graph: StackGraph,
        readonly config: ResidencyConfig,
    ) {}

    private report(n: Node, message: string): void {
        const key = `${n.id}\n${message}`;
        if (this.seen.has(key)) return;
        this.seen.add(key);
        this.findings.push({ urn: n.id, message });
    }

    private edge(
        map: Map<Node, { from?: Node; to?: Node; path: string }[]>,
        k: Node,
        e: { from?: Node; to?: Node; path: string },
    ) {
        const list = map.get(k) ?? [];
        list.push(e);
        map.set(k, list);
    }

    /** Runs the model; the findings, in the order of the stack's resources. */
    run(): Finding[] {
        const g = this.graph;
        const queue: Node[] = [];
        const gain = (n: Node, zone: string, c: Carry) => {
            const m = this.carries.get(n) ?? new Map<string, Carry>();
            if (m.has(zone)) return;
            m.set(zone, c);
            this.carries.set(n, m);
            queue.push(n);
        };
        // Edges, once: who reads from whom, where each resource's data goes.
        for (const n of g.nodes) {
            const j = judgeFor(n);
            if (!j || !n.view) continue;
            for (const r of g.refsOf(n)) {
                const kind = kindOf(j, r);
                if (kind && INBOUND.includes(kind))
                    this.edge(this.inbound, r.target, { from: n, path: r.path });
                if (kind && OUTBOUND.includes(kind))
                    this.edge(this.outbound, n, { to: r.target, path: r.path });
            }
            for (const d of j.docs ?? []) this.documentEdges(n, d, gain);
        }
        for (const n of [...g.nodes, ...this.externalTargets()]) {
            if (n.classification.kind === "zone")
                gain(n, n.classification.zone, { origin: n, via: [] });
        }
        while (queue.length > 0) {
            const n = queue.shift()!;
            const zones = this.carries.get(n)!;
            for (const { from, path } of this.inbound.get(n) ?? []) {
                for (const [z, c] of zones)
                    gain(from!, z, {
                        origin: c.origin,
                        via: [
                            ...c.via,
                            `${label(n.view ?? { type: "", name: n.label })} → ${path}`,
                        ],
                    });
            }
            for (const { to, path } of this.outbound.get(n) ?? []) {
                for (const [z, c] of zones)
                    gain(to!, z, { origin: c.origin, via: [...c.via, `${n.label} (${path})`] });
            }
        }
        for (const n of g.nodes) this.judge(n);
        return this.findings;
    }

    /** Stores outside the stack that references resolved to (config entries, names). */
    private externalTargets(): Node[] {
        const out = new Set<Node>();
        for (const n of this.graph.nodes)
            for (const r of this.graph.refsOf(n))
                if (r.target.kind !== "resource") out.add(r.target);
        return [...out];
    }

    private zoneText(z: string, c: Carry): string {
        const hops = c.via.length > 0 ? ` through ${c.via.join(" → ")}` : "";
        return `zone '${z}' data of ${c.origin.label}${hops}`;
    }

    /** Whether a resource is in zone `z`'s regions (or a global service) and the stack's account. */
    private placement(n: Node, z: string, j: Judge | undefined): string | undefined {
        const acct = this.graph.stackAccount;
        if (n.account !== undefined && n.account !== acct) {
            return acct === undefined
                ? `it is created in account ${n.account} (its provider's), which cannot be compared with the stack's account (not configured)`
                : `it is created in account ${n.account} (its provider's), not the stack's account ${acct}`;
        }
        if (j?.regionless) return undefined;
        const landsIn = j?.landsIn && n.view ? n.view.props[j.landsIn] : undefined;
        if (isUnknown(landsIn)) return `it lands in a region not known until apply (${j!.landsIn})`;
        if (isKnownString(landsIn))
            return zoneAllows(this.config, z, landsIn)
                ? undefined
                : `it lands in region ${landsIn} (${j!.landsIn})`;
        if (n.region.kind !== "known")
            return `its region cannot be proven: ${regionText(n.region)}`;
        return zoneAllows(this.config, z, n.region.region)
            ? undefined
            : `it is in region ${n.region.region}`;
    }

    private where(n: Node): string {
        return `${n.label} (region ${regionText(n.region)})`;
    }

    /** Findings of one resource, once the flow is known. */
    private judge(n: Node): void {
        const v = n.view;
        if (!v) return;
        const j = judgeFor(n);
        const held = this.carries.get(n);
        // 1. Every reference to zone data must be one the pack knows.
        for (const r of this.graph.refsOf(n)) {
            const zones = this.carries.get(r.target);
            if (!zones) continue;
            const [z, c] = [...zones][0];
            if (!j) {
                this.report(
                    n,
                    `${this.where(n)} refers to ${this.zoneText(z, c)} at ${r.path}; the pack does not know how a ${v.type} moves data (unknown types fail closed); ${zoneRule(this.config, z)}`,
                );
                continue;
            }
            const kind = kindOf(j, r);
            if (kind === undefined) {
                this.report(
                    n,
                    `${this.where(n)} refers to ${this.zoneText(z, c)} at ${r.path}, a reference the pack does not know for ${v.type} (fail closed); ${zoneRule(this.config, z)}`,
                );
            } else if (IN_PLACE.includes(kind)) {
                for (const [zz, cc] of zones) {
                    const why = this.placement(n, zz, j);
                    if (why)
                        this.report(
                            n,
                            `${this.where(n)} uses ${this.zoneText(zz, cc)} as its ${kind === "attach" ? "parent store" : kind === "key" ? "encryption key" : "metric source"} (${r.path}), but ${why}; ${zoneRule(this.config, zz)}`,
                        );
                }
            }
        }
        if (!j) return;
        // 2. A resource holding zone data it did not start with must be in the zone.
        for (const [z, c] of held ?? []) {
            if (c.origin === n) {
                const acct = this.graph.stackAccount;
                if (n.account !== undefined && n.account !== acct)
                    this.report(
                        n,
                        `${this.where(n)} holds zone '${z}' data in account ${n.account} (its provider's), not the stack's account${acct ? ` ${acct}` : " (not configured)"}; ${zoneRule(this.config, z)} and stay in the stack's account`,
                    );
                continue;
            }
            const rule = zoneRule(this.config, z);
            if (j.worldwide) {
                this.report(
                    n,
                    `${n.label} serves ${this.zoneText(z, c)} from edge locations worldwide (a CDN caches what its origins serve); ${rule}`,
                );
                continue;
            }
            if (j.multiRegion) {
                this.report(
                    n,
                    `${n.label} routes requests for ${this.zoneText(z, c)} to the closest of its buckets, in any Region; ${rule}`,
                );
                continue;
            }
            const why = this.placement(n, z, j);
            if (why)
                this.report(
                    n,
                    `${this.where(n)} receives ${this.zoneText(z, c)}, but ${why}; ${rule}`,
                );
            else if (
                n.store &&
                (n.classification.kind === "global" ||
                    (n.classification.kind === "zone" && n.classification.zone !== z))
            ) {
                const as = n.classification.kind === "global" ? "global" : n.classification.zone;
                this.report(
                    n,
                    `${this.where(n)} receives ${this.zoneText(z, c)} but is classified '${as}'; a store holding zone data must be classified in that zone; ${rule}`,
                );
            }
        }
        // 3. Destinations, sources, regions and accounts the resource's data is sent to.
        const zones = [...(held ?? new Map<string, Carry>())];
        this.sources(n, j, zones);
        if (zones.length > 0 || j.strictSinks) this.sinks(n, j, zones);
        for (const [z, c] of zones) {
            this.regionSinks(n, j, z, c);
            this.shares(n, j, z, c);
        }
        this.principals(n, j);
        this.documents(n, j);
    }

    /** A mover's sources must be proven: an unknown one could be zone data. */
    private sources(n: Node, j: Judge, zones: [string, Carry][]): void {
        const v = n.view!;
        for (const [pattern, kind] of Object.entries(j.refs)) {
            if (kind !== "source") continue;
            for (const f of read(v.props, pattern)) {
                if (f.value === undefined || f.value === null || f.value === "") continue;
                // A store known only by its name proves nothing (it may not exist, or be another).
                const found = this.resolveValue(v, f.value, f.path).filter(
                    (x) => x.kind !== "named",
                );
                if (found.length > 0) continue;
                // Proven only if a found node carries zones or is proven global.
                const why = isUnknown(f.value)
                    ? "not known until apply, and no property dependency names a resource it comes from"
                    : `no plan of this stack shows it and the pack's config does not declare it (names are no proof)`;
                const z = zones[0]?.[0];
                this.report(
                    n,
                    `${this.where(n)} copies from ${isUnknown(f.value) ? "a source" : JSON.stringify(f.value)} at ${f.path}, whose residency cannot be proven: ${why}; rule: data may only move between stores proven to stay in their zone (fail closed)${z ? `; ${zoneRule(this.config, z)}` : ""}`,
                );
            }
        }
    }

    /** Nodes a value (or the property dependencies of its input) designates. */
    private resolveValue(v: ResourceView, value: unknown, path: string): Node[] {
        if (isKnownString(value)) return this.graph.resolve(value);
        if (!isUnknown(value)) return [];
        return (v.deps?.[topKey(path)] ?? [])
            .map((u) => this.graph.byUrn.get(u))
            .filter((x): x is Node => x !== undefined);
    }

    private sinks(n: Node, j: Judge, zones: [string, Carry][]): void {
        const v = n.view!;
        for (const [pattern, kind] of Object.entries(j.refs)) {
            if (kind !== "sink") continue;
            for (const f of read(v.props, pattern).flatMap((x) =>
                typeof x.value === "object" && x.value !== null ? leaves(x.value, x.path) : [x],
            )) {
                if (f.value === undefined || f.value === null || f.value === "") continue;
                const targets = this.resolveValue(v, f.value, f.path);
                const shown = isUnknown(f.value)
                    ? "a destination not known until apply"
                    : JSON.stringify(f.value);
                if (targets.length === 0) {
                    const why = isUnknown(f.value)
                        ? "no property dependency names the resource it comes from"
                        : "no plan of this stack shows it and the pack's config does not declare it (names are no proof)";
                    for (const [z, c] of zones.length > 0 ? zones : [["", undefined] as const]) {
                        this.report(
                            n,
                            `${this.where(n)} sends ${c ? this.zoneText(z, c) : "its data"} to ${shown} at ${f.path}, which cannot be proven: ${why}; ${z ? zoneRule(this.config, z) : "rule: replication destinations must be proven stores (fail closed)"}`,
                        );
                    }
                    continue;
                }
                for (const t of targets)
                    this.checkDestination(n, t, f.path, zones, j.strictSinks === true);
            }
        }
    }

    /** A destination outside the stack (declared or named) is judged here; a resource as a receiver. */
    private checkDestination(
        n: Node,
        t: Node,
        path: string,
        zones: [string, Carry][],
        strict: boolean,
    ): void {
        if (t.kind === "named") {
            for (const [z, c] of zones.length > 0 ? zones : [["", undefined] as const])
                this.report(
                    n,
                    `${this.where(n)} sends ${c ? this.zoneText(z, c) : "its data"} to ${t.label} at ${path}; a name is no proof of where a store is (declare it in the pack's config); ${z ? zoneRule(this.config, z) : "rule: replication destinations must be proven stores (fail closed)"}`,
                );
            return;
        }
        const cls = t.classification;
        if (strict && zones.length === 0) {
            if (cls.kind === "zone")
                this.report(
                    n,
                    `${this.where(n)} replicates data not classified in zone '${cls.zone}' into ${t.label} (zone ${cls.zone}) at ${path}; ${zoneRule(this.config, cls.zone)}`,
                );
            else if (cls.kind !== "global")
                this.report(
                    n,
                    `${this.where(n)} replicates into ${t.label} at ${path}, whose classification cannot be proven (${cls.kind}); rule: replication destinations must be proven stores (fail closed)`,
                );
        }
        if (t.kind !== "declared") return; // a resource of the stack is judged as a receiver
        for (const [z, c] of zones) {
            const region = t.region.kind === "known" ? t.region.region : "";
            if (!zoneAllows(this.config, z, region) || cls.kind !== "zone" || cls.zone !== z)
                this.report(
                    n,
                    `${this.where(n)} sends ${this.zoneText(z, c)} to ${t.label} (classified '${cls.kind === "zone" ? cls.zone : cls.kind}', region ${region}) at ${path}; ${zoneRule(this.config, z)}`,
                );
            else if (t.account !== undefined && t.account !== this.graph.stackAccount)
                this.report(
                    n,
                    `${this.where(n)} sends ${this.zoneText(z, c)} to ${t.label} in account ${t.account}, not the stack's account; ${zoneRule(this.config, z)}`,
                );
        }
    }

    private regionSinks(n: Node, j: Judge, z: string, c: Carry): void {
        for (const pattern of j.regionSinks ?? []) {
            for (const f of read(n.view!.props, pattern)) {
                if (isKnownString(f.value) && zoneAllows(this.config, z, f.value)) continue;
                const at = isUnknown(f.value)
                    ? "a region not known until apply"
                    : `region ${String(f.value)}`;
                this.report(
                    n,
                    `${this.where(n)} sends ${this.zoneText(z, c)} to ${at} (${f.path}); ${zoneRule(this.config, z)}`,
                );
            }
        }
    }

    private shares(n: Node, j: Judge, z: string, c: Carry): void {
        const acct = this.graph.stackAccount;
        for (const pattern of j.shares ?? []) {
            for (const f of read(n.view!.props, pattern).flatMap((x) =>
                Array.isArray(x.value)
                    ? x.value.map((value) => ({ value, path: `${x.path}[]` }))
                    : [x],
            )) {
                if (f.value === undefined || f.value === null || f.value === "") continue;
                if (acct !== undefined && f.value === acct) continue;
                const who = isUnknown(f.value)
                    ? "an account not known until apply"
                    : acct === undefined
                      ? `account ${String(f.value)}, which cannot be compared with the stack's account (not configured: set the pack config 'account')`
                      : `account ${String(f.value)}, not the stack's account ${acct}`;
                this.report(
                    n,
                    `${this.where(n)} shares ${this.zoneText(z, c)} with ${who} (${f.path}); ${zoneRule(this.config, z)} and stay in the stack's account`,
                );
            }
        }
    }

    /** Principals a resource grants access to what it governs (a Lambda permission, a KMS grant). */
    private principals(n: Node, j: Judge): void {
        if (!j.principals) return;
        const governed = this.graph
            .refsOf(n)
            .filter((r) => kindOf(j, r) === "attach")
            .map((r) => r.target);
        for (const g of governed) {
            for (const [z, c] of this.carries.get(g) ?? []) {
                for (const pattern of j.principals) {
                    for (const f of read(n.view!.props, pattern)) {
                        const p = String(f.value);
                        const principal = isUnknown(f.value)
                            ? { kind: "unknown" as const }
                            : /^\d{12}$/.test(p) || p.startsWith("arn:")
                              ? {
                                    kind: "account" as const,
                                    account: p.startsWith("arn:") ? (p.split(":")[4] ?? "") : p,
                                }
                              : p === "*"
                                ? { kind: "public" as const }
                                : { kind: "service" as const, service: p };
                        const why = principalProblem(
                            principal,
                            {
                                index: 0,
                                sid: "",
                                principals: [],
                                notPrincipal: false,
                                reads: true,
                                resources: "any",
                                accounts: [],
                                regions: [],
                            },
                            this.graph.stackAccount,
                            this.config.zones[z] ?? [],
                        );
                        if (why)
                            this.report(
                                n,
                                `${this.where(n)} grants ${why} access to ${this.zoneText(z, c)} (${f.path}); ${zoneRule(this.config, z)} and stay in the stack's account`,
                            );
                    }
                }
            }
        }
    }

    /** Edges a resource's documents add: identity grants to their grantees, resource-policy principals. */
    private documentEdges(
        n: Node,
        d: DocumentSpec,
        gain: (n: Node, z: string, c: Carry) => void,
    ): void {
        const v = n.view!;
        for (const f of read(v.props, d.path.endsWith("{}") ? d.path.slice(0, -2) : d.path)) {
            if (d.kind === "trust") continue; // judged once the role's access is known
            const doc = readDocument(f.value);
            if (d.kind === "identity") {
                if (doc.kind === "unknown" || doc.kind === "invalid") {
                    // Not known at preview: it may grant anything it depends on.
                    for (const t of this.resolveValue(
                        v,
                        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                        f.path,
                    ))
                        this.edge(this.inbound, t, {
                            from: n,
                            path: `${f.path} (a document not known until apply)`,
                        });
                    continue;
                }
                for (const st of doc.statements) {
                    if (!st.reads) continue;
                    if (st.resources === "any") {
                        const zones = Object.keys(this.config.zones).filter(
                            (z) =>
                                st.regions.length === 0 ||
                                st.regions.some((r) => zoneAllows(this.config, z, r)),
                        );
                        for (const z of zones)
                            gain(n, z, {
                                origin: {
                                    ...n,
                                    label: `every store of the account its statement ${st.sid} reaches (Resource '*')`,
                                },
                                via: [],
                            });
                        continue;
                    }
                    for (const res of st.resources) {
                        for (const t of this.graph.resolve(res))
                            this.edge(this.inbound, t, {
                                from: n,
                                path: `${f.path}{} statement ${st.sid}`,
                            });
                        const region = broadPattern(res);
                        if (region === undefined) continue;
                        // A pattern over many stores (`table/*`, `arn:aws:s3:::taskflow-*`) reaches
                        // every store it matches, in this stack or not: every zone of its region.
                        for (const z of Object.keys(this.config.zones).filter(
                            (zz) => region === "*" || zoneAllows(this.config, zz, region),
                        ))
                            gain(n, z, {
                                origin: {
                                    ...n,
                                    label: `every store matching ${res} (statement ${st.sid})`,
                                },
                                via: [],
                            });
                    }
                }
            } else if (doc.kind === "statements") {
                // Resource policy: same-account principals the stack shows can read what it governs.
                for (const st of doc.statements) {
                    if (!st.reads) continue;
                    for (const p of st.principals) {
                        if (p.kind !== "account" || !p.arn) continue;
                        for (const t of this.graph.resolve(p.arn))
                            this.edge(this.outbound, this.governed(n, d) ?? n, {
                                to: t,
                                path: `${f.path}{} statement ${st.sid} principal`,
                            });
                    }
                }
            }
        }
    }

    private governed(n: Node, d: DocumentSpec): Node | undefined {
        if (!d.governs) return n;
        const r = this.graph.refsOf(n).find((x) => topKey(x.path) === d.governs);
        return r?.target;
    }

    /** Resource policies of zone data and trust policies of roles that can read it. */
    private documents(n: Node, j: Judge): void {
        const v = n.view!;
        for (const d of j.docs ?? []) {
            if (d.kind === "identity") continue;
            const target = d.kind === "trust" ? n : this.governed(n, d);
            const zones = target ? this.carries.get(target) : undefined;
            if (!zones) continue;
            for (const f of read(v.props, d.path)) {
                const doc = readDocument(f.value);
                for (const [z, c] of zones) {
                    const rule = `${zoneRule(this.config, z)} and stay in the stack's account`;
                    if (doc.kind !== "statements") {
                        this.report(
                            n,
                            `${this.where(n)} has a ${d.kind === "trust" ? "trust" : "resource"} policy (${f.path}) ${doc.kind === "unknown" ? "not known until apply" : "that is not a valid policy document"}, so who may reach ${this.zoneText(z, c)} cannot be proven (fail closed); ${rule}`,
                        );
                        continue;
                    }
                    for (const st of doc.statements) {
                        for (const p of st.principals) {
                            const why =
                                d.kind === "trust"
                                    ? trustProblem(p, st, this.graph.stackAccount)
                                    : principalProblem(
                                          p,
                                          st,
                                          this.graph.stackAccount,
                                          this.config.zones[z] ?? [],
                                      );
                            if (why)
                                this.report(
                                    n,
                                    `${this.where(n)} ${d.kind === "trust" ? "lets" : "grants"} ${why} ${d.kind === "trust" ? "assume a role that can read" : "access to"} ${this.zoneText(z, c)} (${f.path} statement ${st.sid}); ${rule}`,
                                );
                        }
                    }
                }
            }
        }
    }
}

/**
 * ARN services whose resources hold no stored data (scaling, orchestration, identity, metrics
 * and alarms, DNS, load balancing, schedules): a pattern over them reaches no zone data. Any
 * other service, known or not, is taken to hold data (fail closed).
 */
const CONTROL_PLANE_SERVICES = [
    "application-autoscaling",
    "autoscaling",
    "ecs",
    "iam",
    "sts",
    "cloudwatch",
    "route53",
    "elasticloadbalancing",
    "scheduler",
    "globalaccelerator",
    "acm",
    "wafv2",
    "cloudfront",
    "servicediscovery",
    "xray",
];

/**
 * The region of an ARN pattern that matches many resources (a wildcard within the resource's
 * name, not below it: `table/*` and `table/app-*` do, `table/orders/index/*` and
 * `arn:aws:s3:::bucket/*` do not), `*` for any region; undefined when it names one resource.
 */
export function broadPattern(arn: string): string | undefined {
    if (!arn.includes("*") && !arn.includes("?")) return undefined;
    const parts = arn.split(":");
    if (parts.length < 6 || parts[0] !== "arn") return "*";
    if (CONTROL_PLANE_SERVICES.includes(parts[2])) return undefined;
    const region = parts[3] === "" || parts[3].includes("*") ? "*" : parts[3];
    const tail = parts.slice(5).join(":");
    // The name segment: S3 ARNs are `bucket[/key]`; others `type/name[...]` or `type:name[...]`.
    const name = parts[2] === "s3" ? tail.split("/")[0] : (tail.split(/[/:]/)[1] ?? tail);
    return /[*?]/.test(name) || parts[4].includes("*") ? region : undefined;
}

/** The data-flow findings of one stack. */
export function dataFlowFindings(
    views: readonly ResourceView[],
    config: ResidencyConfig,
    stackAccount: string | undefined,
): Finding[] {
    return new DataFlow(new StackGraph(views, config, stackAccount), config).run();
}
