/**
 * NightMode on the repository's own planned stacks (night mode is enabled in Pulumi.yaml): the
 * schedules, the controller and exactly what it may touch, fed by the region stacks' planned
 * outputs; and the RegionalCell side (which scalable targets the controller owns).
 */
import { expect } from "chai";
import { NightMode } from "../../../components/night-mode";
import { nightModeMovesCapacity } from "../../../config";
import { StackConfig } from "../../../config";
import { NightModeSpec } from "../../../model/night-mode";
import { RecordedResource } from "../../../plan/mocks";
import { PlannedStack } from "../../../plan/run";
import { repoPlan } from "../../helpers/repo-plan";
import { repoDrainedRegions } from "../../helpers/repo-topology";
import { T as TYPES } from "../../../policies/types";

/** Short names for the type tokens these specs read, from the pack's one table (policies/types.ts). */
const T = {
    fn: TYPES.lambda,
    schedule: TYPES.schedule,
    role: TYPES.iamRole,
    rolePolicy: TYPES.iamRolePolicy,
    logGroup: TYPES.logGroup,
    key: TYPES.kmsKey,
    alarm: TYPES.metricAlarm,
    queue: TYPES.queue,
    invocation: TYPES.lambdaInvocation,
    target: TYPES.scalingTarget,
};

interface Statement {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Resource?: string | string[];
    Principal?: { AWS?: unknown; Service?: string | string[] };
    Condition?: Record<string, Record<string, unknown>>;
}
const statements = (doc: unknown): Statement[] =>
    (JSON.parse(String(doc)) as { Statement: Statement[] }).Statement;
const list = <V>(v: V | V[] | undefined): V[] => (v === undefined ? [] : ([v].flat() as V[]));

