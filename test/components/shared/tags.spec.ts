import { expect } from "chai";
import { RESIDENCY_TAG } from "../../../model/residency";
import { TAG, componentTags } from "../../../model/tags";
import { PlannedStack } from "../../../plan/run";
import { repoPlan } from "../../helpers/repo-plan";

/** AWS's own display-name tag, the one key outside the scheme besides the residency class. */
const NAME_TAG = "Name";

describe("one tag scheme (model/tags.ts)", () => {
    let planned: PlannedStack[];
    before(async () => {
        planned = await repoPlan();
    });

    const tagged = () =>
        planned.flatMap((p) =>
            p.plan.resources
                .filter((r) => r.inputs.tags && typeof r.inputs.tags === "object")
                .map((r) => ({
                    stack: p.plan.stack,
                    urn: r.urn,
                    tags: r.inputs.tags as Record<string, unknown>,
                })),
        );

    it("gives every tagged resource of every stack its environment and its component", () => {
        const all = tagged();
        expect(all.length).to.be.greaterThan(100);
        const without = all.filter(
            (r) =>
                typeof r.tags[TAG.environment] !== "string" ||
                typeof r.tags[TAG.component] !== "string",
        );
        expect(without.map((r) => r.urn)).to.deep.equal([]);
        const envs = new Set(all.map((r) => r.tags[TAG.environment]));
        expect([...envs]).to.deep.equal(["prod"]);
    });

    it("uses no tag key outside the scheme but the residency class and AWS's Name", () => {
        const allowed = new Set<string>([...Object.values(TAG), RESIDENCY_TAG, NAME_TAG]);
        const strays = tagged().flatMap((r) =>
            Object.keys(r.tags)
                .filter((k) => !allowed.has(k))
                .map((k) => `${r.urn}: ${k}`),
        );
        expect(strays).to.deep.equal([]);
    });

    it("tags a region-serving resource of the global stack with the region it serves", () => {
        const global = tagged().filter(
            (r) => r.stack === "global" && r.urn.includes("aws:route53/healthCheck:HealthCheck"),
        );
        expect(global.length).to.be.greaterThan(0);
        for (const r of global) expect(r.tags[TAG.region], r.urn).to.be.a("string");
    });

    it("builds a component.s tags from its environment, its name and its extra keys", () => {
        expect(componentTags("stage", "cell", { [TAG.region]: "us-east-1" })).to.deep.equal({
            "taskflow:environment": "stage",
            "taskflow:component": "cell",
            "taskflow:region": "us-east-1",
        });
    });
});
