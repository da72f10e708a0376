/**
 * Pulumi's wire format as the mocks see it: secrets and resource references arrive wrapped in
 * signature objects. Unwrapping records where the program made a value secret, so the plan file
 * masks exactly those leaves.
 */

/** Pulumi's marker for a value not known until the update (what the engine sends in previews). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/**
 * Where the secrets are in a serialized property map (the gRPC struct as JavaScript), as dotted
 * paths with [i]. The SDK wraps a secret where the program made it secret — a leaf such as
 * `origins[0].customHeaders[0].value` — but `deserializeProperties` lifts the mark to the
 * top-level property holding it, so the paths are read from the struct itself.
 */
export function secretPathsOf(serialized: unknown, path = "", out: string[] = []): string[] {
    if (Array.isArray(serialized)) {
        serialized.forEach((v, i) => secretPathsOf(v, `${path}[${i}]`, out));
    } else if (serialized && typeof serialized === "object") {
        const o = serialized as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) {
            out.push(path);
        } else if (o[SIG_KEY] === undefined) {
            for (const [k, v] of Object.entries(o))
                secretPathsOf(v, path ? `${path}.${k}` : k, out);
        }
    }
    return out;
}

/** Strips Pulumi's wire wrappers (secrets, resource references) and notes where secrets were. */
export function unwrap(value: unknown, path = "", secrets: string[] = []): unknown {
    if (Array.isArray(value)) return value.map((v, i) => unwrap(v, `${path}[${i}]`, secrets));
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) {
            secrets.push(path);
            return unwrap(o.value, path, secrets);
        }
        if (o[SIG_KEY] === RESOURCE_SIG) return o.urn;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(o))
            out[k] = unwrap(v, path ? `${path}.${k}` : k, secrets);
        return out;
    }
    return value;
}
