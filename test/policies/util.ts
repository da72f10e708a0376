// Test helpers for the policy pack, in the spirit of pulumi-policy-aws `tests/util.ts`: build
// planned resources, run the pack over them, and assert the exact violations.

import { expect } from "chai";
import { PlanLike, PlannedResourceLike, StackViolation, Violation } from "../../policies/offline";
import { RESIDENCY_TAG, UNKNOWN } from "../../policies/residency";

export { UNKNOWN };

export const ACCOUNT = "123456789012";

export function tags(
    classification: string,
    extra: Record<string, string> = {},
): Record<string, string> {
    return { [RESIDENCY_TAG]: classification, ...extra };
}

/** A custom resource as a plan file holds it; region defaults to the stack region. */
export function res(
    stack: string,
    region: string,
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    extra: Partial<PlannedResourceLike> = {},
): PlannedResourceLike {
    return {
        urn: `urn:pulumi:${stack}::taskflow::${type}::${name}`,
        type,
        name,
        custom: true,
        id: `${name}-id`,
        region: (inputs["region"] as string | undefined) ?? region,
        providerRegion: region,
        parent: null,
        inputs,
        outputs: {},
        ...extra,
    };
}

export function find(plan: PlanLike, name: string): PlannedResourceLike {
    const r = plan.resources.find((x) => x.name === name);
    if (!r) throw new Error(`fixture has no resource named ${name}`);
    return r;
}

/** Deep-clones a plan and applies one change to one resource's inputs. */
export function mutate(
    plan: PlanLike,
    name: string,
    change: (inputs: Record<string, any>, r: PlannedResourceLike) => void,
): PlanLike {
    const copy = JSON.parse(JSON.stringify(plan)) as PlanLike;
    const r = find(copy, name);
    change(r.inputs, r);
    return copy;
}

export function expectClean(violations: Violation[]): void {
    expect(violations.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
}

/**
 * Asserts that the pack found exactly the named policies' violations (one each unless repeated)
 * and that the first of `policy` mentions every part.
 */
export function expectViolation(
    violations: (Violation | StackViolation)[],
    policy: string,
    parts: string[],
    opts: { urn?: string; alsoPolicies?: string[] } = {},
): Violation {
    const names = violations.map((v) => v.policy).sort();
    expect(names, JSON.stringify(violations, null, 1)).to.deep.equal(
        [policy, ...(opts.alsoPolicies ?? [])].sort(),
    );
    const v = violations.find((x) => x.policy === policy)!;
    expect(v.level).to.equal("mandatory");
    for (const p of parts) expect(v.message).to.include(p);
    if (opts.urn !== undefined) expect(v.urn).to.equal(opts.urn);
    return v;
}

/** The resource name at the end of a URN. */
export const nameOf = (urn: string | null): string => (urn ?? "").split("::").pop() ?? "";

/**
 * Asserts that the findings are exactly the expected (policy, resource name) pairs, each at least
 * once, nothing else, all mandatory, and that one finding of the first pair mentions every part.
 */
export function expectFindings(
    violations: (Violation | StackViolation)[],
    expected: [string, string][],
    parts: string[],
): Violation {
    const key = (p: string, r: string) => `${p} @ ${r}`;
    const got = [...new Set(violations.map((v) => key(v.policy, nameOf(v.urn))))].sort();
    const want = [...new Set(expected.map(([p, r]) => key(p, r)))].sort();
    expect(got, JSON.stringify(violations, null, 1)).to.deep.equal(want);
    for (const v of violations) expect(v.level).to.equal("mandatory");
    const [policy, resource] = expected[0];
    const first = violations.filter((v) => v.policy === policy && nameOf(v.urn) === resource);
    const match = first.find((v) => parts.every((p) => v.message.includes(p)));
    expect(
        match,
        `no ${key(policy, resource)} finding mentions all of ${JSON.stringify(parts)}:\n${first.map((v) => v.message).join("\n")}`,
    ).to.not.equal(undefined);
    return match!;
}
