/**
 * What every synthesizer is given (the resource, its region, deterministic hashes, its ARN), the
 * shape of one service's mocks, and the account every synthesized ARN names.
 */
import * as crypto from "crypto";

/** The account id every synthesized ARN uses. */
export const MOCK_ACCOUNT_ID = "123456789012";

/** Context handed to a synthesizer. */
export interface SynthContext {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** Effective region (or "global"). */
    region: string;
    stack: string;
    /** Deterministic short hex digest of (stack, type, name, salt). */
    hash: (salt?: string, length?: number) => string;
    /** The physical name AWS would get: the input name field, else `<name>-<7 hex>`. */
    physicalName: string;
    /** A realistic ARN for this resource. */
    arn: (resourcePart?: string) => string;
}

/** Returns the id and extra output properties of a resource type. */
export type Synthesizer = (ctx: SynthContext) => { id?: string; outputs?: Record<string, unknown> };

/** One service's mocks: a synthesizer per resource type it answers for, and what it keeps secret. */
export interface ServiceMocks {
    /** Resource type → its id and outputs. Types absent everywhere get a generic id and ARN. */
    synthesizers: Record<string, Synthesizer>;
    /**
     * Output properties the provider marks secret (its schema's `secret: true`), by type. The
     * real engine masks them whatever the program says; under the mocks only the program's
     * `additionalSecretOutputs` reach us, so the plan applies this table too.
     */
    secretOutputs?: Record<string, readonly string[]>;
    /** Type prefixes of a global service (no region of its own: IAM, Route 53, ...). */
    globalTypePrefixes?: string[];
    /** The ARN service name, when it is not the type's module (`aws:lb/` → `elasticloadbalancing`). */
    arnService?: Record<string, string>;
}

/** SHA-256 (hex) of the parts, NUL-separated. */
export function digest(...parts: string[]): string {
    return crypto.createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/** The first of `keys` that is a non-empty string input. */
export const first = (inputs: Record<string, unknown>, ...keys: string[]): string | undefined => {
    for (const k of keys)
        if (typeof inputs[k] === "string" && inputs[k] !== "") return inputs[k] as string;
    return undefined;
};
