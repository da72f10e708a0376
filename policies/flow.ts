// The closed-world data-flow model behind `residency-data-flow`: zone data is what a store
// classified in a zone holds, and whatever receives data from such a store (a copy, a stream, a
// subscriber, a role allowed to read it and the compute that runs as that role) holds zone data
// in turn, hop after hop. Every reference to zone data must be one the pack knows to keep the data
// in the zone's regions and the stack's account; every receiver must itself be in the zone; every
// destination of zone data must be proven (a store of the stack, or one the pack's config
// declares). Anything else — an unknown type, an unknown path, a value not known until apply, a
// store known only by its name — fails closed.
//
// This file finds who holds which zone's data (the propagation); checks.ts judges each resource;
// data-flow.ts runs both over one stack.

import { readDocument } from "./documents";
import { Node, StackGraph, topKey } from "./graph";
import { DocumentSpec, judgeFor, Kind, kindOf } from "./judges";
import { read } from "./paths";
import { ResidencyConfig, ResourceView, zoneAllows } from "./residency";
import { isKnownString, isUnknown, UNKNOWN } from "./values";

export interface Finding {
    urn: string;
    message: string;
}

/** Zone data a node holds, and how it came to hold it (for messages and for who is to blame). */
export interface Carry {
    origin: Node;
    /** The resources between the origin and the holder. */
    via: string[];
    /** The resource that sent it here along one of its sinks, when it was sent (not read). */
    sender?: Node;
    /** The reference it came along (the reader's path, or the sender's). */
    path?: string;
    /** The holder should not hold it (a store classified otherwise): it is not passed on. */
    stopped?: boolean;
}

/** A finding's problem independently of its zone: the message without the zone and its rule. */
function zoneKey(message: string): { what: string; zone: string } | undefined {
    const m = /zone '([^']+)' data/.exec(message);
    if (!m) return undefined;
    const what = message.split("; rule:")[0].replace(/zone '[^']+'/g, "zone *");
    return { what, zone: m[1] };
}

/** A store classified as global or another zone: zone data reaching it is a finding, not a hop. */
function misplaced(n: Node, zone: string): boolean {
    const c = n.classification;
    return n.store && (c.kind === "global" || (c.kind === "zone" && c.zone !== zone));
}

/** The hops to a node's neighbour: the node's own hops, and the node unless it is the origin. */
function hops(c: Carry, n: Node): string[] {
    return c.origin === n ? c.via : [...c.via, n.label];
}

/** Kinds that make the referring resource hold the target's zone data. */
export const INBOUND: readonly Kind[] = ["reads", "source", "alias", "assume"];
/** Kinds along which the referring resource's data moves to the target. */
export const OUTBOUND: readonly Kind[] = ["sink", "alias", "grantee"];

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

export interface Edge {
    from: Node;
    to: Node;
    path: string;
}

export class DataFlow {
    readonly carries = new Map<Node, Map<string, Carry>>();
    /** target → resources that read from it; resource → where its data goes. */
    readonly inbound = new Map<Node, Edge[]>();
    readonly outbound = new Map<Node, Edge[]>();
    readonly findings: Finding[] = [];
    private readonly byKey = new Map<string, { finding: Finding; zones: string[] }>();
    private readonly queue: Node[] = [];

    constructor(
        readonly graph: StackGraph,
        readonly config: ResidencyConfig,
    ) {}

    /**
     * Records a finding. `key` names the problem independently of the zone (a destination, a
     * path): the same problem for another zone's data adds that zone to the first finding instead
     * of a second one.
     */
    report(n: Node, message: string, key = zoneKey(message)): void {
        const k = `${n.id}\n${key ? key.what : message}`;
        const prior = this.byKey.get(k);
        if (prior) {
            if (key && !prior.zones.includes(key.zone)) prior.zones.push(key.zone);
            return;
        }
        const f: Finding = { urn: n.id, message };
        this.byKey.set(k, { finding: f, zones: key ? [key.zone] : [] });
        this.findings.push(f);
    }

    /** The findings, with the other zones a problem also affects noted on it. */
    finish(): Finding[] {
        for (const { finding, zones } of this.byKey.values()) {
            if (zones.length > 1)
                finding.message += ` (the same holds for zone ${zones
                    .slice(1)
                    .map((z) => `'${z}'`)
                    .join(", ")} data)`;
        }
        return this.findings;
    }

    private add(map: Map<Node, Edge[]>, key: Node, e: Edge): void {
        const list = map.get(key) ?? [];
        list.push(e);
        map.set(key, list);
    }

    gain(n: Node, zone: string, c: Carry): void {
        const m = this.carries.get(n) ?? new Map<string, Carry>();
        if (m.has(zone)) return;
        m.set(zone, c);
        this.carries.set(n, m);
        this.queue.push(n);
    }

    /** Nodes a value (or the property dependencies of its input) designates. */
    resolveValue(v: ResourceView, value: unknown, path: string): Node[] {
        if (isKnownString(value)) return this.graph.resolve(value);
        if (!isUnknown(value)) return [];
        return (v.deps?.[topKey(path)] ?? [])
            .map((u) => this.graph.byUrn.get(u))
            .filter((x): x is Node => x !== undefined);
    }

