/** The rules between the topology's region entries (config/topology.ts parses each entry). */
import { GLOBAL_DATASTORE_MAX_SECONDARIES } from "../model/aws";
import { RegionSpec } from "../model/topology";
import { cidrsOverlap } from "../model/cidr";
import { Collector } from "./errors";
import { NS } from "./keys";

/**
 * Cross-entry rules: duplicates, one primary, failover partners, zones, CIDRs, routing.
 * `incomplete` says an entry failed to parse and is missing from `regions`: it may have been the
 * primary or some entry's failover partner, so "no primary" and "partner not in the topology"
 * are not reported then (the entry's own error is). Entries homed in a zone that failed to parse
 * (`badZones`) are not reported again for it.
 */
export function checkRegionRules(
    c: Collector,
    regions: RegionSpec[],
    rawIndex: number[],
    zones: Record<string, string[]>,
    globalStack: string | undefined,
    incomplete: boolean,
    badZones: ReadonlySet<string>,
): void {
    const K = `${NS}:topology.regions`;
    const at = (i: number) => `${K}[${rawIndex[i]}]`;
    const names = regions.map((r) => r.region);
    const seen = new Set<string>();
    regions.forEach((r, i) => {
        if (seen.has(r.region)) c.add(`${at(i)}.region`, r.region, "each region may appear once");
        seen.add(r.region);
    });
    const stacks = new Set<string>();
    regions.forEach((r, i) => {
        if (stacks.has(r.stack) || r.stack === globalStack) {
            c.add(
                `${at(i)}.stack`,
                r.stack,
                "stack names must be unique and differ from globalStack",
            );
        }
        stacks.add(r.stack);
    });
    const primaries = regions.filter((r) => r.primary).map((r) => r.region);
    if (primaries.length > 1 || (primaries.length === 0 && !incomplete)) {
        c.add(`${K}[].primary`, primaries, "exactly one region must have primary: true");
    }
    regions.forEach((r, i) => {
        if (r.failover === "") {
            // reported where the entry was parsed
        } else if (r.failover === r.region) {
            c.add(`${at(i)}.failover`, r.failover, `a region other than ${r.region} itself`);
        } else if (!names.includes(r.failover) && !incomplete) {
            c.add(
                `${at(i)}.failover`,
                r.failover,
                `one of the topology's regions: ${names.join(", ")}`,
            );
        }
        if (r.zone === "" || badZones.has(r.zone)) return;
        const allowed = zones[r.zone];
        if (!allowed) {
            c.add(`${at(i)}.zone`, r.zone, `one of the zones: ${Object.keys(zones).join(", ")}`);
        } else if (!allowed.includes(r.region)) {
            c.add(
                `${at(i)}.zone`,
                r.zone,
                `zone ${r.zone} allows only ${allowed.join(", ")}, not ${r.region}`,
            );
        }
    });
    for (let i = 0; i < regions.length; i++) {
        for (let j = i + 1; j < regions.length; j++) {
            if (cidrsOverlap(regions[i].vpcCidr, regions[j].vpcCidr)) {
                c.add(
                    `${at(j)}.vpcCidr`,
                    regions[j].vpcCidr,
                    `a block that does not overlap ${regions[i].region}'s ${regions[i].vpcCidr}`,
                );
            }
        }
    }
    const claimed = new Map<string, string>();
    regions.forEach((r, i) => {
        for (const code of [...r.geolocation.countries, ...r.geolocation.continents]) {
            const owner = claimed.get(code);
            if (owner && owner !== r.region) {
                c.add(
                    `${at(i)}.geolocation`,
                    code,
                    `each location routes to one region; ${code} already routes to ${owner}`,
                );
            }
            claimed.set(code, r.region);
        }
    });
    const primary = regions.find((r) => r.primary);
    if (primary && !primary.globalData) {
        c.add(
            `${at(regions.indexOf(primary))}.globalData`,
            false,
            "the primary region owns the global data and must have globalData: true",
        );
    }
    checkDatastoreSecondaries(c, regions, rawIndex);
}

/**
 * Every secondary holding global data joins the primary's ElastiCache Global Datastore, which AWS
 * caps at GLOBAL_DATASTORE_MAX_SECONDARIES secondary regions: a topology with more would fail
 * half-way through a deployment, so it is refused here, naming each entry that would join.
 */
export function checkDatastoreSecondaries(
    c: Collector,
    regions: RegionSpec[],
    rawIndex: number[],
    max: number = GLOBAL_DATASTORE_MAX_SECONDARIES,
): void {
    const primary = regions.find((r) => r.primary);
    if (!primary) return;
    const joining = regions.map((r, i) => ({ r, i })).filter(({ r }) => !r.primary && r.globalData);
    if (joining.length <= max) return;
    const named = joining.map(({ r, i }) => `${r.region} (regions[${rawIndex[i]}])`);
    c.add(
        `${NS}:topology.regions[].globalData`,
        joining.map(({ r }) => r.region),
        `at most ${max} secondary regions may hold global data: each joins ${primary.region}'s ElastiCache Global Datastore, which replicates to at most ${max} other regions (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html), and ${joining.length} would join it: ${named.join(", ")}; set globalData: false on all but ${max} of them`,
    );
}
