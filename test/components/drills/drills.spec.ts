/**
 * Failure drills: config (`taskflow:drills`), the component from literal args, and the planned
 * stacks (default: no template; drills enabled in a project copy: every template stops on its
 * region's composite alarm, its role lists no wildcard action, 0 policy violations). FIS stop
 * conditions name CloudWatch alarms by ARN with source `aws:cloudwatch:alarm`
 * (https://docs.aws.amazon.com/fis/latest/userguide/stop-conditions.html); actions, targets and
 * permissions: https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html.
 */
import { expect } from "chai";
import { FailureDrills, experimentPolicy } from "../../../components/drills";
import { readProjectFiles, validateAll } from "../../../config";
import { FIS_DRILLS, DRILL_TAGS } from "../../../model/drills";
import { defaultPackConfig, evaluatorFor } from "../../../plan/policy";
import { RecordedResource } from "../../../plan/mocks";
import { planAll } from "../../../plan/run";
import { buildUnderMocks, json } from "../../helpers/component";
import { projectCopy } from "../../helpers/project-copy";
import { repoPlan } from "../../helpers/repo-plan";

const TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate";
const ALARM = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:taskflow-prod-eu-west-1-unhealthy";

type Statement = { Action: string[]; Resource: string | string[] };

/** Every action of a policy document: none may be or contain a wildcard. */
function expectNoWildcardActions(policy: unknown, what: string): void {
    const doc = json(policy) as { Statement: Statement[] };
    expect(doc.Statement.length, what).to.be.greaterThan(0);
    for (const s of doc.Statement)
        for (const a of s.Action) expect(a, `${what}: ${a}`).to.match(/^[a-z0-9-]+:[A-Za-z]+$/);
}

