import { expect } from "chai";
import { allPolicies } from "../../policies/all";
import { evaluatePlan, evaluatePlans, PlanInputError, PlanLike } from "../../policies/offline";
import { RESIDENCY_TAG } from "../../policies/residency";
import { all, fleet, FLEET_SETTINGS, NAMES } from "./fixtures";
import { cases, JP_RULE, StackKey } from "./pack.cases";
import { expectClean, expectFindings, mutate } from "./util";

/** Runs the pack over the fleet with one stack replaced by its mutated copy. */
function evaluateWith(stack: StackKey, plan: PlanLike) {
    const f = fleet();
    f[stack] = plan;
    return evaluatePlans(all(f), FLEET_SETTINGS);
}

describe("policy pack", () => {
    it("passes the whole four-stack fleet", () => {
        expectClean(evaluatePlans(all(fleet()), FLEET_SETTINGS));
    });

    it("proves the global stack's S3 replication by residency names when planned on its own", () => {
        expectClean(evaluatePlan(fleet().global, FLEET_SETTINGS));
    });

    it("covers every policy with a happy-path fixture and at least one failing case", () => {
        const covered = new Set(cases.map((c) => c.policy));
        for (const p of allPolicies) expect(covered, p.name).to.include(p.name);
    });

    it("has at least twenty distinct failing cases", () => {
        expect(new Set(cases.map((c) => c.title)).size).to.be.at.least(20);
    });

    for (const c of cases) {
        it(c.title, () => {
            const f = fleet();
            const plan = mutate(f[c.stack], c.resource, c.change);
            const violations = evaluateWith(c.stack, plan);
            // Bucket-level S3 findings are reported against the bucket, not the mutated config.
            const at =
                c.at ??
                (c.policy.startsWith("s3-") ? c.resource.replace(/-(pab|sse)$/, "") : c.resource);
            expectFindings(violations, [[c.policy, at], ...(c.others ?? [])], c.parts);
            expect(violations.every((v) => v.stack === f[c.stack].stack)).to.equal(true);
        });
    }

    it("judges each stack on its own: another stack's plan proves nothing, the pack's config does", () => {
        // (Replaces "fails closed when cross-stack S3 replication cannot be proven by names and
        // another plan proves it": the CLI judges one stack at a time, so another plan no longer
        // proves anything; the pack's config does.)
        const f = fleet();
        // Buckets named without the residency convention, planned in their own stacks.
        const rename = (plan: PlanLike, resource: string, from: string, to: string) =>
            mutate(plan, resource, (i, r) => {
                if (i.bucket === from) i.bucket = to;
                if (r.id === from) r.id = to;
            });
        f.primary = rename(f.primary, "assets", NAMES.assets, "assets-src");
        for (const n of ["assets-pab", "assets-sse"])
            f.primary = rename(f.primary, n, NAMES.assets, "assets-src");
        f.us = rename(f.us, "assets-replica", NAMES.assetsReplica, "assets-dst");
        for (const n of ["assets-replica-pab", "assets-replica-sse"])
            f.us = rename(f.us, n, NAMES.assetsReplica, "assets-dst");
        f.global = mutate(f.global, "assets-replication", (i) => {
            i.bucket = "assets-src";
            i.rules[0].destination.bucket = "arn:aws:s3:::assets-dst";
        });
        const found = evaluatePlans(all(f), FLEET_SETTINGS);
        expectFindings(
            found,
            [["residency-data-flow", "assets-replication"]],
            ['copies from "assets-src" at bucket', "no plan of this stack shows it"],
        );
        const declared = {
            ...FLEET_SETTINGS,
            stores: {
                ...FLEET_SETTINGS.stores,
                "assets-src": { classification: "global", region: "ap-northeast-1" },
                "assets-dst": { classification: "global", region: "us-east-1" },
            },
        };
        expectClean(evaluatePlans(all(f), declared));
    });

    it("lets a residency-tag condition narrow a wildcard backup selection to global data", () => {
        const f = fleet();
        f.primary = mutate(f.primary, "primary-selection", (i) => {
            i.resources = ["*"];
            i.conditions = [
                { stringEquals: [{ key: `aws:ResourceTag/${RESIDENCY_TAG}`, value: "global" }] },
            ];
        });
        expectClean(evaluatePlans(all(f), FLEET_SETTINGS));
        f.primary = mutate(f.primary, "primary-selection", (i) => {
            i.conditions[0].stringEquals[0].value = "jp";
        });
        expectFindings(
            evaluatePlans(all(f), FLEET_SETTINGS),
            [["residency-data-flow", "primary-plan"]],
            [
                `picks (resources by wildcard "*"), which may include the data of every zone of its region, narrowed by condition ${RESIDENCY_TAG}=jp`,
                JP_RULE,
            ],
        );
    });

    it("refuses a plan whose documented region contradicts a resource's provider", () => {
        const f = fleet();
        f.eu = mutate(f.eu, "eu-logs", (_i, r) => (r.region = "eu-central-1"));
        expect(() => evaluatePlans(all(f), FLEET_SETTINGS)).to.throw(
            PlanInputError,
            `stack eu-west-1: aws:cloudwatch/logGroup:LogGroup 'eu-logs' (urn:pulumi:eu-west-1::taskflow::aws:cloudwatch/logGroup:LogGroup::eu-logs): region "eu-central-1" contradicts providerRegion "eu-west-1"`,
        );
    });

    it("takes a global service's documented region as given", () => {
        // IAM is global: the plan format records region "global" whatever the provider's region.
        const f = fleet();
        f.primary = mutate(f.primary, "app-task-role", (_i, r) => (r.region = "global"));
        expectClean(evaluatePlans(all(f), FLEET_SETTINGS));
    });

    it("reads the zone matrix from policy config", () => {
        // With eu allowed in eu-central-1 too, the EU log group may move there.
        const f = fleet();
        f.eu = mutate(f.eu, "eu-logs", (i, r) => {
            i.region = "eu-central-1";
            r.region = "eu-central-1";
        });
        const zones = {
            eu: ["eu-west-1", "eu-central-1"],
            us: ["us-east-1", "ap-northeast-1"],
            jp: ["ap-northeast-1"],
        };
        expectClean(evaluatePlans(all(f), { ...FLEET_SETTINGS, zones }));
        expectFindings(
            evaluatePlans(all(f), FLEET_SETTINGS),
            [
                ["residency-region-outside-zone", "eu-logs"],
                ["residency-data-flow", "eu-logs"],
            ],
            ["eu-central-1"],
        );
    });

    it("rejects a malformed zone matrix with a message naming the key", () => {
        expect(() => evaluatePlans(all(fleet()), { zones: { eu: [] } })).to.throw(
            /zones\.eu.*non-empty list/,
        );
        expect(() => evaluatePlans(all(fleet()), { zones: { global: ["us-east-1"] } })).to.throw(
            /"global" is reserved/,
        );
    });
});
