/**
 * The offline plan: evaluates the real program for every stack under the recording mocks, in
 * stack-dependency order, feeding each stack's planned outputs to the StackReferences of the
 * stacks after it, and runs the policy pack over every planned resource.
 *
 * Everything is validated before anything is planned (config/project.ts validateAll), so a bad
 * config never leaves a stack half-planned.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    ConfigError,
    PlanConfigError,
    didYouMean,
    RawConfig,
    StackConfig,
    Topology,
    readProjectFiles,
    stackRefName,
    stacksInOrder,
    upstreamOf,
    validateAll,
} from "../config";
import {
    FORMAT_VERSION,
    PlanViolation,
    PlannedRead,
    PlannedResource,
    StackPlan,
    maskSecrets,
} from "./format";
import { RecordingMocks } from "./mocks";
import {
    REPO_ROOT,
    STACK_TIMEOUT_MS,
    abandonRun,
    loadProgram,
    resolve,
    runtimeConfig,
    withTimeout,
} from "./runtime";

// The entry points scripts/plan.ts, scripts/ops.ts and the tests import from here.
export { PlanConfigError, readProjectFiles, upstreamOf, validateAll } from "../config";
export type { ProjectFiles } from "../config";
export {
    FORMAT_VERSION,
    planToJson,
    type PlanViolation,
    type PlannedRead,
    type PlannedResource,
    type StackPlan,
} from "./format";
export { REPO_ROOT, STACK_TIMEOUT_MS } from "./runtime";

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
                unknown.map((t) => {
                    const guess = didYouMean(t, all);
                    return {
                        key: "--stack",
                        value: t,
                        allowed:
                            (guess ? `did you mean ${guess}? ` : "") +
                            `one of the topology's stacks: ${all.join(", ")}`,
                    };
                }),
                "the command line",
            ),
        ]);
    }
    targets.forEach(visit);
    return all.filter((s) => needed.has(s));
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