describe("NightMode (planned global stack)", function () {
    this.timeout(60_000);
    let planned: PlannedStack[];
    const stack = (name: string) => planned.find((p) => p.plan.stack === name)!;
    const ours = (type: string): RecordedResource[] =>
        stack("global")
            .mocks.ofType(type)
            .filter((r) => r.urn.includes("taskflow:ops:NightMode$"));
    const one = (name: string) => stack("global").mocks.named(name);
    const spec = () => stack("global").outputs.nightModeSpec as NightModeSpec;

    before(async () => {
        planned = await repoPlan();
    });

    it("schedules the night flip at 22:00 and the day flip at 08:00 Asia/Tokyo through its own role, with retries and a dead-letter queue", () => {
        const fn = one("night-mode-controller");
        const role = one("night-mode-scheduler-role");
        const dlq = one("night-mode-dlq");
        const byPhase = Object.fromEntries(
            ours(T.schedule).map((s) => [s.name.replace("night-mode-", ""), s]),
        );
        expect(Object.keys(byPhase)).to.have.members(["night", "day"]);
        expect(byPhase.night.inputs.scheduleExpression).to.equal("cron(0 22 * * ? *)");
        expect(byPhase.day.inputs.scheduleExpression).to.equal("cron(0 8 * * ? *)");
        for (const [phase, s] of Object.entries(byPhase)) {
            expect(s.region).to.equal("ap-northeast-1");
            expect(s.inputs.scheduleExpressionTimezone).to.equal("Asia/Tokyo");
            expect(s.inputs.flexibleTimeWindow).to.deep.equal({ mode: "OFF" });
            const target = s.inputs.target as Record<string, unknown>;
            expect(target.arn).to.equal(fn.outputs.arn);
            expect(target.roleArn).to.equal(role.outputs.arn);
            expect(JSON.parse(String(target.input))).to.deep.equal({
                action: phase,
                scheduledTime: "<aws.scheduler.scheduled-time>",
            });
            expect(target.retryPolicy).to.deep.equal({
                maximumRetryAttempts: 2,
                maximumEventAgeInSeconds: 600,
            });
            expect(target.deadLetterConfig).to.deep.equal({ arn: dlq.outputs.arn });
        }
    });

    it("lets only EventBridge Scheduler of this account assume the scheduler role, to invoke the controller and dead-letter", () => {
        const [trust] = statements(one("night-mode-scheduler-role").inputs.assumeRolePolicy);
        expect(trust.Principal).to.deep.equal({ Service: "scheduler.amazonaws.com" });
        expect(trust.Condition).to.deep.equal({
            StringEquals: { "aws:SourceAccount": "123456789012" },
        });
        const fnArn = one("night-mode-controller").outputs.arn;
        const s = statements(one("night-mode-scheduler-policy").inputs.policy);
        expect(s.map((x) => [list(x.Action), list(x.Resource)])).to.deep.equal([
            [["lambda:InvokeFunction"], [fnArn, `${fnArn}:*`]],
            [["sqs:SendMessage"], [one("night-mode-dlq").outputs.arn]],
        ]);
    });

    it("runs the controller in the primary region, reserving no concurrency by default, with the spec the cells' outputs give", () => {
        const fn = one("night-mode-controller");
        expect(fn.region).to.equal("ap-northeast-1");
        // A reservation fails CreateFunction in an account with less than 100 to spare
        // (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
        expect(fn.inputs).to.not.have.property("reservedConcurrentExecutions");
        expect(fn.inputs.timeout).to.equal(spec().readinessTimeoutSeconds + 60);
        const [trust] = statements(one("night-mode-role").inputs.assumeRolePolicy);
        expect(trust.Principal).to.deep.equal({ Service: "lambda.amazonaws.com" });
        const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
        expect(JSON.parse(env.NIGHT_MODE_SPEC)).to.deep.equal(spec());
        for (const c of spec().cells) {
            const out = stack(c.region).outputs as Record<string, unknown>;
            expect(c.clusterName).to.equal(out.ecsClusterName);
            expect(c.serviceName).to.equal(out.ecsServiceName);
            expect(c.resourceId).to.equal(out.scalableTargetResourceId);
            const day = out.dayCapacity as { minTasks: number; maxTasks: number };
            expect(c.day).to.deep.equal({ min: day.minTasks, max: day.maxTasks });
        }
        const arns = stack("global")
            .mocks.ofType("aws:globalaccelerator/endpointGroup:EndpointGroup")
            .map((g) => [g.inputs.endpointGroupRegion, g.outputs.arn]);
        expect(spec().cells.map((c) => [c.region, c.endpointGroupArn])).to.have.deep.members(arns);
        expect(spec().gateRegion).to.equal("us-east-1");
    });

    it("drains only us-east-1, to Tokyo; eu-west-1 keeps serving (EU data lives nowhere else)", () => {
        const by = Object.fromEntries(spec().cells.map((c) => [c.region, c]));
        expect(by["ap-northeast-1"]).to.include({ role: "active" });
        expect(by["us-east-1"]).to.include({ role: "drain", target: "ap-northeast-1" });
        expect(by["us-east-1"].night).to.deep.equal({ min: 1, max: by["us-east-1"].day.max });
        expect(by["eu-west-1"]).to.include({ role: "keep" });
        expect(by["eu-west-1"].night).to.deep.equal(by["eu-west-1"].day);
        expect(
            spec()
                .cells.filter((c) => c.role === "drain")
                .map((c) => c.region),
        ).to.have.members(repoDrainedRegions());
    });

    it("grants the controller exactly the drained cell, every dial, its gate metric and its own parameters", () => {
        const s = statements(one("night-mode-policy").inputs.policy);
        const by = Object.fromEntries(s.map((x) => [x.Sid, x]));
        expect(Object.keys(by)).to.have.members([
            "Logs",
            "HoldAndLock",
            "DnsGates",
            "ReadScalableTargets",
            "ScaleDrainedCells",
            "DrainedServices",
            "TrafficDials",
        ]);
        expect(s.flatMap((x) => list(x.Action)).filter((a) => a.includes("*"))).to.deep.equal([]);
        expect(list(by.ScaleDrainedCells.Action)).to.deep.equal([
            "application-autoscaling:RegisterScalableTarget",
        ]);
        // every region night mode drains (us-east-1, and any region a user added to a zone an
        // active region serves), and no other
        const drained = repoDrainedRegions();
        expect(drained).to.include("us-east-1").and.not.include("eu-west-1");
        expect(list(by.ScaleDrainedCells.Resource)).to.have.members(
            drained.map(
                (r) => `arn:aws:application-autoscaling:${r}:123456789012:scalable-target/*`,
            ),
        );
        expect(list(by.ReadScalableTargets.Action)).to.deep.equal([
            "application-autoscaling:DescribeScalableTargets",
        ]);
        expect(list(by.DrainedServices.Action)).to.deep.equal([
            "ecs:DescribeServices",
            "ecs:UpdateService",
        ]);
        expect(list(by.DrainedServices.Resource)).to.have.members(
            drained.map(
                (r) => `arn:aws:ecs:${r}:123456789012:service/taskflow-prod-${r}/taskflow-prod-app`,
            ),
        );
        expect(list(by.TrafficDials.Action)).to.deep.equal([
            "globalaccelerator:DescribeEndpointGroup",
            "globalaccelerator:UpdateEndpointGroup",
        ]);
        expect(list(by.TrafficDials.Resource)).to.have.members(
            spec().cells.map((c) => c.endpointGroupArn),
        );
        expect(list(by.DnsGates.Action)).to.deep.equal(["cloudwatch:PutMetricData"]);
        expect(by.DnsGates.Condition).to.deep.equal({
            StringEquals: { "cloudwatch:namespace": "TaskFlow/NightMode" },
        });
        const param = (leaf: string) =>
            `arn:aws:ssm:ap-northeast-1:123456789012:parameter/taskflow/prod/night-mode/${leaf}`;
        expect(list(by.HoldAndLock.Resource)).to.deep.equal([param("hold"), param("lock")]);
        expect(spec().holdParameter).to.equal("/taskflow/prod/night-mode/hold");
        expect(spec().lockParameter).to.equal("/taskflow/prod/night-mode/lock");
        expect(list(by.Logs.Resource)).to.deep.equal([`${one("night-mode-logs").outputs.arn}:*`]);
    });

    it("encrypts its logs and environment with its own rotating key, usable by CloudWatch Logs only for its log group", () => {
        const key = one("night-mode-key");
        const logs = one("night-mode-logs");
        const fn = one("night-mode-controller");
        expect(key.inputs.enableKeyRotation).to.equal(true);
        expect(logs.inputs.kmsKeyId).to.equal(key.outputs.arn);
        expect(fn.inputs.kmsKeyArn).to.equal(key.outputs.arn);
        expect(logs.inputs.name).to.equal(`/aws/lambda/${fn.inputs.name}`);
        const logsStatement = statements(key.inputs.policy).find(
            (x) => x.Principal?.Service !== undefined,
        )!;
        expect(logsStatement.Principal).to.deep.equal({
            Service: "logs.ap-northeast-1.amazonaws.com",
        });
        expect(logsStatement.Condition).to.deep.equal({
            ArnEquals: {
                "kms:EncryptionContext:aws:logs:arn": [
                    `arn:aws:logs:ap-northeast-1:123456789012:log-group:${logs.inputs.name}`,
                ],
            },
        });
        // The account may use the key for data only through Lambda in this region.
        const data = statements(key.inputs.policy).find(
            (x) => list(x.Action).includes("kms:Decrypt") && x.Principal?.AWS,
        )!;
        expect(data.Condition!.StringEquals["kms:ViaService"]).to.deep.equal([
            "lambda.ap-northeast-1.amazonaws.com",
        ]);
        for (const r of [key, logs]) {
            expect((r.inputs.tags as Record<string, string>)["data-residency"]).to.equal("global");
        }
    });

    it("alarms on failed, throttled, dropped and undelivered flips to the primary cell's topic", () => {
        const topic = stack("ap-northeast-1").outputs.alarmTopicArn;
        const alarms = Object.fromEntries(ours(T.alarm).map((a) => [a.name, a.inputs]));
        expect(Object.keys(alarms)).to.have.members([
            "night-mode-errors",
            "night-mode-throttles",
            "night-mode-dropped",
            "night-mode-dead-letters",
        ]);
        expect(alarms["night-mode-errors"]).to.deep.include({
            namespace: "AWS/Lambda",
            metricName: "Errors",
        });
        expect(alarms["night-mode-throttles"]).to.deep.include({
            namespace: "AWS/Lambda",
            metricName: "Throttles",
        });
        expect(alarms["night-mode-dropped"]).to.deep.include({
            namespace: "AWS/Scheduler",
            metricName: "InvocationDroppedCount",
        });
        expect(alarms["night-mode-dead-letters"]).to.deep.include({
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
        });
        for (const a of Object.values(alarms)) expect(a.alarmActions).to.deep.equal([topic]);
    });

    it("syncs the controller after every change of its spec, and restores everything when removed", () => {
        const [inv] = ours(T.invocation);
        expect(inv.inputs.functionName).to.equal(one("night-mode-controller").inputs.name);
        expect(inv.inputs.lifecycleScope).to.equal("CRUD");
        const input = JSON.parse(String(inv.inputs.input)) as { action: string; spec: string };
        expect(input.action).to.equal("sync");
        expect(input.spec).to.match(/^[0-9a-f]{16}$/);
        expect(inv.options.dependsOn).to.include.members([
            one("night-mode-controller").urn,
            one("night-mode-policy").urn,
        ]);
    });

    it("hands the drained cell's scalable target to the controller and keeps every other one", () => {
        const ignored = (s: string) => stack(s).mocks.ofType(T.target)[0].options.ignoreChanges;
        expect(ignored("us-east-1")).to.include.members(["minCapacity", "maxCapacity"]);
        expect(ignored("eu-west-1")).to.not.include("minCapacity");
        expect(ignored("ap-northeast-1")).to.not.include("minCapacity");
    });

    it("decides who owns a scalable target from the roles, not the cell mode", () => {
        const cfg = stack("us-east-1").config;
        const off: StackConfig = { ...cfg, nightMode: { ...cfg.nightMode, enabled: false } };
        expect(nightModeMovesCapacity(cfg)).to.equal(true);
        expect(nightModeMovesCapacity(off)).to.equal(false);
        // Switching modes never hands min/max back and forth: pilot-light stays with the controller.
        const pilot: StackConfig = { ...cfg, cell: { ...cfg.cell!, mode: "pilot-light" } };
        expect(nightModeMovesCapacity(pilot)).to.equal(true);
        const active: StackConfig = {
            ...cfg,
            nightMode: { ...cfg.nightMode, activeRegions: ["ap-northeast-1", "us-east-1"] },
        };
        expect(nightModeMovesCapacity(active)).to.equal(false);
        expect(nightModeMovesCapacity(stack("eu-west-1").config)).to.equal(false);
    });

    it("refuses, before registering anything, a controller in a region it drains", () => {
        const cfg = stack("global").config;
        expect(
            () =>
                new NightMode("nm", {
                    settings: cfg.nightMode,
                    topology: cfg.topology,
                    environment: "prod",
                    controllerRegion: "us-east-1",
                    cells: {},
                }),
        ).to.throw(/controllerRegion us-east-1 is not active at night/);
    });
});
