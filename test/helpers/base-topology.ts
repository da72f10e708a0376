/**
 * The topology every fixture starts from: the seed's three region stacks and the global stack,
 * cut out of the repository's own Pulumi.yaml. A user who adds a region (docs/operations.md,
 * "Adding a region") changes the real stacks, never a fixture: the fixtures' regions, counts and
 * CIDRs stay as their specs wrote them, and a region a fixture adds cannot collide with one the
 * user added (duplicate region, overlapping VPC CIDR).
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { REPO_ROOT } from "../../plan/run";

type Obj = Record<string, any>;

/** The seed's region stacks, primary first. */
export const BASE_REGIONS: readonly string[] = ["ap-northeast-1", "us-east-1", "eu-west-1"];

/** Pulumi.yaml of the repository, parsed. */
export function repoProjectDoc(): { config: Record<string, { value?: Obj }> } & Obj {
    return YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as never;
}

/** Zone lists cut down to the seed's regions; a zone left empty is dropped. */
export function baseZones(zones: Record<string, string[]>): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [z, rs] of Object.entries(zones)) {
        const kept = rs.filter((r) => BASE_REGIONS.includes(r));
        if (kept.length > 0) out[z] = kept;
    }
    return out;
}

/** A raw `taskflow:topology` value cut down to the seed's regions (a changed copy). */
export function baseTopologyOf(raw: Obj): Obj {
    const t = JSON.parse(JSON.stringify(raw)) as Obj;
    t.regions = (t.regions as Obj[]).filter((r) => BASE_REGIONS.includes(r.region as string));
    t.zones = baseZones(t.zones as Record<string, string[]>);
    return t;
}

/** The repository's raw topology cut down to the seed's regions. */
export function baseRawTopology(): Obj {
    return baseTopologyOf(repoProjectDoc().config["taskflow:topology"].value!);
}

/** The stack names of the base topology: its region stacks and the global stack. */
export function baseStacks(raw: Obj = baseRawTopology()): string[] {
    return [
        ...(raw.regions as Obj[]).map((r) => (r.stack ?? r.region) as string),
        (raw.globalStack ?? "global") as string,
    ];
}

/** A policy pack config (policies/policy-config.json) cut down to the seed's regions. */
export function basePackConfig(pack: Obj): Obj {
    const out = JSON.parse(JSON.stringify(pack)) as Obj;
    for (const settings of Object.values(out)) {
        if (!settings || typeof settings !== "object" || !settings.zones) continue;
        settings.zones = baseZones(settings.zones as Record<string, string[]>);
        const stores = (settings.stores ?? {}) as Record<string, Obj>;
        for (const [name, s] of Object.entries(stores))
            if (typeof s.region === "string" && !BASE_REGIONS.includes(s.region))
                delete stores[name];
    }
    return out;
}
