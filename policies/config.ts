// Policy configuration for the offline evaluator, in the shape `pulumi preview|up
// --policy-pack-config <file.json>` takes:
//
//   { "all": "advisory",                                   // optional: every policy's level
//     "<policy name>": "mandatory",                        // a level, or
//     "<policy name>": { "enforcementLevel": "...", "<property>": ... } }  // level + properties
//
// The residency settings (the zone matrix, the stacks' account, stores outside a stack, the GDPR
// zone) are defined once (`residencyConfigSchema` in residency.ts) and declared by every policy
// that reads them, because the engine hands each policy only its own config. A config file
// therefore sets them on each residency policy alike; one that sets them on some only, or
// differently, would leave the pack judging residency two ways at once, and is refused here
// (`residencyPolicyConfig` writes the entries; policies/policy-config.json is the committed one).

import * as fs from "fs";
import * as path from "path";
import type { Policies, Policy } from "@pulumi/policy";
import {
    DeclaredStore,
    DEFAULT_ZONES,
    readConfig,
    residencyConfigSchema,
    ZoneMatrix,
} from "./residency";

/**
 * The committed pack config: `policies/policy-config.json`, the file every preview, deploy and
 * workflow passes to the pack (`--policy-pack-config`) and `npm run plan` applies by default.
 */
export const PACK_CONFIG_FILE = "policy-config.json";
export const COMMITTED_PACK_CONFIG = path.join(__dirname, PACK_CONFIG_FILE);

/** The enforcement levels the offline evaluator applies (`remediate` counts as mandatory). */
export type Level = "advisory" | "mandatory" | "disabled";

/** The residency settings written to every residency policy (absent: the schema's default). */
export interface ResidencySettings {
    /** The residency matrix every residency policy reads. Default: the requirements' residency table (docs/requirements.md). */
    zones: ZoneMatrix;
    /** The AWS account the stacks deploy into. */
    account?: string;
    /** Stores outside a stack that it may reference, by ARN or name. */
    stores?: Record<string, DeclaredStore>;
    /** The zone GDPR viewers belong to. Default: `eu`. */
    gdprZone?: string;
    /** GDPR viewer countries. Default: policies/gdpr.ts. */
    gdprCountries?: string[];
}

/** What a policy config resolves to for the offline evaluator. */
export interface PackSettings extends ResidencySettings {
    /** Configured enforcement level per policy name; absent: the policy's own level. */
    levels: Record<string, Level>;
}

const RESIDENCY_KEYS = ["zones", "account", "stores", "gdprZone", "gdprCountries"] as const;

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

/** The policy-config entries that set the same residency settings on every residency policy. */
export function residencySettingsConfig(
    settings: ResidencySettings,
    policies: Policies,
): Record<string, ResidencySettings> {
    const entry = Object.fromEntries(
        RESIDENCY_KEYS.filter((k) => settings[k] !== undefined).map((k) => [k, settings[k]]),
    ) as unknown as ResidencySettings;
    return Object.fromEntries(residencyPolicyNames(policies).map((n) => [n, entry]));
}

function level(where: string, v: unknown): Level {
    if (typeof v !== "string" || !LEVELS.includes(v)) {
        throw new PolicyConfigError(
            `${where} must be one of ${LEVELS.join(", ")}, got ${JSON.stringify(v)}`,
        );
    }
    return v === "remediate" ? "mandatory" : (v as Level);
}

/** Sorted-key JSON, so two settings compare equal whatever their key order. */
function canonical(v: unknown): string {
    const sort = (x: unknown): unknown =>
        Array.isArray(x)
            ? x.map(sort)
            : x && typeof x === "object"
              ? Object.fromEntries(
                    Object.keys(x as object)
                        .sort()
                        .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
                )
              : x;
    return JSON.stringify(sort(v));
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
    const settingsOf = new Map<string, Record<string, unknown>>();
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
        for (const prop of Object.keys(properties)) {
            if (!allowed.includes(prop)) {
                throw new PolicyConfigError(
                    `"${key}" has no property "${prop}" (${allowed.length > 0 ? `it takes ${allowed.join(", ")}` : "it takes no properties"})`,
                );
            }
        }
        if (readsResidencyMatrix(policy) && Object.keys(properties).length > 0) {
            try {
                readConfig(properties);
            } catch (e) {
                throw new PolicyConfigError(`"${key}": ${(e as Error).message}`);
            }
            settingsOf.set(key, properties);
        }
    }
    if (all !== undefined) {
        for (const p of policies) levels[p.name] ??= all;
    }
    return { ...oneSetting(settingsOf, residencyPolicyNames(policies)), levels };
}

/** The one set of residency settings the residency policies are configured with. */
function oneSetting(
    settingsOf: Map<string, Record<string, unknown>>,
    names: string[],
): ResidencySettings {
    if (settingsOf.size === 0) return { zones: DEFAULT_ZONES };
    const missing = names.filter((n) => !settingsOf.has(n));
    const why =
        missing.length > 0
            ? `it is set on ${[...settingsOf.keys()].join(", ")} but not on ${missing.join(", ")}`
            : undefined;
    const [first, ...rest] = [...settingsOf];
    const differs = rest.find(([, z]) => canonical(z) !== canonical(first[1]));
    const reason = why ?? (differs ? `${first[0]} and ${differs[0]} set different settings` : "");
    if (reason) {
        throw new PolicyConfigError(
            `the residency settings (the matrix "zones", and ${RESIDENCY_KEYS.slice(1).join(", ")}) must be the same on every residency policy (${names.join(", ")}), since each is handed only its own config: ${reason}`,
        );
    }
    const s = first[1];
    return {
        zones: readConfig(s).zones,
        ...(Object.fromEntries(
            RESIDENCY_KEYS.slice(1)
                .filter((k) => s[k] !== undefined)
                .map((k) => [k, s[k]]),
        ) as Partial<ResidencySettings>),
    };
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
