/**
 * `taskflow:topology`: its fields, zones and region entries, each checked on its own, then the
 * rules between entries (config/region-rules.ts). Pure; every problem is collected, so one run
 * reports them all.
 */
import { AWS_REGIONS, CONTINENTS } from "../model/aws";
import { GLOBAL_CLASSIFICATION } from "../model/residency";
import { RegionSpec, Topology } from "../model/topology";
import { parseCidr } from "../model/cidr";
import { gdprClaims } from "../model/edge-residency";
import { Collector, ConfigError, ConfigIssue } from "./errors";
import { DEFAULTS, GEOLOCATION_KEYS, NS, REGION_KEYS, TOPOLOGY_KEYS, checkKeys } from "./keys";
import { checkRegionRules } from "./region-rules";
import { asBool, isObject } from "./values";

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const PULUMI_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const K = `${NS}:topology`;

/**
 * Validates `taskflow:topology` and fills its defaults. Throws ConfigError listing every problem.
 * @param stack used only to name the stack in the error message.
 * @param project the Pulumi project's name (Pulumi.yaml `name`); when given, `project` must
 * equal it, or StackReferences would name stacks of another project.
 */
export function validateTopology(raw: unknown, stack = "(any)", project?: string): Topology {
    const c = new Collector();
    const topology = checkTopology(c, raw, project);
    if (c.issues.length > 0 || !topology) throw new ConfigError(stack, c.issues);
    return topology;
}

/** The problems of a raw topology (empty when valid); `project` as in validateTopology. */
export function topologyIssues(raw: unknown, project?: string): ConfigIssue[] {
    const c = new Collector();
    checkTopology(c, raw, project);
    return c.issues;
}

/** The topology, or undefined when it has problems (all of them collected in `c`). */
export function checkTopology(
    c: Collector,
    raw: unknown,
    expectedProject?: string,
): Topology | undefined {
    if (!isObject(raw)) {
        c.add(K, raw, "an object with org, domain, zones and regions is required");
        return undefined;
    }
    checkKeys(c, raw, TOPOLOGY_KEYS, `${K}.`);
    const fields = checkFields(c, raw, expectedProject);
    const { zones, badZones } = checkZones(c, raw.zones);
    if (!Array.isArray(raw.regions) || raw.regions.length === 0) {
        c.add(`${K}.regions`, raw.regions, "a non-empty list of region entries is required");
        return undefined;
    }
    // An entry without a usable region is left out of the cross-entry rules, which then skip
    // what its absence would make them report wrongly (see checkRegionRules).
    const regions: RegionSpec[] = [];
    /** Index in `raw.regions` of each parsed entry (error keys name the entry as written). */
    const rawIndex: number[] = [];
    raw.regions.forEach((entry: unknown, i: number) => {
        const spec = checkRegionEntry(c, entry, `${K}.regions[${i}]`, zones);
        if (!spec) return;
        rawIndex.push(i);
        regions.push(spec);
    });
    const dropped = raw.regions.length - regions.length;
    checkRegionRules(c, regions, rawIndex, zones, fields.globalStack, dropped > 0, badZones);
    const gdprZone = checkGdprZone(c, raw.gdprZone, zones, badZones);
    if (gdprZone !== undefined) checkGdprRouting(c, regions, rawIndex, zones, gdprZone);
    if (c.issues.length > 0) return undefined;
    return {
        org: fields.org!,
        project: fields.project!,
        globalStack: fields.globalStack!,
        domain: fields.domain!,
        ...(fields.hostedZoneId !== undefined ? { hostedZoneId: fields.hostedZoneId } : {}),
        zones,
        ...(gdprZone !== undefined ? { gdprZone } : {}),
        regions,
    };
}

/** `gdprZone`: a zone of the matrix; default `eu` when the matrix has it. */
function checkGdprZone(
    c: Collector,
    raw: unknown,
    zones: Record<string, string[]>,
    badZones: ReadonlySet<string>,
): string | undefined {
    const zone = raw ?? (Object.hasOwn(zones, "eu") ? "eu" : undefined);
    if (zone === undefined) return undefined;
    if (typeof zone === "string" && badZones.has(zone)) return undefined; // reported with the zone
    if (typeof zone !== "string" || !Object.hasOwn(zones, zone)) {
        c.add(`${K}.gdprZone`, zone, `one of the zones: ${Object.keys(zones).join(", ")}`);
        return undefined;
    }
    return zone;
}

