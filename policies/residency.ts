// Residency model shared by every policy in the pack: the classification tag, the pack's residency
// settings (policy config: the zone matrix, the stack's account, stores outside the stack), and
// the readers that turn a resource's props into facts (classification, effective region).
//
// Nothing here may import from outside policies/: the pack is published on its own
// (`pulumi policy publish policies`).

import type { PolicyConfigSchema, PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { GDPR_COUNTRIES } from "./gdpr";
import { isUnknown, obj, rawProps } from "./values";

export { isUnknown, rawProps, UNKNOWN, UNKNOWN_SENTINELS } from "./values";
export { BUCKET_TYPES, isDataBearing, T } from "./types";

/** Tag key carrying a resource's residency classification: `global` or a zone name. */
export const RESIDENCY_TAG = "data-residency";

/** Classification of data that may be stored and replicated anywhere. */
export const GLOBAL = "global";

/** The residency matrix: zone → regions where that zone's data may be stored. */
export type ZoneMatrix = Record<string, string[]>;

/**
 * A store outside the stack, declared in the pack's config so that a stack may reference it (a
 * replication destination in another stack's region, say). Names are no proof of residency: a
 * store no plan of the stack shows is only trusted through such an entry.
 */
export interface DeclaredStore {
    /** `global` or a zone of the matrix. */
    classification: string;
    /** The region the store lives in. */
    region: string;
    /** Its account; default: the stack's account. */
    account?: string;
}

/** Policy configuration shared by the residency policies. */
export interface ResidencyConfig {
    /** Zone → allowed regions. Default: the requirements' residency table (docs/requirements.md). */
    zones: ZoneMatrix;
    /** The AWS account the stacks deploy into (12 digits); undefined: not configured. */
    account?: string;
    /** Stores outside the stack, by ARN or name. */
    stores: Record<string, DeclaredStore>;
    /** The zone GDPR viewers belong to: the edge pins them to its region. Default `eu`. */
    gdprZone?: string;
    /** The viewer countries whose requests are GDPR requests. Default: policies/gdpr.ts. */
    gdprCountries: readonly string[];
}

/** Seed 000 `data_residency`: EU data only in eu-west-1; US in us-east-1 or Tokyo; JP in Tokyo. */
export const DEFAULT_ZONES: ZoneMatrix = {
    eu: ["eu-west-1"],
    us: ["us-east-1", "ap-northeast-1"],
    jp: ["ap-northeast-1"],
};

/** The `configSchema` every residency policy declares (the same settings for all of them). */
export const residencyConfigSchema: PolicyConfigSchema = {
    properties: {
        zones: {
            type: "object",
            description:
                "Residency zone → AWS regions where that zone's data may be stored. `global` is reserved for data that may live anywhere.",
            additionalProperties: { type: "array", items: { type: "string" }, minItems: 1 },
            default: DEFAULT_ZONES,
        },
        account: {
            type: "string",
            description:
                "The AWS account id the stacks deploy into. Grants, shares, copies and destinations in any other account are violations; without it, every account-dependent proof fails closed.",
            pattern: "^[0-9]{12}$",
        },
        stores: {
            type: "object",
            description:
                "Stores outside the stack that it may reference, by ARN or name → { classification, region, account? }. A store in no plan the stack can see is proven by nothing else (not by its name).",
            additionalProperties: {
                type: "object",
                properties: {
                    classification: { type: "string" },
                    region: { type: "string" },
                    account: { type: "string", pattern: "^[0-9]{12}$" },
                },
                required: ["classification", "region"],
                additionalProperties: false,
            },
        },
        gdprZone: {
            type: "string",
            description:
                "The residency zone GDPR viewers belong to: the edge must route them (geolocation and its residency router) to that zone's regions only. Default: `eu` when the matrix has that zone.",
        },
        gdprCountries: {
            type: "array",
            items: { type: "string", pattern: "^[A-Z]{2}$" },
            description:
                "ISO 3166-1 alpha-2 countries whose viewers are GDPR viewers (with Route 53 continent EU).",
            default: [...GDPR_COUNTRIES],
        },
    },
};

function configError(what: string): never {
    throw new Error(`policy config ${what}`);
}

/**
 * An object with its keys in sorted order. The engine hands a policy its config as a protobuf
 * Struct, which keeps no key order, so nothing the pack says may depend on the order of a file.
 */
function sortedKeys<T>(o: Record<string, T>): Record<string, T> {
    return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function readZones(zones: unknown): ZoneMatrix {
    if (zones === undefined) return sortedKeys(DEFAULT_ZONES);
    if (typeof zones !== "object" || zones === null || Array.isArray(zones)) {
        configError(`"zones" must be an object of zone → regions, got ${JSON.stringify(zones)}`);
    }
    for (const [zone, regions] of Object.entries(zones)) {
        if (zone === GLOBAL) configError(`"zones": "${GLOBAL}" is reserved and cannot be a zone`);
        if (
            !Array.isArray(regions) ||
            regions.length === 0 ||
            !regions.every((r) => typeof r === "string")
        ) {
            configError(
                `"zones.${zone}" must be a non-empty list of regions, got ${JSON.stringify(regions)}`,
            );
        }
    }
    return sortedKeys(zones as ZoneMatrix);
}

function readStores(stores: unknown, zones: ZoneMatrix): Record<string, DeclaredStore> {
    if (stores === undefined) return {};
    if (typeof stores !== "object" || stores === null || Array.isArray(stores)) {
        configError(
            `"stores" must be an object of ARN or name → store, got ${JSON.stringify(stores)}`,
        );
    }
    const out: Record<string, DeclaredStore> = {};
    for (const [ref, raw] of Object.entries(sortedKeys(stores as Record<string, unknown>))) {
        const s = obj(raw);
        const c = s["classification"];
        if (typeof c !== "string" || (c !== GLOBAL && !Object.hasOwn(zones, c))) {
            configError(
                `"stores.${ref}.classification" must be "${GLOBAL}" or a zone (${Object.keys(zones).join(", ")}), got ${JSON.stringify(c)}`,
            );
        }
        if (typeof s["region"] !== "string" || s["region"] === "")
            configError(
                `"stores.${ref}.region" must be a region, got ${JSON.stringify(s["region"])}`,
            );
        const account = s["account"];
        if (account !== undefined && !isAccountId(account))
            configError(
                `"stores.${ref}.account" must be a 12-digit account id, got ${JSON.stringify(account)}`,
            );
        const extra = Object.keys(s).filter(
            (k) => !["classification", "region", "account"].includes(k),
        );
        if (extra.length > 0)
            configError(`"stores.${ref}" has unknown field(s) ${extra.join(", ")}`);
        out[ref] = {
            classification: c,
            region: s["region"] as string,
            account: account as string | undefined,
        };
    }
    return out;
}

/** Whether a value is a 12-digit AWS account id. */
export function isAccountId(v: unknown): v is string {
    return typeof v === "string" && /^\d{12}$/.test(v);
}

const readConfigs = new WeakMap<object, ResidencyConfig>();

/**
 * The residency settings of a policy's config, validated. Cached per config object: the offline
 * evaluator hands each policy one object per run (the engine, a fresh one per call).
 */
export function readConfig(raw: unknown): ResidencyConfig {
    if (raw && typeof raw === "object") {
        const hit = readConfigs.get(raw);
        if (hit) return hit;
        const c = readConfigUncached(raw);
        readConfigs.set(raw, c);
        return c;
    }
    return readConfigUncached(raw);
}

/** Merges (possibly partial) policy config over the defaults and checks its shape. */
function readConfigUncached(raw: unknown): ResidencyConfig {
    const r = obj(raw);
    const zones = readZones(r["zones"]);
    const account = r["account"];
    if (account !== undefined && !isAccountId(account))
        configError(`"account" must be a 12-digit account id, got ${JSON.stringify(account)}`);
    // Without an explicit zone, `eu` when the matrix has one (else the edge pin has no zone).
    const gdprZone = r["gdprZone"] ?? (Object.hasOwn(zones, "eu") ? "eu" : undefined);
    if (gdprZone !== undefined && (typeof gdprZone !== "string" || !Object.hasOwn(zones, gdprZone)))
        configError(
            `"gdprZone" must be a zone of the matrix (${Object.keys(zones).join(", ")}), got ${JSON.stringify(gdprZone)}`,
        );
    const countries = r["gdprCountries"] ?? GDPR_COUNTRIES;
    if (
        !Array.isArray(countries) ||
        !countries.every((c) => typeof c === "string" && /^[A-Z]{2}$/.test(c))
    )
        configError(
            `"gdprCountries" must be a list of ISO 3166-1 alpha-2 codes, got ${JSON.stringify(countries)}`,
        );
    return {
        zones,
        account: account as string | undefined,
        stores: readStores(r["stores"], zones),
        gdprZone: gdprZone as string | undefined,
        gdprCountries: countries as string[],
    };
}

// ---- reading a resource ---------------------------------------------------------------------

/** A resource as the residency rules see it, whichever way it was handed to a policy. */
export interface ResourceView {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    /** The region of the resource's provider (`provider.props.region`), if any. */
    providerRegion: unknown;
    /** The resource's provider (type, urn, raw props); none for the program's own components. */
    provider?: { type: string; urn: string; name: string; props: Record<string, unknown> };
    /**
     * URNs of the resources each top-level property depends on (stack policies only). During a
     * real preview a reference to a resource created in the same stack is unknown, but the
     * engine still says which resource it comes from.
     */
    deps?: Record<string, string[]>;
}

function providerOf(
    p: { type: string; urn: string; name: string; props?: Record<string, unknown> } | undefined,
): ResourceView["provider"] {
    return p
        ? { type: p.type, urn: p.urn, name: p.name, props: rawProps(p.props ?? {}) }
        : undefined;
}

export function viewOfArgs(args: ResourceValidationArgs): ResourceView {
    const provider = providerOf(args.provider);
    return {
        type: args.type,
        name: args.name,
        urn: args.urn,
        props: rawProps(args.props),
        providerRegion: provider?.props["region"],
        provider,
    };
}

export function viewOfPolicyResource(r: PolicyResource): ResourceView {
    const provider = providerOf(r.provider);
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: rawProps(r.props),
        providerRegion: provider?.props["region"],
        provider,
        deps: Object.fromEntries(
            Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map((d) => d.urn)]),
        ),
    };
}

