/**
 * A project's stack files, read the way the Pulumi CLI merges them (Pulumi.yaml's config, then
 * each Pulumi.<stack>.yaml), and validated as a whole: the offline plan, the deploy workflow and
 * the runbooks refuse a bad config of any stack before they act on one.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { stacksInOrder } from "../model/topology";
import { edgeResidencyOf } from "./edge";
import { ConfigError, ConfigIssue, PlanConfigError } from "./errors";
import { NS } from "./keys";
import {
    StackSchemaProblem,
    declarationErrors,
    stackSchemaErrors,
    stackSchemaProblems,
} from "./project-schema";
import { stackKeyIssues, validateStackConfig } from "./stack";
import { topologyIssues, validateTopology } from "./topology";
import { RawConfig, StackConfig } from "./types";

/** Config of every stack found as `Pulumi.<stack>.yaml` in a directory. */
export interface ProjectFiles {
    project: string;
    /** stack name → raw config (project config merged with the stack's own). */
    stacks: Record<string, RawConfig>;
    /** stack name → the config keys its own Pulumi.<stack>.yaml sets (not inherited ones). */
    stackKeys?: Record<string, string[]>;
    /**
     * What the Pulumi CLI refuses in the stacks' config against Pulumi.yaml's declarations
     * (config/project-schema.ts), reported with the program's own problems by `validateAll`.
     */
    schemaProblems?: StackSchemaProblem[];
}

/**
 * A problem with a whole file rather than a key's value: not YAML, or a construct the offline
 * plan cannot evaluate (an encrypted `secure:` value, a Pulumi ESC `environment:` import).
 * Reported under the same "configuration error; nothing was planned" heading as the others.
 */
export class ConfigFileError extends ConfigError {
    constructor(
        readonly file: string,
        detail: string,
    ) {
        super("(all)", [], file);
        this.message = `${file}: ${detail}`;
        this.name = "ConfigFileError";
    }
}

/**
 * Each file text parsed in this process, by the text: every plan, spec and command line reads
 * the same few stack files again, and parsing them was ~1 s of the specs' CPU. A copy is handed
 * out, so no caller's change reaches the next one.
 */
const parsed = new Map<string, unknown>();

/** Parses one project or stack file; a syntax error names the file, line and column. */
function readYaml(dir: string, file: string): unknown {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    if (!parsed.has(text)) parsed.set(text, parseYaml(file, text));
    return structuredClone(parsed.get(text));
}

function parseYaml(file: string, text: string): unknown {
    const doc = YAML.parseDocument(text);
    const e = doc.errors[0];
    if (e) {
        const at = e.linePos?.[0];
        const where = at ? `line ${at.line}, column ${at.col}` : "";
        const reason = e.message.split(" at line ")[0];
        throw new PlanConfigError([
            new ConfigFileError(file, `not valid YAML at ${where}: ${reason}`),
        ]);
    }
    return doc.toJS();
}

/**
 * What the offline plan cannot read, refused by name instead of being ignored: values encrypted
 * for the stack's secrets provider (`pulumi config set --secret`), which only the Pulumi CLI can
 * decrypt, and ESC environments, which only Pulumi Cloud can open.
 */
function unreadable(file: string, doc: Record<string, unknown>): ConfigFileError[] {
    const out: ConfigFileError[] = [];
    if (doc.environment !== undefined && file === "Pulumi.yaml")
        out.push(
            new ConfigFileError(
                file,
                // ESC imports are read from stack files: https://www.pulumi.com/docs/esc/guides/pulumi-iac/
                `imports the Pulumi ESC environment(s) ${JSON.stringify(doc.environment)}, but Pulumi reads an \`environment:\` block from a stack's own file (Pulumi.<stack>.yaml), not from Pulumi.yaml; the offline plan cannot open ESC environments in either place (they live in Pulumi Cloud): write the values into the files, or run \`pulumi preview\``,
            ),
        );
    else if (doc.environment !== undefined)
        out.push(
            new ConfigFileError(
                file,
                `imports the Pulumi ESC environment(s) ${JSON.stringify(doc.environment)}: the offline plan cannot open ESC environments (they live in Pulumi Cloud), so their values would be missing; write the values this plan needs into the stack files of a copy and plan it with --dir, or run \`pulumi preview\`, which resolves them`,
            ),
        );
    const secure = (v: unknown, key: string): string[] => {
        if (!v || typeof v !== "object") return [];
        if (!Array.isArray(v) && "secure" in v) return [key];
        return Object.entries(v).flatMap(([k, x]) => secure(x, `${key}.${k}`));
    };
    const config = (doc.config ?? {}) as Record<string, unknown>;
    for (const key of Object.entries(config).flatMap(([k, v]) => secure(v, k)))
        out.push(
            new ConfigFileError(
                file,
                file === "Pulumi.yaml"
                    ? // Project config has no secrets provider to decrypt with:
                      // https://github.com/pulumi/pulumi/issues/11549 (project-level secrets, open)
                      `${key} is a secret (\`secure:\`), which project config cannot hold: Pulumi encrypts a secret for one stack's secrets provider, so it belongs in a Pulumi.<stack>.yaml (\`pulumi config set --secret\`); the offline plan cannot decrypt it there either, and no taskflow key needs a secret, so set a plain value`
                    : `${key} is a secret (\`secure:\`, encrypted for the stack's secrets provider): the offline plan cannot decrypt it and does not plan with a made-up value; no taskflow key needs a secret (the program generates and stores its own), so set a plain value, or run \`pulumi preview\` for a stack that keeps it secret`,
            ),
        );
    return out;
}

