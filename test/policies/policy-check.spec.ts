import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { COMMITTED_PACK_CONFIG } from "../../policies/config";
import { main } from "../../scripts/policy-check";
import { inProcess, spawnScript } from "../helpers/cli";
import { tempDir } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(ROOT, "test", "fixtures", "plans");

/** The script's `main` in this process (test/helpers/cli.ts); the last spec runs the real command. */
function policyCheck(...files: string[]) {
    return inProcess(main, files);
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
    before(() => (dir = tempDir("policy-check-region-")));
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

    it("applies --policy-config: the residency matrix and enforcement levels", () => {
        // The EU boundary's key moved to eu-central-1: outside seed 000's eu zone.
        const file = variant(dir, "eu-boundary-clean.json", "residency-key", (r) => {
            r.region = "eu-central-1";
            r.providerRegion = "eu-central-1";
        });
        const outside = policyCheck(file);
        expect(outside.code, outside.stderr).to.equal(1);
        expect(outside.stdout).to.include("'residency-key' (zone eu) is in region eu-central-1");

        const zones = {
            eu: ["eu-west-1", "eu-central-1"],
            us: ["us-east-1"],
            jp: ["ap-northeast-1"],
        };
        // The committed pack config with the eu zone widened on every residency policy.
        const committed = JSON.parse(fs.readFileSync(COMMITTED_PACK_CONFIG, "utf8"));
        const widenedConfig = Object.fromEntries(
            Object.entries(committed).map(([k, v]) => [k, { ...(v as object), zones }]),
        );
        const wide = path.join(dir, "wide.json");
        fs.writeFileSync(wide, JSON.stringify(widenedConfig));
        const widened = policyCheck("--policy-config", wide, file);
        expect(widened.code, widened.stdout + widened.stderr).to.equal(0);
        expect(widened.stdout).to.include("0 mandatory, 0 advisory");

        const advisory = path.join(dir, "advisory.json");
        fs.writeFileSync(
            advisory,
            JSON.stringify({
                ...committed,
                "residency-region-outside-zone": {
                    ...committed["residency-region-outside-zone"],
                    enforcementLevel: "advisory",
                },
            }),
        );
        const warned = policyCheck(file, "--policy-config", advisory);
        expect(warned.code, warned.stderr).to.equal(0);
        expect(warned.stdout).to.include("[advisory] eu-west-1 residency-region-outside-zone");
        expect(warned.stdout).to.include("0 mandatory, 1 advisory");
    });

    it("exits 2 on a policy config it cannot apply, naming the file and the key", () => {
        const clean = path.join(FIXTURES, "eu-boundary-clean.json");
        const partial = path.join(dir, "partial.json");
        fs.writeFileSync(
            partial,
            JSON.stringify({ "residency-data-flow": { zones: { eu: ["eu-central-1"] } } }),
        );
        const r = policyCheck("--policy-config", partial, clean);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.include(
            `policy:check: invalid policy config, nothing evaluated: ${partial}: the residency settings (the matrix "zones", and account, stores, gdprZone, gdprCountries) must be the same on every residency policy`,
        );
        const missing = policyCheck("--policy-config", path.join(dir, "nope.json"), clean);
        expect(missing.code).to.equal(2);
        expect(missing.stderr).to.include("nope.json: cannot be read (ENOENT)");
        const noFile = policyCheck(clean, "--policy-config");
        expect(noFile.code).to.equal(2);
        expect(noFile.stderr).to.include("--policy-config needs a file");
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
        // Each file is judged on its own, as the CLI judges one stack: the destination is in the
        // us stack's file, which proves nothing here; its name proves nothing either.
        for (const files of [
            [path.join(FIXTURES, "eu-bucket-replicates-to-us.json")],
            [
                path.join(FIXTURES, "eu-bucket-replicates-to-us.json"),
                path.join(FIXTURES, "us-bucket.json"),
            ],
        ]) {
            const r = policyCheck(...files);
            expect(r.code, r.stderr).to.equal(1);
            expect(r.stdout).to.include("[mandatory] eu-west-1 residency-data-flow");
            expect(r.stdout).to.include("BucketReplicationConfig::residency-bucket-replication");
            expect(r.stdout).to.include(
                "sends zone 'eu' data of aws:s3/bucket:Bucket 'residency-bucket' to a store named 'taskflow-prod-userdata-us-us-east-1' that no plan of this stack shows",
            );
            expect(r.stdout).to.include("rule: zone 'eu' data may only be stored in eu-west-1");
            expect(r.stdout).to.include("1 mandatory");
        }
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
        const dir = tempDir("policy-check-");
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

describe("npm run policy:check, the command itself", function () {
    this.timeout(60000);

    it("exits with main's code and prints what main prints (1 on a violation, 2 on bad usage)", () => {
        const file = path.join(FIXTURES, "eu-bucket-replicates-to-us.json");
        const run = spawnScript("scripts/policy-check.ts", [file]);
        const direct = policyCheck(file);
        expect(direct.code).to.equal(1);
        expect(run.code, run.stderr).to.equal(1);
        expect(run.stdout).to.equal(direct.stdout);
        const usage = spawnScript("scripts/policy-check.ts", []);
        expect(usage.code).to.equal(2);
        expect(usage.stderr).to.include("policy:check: no plan file given");
    });
});
