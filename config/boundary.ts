/** `taskflow:residencyBoundary`: the zone-resident stores of a region stack. */
import { AWS_REGIONS } from "../model/aws";
import { RegionSpec, Topology } from "../model/topology";
import { Collector } from "./errors";
import { BOUNDARY_KEYS, NS, checkKeys } from "./keys";
import { BoundaryConfig } from "./types";
import { asBool, isObject } from "./values";

/** Validates `taskflow:residencyBoundary` of a region stack; undefined when absent or invalid. */
export function checkBoundary(
    c: Collector,
    b: unknown,
    topology: Topology,
    regionSpec: RegionSpec,
): BoundaryConfig | undefined {
    const K = `${NS}:residencyBoundary`;
    if (b === undefined) return undefined;
    if (!isObject(b) || typeof b.zone !== "string") {
        c.add(K, b, "an object { zone: <zone>, aurora: <bool>, replicaRegions: [<region>...] }");
        return undefined;
    }
    checkKeys(c, b, BOUNDARY_KEYS, `${K}.`);
    const allowed = topology.zones[b.zone];
    if (!allowed) {
        c.add(`${K}.zone`, b.zone, `one of the zones: ${Object.keys(topology.zones).join(", ")}`);
        return undefined;
    }
    if (!allowed.includes(regionSpec.region)) {
        c.add(
            `${K}.zone`,
            b.zone,
            `zone ${b.zone} data may only be stored in ${allowed.join(", ")}, not ${regionSpec.region}`,
        );
        return undefined;
    }
    const aurora = asBool(b.aurora) ?? false;
    if (typeof aurora !== "boolean") c.add(`${K}.aurora`, b.aurora, "true or false");
    const replicaRegions: string[] = [];
    const rr = b.replicaRegions ?? [];
    if (!Array.isArray(rr)) {
        c.add(`${K}.replicaRegions`, rr, `a list of the zone's other regions`);
    } else {
        rr.forEach((r: unknown, i: number) => {
            const at = `${K}.replicaRegions[${i}]`;
            if (typeof r !== "string" || !AWS_REGIONS.includes(r)) {
                c.add(at, r, `a known AWS region is required (${AWS_REGIONS.join(", ")})`);
            } else if (!allowed.includes(r)) {
                c.add(at, r, `zone ${b.zone} data may only be stored in ${allowed.join(", ")}`);
            } else if (r === regionSpec.region) {
                c.add(at, r, `a region other than this stack's own (${regionSpec.region})`);
            } else if (replicaRegions.includes(r)) {
                c.add(at, r, "each region at most once");
            } else {
                replicaRegions.push(r);
            }
        });
    }
    return { zone: b.zone, aurora: aurora === true, replicaRegions };
}
