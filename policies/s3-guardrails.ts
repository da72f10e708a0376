// S3 guardrails, judged at the stack level because a bucket's settings live on separate
// resources: public access blocked on every bucket, default encryption with a customer-managed
// key (ELB access-log buckets excepted: ELB only writes SSE-S3).

import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { customerManagedKey, keyFinding } from "./keys";
import { BUCKET_TYPES, label, T, viewOfPolicyResource } from "./residency";
import { asArray, isKnownString, isTrue, obj, rawProps } from "./values";

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
