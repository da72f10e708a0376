// Baseline guardrails the project promises on top of residency: encryption at rest with a
// customer-managed KMS key, S3 public access blocked, deletion protection on databases, and
// HTTPS-only load-balancer listeners.

import type {
    PolicyResource,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { customerManagedKey, KeyFact } from "./keys";
import { BUCKET_TYPES, label, T, viewOfArgs, viewOfPolicyResource } from "./residency";
import { asArray, isKnownString, isSet, isTrue, isUnknown, obj, rawProps } from "./values";

/** Property dependencies by top-level input: the engine's (stack policies), else none. */
type PropertyDeps = Readonly<Record<string, readonly PolicyResource[] | undefined>>;

/**
 * The finding for one key property (`what` names it, e.g. "aws:rds/cluster:Cluster 'db'
 * kmsKeyId"), or undefined when it is proven to name a customer-managed key. `missing` is the
 * message for no key at all.
 */
function keyFinding(
    what: string,
    fact: KeyFact,
    missing: string,
    rule: string,
): string | undefined {
    switch (fact.kind) {
        case "cmk":
            return undefined;
        case "missing":
            return `${missing}; ${rule}`;
        case "aws-managed":
            return `${what} is ${JSON.stringify(fact.ref)}, an AWS-managed key; ${rule}`;
        case "unproven":
            return `${what} is not known until apply and could not be proven to be a customer-managed KMS key at preview: ${fact.why}; ${rule}`;
    }
}

/**
 * Findings of the CMK rule for one resource (S3 buckets are judged by `s3-encryption-cmk`).
 * `deps`: the resource's property dependencies, which prove a key not known until apply.
 */
export function cmkFindings(
    type: string,
    name: string,
    p: Record<string, unknown>,
    deps: PropertyDeps = {},
): string[] {
    const r = label({ type, name });
    const rule = "rule: data stores are encrypted at rest with a customer-managed KMS key";
    // `input`: the top-level input holding the key (what property dependencies are keyed by).
    const key = (input: string, what: string, value: unknown, missing: string): string[] => {
        const fact = customerManagedKey(value, deps[input]);
        const m = keyFinding(`${r} ${what}`, fact, missing, rule);
        return m === undefined ? [] : [m];
    };
    switch (type) {
        case T.table: {
            const sse = obj(p["serverSideEncryption"]);
            const noSse = `${r} has no serverSideEncryption { enabled: true, kmsKeyArn }`;
            const out = isTrue(sse["enabled"])
                ? key(
                      "serverSideEncryption",
                      "serverSideEncryption.kmsKeyArn",
                      sse["kmsKeyArn"],
                      noSse,
                  )
                : [`${noSse}; ${rule}`];
            // An unknown replica list is a residency question (residency-replication-out-of-zone).
            const replicas = isUnknown(p["replicas"]) ? [] : asArray(p["replicas"]);
            replicas.forEach((rep, i) => {
                const where = refOf(obj(rep)["regionName"] ?? null);
                out.push(
                    ...key(
                        "replicas",
                        `replicas[${i}].kmsKeyArn (replica in ${where})`,
                        obj(rep)["kmsKeyArn"],
                        `${r} has a replica in ${where} without kmsKeyArn`,
                    ),
                );
            });
            return out;
        }
        case T.tableReplica:
            return key("kmsKeyArn", "kmsKeyArn", p["kmsKeyArn"], `${r} has no kmsKeyArn`);
        case T.rdsCluster:
        case T.rdsInstance: {
            const msg = `${r} needs storageEncrypted: true and a kmsKeyId`;
            return isTrue(p["storageEncrypted"])
                ? key("kmsKeyId", "kmsKeyId", p["kmsKeyId"], msg)
                : [`${msg}; ${rule}`];
        }
        case T.cacheGroup: {
            // Members of a global datastore inherit at-rest encryption from its primary group.
            if (isKnownString(p["globalReplicationGroupId"])) return [];
            const msg = `${r} needs atRestEncryptionEnabled: true and a kmsKeyId`;
            return isTrue(p["atRestEncryptionEnabled"])
                ? key("kmsKeyId", "kmsKeyId", p["kmsKeyId"], msg)
                : [`${msg}; ${rule}`];
        }
        case T.rdsGlobalCluster: {
            // Built from an existing cluster, a global cluster inherits that cluster's encryption
            // (judged on the cluster itself); otherwise it must ask for it. Members bring the CMK.
            const enc = p["storageEncrypted"];
            if (isTrue(enc)) return [];
            if (
                (enc === undefined || enc === null) &&
                isKnownString(p["sourceDbClusterIdentifier"])
            )
                return [];
            return [`${r} has storageEncrypted: ${refOf(enc ?? null)}; ${rule}`];
        }
        case T.cacheCluster:
            // A cluster in a replication group is encrypted by the group. A standalone cluster
            // (Memcached, or Redis outside a group) has no at-rest encryption with a CMK at all:
            // https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html
            if (isSet(p["replicationGroupId"])) return [];
            return [
                `${r} is a standalone ElastiCache cluster (no replicationGroupId), which cannot be encrypted at rest with a customer-managed key; ${rule} (use a ReplicationGroup with atRestEncryptionEnabled and kmsKeyId)`,
            ];
        case T.cacheServerless:
            return key("kmsKeyId", "kmsKeyId", p["kmsKeyId"], `${r} has no kmsKeyId`);
        case T.backupVault:
            return key("kmsKeyArn", "kmsKeyArn", p["kmsKeyArn"], `${r} has no kmsKeyArn`);
        case T.logGroup:
            // Application logs may hold user data (they are classified like any store).
            return key("kmsKeyId", "kmsKeyId", p["kmsKeyId"], `${r} has no kmsKeyId`);
        default:
            return [];
    }
}

/**
 * A stack policy, not a resource policy: during `pulumi preview` a key created in the same update
 * is not known yet, and only a stack policy sees the engine's property dependencies that prove
 * where it comes from (a resource policy would have to fail every such store, blocking a new
 * stack's first deployment). It judges what the engine hands stack policies: the planned state
 * (inputs, with values not known until apply) of resources being created or updated, the
 * state of the others. Like every stack policy, it runs at the end of the preview, so
 * `pulumi up --skip-preview` would judge the stores only after creating them.
 */
export const encryptionAtRestCmk: StackValidationPolicy = {
    name: "encryption-at-rest-cmk",
    description:
        "DynamoDB tables and replicas, RDS clusters and instances, Aurora global clusters (storageEncrypted), ElastiCache groups and serverless caches, backup vaults and CloudWatch log groups are encrypted with a customer-managed KMS key (never alias/aws/*; a key not known until apply must come from a KMS key, replica key or external key of the stack, or an alias of one); standalone ElastiCache clusters, which cannot be, are not used.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const r of args.resources) {
            const v = viewOfPolicyResource(r);
            const deps = r.propertyDependencies ?? {};
            for (const m of cmkFindings(v.type, v.name, v.props, deps)) report(m, r.urn);
        }
    },
};

