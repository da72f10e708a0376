/**
 * Residency classification for the program's components: one call tags a data store, and a
 * transformation makes forgetting the tag fail before anything is registered.
 *
 * The tag key, the reserved `global` classification, the data-bearing types and the residency
 * name convention are the policy pack's own (policies/residency.ts), re-exported so that the
 * program and the pack can never disagree.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    GLOBAL,
    isDataBearing as packIsDataBearing,
    RESIDENCY_TAG,
    parseResidencyName,
    residencyName,
} from "../../policies/residency";

export { GLOBAL, RESIDENCY_TAG, parseResidencyName, residencyName };

/**
 * Tags classifying a data store: `residencyTags("eu")` or `residencyTags("global", {Name: x})`.
 * Throws on an empty classification (a store is `global` or a zone, never blank).
 */
export function residencyTags(
    classification: string,
    extra: Record<string, string> = {},
): Record<string, string> {
    if (typeof classification !== "string" || classification.trim() === "") {
        throw new Error(
            `residencyTags: classification ${JSON.stringify(classification)} is not allowed; use "${GLOBAL}" or a residency zone name`,
        );
    }
    return { ...extra, [RESIDENCY_TAG]: classification };
}

/**
 * Whether a resource must carry the residency tag: the pack's rule (every type of any provider
 * the pack does not know to hold no data); the program's own components hold nothing.
 */
export function isDataBearing(type: string, component = false): boolean {
    return packIsDataBearing(type, component);
}

function checkTags(type: string, name: string, tags: unknown, allowed?: readonly string[]): void {
    const value =
        tags && typeof tags === "object"
            ? (tags as Record<string, unknown>)[RESIDENCY_TAG]
            : undefined;
    if (typeof value !== "string" || value === "") {
        throw new Error(
            `${type} '${name}' is a data store without a '${RESIDENCY_TAG}' tag; classify it with residencyTags("${GLOBAL}" | "<zone>") from components/shared/residency.ts`,
        );
    }
    if (allowed && value !== GLOBAL && !allowed.includes(value)) {
        throw new Error(
            `${type} '${name}' has '${RESIDENCY_TAG}: ${value}', which is neither "${GLOBAL}" nor a zone (${allowed.join(", ")})`,
        );
    }
}

/**
 * A resource transformation that rejects a data-bearing resource registered without a residency
 * tag (and, given the topology's zone names, one classified in a zone that does not exist).
 * Plain tag objects are checked at registration; tags given as an Output are checked when they
 * resolve, which fails the update before the resource is created.
 *
 * Use it on a stack (`pulumi.runtime.registerStackTransformation(residencyTransformation())`)
 * or on a component (`{ transformations: [residencyTransformation(zones)] }`).
 */
export function residencyTransformation(zones?: readonly string[]): pulumi.ResourceTransformation {
    return (args) => {
        // `instanceof`: the component flags are set after the transformations run.
        if (!isDataBearing(args.type, args.resource instanceof pulumi.ComponentResource))
            return undefined;
        const tags = args.props["tags"];
        const value =
            tags && typeof tags === "object"
                ? (tags as Record<string, unknown>)[RESIDENCY_TAG]
                : undefined;
        const deferred =
            pulumi.Output.isInstance(tags) ||
            tags instanceof Promise ||
            pulumi.Output.isInstance(value) ||
            value instanceof Promise;
        if (deferred) {
            const checked = pulumi.output(tags).apply((t) => {
                checkTags(args.type, args.name, t, zones);
                return t;
            });
            return { props: { ...args.props, tags: checked }, opts: args.opts };
        }
        checkTags(args.type, args.name, tags, zones);
        return undefined;
    };
}

/**
 * A component's options with the residency check added to its transformations: every data store
 * the component registers must be classified `global` or in one of `zones`. `first` runs the
 * check before the caller's own transformations (default: after them).
 */
export function withResidencyCheck(
    opts: pulumi.ComponentResourceOptions | undefined,
    zones: readonly string[],
    first = false,
): pulumi.ComponentResourceOptions {
    const own = residencyTransformation(zones);
    const theirs = opts?.transformations ?? [];
    return { ...opts, transformations: first ? [own, ...theirs] : [...theirs, own] };
}
