/**
 * The checks the Pulumi CLI makes on the project's config declarations before it runs the
 * program, made the same way here so that the offline plan refuses what `pulumi preview` would.
 *
 * From the CLI's source (github.com/pulumi/pulumi, `sdk/go/common/workspace/project.go`
 * `Project.Validate` and `ValidateConfigValue`; `pkg/workspace/config.go` `mergeConfig` and
 * `validateStackConfigValue`):
 * - a declaration may not have both `default` and `value`; a declared `array` needs `items`; a
 *   `default` must be of the declared type; a key outside the project's namespace may have
 *   neither a type nor a default, only a `value`;
 * - a key of the project's namespace declared without `default` or `value` is required: a stack
 *   that does not set it fails with "Stack '<stack>' is missing configuration value '<key>'";
 * - a stack's value of a typed key must be of that type ("Stack '<stack>' with configuration key
 *   '<key>' must be of type '<type>'"), where a scalar in a stack file is text: `integer` accepts
 *   a whole number or text that parses as one, `boolean` true/false or their text, `string` any
 *   scalar, `object` a map (the `object` type exists since Pulumi CLI v3.186.0), `array` a list
 *   whose items are of `items`' type.
 * Keys a project does not declare are not checked by the CLI (this program checks its own keys
 * itself, config/stack.ts).
 */
import { ConfigError } from "./errors";

/** One `config:` entry of Pulumi.yaml in its declaration form. */
interface Declaration {
    type?: unknown;
    items?: ItemsType;
    description?: unknown;
    secret?: unknown;
    default?: unknown;
    value?: unknown;
}

interface ItemsType {
    type?: unknown;
    items?: ItemsType;
}

const TYPES = ["string", "integer", "boolean", "array", "object"] as const;

/** A problem the CLI reports with the project or a stack file's config, named by file. */
export class ProjectSchemaError extends ConfigError {
    constructor(
        readonly file: string,
        detail: string,
    ) {
        super("(all)", [], file);
        this.message = `${file}: ${detail}`;
        this.name = "ProjectSchemaError";
    }
}

const isMap = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);

/** `array<array<string>>` for nested items, as the CLI names a type in its messages. */
function typeName(type: string, items: ItemsType | undefined): string {
    return items ? `array<${typeName(String(items.type), items.items)}>` : type;
}

/**
 * Whether `value` is of the declared type. `fromStack` marks a value read from a stack file,
 * where the CLI holds a scalar as text (so `2` is a string too, and "2" an integer).
 */
export function ofType(
    type: string,
    items: ItemsType | undefined,
    value: unknown,
    fromStack: boolean,
): boolean {
    const scalar = ["string", "number", "boolean"].includes(typeof value);
    switch (type) {
        case "string":
            return fromStack ? scalar : typeof value === "string";
        case "integer":
            if (typeof value === "number") return Number.isInteger(value);
            return typeof value === "string" && /^[+-]?\d+$/.test(value);
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return isMap(value);
        case "array":
            // Items are compared as JSON values: a number item is not a string.
            return (
                Array.isArray(value) &&
                items !== undefined &&
                value.every((v) => ofType(String(items.type), items.items, v, false))
            );
        default:
            return false;
    }
}

/** The declaration problems `Project.Validate` refuses, for Pulumi.yaml. */
function declarationProblems(project: string, config: Record<string, unknown>): string[] {
    const out: string[] = [];
    for (const [key, raw] of Object.entries(config)) {
        if (!isMap(raw)) continue; // a bare value: `key: value`, the short form of `value:`
        const d = raw as Declaration;
        const own = !key.includes(":") || key.startsWith(`${project}:`);
        if (d.default !== undefined && d.value !== undefined)
            out.push(`${key} has both a default and a value; keep one`);
        if (d.type !== undefined && !TYPES.includes(d.type as (typeof TYPES)[number]))
            out.push(
                `${key} declares type ${JSON.stringify(d.type)}; the types are ${TYPES.join(", ")}`,
            );
        if (!own) {
            if (d.type !== undefined || d.default !== undefined)
                out.push(
                    `${key} is not in the project's namespace (${project}:): it may set only a value, not a type or a default`,
                );
            continue;
        }
        if (d.type === "array" && d.items === undefined)
            out.push(`${key} declares an array without the type of its items (items: { type: … })`);
        if (
            typeof d.type === "string" &&
            d.default !== undefined &&
            !ofType(d.type, d.items, d.default, false)
        )
            out.push(
                `${key}'s default ${JSON.stringify(d.default)} is not of its type ${typeName(d.type, d.items)}`,
            );
    }
    return out;
}

