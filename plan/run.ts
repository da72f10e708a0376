/**
 * The offline plan: evaluates the real program for every stack under the recording mocks, in
 * stack-dependency order, feeding each stack's planned outputs to the StackReferences of the
 * stacks after it, and runs the policy pack over every planned resource.
 *
 * Everything is validated before anything is planned, so a bad config never leaves a stack
 * half-planned.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import {
    ConfigError,
    NS,
    RawConfig,
    StackConfig,
    Topology,
    roleOf,
    stackKeyIssues,
    stackRefName,
    stacksInOrder,
    topologyIssues,
    validateStackConfig,
    validateTopology,
} from "../config";
import { RecordedRead, RecordedResource, RecordingMocks } from "./mocks";

export const FORMAT_VERSION = 1;
export const REPO_ROOT = path.resolve(__dirname, "..");

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

/** A planned stack with the mocks that recorded it (tests query the mocks). */
export interface PlannedStack {
    plan: StackPlan;
    /** Stack outputs with secrets in clear, as a StackReference would see them. */
    outputs: Record<string, unknown>;
    /** Names of the secret outputs (a downstream StackReference reports them as secret). */
    secretOutputs: string[];
    config: StackConfig;
    mocks: RecordingMocks;
}

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

/** The config map handed to the Pulumi runtime: every value as text, objects as JSON. */
function runtimeConfig(raw: RawConfig): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
        out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}

/** JSON with object keys sorted, so equal values written in another key order compare equal. */
function canonical(value: unknown): string {
    return JSON.stringify(stable(value)) ?? "undefined";
}

/**
 * Validates every stack's config. Throws one error listing every stack's problems, before
 * anything is planned. The topology every stack shares is validated once and its problems are
 * reported once, not once per stack; `topology.project` must be Pulumi.yaml's `name`.
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
        // The edge's residency zone, which every stack derives the same way (regions/*.ts).
        try {
            // Required here, not at the top: it loads @pulumi/aws, which validation alone
            // (npm run deploy -- --print-waves, npm run ops) does not otherwise need.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { edgeResidencyOf } = require("../components/edge-routing") as {
                edgeResidencyOf: (t: Topology) => unknown;
            };
            edgeResidencyOf(topology);
        } catch (e) {
            if (e instanceof ConfigError) errors.push(e);
            else throw e;
        }
    }
    if (errors.length > 0) {
        throw new PlanConfigError(errors);
    }
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

/** Config errors of one or more stacks. */
export class PlanConfigError extends Error {
    constructor(readonly errors: ConfigError[]) {
        super(errors.map((e) => e.message).join("\n"));
        this.name = "PlanConfigError";
    }
}

/** The stacks a stack depends on (its StackReferences), from the topology. */
export function upstreamOf(topology: Topology, stack: string): string[] {
    const role = roleOf(topology, stack);
    const primary = topology.regions.find((r) => r.primary)!.stack;
    if (role === "secondary") return [primary];
    if (role === "global") return topology.regions.map((r) => r.stack);
    return [];
}

/** The stacks to plan for `targets`, with everything upstream of them, in deployment order. */
export function planOrder(topology: Topology, targets?: string[]): string[] {
    const all = stacksInOrder(topology);
    if (!targets || targets.length === 0) return all;
    const needed = new Set<string>();
    const visit = (s: string) => {
        if (needed.has(s)) return;
        needed.add(s);
        upstreamOf(topology, s).forEach(visit);
    };
    const unknown = targets.filter((t) => !all.includes(t));
    if (unknown.length > 0) {
        throw new PlanConfigError([
            new ConfigError(
                "(all)",
                unknown.map((t) => ({
                    key: "--stack",
                    value: t,
                    allowed: `one of the topology's stacks: ${all.join(", ")}`,
                })),
                "the command line",
            ),
        ]);
    }
    targets.forEach(visit);
    return all.filter((s) => needed.has(s));
}

/** Loads the program's entry point: `index.ts` exports the function Pulumi runs. */
function loadProgram(): () => Promise<Record<string, unknown>> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(REPO_ROOT, "index.ts"));
    return (program.default ?? program) as () => Promise<Record<string, unknown>>;
}

/** Resolves every Output in `value`; rejects when any of them failed (an apply that threw). */
function resolve<T>(value: T): Promise<pulumi.Unwrap<T>> {
    // Output#promise is the SDK's own way to await an output; unlike apply it propagates errors.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (pulumi.output(value) as any).promise() as Promise<pulumi.Unwrap<T>>;
}

/** How long one stack's program may take under the mocks before the plan gives up on it. */
export const STACK_TIMEOUT_MS = 60_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
            () => reject(new Error(`${what} did not finish within ${ms / 1000} s`)),
            ms,
        );
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** How long a failed stack's run may take to settle what it started before it is abandoned. */
const ABANDON_DRAIN_MS = 5_000;
/** A failed run is settled once this long passes without a new rejection from it. */
const ABANDON_QUIET_MS = 100;

/**
 * Leaves nothing of a failed run behind. A program that failed part-way still has registrations
 * in flight and outputs that will never resolve (they wait on the output that failed); the
 * runtime tracks each of them as a leak candidate and reports them all when the process exits
 * ("N promises were still active"). Let what can still settle settle — until the RPC queue drains
 * or no new rejection arrives for a moment — so those rejections reach this stack's handler and
 * not the next stack's (or the process's), then reset the runtime: no monitor, no leak candidates.
 * The next stack's `setMocks` starts from a clean runtime either way.
 */