/** Effective region: the resource's own `region` input, else its provider's region. */
export type RegionFact =
    { kind: "known"; region: string } | { kind: "unknown" } | { kind: "missing" };

export function effectiveRegion(r: ResourceView): RegionFact {
    const own = r.props["region"];
    if (isUnknown(own)) return { kind: "unknown" };
    if (typeof own === "string" && own !== "") return { kind: "known", region: own };
    if (isUnknown(r.providerRegion)) return { kind: "unknown" };
    if (typeof r.providerRegion === "string" && r.providerRegion !== "") {
        return { kind: "known", region: r.providerRegion };
    }
    return { kind: "missing" };
}

export function regionText(f: RegionFact): string {
    return f.kind === "known"
        ? f.region
        : f.kind === "unknown"
          ? "(unknown until apply)"
          : "(no region)";
}

export function zoneAllows(config: ResidencyConfig, zone: string, region: string): boolean {
    return (config.zones[zone] ?? []).includes(region);
}

/** `aws:dynamodb/table:Table 'eu-users'` */
export function label(r: { type: string; name: string }): string {
    return `${r.type} '${r.name}'`;
}

/** The standard message tail: the rule broken and what it allows. */
export function zoneRule(config: ResidencyConfig, zone: string): string {
    return `rule: zone '${zone}' data may only be stored in ${(config.zones[zone] ?? []).join(", ")} and must not replicate elsewhere`;
}

