// Runs the pack's policies over planned stacks without a PolicyPack (no gRPC server, no Pulumi
// engine): the offline plan (`npm run plan`) and `npm run policy:check` call this.
//
// Each stack is judged on its own, exactly as `pulumi preview --policy-pack` of that one stack:
// the policies see what the engine would hand them (engine.ts) and nothing of the other stacks.
// Each resource policy gets the argument bag the policy SDK builds (props = inputs, the resource's
// provider, isType/asType/getConfig/notApplicable); each stack policy gets every resource of the
// stack with its planned state, provider, parent and property dependencies. Config reaches each
// policy as the engine reconciles it: the policy's schema defaults, overlaid with the policy
// config's properties for that policy. A plan whose `region` fields contradict the resources' region
// inputs or providers is rejected (PlanInputError) before anything is evaluated.

import type {
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { allPolicies } from "./all";
import { PackSettings, readsResidencyMatrix } from "./config";
import { EngineResource, engineView, PlanLike, PlannedResourceLike } from "./engine";
import { isDataBearing, label, readConfig } from "./residency";
import { isUnknown } from "./values";

export type { PlanLike, PlannedResourceLike } from "./engine";

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
        // The plan documents non-AWS resources (random, command, other clouds) as "global".
        return r.type.startsWith("aws:") && isDataBearing(r.type, r.custom === false)
            ? `region "global" is documented for global services only, but ${r.type} is a regional data store (providerRegion ${JSON.stringify(r.providerRegion)})`
            : undefined;
    }
    if (knownString(r.providerRegion) && r.providerRegion !== region) {
        return `region "${region}" contradicts providerRegion "${r.providerRegion}" (without a region input, a resource's region is its provider's)`;
    }
    return undefined;
}

function levelOf(
    p: { name: string; enforcementLevel?: string },
    settings: PackSettings,
): "mandatory" | "advisory" | undefined {
    const l = settings.levels[p.name] ?? p.enforcementLevel ?? "mandatory";
    if (l === "disabled") return undefined;
    return l === "advisory" ? "advisory" : "mandatory";
}

const OPTS = (r: EngineResource) => ({
    protect: r.protect,
    ignoreChanges: r.ignoreChanges,
    aliases: [] as string[],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [] as string[],
    parent: r.parent ?? undefined,
});

function providerArg(r: EngineResource) {
    return r.provider
        ? {
              type: r.provider.type,
              name: r.provider.name,
              urn: r.provider.urn,
              props: r.provider.inputs,
          }
        : undefined;
}

/** The stack as a stack policy receives it: states, providers, parents and dependencies resolved. */
function stackResources(view: EngineResource[]): PolicyResource[] {
    const out = view.map((r) => {
        const props = r.state;
        return {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props,
            opts: OPTS(r),
            provider: providerArg(r),
            dependencies: [] as PolicyResource[],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
            isType: (cls: unknown) => isTypeOf(r.type, cls),
            asType: ((cls: unknown) =>
                isTypeOf(r.type, cls) ? props : undefined) as PolicyResource["asType"],
        } as PolicyResource;
    });
    const byUrn = new Map(out.map((r) => [r.urn, r]));
    view.forEach((r, i) => {
        if (r.parent && byUrn.has(r.parent)) out[i].parent = byUrn.get(r.parent);
        out[i].dependencies = r.dependencies
            .map((u) => byUrn.get(u))
            .filter((d): d is PolicyResource => !!d);
        for (const [k, urns] of Object.entries(r.propertyDependencies)) {
            out[i].propertyDependencies[k] = urns
                .map((u) => byUrn.get(u))
                .filter((d): d is PolicyResource => !!d);
        }
    });
    return out;
}

/** The offline evaluation is synchronous; a policy returning a promise would be silently skipped. */
function mustBeSync(policy: string, result: unknown): void {
    if (result instanceof Promise) {
        throw new Error(
            `policy ${policy} is asynchronous; the offline evaluator only runs synchronous policies`,
        );
    }
}

/** The defaults a policy's config schema declares (what the engine fills in before `Configure`). */
export function schemaDefaults(policy: Policy): Record<string, unknown> {
    const props = (policy.configSchema?.properties ?? {}) as Record<string, { default?: unknown }>;
    return Object.fromEntries(
        Object.entries(props)
            .filter(([, s]) => s.default !== undefined)
            .map(([k, s]) => [k, s.default]),
    );
}