/** The input that turns deletion protection on, per database type. */
const DELETION_PROTECTION_KEY: Record<string, string> = {
    [T.table]: "deletionProtectionEnabled",
    [T.tableReplica]: "deletionProtectionEnabled",
    [T.rdsCluster]: "deletionProtection",
    [T.rdsInstance]: "deletionProtection",
    [T.rdsGlobalCluster]: "deletionProtection",
};

/** Findings of the deletion-protection rule for one resource. */
export function deletionProtectionFindings(
    type: string,
    name: string,
    p: Record<string, unknown>,
): string[] {
    const key = DELETION_PROTECTION_KEY[type];
    if (!key) return [];
    const r = label({ type, name });
    const rule = `rule: databases are deletion-protected (${key}: true)`;
    const out: string[] = [];
    if (!isTrue(p[key])) out.push(`${r} has ${key}: ${JSON.stringify(p[key] ?? null)}; ${rule}`);
    // Each replica of a global table is deleted on its own: it needs its own protection.
    if (type === T.table && !isUnknown(p["replicas"])) {
        for (const rep of asArray(p["replicas"])) {
            const on = obj(rep)["deletionProtectionEnabled"];
            if (!isTrue(on)) {
                out.push(
                    `${r} has a replica in ${String(obj(rep)["regionName"])} with deletionProtectionEnabled: ${JSON.stringify(on ?? null)}; ${rule}`,
                );
            }
        }
    }
    return out;
}

export const databaseDeletionProtection: ResourceValidationPolicy = {
    name: "database-deletion-protection",
    description:
        "RDS clusters and instances, Aurora global clusters, DynamoDB tables and their replicas (inline or TableReplica) have deletion protection on.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!DELETION_PROTECTION_KEY[args.type]) return;
        const v = viewOfArgs(args);
        for (const m of deletionProtectionFindings(v.type, v.name, v.props)) report(m);
    },
};

