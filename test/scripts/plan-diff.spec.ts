/** npm run plan:diff: two sets of plan files compared URN by URN. */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { planDifferences, valueDifferences } from "../../scripts/plan-diff";
import { REPO_ROOT } from "../../plan/run";
import { tempDir } from "../helpers/tmp";

const resource = (urn: string, inputs: Record<string, unknown>, parent: string | null = null) => ({
    urn,
    type: "aws:s3/bucket:Bucket",
    parent,
    inputs,
    options: { dependsOn: [] as string[] },
});

describe("plan-diff (scripts/plan-diff.ts)", () => {
    it("names the path of every changed, added and removed value", () => {
        expect(
            valueDifferences({ a: 1, b: { c: [1, 2] }, d: "x" }, { a: 1, b: { c: [1, 3] }, e: 0 }),
        ).to.deep.equal([
            { path: "b.c[1]", a: 2, b: 3 },
            { path: "d", a: "x", b: undefined },
            { path: "e", a: undefined, b: 0 },
        ]);
        expect(valueDifferences({ k: [1] }, { k: [1] })).to.deep.equal([]);
    });

    it("compares resources by URN: a rename is a removal and an addition, a parent change shows", () => {
        const before = {
            resources: [resource("urn:a", { bucket: "x" }), resource("urn:b", {}, "urn:p")],
            outputs: { o: 1 },
        };
        const after = {
            resources: [resource("urn:a2", { bucket: "x" }), resource("urn:b", {}, "urn:q")],
            outputs: { o: 1 },
        };
        const diffs = planDifferences("s", before, after).map((d) => `${d.where} ${d.path}`);
        expect(diffs).to.deep.equal(["urn:a ", "urn:a2 ", "urn:b parent"]);
        expect(planDifferences("s", before, before)).to.deep.equal([]);
    });

    it("exits 0 on identical directories and 1 on a difference, naming it", () => {
        const a = tempDir("taskflow-plandiff-");
        const b = tempDir("taskflow-plandiff-");
        const plan = { resources: [resource("urn:a", { bucket: "x" })], outputs: {} };
        fs.writeFileSync(path.join(a, "s.json"), JSON.stringify(plan));
        fs.writeFileSync(path.join(b, "s.json"), JSON.stringify(plan));
        const run = () =>
            spawnSync(
                process.execPath,
                ["-r", "./scripts/register.js", "scripts/plan-diff.ts", a, b],
                {
                    cwd: REPO_ROOT,
                    encoding: "utf8",
                },
            );
        expect(run().status).to.equal(0);
        plan.resources[0].inputs.bucket = "y";
        fs.writeFileSync(path.join(b, "s.json"), JSON.stringify(plan));
        const changed = run();
        expect(changed.status).to.equal(1);
        expect(changed.stdout).to.include("urn:a  inputs.bucket");
    });
});