/**
 * GDPR viewers belong to `gdprZone`: a region whose geolocation claims a GDPR location must be one
 * of that zone's regions, or the geolocation would send the zone's viewers out of it. The pin comes
 * from the zone named in config, never from which region claims the EU.
 */
function checkGdprRouting(
    c: Collector,
    regions: RegionSpec[],
    rawIndex: number[],
    zones: Record<string, string[]>,
    gdprZone: string,
): void {
    const allowed = zones[gdprZone] ?? [];
    regions.forEach((r, i) => {
        const claims = gdprClaims(r);
        if (claims.length === 0 || allowed.includes(r.region)) return;
        c.add(
            `${K}.regions[${rawIndex[i]}].geolocation`,
            claims,
            `GDPR viewers belong to zone ${gdprZone} (taskflow:topology.gdprZone: ${allowed.join(", ")}); routing them to ${r.region} would send them out of their zone — route ${claims.join(", ")} to ${allowed.join(" or ")}`,
        );
    });
}

/** The topology's own fields: org, project, globalStack, domain, hostedZoneId. */
function checkFields(c: Collector, raw: Record<string, unknown>, expectedProject?: string) {
    const str = (k: string, required: boolean, dflt?: string): string | undefined => {
        const v = raw[k];
        if (v === undefined && !required) return dflt;
        if (typeof v !== "string" || v.trim() === "") {
            c.add(`${K}.${k}`, v, "a non-empty string is required");
            return undefined;
        }
        return v;
    };
    const org = str("org", true);
    if (org !== undefined && !PULUMI_NAME.test(org))
        c.add(`${K}.org`, org, "letters, digits, _ . - only");
    const project = str("project", false, DEFAULTS.project);
    if (project !== undefined && !PULUMI_NAME.test(project)) {
        c.add(`${K}.project`, project, "a Pulumi project name (letters, digits, _ . -)");
    } else if (
        project !== undefined &&
        expectedProject !== undefined &&
        project !== expectedProject
    ) {
        c.add(
            `${K}.project`,
            project,
            `the name of this Pulumi project, "${expectedProject}" (Pulumi.yaml name); StackReferences to ${project}/<stack> would name another project's stacks`,
        );
    }
    const globalStack = str("globalStack", false, DEFAULTS.globalStack);
    if (globalStack !== undefined && !PULUMI_NAME.test(globalStack))
        c.add(`${K}.globalStack`, globalStack, "a stack name (letters, digits, _ . -)");
    const domain = str("domain", true);
    if (domain !== undefined && !DNS_NAME.test(domain)) {
        c.add(
            `${K}.domain`,
            domain,
            "a lower-case DNS name such as taskflow.example.com is required",
        );
    }
    const hostedZoneId = raw.hostedZoneId;
    if (
        hostedZoneId !== undefined &&
        (typeof hostedZoneId !== "string" || !/^Z[A-Z0-9]{4,32}$/.test(hostedZoneId))
    ) {
        c.add(
            `${K}.hostedZoneId`,
            hostedZoneId,
            "a Route 53 zone id such as Z0123456789ABCDEFGHIJ, or omit it to look the zone up by domain",
        );
    }
    return {
        org,
        project,
        globalStack,
        domain,
        hostedZoneId: typeof hostedZoneId === "string" ? hostedZoneId : undefined,
    };
}

/**
 * The zones. A zone that fails to parse is remembered (`badZones`) so that region entries homed
 * in it are not reported a second time for it.
 */
function checkZones(
    c: Collector,
    raw: unknown,
): { zones: Record<string, string[]>; badZones: Set<string> } {
    const zones: Record<string, string[]> = {};
    const badZones = new Set<string>();
    if (!isObject(raw) || Object.keys(raw).length === 0) {
        c.add(`${K}.zones`, raw, "a map of zone name → list of allowed regions is required");
        return { zones, badZones };
    }
    for (const [zone, regions] of Object.entries(raw)) {
        if (zone === GLOBAL_CLASSIFICATION || !/^[a-z][a-z0-9-]{0,15}$/.test(zone)) {
            badZones.add(zone);
            c.add(
                `${K}.zones`,
                zone,
                `zone names are lower-case identifiers other than "${GLOBAL_CLASSIFICATION}"`,
            );
            continue;
        }
        if (!Array.isArray(regions) || regions.length === 0) {
            badZones.add(zone);
            c.add(`${K}.zones.${zone}`, regions, "a non-empty list of AWS regions is required");
            continue;
        }
        regions.forEach((r, i) => {
            if (typeof r !== "string" || !AWS_REGIONS.includes(r)) {
                c.add(
                    `${K}.zones.${zone}[${i}]`,
                    r,
                    `a known AWS region is required (${AWS_REGIONS.join(", ")})`,
                );
            }
        });
        if (new Set(regions).size !== regions.length) {
            c.add(`${K}.zones.${zone}`, regions, "each region at most once");
        }
        zones[zone] = regions.filter((r): r is string => typeof r === "string");
    }
    return { zones, badZones };
}

