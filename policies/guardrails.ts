// Baseline guardrails the project promises on top of residency: encryption at rest with a
// customer-managed KMS key, S3 public access blocked, deletion protection on databases, and
// HTTPS-only load-balancer listeners.

import type {
    PolicyResource,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { customerManagedKey, keyFinding } from "./keys";
import { label, T, viewOfArgs, viewOfPolicyResource } from "./residency";
import { s3EncryptionCmk, s3PublicAccessBlocked } from "./s3-guardrails";
import { asArray, isKnownString, isSet, isTrue, isUnknown, obj } from "./values";

/** Property dependencies by top-level input: the engine's (stack policies), else none. */
type PropertyDeps = Readonly<Record<string, readonly PolicyResource[] | undefined>>;

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

export { s3EncryptionCmk, s3PublicAccessBlocked };

export const guardrailPolicies = {
    encryptionAtRestCmk,
    databaseDeletionProtection,
    albHttpsOnly,
    s3PublicAccessBlocked,
    s3EncryptionCmk,
    backupsRetained,
};
