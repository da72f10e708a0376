/**
 * Is a change an app rollout?. An app rollout changes, in a region stack, only the
 * cell's task definition (its container definitions, CPU or memory: a new image, an environment
 * value, a size) and the service's pointer to it. Anything else — another resource, an output,
 * the global stack — is an infrastructure change, which keeps the dependency waves (primary, then
 * secondaries, then global): region-by-region order cannot honour the stacks' references.
 *
 * The same rule judges two sources of changes:
 * - `pulumi preview` of each stack (engine events, `npm run deploy -- --rollout`);
 * - two offline plans, before and after the change (`npm run deploy -- --rollout --preview
 *   --compare <base> <head>`, the preview workflow), where only inputs can differ.
 * Pure.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";

/** One resource step of a preview, or one difference between two plans. */
export interface ResourceChange {
    urn: string;
    type: string;
    /** The engine's op (`update`, `replace`, `create-replacement`, `delete-replaced`, `create`, ...). */
    op: string;
    /** Top-level properties that differ; undefined when the source does not say. */
    diffs?: string[];
}

export const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const ECS_SERVICE = "aws:ecs/service:Service";

/** What an app rollout may change, by resource type: the steps and the properties. */
const APP_STEPS: Readonly<Record<string, { ops: readonly string[]; fields: readonly string[] }>> = {
    [TASK_DEFINITION]: {
        ops: ["update", "replace", "create-replacement", "delete-replaced"],
        fields: ["containerDefinitions", "cpu", "memory"],
    },
    [ECS_SERVICE]: { ops: ["update"], fields: ["taskDefinition"] },
};

/** Engine ops that change nothing. */
const NO_OPS = ["same", "read", "refresh", "discard", "read-discard"];

export type ChangeKind = "none" | "app" | "infra";

/** A stack's verdict. */
export interface StackChange {
    stack: string;
    kind: ChangeKind;
    /** The steps that make it an app change. */
    app: ResourceChange[];
    /** The steps that make it an infrastructure change (empty unless kind is infra). */
    infra: ResourceChange[];
    /** The app container's image before and after, when the source shows it (offline plans). */
    image?: { from?: string; to?: string };
}

function isAppStep(c: ResourceChange): boolean {
    const rule = APP_STEPS[c.type];
    if (!rule || !rule.ops.includes(c.op)) return false;
    // The old half of a replacement carries no diff of its own.
    if (c.op === "delete-replaced") return true;
    if (c.diffs === undefined || c.diffs.length === 0) return false;
    return c.diffs.every((d) => rule.fields.includes(d));
}

/** Classifies the changes of one stack. `regionStack` is false for the global stack. */
export function classifyChanges(
    stack: string,
    changes: readonly ResourceChange[],
    regionStack = true,
): StackChange {
    const real = changes.filter((c) => !NO_OPS.includes(c.op));
    const app = regionStack ? real.filter(isAppStep) : [];
    const infra = real.filter((c) => !app.includes(c));
    const kind: ChangeKind = infra.length > 0 ? "infra" : app.length > 0 ? "app" : "none";
    return { stack, kind, app, infra };
}

/** The resource steps of a preview's engine events (`onEvent` of the Automation API). */
export function changesFromEvents(events: readonly EngineEvent[]): ResourceChange[] {
    return events.flatMap((e) => {
        const m = e.resourcePreEvent?.metadata;
        if (!m) return [];
        return [{ urn: m.urn, type: m.type, op: m.op, ...(m.diffs ? { diffs: m.diffs } : {}) }];
    });
}

/** The parts of an offline plan file this module compares (docs/plan-format.md). */
export interface PlanLike {
    stack: string;
    role: string;
    resources: {
        urn: string;
        type: string;
        inputs: Record<string, unknown>;
        options?: unknown;
    }[];
    outputs: Record<string, unknown>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The differences between two offline plans of one stack, as resource steps. */
export function changesBetweenPlans(base: PlanLike, head: PlanLike): ResourceChange[] {
    const before = new Map(base.resources.map((r) => [r.urn, r]));
    const after = new Map(head.resources.map((r) => [r.urn, r]));
    const changes: ResourceChange[] = [];
    for (const [urn, r] of after) {
        const old = before.get(urn);
        if (!old) {
            changes.push({ urn, type: r.type, op: "create" });
            continue;
        }
        const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)])];
        const diffs = keys.filter((k) => !same(old.inputs[k], r.inputs[k])).sort();
        if (!same(old.options ?? {}, r.options ?? {})) diffs.push("(options)");
        if (diffs.length > 0) changes.push({ urn, type: r.type, op: "update", diffs });
    }
    for (const [urn, r] of before) {
        if (!after.has(urn)) changes.push({ urn, type: r.type, op: "delete" });
    }
    const outKeys = [...new Set([...Object.keys(base.outputs), ...Object.keys(head.outputs)])];
    const outDiffs = outKeys.filter((k) => !same(base.outputs[k], head.outputs[k])).sort();
    if (outDiffs.length > 0) {
        changes.push({
            urn: `(stack outputs of ${head.stack})`,
            type: "pulumi:pulumi:Stack",
            op: "update",
            diffs: outDiffs,
        });
    }
    return changes;
}

/** The image of the container named `app` in a task definition's `containerDefinitions`. */
export function appImageOf(containerDefinitions: unknown): string | undefined {
    try {
        const defs = (
            typeof containerDefinitions === "string"
                ? JSON.parse(containerDefinitions)
                : containerDefinitions
        ) as { name?: string; image?: string }[];
        return defs.find((d) => d.name === "app")?.image;
    } catch {
        return undefined;
    }
}

/** Classifies one stack from two offline plans; the image pair when the task definition changed. */
export function classifyPlans(base: PlanLike, head: PlanLike): StackChange {
    const verdict = classifyChanges(
        head.stack,
        changesBetweenPlans(base, head),
        head.role !== "global",
    );
    const td = (p: PlanLike) => p.resources.find((r) => r.type === TASK_DEFINITION);
    const from = appImageOf(td(base)?.inputs.containerDefinitions);
    const to = appImageOf(td(head)?.inputs.containerDefinitions);
    return from !== to ? { ...verdict, image: { from, to } } : verdict;
}

/** One line per step, for the printed verdicts. */
export function describeChange(c: ResourceChange): string {
    const name = c.urn.split("::").pop() ?? c.urn;
    return `${c.op} ${c.type} ${name}${c.diffs?.length ? ` (${c.diffs.join(", ")})` : ""}`;
}
