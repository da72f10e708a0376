/**
 * `npm run plan -- --out <dir>` (in-process, test/helpers/cli.ts) on a copy of the project with
 * `taskflow:drills` enabled in every region stack: the files it writes show the cross-region
 * dashboard in the global stack (a widget row per region of the topology), the task parameters
 * under `/taskflow/<environment>/<region>/` in every region stack, and the FIS experiment
 * templates of every enabled drill in its region, each stopping on an alarm; 0 violations.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { FIS_DRILLS, DRILL_TAGS } from "../../model/drills";
import { EXIT } from "../../scripts/cli";
import { main as planMain } from "../../scripts/plan";
import { inProcessAsync } from "../helpers/cli";
import { projectCopy, topologyOf } from "../helpers/project-copy";
import { tempDir } from "../helpers/tmp";

interface PlanFile {
    stack: string;
    role: string;
    region: string;
    resources: { type: string; region: string; inputs: Record<string, unknown> }[];
    violations: unknown[];
}

const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
const PARAM = "aws:ssm/parameter:Parameter";
const TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate";

describe("npm run plan -- --out with drills enabled", function () {
    this.timeout(120_000);
    let files: PlanFile[];
    let topologyRegions: string[];

    before(async () => {
        const dir = projectCopy("plan-out-drills-", (docs) => {
            topologyRegions = topologyOf(docs).regions.map((r) => String(r.region));
            for (const [f, doc] of Object.entries(docs))
                if (f !== "Pulumi.yaml" && doc.config["taskflow:role"] !== "global")
                    doc.config["taskflow:drills"] = [...FIS_DRILLS];
        });
        const out = tempDir("plan-out-");
        const r = await inProcessAsync(planMain, ["--quiet", "--out", out, "--dir", dir]);
        expect(r.code, r.stderr).to.equal(EXIT.OK);
        files = fs
            .readdirSync(out)
            .filter((f) => f.endsWith(".json") && !f.startsWith("report"))
            .map((f) => JSON.parse(fs.readFileSync(path.join(out, f), "utf8")) as PlanFile);
    });

    const ofType = (f: PlanFile, type: string) => f.resources.filter((r) => r.type === type);
    const regionFiles = () => files.filter((f) => f.role !== "global");

    it("writes every stack, each with 0 violations", () => {
        expect(files.filter((f) => f.role === "global")).to.have.length(1);
        expect(regionFiles().map((f) => f.region)).to.have.members(topologyRegions);
        for (const f of files) expect(f.violations, f.stack).to.deep.equal([]);
    });

    it("shows the dashboard in the global stack only, with a widget for every region of the topology", () => {
        const [global] = files.filter((f) => f.role === "global");
        const dashboards = ofType(global, DASHBOARD);
        expect(dashboards).to.have.length(1);
        const body = JSON.parse(String(dashboards[0].inputs.dashboardBody)) as {
            widgets: { properties: { region?: string } }[];
        };
        const regions = new Set(body.widgets.map((w) => w.properties.region));
        for (const r of topologyRegions) expect([...regions], r).to.include(r);
        for (const f of regionFiles()) expect(ofType(f, DASHBOARD), f.stack).to.be.empty;
    });

    it("shows the task parameters in every region stack, under its own region's path", () => {
        for (const f of regionFiles()) {
            const names = ofType(f, PARAM).map((p) => String(p.inputs.name));
            const prefix = new RegExp(`^/taskflow/[a-z0-9-]+/${f.region}/[a-z0-9-]+$`);
            for (const n of names) expect(n, f.stack).to.match(prefix);
            for (const leaf of [
                "taskflow-role",
                "taskflow-residency-zone",
                "taskflow-writer-region",
            ])
                expect(
                    names.some((n) => n.endsWith(`/${leaf}`)),
                    `${f.stack}: ${leaf}`,
                ).to.equal(true);
            for (const p of ofType(f, PARAM))
                expect(p.region, String(p.inputs.name)).to.equal(f.region);
        }
        const [global] = files.filter((f) => f.role === "global");
        expect(ofType(global, PARAM)).to.be.empty;
    });

    it("shows one FIS template per enabled drill in every region stack, tagged for it and stopping on an alarm", () => {
        for (const f of regionFiles()) {
            const templates = ofType(f, TEMPLATE);
            const tags = templates.map((t) => t.inputs.tags as Record<string, string>);
            expect(tags.map((t) => t[DRILL_TAGS.drill]).sort(), f.stack).to.deep.equal(
                [...FIS_DRILLS].sort(),
            );
            for (const [i, t] of templates.entries()) {
                expect(t.region, f.stack).to.equal(f.region);
                expect(tags[i][DRILL_TAGS.region], f.stack).to.equal(f.region);
                const stops = t.inputs.stopConditions as { source: string; value: string }[];
                expect(stops, f.stack).to.have.length(1);
                expect(stops[0].source).to.equal("aws:cloudwatch:alarm");
                expect(stops[0].value).to.match(
                    new RegExp(`^arn:aws:cloudwatch:${f.region}:\\d{12}:alarm:`),
                );
            }
        }
    });
});
