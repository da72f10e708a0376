// Proving that a store's KMS key is customer-managed, also when the key is not known until apply
// (its property dependencies name the key).

import type { PolicyResource } from "@pulumi/policy";
import { label, T } from "./residency";
import { isUnknown, rawProps } from "./values";

// ---- customer-managed KMS keys --------------------------------------------------------------

/** KMS key types that are customer-managed by construction (the program creates and owns them). */
export const CMK_TYPES: readonly string[] = [
    T.kmsKey,
    T.kmsReplicaKey,
    T.kmsExternalKey,
    T.kmsReplicaExternalKey,
];

/** A KMS alias; AWS only lets an alias point at a customer-managed key of the same Region. */
export const KMS_ALIAS_TYPE = T.kmsAlias;

/**
 * Whether a key reference names an AWS-managed key: `alias/aws/<service>` or its ARN form
 * (`arn:<partition>:kms:<region>:<account>:alias/aws/<service>`). The `alias/aws/` prefix is
 * reserved for AWS-managed keys (KMS Developer Guide, "Aliases in AWS KMS").
 */
export function isAwsManagedKeyRef(ref: string): boolean {
    return /^(?:arn:[^:]+:kms:[^:]*:[^:]*:)?alias\/aws\//.test(ref);
}

/** What is proven about the KMS key a store's key property (kmsKeyId, kmsKeyArn, ...) names. */
export type KeyFact =
    /** A known reference that is not an AWS-managed key, or an unknown one proven to be a CMK. */
    | { kind: "cmk" }
    /** No key at all (the service then uses its AWS-managed or AWS-owned key). */
    | { kind: "missing" }
    /** A known reference to an AWS-managed key. */
    | { kind: "aws-managed"; ref: string }
    /** Not known until apply, and not proven to come from a customer-managed key. */
    | { kind: "unproven"; why: string };

/** Whether a same-stack dependency supplies a customer-managed key (or an alias of one). */
function suppliesCmk(d: PolicyResource): boolean {
    if (CMK_TYPES.includes(d.type)) return true;
    if (d.type !== KMS_ALIAS_TYPE) return false;
    const target = rawProps(d.props ?? {})["targetKeyId"];
    if (typeof target === "string" && target !== "" && !isUnknown(target))
        return !isAwsManagedKeyRef(target);
    const deps = d.propertyDependencies?.["targetKeyId"] ?? [];
    return deps.length > 0 && deps.every((t) => CMK_TYPES.includes(t.type));
}

/**
 * Judges a key reference. A known value must be a non-empty string that does not name an
 * AWS-managed key. A value not known until apply (a key created in the same update, during
 * `pulumi preview`) is accepted only when the engine's property dependencies of the top-level
 * property holding it (`deps`) prove where it comes from: at least one dependency, and every
 * one a KMS key, replica key, external key or replica external key of this stack, or an alias
 * whose target is one. Anything else among them (a random string, a stack reference, an
 * unrelated resource) could be the value, so the key is not proven (fail closed).
 */
export function customerManagedKey(
    value: unknown,
    deps: readonly PolicyResource[] | undefined,
): KeyFact {
    if (isUnknown(value)) {
        const from = deps ?? [];
        if (from.length === 0) {
            return {
                kind: "unproven",
                why: "no property dependency names the resource it comes from",
            };
        }
        const others = from.filter((d) => !suppliesCmk(d));
        if (others.length === 0) return { kind: "cmk" };
        return {
            kind: "unproven",
            why: `it depends on ${others.map(label).join(", ")}, not only on customer-managed KMS keys (${CMK_TYPES.join(", ")}) or aliases of them`,
        };
    }
    if (typeof value !== "string" || value === "") return { kind: "missing" };
    if (isAwsManagedKeyRef(value)) return { kind: "aws-managed", ref: value };
    return { kind: "cmk" };
}

/**
 * The finding for one key property (`what` names it, e.g. "aws:rds/cluster:Cluster 'db'
 * kmsKeyId"), or undefined when it is proven to name a customer-managed key. `missing` is the
 * message for no key at all.
 */
export function keyFinding(
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
