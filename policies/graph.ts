// One stack as the data-flow policy sees it: every resource the engine hands the stack policy,
// the stores declared in the pack's config, and the references between them. A reference is any
// value of a resource's inputs or outputs, at any depth (inside JSON documents and command lines
// too), that names another resource by ARN, name, id, URL or endpoint, or an engine property
// dependency on it. Built once per stack: identity values are indexed in one map, every resource's
// properties are walked once, so the cost grows with the size of the stack, not with its square.

import { classify, Classification } from "./classify";
import {
    arnAccount,
    arnRegion,
    DeclaredStore,
    effectiveRegion,
    isDataBearing,
    label,
    parseResidencyName,
    RegionFact,
    ResidencyConfig,
    ResourceView,
    T,
} from "./residency";
import { resourceAccount } from "./accounts";
import { BUCKET_TYPES } from "./types";
import { isKnownString, isUnknown, parseDocument } from "./values";

/** A resource of the stack, a store declared in config, or a store known only by its name. */
export interface Node {
    /** The resource's URN; `config:<ref>` or `name:<ref>` for the others. */
    id: string;
    kind: "resource" | "declared" | "named";
    label: string;
    view?: ResourceView;
    /** Whether it holds data (and so must be classified). */
    store: boolean;
    /** True for the program's own components (no provider): they hold nothing. */
    component: boolean;
    classification: Classification;
    region: RegionFact;
    /** Its account: known, or undefined when nothing says (the stack's account is then assumed). */
    account?: string;
}

/** One reference from a resource to another node. */
export interface Ref {
    target: Node;
    /** Where: `policy{}.Statement[].Resource[]`, `environment.variables.X`, ... */
    path: string;
    /** The value found, or undefined for a reference known only by a property dependency. */
    value?: string;
}

/**
 * Property names that identify a resource when another resource refers to it: every resource's
 * `arn`, `id` and `name`, and per type the names it is known by. A key that names *another*
 * resource (a cluster instance's `clusterIdentifier`, a bucket policy's `bucket`) is not one.
 */
const IDENTITY_KEYS = ["arn", "id"];
/**
 * `name` identifies stores and the types other resources name (a role in its policies, a function
 * in its mappings); other resources' names are scoped to a parent (an inventory's name, a rule's)
 * and would only collide.
 */
const NAMED_TYPES: readonly string[] = [
    T.iamRole,
    T.iamPolicy,
    "aws:iam/user:User",
    "aws:iam/group:Group",
    T.lambda,
    T.eventBus,
    T.scheduleGroup,
    "aws:sfn/stateMachine:StateMachine",
    // A log delivery names its source by name (CreateDelivery's deliverySourceName).
    T.logDeliverySource,
];
const TYPE_IDENTITY_KEYS: Readonly<Record<string, readonly string[]>> = {
    [T.bucket]: ["bucket", "bucketDomainName", "bucketRegionalDomainName"],
    [T.bucketV2]: ["bucket", "bucketDomainName", "bucketRegionalDomainName"],
    [T.rdsCluster]: ["clusterIdentifier", "endpoint", "readerEndpoint", "clusterResourceId"],
    [T.rdsInstance]: ["identifier", "endpoint", "address", "resourceId"],
    [T.rdsClusterInstance]: ["identifier", "endpoint"],
    [T.rdsGlobalCluster]: ["globalClusterIdentifier"],
    [T.rdsSnapshot]: ["dbSnapshotIdentifier", "dbSnapshotArn"],
    [T.rdsClusterSnapshot]: ["dbClusterSnapshotIdentifier", "dbClusterSnapshotArn"],
    [T.rdsSnapshotCopy]: ["targetDbSnapshotIdentifier", "dbSnapshotArn"],
    [T.rdsClusterSnapshotCopy]: ["targetDbClusterSnapshotIdentifier", "dbClusterSnapshotArn"],
    [T.cacheGroup]: [
        "replicationGroupId",
        "primaryEndpointAddress",
        "readerEndpointAddress",
        "configurationEndpointAddress",
    ],
    [T.kmsKey]: ["keyId"],
    [T.kmsReplicaKey]: ["keyId"],
    [T.kmsExternalKey]: ["keyId"],
    [T.queue]: ["url"],
    [T.table]: ["streamArn"],
    [T.lambda]: ["functionName", "qualifiedArn", "invokeArn"],
    [T.loadBalancer]: ["dnsName"],
    [T.albLoadBalancer]: ["dnsName"],
    [T.cloudfront]: ["domainName"],
    [T.dmsEndpoint]: ["endpointArn"],
    [T.dmsTask]: ["replicationTaskArn"],
    [T.accessPoint]: ["alias"],
    [T.efs]: ["dnsName"],
};

/** Keys whose values never move data (labels). */
const LABEL_KEYS = new Set(["tags", "tagsAll", "description", "urn"]);

/**
 * The keys that name a resource itself. `references`: the keys its type's judge reads as
 * references to others (an EventBridge target's `arn` is its target's, a topic policy's `arn`
 * its topic's), which never name the resource itself.
 */