/** Reads Pulumi.yaml and every Pulumi.<stack>.yaml under `dir`, the way the Pulumi CLI merges them. */
export function readProjectFiles(dir: string): ProjectFiles {
    const projectFile = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(projectFile)) throw new Error(`no Pulumi.yaml in ${dir}`);
    const project = readYaml(dir, "Pulumi.yaml") as {
        name: string;
        config?: Record<string, unknown>;
        environment?: unknown;
    };
    const refused: ConfigError[] = unreadable("Pulumi.yaml", project);
    // A secret in project config is refused by name above, not once more as a mistyped value.
    if (refused.length === 0)
        refused.push(...declarationErrors(project.name, project.config ?? {}));
    const projectConfig: RawConfig = {};
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        if (decl !== null && typeof decl === "object" && !Array.isArray(decl)) {
            const d = decl as Record<string, unknown>;
            if ("value" in d) projectConfig[full] = d.value;
            else if ("default" in d) projectConfig[full] = d.default;
            // a schema without a default contributes nothing
        } else {
            projectConfig[full] = decl;
        }
    }
    const stacks: Record<string, RawConfig> = {};
    const stackKeys: Record<string, string[]> = {};
    const owns: Record<string, RawConfig> = {};
    for (const file of fs.readdirSync(dir).sort()) {
        const m = /^Pulumi\.(.+)\.ya?ml$/.exec(file);
        if (!m) continue;
        const doc = (readYaml(dir, file) ?? {}) as {
            config?: Record<string, unknown>;
        };
        refused.push(...unreadable(file, doc));
        const own: RawConfig = {};
        for (const [key, value] of Object.entries(doc.config ?? {})) {
            own[key.includes(":") ? key : `${project.name}:${key}`] = value;
        }
        stacks[m[1]] = { ...projectConfig, ...own };
        stackKeys[m[1]] = Object.keys(own);
        owns[m[1]] = own;
    }
    if (refused.length > 0) throw new PlanConfigError(refused);
    const schemaProblems = stackSchemaProblems(project.name, project.config ?? {}, owns, stacks);
    return { project: project.name, stacks, stackKeys, schemaProblems };
}

/** JSON with object keys sorted, so equal values written in another key order compare equal. */
function canonical(value: unknown): string {
    const stable = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(stable);
        if (v && typeof v === "object") {
            const out: Record<string, unknown> = {};
            for (const key of Object.keys(v as object).sort()) {
                const x = (v as Record<string, unknown>)[key];
                if (x !== undefined) out[key] = stable(x);
            }
            return out;
        }
        return v;
    };
    return JSON.stringify(stable(value)) ?? "undefined";
}

