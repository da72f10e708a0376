// Finding the resource at the other end of a reference (an ARN, a bucket name, a cluster
// identifier) among the resources a stack policy can see, and proving its classification and
// region: from the resource itself when it is visible, else from its residency name, else not
// at all (the caller then fails closed). Also: proving that a store's KMS key is customer-managed
// when the key is not known until apply (its property dependencies name the key).

import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import {
    arnRegion,
    arnResourceName,
    classify,
    Classification,
    effectiveRegion,
    isUnknown,
    label,
    parseResidencyName,
    rawProps,
    RegionFact,
    ResidencyConfig,
    ResourceView,
    T,
    viewOfPolicyResource,
} from "./residency";

/**
 * Extra context the offline evaluator (`policies/offline.ts`) hands to stack policies. A real
 * `pulumi preview --policy-pack` leaves both fields out: the stack's region then comes from its
 * default AWS provider, and references into other stacks are proven by residency names only.
 */
export interface PlanContextArgs extends StackValidationArgs {
    /** The stack's `aws:region`. */
    stackRegion?: string;
    /** Resources of the other stacks planned together with this one (cross-stack proof). */
    otherStackResources?: PolicyResource[];
}

/** Property names whose values identify a resource when another resource refers to it. */
const HANDLE_KEYS = [
    "id",
    "arn",
    "bucket",
    "name",
    "clusterIdentifier",
    "identifier",
    "replicationGroupId",
    "keyId",
    "globalClusterIdentifier",
    "dbSnapshotIdentifier",
    "dbSnapshotArn",
    "dbClusterSnapshotIdentifier",
    "dbClusterSnapshotArn",
    "targetDbSnapshotIdentifier",
    "targetDbClusterSnapshotIdentifier",
];

/** What is proven about the resource at the other end of a reference. */
export interface Proof {
    /** How the proof was obtained, for messages. */
    source: string;
    classification: Classification;
    region: RegionFact;
}

export class ResourceIndex {
    readonly views: ResourceView[];
    private readonly byHandle = new Map<string, ResourceView[]>();
    private readonly byUrn = new Map<string, ResourceView>();

    constructor(
        resources: readonly PolicyResource[],
        readonly config: ResidencyConfig,
    ) {
        this.views = resources.map(viewOfPolicyResource);
        for (const v of this.views) {
            this.byUrn.set(v.urn, v);
            for (const k of HANDLE_KEYS) {
                const h = v.props[k];
                if (typeof h === "string" && h !== "" && !isUnknown(h)) this.add(h, v);
            }
        }
    }

    private add(handle: string, v: ResourceView): void {
        const list = this.byHandle.get(handle) ?? [];
        if (!list.includes(v)) list.push(v);
        this.byHandle.set(handle, list);
    }

    /** The visible resource with this URN, if any. */
    get(urn: string): ResourceView | undefined {
        return this.byUrn.get(urn);
    }

    /** Resources of the given types that a reference (name, id or ARN) designates. */
    find(ref: string, types: readonly string[]): ResourceView[] {
        const direct = (this.byHandle.get(ref) ?? []).filter((v) => types.includes(v.type));
        if (direct.length > 0 || !ref.startsWith("arn:")) return direct;
        // An ARN may designate a resource known to the index only by name (bucket ARNs carry no
        // region; a table ARN's last segment is the table name): match name and, if any, region.
        const name = arnResourceName(ref);
        const region = arnRegion(ref);
        return (this.byHandle.get(name) ?? []).filter((v) => {
            if (!types.includes(v.type)) return false;
            if (!region) return true;
            const r = effectiveRegion(v);
            return r.kind === "known" && r.region === region;
        });
    }

    /**
     * The one visible resource of the given types a reference designates, if exactly one does.
     * An unknown reference (a resource of this stack, during preview) is resolved through the
     * engine's property dependencies: exactly one candidate of the right type. `region`, when
     * given, keeps only resources in that region (a same-region reference by name).
     */
    resolve(
        ref: unknown,
        types: readonly string[],
        depUrns?: readonly string[],
        region?: string,
    ): ResourceView | undefined {
        const inRegion = (v: ResourceView): boolean => {
            if (region === undefined) return true;
            const r = effectiveRegion(v);
            return r.kind === "known" && r.region === region;
        };
        const candidates =
            typeof ref !== "string" || ref === "" || isUnknown(ref)
                ? (depUrns ?? [])
                      .map((u) => this.byUrn.get(u))
                      .filter((v): v is ResourceView => v !== undefined && types.includes(v.type))
                : this.find(ref, types);
        const matching = candidates.filter(inRegion);
        return matching.length === 1 ? matching[0] : undefined;
    }

    /**
     * Proves the classification and region of the resource a reference designates. Returns
     * undefined when the reference is unknown or designates nothing provable.
     */
    prove(
        ref: unknown,
        types: readonly string[],
        depUrns?: readonly string[],
        region?: string,
    ): Proof | undefined {
        const v = this.resolve(ref, types, depUrns, region);
        if (v) {
            return {
                source: `${v.type} '${v.name}'`,
                classification: classify(v.props, this.config),
                region: effectiveRegion(v),
            };
        }
        if (typeof ref !== "string" || ref === "" || isUnknown(ref)) return undefined;
        if (this.find(ref, types).length > 0) return undefined; // ambiguous: fail closed
        const name = ref.startsWith("arn:") ? arnResourceName(ref) : ref;
        const parsed = parseResidencyName(name, this.config);
        if (!parsed) return undefined;
        const at = arnRegion(ref) ?? parsed.region;
        if (at !== parsed.region || (region !== undefined && region !== at)) return undefined;
        return {
            source: `residency name '${name}'`,
            classification:
                parsed.classification === "global"
                    ? { kind: "global" }
                    : { kind: "zone", zone: parsed.classification },
            region: { kind: "known", region: at },
        };
    }
}

/** The stack's region: given by the offline evaluator, else its default AWS provider's region. */
export function stackRegionOf(args: PlanContextArgs): string | undefined {
    if (args.stackRegion) return args.stackRegion;
    for (const r of args.resources) {
        if (r.type === "pulumi:providers:aws" && r.name.startsWith("default")) {
            const region = viewOfPolicyResource(r).props["region"];
            if (typeof region === "string" && !isUnknown(region)) return region;
        }
    }
    return undefined;
}

// ---- customer-managed KMS keys --------------------------------------------------------------

/** KMS key types that are customer-managed by construction (the program creates and owns them). */
export const CMK_TYPES: readonly string[] = [
    T.kmsKey,
    T.kmsReplicaKey,
    T.kmsExternalKey,
    T.kmsReplicaExternalKey,
];

/** A KMS alias; AWS only lets an alias point at a customer-managed key of the same Region. */
export const KMS_ALIAS_TYPE = "aws:kms/alias:Alias";

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
