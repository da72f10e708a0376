// Finding the resource at the other end of a reference (an ARN, a bucket name, a cluster
// identifier) among the resources a stack policy can see, and proving its classification and
// region: from the resource itself when it is visible, else from its residency name, else not
// at all (the caller then fails closed).

import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import {
    arnRegion,
    arnResourceName,
    classify,
    Classification,
    effectiveRegion,
    isUnknown,
    parseResidencyName,
    RegionFact,
    ResidencyConfig,
    ResourceView,
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
     * Proves the classification and region of the resource a reference designates. Returns
     * undefined when the reference is unknown or designates nothing provable.
     */
    prove(ref: unknown, types: readonly string[], depUrns?: readonly string[]): Proof | undefined {
        if (typeof ref !== "string" || ref === "" || isUnknown(ref)) {
            // Not known yet (a resource of this stack, during preview): the engine's property
            // dependencies still name it; exactly one candidate of the right type proves it.
            const candidates = (depUrns ?? [])
                .map((u) => this.byUrn.get(u))
                .filter((v): v is ResourceView => v !== undefined && types.includes(v.type));
            if (candidates.length !== 1) return undefined;
            const v = candidates[0];
            return {
                source: `${v.type} '${v.name}'`,
                classification: classify(v.props, this.config),
                region: effectiveRegion(v),
            };
        }
        const found = this.find(ref, types);
        if (found.length === 1) {
            const v = found[0];
            return {
                source: `${v.type} '${v.name}'`,
                classification: classify(v.props, this.config),
                region: effectiveRegion(v),
            };
        }
        if (found.length > 1) return undefined; // ambiguous: fail closed
        const name = ref.startsWith("arn:") ? arnResourceName(ref) : ref;
        const parsed = parseResidencyName(name, this.config);
        if (!parsed) return undefined;
        const region = arnRegion(ref) ?? parsed.region;
        if (region !== parsed.region) return undefined;
        return {
            source: `residency name '${name}'`,
            classification:
                parsed.classification === "global"
                    ? { kind: "global" }
                    : { kind: "zone", zone: parsed.classification },
            region: { kind: "known", region },
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
