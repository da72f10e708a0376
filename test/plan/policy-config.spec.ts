/**
 * `npm run plan -- --policy-config <file>`: the offline plan applies the same policy config file
 * `pulumi preview --policy-config` takes, so a stricter zone matrix fails the real stacks and a
 * malformed file stops the plan before anything is planned.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { evaluatorFor } from "../../plan/policy";
import { allPolicies } from "../../policies/all";
import { PolicyConfigError, residencyPolicyConfig } from "../../policies/config";
import { main as planMain } from "../../scripts/plan";
import { inProcessAsync } from "../helpers/cli";
import { removeTempDirs, tempDir } from "../helpers/tmp";

describe("plan: --policy-config", function () {
    this.timeout(60_000);
    after(removeTempDirs);

    it("plans under the file's zone matrix: a jp zone moved to us-east-1 fails Tokyo's jp data", async () => {
        const dir = tempDir("taskflow-policy-config-");
        const file = path.join(dir, "policy-config.json");
        const zones = { eu: ["eu-west-1"], us: ["us-east-1", "ap-northeast-1"], jp: ["us-east-1"] };
        fs.writeFileSync(file, JSON.stringify(residencyPolicyConfig(zones, allPolicies)));
        // Tokyo's stack alone (the primary: nothing upstream), the stack whose jp data is refused.
        const {
            code: status,
            stdout,
            stderr,
        } = await inProcessAsync(planMain, ["--stack", "ap-northeast-1", "--policy-config", file]);
        const r = { status, stdout, stderr };
        expect(r.status, r.stderr).to.equal(1);
        expect(r.stdout).to.match(
            /\[mandatory\] {2}residency-region-outside-zone {2}\(aws:kms:Key: cell-kms\)\n {10}aws:kms\/key:Key 'cell-kms' \(zone jp\) is in region ap-northeast-1/,
        );
        // (Without the file the same stacks plan clean: test/policies/real-stacks.spec.ts.)
    });

    it("refuses a file that sets the matrix on some residency policies only, naming the file", async () => {
        const dir = tempDir("taskflow-policy-config-");
        const file = path.join(dir, "partial.json");
        fs.writeFileSync(
            file,
            JSON.stringify({ "residency-region-outside-zone": { zones: { eu: ["eu-west-1"] } } }),
        );
        expect(() => evaluatorFor(file)).to.throw(PolicyConfigError, /partial\.json/);
        const {
            code: status,
            stdout,
            stderr,
        } = await inProcessAsync(planMain, ["--policy-config", file]);
        const r = { status, stdout, stderr };
        expect(r.status).to.equal(2);
        expect(r.stderr).to.contain("partial.json");
    });
});
