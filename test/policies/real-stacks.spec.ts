/**
 * The real program: all four stacks planned offline (the project's own config) pass the pack
 * with zero violations, and the EU boundary is in the plan the pack judged.
 */
import { expect } from "chai";
import { PlannedStack } from "../../plan/run";
import { isDataBearing, RESIDENCY_TAG } from "../../policies/residency";
import { repoPlan } from "../helpers/repo-plan";
import { repoStacks } from "../helpers/repo-topology";

describe("the real stacks under the policy pack", function () {
    this.timeout(60000);
    let planned: PlannedStack[];
    before(async () => {
        planned = await repoPlan();
    });

    it("plan with zero violations", () => {
        expect(planned.map((p) => p.plan.stack).sort()).to.deep.equal(repoStacks().sort());
        for (const p of planned) expect(p.plan.violations, p.plan.stack).to.deep.equal([]);
    });

    it("classify every data store of every stack", () => {
        const stores = planned.flatMap((p) =>
            p.plan.resources.filter((r) => isDataBearing(r.type, !r.custom)),
        );
        expect(stores.length).to.be.greaterThan(20);
        for (const r of stores)
            expect(
                (r.inputs.tags as Record<string, string> | undefined)?.[RESIDENCY_TAG],
                r.urn,
            ).to.be.a("string");
    });

    it("build the EU boundary in eu-west-1 only, and export it under `residency`", () => {
        const boundaries = planned.flatMap((p) =>
            p.plan.resources
                .filter((r) => r.type === "taskflow:residency:ResidencyBoundary")
                .map(() => p.plan.stack),
        );
        expect(boundaries).to.deep.equal(["eu-west-1"]);
        const eu = planned.find((p) => p.plan.stack === "eu-west-1")!;
        expect(eu.outputs.residency).to.include({
            zone: "eu",
            tableName: "taskflow-prod-users-eu-eu-west-1",
            bucketName: "taskflow-prod-userdata-eu-eu-west-1",
        });
        expect((eu.outputs.residency as Record<string, unknown>).auroraEndpoint).to.be.a("string");
        const euStores = eu.plan.resources.filter(
            (r) => (r.inputs.tags as Record<string, string> | undefined)?.[RESIDENCY_TAG] === "eu",
        );
        expect(euStores.length).to.be.at.least(5);
        for (const r of euStores) expect(r.region, r.urn).to.equal("eu-west-1");
    });
});