/** Dotted paths where two JSON values differ, each with both values (at most `limit`). */
function differences(a: unknown, b: unknown, at = "", limit = 5): string[] {
    if (canonical(a) === canonical(b)) return [];
    const isObj = (v: unknown) => v !== null && typeof v === "object";
    if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b))
        return [`${at || "(the whole value)"}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
    const out: string[] = [];
    for (const k of keys) {
        const path = Array.isArray(a) ? `${at}[${k}]` : at ? `${at}.${k}` : k;
        out.push(
            ...differences(
                (a as Record<string, unknown>)[k],
                (b as Record<string, unknown>)[k],
                path,
                limit,
            ),
        );
        if (out.length >= limit) break;
    }
    return out.slice(0, limit);
}

/**
 * The topology differs between stacks: names each stack file that sets its own and the keys
 * where it differs from the one the other stacks share (Pulumi.yaml's, normally).
 */
function topologyDiffers(files: ProjectFiles, TK: string): PlanConfigError {
    const stacks = Object.keys(files.stacks);
    const own = (s: string) => files.stackKeys?.[s]?.includes(TK) ?? false;
    const shared = stacks.find((s) => !own(s)) ?? stacks[0];
    const reference = files.stacks[shared][TK];
    const from = own(shared) ? `Pulumi.${shared}.yaml` : "Pulumi.yaml";
    const differing = stacks.filter((s) => canonical(files.stacks[s][TK]) !== canonical(reference));
    const lines = differing.map(
        (s) =>
            `Pulumi.${s}.yaml${own(s) ? " sets its own" : ""}: ${differences(files.stacks[s][TK], reference).join("; ")} (the first value is this file's, the second ${from}'s)`,
    );
    return new PlanConfigError([
        new ConfigFileError(
            differing.map((s) => `Pulumi.${s}.yaml`).join(", "),
            `${TK} differs between stacks; every stack must share one topology, set in Pulumi.yaml only:\n${lines.map((l) => `  - ${l}`).join("\n")}`,
        ),
    ]);
}

/**
 * A problem with a value the stacks inherit from Pulumi.yaml shows up in each stack's errors:
 * such an issue, found alike in more than one stack that inherits the key, is reported once, as
 * Pulumi.yaml's (naming the stacks that read it), and left out of the stacks' own lists.
 */
function reportedOnce(errors: ConfigError[], files: ProjectFiles): ConfigError[] {
    const perStack = errors.filter((e) => e.stack in files.stacks);
    const inherits = (stack: string, key: string) =>
        !(files.stackKeys?.[stack] ?? []).includes(key);
    const id = (i: ConfigIssue) => `${i.key}\u0000${canonical(i.value)}\u0000${i.allowed}`;
    const counts = new Map<string, { issue: ConfigIssue; stacks: string[] }>();
    for (const e of perStack)
        for (const i of e.issues)
            if (inherits(e.stack, i.key)) {
                const entry = counts.get(id(i)) ?? { issue: i, stacks: [] };
                entry.stacks.push(e.stack);
                counts.set(id(i), entry);
            }
    const shared = [...counts.entries()].filter(([, v]) => v.stacks.length > 1);
    if (shared.length === 0) return errors;
    const once = new Set(shared.map(([k]) => k));
    const rest = errors
        .map((e) =>
            e.stack in files.stacks && e.issues.some((i) => once.has(id(i)))
                ? new ConfigError(
                      e.stack,
                      e.issues.filter((i) => !once.has(id(i))),
                  )
                : e,
        )
        .filter((e) => e.issues.length > 0 || !(e.stack in files.stacks));
    const byStacks = new Map<string, ConfigIssue[]>();
    for (const [, v] of shared)
        byStacks.set(v.stacks.join(", "), [...(byStacks.get(v.stacks.join(", ")) ?? []), v.issue]);
    return [
        ...[...byStacks].map(
            ([stacks, issues]) =>
                new ConfigError("(all)", issues, `Pulumi.yaml (inherited by ${stacks})`),
        ),
        ...rest,
    ];
}

/**
 * Validates every stack's config. Throws one PlanConfigError listing every stack's problems,
 * before anything is planned. The topology every stack shares is validated once and its problems
 * are reported once, not once per stack; `topology.project` must be Pulumi.yaml's `name`.
 */
export function validateAll(files: ProjectFiles): Record<string, StackConfig> {
    const stacks = Object.keys(files.stacks);
    const TK = `${NS}:topology`;
    // Every stack must agree on the topology.
    const distinct = new Set(stacks.map((s) => canonical(files.stacks[s][TK])));
    if (distinct.size > 1) throw topologyDiffers(files, TK);
    const errors: ConfigError[] = [];
    const rawTopology = stacks.length > 0 ? files.stacks[stacks[0]][TK] : undefined;
    const topologyProblems = topologyIssues(rawTopology, files.project);
    const topology =
        topologyProblems.length === 0 ? validateTopology(rawTopology, "(all)") : undefined;
    if (!topology) {
        errors.push(
            new ConfigError("(all)", topologyProblems, `every stack (${stacks.join(", ")})`),
        );
    }
    const configs: Record<string, StackConfig> = {};
    for (const stack of stacks) {
        const raw = files.stacks[stack];
        if (!topology) {
            // Without a topology only the stack's own key names can be checked.
            const issues = stackKeyIssues(raw);
            if (issues.length > 0) errors.push(new ConfigError(stack, issues));
            continue;
        }
        try {
            configs[stack] = validateStackConfig(stack, raw, {
                topology,
                project: files.project,
                stackKeys: files.stackKeys?.[stack],
            });
        } catch (e) {
            if (e instanceof ConfigError) errors.push(e);
            else throw e;
        }
    }
    if (topology && errors.length === 0) {
        // The edge's residency zone, which every stack derives the same way (regions/).
        try {
            edgeResidencyOf(topology);
        } catch (e) {
            if (e instanceof ConfigError) errors.push(e);
            else throw e;
        }
    }
    // What the CLI refuses against Pulumi.yaml's declarations, unless the program's own
    // validation already names that key of that stack (a missing `taskflow:role`, with the value
    // to set).
    const named = new Set(errors.flatMap((e) => e.issues.map((i) => `${e.stack}\u0000${i.key}`)));
    const schema = (files.schemaProblems ?? []).filter(
        (p) => !named.has(`${p.stack}\u0000${p.key}`),
    );
    errors.push(...stackSchemaErrors(schema));
    if (errors.length > 0) throw new PlanConfigError(reportedOnce(errors, files));
    // Every topology stack must have its file.
    if (topology) {
        const missing = stacksInOrder(topology).filter((s) => !stacks.includes(s));
        if (missing.length > 0) {
            throw new PlanConfigError([
                new ConfigError("(all)", [
                    {
                        key: "stack files",
                        value: missing,
                        allowed: `a Pulumi.<stack>.yaml for every topology stack (${stacksInOrder(topology).join(", ")})`,
                    },
                ]),
            ]);
        }
    }
    return configs;
}
