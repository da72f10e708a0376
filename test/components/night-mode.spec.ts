/**
 * NightMode on the repository's own planned stacks (night mode is enabled in Pulumi.yaml): the
 * schedules, the controller and what it may touch, fed by the region stacks' planned outputs;
 * and the RegionalCell side (which scalable targets the controller owns).
 */
import { expect } from "chai";
import { NightMode } from "../../components/night-mode";
import { nightModeMovesCapacity } from "../../components/regional-cell";
import { StackConfig } from "../../config";
import { NightModeSpec } from "../../ops/night-mode";
import { RecordedResource } from "../../plan/mocks";
import { PlannedStack } from "../../plan/run";
import { repoPlan } from "../helpers/repo-plan";

const T = {
    fn: "aws:lambda/function:Function",
    schedule: "aws:scheduler/schedule:Schedule",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    key: "aws:kms/key:Key",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    target: "aws:appautoscaling/target:Target",
};

describe("NightMode (planned global stack)", function () {
    this.timeout(60_000);
    let planned: PlannedStack[];
    const stack = (name: string) => planned.find((p) => p.plan.stack === name)!;
    const ours = (type: string): RecordedResource[] =>
        stack("global")
            .mocks.ofType(type)
            .filter((r) => r.urn.includes("taskflow:ops:NightMode$"));
    const spec = () => stack("global").outputs.nightModeSpec as NightModeSpec;

    before(async () => {
        planned = await repoPlan();
    });

    it("schedules the night flip at 22:00 and the day flip at 08:00 Asia/Tokyo, invoking the controller", () => {
        const [fn] = ours(T.fn);
        const schedules = ours(T.schedule);
        expect(
            schedules.map((s) => [s.inputs.scheduleExpression, s.inputs.target]),
        ).to.have.deep.members([
            [
                "cron(0 22 * * ? *)",
                { ...(schedules[0].inputs.target as object), input: '{"action":"night"}' },
            ],
            [
                "cron(0 8 * * ? *)",
                { ...(schedules[1].inputs.target as object), input: '{"action":"day"}' },
            ],
        ]);
        for (const s of schedules) {
            expect(s.inputs.scheduleExpressionTimezone).to.equal("Asia/Tokyo");
            expect(s.inputs.flexibleTimeWindow).to.deep.equal({ mode: "OFF" });
            expect((s.inputs.target as { arn: string }).arn).to.equal(fn.outputs.arn);
            expect(s.region).to.equal("ap-northeast-1");
        }
    });

    it("runs the controller in the primary region, one flip at a time, with the spec the cells' outputs give", () => {
        const [fn] = ours(T.fn);
        expect(fn.region).to.equal("ap-northeast-1");
        expect(fn.inputs.reservedConcurrentExecutions).to.equal(1);
        expect(fn.inputs.timeout).to.equal(spec().readinessTimeoutSeconds + 60);
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
    });

    it("drains only us-east-1; eu-west-1 keeps its traffic (EU data lives nowhere else)", () => {
        const by = Object.fromEntries(spec().cells.map((c) => [c.region, c]));
        expect(by["ap-northeast-1"]).to.include({ active: true, drain: false });
        expect(by["us-east-1"]).to.include({ active: false, drain: true });
        expect(by["eu-west-1"]).to.include({ active: false, drain: false });
    });

    it("grants the controller only the passive cells, the drained endpoint group and its hold parameter", () => {
        const policy = ours(T.rolePolicy).find((p) => p.name === "night-mode-policy")!;
        const doc = JSON.parse(String(policy.inputs.policy)) as {
            Statement: { Sid: string; Action: string[]; Resource: string | string[] }[];
        };
        const actions = doc.Statement.flatMap((s) => s.Action);
        expect(actions.filter((a) => a.includes("*"))).to.deep.equal([]);
        const res = (sid: string) => [doc.Statement.find((s) => s.Sid === sid)!.Resource].flat();
        expect(res("ScalePassiveCells")).to.have.members([
            "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/*",
            "arn:aws:application-autoscaling:eu-west-1:123456789012:scalable-target/*",
        ]);
        const drained = spec().cells.find((c) => c.region === "us-east-1")!.endpointGroupArn;
        expect(res("TrafficDials")).to.deep.equal([drained]);
        expect(res("PassiveServices").every((a) => !a.includes("ap-northeast-1"))).to.equal(true);
        expect(res("HoldParameter")).to.deep.equal([
            "arn:aws:ssm:ap-northeast-1:123456789012:parameter/taskflow/prod/night-mode/hold",
        ]);
    });

    it("encrypts its logs and environment with its own rotating key, classified global", () => {
        const [key] = ours(T.key);
        const [logs] = ours(T.logGroup);
        const [fn] = ours(T.fn);
        expect(key.inputs.enableKeyRotation).to.equal(true);
        expect(logs.inputs.kmsKeyId).to.equal(key.outputs.arn);
        expect(fn.inputs.kmsKeyArn).to.equal(key.outputs.arn);
        expect(logs.inputs.name).to.equal(`/aws/lambda/${fn.inputs.name}`);
        for (const r of [key, logs]) {
            expect((r.inputs.tags as Record<string, string>)["data-residency"]).to.equal("global");
        }
    });

    it("alarms on a failed flip to the primary cell's alarm topic", () => {
        const [alarm] = ours(T.alarm);
        expect(alarm.inputs).to.deep.include({ namespace: "AWS/Lambda", metricName: "Errors" });
        expect(alarm.inputs.alarmActions).to.deep.equal([
            stack("ap-northeast-1").outputs.alarmTopicArn,
        ]);
    });

    it("hands the passive cells' scalable targets to the controller and keeps the active cell's", () => {
        const ignored = (s: string) => stack(s).mocks.ofType(T.target)[0].options.ignoreChanges;
        expect(ignored("us-east-1")).to.include.members(["minCapacity", "maxCapacity"]);
        expect(ignored("eu-west-1")).to.include.members(["minCapacity", "maxCapacity"]);
        expect(ignored("ap-northeast-1")).to.not.include("minCapacity");
    });

    it("leaves every scalable target to the program when night mode is off or the cell is pilot-light", () => {
        const cfg = stack("us-east-1").config;
        const off: StackConfig = { ...cfg, nightMode: { ...cfg.nightMode, enabled: false } };
        expect(nightModeMovesCapacity(cfg)).to.equal(true);
        expect(nightModeMovesCapacity(off)).to.equal(false);
        const pilot: StackConfig = { ...cfg, cell: { ...cfg.cell!, mode: "pilot-light" } };
        expect(nightModeMovesCapacity(pilot)).to.equal(false);
        const active: StackConfig = {
            ...cfg,
            nightMode: { ...cfg.nightMode, activeRegions: ["ap-northeast-1", "us-east-1"] },
        };
        expect(nightModeMovesCapacity(active)).to.equal(false);
    });

    it("refuses, before registering anything, a controller in a region it scales down", () => {
        const cfg = stack("global").config;
        expect(
            () =>
                new NightMode("nm", {
                    config: cfg.nightMode,
                    topology: cfg.topology,
                    environment: "prod",
                    controllerRegion: "us-east-1",
                    cells: {},
                }),
        ).to.throw(/controllerRegion us-east-1 is not active at night/);
    });
});
