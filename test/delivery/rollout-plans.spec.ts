/**
 * The preview workflow's question, asked of real offline plans: does a change between
 * two plans of the program only touch the cells' task definitions (an app rollout, region by
 * region) or anything else (the waves)? The plans are the program's own under the mocks, so the
 * verdicts are those `npm run deploy -- --rollout --preview --base-plan --head-plan` prints.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PlannedStack, planAll } from "../../plan/run";
import { classifyPlans } from "../../delivery/rollout-classify";
import { REPO_ROOT } from "./fixtures";
import { tempDir } from "../helpers/tmp";

const ECR = (v: string) => `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/taskflow:${v}`;

/** Plans the primary stack alone (it references no other) with `set` added to its stack file. */
const STACK = "ap-northeast-1";

async function planWith(set: Record<string, unknown>): Promise<PlannedStack> {
    const dir = tempDir("taskflow-rollout-plan-");
    for (const f of fs.readdirSync(REPO_ROOT).filter((x) => /^Pulumi(\..+)?\.yaml$/.test(x))) {
        const doc = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, f), "utf8")) as {
            config: Record<string, unknown>;
        };
        if (f === "Pulumi.ap-northeast-1.yaml") doc.config = { ...doc.config, ...set };
        fs.writeFileSync(path.join(dir, f), YAML.stringify(doc));
    }
    const planned = await planAll({ dir, stacks: [STACK] });
    expect(planned.map((p) => p.plan.stack)).to.deep.equal([STACK]);
    return planned[0];
}

describe("delivery: the rollout verdict on real offline plans", function () {
    this.timeout(120_000);
    let v140: PlannedStack;
    let v150: PlannedStack;
    let repo: PlannedStack;
    before(async () => {
        repo = await planWith({});
        v140 = await planWith({ "taskflow:appImage": ECR("1.4.0") });
        v150 = await planWith({ "taskflow:appImage": ECR("1.5.0") });
    });

    it("calls a new image of the same repository an app change", () => {
        const v = classifyPlans(v140.plan, v150.plan);
        expect(v.kind, JSON.stringify(v.infra)).to.equal("app");
        expect(v.image).to.deep.equal({ from: ECR("1.4.0"), to: ECR("1.5.0") });
        expect(v.app.map((c) => c.type)).to.deep.equal(["aws:ecs/taskDefinition:TaskDefinition"]);
        expect(v.app[0].diffs).to.deep.equal(["containerDefinitions"]);
        expect(classifyPlans(v150.plan, v150.plan).kind).to.equal("none");
    });

    it("calls the first private ECR image an infrastructure change: the execution role gains ECR pulls", () => {
        const v = classifyPlans(repo.plan, v140.plan);
        expect(v.kind).to.equal("infra");
        expect(v.infra.map((c) => `${c.type} ${c.urn.split("::").pop()}`)).to.deep.equal([
            "aws:iam/rolePolicy:RolePolicy cell-execution-policy",
        ]);
    });
});
