/**
 * A copy of the repository's stack files and committed pack config with a changed topology, as a
 * reviewer would write it to widen a zone or add regions: Pulumi.yaml's topology, one
 * Pulumi.<stack>.yaml per new region, and policies/policy-config.json with the pack's matrix
 * (and the stores the global stack writes to in the new regions) changed the same way. The copy
 * starts from the seed's stacks (test/helpers/base-topology.ts), not from whatever regions the
 * repository holds today, so the regions added here never collide with a region a user added.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PACK_CONFIG } from "../../plan/policy";
import { REPO_ROOT } from "../../plan/run";
import { baseRawTopology, basePackConfig, baseStacks } from "./base-topology";
import { tempDir } from "./tmp";

export interface NewRegion {
    region: string;
    zone: string;
    failover: string;
    vpcCidr: string;
    countries?: string[];
    /**
     * Default false: every global-data secondary joins the primary's ElastiCache Global Datastore,
     * which AWS caps at two secondaries, and the repository's two already fill it.
     */
    globalData?: boolean;
}

export interface TopologyChange {
    /** Zone → regions, merged into the program's zones (and the pack's, unless `packZones`). */
    zones: Record<string, string[]>;
    regions: NewRegion[];
    /** The pack's matrix, when it differs from the program's (default: the same widening). */
    packZones?: Record<string, string[]>;
    /** Whether the pack config declares the new regions' global assets buckets (default true). */
    declareAssets?: boolean;
    /** `globalData` of existing regions, changed (e.g. to free a Global Datastore slot). */
    existingGlobalData?: Record<string, boolean>;
}

type Obj = Record<string, any>;

/** Writes the changed copy to a new temp dir and returns it. */
export function topologyFixture(change: TopologyChange): string {
    const dir = tempDir("topology-");
    const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as {
        config: Record<string, { value?: Obj }>;
    };
    const topo = baseRawTopology();
    project.config["taskflow:topology"].value = topo;
    const stacks = baseStacks(topo);
    for (const [z, rs] of Object.entries(change.zones))
        topo.zones[z] = [...new Set([...(topo.zones[z] ?? []), ...rs])];
    for (const r of topo.regions as Obj[])
        if (change.existingGlobalData?.[r.region] !== undefined)
            r.globalData = change.existingGlobalData[r.region];
    for (const r of change.regions)
        topo.regions.push({
            region: r.region,
            failover: r.failover,
            zone: r.zone,
            vpcCidr: r.vpcCidr,
            geolocation: { countries: r.countries ?? [], continents: [] },
            globalData: r.globalData ?? false,
        });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify(project));
    for (const st of stacks)
        fs.copyFileSync(
            path.join(REPO_ROOT, `Pulumi.${st}.yaml`),
            path.join(dir, `Pulumi.${st}.yaml`),
        );
    const secondary = YAML.parse(
        fs.readFileSync(path.join(REPO_ROOT, "Pulumi.us-east-1.yaml"), "utf8"),
    ) as { config: Obj };
    for (const r of change.regions) {
        const doc = { config: { ...secondary.config, "aws:region": r.region } };
        fs.writeFileSync(path.join(dir, `Pulumi.${r.region}.yaml`), YAML.stringify(doc));
    }
    const pack = basePackConfig(
        JSON.parse(fs.readFileSync(path.join(REPO_ROOT, PACK_CONFIG), "utf8")) as Obj,
    );
    for (const settings of Object.values(pack)) {
        if (!settings || typeof settings !== "object" || !settings.zones) continue;
        const zones = settings.zones as Record<string, string[]>;
        for (const [z, rs] of Object.entries(change.packZones ?? change.zones))
            zones[z] = [...new Set([...(zones[z] ?? []), ...rs])];
        if (change.declareAssets !== false)
            for (const r of change.regions.filter((x) => x.globalData))
                settings.stores[`taskflow-prod-assets-${settings.account}-global-${r.region}`] = {
                    classification: "global",
                    region: r.region,
                };
    }
    fs.mkdirSync(path.join(dir, "policies"));
    fs.writeFileSync(path.join(dir, PACK_CONFIG), `${JSON.stringify(pack, null, 2)}\n`);
    return dir;
}

/** Osaka (ap-northeast-3) joins zone `jp` as a secondary region. */
export const OSAKA: TopologyChange = {
    zones: { jp: ["ap-northeast-3"] },
    regions: [
        {
            region: "ap-northeast-3",
            zone: "jp",
            failover: "ap-northeast-1",
            vpcCidr: "10.40.0.0/16",
        },
    ],
};

/**
 * Osaka joining zone `jp` holding global data, in the Global Datastore slot eu-west-1 gives up
 * (AWS allows two secondaries): the global stack then replicates assets to Osaka.
 */
export const OSAKA_GLOBAL_DATA: TopologyChange = {
    ...OSAKA,
    regions: [{ ...OSAKA.regions[0], globalData: true }],
    existingGlobalData: { "eu-west-1": false },
};

/** Six region stacks: Osaka in `jp`, Oregon in `us`, Sydney in a new zone `au`. */
export const SIX_REGIONS: TopologyChange = {
    zones: { jp: ["ap-northeast-3"], us: ["us-west-2"], au: ["ap-southeast-2"] },
    regions: [
        {
            region: "ap-northeast-3",
            zone: "jp",
            failover: "ap-northeast-1",
            vpcCidr: "10.40.0.0/16",
        },
        { region: "us-west-2", zone: "us", failover: "us-east-1", vpcCidr: "10.50.0.0/16" },
        {
            region: "ap-southeast-2",
            zone: "au",
            failover: "ap-northeast-1",
            vpcCidr: "10.60.0.0/16",
            countries: ["AU", "NZ"],
        },
    ],
};

/** The committed pack config cut down to the seed's regions, written to a temp file: its path. */
export function seedPackConfigFile(): string {
    const file = path.join(tempDir("seed-pack-"), "policy-config.json");
    const pack = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, PACK_CONFIG), "utf8")) as Obj;
    fs.writeFileSync(file, `${JSON.stringify(basePackConfig(pack), null, 2)}\n`);
    return file;
}
