import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(ROOT, "test", "fixtures", "plans");

/** Runs the script the way `npm run policy:check` does (same command, without npm's startup). */
function policyCheck(...files: string[]) {
    const r = spawnSync(
        process.execPath,
        ["-r", "./scripts/register.js", "scripts/policy-check.ts", ...files],
        {
            cwd: ROOT,
            encoding: "utf8",
        },
    );
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of a fixture plan with one resource changed, written into `dir`. */
function variant(
    dir: string,
    fixture: string,
    name: string,
    change: (r: Record<string, any>) => void,
): string {
    const plan = JSON.parse(fs.readFileSync(path.join(FIXTURES, fixture), "utf8"));
    const r = plan.resources.find((x: { name: string }) => x.name === name);
    change(r);
    const file = path.join(dir, `${name}-${fs.readdirSync(dir).length}.json`);
    fs.writeFileSync(file, JSON.stringify(plan));
    return file;
}

describe("npm run policy:check", () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-region-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const BUCKET_URN =
        "urn:pulumi:eu-west-1::taskflow::taskflow:residency:ResidencyBoundary$aws:s3/bucket:Bucket::residency-bucket";

    it("exits 2 naming the resource when its region contradicts its provider's region", () => {
        const file = variant(dir, "eu-boundary-clean.json", "residency-bucket", (r) => {
            r.region = "us-east-1";
        });
        const r = policyCheck(file);
        expect(r.code, r.stdout).to.equal(2);
        expect(r.stderr).to.include(
            `policy:check: invalid input, nothing evaluated: ${file}: resources[2] (${BUCKET_URN}): region "us-east-1" contradicts providerRegion "eu-west-1"`,
        );
    });

    it("exits 2 when a resource's region contradicts its own region input", () => {
        const file = variant(dir, "eu-boundary-clean.json", "residency-bucket", (r) => {
            r.inputs.region = "eu-west-1";
            r.region = "us-east-1";
            r.providerRegion = "us-east-1";
        });
        const r = policyCheck(file);
        expect(r.code, r.stdout).to.equal(2);
        expect(r.stderr).to.include(
            `resources[2] (${BUCKET_URN}): region "us-east-1" contradicts inputs.region "eu-west-1"`,
        );
    });

    it("exits 2 when a data store claims the global services' region", () => {
        const file = variant(dir, "eu-boundary-clean.json", "residency-key", (r) => {
            r.region = "global";
        });
        const r = policyCheck(file);
        expect(r.code, r.stdout).to.equal(2);
        expect(r.stderr).to.include(
            `region "global" is documented for global services only, but aws:kms/key:Key is a regional data store`,
        );
    });

    it("judges a resource in its documented region", () => {
        // No provider recorded: the documented region is all there is, and it is outside eu.
        const file = variant(dir, "eu-boundary-clean.json", "residency-key", (r) => {
            r.region = "us-east-1";
            r.providerRegion = null;
        });
        const r = policyCheck(file);
        expect(r.code, r.stderr).to.equal(1);
        expect(r.stdout).to.include(
            "aws:kms/key:Key 'residency-key' (zone eu) is in region us-east-1; rule: zone 'eu' data may only be stored in eu-west-1",
        );
    });

    it("exits 1 naming the rule when an EU bucket replicates to us-east-1", () => {
        const r = policyCheck(path.join(FIXTURES, "eu-bucket-replicates-to-us.json"));
        expect(r.code, r.stderr).to.equal(1);
        expect(r.stdout).to.include("[mandatory] eu-west-1 residency-replication-wiring");
        expect(r.stdout).to.include("BucketReplicationConfig::residency-bucket-replication");
        expect(r.stdout).to.include(
            "S3 replication from aws:s3/bucket:Bucket 'residency-bucket' (zone eu, region eu-west-1)",
        );
        expect(r.stdout).to.include(
            "in region us-east-1; rule: zone 'eu' data may only be stored in eu-west-1",
        );
        expect(r.stdout).to.include("1 mandatory");
    });

    it("exits 0 on the clean EU boundary planned with the us stack", () => {
        const r = policyCheck(
            path.join(FIXTURES, "eu-boundary-clean.json"),
            path.join(FIXTURES, "us-bucket.json"),
        );
        expect(r.code, r.stdout + r.stderr).to.equal(0);
        expect(r.stdout).to.include("2 stack(s), 9 resource(s): 0 mandatory");
    });

    it("exits 2 with the file and field on invalid input, and on no input", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
        const bad = path.join(dir, "bad.json");
        fs.writeFileSync(
            bad,
            JSON.stringify({
                stack: "x",
                region: "eu-west-1",
                resources: [{ urn: "u", type: "t", name: "n" }],
            }),
        );
        const r = policyCheck(bad);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.include(`${bad}: resources[0].inputs must be an object`);
        const missing = policyCheck(path.join(dir, "missing.json"));
        expect(missing.code).to.equal(2);
        expect(missing.stderr).to.include("cannot be read (ENOENT)");
        fs.writeFileSync(bad, "{ not json");
        expect(policyCheck(bad).stderr).to.include("is not JSON");
        expect(policyCheck().code).to.equal(2);
        fs.rmSync(dir, { recursive: true });
    });
});