/** The template's role policy, found through its roleArn. */
function rolePolicyOf(resources: RecordedResource[], t: RecordedResource): RecordedResource {
    const role = resources.find(
        (r) => r.type === "aws:iam/role:Role" && r.outputs.arn === t.inputs.roleArn,
    )!;
    expect(role, `role of ${t.name}`).to.not.equal(undefined);
    return resources.find(
        (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === role.id,
    )!;
}

describe("failure drills (FIS)", () => {
    describe("taskflow:drills", () => {
        const configsWith = (value: unknown, file = "Pulumi.eu-west-1.yaml") => {
            const dir = projectCopy("drills-", (docs) => {
                docs[file].config["taskflow:drills"] = value;
            });
            return validateAll(readProjectFiles(dir));
        };

        it("is off by default and takes a list of drill names on a region stack", () => {
            const cfg = configsWith(["stop-tasks", "cut-data-network"]);
            expect(cfg["eu-west-1"].drills).to.deep.equal(["stop-tasks", "cut-data-network"]);
            expect(cfg["us-east-1"].drills).to.deep.equal([]);
        });

        it("refuses an unknown or repeated name, a non-list, and any value on the global stack, naming key, value and what is allowed", () => {
            for (const bad of [["stop-task"], ["stop-tasks", "stop-tasks"], "stop-tasks"]) {
                const err = (() => {
                    try {
                        configsWith(bad);
                    } catch (e) {
                        return e as Error;
                    }
                    throw new Error(`accepted ${JSON.stringify(bad)}`);
                })();
                expect(err.message).to.include("taskflow:drills");
                expect(err.message).to.include(JSON.stringify(bad));
                expect(err.message).to.include(FIS_DRILLS.join(", "));
            }
            expect(() => configsWith(["stop-tasks"], "Pulumi.global.yaml")).to.throw(
                /taskflow:drills.*not allowed on the global stack/,
            );
        });
    });

    describe("from literal args", () => {
        const args = {
            environment: "prod",
            region: "eu-west-1",
            stopAlarmArn: ALARM,
            ecsClusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/cell",
            ecsClusterName: "cell",
            ecsServiceName: "app",
            taskSubnetIds: ["subnet-task1", "subnet-task2"],
            dataSubnetIds: ["subnet-data1", "subnet-data2"],
            healthRuleArn:
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/cell/1/2/3",
            targetGroupArn:
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/cell/4",
        };

        it("builds nothing without drills", async () => {
            const b = await buildUnderMocks("eu-west-1", () => new FailureDrills("drills", args));
            expect(b.ofType(TEMPLATE)).to.be.empty;
            expect(b.ofType("aws:iam/role:Role")).to.be.empty;
        });

        it("builds one tagged template per drill, stopping on the composite alarm, acting on this cell only", async () => {
            const b = await buildUnderMocks(
                "eu-west-1",
                () => new FailureDrills("drills", { ...args, drills: [...FIS_DRILLS] }),
            );
            const templates = b.ofType(TEMPLATE);
            expect(
                templates.map((t) => (t.inputs.tags as Record<string, string>)[DRILL_TAGS.drill]),
            ).to.have.members([...FIS_DRILLS]);
            for (const t of templates) {
                expect(t.region).to.equal("eu-west-1");
                expect(t.inputs.tags).to.include({ [DRILL_TAGS.region]: "eu-west-1" });
                expect(t.inputs.stopConditions).to.deep.equal([
                    { source: "aws:cloudwatch:alarm", value: ALARM },
                ]);
                expectNoWildcardActions(rolePolicyOf(b.resources, t).inputs.policy, t.name);
            }
            const stop = b.named("drills-stop-tasks");
            expect((stop.inputs.targets as { parameters: unknown }[])[0].parameters).to.deep.equal({
                cluster: "cell",
                service: "app",
            });
            const cut = b.named("drills-cut-data-network");
            const arns = (cut.inputs.targets as { resourceArns: string[] }[]).flatMap(
                (x) => x.resourceArns,
            );
            expect(arns).to.have.members(
                [...args.taskSubnetIds, ...args.dataSubnetIds].map(
                    (id) => `arn:aws:ec2:eu-west-1:123456789012:subnet/${id}`,
                ),
            );
            // The health drill's automation may modify the one health rule, nothing else.
            const automation = b.named("drills-fail-health-check-automation-policy");
            expect(json(automation.inputs.policy).Statement).to.deep.equal([
                {
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:ModifyRule"],
                    Resource: args.healthRuleArn,
                },
            ]);
            const doc = b.named("drills-fail-health-check-document");
            const steps = (json(doc.inputs.content) as { mainSteps: { name: string }[] }).mainSteps;
            expect(steps.map((s) => s.name)).to.deep.equal([
                "answer-503",
                "hold",
                "restore-forward",
            ]);
        });

        /** What a drill's experiment policy is built from: this cell's targets, in eu-west-1. */
        const policyTargets = () => ({
            partition: "aws",
            account: "123456789012",
            region: "eu-west-1",
            ecsClusterArn: args.ecsClusterArn,
            ecsClusterName: "cell",
            ecsServiceName: "app",
            taskSubnetIds: args.taskSubnetIds,
            dataSubnetIds: args.dataSubnetIds,
            healthRuleArn: args.healthRuleArn,
            targetGroupArn: args.targetGroupArn,
            documentName: "d",
            automationRoleArn: "arn:aws:iam::123456789012:role/automation",
            duration: "PT5M",
        });

        it("scopes task actions to the cell's cluster", () => {
            const p = experimentPolicy("stop-tasks", {
                ...policyTargets(),
                taskSubnetIds: [],
                dataSubnetIds: [],
                healthRuleArn: "",
                targetGroupArn: "",
                automationRoleArn: "",
            });
            for (const s of p.Statement) {
                expect(s.Resource).to.not.equal("*");
                expect(s.Condition).to.deep.equal({
                    ArnEquals: { "ecs:cluster": args.ecsClusterArn },
                });
            }
        });

        it("limits every drill role to its targets: a wildcard resource only on Describe calls, subnets of this cell only", () => {
            const targets = policyTargets();
            for (const drill of FIS_DRILLS) {
                for (const st of experimentPolicy(drill, targets).Statement) {
                    const resources = [st.Resource].flat();
                    // EC2's Describe calls take no resource-level permission (no resource type
                    // in the Actions table means "*"):
                    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
                    if (resources.includes("*"))
                        expect(st.Action, `${drill}: * resource`).to.satisfy((a: string[]) =>
                            a.every((x) => x.startsWith("ec2:Describe")),
                        );
                    // Account-pinned, in this region.
                    for (const r of resources.filter((x) => x !== "*" && x.startsWith("arn:")))
                        expect(r, `${drill}: ${r}`).to.match(/^arn:aws:[a-z0-9-]+:(eu-west-1)?:/);
                }
            }
            const cut = experimentPolicy("cut-data-network", targets).Statement.find((st) =>
                st.Action.includes("ec2:ReplaceNetworkAclAssociation"),
            )!;
            const subnets = [cut.Resource].flat().filter((r) => r.includes(":subnet/"));
            expect(subnets).to.have.members(
                [...args.taskSubnetIds, ...args.dataSubnetIds].map(
                    (id) => `arn:aws:ec2:eu-west-1:123456789012:subnet/${id}`,
                ),
            );
        });
    });

    describe("planned", function () {
        this.timeout(120000);

        it("plans no FIS template with the repository's config", async () => {
            for (const p of await repoPlan())
                expect(p.mocks.ofType(TEMPLATE), p.plan.stack).to.be.empty;
        });

        it("with drills enabled in eu-west-1: every template stops on that stack's composite alarm, roles without wildcard actions, 0 violations", async () => {
            const dir = projectCopy("drills-plan-", (docs) => {
                docs["Pulumi.eu-west-1.yaml"].config["taskflow:drills"] = [...FIS_DRILLS];
            });
            const planned = await planAll({
                dir,
                stacks: ["eu-west-1"],
                evaluate: evaluatorFor(defaultPackConfig()),
            });
            const eu = planned.find((p) => p.plan.stack === "eu-west-1")!;
            expect(eu.plan.violations ?? []).to.deep.equal([]);
            const [composite] = eu.mocks.ofType("aws:cloudwatch/compositeAlarm:CompositeAlarm");
            const templates = eu.mocks.ofType(TEMPLATE);
            expect(templates).to.have.length(FIS_DRILLS.length);
            for (const t of templates) {
                expect(t.inputs.stopConditions).to.deep.equal([
                    { source: "aws:cloudwatch:alarm", value: composite.outputs.arn },
                ]);
                expectNoWildcardActions(rolePolicyOf(eu.mocks.resources, t).inputs.policy, t.name);
            }
            for (const p of planned)
                if (p !== eu) expect(p.mocks.ofType(TEMPLATE), p.plan.stack).to.be.empty;
        });
    });
});