async function abandonRun(
    failures: unknown[],
    onRejection: (reason: unknown) => void,
): Promise<void> {
    // waitForRPCs is exported by the runtime but marked internal in its typings.
    const runtime = pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> };
    const drained = runtime.waitForRPCs().then(
        () => true,
        () => true,
    );
    const deadline = Date.now() + ABANDON_DRAIN_MS;
    let seen = -1;
    while (seen !== failures.length && Date.now() < deadline) {
        seen = failures.length;
        let timer: NodeJS.Timeout | undefined;
        const quiet = new Promise<boolean>((r) => {
            timer = setTimeout(() => r(false), ABANDON_QUIET_MS);
        });
        const done = await Promise.race([drained, quiet]);
        clearTimeout(timer);
        if (done) break;
    }
    pulumi.runtime.resetOptions("", "", -1, "", "", false, "");
    process.off("unhandledRejection", onRejection);
}

/** Replaces the values at `paths` (dotted, with [i]) by "[secret]". */
function maskSecrets(inputs: Record<string, unknown>, paths: string[]): Record<string, unknown> {
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
function stable(value: unknown): unknown {
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
 * references, by fully-qualified name.
 */
export async function planStack(
    config: StackConfig,
    raw: RawConfig,
    project: string,
    stackOutputs: Record<string, Record<string, unknown>>,
    stackSecretOutputs: Record<string, string[]> = {},
): Promise<PlannedStack> {
    const mocks = new RecordingMocks({
        project,
        stack: config.stack,
        awsRegion: config.awsRegion,
        stackOutputs,
        stackSecretOutputs,
    });
    await mocks.install(config.topology.org);
    pulumi.runtime.setAllConfig(runtimeConfig(raw), []);
    const program = loadProgram();
    // A failure inside an apply or a resource registration surfaces as an unhandled rejection,
    // not as a thrown error: collect them so the plan fails instead of hanging or passing.
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    let exported: Record<string, unknown> = {};
    let outputs: Record<string, unknown> = {};
    try {
        exported = await program();
        outputs = (await withTimeout(
            resolve(exported),
            STACK_TIMEOUT_MS,
            `stack ${config.stack}`,
        )) as Record<string, unknown>;
        // waitForRPCs is exported by the runtime but marked internal in its typings.
        const runtime = pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> };
        await withTimeout(
            runtime.waitForRPCs(),
            STACK_TIMEOUT_MS,
            `stack ${config.stack} registrations`,
        );
        await new Promise((r) => setImmediate(r));
    } catch (e) {
        failures.unshift(e);
    }
    const problems = [...failures, ...mocks.errors].map((e) =>
        e instanceof Error ? e.message : String(e),
    );
    if (problems.length > 0) {
        await abandonRun(failures, onRejection);
        throw new Error(`stack ${config.stack}: ${[...new Set(problems)].join("; ")}`);
    }
    process.off("unhandledRejection", onRejection);
    // Secret stack outputs stay usable by downstream StackReferences but are masked in the file.
    const shown: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [k, v] of Object.entries(outputs)) {
        const secret =
            pulumi.Output.isInstance(exported[k]) &&
            (await pulumi.isSecret(exported[k] as pulumi.Output<unknown>));
        shown[k] = secret ? "[secret]" : v;
        if (secret) secretOutputs.push(k);
    }
    const byUrn = (a: { urn: string }, b: { urn: string }) =>
        a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0;
    const resources: PlannedResource[] = [...mocks.resources]
        .sort(byUrn)
        .map(({ secretPaths, secretOutputPaths, ...r }) => ({
            ...r,
            inputs: maskSecrets(r.inputs, secretPaths),
            outputs: maskSecrets(r.outputs, secretOutputPaths),
        }));
    const reads: PlannedRead[] = [...mocks.reads].sort(byUrn);
    const plan: StackPlan = {
        formatVersion: FORMAT_VERSION,
        project,
        stack: config.stack,
        role: config.role,
        region: config.awsRegion,
        resources,
        reads,
        outputs: shown,
        stackReferences: [...mocks.stackReferences].sort(),
        violations: [],
    };
    return { plan, outputs, secretOutputs, config, mocks };
}

/** Options of a whole offline plan. */
export interface PlanOptions {
    /** Directory holding Pulumi.yaml and the Pulumi.<stack>.yaml files. Default: the repo root. */
    dir?: string;
    /** Plan only these stacks (their upstream stacks are planned for their outputs). */
    stacks?: string[];
    /** Policy evaluation over all planned stacks; returns violations by stack. */
    evaluate?: (plans: StackPlan[]) => Record<string, PlanViolation[]>;
}

/** Plans every stack (or `stacks` and their upstream), in dependency order. */
export async function planAll(options: PlanOptions = {}): Promise<PlannedStack[]> {
    const files = readProjectFiles(options.dir ?? REPO_ROOT);
    const configs = validateAll(files);
    const topology = Object.values(configs)[0].topology;
    const order = planOrder(topology, options.stacks);
    const stackOutputs: Record<string, Record<string, unknown>> = {};
    const stackSecretOutputs: Record<string, string[]> = {};
    const planned: PlannedStack[] = [];
    for (const stack of order) {
        const p = await planStack(
            configs[stack],
            files.stacks[stack],
            files.project,
            stackOutputs,
            stackSecretOutputs,
        );
        stackOutputs[stackRefName(topology, stack)] = p.outputs;
        stackSecretOutputs[stackRefName(topology, stack)] = p.secretOutputs;
        planned.push(p);
    }
    if (options.evaluate) {
        const verdicts = options.evaluate(planned.map((p) => p.plan));
        for (const p of planned) p.plan.violations = verdicts[p.plan.stack] ?? [];
    }
    return planned;
}

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
