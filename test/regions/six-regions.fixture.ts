/**
 * The six-stack fixture, written the way docs/operations.md ("Adding a region", "Widening a zone
 * or adding one") tells a user to: the repository's stack files, plus
 *
 * - ap-northeast-3 (Osaka) in zone `jp`, widened to allow it, holding a `jp` residency boundary
 *   whose table replicates to Tokyo (the zone's other region);
 * - ap-southeast-2 (Sydney) in a new zone `au`, geolocated for AU and NZ, holding an `au`
 *   residency boundary (table, bucket, Aurora cluster) that may not leave Sydney;
 *
 * each with its own Pulumi.<region>.yaml, and policies/policy-config.json widened the same way in
 * every residency policy's entry. Neither new region holds global data: every global-data
 * secondary joins the primary's ElastiCache Global Datastore, and the repository's two
 * secondaries already fill it (AWS allows two secondary regions).
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { cidrsOverlap } from "../../model/cidr";
import { PACK_CONFIG } from "../../plan/policy";
import { REPO_ROOT } from "../../plan/run";
import { tempDir } from "../helpers/tmp";

type Obj = Record<string, any>;

/** What the fixture adds, by region. */
export const ADDED = {
    osaka: { region: "ap-northeast-3", zone: "jp", failover: "ap-northeast-1" },
    sydney: { region: "ap-southeast-2", zone: "au", failover: "ap-northeast-1" },
} as const;

/** The first 10.x.0.0/16 from 10.40 up that overlaps none of `taken`. */
function freeCidr(taken: string[]): string {
    for (let x = 40; x < 256; x++) {
        const cidr = `10.${x}.0.0/16`;
        if (!taken.some((t) => cidrsOverlap(t, cidr))) return cidr;
    }
    throw new Error("no free 10.x.0.0/16 left for the fixture");
}

/** The changed topology value (zones widened, the two regions added). */
function widenTopology(topo: Obj): void {
    const added: string[] = [ADDED.osaka.region, ADDED.sydney.region];
    // A region the user already added is replaced by the fixture's own entry.
    topo.regions = (topo.regions as Obj[]).filter((r) => !added.includes(r.region));
    for (const [z, rs] of Object.entries(topo.zones as Record<string, string[]>))
        topo.zones[z] = rs.filter((r) => !added.includes(r));
    topo.zones.jp = [...topo.zones.jp, ADDED.osaka.region];
    topo.zones.au = [ADDED.sydney.region];
    const taken = (topo.regions as Obj[]).map((r) => r.vpcCidr as string);
    const osakaCidr = freeCidr(taken);
    const sydneyCidr = freeCidr([...taken, osakaCidr]);
    topo.regions.push(
        { ...ADDED.osaka, vpcCidr: osakaCidr, globalData: false },
        {
            ...ADDED.sydney,
            vpcCidr: sydneyCidr,
            geolocation: { countries: ["AU", "NZ"], continents: [] },
            globalData: false,
        },
    );
}

/** The pack config with the same zone change in every residency policy's entry. */
function widenPack(pack: Obj): Obj {
    for (const settings of Object.values(pack)) {
        if (!settings || typeof settings !== "object" || !settings.zones) continue;
        const zones = settings.zones as Record<string, string[]>;
        zones.jp = [...new Set([...(zones.jp ?? []), ADDED.osaka.region])];
        zones.au = [ADDED.sydney.region];
    }
    return pack;
}

/** Writes the fixture to a new temp dir and returns the dir. */
export function sixRegionProject(): string {
    const dir = tempDir("six-regions-");
    const read = (f: string) => YAML.parse(fs.readFileSync(path.join(REPO_ROOT, f), "utf8"));
    for (const f of fs.readdirSync(REPO_ROOT).filter((x) => /^Pulumi\..+\.yaml$/.test(x)))
        fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
    const project = read("Pulumi.yaml") as { config: Record<string, { value: Obj }> };
    const topo = project.config["taskflow:topology"].value;
    widenTopology(topo);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify(project));
    // A secondary's sizes as the repository writes them, in the new region.
    const secondary = (read("Pulumi.us-east-1.yaml") as { config: Obj }).config;
    const stackFile = (region: string, boundary: Obj) => ({
        config: { ...secondary, "aws:region": region, "taskflow:residencyBoundary": boundary },
    });
    const files: Record<string, Obj> = {
        [ADDED.osaka.region]: stackFile(ADDED.osaka.region, {
            zone: ADDED.osaka.zone,
            replicaRegions: topo.zones.jp.filter((r: string) => r !== ADDED.osaka.region),
        }),
        [ADDED.sydney.region]: stackFile(ADDED.sydney.region, {
            zone: ADDED.sydney.zone,
            aurora: true,
        }),
    };
    for (const [region, doc] of Object.entries(files))
        fs.writeFileSync(path.join(dir, `Pulumi.${region}.yaml`), YAML.stringify(doc));
    const pack = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, PACK_CONFIG), "utf8")) as Obj;
    fs.mkdirSync(path.join(dir, "policies"));
    fs.writeFileSync(path.join(dir, PACK_CONFIG), `${JSON.stringify(widenPack(pack), null, 2)}\n`);
    return dir;
}