    /** Finds who holds which zone's data: the edges of every resource, then hop after hop. */
    propagate(): this {
        const g = this.graph;
        for (const n of g.nodes) {
            const j = judgeFor(n);
            if (!j || !n.view) continue;
            for (const r of g.refsOf(n)) {
                const kind = kindOf(j, r);
                if (kind && INBOUND.includes(kind))
                    this.add(this.inbound, r.target, { from: n, to: r.target, path: r.path });
                if (kind && OUTBOUND.includes(kind))
                    this.add(this.outbound, n, { from: n, to: r.target, path: r.path });
            }
            for (const d of j.docs ?? []) this.documentEdges(n, d);
            for (const p of j.picks?.(n.view, this.config) ?? [])
                this.gain(n, p.zone, { origin: { ...n, label: p.why }, via: [] });
        }
        for (const n of [...g.nodes, ...this.externalTargets()]) {
            if (n.classification.kind === "zone")
                this.gain(n, n.classification.zone, { origin: n, via: [] });
        }
        while (this.queue.length > 0) {
            const n = this.queue.shift()!;
            for (const [z, c] of this.carries.get(n)!) {
                // Data that should not be here is reported where it arrives; it goes no further.
                if (c.stopped) continue;
                for (const e of this.inbound.get(n) ?? [])
                    this.gain(e.from, z, {
                        origin: c.origin,
                        via: hops(c, n),
                        path: e.path,
                        stopped: misplaced(e.from, z),
                    });
                for (const e of this.outbound.get(n) ?? []) {
                    // A store outside the stack, or one classified otherwise, is judged along the
                    // edge (checks.ts); its onward hops are not this data's.
                    if (e.to.kind !== "resource" || misplaced(e.to, z)) continue;
                    this.gain(e.to, z, {
                        origin: c.origin,
                        via: hops(c, n),
                        sender: n,
                        path: e.path,
                    });
                }
            }
        }
        return this;
    }

    /** Stores outside the stack that references resolved to (config entries, names). */
    private externalTargets(): Node[] {
        const out = new Set<Node>();
        for (const n of this.graph.nodes)
            for (const r of this.graph.refsOf(n))
                if (r.target.kind !== "resource") out.add(r.target);
        return [...out];
    }

    /** The node a resource policy governs: the resource itself, or the target of `governs`. */
    governed(n: Node, d: DocumentSpec): Node | undefined {
        if (!d.governs) return n;
        return this.graph.refsOf(n).find((x) => topKey(x.path) === d.governs)?.target;
    }

    /**
     * Edges a resource's documents add: an identity policy's holder reads what its statements let
     * it read; a resource policy's same-account principals read what it governs.
     */
    private documentEdges(n: Node, d: DocumentSpec): void {
        const v = n.view!;
        if (d.kind === "trust") return; // judged once the role's access is known
        for (const f of read(v.props, d.path)) {
            const doc = readDocument(f.value);
            if (d.kind === "resource") {
                if (doc.kind !== "statements") continue;
                const governed = this.governed(n, d);
                for (const st of doc.statements) {
                    if (!st.reads || !governed) continue;
                    for (const p of st.principals) {
                        if (p.kind !== "account" || !p.arn) continue;
                        for (const t of this.graph.resolve(p.arn))
                            this.add(this.outbound, governed, {
                                from: governed,
                                to: t,
                                path: `${f.path} statement ${st.sid} (principal)`,
                            });
                    }
                }
                continue;
            }
            if (doc.kind !== "statements") {
                // Not known at preview: it may grant anything its input depends on.
                for (const t of this.resolveValue(v, UNKNOWN, f.path))
                    this.add(this.inbound, t, {
                        from: n,
                        to: t,
                        path: `${f.path} (not known until apply)`,
                    });
                continue;
            }
            for (const st of doc.statements) {
                if (!st.reads) continue;
                if (st.resources === "any") {
                    this.gainEverywhere(
                        n,
                        "*",
                        st.regions,
                        `every store of the account (statement ${st.sid}, Resource '*')`,
                    );
                    continue;
                }
                for (const res of st.resources) {
                    for (const t of this.graph.resolve(res))
                        this.add(this.inbound, t, {
                            from: n,
                            to: t,
                            path: `${f.path} statement ${st.sid}`,
                        });
                    const region = broadPattern(res);
                    // A pattern over many stores (`table/*`, `arn:aws:s3:::taskflow-*`) reaches
                    // every store it matches, in this stack or not: every zone of its region.
                    if (region !== undefined)
                        this.gainEverywhere(
                            n,
                            region,
                            st.regions,
                            `every store matching ${res} (statement ${st.sid})`,
                        );
                }
            }
        }
    }

    /** The holder may reach the data of every zone with a region in `region` ("*": any). */
    gainEverywhere(n: Node, region: string, pinned: readonly string[], why: string): void {
        for (const z of Object.keys(this.config.zones)) {
            const inRegion = region === "*" || zoneAllows(this.config, z, region);
            const inPinned =
                pinned.length === 0 || pinned.some((r) => zoneAllows(this.config, z, r));
            if (inRegion && inPinned) this.gain(n, z, { origin: { ...n, label: why }, via: [] });
        }
    }
}
