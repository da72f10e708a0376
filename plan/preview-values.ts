/**
 * Stack outputs printed whole, the way `pulumi preview` prints its "Outputs:" section: one
 * property per line, keys sorted (PropertyMap.StableKeys) and padded so the colons line up,
 * strings quoted, objects as `{ ... }` and
 * arrays as `[ [i]: ... ]` one level deeper (4 spaces) per level, secrets as `[secret]`.
 * (pulumi/pulumi pkg/backend/display/object_diff.go, printObject / printPropertyValue.)
 * Nothing is cut off: a long value takes as many lines as it needs.
 */

const SECRET = "[secret]";
const INDENT = "    ";

function scalar(v: unknown): string {
    if (v === SECRET) return SECRET;
    if (typeof v === "string") return JSON.stringify(v);
    if (v === null || v === undefined) return "null";
    return String(v);
}

/** The lines of one value whose first line follows `key: ` at `depth` (continuation lines indented). */
function valueLines(v: unknown, depth: number): string[] {
    const pad = INDENT.repeat(depth);
    if (Array.isArray(v)) {
        if (v.length === 0) return ["[]"];
        const items = v.map((x, i) => entry(`[${i}]`, x, `[${i}]`.length, depth + 1));
        return ["[", ...items.flat(), `${pad}]`];
    }
    if (v && typeof v === "object") {
        const keys = Object.keys(v as object)
            .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
            .sort();
        if (keys.length === 0) return ["{}"];
        const width = Math.max(...keys.map((k) => k.length));
        const items = keys.map((k) =>
            entry(k, (v as Record<string, unknown>)[k], width, depth + 1),
        );
        return ["{", ...items.flat(), `${pad}}`];
    }
    return [scalar(v)];
}

function entry(key: string, v: unknown, width: number, depth: number): string[] {
    const [first, ...rest] = valueLines(v, depth);
    return [`${INDENT.repeat(depth)}${key.padEnd(width)}: ${first}`, ...rest];
}

/** Every output on its own line(s), indented one level, keys aligned; [] when there are none. */
export function outputLines(outputs: Record<string, unknown>): string[] {
    const keys = Object.keys(outputs)
        .filter((k) => outputs[k] !== undefined)
        .sort();
    const width = Math.max(0, ...keys.map((k) => k.length));
    return keys.flatMap((k) => entry(k, outputs[k], width, 1));
}