function identityKeys(type: string, store: boolean, references: readonly string[]): string[] {
    const named = store || NAMED_TYPES.includes(type) ? ["name"] : [];
    return [...IDENTITY_KEYS, ...named, ...(TYPE_IDENTITY_KEYS[type] ?? [])].filter(
        (k) => !references.includes(k),
    );
}

/** The top-level inputs a type's judge reads as references (none when the pack has no judge). */
export type ReferenceKeys = (type: string) => readonly string[];

function addHandle(map: Map<string, Node[]>, h: string, n: Node): void {
    if (h.length < 4) return;
    const list = map.get(h);
    if (!list) map.set(h, [n]);
    else if (!list.includes(n)) list.push(n);
}

/** An ARN and the ARNs it is a part of: `…:log-group:X:log-stream:*` → `…:log-group:X`, … */
function arnPrefixes(arn: string): string[] {
    const out = [arn];
    const head = arn.split(":").slice(0, 5).join(":").length;
    let cur = arn;
    for (let i = 0; i < 6; i++) {
        const cut = Math.max(cur.lastIndexOf("/"), cur.lastIndexOf(":"));
        if (cut <= head) break;
        cur = cur.slice(0, cut);
        out.push(cur);
    }
    return out;
}

/** The bucket an S3 ARN or URL names (`arn:aws:s3:::b/k`, `s3://b/k`), if any. */
function s3Bucket(s: string): string | undefined {
    const m =
        /^arn:[^:]+:s3:::([^/]+)/.exec(s) ??
        /^s3:\/\/([^/]+)/.exec(s) ??
        // Virtual-hosted endpoints: `b.s3.amazonaws.com`, `b.s3.eu-west-1.amazonaws.com`,
        // `b.s3-website-eu-west-1.amazonaws.com`, `b.s3.dualstack.eu-west-1.amazonaws.com`
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html).
        /^(?:https?:\/\/)?([a-z0-9][a-z0-9.-]*?)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?(?:[/:]|$)/.exec(
            s,
        );
    return m ? m[1] : undefined;
}

/**
 * An S3 bucket name followed by an object key: CopyObject's copy source names an object as
 * `bucket/key` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
 */
const BUCKET_OBJECT = /^([a-z0-9][a-z0-9.-]{2,62})\/[^\s]/;