/** A region parsed out of an ARN (`arn:aws:<svc>:<region>:…`); undefined if none or not an ARN. */
export function arnRegion(arn: unknown): string | undefined {
    if (typeof arn !== "string" || !arn.startsWith("arn:")) return undefined;
    const parts = arn.split(":");
    return parts.length > 3 && parts[3] !== "" ? parts[3] : undefined;
}

/** The account of an ARN (`arn:aws:<svc>:<region>:<account>:…`); undefined if none. */
export function arnAccount(arn: unknown): string | undefined {
    if (typeof arn !== "string" || !arn.startsWith("arn:")) return undefined;
    const parts = arn.split(":");
    return parts.length > 4 && parts[4] !== "" ? parts[4] : undefined;
}

/** The last resource segment of an ARN (`…:table/NAME` → NAME, `…:db:NAME` → NAME). */
export function arnResourceName(arn: string): string {
    const tail = arn.split(":").slice(5).join(":");
    const slash = tail.lastIndexOf("/");
    const colon = tail.lastIndexOf(":");
    return tail.slice(Math.max(slash, colon) + 1);
}

/**
 * The residency name convention `<base>-<classification>-<region>`, e.g.
 * `taskflow-prod-users-eu-eu-west-1`. The program names its stores this way, and
 * `residency-name-matches-classification` checks, where a store is created, that the name agrees
 * with its tag and region. A name is never proof that a store stays in its zone (the store may
 * not exist, or be another); it is evidence that a reference may touch zone data, which the
 * data-flow policy then judges as such.
 */
export function residencyName(base: string, classification: string, region: string): string {
    return `${base}-${classification}-${region}`;
}

/** Parses a residency name; undefined when the name does not follow the convention. */
export function parseResidencyName(
    name: string,
    config: ResidencyConfig,
): { classification: string; region: string } | undefined {
    const m = /^(.+)-([a-z]+)-([a-z]{2}(?:-gov)?-[a-z]+-\d)$/.exec(name);
    if (!m) return undefined;
    const classification = m[2];
    if (classification !== GLOBAL && !Object.hasOwn(config.zones, classification)) {
        return undefined;
    }
    return { classification, region: m[3] };
}
