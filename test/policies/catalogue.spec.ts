// The real-stack catalogue (catalogue.cases.ts), judged as `pulumi preview` of the changed stack
// with the committed pack config would judge it.

import { expect } from "chai";
import { allPolicies } from "../../policies/all";
import { COMMITTED_PACK_CONFIG, loadPolicyConfig } from "../../policies/config";
import { evaluatePlan, PlanLike } from "../../policies/offline";
import { repoPlan } from "../helpers/repo-plan";
import { Edit } from "./catalogue.helpers";
import { CASES } from "./catalogue.cases";
import { expectFindings } from "./util";

describe("residency catalogue on the real stacks (committed pack config, per-stack verdicts)", function () {
    this.timeout(120000);
    const settings = loadPolicyConfig(COMMITTED_PACK_CONFIG, allPolicies);
    let plans: Record<string, PlanLike>;

    before(async () => {
        plans = Object.fromEntries((await repoPlan()).map((p) => [p.plan.stack, p.plan]));
    });

    it("starts from real stacks that pass clean", () => {
        for (const p of Object.values(plans)) expect(evaluatePlan(p, settings)).to.deep.equal([]);
    });

    it("has at least sixty cases, each with a distinct title", () => {
        expect(CASES.length).to.be.at.least(60);
        expect(new Set(CASES.map((c) => c.title)).size).to.equal(CASES.length);
    });

    for (const c of CASES) {
        it(c.title, () => {
            const e = new Edit(plans[c.stack]);
            c.edit(e);
            const found = evaluatePlan(e.plan, settings);
            if (process.env.CATALOGUE_DEBUG)
                console.log(
                    `\n[${c.title}]\n` +
                        found
                            .map((v) => `  ${v.policy} @ ${v.urn?.split("::").pop()}: ${v.message}`)
                            .join("\n"),
                );
            expectFindings(found, c.findings, c.parts);
        });
    }
});
