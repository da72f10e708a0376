/** Parsing of config scalars: Pulumi stores config values as strings. */
import { Collector } from "./errors";

export const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses a config scalar that may arrive as a string (Pulumi stores config as strings). */
export function asInt(v: unknown): number | undefined {
    if (typeof v === "number") return Number.isInteger(v) ? v : NaN;
    if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return parseInt(v, 10);
    return v === undefined ? undefined : NaN;
}

export function asBool(v: unknown): boolean | undefined {
    if (typeof v === "boolean") return v;
    if (v === "true") return true;
    if (v === "false") return false;
    return v === undefined ? undefined : (NaN as unknown as boolean);
}

export function intIn(
    c: Collector,
    key: string,
    raw: unknown,
    dflt: number,
    min: number,
    max: number,
): number {
    const v = asInt(raw);
    if (v === undefined) return dflt;
    if (Number.isNaN(v) || v < min || v > max) {
        c.add(key, raw, `an integer from ${min} to ${max} is required`);
        return dflt;
    }
    return v;
}

export function oneOf<T extends string>(
    c: Collector,
    key: string,
    raw: unknown,
    allowed: readonly T[],
    dflt?: T,
): T | undefined {
    if (raw === undefined && dflt !== undefined) return dflt;
    if (typeof raw !== "string" || !allowed.includes(raw as T)) {
        c.add(key, raw, `allowed: ${allowed.join(", ")}`);
        return undefined;
    }
    return raw as T;
}
