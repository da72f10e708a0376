// What the Pulumi engine hands a policy pack for one stack, rebuilt from a planned stack. The
// offline evaluator (offline.ts) and the CLI-protocol test (which sends it to the pack over the
// analyzer's gRPC protocol) both start from this one view, so they judge the same input.
//
// As the engine does (pulumi/pulumi pkg/resource/deploy/step_generator.go): every registered
// resource is analyzed with its inputs, custom resources and remote components with their
// provider (the engine's default provider of the package, created from the stack's config, when
// none is explicit), the program's own components without one; the stack analysis gets every
// resource of the deployment (reads included) with its planned state (inputs and outputs) and its
// dependencies. Providers are described by their inputs. The stack itself (`pulumi:pulumi:Stack`)
// is a resource whose state is the stack's outputs.

import * as fs from "fs";
import { T } from "./types";
import { isUnknown } from "./values";

export interface EngineProvider {
    urn: string;
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

export interface EngineResource {
    urn: string;
    type: string;
    name: string;
    /** What `Analyze` receives: the resource's inputs. */
    inputs: Record<string, unknown>;
    /** What `AnalyzeStack` receives: the planned state (inputs and outputs, and the id). */
    state: Record<string, unknown>;
    parent: string | null;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    provider?: EngineProvider;
    protect: boolean;
    ignoreChanges: string[];
    /** False for reads (StackReferences): the engine analyzes only what is registered. */
    registered: boolean;
}

/** A planned resource, with the fields of a plan file the view needs (docs/plan-format.md). */
export interface PlannedResourceLike {
    urn: string;
    type: string;
    name: string;
    region: string | null;
    providerRegion: string | null;
    custom?: boolean;
    id?: string | null;
    inputs: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string | null;
    /** URN of its explicit provider, null for the default one; absent in older files. */
    provider?: string | null;
    remote?: boolean;
    propertyDependencies?: Record<string, string[]>;
    options?: { protect?: boolean; ignoreChanges?: string[]; dependsOn?: string[] };
}

export interface PlannedReadLike {
    urn: string;
    type: string;
    name: string;
    id?: string | null;
    parent?: string | null;
    inputs: Record<string, unknown>;
}

/** One planned stack. */
export interface PlanLike {
    stack: string;
    region: string;
    project?: string;
    resources: PlannedResourceLike[];
    reads?: PlannedReadLike[];
    outputs?: Record<string, unknown>;
}

const PROVIDER = "pulumi:providers:";

function projectOf(plan: PlanLike): string {
    if (plan.project) return plan.project;
    const urn = plan.resources[0]?.urn ?? "";
    return urn.split("::")[1] ?? "project";
}

/** The package of a type token (`aws:s3/bucket:Bucket` → `aws`). */
function packageOf(type: string): string {
    return type.split(":")[0];
}

const versions = new Map<string, string | undefined>();

/** The installed version of a package's SDK (`@pulumi/<pkg>`), which it sends with each resource. */
function packageVersion(pkg: string): string | undefined {
    if (!versions.has(pkg)) {
        let v: string | undefined;
        try {
            const file = require.resolve(`@pulumi/${pkg}/package.json`);
            v = (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: string }).version;
        } catch {
            v = undefined;
        }
        versions.set(pkg, v);
    }
    return versions.get(pkg);
}

/**
 * The engine's name for a package's default provider: `default`, or with the requested version
 * `default_<major>_<minor>_<patch>[_<pre>]` (pulumi/pulumi pkg/resource/deploy/providers/provider.go,
 * ProviderRequest.Name).
 */
export function defaultProviderName(version: string | undefined): string {
    const m = version ? /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?/.exec(version) : null;
    if (!m) return "default";
    const pre = m[4]
        ? m[4]
              .split(".")
              .map((p) => `_${p}`)
              .join("")
        : "";
    return `default_${m[1]}_${m[2]}_${m[3]}${pre}`;
}

