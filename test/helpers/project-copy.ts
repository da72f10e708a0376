/**
 * Copies of the repository's Pulumi*.yaml files with edits, for specs that plan another topology
 * or config through `planAll({ dir })` or `npm run plan -- --dir`. Temp dirs are removed when
 * the specs end (test/helpers/tmp.ts).
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { REPO_ROOT } from "../../plan/run";
import { baseStacks, baseTopologyOf } from "./base-topology";
import { tempDir } from "./tmp";

/** Parsed Pulumi*.yaml documents by file name. */
export type ProjectDocs = Record<string, { config: Record<string, unknown> }>;

/** Writes the repo's Pulumi*.yaml files, edited by `edit`, to a new temp dir; returns it. */
export function projectCopy(prefix: string, edit: (docs: ProjectDocs) => void): string {
    const dir = tempDir(prefix);
    const docs: ProjectDocs = {};
    for (const f of fs.readdirSync(REPO_ROOT).filter((x) => /^Pulumi(\..+)?\.yaml$/.test(x))) {
        docs[f] = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, f), "utf8"));
    }
    edit(docs);
    for (const [f, doc] of Object.entries(docs))
        fs.writeFileSync(path.join(dir, f), YAML.stringify(doc));
    return dir;
}

/** The project's topology value inside the parsed Pulumi.yaml. */
export function topologyOf(docs: ProjectDocs): {
    zones: Record<string, string[]>;
    regions: Record<string, unknown>[];
} {
    return (docs["Pulumi.yaml"].config["taskflow:topology"] as { value: never }).value;
}

/**
 * A copy cut down to the seed's four stacks (test/helpers/base-topology.ts), then edited: for
 * fixtures whose numbers must not move when a user adds a region to the repository.
 */
export function baseProjectCopy(prefix: string, edit: (docs: ProjectDocs) => void): string {
    return projectCopy(prefix, (docs) => {
        const decl = docs["Pulumi.yaml"].config["taskflow:topology"] as { value: never };
        decl.value = baseTopologyOf(decl.value) as never;
        const keep = baseStacks(decl.value);
        for (const f of Object.keys(docs)) {
            const m = /^Pulumi\.(.+)\.yaml$/.exec(f);
            if (m && !keep.includes(m[1])) delete docs[f];
        }
        edit(docs);
    });
}

/**
 * The six-stack fixture: the seed's four stacks plus ap-northeast-3 (Osaka) in zone jp and
 * ap-southeast-2 (Sydney) in a new zone au, geolocated for AU and NZ.
 */
export function sixStackProject(prefix = "report-six-"): string {
    return baseProjectCopy(prefix, (docs) => {
        const t = topologyOf(docs);
        t.zones.jp = [...t.zones.jp, "ap-northeast-3"];
        t.zones.au = ["ap-southeast-2"];
        t.regions.push(
            {
                region: "ap-northeast-3",
                failover: "ap-northeast-1",
                zone: "jp",
                vpcCidr: "10.40.0.0/16",
                globalData: false,
            },
            {
                region: "ap-southeast-2",
                failover: "ap-northeast-1",
                zone: "au",
                vpcCidr: "10.50.0.0/16",
                geolocation: { countries: ["AU", "NZ"], continents: [] },
                globalData: false,
            },
        );
        for (const region of ["ap-northeast-3", "ap-southeast-2"]) {
            docs[`Pulumi.${region}.yaml`] = {
                config: {
                    "aws:region": region,
                    "taskflow:role": "secondary",
                    "taskflow:minTasks": 2,
                    "taskflow:maxTasks": 8,
                },
            };
        }
    });
}
