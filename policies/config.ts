// Policy configuration for the offline evaluator, in the shape `pulumi preview|up
// --policy-config <file.json>` takes:
//
//   { "all": "advisory",                                   // optional: every policy's level
//     "<policy name>": "mandatory",                        // a level, or
//     "<policy name>": { "enforcementLevel": "...", "<property>": ... } }  // level + properties
//
// The residency matrix is defined once (`residencyConfigSchema` in residency.ts, defaulting to
// seed 000's table) and declared by every policy that reads it, because the engine hands each
// policy only its own config. A config file therefore sets `zones` on each residency policy;
// one that sets it on some of them only, or gives them different matrices, would leave the pack
// judging residency two ways at once, and is refused here (use `residencyPolicyConfig` to write
// the entries).

import * as fs from "fs";
import type { Policies, Policy } from "@pulumi/policy";
import { readConfig, residencyConfigSchema, ZoneMatrix, DEFAULT_ZONES } from "./residency";

/** The enforcement levels the offline evaluator applies (`remediate` counts as mandatory). */
export type Level = "advisory" | "mandatory" | "disabled";

/** What a policy config resolves to for the offline evaluator. */
export interface PackSettings {
    /** The residency matrix every residency policy reads. Default: seed 000's table. */
    zones: ZoneMatrix;
    /** Configured enforcement level per policy name; absent: the policy's own level. */
    levels: Record<string, Level>;
}

/** A policy config that cannot be applied as given; the message names the key. */
export class PolicyConfigError extends Error {}

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/** Whether a policy reads the residency matrix (declares the shared schema). */
export function readsResidencyMatrix(p: Policy): boolean {
    return p.configSchema === residencyConfigSchema;
}

/** Names of the policies that read the residency matrix. */
export function residencyPolicyNames(policies: Policies): string[] {
    return policies.filter(readsResidencyMatrix).map((p) => p.name);
}

/** The policy-config entries that set one matrix on every residency policy. */
export function residencyPolicyConfig(
    zones: ZoneMatrix,
    policies: Policies,
): Record<string, { zones: ZoneMatrix }> {
    return Object.fromEntries(residencyPolicyNames(policies).map((n) => [n, { zones }]));
}

function level(where: string, v: unknown): Level {
    if (typeof v !== "string" || !LEVELS.includes(v)) {
        throw new PolicyConfigError(
            `${where} must be one of ${LEVELS.join(", ")}, got ${JSON.stringify(v)}`,
        );
    }
    return v === "remediate" ? "mandatory" : (v as Level);
}

/** Sorted-key JSON, so two matrices compare equal whatever their key order. */
function canonical(zones: ZoneMatrix): string {
    return JSON.stringify(
        Object.keys(zones)
            .sort()
            .map((k) => [k, zones[k]]),
    );
}

/**
 * Resolves a policy config (already parsed JSON) against the pack's policies. Throws
 * PolicyConfigError naming the key on an unknown policy, an unknown property, a bad level, a
 * malformed matrix, or residency policies configured with different matrices.
 */
export function parsePolicyConfig(raw: unknown, policies: Policies): PackSettings {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
        throw new PolicyConfigError(
            `must be an object of policy name → level or settings, got ${JSON.stringify(raw)}`,
        );
    }
    const byName = new Map(policies.map((p) => [p.name, p]));
    const levels: Record<string, Level> = {};
    const zonesOf = new Map<string, ZoneMatrix>();
    let all: Level | undefined;
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        const entry =
            typeof value === "string"
                ? { enforcementLevel: value }
                : value && typeof value === "object" && !Array.isArray(value)
                  ? (value as Record<string, unknown>)
                  : undefined;
        if (!entry) {
            throw new PolicyConfigError(
                `"${key}" must be an enforcement level or an object, got ${JSON.stringify(value)}`,
            );
        }
        const { enforcementLevel, ...properties } = entry;
        if (key === "all") {
            if (Object.keys(properties).length > 0) {
                throw new PolicyConfigError(
                    `"all" only sets enforcementLevel, got ${Object.keys(properties).join(", ")}; set properties on each policy`,
                );
            }
            all = level(`"all".enforcementLevel`, enforcementLevel);
            continue;
        }
        const policy = byName.get(key);
        if (!policy) {
            throw new PolicyConfigError(
                `unknown policy "${key}"; the pack's policies are ${[...byName.keys()].join(", ")}`,
            );
        }
        if (enforcementLevel !== undefined)
            levels[key] = level(`"${key}".enforcementLevel`, enforcementLevel);
        const allowed = Object.keys(policy.configSchema?.properties ?? {});
        for (const [prop, v] of Object.entries(properties)) {
            if (!allowed.includes(prop)) {
                throw new PolicyConfigError(
                    `"${key}" has no property "${prop}" (${allowed.length > 0 ? `it takes ${allowed.join(", ")}` : "it takes no properties"})`,
                );
            }
            if (prop === "zones") {
                try {
                    zonesOf.set(key, readConfig({ zones: v }).zones);
                } catch (e) {
                    throw new PolicyConfigError(`"${key}": ${(e as Error).message}`);
                }
            }
        }
    }
    if (all !== undefined) {
        for (const p of policies) levels[p.name] ??= all;
    }
    return { zones: oneMatrix(zonesOf, residencyPolicyNames(policies)), levels };
}

/** The one matrix the residency policies are configured with (default if none is). */
function oneMatrix(zonesOf: Map<string, ZoneMatrix>, names: string[]): ZoneMatrix {
    if (zonesOf.size === 0) return DEFAULT_ZONES;
    const missing = names.filter((n) => !zonesOf.has(n));
    const why =
        missing.length > 0
            ? `it is set on ${[...zonesOf.keys()].join(", ")} but not on ${missing.join(", ")}`
            : undefined;
    const [first, ...rest] = [...zonesOf];
    const differs = rest.find(([, z]) => canonical(z) !== canonical(first[1]));
    const reason = why ?? (differs ? `${first[0]} and ${differs[0]} set different matrices` : "");
    if (reason) {
        throw new PolicyConfigError(
            `the residency matrix ("zones") must be the same on every residency policy (${names.join(", ")}), since each is handed only its own config: ${reason}`,
        );
    }
    return first[1];
}

/** Reads and resolves a policy config file; PolicyConfigError messages start with the file. */
export function loadPolicyConfig(file: string, policies: Policies): PackSettings {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new PolicyConfigError(
            `${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        );
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw new PolicyConfigError(`${file}: is not JSON (${(e as Error).message})`);
    }
    try {
        return parsePolicyConfig(json, policies);
    } catch (e) {
        if (e instanceof PolicyConfigError) throw new PolicyConfigError(`${file}: ${e.message}`);
        throw e;
    }
}