/** Tokens of a free-text value (a command line, a list): what could each name a resource. */
function tokens(s: string): string[] {
    return s
        .split(/[\s"'`,;()[\]{}<>|]+/)
        .flatMap((t) => (t.includes("=") ? [t, t.slice(t.indexOf("=") + 1)] : [t]))
        .filter((t) => t.length >= 4);
}

export class StackGraph {
    readonly nodes: Node[] = [];
    readonly byUrn = new Map<string, Node>();
    private readonly handles = new Map<string, Node[]>();
    private readonly declared = new Map<string, Node>();
    private readonly named = new Map<string, Node>();
    private readonly refCache = new Map<string, Ref[]>();

    constructor(
        readonly views: readonly ResourceView[],
        readonly config: ResidencyConfig,
        readonly stackAccount: string | undefined,
        private readonly referenceKeys: ReferenceKeys = () => [],
    ) {
        for (const v of views) {
            const component = v.provider === undefined;
            const n: Node = {
                id: v.urn,
                kind: "resource",
                label: label(v),
                view: v,
                store: isDataBearing(v.type, component),
                component,
                classification: classify(v.props, config),
                region: effectiveRegion(v),
                account: resourceAccount(v),
            };
            this.nodes.push(n);
            this.byUrn.set(v.urn, n);
            for (const k of identityKeys(v.type, n.store, this.referenceKeys(v.type))) {
                const h = v.props[k];
                if (isKnownString(h)) addHandle(this.handles, h, n);
            }
        }
        for (const [ref, s] of Object.entries(config.stores)) {
            const n = declaredNode(ref, s, config);
            this.declared.set(ref, n);
            const bucket = s3Bucket(ref);
            if (bucket) this.declared.set(bucket, n);
        }
    }

    /**
     * Nodes an exact value names: resources of the stack first (the stores among them when a
     * store and its attachments share a name, as a bucket and its bucket policy do), then
     * declared stores.
     */
    private lookup(s: string): Node[] {
        const hit = this.handles.get(s);
        if (hit) {
            const stores = hit.filter((n) => n.store);
            return stores.length > 0 ? stores : hit;
        }
        const d = this.declared.get(s);
        return d ? [d] : [];
    }

    /**
     * The nodes a value names (exactly, as an ARN or part of one, an S3 URL, an endpoint), or, when
     * nothing visible or declared matches, a store known only by a residency name.
     */
    resolve(s: string): Node[] {
        let found = this.lookup(s);
        if (found.length > 0) return found;
        if (s.startsWith("arn:")) {
            for (const p of arnPrefixes(s).slice(1)) {
                found = this.lookup(p);
                if (found.length > 0) return found;
            }
        }
        const bucket = s3Bucket(s);
        if (bucket) {
            found = this.lookup(bucket);
            if (found.length > 0) return found;
        }
        if (s.startsWith("arn:") && !bucket) {
            // An ARN naming a resource the stack knows by name only (its ARN not among its
            // values): the same name in the ARN's region.
            const region = arnRegion(s);
            found = this.lookup(arnName(s)).filter(
                (n) =>
                    !isKnownString(n.view?.props["arn"]) &&
                    (!region || n.region.kind !== "known" || n.region.region === region),
            );
            if (found.length > 0) return found;
        }
        const m = /^https?:\/\/([^/:]+)/.exec(s);
        if (m) {
            found = this.lookup(m[1]);
            if (found.length > 0) return found;
        }
        // `bucket/key`, as an object copy's `source` names an object.
        const object = m || s.startsWith("arn:") ? undefined : BUCKET_OBJECT.exec(s)?.[1];
        if (object) {
            found = this.lookup(object).filter(
                (n) => n.kind !== "resource" || BUCKET_TYPES.includes(n.view!.type),
            );
            if (found.length > 0) return found;
        }
        const name = bucket ?? object ?? (s.startsWith("arn:") ? arnName(s) : s);
        const parsed = parseResidencyName(name, this.config);
        if (!parsed || parsed.classification === "global") return [];
        return [this.namedNode(name, parsed, s)];
    }

    private namedNode(name: string, parsed: { classification: string; region: string }, s: string) {
        let n = this.named.get(name);
        if (!n) {
            n = {
                id: `name:${name}`,
                kind: "named",
                label: `a store named '${name}' that no plan of this stack shows`,
                store: true,
                component: false,
                classification: { kind: "zone", zone: parsed.classification },
                region: { kind: "known", region: arnRegion(s) ?? parsed.region },
                account: arnAccount(s),
            };
            this.named.set(name, n);
        }
        return n;
    }

    /** Every reference a resource makes (cached). */
    refsOf(n: Node): Ref[] {
        const cached = this.refCache.get(n.id);
        if (cached) return cached;
        const out: Ref[] = [];
        const v = n.view;
        if (v) {
            const seen = new Set<string>();
            const add = (target: Node, path: string, value?: string) => {
                if (target === n) return;
                const key = `${target.id} ${path}`;
                if (seen.has(key)) return;
                seen.add(key);
                out.push({ target, path, value });
            };
            // The resource's own names (its arn, id, name, ...) are not references to others.
            const own = new Set(identityKeys(v.type, n.store, this.referenceKeys(v.type)));
            for (const [k, val] of Object.entries(v.props)) {
                if (LABEL_KEYS.has(k) || own.has(k)) continue;
                this.walk(val, k, add);
            }
            for (const [k, urns] of Object.entries(v.deps ?? {})) {
                for (const u of urns) {
                    const target = this.byUrn.get(u);
                    if (!target) continue;
                    if (out.some((r) => r.target === target && topKey(r.path) === k)) continue;
                    add(target, k);
                }
            }
        }
        this.refCache.set(n.id, out);
        return out;
    }

    private walk(v: unknown, path: string, add: (t: Node, p: string, v?: string) => void): void {
        if (typeof v === "string") {
            if (v.length < 4 || isUnknown(v)) return;
            const doc = parseDocument(v);
            if (doc !== undefined) {
                this.walk(doc, `${path}{}`, add);
                return;
            }
            const direct = this.resolve(v);
            if (direct.length > 0) {
                for (const t of direct) add(t, path, v);
                return;
            }
            if (/[\s,;=]/.test(v)) {
                for (const tok of tokens(v)) for (const t of this.resolve(tok)) add(t, path, tok);
            }
        } else if (Array.isArray(v)) {
            for (const x of v) this.walk(x, `${path}[]`, add);
        } else if (v && typeof v === "object") {
            for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
                this.walk(x, `${path}.${k}`, add);
            }
        }
    }
}

/** The top-level property of a reference path (`rules[].destination` → `rules`). */
export function topKey(path: string): string {
    const m = /^[^.[{]+/.exec(path);
    return m ? m[0] : path;
}

function arnName(arn: string): string {
    const tail = arn.split(":").slice(5).join(":");
    const parts = tail.split(/[/:]/).filter((p) => p !== "" && p !== "*");
    // `table/NAME`, `db:NAME`, `log-group:NAME`: the segment after the resource type.
    return parts.length >= 2 ? parts[1] : (parts[0] ?? tail);
}

function declaredNode(ref: string, s: DeclaredStore, config: ResidencyConfig): Node {
    return {
        id: `config:${ref}`,
        kind: "declared",
        label: `the store '${ref}' declared in the pack's config`,
        store: true,
        component: false,
        classification: classify({ tags: { "data-residency": s.classification } }, config),
        region: { kind: "known", region: s.region },
        account: s.account,
    };
}