/** The residency properties the settings write to every residency policy. */
export function residencyProperties(settings: PackSettings): Record<string, unknown> {
    const out: Record<string, unknown> = { zones: settings.zones };
    if (settings.account !== undefined) out["account"] = settings.account;
    if (settings.stores !== undefined) out["stores"] = settings.stores;
    if (settings.gdprZone !== undefined) out["gdprZone"] = settings.gdprZone;
    if (settings.gdprCountries !== undefined) out["gdprCountries"] = settings.gdprCountries;
    return out;
}

/**
 * What `args.getConfig()` returns to a policy: like the engine, only that policy's own config —
 * its schema defaults, overlaid with the configured properties — so a policy can read nothing
 * it does not declare in its `configSchema`.
 */
export function getConfigFor(policy: Policy, settings: PackSettings): <T extends object>() => T {
    let config: object | undefined;
    return <T extends object>(): T => {
        if (!policy.configSchema) {
            throw new Error(
                `policy ${policy.name} reads its config but declares no configSchema; the Pulumi engine would hand it nothing`,
            );
        }
        // One object per policy and run (its readers cache what they derive from it).
        const own = readsResidencyMatrix(policy) ? residencyProperties(settings) : {};
        config ??= Object.freeze({ ...schemaDefaults(policy), ...own });
        return config as T;
    };
}

/** Settings with defaults filled in and their shape checked. */
function settingsOf(config?: Partial<PackSettings>): PackSettings {
    const r = readConfig(config ?? {});
    return {
        zones: r.zones,
        account: r.account,
        stores: config?.stores,
        gdprZone: config?.gdprZone,
        gdprCountries: config?.gdprCountries,
        levels: config?.levels ?? {},
    };
}

function run(plan: PlanLike, settings: PackSettings): Violation[] {
    const out: Violation[] = [];
    const view = engineView(plan);
    const stack = stackResources(view);
    const registered = view.filter((r) => r.registered);
    for (const policy of allPolicies) {
        const level = levelOf(policy, settings);
        if (!level) continue;
        const getConfig = getConfigFor(policy, settings);
        if ("validateStack" in policy) {
            const sp = policy as StackValidationPolicy;
            const report: ReportViolation = (message, urn) =>
                out.push({ policy: policy.name, level, urn: urn ?? null, message });
            try {
                mustBeSync(
                    policy.name,
                    sp.validateStack(
                        { resources: stack, stackTags: new Map(), getConfig, notApplicable },
                        report,
                    ),
                );
            } catch (e) {
                if (!(e instanceof NotApplicable)) throw e;
            }
            continue;
        }
        const rp = policy as ResourceValidationPolicy;
        const validations = rp.validateResource ? [rp.validateResource].flat() : [];
        for (const r of registered) {
            const props = r.inputs;
            const args: ResourceValidationArgs = {
                type: r.type,
                name: r.name,
                urn: r.urn,
                props,
                opts: OPTS(r),
                provider: providerArg(r),
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
    for (const r of plan.resources) {
        if (r.custom === false || r.type.startsWith("pulumi:pulumi:")) continue;
        const why = regionContradiction(r);
        if (why) throw new PlanInputError(`stack ${plan.stack}: ${label(r)} (${r.urn}): ${why}`);
    }
}

/**
 * Evaluates one planned stack, as `pulumi preview --policy-pack` of that stack would. `config`:
 * the residency settings and enforcement levels (`parsePolicyConfig`/`loadPolicyConfig` of a
 * `--policy-pack-config` file), by default the schema defaults and each policy's own level.
 */
export function evaluatePlan(plan: PlanLike, config?: Partial<PackSettings>): Violation[] {
    checkPlanRegions(plan);
    return run(plan, settingsOf(config));
}

/** Evaluates every planned stack, each on its own (per-stack verdicts, as the CLI gives them). */
export function evaluatePlans(
    plans: readonly PlanLike[],
    config?: Partial<PackSettings>,
): StackViolation[] {
    const cfg = settingsOf(config);
    plans.forEach(checkPlanRegions);
    return plans.flatMap((plan) => run(plan, cfg).map((v) => ({ stack: plan.stack, ...v })));
}
