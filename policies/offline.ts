// Runs the pack's policies over planned resources without a PolicyPack (no gRPC server, no
// Pulumi engine): the offline plan (`npm run plan`) and `npm run policy:check` call this.
//
// Each resource policy gets the argument bag the policy SDK would build (props = the resource's
// inputs, a provider whose region is the resource's documented `region`, isType/asType/getConfig/
// notApplicable); a plan whose `region` fields contradict the resources' region inputs or
// providers is rejected (PlanInputError) before anything is evaluated. Each stack policy gets
// every custom resource of the stack with props = inputs + outputs. `evaluatePlans` also hands
// stack policies the other planned stacks' resources, so replication wired in one stack (the
// global stack's S3 replication) is proven against the stores another stack creates.

import type {
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { allPolicies } from "./all";
import { PlanContextArgs } from "./lookup";
import { PackSettings, readsResidencyMatrix } from "./config";
import { DATA_BEARING_TYPES, isUnknown, label, readConfig } from "./residency";

/** One planned resource: exactly the fields of a resource in a plan file (docs/plan-format.md). */
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
}

/** One planned stack. */
export interface PlanLike {
    stack: string;
    region: string;
    resources: PlannedResourceLike[];
}

/** One policy verdict, as written into a plan file's `violations`. */
export interface Violation {
    policy: string;
    level: "mandatory" | "advisory";
    urn: string | null;
    message: string;
}

/** A violation together with the stack it belongs to (`evaluatePlans`). */
export interface StackViolation extends Violation {
    stack: string;
}

class NotApplicable extends Error {
    constructor(reason?: string) {
        super(reason ?? "not applicable");
    }
}

function notApplicable(reason?: string): never {
    throw new NotApplicable(reason);
}

function isTypeOf(type: string, cls: unknown): boolean {
    return (cls as { __pulumiType?: string }).__pulumiType === type;
}

const OPTS = {
    protect: false,
    ignoreChanges: [] as string[],
    aliases: [] as string[],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [] as string[],
};

/** A plan whose content contradicts itself: nothing is evaluated (`policy:check` exits 2). */
export class PlanInputError extends Error {}

const knownString = (v: unknown): v is string => typeof v === "string" && v !== "" && !isUnknown(v);

/**
 * A planned resource's effective region as the plan format documents it (docs/plan-format.md):
 * its `region` field. A hand-written file that leaves the field out gets the documented rule
 * instead: the `region` input, else the provider's region.
 */
export function documentedRegion(r: PlannedResourceLike): string | null {
    if (typeof r.region === "string" && r.region !== "") return r.region;
    const own = r.inputs["region"];
    if (typeof own === "string" && own !== "") return own;
    return r.providerRegion ?? null;
}

/**
 * Why a planned resource's documented `region` contradicts what it is created with (its
 * `region` input or output, else its provider's region); undefined when it does not. `global`
 * is documented for global services (IAM, Route 53, CloudFront, ...), never for a data store.
 * Values not known until apply contradict nothing (the policies fail closed on them).
 */
export function regionContradiction(r: PlannedResourceLike): string | undefined {
    const region = r.region;
    if (!knownString(region)) return undefined;
    for (const [where, v] of [
        ["inputs.region", r.inputs["region"]],
        ["outputs.region", r.outputs?.["region"]],
    ] as const) {
        if (knownString(v) && v !== region) {
            return `region "${region}" contradicts ${where} "${v}" (a resource's region is its own region input)`;
        }
    }
    if (r.inputs["region"] !== undefined && r.inputs["region"] !== null) return undefined;
    if (region === "global") {
        return DATA_BEARING_TYPES.includes(r.type)
            ? `region "global" is documented for global services only, but ${r.type} is a regional data store (providerRegion ${JSON.stringify(r.providerRegion)})`
            : undefined;
    }
    if (knownString(r.providerRegion) && r.providerRegion !== region) {
        return `region "${region}" contradicts providerRegion "${r.providerRegion}" (without a region input, a resource's region is its provider's)`;
    }
    return undefined;
}

/** The provider the policies see: its region is the resource's documented region. */
function providerOf(r: PlannedResourceLike) {
    const region = documentedRegion(r);
    if (region === null) return undefined;
    return {
        type: "pulumi:providers:aws",
        name: "default",
        urn: `${r.urn}::provider`,
        props: { region },
    };
}

function levelOf(
    p: { name: string; enforcementLevel?: string },
    settings: PackSettings,
): "mandatory" | "advisory" | undefined {
    const l = settings.levels[p.name] ?? p.enforcementLevel ?? "mandatory";
    if (l === "disabled") return undefined;
    return l === "advisory" ? "advisory" : "mandatory";
}

/** Stack-policy view of a planned resource (props = inputs + outputs, plus its id). */
function policyResource(r: PlannedResourceLike): PolicyResource {
    const props: Record<string, unknown> = { ...r.inputs, ...(r.outputs ?? {}) };
    if (props["id"] === undefined && r.id) props["id"] = r.id;
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props,
        opts: { ...OPTS, parent: r.parent ?? undefined },
        provider: providerOf(r),
        dependencies: [],
        propertyDependencies: {},
        isType: (cls: unknown) => isTypeOf(r.type, cls),
        asType: ((cls: unknown) =>
            isTypeOf(r.type, cls) ? props : undefined) as PolicyResource["asType"],
    };
}

