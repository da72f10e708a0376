/** The plan CLI refuses configs that would put zone data outside the pack's zone matrix. */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as YAML from "yaml";
import { PACK_CONFIG } from "../../../plan/policy";
import { REPO_ROOT } from "../../../plan/run";
import { main as planMain } from "../../../scripts/plan";
import { inProcessAsync } from "../../helpers/cli";
import { tempDir } from "../../helpers/tmp";

/** Writes a copy of the project's stack files into a temp dir, edited; returns the dir. */
function editedStackFiles(edit: (project: any, stacks: Record<string, any>) => void): string {
    const dir = tempDir("residency-plan-");
    const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"));
    const stacks: Record<string, any> = {};
    for (const f of fs.readdirSync(REPO_ROOT).filter((x) => /^Pulumi\..+\.yaml$/.test(x)))
        stacks[f] = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, f), "utf8"));
    edit(project, stacks);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify(project));
    for (const [f, doc] of Object.entries(stacks))
        fs.writeFileSync(path.join(dir, f), YAML.stringify(doc));
    return dir;
}

/** The regions the committed pack config lets zone `zone` store its data in, as its rule names them. */
function packZone(zone: string): string {
    const pack = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, PACK_CONFIG), "utf8"));
    return (pack["residency-region-outside-zone"].zones[zone] as string[]).join(", ");
}

/** The topology's zone `zone` widened by `region` (whatever regions the repository puts there). */
function widened(project: any, zone: string, region: string): string[] {
    return [...project.config["taskflow:topology"].value.zones[zone], region];
}

/**
 * `npm run plan -- --dir <dir> --stack <stack>`: the command's main in this process (the plan
 * CLI's own process wiring is run once, in test/plan/run.spec.ts).
 */
async function planCli(dir: string, stack: string) {
    const r = await inProcessAsync(planMain, ["--dir", dir, "--stack", stack]);
    fs.rmSync(dir, { recursive: true });
    return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run plan on a config that would put zone data outside the pack's zone matrix", function () {
    this.timeout(60000);

    // The topology may widen a zone, but the pack's matrix (policy config, docs/requirements.md) is the
    // authority. Zone jp is used where the edge would otherwise refuse the config first: the
    // edge pins the GDPR zone (eu) to exactly one region (config/edge.ts,
    // edgeResidencyOf), so a widened eu never reaches the pack.

    it("refuses a boundary in a region the topology allows but the pack does not, naming the rule", async () => {
        const dir = editedStackFiles((project, stacks) => {
            project.config["taskflow:topology"].value.zones.jp = widened(
                project,
                "jp",
                "us-east-1",
            );
            stacks["Pulumi.us-east-1.yaml"].config["taskflow:residencyBoundary"] = {
                zone: "jp",
                aurora: false,
            };
        });
        const r = await planCli(dir, "us-east-1");
        expect(r.status, r.stderr).to.equal(1);
        expect(r.stdout).to.include(
            `[mandatory]  residency-region-outside-zone  (aws:dynamodb:Table: residency-table)\n          aws:dynamodb/table:Table 'residency-table' (zone jp) is in region us-east-1; rule: zone 'jp' data may only be stored in ${packZone("jp")}`,
        );
    });

    it("refuses zone-table replicas in a region the topology allows but the pack does not (replicaRegions)", async () => {
        const dir = editedStackFiles((project, stacks) => {
            project.config["taskflow:topology"].value.zones.jp = widened(
                project,
                "jp",
                "us-east-1",
            );
            stacks["Pulumi.ap-northeast-1.yaml"].config["taskflow:residencyBoundary"] = {
                zone: "jp",
                aurora: false,
                replicaRegions: ["us-east-1"],
            };
        });
        const r = await planCli(dir, "ap-northeast-1");
        expect(r.status, r.stderr).to.equal(1);
        expect(r.stdout).to.include(
            "[mandatory]  residency-replication-out-of-zone  (aws:dynamodb:Table: residency-table)\n          aws:dynamodb/table:Table 'residency-table' (zone jp, region ap-northeast-1) has a DynamoDB replica in us-east-1",
        );
    });

    it("refuses an EU replica in eu-central-1 when the program's topology widens eu to Frankfurt: the pack's matrix says eu-west-1 only", async () => {
        const dir = editedStackFiles((project, stacks) => {
            project.config["taskflow:topology"].value.zones.eu = widened(
                project,
                "eu",
                "eu-central-1",
            );
            stacks["Pulumi.eu-west-1.yaml"].config["taskflow:residencyBoundary"] = {
                zone: "eu",
                aurora: false,
                replicaRegions: ["eu-central-1"],
            };
        });
        const r = await planCli(dir, "eu-west-1");
        expect(r.status, r.stderr).to.equal(1);
        expect(r.stdout).to.include(
            "[mandatory]  residency-replication-out-of-zone  (aws:dynamodb:Table: residency-table)\n          aws:dynamodb/table:Table 'residency-table' (zone eu, region eu-west-1) has a DynamoDB replica in eu-central-1",
        );
    });

    it("refuses, before planning, a topology that gives the EU zone a second stack region (us-east-1)", async () => {
        const dir = editedStackFiles((project, stacks) => {
            project.config["taskflow:topology"].value.zones.eu = widened(
                project,
                "eu",
                "us-east-1",
            );
            stacks["Pulumi.eu-west-1.yaml"].config["taskflow:residencyBoundary"] = {
                zone: "eu",
                aurora: false,
                replicaRegions: ["us-east-1"],
            };
        });
        const r = await planCli(dir, "eu-west-1");
        expect(r.status, r.stderr).to.equal(2);
        expect(r.stderr).to.include("taskflow:topology.zones.eu");
        expect(r.stdout).to.not.include("== stack");
    });
});
