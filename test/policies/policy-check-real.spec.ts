/**
 * Issue 6, "Done when": the policy:check CLI over the real program's plan files, written the way
 * `npm run plan -- --out <dir>` writes them, with eu-west-1.json edited so the ResidencyBoundary's
 * data would leave the zone.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { planToJson, StackPlan } from "../../plan/run";
import { repoPlan } from "../helpers/repo-plan";
import { tempDir } from "../helpers/tmp";
import { repoStacks } from "../helpers/repo-topology";

const ROOT = path.resolve(__dirname, "..", "..");
const BOUNDARY = "taskflow:residency:ResidencyBoundary$";

function policyCheck(files: string[]) {
    const r = spawnSync(
        process.execPath,
        ["-r", "./scripts/register.js", "scripts/policy-check.ts", ...files],
        { cwd: ROOT, encoding: "utf8" },
    );
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run policy:check on the real plan files", function () {
    this.timeout(60000);
    let dir: string;
    let plans: StackPlan[];

    before(async () => {
        plans = (await repoPlan()).map((p) => p.plan);
        dir = tempDir("policy-check-real-");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** Writes every stack's plan file into a fresh directory, eu-west-1.json edited by `edit`. */
    function writePlans(name: string, edit?: (eu: StackPlan) => void): string[] {
        const out = path.join(dir, name);
        fs.mkdirSync(out);
        return plans.map((p) => {
            const plan = JSON.parse(planToJson(p)) as StackPlan;
            if (plan.stack === "eu-west-1") edit?.(plan);
            const file = path.join(out, `${plan.stack}.json`);
            fs.writeFileSync(file, JSON.stringify(plan, null, 2));
            return file;
        });
    }

    /** The ResidencyBoundary's one resource of a type. */
    function boundary(eu: StackPlan, type: string) {
        const found = eu.resources.filter((r) => r.urn.includes(`${BOUNDARY}${type}::`));
        expect(
            found.map((r) => r.urn),
            type,
        ).to.have.length(1);
        return found[0];
    }

    it("exits 0 on the files as planned", () => {
        const r = policyCheck(writePlans("clean"));
        expect(r.code, r.stdout + r.stderr).to.equal(0);
        expect(r.stdout).to.include(`${repoStacks().length} stack(s)`);
        expect(r.stdout).to.include("0 mandatory, 0 advisory violation(s)");
    });

    it("exits 1 naming the rule and the table when the EU table gets a replica in us-east-1", () => {
        let urn = "";
        const files = writePlans("eu-table-replica", (eu) => {
            const table = boundary(eu, "aws:dynamodb/table:Table");
            urn = table.urn;
            table.inputs.replicas = [
                {
                    regionName: "us-east-1",
                    kmsKeyArn:
                        "arn:aws:kms:us-east-1:123456789012:key/mrk-d34374665ba112d3882486097b6b21d7",
                    deletionProtectionEnabled: true,
                    pointInTimeRecovery: true,
                },
            ];
        });
        const r = policyCheck(files);
        expect(r.code, r.stderr).to.equal(1);
        expect(r.stdout).to.include(
            `[mandatory] eu-west-1 residency-replication-out-of-zone\n    ${urn}\n    aws:dynamodb/table:Table 'residency-table' (zone eu, region eu-west-1) has a DynamoDB replica in us-east-1; rule: zone 'eu' data may only be stored in eu-west-1 and must not replicate elsewhere`,
        );
        expect(r.stdout).to.include("1 mandatory, 0 advisory violation(s)");
    });

    it("exits 1 naming the rule and the cluster when the EU Aurora cluster joins the global cluster", () => {
        let urn = "";
        const files = writePlans("eu-cluster-global", (eu) => {
            const cluster = boundary(eu, "aws:rds/cluster:Cluster");
            urn = cluster.urn;
            cluster.inputs.globalClusterIdentifier = "taskflow-prod-aurora";
        });
        const r = policyCheck(files);
        expect(r.code, r.stderr).to.equal(1);
        expect(r.stdout).to.include(
            `[mandatory] eu-west-1 residency-replication-out-of-zone\n    ${urn}\n    aws:rds/cluster:Cluster 'residency-db' (zone eu, region eu-west-1) is a member of Aurora global cluster taskflow-prod-aurora; rule: zone 'eu' data may only be stored in eu-west-1 and must not replicate elsewhere`,
        );
        expect(r.stdout).to.include("1 mandatory, 0 advisory violation(s)");
    });
});