export const albHttpsOnly: ResourceValidationPolicy = {
    name: "alb-https-only",
    description:
        "Load-balancer listeners serve HTTPS; an HTTP listener may only redirect to HTTPS.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== T.lbListener && args.type !== T.albListener) return;
        const v = viewOfArgs(args);
        const protocol = v.props["protocol"];
        if (
            protocol === "HTTPS" ||
            protocol === "TLS" ||
            protocol === "TCP" ||
            protocol === "UDP" ||
            protocol === "TCP_UDP"
        ) {
            return;
        }
        if (protocol !== undefined && protocol !== "HTTP") {
            report(
                `${label(v)} has protocol ${refOf(protocol)}; rule: listeners are HTTPS, or HTTP redirecting to HTTPS`,
            );
            return;
        }
        const actions = asArray(v.props["defaultActions"]);
        const redirectsToHttps = (a: unknown): boolean =>
            obj(a)["type"] === "redirect" && obj(obj(a)["redirect"])["protocol"] === "HTTPS";
        if (actions.length === 0 || !actions.every(redirectsToHttps)) {
            report(
                `${label(v)} listens on HTTP (port ${String(v.props["port"] ?? 80)}) with default actions other than a redirect to HTTPS; rule: listeners are HTTPS, or HTTP redirecting to HTTPS`,
            );
        }
    },
};

function refOf(v: unknown): string {
    return isUnknown(v) ? "(unknown until apply)" : JSON.stringify(v);
}

// ---- S3 (stack level: the settings live on separate resources) ------------------------------

/** Values a bucket is referred to by (`bucket` input/output, `id`). */
function bucketHandles(p: Record<string, unknown>): string[] {
    return ["bucket", "id"].map((k) => p[k]).filter((h): h is string => isKnownString(h));
}

/** The resources of `types` that configure `bucket` (by property dependency or by name). */
function configuring(
    resources: readonly PolicyResource[],
    bucket: PolicyResource,
    types: readonly string[],
): PolicyResource[] {
    const handles = bucketHandles(rawProps(bucket.props));
    return resources.filter((r) => {
        if (!types.includes(r.type)) return false;
        if ((r.propertyDependencies?.["bucket"] ?? []).some((d) => d.urn === bucket.urn))
            return true;
        const ref = rawProps(r.props)["bucket"];
        return typeof ref === "string" && handles.includes(ref);
    });
}

const PAB_FLAGS = [
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
];

export const s3PublicAccessBlocked: StackValidationPolicy = {
    name: "s3-public-access-blocked",
    description:
        "Every S3 bucket has a BucketPublicAccessBlock in the same stack with all four flags true.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const b of args.resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
            const blocks = configuring(args.resources, b, [T.bucketPab]);
            const full = blocks.some((pab) =>
                PAB_FLAGS.every((f) => isTrue(rawProps(pab.props)[f])),
            );
            if (!full) {
                const why =
                    blocks.length === 0
                        ? "has no BucketPublicAccessBlock"
                        : `has a BucketPublicAccessBlock without all of ${PAB_FLAGS.join(", ")} set to true`;
                report(`${label(b)} ${why}; rule: S3 public access is blocked`, b.urn);
            }
        }
    },
};

/** One default-encryption setting of a bucket, with what proves a key not known until apply. */
interface SseDefault {
    /** An `applyServerSideEncryptionByDefault(s)` object. */
    d: Record<string, unknown>;
    /** Property dependencies of the top-level input holding it. */
    deps: readonly PolicyResource[] | undefined;
    /** Where it is set, for messages. */
    where: string;
}

/** Default encryption set inline on a Bucket / BucketV2. */
function inlineDefaults(b: PolicyResource): SseDefault[] {
    const p = rawProps(b.props);
    const out: SseDefault[] = [];
    if (b.type === T.bucket) {
        const prop = "serverSideEncryptionConfiguration";
        const d = obj(obj(obj(p[prop])["rule"])["applyServerSideEncryptionByDefault"]);
        out.push({ d, deps: b.propertyDependencies?.[prop], where: `inline ${prop}` });
    } else {
        const prop = "serverSideEncryptionConfigurations";
        for (const c of asArray(p[prop])) {
            for (const rule of asArray(obj(c)["rules"])) {
                for (const d of asArray(obj(rule)["applyServerSideEncryptionByDefaults"])) {
                    out.push({
                        d: obj(d),
                        deps: b.propertyDependencies?.[prop],
                        where: `inline ${prop}`,
                    });
                }
            }
        }
    }
    return out;
}

/** Default encryption set by BucketServerSideEncryptionConfiguration(V2) resources. */
function configuredDefaults(s: PolicyResource): SseDefault[] {
    return asArray(rawProps(s.props)["rules"]).map((rule) => ({
        d: obj(obj(rule)["applyServerSideEncryptionByDefault"]),
        deps: s.propertyDependencies?.["rules"],
        where: label(s),
    }));
}

const isKmsAlgorithm = (d: SseDefault): boolean =>
    d.d["sseAlgorithm"] === "aws:kms" || d.d["sseAlgorithm"] === "aws:kms:dsse";

