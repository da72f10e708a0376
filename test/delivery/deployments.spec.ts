import { expect } from "chai";
import { ConfigError, stacksInOrder } from "../../config";
import { PulumiDeployments } from "../../components/deployments";
import { DEPLOYMENTS_DEFAULTS, cronProblem, validateDeployments } from "../../config";
import { PlannedResource, PlannedStack } from "../../plan/run";
import { projectTopology } from "./fixtures";
import { TEST_DEPLOYMENTS, plannedWithDeployments } from "./planned";
import { repoConfigs } from "../helpers/repo-topology";

describe("delivery: taskflow:deployments validation", () => {
    const topology = projectTopology();
    const valid = {
        enabled: true,
        repo: "acme/taskflow-infra",
        awsRoleArn: "arn:aws:iam::123456789012:role/deploy",
    };

    const issuesOf = (raw: unknown) => {
        try {
            validateDeployments(raw, topology);
        } catch (e) {
            expect(e).to.be.instanceOf(ConfigError);
            return (e as ConfigError).issues;
        }
        throw new Error("expected a ConfigError");
    };

    it("is disabled when the key is absent", () => {
        expect(validateDeployments(undefined, topology)).to.include({
            enabled: false,
            repo: "",
            awsRoleArn: "",
        });
    });

    it("fills every default of an enabled config", () => {
        expect(validateDeployments(valid, topology)).to.deep.equal({
            ...valid,
            branch: "main",
            refreshCron: "0 */6 * * *",
            driftCron: "30 2 * * *",
            autoRemediateGlobal: false,
            prPreviews: false,
        });
    });

    it("keeps deliberate false values and strings Pulumi stores booleans as", () => {
        const v = validateDeployments(
            { ...valid, prPreviews: false, autoRemediateGlobal: "true", enabled: "true" },
            topology,
        );
        expect(v).to.include({ prPreviews: false, autoRemediateGlobal: true, enabled: true });
    });

    it("does not require repo or role while disabled", () => {
        expect(validateDeployments({ enabled: false }, topology).enabled).to.equal(false);
    });

    const violations: [string, Record<string, unknown>, string, RegExp][] = [
        [
            "a non-boolean enabled",
            { ...valid, enabled: "yes" },
            "taskflow:deployments.enabled",
            /true or false/,
        ],
        [
            "a missing repo",
            { enabled: true, awsRoleArn: valid.awsRoleArn },
            "taskflow:deployments.repo",
            /required when enabled.*owner\/name/,
        ],
        [
            "a repo that is not owner/name",
            { ...valid, repo: "https://github.com/acme/x" },
            "taskflow:deployments.repo",
            /owner\/name/,
        ],
        [
            "a missing role",
            { enabled: true, repo: valid.repo },
            "taskflow:deployments.awsRoleArn",
            /required when enabled/,
        ],
        [
            "a role ARN of the wrong shape",
            { ...valid, awsRoleArn: "arn:aws:iam::1234:user/x" },
            "taskflow:deployments.awsRoleArn",
            /12-digit account/,
        ],
        [
            "a ref instead of a branch",
            { ...valid, branch: "refs/heads/main" },
            "taskflow:deployments.branch",
            /without refs\/heads/,
        ],
        [
            "a 4-field cron",
            { ...valid, refreshCron: "0 */6 * *" },
            "taskflow:deployments.refreshCron",
            /5 fields/,
        ],
        [
            "an out-of-range minute",
            { ...valid, driftCron: "61 2 * * *" },
            "taskflow:deployments.driftCron",
            /within 0-59/,
        ],
        [
            "the same cron twice",
            { ...valid, refreshCron: "0 1 * * *", driftCron: "0 1 * * *" },
            "taskflow:deployments.driftCron",
            /different schedule/,
        ],
        [
            "an unknown key",
            { ...valid, autoRemediate: true },
            "taskflow:deployments.autoRemediate",
            /allowed: enabled, repo/,
        ],
    ];
    for (const [what, raw, key, allowed] of violations) {
        it(`rejects ${what}, naming the key, the value and what is allowed`, () => {
            const issues = issuesOf(raw);
            expect(issues.map((i) => i.key)).to.deep.equal([key]);
            expect(issues[0].allowed).to.match(allowed);
        });
    }

    it("rejects a non-object", () => {
        expect(issuesOf("true")[0]).to.include({ key: "taskflow:deployments", value: "true" });
    });

    it("checks cron fields: lists, ranges, steps", () => {
        expect(cronProblem(DEPLOYMENTS_DEFAULTS.refreshCron)).to.equal(undefined);
        expect(cronProblem("0,30 1-5/2 * 1-12 0-6")).to.equal(undefined);
        expect(cronProblem("0 5-1 * * *")).to.match(/runs backwards/);
        expect(cronProblem("0 */0 * * *")).to.match(/at least 1/);
        expect(cronProblem("0 2 * * 7")).to.match(/day of week.*0-6/);
        expect(cronProblem("@daily")).to.match(/5 fields/);
    });

    it("refuses to build the component from a disabled config", () => {
        expect(
            () =>
                new PulumiDeployments("d", {
                    topology,
                    settings: validateDeployments({ enabled: false }, topology),
                }),
        ).to.throw(/enabled is false/);
    });
});

