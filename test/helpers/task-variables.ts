/**
 * What the app container of a planned task definition sees: its plain environment plus its
 * secrets, each resolved to the value of the SSM parameter its `valueFrom` ARN names (the way
 * ECS resolves them at task start). A secret naming no planned parameter throws.
 */
import type { RecordedResource } from "../../plan/mocks";

interface Container {
    environment?: { name: string; value: string }[];
    secrets?: { name: string; valueFrom: string }[];
}

/** Plain environment and parameter-backed secrets, merged (a name in both throws). */
export function taskVariables(
    taskDefinition: RecordedResource,
    parameters: RecordedResource[],
): Record<string, string> {
    const [c] = JSON.parse(String(taskDefinition.inputs.containerDefinitions)) as Container[];
    const byArn = new Map(parameters.map((p) => [String(p.outputs.arn), p]));
    const out: Record<string, string> = {};
    for (const e of c.environment ?? []) out[e.name] = e.value;
    for (const s of c.secrets ?? []) {
        const p = byArn.get(s.valueFrom);
        if (!p) throw new Error(`secret ${s.name}: no planned parameter ${s.valueFrom}`);
        if (s.name in out) throw new Error(`${s.name} is both environment and secret`);
        out[s.name] = String(p.inputs.value);
    }
    return out;
}