/** Whether a bucket is the access-log destination of a load balancer in the stack. */
function isLoadBalancerLogBucket(
    resources: readonly PolicyResource[],
    bucket: PolicyResource,
): boolean {
    const handles = bucketHandles(rawProps(bucket.props));
    return resources.some((r) => {
        if (r.type !== T.loadBalancer && r.type !== T.albLoadBalancer) return false;
        if ((r.propertyDependencies?.["accessLogs"] ?? []).some((d) => d.urn === bucket.urn))
            return true;
        const target = obj(rawProps(r.props)["accessLogs"])["bucket"];
        return typeof target === "string" && handles.includes(target);
    });
}

export const s3EncryptionCmk: StackValidationPolicy = {
    name: "s3-encryption-cmk",
    description:
        "Every S3 bucket's default encryption is SSE-KMS with a customer-managed key (never alias/aws/*; a key not known until apply must come from a KMS key, replica key or external key of the stack, or an alias of one); a load balancer's access-log bucket uses SSE-S3, the only encryption ELB delivers to.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const rule = "rule: data stores are encrypted at rest with a customer-managed KMS key";
        for (const b of args.resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
            const defaults = [
                ...inlineDefaults(b),
                ...configuring(args.resources, b, [T.bucketSse, T.bucketSseV2]).flatMap(
                    configuredDefaults,
                ),
            ];
            const kms = defaults.filter(isKmsAlgorithm).map((d) => ({
                d,
                fact: customerManagedKey(d.d["kmsMasterKeyId"], d.deps),
            }));
            if (kms.some((k) => k.fact.kind === "cmk")) continue;
            const v = viewOfPolicyResource(b);
            // ELB delivers access logs only to SSE-S3 buckets (see aws/aws-cdk#21947 and the ELB
            // guide's access-log bucket requirements), so such a bucket is held to SSE-S3.
            if (isLoadBalancerLogBucket(args.resources, b)) {
                if (defaults.some((d) => d.d["sseAlgorithm"] === "AES256")) continue;
                report(
                    `${label(v)} receives load-balancer access logs but has no default encryption with sseAlgorithm AES256; rule: data stores are encrypted at rest (SSE-S3 is the only option ELB log delivery supports)`,
                    b.urn,
                );
                continue;
            }
            const missing = `${label(v)} has no default encryption with sseAlgorithm aws:kms and a kmsMasterKeyId`;
            // The most specific finding: an AWS-managed or unproven key rather than a missing one.
            const named = kms.find((k) => k.fact.kind !== "missing");
            const message = named
                ? keyFinding(
                      `${label(v)} default encryption kmsMasterKeyId (${named.d.where})`,
                      named.fact,
                      missing,
                      rule,
                  )
                : undefined;
            report(message ?? `${missing}; ${rule}`, b.urn);
        }
    },
};

/** Findings of the backup rule for one resource. */
export function backupFindings(type: string, name: string, p: Record<string, unknown>): string[] {
    const r = label({ type, name });
    const rule = "rule: stateful stores keep backups";
    switch (type) {
        case T.table:
            return isTrue(obj(p["pointInTimeRecovery"])["enabled"])
                ? []
                : [`${r} has no pointInTimeRecovery { enabled: true }; ${rule}`];
        case T.rdsCluster:
        case T.rdsInstance: {
            const out: string[] = [];
            const days = p["backupRetentionPeriod"];
            if (!isUnknown(days) && !(typeof days === "number" && days >= 7)) {
                out.push(
                    `${r} has backupRetentionPeriod ${refOf(days ?? null)}, under 7 days; ${rule}`,
                );
            }
            if (isTrue(p["skipFinalSnapshot"])) {
                out.push(`${r} has skipFinalSnapshot: true; ${rule} (a final snapshot on delete)`);
            }
            return out;
        }
        case T.cacheGroup: {
            const days = p["snapshotRetentionLimit"];
            return isUnknown(days) || (typeof days === "number" && days >= 1)
                ? []
                : [
                      `${r} has snapshotRetentionLimit ${refOf(days ?? null)}; ${rule} (at least 1 day)`,
                  ];
        }
        default:
            return [];
    }
}

export const backupsRetained: ResourceValidationPolicy = {
    name: "backups-retained",
    description:
        "DynamoDB tables have point-in-time recovery, RDS clusters and instances keep at least 7 days of backups and a final snapshot, ElastiCache groups keep snapshots.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const v = viewOfArgs(args);
        for (const m of backupFindings(v.type, v.name, v.props)) report(m);
    },
};

export const guardrailPolicies = {
    encryptionAtRestCmk,
    databaseDeletionProtection,
    albHttpsOnly,
    s3PublicAccessBlocked,
    s3EncryptionCmk,
    backupsRetained,
};
