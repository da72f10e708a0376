/**
 * StackReferences under the mocks: a reference reads the planned outputs of the upstream stack
 * (planned before it, in dependency order), and reports that stack's secret outputs as secret,
 * as a real backend does.
 */

/** The type token of a StackReference. */
export const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** Where the upstream stacks' planned outputs are. */
export interface StackOutputSource {
    /** Outputs of other stacks, by fully-qualified name (org/project/stack). */
    stackOutputs?: Record<string, Record<string, unknown>>;
    /** Names of those stacks' secret outputs. */
    stackSecretOutputs?: Record<string, string[]>;
}

/** The state a StackReference to `ref` reads, or why it cannot be read. */
export function stackReferenceState(
    ref: string,
    inputs: Record<string, unknown>,
    source: StackOutputSource,
): { state: Record<string, unknown> } | { error: string } {
    const outputs = source.stackOutputs?.[ref];
    if (!outputs) {
        return {
            error: `StackReference "${ref}": no outputs for that stack (known: ${Object.keys(source.stackOutputs ?? {}).join(", ") || "none"}); plan it first or give a fixture`,
        };
    }
    // The engine reports which outputs are secret; getOutput/requireOutput then return secret
    // Outputs, as with a real backend.
    const secretOutputNames = [...(source.stackSecretOutputs?.[ref] ?? [])];
    return { state: { ...inputs, outputs, secretOutputNames } };
}