/** The Pulumi.yaml declarations the CLI refuses to load, as one error (none when valid). */
export function declarationErrors(
    project: string,
    config: Record<string, unknown>,
): ProjectSchemaError[] {
    const declared = declarationProblems(project, config);
    if (declared.length === 0) return [];
    return [
        new ProjectSchemaError(
            "Pulumi.yaml",
            `config declarations the Pulumi CLI refuses:\n${declared.map((l) => `  - ${l}`).join("\n")}`,
        ),
    ];
}

/** A stack's config that the CLI refuses: a required key it lacks, or a value of the wrong type. */
export interface StackSchemaProblem {
    stack: string;
    /** The fully qualified key (`taskflow:role`). */
    key: string;
    kind: "missing" | "type";
    text: string;
}

/**
 * What the Pulumi CLI would refuse in each stack's config before running the program: missing
 * required keys and mistyped values, against Pulumi.yaml's declarations.
 *
 * `own` holds each stack's own config (its Pulumi.<stack>.yaml, keys fully qualified); `merged`
 * the same stacks with the project's values and defaults applied.
 */
export function stackSchemaProblems(
    project: string,
    config: Record<string, unknown>,
    own: Record<string, Record<string, unknown>>,
    merged: Record<string, Record<string, unknown>>,
): StackSchemaProblem[] {
    const out: StackSchemaProblem[] = [];
    const entries = Object.entries(config).sort(([a], [b]) => a.localeCompare(b));
    for (const stack of Object.keys(own).sort()) {
        for (const [key, raw] of entries) {
            if (!isMap(raw)) continue;
            const d = raw as Declaration;
            const full = key.includes(":") ? key : `${project}:${key}`;
            if (!full.startsWith(`${project}:`)) continue;
            const value = merged[stack]?.[full];
            if (value === undefined) {
                if (d.default === undefined && d.value === undefined)
                    out.push({
                        stack,
                        key: full,
                        kind: "missing",
                        text: `${full}: missing (it goes under \`config:\` in Pulumi.${stack}.yaml): Pulumi.yaml declares it without a default, so the Pulumi CLI stops with "Stack '${stack}' is missing configuration value '${key}'"`,
                    });
                continue;
            }
            if (typeof d.type !== "string") continue;
            const type = typeName(d.type, d.items);
            if (!ofType(d.type, d.items, value, full in own[stack]))
                out.push({
                    stack,
                    key: full,
                    kind: "type",
                    text: `${full}: ${JSON.stringify(value)} is not of the type Pulumi.yaml declares, ${type} (the Pulumi CLI stops with "Stack '${stack}' with configuration key '${key}' must be of type '${type}'")`,
                });
        }
    }
    return out;
}

/**
 * One error per stack file for the problems given; a required key that several stacks lack is
 * one mistake of Pulumi.yaml's, reported once under it.
 */
export function stackSchemaErrors(problems: StackSchemaProblem[]): ProjectSchemaError[] {
    const missingIn = new Map<string, string[]>();
    for (const p of problems)
        if (p.kind === "missing") missingIn.set(p.key, [...(missingIn.get(p.key) ?? []), p.stack]);
    const shared = [...missingIn].filter(([, stacks]) => stacks.length > 1);
    const sharedKeys = new Set(shared.map(([key]) => key));
    const out: ProjectSchemaError[] = [];
    if (shared.length > 0)
        out.push(
            new ProjectSchemaError(
                `Pulumi.yaml (declares, for ${[...new Set(shared.flatMap(([, s]) => s))].join(", ")})`,
                `config the Pulumi CLI refuses before it runs the program:\n${shared
                    .map(
                        ([key, stacks]) =>
                            `  - ${key}: missing in ${stacks.map((s) => `Pulumi.${s}.yaml`).join(", ")}: Pulumi.yaml declares it without a default, so every stack must set it (or give it a default there); the Pulumi CLI stops with "Stack '${stacks[0]}' is missing configuration value '${key}'"`,
                    )
                    .join("\n")}`,
            ),
        );
    const rest = problems.filter((p) => !(p.kind === "missing" && sharedKeys.has(p.key)));
    for (const stack of [...new Set(rest.map((p) => p.stack))])
        out.push(
            new ProjectSchemaError(
                `Pulumi.${stack}.yaml`,
                `config the Pulumi CLI refuses before it runs the program:\n${rest
                    .filter((p) => p.stack === stack)
                    .map((p) => `  - ${p.text}`)
                    .join("\n")}`,
            ),
        );
    return out;
}