describe("delivery: Pulumi Deployments in the global stack's plan", () => {
    let planned: PlannedStack[];
    let global: PlannedResource[];
    const stacks = stacksInOrder(projectTopology());
    before(async () => {
        planned = await plannedWithDeployments();
        global = planned.find((p) => p.plan.stack === "global")!.plan.resources;
    });
    const ofType = (t: string) => global.filter((r) => r.type === `pulumiservice:index:${t}`);
    const forStack = (t: string, stack: string) => {
        const found = ofType(t).filter((r) => r.inputs.stack === stack);
        expect(found, `${t} for ${stack}`).to.have.length(1);
        return found[0];
    };

    it("plans settings, a refresh schedule and a drift schedule for each of the project's stacks", () => {
        // every stack found as a Pulumi.<stack>.yaml: the seed's four and any region added
        expect([...stacks].sort()).to.deep.equal(Object.keys(repoConfigs()).sort());
        expect(stacks).to.include.members(["ap-northeast-1", "us-east-1", "eu-west-1", "global"]);
        for (const t of ["DeploymentSettings", "DeploymentSchedule", "DriftSchedule"]) {
            expect(ofType(t).map((r) => r.inputs.stack)).to.have.members(stacks);
        }
        expect(global.find((r) => r.type === "taskflow:delivery:Deployments")).to.not.equal(
            undefined,
        );
    });

    it("points every stack's settings at the repository, npm ci and the OIDC role", () => {
        for (const stack of stacks) {
            const s = forStack("DeploymentSettings", stack).inputs as Record<string, any>;
            expect(s).to.include({ organization: "taskflow", project: "taskflow" });
            expect(s.vcs).to.deep.include({
                provider: "github",
                repository: TEST_DEPLOYMENTS.repo,
                previewPullRequests: false,
                deployCommits: false,
            });
            expect(s.sourceContext.git.branch).to.equal("refs/heads/main");
            expect(s.operationContext.preRunCommands).to.deep.equal(["npm ci"]);
            expect(s.operationContext.oidc.aws.roleARN).to.equal(TEST_DEPLOYMENTS.awsRoleArn);
        }
    });

    it("schedules a refresh on the cron, depending on the stack's settings", () => {
        for (const stack of stacks) {
            const settings = forStack("DeploymentSettings", stack);
            const refresh = forStack("DeploymentSchedule", stack);
            expect(refresh.inputs).to.include({
                pulumiOperation: "refresh",
                scheduleCron: "0 */6 * * *",
            });
            expect(refresh.options.dependsOn).to.include(settings.urn);
        }
    });

    it("detects drift on every stack, remediating only the global stack when configured", () => {
        for (const stack of stacks) {
            const drift = forStack("DriftSchedule", stack);
            expect(drift.options.dependsOn).to.include(forStack("DeploymentSettings", stack).urn);
            expect(drift.inputs.scheduleCron).to.equal("30 2 * * *");
            expect(drift.inputs.autoRemediate, stack).to.equal(stack === "global");
        }
    });

    it("manages Deployments from the global stack only", () => {
        for (const p of planned.filter((x) => x.plan.stack !== "global")) {
            expect(
                p.plan.resources
                    .filter((r) => r.type.startsWith("pulumiservice:"))
                    .map((r) => r.name),
            ).to.deep.equal([]);
        }
    });
});
