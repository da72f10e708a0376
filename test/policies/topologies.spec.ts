// Larger topologies with the pack config changed as docs/operations.md says: Osaka widening zone
// `jp` (through the plan command's `main`, run in this process: the command line's own wiring is
// proven by test/plan/run.spec.ts), a fourth region in a new zone, and
// six region stacks. Each plans clean only when the committed pack config is changed with the
// program's topology: the pack's matrix is independent of the program's on purpose.

import { expect } from "chai";
import { defaultPackConfig, evaluatorFor } from "../../plan/policy";
import { planAll } from "../../plan/run";
import { main as planMain } from "../../scripts/plan";
import { inProcessAsync } from "../helpers/cli";
import {
    OSAKA,
    OSAKA_GLOBAL_DATA,
    SIX_REGIONS,
    seedPackConfigFile,
    topologyFixture,
} from "../helpers/topology-fixture";
import { removeTempDirs } from "../helpers/tmp";

/** `npm run plan -- <args>`: its exit code and everything it printed. */
async function npmPlan(args: string[]): Promise<{ status: number | null; out: string }> {
    const res = await inProcessAsync(planMain, args);
    return { status: res.code, out: `${res.stdout}\n${res.stderr}` };
}

async function violations(dir: string): Promise<string[]> {
    const planned = await planAll({ dir, evaluate: evaluatorFor(defaultPackConfig(dir)) });
    return planned.flatMap((p) =>
        p.plan.violations.map((v) => `${p.plan.stack}: ${v.policy}: ${v.message}`),
    );
}

describe("topologies beyond the real one (pack config changed with the topology)", function () {
    this.timeout(240000);
    after(removeTempDirs);

    describe("Osaka (ap-northeast-3) added to zone jp", () => {
        let dir: string;
        before(() => (dir = topologyFixture(OSAKA)));

        it("plans clean with `npm run plan -- --dir` (the copy's own policies/policy-config.json)", async () => {
            const res = await npmPlan(["--dir", dir, "--quiet"]);
            expect(res.status, res.out).to.equal(0);
        });

        it("is refused with the seed's unwidened pack config: the pack's matrix decides, not the program's", async () => {
            // Osaka's stack alone (with the primary upstream of it, for its outputs): the refusal is
            // of its own KMS key, and the whole copy is planned clean by the test above.
            const res = await npmPlan([
                "--dir",
                dir,
                "--stack",
                "ap-northeast-3",
                "--policy-pack-config",
                seedPackConfigFile(),
            ]);
            expect(res.status, res.out).to.equal(1);
            expect(res.out).to.match(
                /\[mandatory\] {2}residency-region-outside-zone {2}\(aws:kms:Key: cell-kms\)\n\s+aws:kms\/key:Key 'cell-kms' \(zone jp\) is in region ap-northeast-3/,
            );
        });

        it("is refused when the pack config widens jp but does not declare Osaka's assets bucket", async () => {
            const found = await violations(
                topologyFixture({ ...OSAKA_GLOBAL_DATA, declareAssets: false }),
            );
            expect(found).to.have.length(1);
            expect(found[0]).to.match(
                /^global: residency-data-flow: .*'assets-replication-config'.*taskflow-prod-assets-\d{12}-global-ap-northeast-3.*cannot be proven/,
            );
        });
    });

    it("plans a four-region topology (a new zone au in ap-southeast-2) clean", async () => {
        const dir = topologyFixture({
            zones: { au: ["ap-southeast-2"] },
            regions: [
                {
                    region: "ap-southeast-2",
                    zone: "au",
                    failover: "ap-northeast-1",
                    vpcCidr: "10.40.0.0/16",
                    countries: ["AU", "NZ"],
                },
            ],
        });
        expect(await violations(dir)).to.deep.equal([]);
    });

    it("plans a six-region topology (Osaka in jp, Oregon in us, Sydney in au) clean", async () => {
        expect(await violations(topologyFixture(SIX_REGIONS))).to.deep.equal([]);
    });
});