/** One `regions[]` entry (`RK` names it); undefined when it has no usable region. */
function checkRegionEntry(
    c: Collector,
    entry: unknown,
    RK: string,
    zones: Record<string, string[]>,
): RegionSpec | undefined {
    if (!isObject(entry)) {
        c.add(RK, entry, "an object with region, failover, zone and vpcCidr is required");
        return undefined;
    }
    checkKeys(c, entry, REGION_KEYS, `${RK}.`);
    const region = entry.region;
    if (typeof region !== "string" || !AWS_REGIONS.includes(region)) {
        c.add(`${RK}.region`, region, `a known AWS region is required (${AWS_REGIONS.join(", ")})`);
        return undefined;
    }
    const stackName = entry.stack ?? region;
    if (typeof stackName !== "string" || !PULUMI_NAME.test(stackName)) {
        c.add(`${RK}.stack`, entry.stack, "a stack name (letters, digits, _ . -) is required");
    }
    const primary = asBool(entry.primary) ?? false;
    if (typeof primary !== "boolean") c.add(`${RK}.primary`, entry.primary, "true or false");
    const failover = entry.failover;
    if (typeof failover !== "string")
        c.add(
            `${RK}.failover`,
            failover,
            "the region name of another region in the topology is required",
        );
    const zone = entry.zone;
    if (typeof zone !== "string")
        c.add(`${RK}.zone`, zone, `one of the zones: ${Object.keys(zones).join(", ")}`);
    const vpcCidr = entry.vpcCidr;
    const parsed = typeof vpcCidr === "string" ? parseCidr(vpcCidr) : undefined;
    if (!parsed || parsed[1] < 16 || parsed[1] > 20) {
        c.add(
            `${RK}.vpcCidr`,
            vpcCidr,
            "an IPv4 network CIDR with a prefix from /16 to /20 is required (e.g. 10.10.0.0/16)",
        );
    }
    const geolocation = checkGeolocation(c, entry.geolocation ?? {}, RK);
    const globalData = asBool(entry.globalData) ?? true;
    if (typeof globalData !== "boolean")
        c.add(`${RK}.globalData`, entry.globalData, "true or false");
    return {
        region,
        stack: typeof stackName === "string" ? stackName : region,
        primary: primary === true,
        failover: typeof failover === "string" ? failover : "",
        zone: typeof zone === "string" ? zone : "",
        vpcCidr: typeof vpcCidr === "string" ? vpcCidr : "",
        geolocation,
        globalData: globalData !== false,
    };
}

/** A region entry's `geolocation`: the valid country and continent codes it claims. */
function checkGeolocation(
    c: Collector,
    geoRaw: unknown,
    RK: string,
): { countries: string[]; continents: string[] } {
    const countries: string[] = [];
    const continents: string[] = [];
    if (!isObject(geoRaw)) {
        c.add(`${RK}.geolocation`, geoRaw, "an object with countries and continents lists");
        return { countries, continents };
    }
    checkKeys(c, geoRaw, GEOLOCATION_KEYS, `${RK}.geolocation.`);
    const cs = geoRaw.countries ?? [];
    const ks = geoRaw.continents ?? [];
    if (!Array.isArray(cs))
        c.add(`${RK}.geolocation.countries`, cs, "a list of ISO 3166-1 alpha-2 codes");
    else
        cs.forEach((v, j) => {
            if (typeof v !== "string" || !/^[A-Z]{2}$/.test(v))
                c.add(
                    `${RK}.geolocation.countries[${j}]`,
                    v,
                    "an ISO 3166-1 alpha-2 code such as JP",
                );
            else countries.push(v);
        });
    if (!Array.isArray(ks))
        c.add(`${RK}.geolocation.continents`, ks, `a list of ${CONTINENTS.join(", ")}`);
    else
        ks.forEach((v, j) => {
            if (typeof v !== "string" || !CONTINENTS.includes(v))
                c.add(`${RK}.geolocation.continents[${j}]`, v, `one of ${CONTINENTS.join(", ")}`);
            else continents.push(v);
        });
    return { countries, continents };
}
