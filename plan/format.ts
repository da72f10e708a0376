/**
 * The plan file: what `npm run plan -- --out <dir>` writes per stack (docs/plan-format.md), and
 * its serialization (stable key order, secrets masked where the program made them secret).
 */
import { RecordedRead, RecordedResource } from "./mocks";

export const FORMAT_VERSION = 1;

/** A policy verdict in a plan file. */
export interface PlanViolation {
    policy: string;
    level: "mandatory" | "advisory";
    urn: string | null;
    message: string;
}

/** One planned resource, as written to the plan file (docs/plan-format.md). */
export type PlannedResource = Omit<RecordedResource, "secretPaths" | "secretOutputPaths">;

/** One resource the stack read instead of registering (a StackReference), as written. */
export type PlannedRead = RecordedRead;

/** The plan of one stack: the JSON contract of `npm run plan -- --out`. */
export interface StackPlan {
    formatVersion: number;
    project: string;
    stack: string;
    role: string;
    region: string;
    resources: PlannedResource[];
    /**
     * Resources read, not registered (StackReferences), sorted by URN: `dependsOn` of planned
     * resources may name them. Added after format version 1's first release; readers of older
     * files should treat it as absent = [].
     */
    reads?: PlannedRead[];
    outputs: Record<string, unknown>;
    stackReferences: string[];
    violations: PlanViolation[];
}

/** Replaces the values at `paths` (dotted, with [i]) by "[secret]". */
export function maskSecrets(
    inputs: Record<string, unknown>,
    paths: string[],
): Record<string, unknown> {
    if (paths.length === 0) return inputs;
    const copy = JSON.parse(JSON.stringify(inputs)) as Record<string, unknown>;
    for (const p of paths) {
        const parts = p.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== "");
        let node: Record<string, unknown> | unknown[] = copy;
        for (let i = 0; i < parts.length - 1 && node; i++) {
            node = (node as Record<string, unknown>)[parts[i]] as Record<string, unknown>;
        }
        if (node && parts.length > 0)
            (node as Record<string, unknown>)[parts[parts.length - 1]] = "[secret]";
    }
    return copy;
}

/** Sorts object keys recursively so files are byte-stable. */
export function stable(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(stable);
    if (value && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(value as object).sort()) {
            const v = (value as Record<string, unknown>)[k];
            if (v !== undefined) out[k] = stable(v);
        }
        return out;
    }
    return value;
}

/**
 * Plans one stack under the mocks. `stackOutputs` holds the planned outputs of the stacks it

/** Serializes a plan the way `--out` writes it (stable key order, trailing newline). */
export function planToJson(plan: StackPlan): string {
    const {
        formatVersion,
        project,
        stack,
        role,
        region,
        resources,
        reads,
        outputs,
        stackReferences,
        violations,
    } = plan;
    const ordered = {
        formatVersion,
        project,
        stack,
        role,
        region,
        resources: resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            custom: r.custom,
            id: r.id,
            region: r.region,
            providerRegion: r.providerRegion,
            parent: r.parent,
            provider: r.provider,
            remote: r.remote,
            propertyDependencies: r.propertyDependencies,
            inputs: stable(r.inputs),
            outputs: stable(r.outputs),
            options: r.options,
        })),
        reads: (reads ?? []).map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            id: r.id,
            parent: r.parent,
            inputs: stable(r.inputs),
        })),
        outputs: stable(outputs),
        stackReferences,
        violations,
    };
    return `${JSON.stringify(ordered, null, 2)}\n`;
}
