/**
 * `npm run plan -- --policy-config <file>`: the offline plan applies the same policy config file
 * `pulumi preview --policy-config` takes, so a stricter zone matrix fails the real stacks and a
 * malformed file stops the plan before anything is planned.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { evaluatorFor } from "../../plan/policy";
import { REPO_ROOT } from "../../plan/run";
import { allPolicies } from "../../policies/all";
import { PolicyConfigError, residencyPolicyConfig } from "../../policies/config";
import { removeTempDirs, tempDir } from "../helpers/tmp";

describe("plan: --policy-config", function () {
    this.timeout(60_000);
    after(removeTempDirs);

    it("plans under the file's zone matrix: a jp zone moved to us-east-1 fails Tokyo's jp data", () => {
        const dir = tempDir("taskflow-policy-config-");
        const file = path.join(dir, "policy-config.json");
        const zones = { eu: ["eu-west-1"], us: ["us-east-1", "ap-northeast-1"], jp: ["us-east-1"] };
        fs.writeFileSync(file, JSON.stringify(residencyPolicyConfig(zones, allPolicies)));
        const r = spawnSync(
            process.execPath,
            ["-r", "./scripts/register.js", "scripts/plan.ts", "--policy-config", file],
            { cwd: REPO_ROOT, encoding: "utf8" },
        );
        expect(r.status, r.stderr).to.equal(1);
        expect(r.stdout).to.match(
            /\[mandatory\] residency-region-outside-zone: aws:kms\/key:Key 'cell-kms' \(zone jp\) is in region ap-northeast-1/,
        );
        // (Without the file the same stacks plan clean: test/policies/real-stacks.spec.ts.)
    });

    it("refuses a file that sets the matrix on some residency policies only, naming the file", () => {
        const dir = tempDir("taskflow-policy-config-");
        const file = path.join(dir, "partial.json");
        fs.writeFileSync(
            file,
            JSON.stringify({ "residency-region-outside-zone": { zones: { eu: ["eu-west-1"] } } }),
        );
        expect(() => evaluatorFor(file)).to.throw(PolicyConfigError, /partial\.json/);
        const r = spawnSync(
            process.execPath,
            ["-r", "./scripts/register.js", "scripts/plan.ts", "--policy-config", file],
            { cwd: REPO_ROOT, encoding: "utf8" },
        );
        expect(r.status).to.equal(2);
        expect(r.stderr).to.contain("partial.json");
    });
});
