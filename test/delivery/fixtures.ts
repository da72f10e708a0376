/** Topologies shared by the delivery specs: the real one from Pulumi.yaml and larger fixtures. */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Topology, validateTopology } from "../../config";
import { baseTopologyOf } from "../helpers/base-topology";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The raw `taskflow:topology` value of Pulumi.yaml (every region a user added included). */
export function rawRepoTopology(): Record<string, unknown> {
    const doc = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as {
        config: Record<string, { value?: unknown }>;
    };
    return JSON.parse(JSON.stringify(doc.config["taskflow:topology"].value)) as Record<
        string,
        unknown
    >;
}

/** The project's topology, validated by config.ts: what the real stacks follow. */
export function projectTopology(): Topology {
    return validateTopology(rawRepoTopology(), "Pulumi.yaml");
}

/**
 * Pulumi.yaml's topology cut down to the seed's three regions (test/helpers/base-topology.ts):
 * the fixtures below start from it, so their numbers and CIDRs hold whatever regions a user adds.
 */
export function rawProjectTopology(): Record<string, unknown> {
    return baseTopologyOf(rawRepoTopology());
}

/** The seed's topology (rawProjectTopology), validated: for specs that need fixed numbers. */
export function baseTopology(): Topology {
    return validateTopology(rawProjectTopology(), "fixture");
}

/**
 * The seed's topology plus ap-southeast-2 (its own `au` zone) and eu-central-1 (the `eu` zone
 * widened to allow it), with the primary moved to us-east-1: five regions, four secondaries.
 */
export function fiveRegionTopology(): Topology {
    const raw = rawProjectTopology();
    const zones = raw.zones as Record<string, string[]>;
    zones.eu = [...zones.eu, "eu-central-1"];
    zones.au = ["ap-southeast-2"];
    const regions: Record<string, unknown>[] = (raw.regions as Record<string, unknown>[]).map(
        (r) => ({
            ...r,
            primary: r.region === "us-east-1",
        }),
    );
    regions.push(
        {
            region: "ap-southeast-2",
            stack: "sydney",
            failover: "ap-northeast-1",
            zone: "au",
            vpcCidr: "10.40.0.0/16",
            geolocation: { countries: ["AU", "NZ"], continents: [] },
            globalData: false,
        },
        {
            region: "eu-central-1",
            failover: "eu-west-1",
            zone: "eu",
            vpcCidr: "10.50.0.0/16",
            geolocation: { countries: ["DE", "AT", "CH"], continents: [] },
            globalData: false,
        },
    );
    return validateTopology({ ...raw, regions, globalStack: "edge" }, "fixture");
}

/** The seed's topology plus ap-southeast-2 only: four region stacks, three secondaries. */
export function fourRegionTopology(): Topology {
    const raw = rawProjectTopology();
    (raw.zones as Record<string, string[]>).au = ["ap-southeast-2"];
    (raw.regions as Record<string, unknown>[]).push({
        region: "ap-southeast-2",
        failover: "ap-northeast-1",
        zone: "au",
        vpcCidr: "10.40.0.0/16",
        geolocation: { countries: ["AU", "NZ"], continents: [] },
        globalData: false,
    });
    return validateTopology(raw, "fixture");
}

/**
 * Six stacks: the seed's four (three regions and the global stack) plus
 * ap-northeast-3 in zone jp (widened to allow it; Osaka, seed 002's warm standby of Tokyo) and
 * ap-southeast-2 in a new zone au. Five region stacks, four secondaries.
 */
export function sixStackTopology(): Topology {
    const raw = rawProjectTopology();
    const zones = raw.zones as Record<string, string[]>;
    zones.jp = [...zones.jp, "ap-northeast-3"];
    zones.au = ["ap-southeast-2"];
    (raw.regions as Record<string, unknown>[]).push(
        {
            region: "ap-northeast-3",
            failover: "ap-northeast-1",
            zone: "jp",
            vpcCidr: "10.60.0.0/16",
            geolocation: { countries: [], continents: [] },
            globalData: false,
        },
        {
            region: "ap-southeast-2",
            failover: "ap-northeast-1",
            zone: "au",
            vpcCidr: "10.40.0.0/16",
            geolocation: { countries: ["AU", "NZ"], continents: [] },
            globalData: false,
        },
    );
    return validateTopology(raw, "fixture");
}

/**
 * The rollout order docs/operations.md gives for a topology whose cells all serve, written from
 * its rule rather than from delivery/: the canary `canary` first, then the other secondaries whose
 * users another region of their zone may serve, then those whose zone has no other region
 * (resident-only), the primary last; each group in the topology's order.
 */
export function documentedRolloutOrder(t: Topology, canary: string): [string, string][] {
    const fallback = (r: Topology["regions"][number]) =>
        (t.zones[r.zone] ?? []).some(
            (x) => x !== r.region && t.regions.some((q) => q.region === x),
        );
    const secondaries = t.regions.filter((r) => !r.primary && r.region !== canary);
    return [
        [canary, "canary"],
        ...secondaries.filter(fallback).map((r): [string, string] => [r.region, "secondary"]),
        ...secondaries
            .filter((r) => !fallback(r))
            .map((r): [string, string] => [r.region, "resident-only"]),
        ...t.regions.filter((r) => r.primary).map((r): [string, string] => [r.region, "primary"]),
    ];
}