/** The engine's view of one planned stack. */
export function engineView(plan: PlanLike): EngineResource[] {
    const project = projectOf(plan);
    const prefix = `urn:pulumi:${plan.stack}::${project}::`;
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const extra = new Map<string, EngineProvider>();
    const defaultProvider = (pkg: string): EngineProvider => {
        const version = packageVersion(pkg);
        const name = defaultProviderName(version);
        const urn = `${prefix}${PROVIDER}${pkg}::${name}`;
        let p = extra.get(urn);
        if (!p) {
            // The engine configures a default provider from the stack's `<package>:*` config
            // and the version the SDK asked for; the plan knows the stack's `aws:region`.
            p = {
                urn,
                type: `${PROVIDER}${pkg}`,
                name,
                inputs: {
                    ...(pkg === "aws" ? { region: plan.region } : {}),
                    ...(version ? { version } : {}),
                },
            };
            extra.set(urn, p);
        }
        return p;
    };
    const providerOf = (r: PlannedResourceLike): EngineProvider | undefined => {
        if (r.type.startsWith(PROVIDER) || r.type.startsWith("pulumi:pulumi:")) return undefined;
        const component = r.custom === false;
        if (component && !r.remote && (r.remote !== undefined || packageOf(r.type) === project))
            return undefined;
        if (typeof r.provider === "string") {
            const p = byUrn.get(r.provider);
            if (p) return { urn: p.urn, type: p.type, name: p.name, inputs: p.inputs };
        }
        const pkg = packageOf(r.type);
        // A hand-written plan without provider references: the provider's region is its
        // `providerRegion`, else the documented region; one in another region than the stack's is
        // an explicit provider.
        const documented =
            r.region && r.region !== "global" && r.inputs["region"] === undefined ? r.region : null;
        const region = r.providerRegion ?? documented;
        if (r.provider === undefined && pkg === "aws" && region && region !== plan.region) {
            const urn = `${prefix}${PROVIDER}aws::${region}`;
            const p = extra.get(urn) ?? {
                urn,
                type: `${PROVIDER}aws`,
                name: region,
                inputs: { region },
            };
            extra.set(urn, p);
            return p;
        }
        return defaultProvider(pkg);
    };
    const resources: EngineResource[] = plan.resources.map((r) => {
        const state: Record<string, unknown> = { ...r.inputs, ...(r.outputs ?? {}) };
        if (state["id"] === undefined && r.id) state["id"] = r.id;
        return {
            urn: r.urn,
            type: r.type,
            name: r.name,
            inputs: r.inputs,
            state,
            parent: r.parent ?? null,
            dependencies: r.options?.dependsOn ?? [],
            propertyDependencies: r.propertyDependencies ?? {},
            provider: providerOf(r),
            protect: r.options?.protect ?? false,
            ignoreChanges: r.options?.ignoreChanges ?? [],
            registered: true,
        };
    });
    const stackUrn = `${prefix}pulumi:pulumi:Stack::${project}-${plan.stack}`;
    const stack = bare(stackUrn, T.stack, `${project}-${plan.stack}`, {}, plan.outputs ?? {});
    const providers = [...extra.values()].map((p) => bare(p.urn, p.type, p.name, p.inputs));
    const reads = (plan.reads ?? []).map((r) => ({
        ...bare(r.urn, r.type, r.name, r.inputs),
        parent: r.parent ?? null,
        registered: false,
    }));
    return [stack, ...providers, ...resources, ...reads];
}

/** A resource with no parent, dependencies or options: the stack itself, a provider, a read. */
function bare(
    urn: string,
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    state: Record<string, unknown> = { ...inputs },
): EngineResource {
    return {
        urn,
        type,
        name,
        inputs,
        state,
        parent: null,
        dependencies: [],
        propertyDependencies: {},
        protect: false,
        ignoreChanges: [],
        registered: true,
    };
}

/** Whether any value of a view is Pulumi's unknown sentinel (a plan from a real preview). */
export function hasUnknowns(v: unknown): boolean {
    if (isUnknown(v)) return true;
    if (Array.isArray(v)) return v.some(hasUnknowns);
    if (v && typeof v === "object") return Object.values(v).some(hasUnknowns);
    return false;
}
