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
import type { ResidencyConfig, ResourceView } from "../residency";
import { T } from "../types";
import { ACCESS_JUDGES } from "./access";
import { MOVER_JUDGES } from "./movers";
import { STORE_JUDGES } from "./stores";

/**
 * How a reference moves data:
 * - `attach`: configures or belongs to the target (its policy, encryption config, alias, subnet
 *   group, a member instance); `key`: encrypted with the target key; `metric`: watches the
 *   target's metrics. All three keep no data elsewhere: the resource must be in the target's
 *   zone and account.
 * - `reads`: the resource reads the target's data (app access, a restore, an import): it carries
 *   that data from then on.
 * - `source`: what a mover copies from; it must be proven (a store of the stack or of the pack's
 *   config), else the mover fails closed. `sink`: where the resource's data goes; it must be
 *   proven whenever that data is (or may be) zone data.
 * - `alias`: the resource stands for the target store (a migration endpoint, a transfer
 *   location): it reads the store's data, and data sent to it lands in the store.
 * - `assume`: the resource runs as the target role and gets the role's access.
 * - `grantee`: the principal an identity policy document is attached to.
 * - `member`: global-cluster / datastore membership, judged by residency-replication-out-of-zone.
 * - `inert`: names only (a StackReference's outputs, a DNS alias).
 */
export type Kind =
    | "attach"
    | "key"
    | "metric"
    | "reads"
    | "source"
    | "sink"
    | "alias"
    | "assume"
    | "grantee"
    | "member"
    | "inert";

/** A policy document a resource holds, and what it governs. */
export interface DocumentSpec {
    path: string;
    /**
     * `identity`: grants its grantees (the `grantee` refs, else the resource itself) access to the
     * resources it names; `resource`: says who may access what the resource governs; `trust`:
     * who may assume the resource (a role).
     */
    kind: "identity" | "resource" | "trust";
    /** The path whose target the document governs (`resource`); default: the resource itself. */
    governs?: string;
}

export interface Judge {
    refs: Readonly<Record<string, Kind>>;
    docs?: readonly DocumentSpec[];
    /** A global service (IAM): there is no region to check, only the account. */
    regionless?: boolean;
    /** Serves what it reads from edge locations worldwide (a CDN): never in a zone. */
    worldwide?: boolean;
    /** Spans several regions by design: how (an S3 Multi-Region Access Point, a global cluster). */
    multiRegion?: string;
    /** The input holding the region the resource's data lands in, if not its own. */
    landsIn?: string;
    /** Paths of regions the resource sends its data to (replica regions). */
    regionSinks?: readonly string[];
    /** Paths of account ids the resource's data is shared with or delivered to. */
    shares?: readonly string[];
    /** Paths of principals granted access to what the resource governs (not documents). */
    principals?: readonly string[];
    /** Sinks must be proven even for global data (replication that keeps classifications true). */
    strictSinks?: boolean;
    /**
     * Zones whose data the resource picks by other means than references (a backup selection by
     * tag, wildcard or condition), with why.
     */
    picks?: (v: ResourceView, config: ResidencyConfig) => { zone: string; why: string }[];
}

/** Config resources of a bucket. */

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
