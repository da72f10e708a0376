// What the pack knows about each resource type: for every input path where a type can refer to
// another resource, how data moves along that reference. A reference to zone data from a path
// (or a type) this table does not list is a violation: the pack cannot prove it keeps the data in
// the zone. Paths use the notation of references (graph.ts): `a.b`, `a[]` (array elements), `a{}`
// (a JSON document held as a string), `*` (any key).
//
// How AWS moves data along each kind of reference is cited where the table models it; a behaviour
// the pack could not confirm is listed as unconfirmed in the README.

// The table is split by domain: stores.ts (stores and their attachments), movers.ts (messaging,
// streams, event routing, compute, migration and transfer services), access.ts (identity, the
// edge, Pulumi's own resources).

import { Node, Ref, topKey } from "../graph";
import { coverage } from "../paths";
import { T } from "../types";
import { ACCESS_JUDGES } from "./access";
import { MOVER_JUDGES } from "./movers";
import { STORE_JUDGES } from "./stores";
import type { Judge, Kind } from "./types";

export type { DocumentSpec, Judge, Kind } from "./types";

export const JUDGES: Readonly<Record<string, Judge>> = {
    ...STORE_JUDGES,
    ...MOVER_JUDGES,
    ...ACCESS_JUDGES,
};

/**
 * Control-plane modules whose resources move no stored data: firewall rules, scaling targets,
 * traffic dials, health checks, certificates, web ACLs, load-balancer plumbing, CDN policies.
 * Their references to zone data (a scaling target naming the service it scales) are names only.
 * The types that do move data (a load balancer's access logs, a distribution's origins) have
 * their own judges above.
 */
const CONTROL_PLANE = [
    "aws:vpc/",
    "aws:appautoscaling/",
    "aws:globalaccelerator/",
    "aws:route53/",
    "aws:acm/",
    "aws:wafv2/",
    "aws:lb/",
    "aws:alb/",
    "aws:cloudfront/",
    "aws:ec2/securityGroup",
    "aws:servicediscovery/",
];
const CONTROL_PLANE_JUDGE: Judge = { refs: { "*": "inert" }, regionless: true };

const INERT: Judge = { refs: { "*": "inert" } };
/**
 * For a reference known only by a property dependency of a top-level input: which of the kinds
 * under that input it can be, by what it points at (a role is assumed or granted, a key encrypts,
 * anything else is data), the most data-moving first.
 */
const ORDER: readonly Kind[] = [
    "source",
    "reads",
    "sink",
    "alias",
    "attach",
    "metric",
    "key",
    "assume",
    "grantee",
    "member",
    "inert",
];
const ROLE_TYPES: readonly string[] = [
    T.iamRole,
    T.iamPolicy,
    "aws:iam/user:User",
    "aws:iam/group:Group",
];
const KEY_TYPES: readonly string[] = [
    T.kmsKey,
    T.kmsReplicaKey,
    T.kmsExternalKey,
    T.kmsReplicaExternalKey,
    T.kmsAlias,
];

function coarseKind(under: readonly Kind[], target: Node): Kind | undefined {
    const type = target.view?.type ?? "";
    const fits = (k: Kind): boolean =>
        ROLE_TYPES.includes(type)
            ? ["assume", "grantee", "inert"].includes(k)
            : KEY_TYPES.includes(type)
              ? ["key", "attach", "source", "inert"].includes(k)
              : !["assume", "grantee", "key"].includes(k);
    const candidates = under.filter(fits);
    return ORDER.find((k) => candidates.includes(k)) ?? ORDER.find((k) => under.includes(k));
}

/** The judge of a resource: its type's, and an inert one for components and providers. */
export function judgeFor(n: Node): Judge | undefined {
    if (n.component || n.view?.type.startsWith("pulumi:providers:")) return INERT;
    return n.view ? judgeOf(n.view.type) : undefined;
}

/** The kind of a reference by its path, or undefined when the judge does not cover it. */
export function kindOf(j: Judge, r: Ref): Kind | undefined {
    const docOwned = (j.docs ?? []).some(
        (d) =>
            r.path === d.path ||
            r.path.startsWith(`${d.path}{`) ||
            r.path.startsWith(`${d.path}.`) ||
            topKey(d.path) === r.path,
    );
    if (docOwned) return "inert"; // judged as a document
    const c = coverage(j.refs, r.path);
    if (c.exact) return c.exact;
    if (r.value === undefined && c.under.length > 0) return coarseKind(c.under, r.target);
    return undefined;
}

/** The judge of a type; undefined when the pack does not know the type. */
export function judgeOf(type: string): Judge | undefined {
    return (
        JUDGES[type] ??
        (CONTROL_PLANE.some((m) => type.startsWith(m)) ? CONTROL_PLANE_JUDGE : undefined)
    );
}
