// What a stack policy can know about the stack itself from what the engine hands it: its region
// (the region of its default AWS provider, which the engine creates from the stack's `aws:region`)
// and its account (the pack's config, else the providers' `allowedAccountIds`). Nothing is taken
// from names or guessed: when the engine shows no default provider, the stack's region is unknown
// and the rules that need it fall back to every AWS provider the stack uses.

import type { PolicyResource } from "@pulumi/policy";
import { providerAccount } from "./accounts";
import { ResidencyConfig, T } from "./residency";
import { isKnownString, parseDocument, rawProps } from "./values";

/** The engine names a default provider `default` or `default_<major>_<minor>_<patch>[...]`. */
const DEFAULT_PROVIDER_NAME = /^default(_\d+_\d+_\d+[A-Za-z0-9_]*)?$/;

/** Provider props as the engine sends them (complex values may arrive as JSON text). */
export function providerProps(r: { props?: Record<string, unknown> }): Record<string, unknown> {
    const p = rawProps(r.props ?? {});
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p)) {
        const doc = typeof v === "string" ? parseDocument(v) : undefined;
        out[k] = doc !== undefined ? doc : v;
    }
    return out;
}

/** The AWS providers of a stack: those in its resources and those its resources are created with. */
export function awsProviders(resources: readonly PolicyResource[]): PolicyResource["provider"][] {
    const byUrn = new Map<string, NonNullable<PolicyResource["provider"]>>();
    for (const r of resources) {
        if (r.type === T.awsProvider)
            byUrn.set(r.urn, { type: r.type, urn: r.urn, name: r.name, props: r.props });
        const p = r.provider;
        if (p && p.type === T.awsProvider && !byUrn.has(p.urn)) byUrn.set(p.urn, p);
    }
    return [...byUrn.values()];
}

/** The stack's default AWS provider, when the engine shows exactly one. */
export function defaultAwsProvider(
    resources: readonly PolicyResource[],
): PolicyResource["provider"] | undefined {
    const defaults = awsProviders(resources).filter((p) => p && DEFAULT_PROVIDER_NAME.test(p.name));
    return defaults.length === 1 ? defaults[0] : undefined;
}

/** The stack's region: its default AWS provider's region, if the engine shows one. */
export function stackRegion(resources: readonly PolicyResource[]): string | undefined {
    const d = defaultAwsProvider(resources);
    const region = d ? providerProps(d)["region"] : undefined;
    return isKnownString(region) ? region : undefined;
}

/** Regions of every AWS provider the stack uses (known values only), sorted. */
export function providerRegions(resources: readonly PolicyResource[]): string[] {
    const out = new Set<string>();
    for (const p of awsProviders(resources)) {
        const region = p ? providerProps(p)["region"] : undefined;
        if (isKnownString(region)) out.add(region);
    }
    return [...out].sort();
}

/**
 * The account the stack deploys into: the pack's config (`account`), else the only account its
 * default AWS provider allows (`allowedAccountIds`). Undefined when neither says.
 */
export function stackAccount(
    resources: readonly PolicyResource[],
    config: ResidencyConfig,
): string | undefined {
    if (config.account) return config.account;
    const d = defaultAwsProvider(resources);
    const p = d ? providerProps(d) : undefined;
    return p && Array.isArray(p["allowedAccountIds"])
        ? providerAccount({ allowedAccountIds: p["allowedAccountIds"] })
        : undefined;
}
