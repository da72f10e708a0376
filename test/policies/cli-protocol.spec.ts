// The offline verdicts are the CLI's: the pack started the way `pulumi preview --policy-pack
// policies --policy-pack-config policies/policy-config.json` starts it (test/helpers/analyzer.ts:
// run-policy-pack in the pack's directory, the Analyzer gRPC protocol), fed each stack's planned
// resources as the engine feeds them, gives exactly the verdicts `npm run plan` writes for the
// real stacks, and exactly those of the offline evaluator on every violating fixture of the
// real-stack catalogue and of the fleet catalogue. One analyzer process serves all of them.

import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { allPolicies } from "../../policies/all";
import {
    COMMITTED_PACK_CONFIG,
    loadPolicyConfig,
    residencySettingsConfig,
} from "../../policies/config";
import { evaluatePlan, PlanLike, Violation } from "../../policies/offline";
import { REPO_ROOT } from "../../plan/run";
import { Analyzer, PolicyInfo } from "../helpers/analyzer";
import { repoPlan } from "../helpers/repo-plan";
import { Edit } from "./catalogue.helpers";
import { CASES } from "./catalogue.cases";
import { all, fleet, FLEET_SETTINGS } from "./fixtures";
import { cases as FLEET_CASES } from "./pack.cases";
import { repoStacks } from "../helpers/repo-topology";

/**
 * Runs `fn` over `items`, `width` at a time: while the pack's process analyses one stack, this one
 * builds and evaluates the next (the two processes use both cores). Each item still fails alone.
 */
async function inTurns<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>) {
    let next = 0;
    const lane = async () => {
        while (next < items.length) await fn(items[next++]);
    };
    await Promise.all(Array.from({ length: width }, lane));
}

const key = (v: Violation) => `${v.policy} | ${v.level} | ${v.urn} | ${v.message}`;
const sorted = (vs: Violation[]) => vs.map(key).sort();

describe("the pack over the CLI's analyzer protocol gives the offline verdicts", function () {
    this.timeout(600000);
    let analyzer: Analyzer;
    let policies: PolicyInfo[];
    const committed = JSON.parse(fs.readFileSync(COMMITTED_PACK_CONFIG, "utf8")) as Record<
        string,
        unknown
    >;
    const settings = loadPolicyConfig(COMMITTED_PACK_CONFIG, allPolicies);

    before(async () => {
        analyzer = await Analyzer.start(path.join(REPO_ROOT, "policies"));
        const info = await analyzer.info();
        expect(info.name).to.equal("taskflow-residency");
        expect(info.supportsConfig).to.equal(true);
        policies = info.policies;
        await analyzer.configureStack("eu-west-1", "taskflow", "taskflow");
        await analyzer.configure(policies, committed);
    });

    after(() => analyzer?.stop());

    /** Both verdicts on one stack, and a readable difference when they disagree. */
    async function compare(plan: PlanLike, offline: Violation[], what: string): Promise<void> {
        const served = await analyzer.verdicts(plan);
        expect(sorted(served), `${what}: analyzer (actual) vs offline (expected)`).to.deep.equal(
            sorted(offline),
        );
    }

    it("serves every policy of the pack with its schema and level", () => {
        expect(policies.map((p) => p.name).sort()).to.deep.equal(
            allPolicies.map((p) => p.name).sort(),
        );
        for (const p of allPolicies)
            expect(policies.find((x) => x.name === p.name)!.enforcementLevel).to.equal(
                p.enforcementLevel ?? "mandatory",
            );
    });

    it("gives the real stacks exactly the verdicts npm run plan writes (none)", async () => {
        const planned = await repoPlan();
        expect(planned.map((p) => p.plan.stack).sort()).to.deep.equal(repoStacks().sort());
        for (const p of planned) {
            const written = p.plan.violations.map((v) => ({ ...v }));
            await compare(p.plan, written as Violation[], p.plan.stack);
        }
    });

    it("gives every real-stack catalogue case the offline verdict", async () => {
        const planned = await repoPlan();
        const plans = Object.fromEntries(planned.map((p) => [p.plan.stack, p.plan]));
        let found = 0;
        await inTurns(CASES, 3, async (c) => {
            const e = new Edit(plans[c.stack]);
            c.edit(e);
            const offline = evaluatePlan(e.plan, settings);
            found += offline.length;
            await compare(e.plan, offline, c.title);
        });
        expect(found).to.be.at.least(CASES.length);
    });

    describe("with the fleet fixtures' settings", () => {
        before(async () => {
            await analyzer.configure(
                policies,
                residencySettingsConfig(FLEET_SETTINGS as never, allPolicies),
            );
        });
        after(async () => analyzer.configure(policies, committed));

        it("gives the fleet and every fleet catalogue case the offline verdict, stack by stack", async () => {
            const base = fleet();
            for (const p of all(base)) await compare(p, evaluatePlan(p, FLEET_SETTINGS), p.stack);
            await inTurns(FLEET_CASES, 3, async (c) => {
                const f = fleet();
                const copy = JSON.parse(JSON.stringify(f[c.stack])) as PlanLike;
                const r = copy.resources.find((x) => x.name === c.resource)!;
                c.change(r.inputs, r);
                await compare(copy, evaluatePlan(copy, FLEET_SETTINGS), c.title);
            });
        });
    });
});
