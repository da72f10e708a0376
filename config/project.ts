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
import { ConfigError, PlanConfigError } from "./errors";
import { NS } from "./keys";
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
}

/** Reads Pulumi.yaml and every Pulumi.<stack>.yaml under `dir`, the way the Pulumi CLI merges them. */
export function readProjectFiles(dir: string): ProjectFiles {
    const projectFile = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(projectFile)) throw new Error(`no Pulumi.yaml in ${dir}`);
    const project = YAML.parse(fs.readFileSync(projectFile, "utf8")) as {
        name: string;
        config?: Record<string, unknown>;
    };
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
    for (const file of fs.readdirSync(dir).sort()) {
        const m = /^Pulumi\.(.+)\.ya?ml$/.exec(file);
        if (!m) continue;
        const doc = (YAML.parse(fs.readFileSync(path.join(dir, file), "utf8")) ?? {}) as {
            config?: Record<string, unknown>;
        };
        const own: RawConfig = {};
        for (const [key, value] of Object.entries(doc.config ?? {})) {
            own[key.includes(":") ? key : `${project.name}:${key}`] = value;
        }
        stacks[m[1]] = { ...projectConfig, ...own };
        stackKeys[m[1]] = Object.keys(own);
    }
    return { project: project.name, stacks, stackKeys };
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
    if (distinct.size > 1) {
        throw new PlanConfigError([
            new ConfigError("(all)", [
                {
                    key: TK,
                    value: "differs between stacks",
                    allowed: "one topology for every stack (override it per stack only to test)",
                },
            ]),
        ]);
    }
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
    if (errors.length > 0) throw new PlanConfigError(errors);
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
