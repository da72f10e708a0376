// Baseline guardrails the project promises on top of residency: encryption at rest with a
// customer-managed KMS key, S3 public access blocked, deletion protection on databases, and
// HTTPS-only load-balancer listeners.

import type {
    PolicyResource,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import {
    BUCKET_TYPES,
    isTrue,
    isUnknown,
    label,
    rawProps,
    T,
    viewOfArgs,
    viewOfPolicyResource,
} from "./residency";

const setString = (v: unknown): boolean => typeof v === "string" && v !== "" && !isUnknown(v);

function obj(v: unknown): Record<string, unknown> {
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function asArray(v: unknown): unknown[] {
    return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** Findings of the CMK rule for one resource (S3 buckets are judged by the stack policy). */
export function cmkFindings(type: string, name: string, p: Record<string, unknown>): string[] {
    const r = label({ type, name });
    const rule = "rule: data stores are encrypted at rest with a customer-managed KMS key";
    switch (type) {
        case T.table: {
            const sse = obj(p["serverSideEncryption"]);
            const out: string[] = [];
            if (!isTrue(sse["enabled"]) || !setString(sse["kmsKeyArn"])) {
                out.push(`${r} has no serverSideEncryption { enabled: true, kmsKeyArn }; ${rule}`);
            }
            // An unknown replica list is a residency question (residency-replication-out-of-zone).
            for (const rep of isUnknown(p["replicas"]) ? [] : asArray(p["replicas"])) {
                if (!setString(obj(rep)["kmsKeyArn"])) {
                    out.push(
                        `${r} has a replica in ${String(obj(rep)["regionName"])} without kmsKeyArn; ${rule}`,
                    );
                }
            }
            return out;
        }
        case T.tableReplica:
            return setString(p["kmsKeyArn"]) ? [] : [`${r} has no kmsKeyArn; ${rule}`];
        case T.rdsCluster:
        case T.rdsInstance:
            return isTrue(p["storageEncrypted"]) && setString(p["kmsKeyId"])
                ? []
                : [`${r} needs storageEncrypted: true and a kmsKeyId; ${rule}`];
        case T.cacheGroup:
            // Members of a global datastore inherit at-rest encryption from its primary group.
            if (setString(p["globalReplicationGroupId"])) return [];
            return isTrue(p["atRestEncryptionEnabled"]) && setString(p["kmsKeyId"])
                ? []
                : [`${r} needs atRestEncryptionEnabled: true and a kmsKeyId; ${rule}`];
        case T.cacheServerless:
            return setString(p["kmsKeyId"]) ? [] : [`${r} has no kmsKeyId; ${rule}`];
        case T.backupVault:
            return setString(p["kmsKeyArn"]) ? [] : [`${r} has no kmsKeyArn; ${rule}`];
        default:
            return [];
    }
}

export const encryptionAtRestCmk: ResourceValidationPolicy = {
    name: "encryption-at-rest-cmk",
    description:
        "DynamoDB tables and replicas, RDS clusters and instances, ElastiCache groups, serverless caches and backup vaults are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const v = viewOfArgs(args);
        for (const m of cmkFindings(v.type, v.name, v.props)) report(m);
    },
};

export const databaseDeletionProtection: ResourceValidationPolicy = {
    name: "database-deletion-protection",
    description: "RDS clusters and instances and DynamoDB tables have deletion protection on.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const key =
            args.type === T.table
                ? "deletionProtectionEnabled"
                : args.type === T.rdsCluster || args.type === T.rdsInstance
                  ? "deletionProtection"
                  : undefined;
        if (!key) return;
        const v = viewOfArgs(args);
        if (!isTrue(v.props[key])) {
            report(
                `${label(v)} has ${key}: ${JSON.stringify(v.props[key] ?? null)}; rule: databases are deletion-protected (${key}: true)`,
            );
        }
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
    return ["bucket", "id"].map((k) => p[k]).filter((h): h is string => setString(h));
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

function inlineSseIsKms(b: PolicyResource): boolean {
    const p = rawProps(b.props);
    const defaults: unknown[] = [];
    if (b.type === T.bucket) {
        defaults.push(
            obj(
                obj(obj(p["serverSideEncryptionConfiguration"])["rule"])[
                    "applyServerSideEncryptionByDefault"
                ],
            ),
        );
    } else {
        for (const c of asArray(p["serverSideEncryptionConfigurations"])) {
            for (const rule of asArray(obj(c)["rules"]))
                defaults.push(...asArray(obj(rule)["applyServerSideEncryptionByDefaults"]));
        }
    }
    return defaults.some((d) => kmsDefault(d));
}

function kmsDefault(d: unknown): boolean {
    const alg = obj(d)["sseAlgorithm"];
    return (alg === "aws:kms" || alg === "aws:kms:dsse") && setString(obj(d)["kmsMasterKeyId"]);
}

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
        "Every S3 bucket's default encryption is SSE-KMS with a customer-managed key; a load balancer's access-log bucket uses SSE-S3, the only encryption ELB delivers to.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const b of args.resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
            if (inlineSseIsKms(b)) continue;
            const sse = configuring(args.resources, b, [T.bucketSse, T.bucketSseV2]);
            const defaults = sse.flatMap((s) =>
                asArray(rawProps(s.props)["rules"]).map(
                    (rule) => obj(rule)["applyServerSideEncryptionByDefault"],
                ),
            );
            if (defaults.some(kmsDefault)) continue;
            const v = viewOfPolicyResource(b);
            // ELB delivers access logs only to SSE-S3 buckets (see aws/aws-cdk#21947 and the ELB
            // guide's access-log bucket requirements), so such a bucket is held to SSE-S3.
            if (isLoadBalancerLogBucket(args.resources, b)) {
                if (defaults.some((d) => obj(d)["sseAlgorithm"] === "AES256")) continue;
                report(
                    `${label(v)} receives load-balancer access logs but has no default encryption with sseAlgorithm AES256; rule: data stores are encrypted at rest (SSE-S3 is the only option ELB log delivery supports)`,
                    b.urn,
                );
                continue;
            }
            report(
                `${label(v)} has no default encryption with sseAlgorithm aws:kms and a kmsMasterKeyId; rule: data stores are encrypted at rest with a customer-managed KMS key`,
                b.urn,
            );
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
