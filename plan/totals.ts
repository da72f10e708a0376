/**
 * The totals `npm run plan` and `npm run policy:check` both report, counted one way: every
 * planned resource of a plan file (custom resources, explicit providers and components, as
 * `pulumi preview` counts them; default providers and reads are not in `resources`, and the
 * preview does not count them either), and the violations by enforcement level.
 */

/** What the totals are counted over: a plan file's resources (docs/plan-format.md). */
export interface CountablePlan {
    resources: readonly { custom?: boolean }[];
}

export interface Totals {
    stacks: number;
    /** Planned resources: what `pulumi preview` would list as "to create" (the stack itself apart). */
    resources: number;
    /** Of which ComponentResources (`custom: false`). */
    components: number;
    mandatory: number;
    advisory: number;
}

/** The totals of some stacks and the violations found over them. */
export function countTotals(
    plans: readonly CountablePlan[],
    violations: readonly { level: string }[],
): Totals {
    const mandatory = violations.filter((v) => v.level === "mandatory").length;
    return {
        stacks: plans.length,
        resources: plans.reduce((n, p) => n + p.resources.length, 0),
        components: plans.reduce(
            (n, p) => n + p.resources.filter((r) => r.custom === false).length,
            0,
        ),
        mandatory,
        advisory: violations.length - mandatory,
    };
}

/** The one line both commands print: `4 stack(s), 411 resource(s): 0 mandatory, 0 advisory violation(s)`. */
export function formatTotals(t: Totals): string {
    return `${t.stacks} stack(s), ${t.resources} resource(s): ${t.mandatory} mandatory, ${t.advisory} advisory violation(s)`;
}

/** The totals of planned stacks from their own verdicts (`violations` of each plan). */
export function totalsOfPlans(
    plans: readonly (CountablePlan & { violations: readonly { level: string }[] })[],
): Totals {
    return countTotals(
        plans,
        plans.flatMap((p) => p.violations),
    );
}
