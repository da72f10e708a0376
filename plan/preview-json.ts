/**
 * `npm run plan -- --json`: the preview as one JSON document on stdout, for machines
 * (docs/plan-format.md, "Preview document"). Pure: built from the plan result alone. It is a
 * view of the plan, not the plan file (`--out` writes those, unchanged): per resource only what
 * the tree shows (urn, type, name, parent), plus the outputs, the policy verdicts, the pack that
 * gave them and the totals `npm run policy:check` reports for the same stacks.
 */
import { PackRun } from "./policy";
import { displayType } from "./preview-display";
import { PlanViolation, StackPlan } from "./run";
import { countTotals, Totals, totalsOfPlans } from "./totals";

/** Version of the preview document; bumped only if a field changes meaning. */
export const PREVIEW_FORMAT_VERSION = 1;

export interface PreviewResource {
    urn: string;
    type: string;
    /** The type as the CLI prints it (`aws:lb:LoadBalancer`). */
    displayType: string;
    name: string;
    /** Parent URN; null at top level (under the stack). */
    parent: string | null;
    custom: boolean;
    /** Effective region (docs/plan-format.md); null for components. */
    region: string | null;
    /** What the preview would do: every planned resource is created. */
    op: "create";
}

export interface PreviewRead {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    /** What was read (for a StackReference, the referenced stack). */
    id: string;
    op: "read";
}

export interface PreviewStack {
    stack: string;
    role: string;
    region: string;
    resources: PreviewResource[];
    reads: PreviewRead[];
    outputs: Record<string, unknown>;
    /** As `pulumi preview --json`'s changeSummary: op → count. */
    changeSummary: { create: number };
    violations: PlanViolation[];
    totals: Totals;
}

export interface PreviewDocument {
    previewFormatVersion: number;
    project: string;
    policyPack: PackRun;
    stacks: PreviewStack[];
    totals: Totals;
}

function stackDocument(plan: StackPlan): PreviewStack {
    const totals = countTotals([plan], plan.violations);
    return {
        stack: plan.stack,
        role: plan.role,
        region: plan.region,
        resources: plan.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            displayType: displayType(r.type),
            name: r.name,
            parent: r.parent,
            custom: r.custom,
            region: r.region,
            op: "create",
        })),
        reads: (plan.reads ?? []).map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent,
            id: r.id,
            op: "read",
        })),
        outputs: plan.outputs,
        changeSummary: { create: totals.resources },
        violations: plan.violations,
        totals,
    };
}

/** The document for the stacks shown. */
export function previewDocument(plans: StackPlan[], pack: PackRun): PreviewDocument {
    return {
        previewFormatVersion: PREVIEW_FORMAT_VERSION,
        project: plans[0]?.project ?? "",
        policyPack: pack,
        stacks: plans.map(stackDocument),
        totals: totalsOfPlans(plans),
    };
}

/** The document as printed: two-space indented, trailing newline. */
export function previewToJson(plans: StackPlan[], pack: PackRun): string {
    return `${JSON.stringify(previewDocument(plans, pack), null, 2)}\n`;
}