/** The offline evaluation is synchronous; a policy returning a promise would be silently skipped. */
function mustBeSync(policy: string, result: unknown): void {
    if (result instanceof Promise) {
        throw new Error(
            `policy ${policy} is asynchronous; the offline evaluator only runs synchronous policies`,
        );
    }
}

const isCustom = (r: PlannedResourceLike): boolean =>
    r.custom !== false && !r.type.startsWith("pulumi:pulumi:");

/**
 * What `args.getConfig()` returns to a policy: like the engine, only that policy's own config,
 * so a policy can read nothing it does not declare in its `configSchema`.
 */
export function getConfigFor(policy: Policy, settings: PackSettings): <T extends object>() => T {
    return <T extends object>(): T => {
        if (!policy.configSchema) {
            throw new Error(
                `policy ${policy.name} reads its config but declares no configSchema; the Pulumi engine would hand it nothing`,
            );
        }
        return (readsResidencyMatrix(policy) ? { zones: settings.zones } : {}) as T;
    };
}

/** Settings with defaults filled in and the matrix's shape checked. */
function settingsOf(config?: Partial<PackSettings>): PackSettings {
    return { zones: readConfig(config ?? {}).zones, levels: config?.levels ?? {} };
}

function run(
    plan: PlanLike,
    settings: PackSettings,
    others: readonly PlannedResourceLike[],
): Violation[] {
    const out: Violation[] = [];
    const resources = plan.resources.filter(isCustom);
    for (const policy of allPolicies) {
        const level = levelOf(policy, settings);
        const getConfig = getConfigFor(policy, settings);
        if (!level) continue;
        if ("validateStack" in policy) {
            const sp = policy as StackValidationPolicy;
            const args: PlanContextArgs = {
                resources: resources.map(policyResource),
                stackTags: new Map(),
                getConfig,
                notApplicable,
                stackRegion: plan.region,
                otherStackResources: others.filter(isCustom).map(policyResource),
            };
            const report: ReportViolation = (message, urn) =>
                out.push({ policy: policy.name, level, urn: urn ?? null, message });
            try {
                mustBeSync(policy.name, sp.validateStack(args, report));
            } catch (e) {
                if (!(e instanceof NotApplicable)) throw e;
            }
            continue;
        }
        const rp = policy as ResourceValidationPolicy;
        const validations = rp.validateResource
            ? Array.isArray(rp.validateResource)
                ? rp.validateResource
                : [rp.validateResource]
            : [];
        for (const r of resources) {
            const props = r.inputs;
            const args: ResourceValidationArgs = {
                type: r.type,
                name: r.name,
                urn: r.urn,
                props,
                opts: { ...OPTS, parent: r.parent ?? undefined },
                provider: providerOf(r),
                stackTags: new Map(),
                isType: (cls: unknown) => isTypeOf(r.type, cls),
                asType: ((cls: unknown) =>
                    isTypeOf(r.type, cls) ? props : undefined) as ResourceValidationArgs["asType"],
                getConfig,
                notApplicable,
            };
            const report: ReportViolation = (message) =>
                out.push({ policy: policy.name, level, urn: r.urn, message });
            for (const v of validations) {
                try {
                    mustBeSync(policy.name, v(args, report));
                } catch (e) {
                    if (!(e instanceof NotApplicable)) throw e;
                }
            }
        }
    }
    return out;
}

/** Throws PlanInputError naming the first resource whose `region` contradicts itself. */
export function checkPlanRegions(plan: PlanLike): void {
    for (const r of plan.resources.filter(isCustom)) {
        const why = regionContradiction(r);
        if (why) throw new PlanInputError(`stack ${plan.stack}: ${label(r)} (${r.urn}): ${why}`);
    }
}

/**
 * Evaluates one planned stack on its own (references into other stacks prove by name only).
 * `config`: the residency matrix and enforcement levels (`parsePolicyConfig`/`loadPolicyConfig`
 * of a `--policy-config` file), by default seed 000's matrix and each policy's own level.
 */
export function evaluatePlan(plan: PlanLike, config?: Partial<PackSettings>): Violation[] {
    checkPlanRegions(plan);
    return run(plan, settingsOf(config), []);
}

/**
 * Evaluates every planned stack; stack policies of each stack also see the other stacks'
 * resources, so cross-stack replication is proven from the stores' tags and regions. `config`
 * as for `evaluatePlan`.
 */
export function evaluatePlans(
    plans: readonly PlanLike[],
    config?: Partial<PackSettings>,
): StackViolation[] {
    const cfg = settingsOf(config);
    plans.forEach(checkPlanRegions);
    const out: StackViolation[] = [];
    for (const plan of plans) {
        const others = plans.filter((p) => p !== plan).flatMap((p) => p.resources);
        for (const v of run(plan, cfg, others)) out.push({ stack: plan.stack, ...v });
    }
    return out;
}
