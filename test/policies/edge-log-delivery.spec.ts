// The other way of the vended-log and WAF logging cases of the catalogue (catalogue.cases.ts):
// the same deliveries kept in the zone pass, on the real eu-west-1 plan, so the judges
// (policies/judges/movers.ts) refuse where the data goes, not the delivery types themselves.

import { expect } from "chai";
import { allPolicies } from "../../policies/all";
import { COMMITTED_PACK_CONFIG, loadPolicyConfig } from "../../policies/config";
import { evaluatePlan, PlanLike } from "../../policies/offline";
import { repoPlan } from "../helpers/repo-plan";
import { Edit, EU, euVendedLogs } from "./catalogue.helpers";

describe("log deliveries that keep zone logs in the zone (real eu-west-1 plan)", function () {
    this.timeout(120000);
    const settings = loadPolicyConfig(COMMITTED_PACK_CONFIG, allPolicies);
    let eu: PlanLike;
    before(async () => {
        eu = (await repoPlan()).find((p) => p.plan.stack === "eu-west-1")!.plan;
    });

    it("accepts vended-log delivery of an EU-zone source to an eu-west-1 destination writing to the EU bucket", () => {
        const e = new Edit(eu);
        euVendedLogs(e, { region: "eu-west-1", bucketArn: EU.bucketArn });
        expect(evaluatePlan(e.plan, settings)).to.deep.equal([]);
    });

    it("accepts WAF logging of EU data to the EU bucket in eu-west-1", () => {
        const e = new Edit(eu);
        e.add("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "eu-waf-logs", {
            resourceArn: EU.tableArn,
            logDestinationConfigs: [EU.bucketArn],
        });
        expect(evaluatePlan(e.plan, settings)).to.deep.equal([]);
    });
});
