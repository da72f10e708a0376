/**
 * The region-by-region rollout (delivery/rollout.ts) against moto_server: CloudWatch alarms
 * (DescribeAlarms with ActionPrefix, SetAlarmState to make a canary fail), ECS clusters, task
 * definitions and services, and the SSM parameter that holds the rollout state are real AWS APIs
 * there. The Pulumi side is the one thing replaced: a fake `RolloutStacks` does what `pulumi up`
 * of a region stack does to ECS (a new task-definition revision with the stack's image, the
 * service pointed at it), so what the controller reads back is what moto says.
 *
 * Time is virtual (the bake's sleeps advance a clock), so a ten-minute bake per region runs in
 * milliseconds while every alarm reading is a real call.
 *
 * moto 5.2.1's ECS keeps a service's PRIMARY deployment COMPLETED whenever
 * MOTO_ECS_SERVICE_RUNNING covers the desired count; AWS reports IN_PROGRESS until the new tasks
 * are healthy, then COMPLETED or FAILED (rolloutState):
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
 */
import { PutMetricAlarmCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import {
    CreateClusterCommand,
    CreateServiceCommand,
    DescribeServicesCommand,
    DescribeTaskDefinitionCommand,
    ListTaskDefinitionsCommand,
    RegisterTaskDefinitionCommand,
    UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { expect } from "chai";
import { CELL_ALARMS, cellAlarmName } from "../../model/cell";
import type { Topology } from "../../config";
import {
    AppPin,
    RolloutInput,
    RolloutReport,
    RolloutStacks,
    RolloutState,
    abandonRollout,
    rollbackByHand,
    rolloutParameterName,
    runRollout,
    wavesGuard,
} from "../../delivery/rollout";
import { ResourceChange, TASK_DEFINITION, ECS_SERVICE } from "../../delivery/rollout-classify";
import { rolloutOrder } from "../../delivery/rollout-order";
import { AwsClients } from "../../ops/aws";
import { rolloutCloud, rolloutStore } from "../../ops/rollout-aws";
import { baseTopology, sixStackTopology } from "../delivery/fixtures";
import { Moto, startMoto } from "./moto";

const ENV = "test";
const ACCOUNT = "123456789012";
/** The topology a test runs on: the seed's three regions (a fixture), or the six-stack fixture. */
const fixture = (topology: Topology) => {
    const steps = rolloutOrder(topology);
    return {
        steps,
        regions: topology.regions.map((r) => r.region),
        order: steps.map((s) => s.region),
    };
};
const THREE = fixture(baseTopology());
const SIX = fixture(sixStackTopology());
let F = THREE;
const STATE_REGION = "ap-northeast-1";
const PARAMETER = rolloutParameterName(ENV);
const EDGE_REGION = "us-east-1";

const cellTopic = (r: string) => `arn:aws:sns:${r}:${ACCOUNT}:taskflow-${ENV}-cell-alarms-${r}`;
const EDGE_TOPIC = `arn:aws:sns:${EDGE_REGION}:${ACCOUNT}:taskflow-${ENV}-edge-alarms`;
const edgeAlarm = (r: string) => `edge-hc-${r}-alarm`;
const CLUSTER = (r: string) => `taskflow-${ENV}-${r}`;
const SERVICE = `taskflow-${ENV}-app`;
const FAMILY = (r: string) => `taskflow-${ENV}-app-${r}`;
const IMAGE = (v: string) => `${ACCOUNT}.dkr.ecr.ap-northeast-1.amazonaws.com/taskflow:${v}`;
const pin = (v: string): AppPin => ({ image: IMAGE(v), cpu: 512, memory: 1024 });
const targets = (v: string) => Object.fromEntries(F.regions.map((r) => [r, pin(v)]));

// Short enough to keep the spec quick (every reading is a real call), long enough for several readings.
const BAKE_MS = 2 * 60_000;
const POLL_MS = 60_000;

/** A virtual clock: sleeping advances it and runs the hooks due (what happens meanwhile). */
class VirtualClock {
    t = Date.parse("2025-06-02T03:00:00Z"); // 12:00 in Tokyo: daytime
    hooks: ((now: number) => Promise<void> | void)[] = [];
    now = () => new Date(this.t);
    sleep = async (ms: number) => {
        this.t += ms;
        for (const h of this.hooks) await h(this.t);
    };
}

/** The moto world: the fixture's cells, their alarms, the edge alarms. */
class World {
    constructor(readonly clients: AwsClients) {}

    async build(): Promise<void> {
        for (const r of F.regions) {
            const ecs = this.clients.ecs(r);
            await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER(r) }));
            const td = await this.register(r, pin("1.0.0"));
            await ecs.send(
                new CreateServiceCommand({
                    cluster: CLUSTER(r),
                    serviceName: SERVICE,
                    taskDefinition: td,
                    desiredCount: 2,
                }),
            );
            const cw = this.clients.cloudwatch(r);
            const put = (name: string, actions: string[]) =>
                cw.send(
                    new PutMetricAlarmCommand({
                        AlarmName: name,
                        Namespace: "AWS/ApplicationELB",
                        MetricName: "HTTPCode_Target_5XX_Count",
                        Statistic: "Sum",
                        Period: 60,
                        EvaluationPeriods: 1,
                        Threshold: 1,
                        ComparisonOperator: "GreaterThanThreshold",
                        AlarmActions: actions,
                        OKActions: actions,
                    }),
                );
            // moto starts an alarm in OK (AWS: INSUFFICIENT_DATA, which gates nothing either).
            for (const a of CELL_ALARMS) await put(cellAlarmName(ENV, r, a), [cellTopic(r)]);
            await put(`taskflow-${ENV}-${r}-replication-lag`, [cellTopic(r)]);
        }
        // The edge (us-east-1): one health-check alarm per region on the edge topic, and night
        // mode's gate alarm, which has no actions and is in ALARM by design at night.
        const cw = this.clients.cloudwatch(EDGE_REGION);
        for (const r of F.regions) {
            await cw.send(
                new PutMetricAlarmCommand({
                    AlarmName: edgeAlarm(r),
                    Namespace: "AWS/Route53",
                    MetricName: "HealthCheckStatus",
                    Statistic: "Minimum",
                    Period: 60,
                    EvaluationPeriods: 1,
                    Threshold: 1,
                    ComparisonOperator: "LessThanThreshold",
                    AlarmActions: [EDGE_TOPIC],
                }),
            );
        }
        await cw.send(
            new PutMetricAlarmCommand({
                AlarmName: `taskflow-${ENV}-night-gate-us-east-1`,
                Namespace: "TaskFlow/NightMode",
                MetricName: "Drained",
                Statistic: "Maximum",
                Period: 60,
                EvaluationPeriods: 1,
                Threshold: 1,
                ComparisonOperator: "GreaterThanOrEqualToThreshold",
            }),
        );
        await this.setAlarm(EDGE_REGION, `taskflow-${ENV}-night-gate-us-east-1`, "ALARM");
    }

    /** What `pulumi up` of a region stack does to ECS: a new revision, the service on it. */
    async register(region: string, p: AppPin): Promise<string> {
        const out = await this.clients.ecs(region).send(
            new RegisterTaskDefinitionCommand({
                family: FAMILY(region),
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(p.cpu),
                memory: String(p.memory),
                containerDefinitions: [{ name: "app", image: p.image, essential: true }],
            }),
        );
        return out.taskDefinition!.taskDefinitionArn!;
    }

    async pointService(region: string, taskDefinition: string): Promise<void> {
        await this.clients.ecs(region).send(
            new UpdateServiceCommand({
                cluster: CLUSTER(region),
                service: SERVICE,
                taskDefinition,
            }),
        );
    }

    async setAlarm(region: string, name: string, state: "OK" | "ALARM"): Promise<void> {
        await this.clients.cloudwatch(region).send(
            new SetAlarmStateCommand({
                AlarmName: name,
                StateValue: state,
                StateReason: state === "ALARM" ? "Threshold Crossed: drill" : "drill over",
            }),
        );
    }

    async running(region: string): Promise<{ image: string; taskDefinition: string }> {
        const ecs = this.clients.ecs(region);
        const s = await ecs.send(
            new DescribeServicesCommand({ cluster: CLUSTER(region), services: [SERVICE] }),
        );
        const taskDefinition = s.services![0].taskDefinition!;
        const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
        return { image: td.taskDefinition!.containerDefinitions![0].image!, taskDefinition };
    }

    async revisions(region: string): Promise<number> {
        const out = await this.clients
            .ecs(region)
            .send(new ListTaskDefinitionsCommand({ familyPrefix: FAMILY(region) }));
        return out.taskDefinitionArns?.length ?? 0;
    }

    async storedState(): Promise<RolloutState> {
        const out = await this.clients
            .ssm(STATE_REGION)
            .send(new GetParameterCommand({ Name: PARAMETER }));
        return JSON.parse(out.Parameter!.Value!) as RolloutState;
    }
}

/** The Pulumi side: previews say what a region stack would change; `up` changes ECS in moto. */
class FakeStacks implements RolloutStacks {
    calls: { op: "preview" | "up"; stack: string; pin?: AppPin; at: number }[] = [];
    extra: Record<string, ResourceChange[]> = {};
    onUp?: (stack: string, pin: AppPin | undefined) => Promise<void>;
    constructor(
        readonly world: World,
        readonly clock: VirtualClock,
        readonly config: Record<string, AppPin>,
    ) {}

    async preview(stack: string): Promise<ResourceChange[]> {
        this.calls.push({ op: "preview", stack, at: this.clock.t });
        const extra = this.extra[stack] ?? [];
        if (stack === "global") return extra;
        const running = await this.world.running(stack);
        if (running.image === this.config[stack].image) return extra;
        return [
            ...extra,
            {
                urn: `urn:${stack}::cell-task`,
                type: TASK_DEFINITION,
                op: "replace",
                diffs: ["containerDefinitions"],
            },
            {
                urn: `urn:${stack}::cell-service`,
                type: ECS_SERVICE,
                op: "update",
                diffs: ["taskDefinition"],
            },
        ];
    }

    async up(stack: string, p?: AppPin): Promise<string> {
        this.calls.push({ op: "up", stack, ...(p ? { pin: p } : {}), at: this.clock.t });
        const td = await this.world.register(stack, p ?? this.config[stack]);
        await this.world.pointService(stack, td);
        await this.onUp?.(stack, p);
        return "1 replaced, 1 updated";
    }

    async outputs(stack: string): Promise<Record<string, unknown>> {
        if (stack === "global") return { edgeAlarmTopicArn: EDGE_TOPIC };
        return {
            region: stack,
            ecsClusterName: CLUSTER(stack),
            ecsServiceName: SERVICE,
            alarmTopicArn: cellTopic(stack),
        };
    }

    ups(): { stack: string; pin?: string }[] {
        return this.calls
            .filter((c) => c.op === "up")
            .map((c) => ({ stack: c.stack, ...(c.pin ? { pin: c.pin.image } : {}) }));
    }
}

describe("ops: the region-by-region rollout against moto", function () {
    this.timeout(60_000);
    let moto: Moto;
    let clients: AwsClients;
    let world: World;
    let clock: VirtualClock;
    let lines: string[];

    before(async () => {
        moto = await startMoto({ MOTO_ECS_SERVICE_RUNNING: "100" });
        clients = new AwsClients({ endpoint: moto.endpoint });
    });
    after(async () => {
        clients?.destroy();
        await moto?.stop();
    });
    /** A fresh moto world of the fixture's regions (three unless a test needs the six). */
    const rebuild = async (f = THREE) => {
        F = f;
        await moto.reset();
        world = new World(clients);
        await world.build();
    };
    // The tests that run on the six-stack fixture (by title): their world is built on it once,
    // not on the three regions first (a test left off this list fails on its region order).
    const ON_SIX = [
        "promotes a healthy change through every region of six stacks",
        "stops on an edge alarm while the second region bakes",
    ];
    beforeEach(async function () {
        const title = this.currentTest!.title;
        await rebuild(ON_SIX.some((t) => title.startsWith(t)) ? SIX : THREE);
        clock = new VirtualClock();
        lines = [];
    });

    const input = (over: Partial<RolloutInput> = {}): RolloutInput => ({
        steps: F.steps,
        targets: targets("1.1.0"),
        globalStack: "global",
        bakeMs: BAKE_MS,
        pollMs: POLL_MS,
        deployTimeoutMs: 30 * 60_000,
        owner: "spec@test",
        ...over,
    });
    const run = (stacks: FakeStacks, over: Partial<RolloutInput> = {}): Promise<RolloutReport> =>
        runRollout(input(over), {
            stacks,
            cloud: rolloutCloud(clients),
            store: rolloutStore(clients, { region: STATE_REGION, parameter: PARAMETER }),
            clock,
            log: (l) => lines.push(l),
        });
    /** A rollout stopped (Ctrl-C) a minute into `stack`'s bake; the hooks and log cleared after. */
    const interruptedAt = async (stack: string): Promise<FakeStacks> => {
        const stop = new AbortController();
        const stacks = new FakeStacks(world, clock, targets("1.1.0"));
        whenBaking(stacks, stack, 60_000, async () => stop.abort());
        const report = await run(stacks, { signal: stop.signal });
        expect(report.outcome, lines.join("\n")).to.equal("interrupted");
        clock.hooks = [];
        lines = [];
        return stacks;
    };
    /** Fires `then` once, at the first sleep at least `afterMs` after `stack`'s first update. */
    const whenBaking = (
        stacks: FakeStacks,
        stack: string,
        afterMs: number,
        then: () => Promise<void>,
    ) => {
        let done = false;
        clock.hooks.push(async (now) => {
            const up = stacks.calls.find((c) => c.op === "up" && c.stack === stack && !c.pin);
            if (!done && up && now - up.at >= afterMs) {
                done = true;
                await then();
            }
        });
    };

    it("the AWS ports read only the alarms on a topic, the service's image and size, and the state", async () => {
        const cloud = rolloutCloud(clients);
        const cell = await cloud.alarmsNotifying("us-east-1", cellTopic("us-east-1"));
        expect(cell.map((a) => a.name).sort()).to.deep.equal(
            [
                ...CELL_ALARMS.map((a) => cellAlarmName(ENV, "us-east-1", a)),
                `taskflow-${ENV}-us-east-1-replication-lag`,
            ].sort(),
        );
        const edge = await cloud.alarmsNotifying(EDGE_REGION, EDGE_TOPIC);
        expect(edge.map((a) => a.name).sort()).to.deep.equal(F.regions.map(edgeAlarm).sort());
        expect(edge.every((a) => a.state === "OK")).to.equal(true);
        // Night mode's gate is in ALARM by design; it notifies no topic, so it is never read.
        expect(edge.map((a) => a.name)).to.not.include(`taskflow-${ENV}-night-gate-us-east-1`);
        expect(await cloud.service("eu-west-1", CLUSTER("eu-west-1"), SERVICE)).to.deep.include({
            image: IMAGE("1.0.0"),
            cpu: 512,
            memory: 1024,
            desired: 2,
        });
        const store = rolloutStore(clients, { region: STATE_REGION, parameter: PARAMETER });
        expect(await store.get()).to.equal(undefined);
    });

    it("promotes a healthy change through every region of six stacks, one at a time, in the topology's order", async () => {
        const stacks = new FakeStacks(world, clock, targets("1.1.0"));
        const report = await run(stacks);
        expect(report.outcome, lines.join("\n")).to.equal("completed");
        expect(report.exitCode).to.equal(0);
        expect(F.order).to.deep.equal([
            "us-east-1",
            "ap-northeast-3",
            "eu-west-1",
            "ap-southeast-2",
            "ap-northeast-1",
        ]);
        expect(stacks.ups()).to.deep.equal(F.order.map((stack) => ({ stack })));
        // One at a time: each region baked its full time before the next one was touched.
        const upAt = stacks.calls.filter((c) => c.op === "up").map((c) => c.at);
        for (let i = 1; i < upAt.length; i++) {
            expect(upAt[i] - upAt[i - 1], F.order[i]).to.be.at.least(BAKE_MS);
        }
        for (const r of F.regions) {
            expect((await world.running(r)).image, r).to.equal(IMAGE("1.1.0"));
            expect(await world.revisions(r), r).to.equal(2);
        }
        const state = await world.storedState();
        expect(state.status).to.equal("completed");
        expect(state.order).to.deep.equal(F.order);
        expect(Object.values(state.regions).map((r) => r.status)).to.deep.equal(
            F.order.map(() => "promoted"),
        );
        expect(state.regions["eu-west-1"].previous).to.deep.equal(pin("1.0.0"));
        // The summary says which region runs what.
        expect(report.summary.map((l) => [l.region, l.status, l.image])).to.deep.equal(
            F.order.map((r) => [r, "promoted", IMAGE("1.1.0")]),
        );
        expect(lines.join("\n")).to.include("which region runs what:");
        expect(lines.some((l) => l.startsWith("us-east-1: baking 2 min"))).to.equal(true);
    });

    it("stops when the canary's alarm fires during its bake, and rolls back only the canary", async () => {
        const stacks = new FakeStacks(world, clock, targets("1.1.0"));
        whenBaking(stacks, "us-east-1", 60_000, () =>
            world.setAlarm("us-east-1", cellAlarmName(ENV, "us-east-1", "5xx-rate"), "ALARM"),
        );
        const report = await run(stacks);
        expect(report.outcome, lines.join("\n")).to.equal("rolled-back");
        expect(report.exitCode).to.equal(1);
        // The same program rolled it back: pulumi up of the canary with the previous image pinned.
        expect(stacks.ups()).to.deep.equal([
            { stack: "us-east-1" },
            { stack: "us-east-1", pin: IMAGE("1.0.0") },
        ]);
        expect((await world.running("us-east-1")).image).to.equal(IMAGE("1.0.0"));
        expect(await world.revisions("us-east-1")).to.equal(3);
        for (const r of F.regions.filter((x) => x !== "us-east-1")) {
            expect((await world.running(r)).image, r).to.equal(IMAGE("1.0.0"));
            expect(await world.revisions(r), `${r} untouched`).to.equal(1);
        }
        const state = await world.storedState();
        expect(state).to.include({ status: "rolled-back", failedRegion: "us-east-1" });
        expect(state.regions["us-east-1"].status).to.equal("rolled-back");
        expect(state.regions["us-east-1"].reason).to.include(
            cellAlarmName(ENV, "us-east-1", "5xx-rate"),
        );
        expect(report.summary.find((l) => l.region === "eu-west-1")?.status).to.equal(
            "not reached",
        );

        // The same image again is refused without touching anything; the waves refuse it too.
        const again = new FakeStacks(world, clock, targets("1.1.0"));
        const refused = await run(again);
        expect(refused.outcome).to.equal("refused");
        expect(refused.message).to.include("was rolled back in us-east-1").and.include("--retry");
        expect(again.calls).to.deep.equal([]);
        expect(wavesGuard(state, targets("1.1.0"), clock.now())).to.include(
            "would take it to every region at once",
        );
        // A reverted (or new) image is a new rollout.
        expect(wavesGuard(state, targets("1.0.0"), clock.now())).to.equal(undefined);
    });

    it("stops on an edge alarm while the second region bakes: that region rolls back, the promoted canary keeps the new image", async () => {
        const stacks = new FakeStacks(world, clock, targets("1.1.0"));
        whenBaking(stacks, "ap-northeast-3", 60_000, () =>
            world.setAlarm(EDGE_REGION, edgeAlarm("ap-northeast-3"), "ALARM"),
        );
        const report = await run(stacks);
        expect(report.outcome, lines.join("\n")).to.equal("rolled-back");
        expect(stacks.ups()).to.deep.equal([
            { stack: "us-east-1" },
            { stack: "ap-northeast-3" },
            { stack: "ap-northeast-3", pin: IMAGE("1.0.0") },
        ]);
        expect((await world.running("us-east-1")).image).to.equal(IMAGE("1.1.0"));
        expect(await world.revisions("us-east-1")).to.equal(2);
        expect((await world.running("ap-northeast-3")).image).to.equal(IMAGE("1.0.0"));
        for (const r of ["eu-west-1", "ap-southeast-2", "ap-northeast-1"]) {
            expect(await world.revisions(r), `${r} untouched`).to.equal(1);
        }
        expect(report.summary.map((l) => [l.region, l.status])).to.deep.equal([
            ["us-east-1", "promoted"],
            ["ap-northeast-3", "rolled-back"],
            ["eu-west-1", "not reached"],
            ["ap-southeast-2", "not reached"],
            ["ap-northeast-1", "not reached"],
        ]);
        expect(report.summary[1].reason).to.include(edgeAlarm("ap-northeast-3"));
    });

    it("treats a deployment ECS undid itself (circuit breaker or alarm rollback) as failed and rolls the stack back", async () => {
        const stacks = new FakeStacks(world, clock, targets("1.1.0"));
        const first = (await world.running("us-east-1")).taskDefinition;
        stacks.onUp = async (stack, p) => {
            // ECS's circuit breaker puts the service back on the last completed deployment.
            if (stack === "us-east-1" && !p) await world.pointService("us-east-1", first);
        };
        const report = await run(stacks);
        expect(report.outcome, lines.join("\n")).to.equal("rolled-back");
        expect(report.message).to.include("circuit breaker or alarm rollback");
        expect(stacks.ups()).to.deep.equal([
            { stack: "us-east-1" },
            { stack: "us-east-1", pin: IMAGE("1.0.0") },
        ]);
        expect(await world.revisions("eu-west-1")).to.equal(1);
    });

    it("resumes a rollout stopped mid-bake: promoted regions are skipped, the stopped one bakes again", async () => {
        const stop = new AbortController();
        const first = new FakeStacks(world, clock, targets("1.1.0"));
        whenBaking(first, "eu-west-1", 60_000, async () => stop.abort());
        const interrupted = await run(first, { signal: stop.signal });
        expect(interrupted.outcome, lines.join("\n")).to.equal("interrupted");
        expect(interrupted.exitCode).to.equal(1);
        let state = await world.storedState();
        expect(state.status).to.equal("interrupted");
        expect(state.regions["us-east-1"].status).to.equal("promoted");
        expect(state.regions["eu-west-1"].status).to.equal("baking");
        expect(first.ups().map((u) => u.stack)).to.deep.equal(["us-east-1", "eu-west-1"]);

        clock.hooks = [];
        lines = [];
        const second = new FakeStacks(world, clock, targets("1.1.0"));
        const resumedAt = clock.t;
        const resumed = await run(second);
        expect(resumed.outcome, lines.join("\n")).to.equal("completed");
        expect(lines[0]).to.match(new RegExp(`^resuming rollout ${state.id} `));
        expect(second.ups().map((u) => u.stack)).to.deep.equal(["ap-northeast-1"]);
        // eu-west-1 baked its full time again before the primary was touched.
        const primaryAt = second.calls.find((c) => c.op === "up")!.at;
        expect(primaryAt - resumedAt).to.be.at.least(BAKE_MS);
        for (const r of F.regions) {
            expect((await world.running(r)).image, r).to.equal(IMAGE("1.1.0"));
            expect(await world.revisions(r), r).to.equal(2);
        }
        state = await world.storedState();
        expect(state.status).to.equal("completed");
    });

    it("after a lost runner, refuses while the lease holds and resumes once it has run out", async () => {
        const first = new FakeStacks(world, clock, targets("1.1.0"));
        whenBaking(first, "eu-west-1", 60_000, async () => {
            throw new Error("the runner was lost");
        });
        let thrown: Error | undefined;
        await run(first).catch((e: Error) => (thrown = e));
        expect(thrown?.message).to.equal("the runner was lost");
        const state = await world.storedState();
        expect(state.status).to.equal("running");
        expect(Date.parse(state.leaseUntil)).to.be.greaterThan(clock.t);

        clock.hooks = [];
        const meanwhile = new FakeStacks(world, clock, targets("1.1.0"));
        const refused = await run(meanwhile);
        expect(refused.outcome).to.equal("refused");
        expect(refused.message).to.include(`rollout ${state.id} is running (spec@test`);
        expect(meanwhile.calls).to.deep.equal([]);

        clock.t = Date.parse(state.leaseUntil) + 1;
        const later = new FakeStacks(world, clock, targets("1.1.0"));
        const resumed = await run(later);
        expect(resumed.outcome, lines.join("\n")).to.equal("completed");
        expect(later.ups().map((u) => u.stack)).to.deep.equal(["ap-northeast-1"]);
    });

    it("reports an interrupted rollout of other images clearly and touches nothing", async () => {
        await interruptedAt("us-east-1");
        const state = await world.storedState();
        const other = new FakeStacks(world, clock, targets("1.2.0"));
        const refused = await run(other, { targets: targets("1.2.0") });
        expect(refused.outcome).to.equal("refused");
        expect(refused.message)
            .to.include(`rollout ${state.id}`)
            .and.include("was interrupted")
            .and.include("us-east-1 baking, eu-west-1 pending, ap-northeast-1 pending")
            .and.include("--rollout --abandon")
            .and.include("Nothing was changed");
        expect(other.calls).to.deep.equal([]);
        expect((await world.storedState()).updatedAt).to.equal(state.updatedAt);
    });

    it("does not start while an alarm is already firing, nor bake a region night mode drains", async () => {
        await world.setAlarm("eu-west-1", `taskflow-${ENV}-eu-west-1-replication-lag`, "ALARM");
        const stacks = new FakeStacks(world, clock, targets("1.1.0"));
        const refused = await run(stacks);
        expect(refused.outcome).to.equal("refused");
        expect(refused.message)
            .to.include("already in ALARM before any change")
            .and.include(`taskflow-${ENV}-eu-west-1-replication-lag (eu-west-1)`);
        expect(stacks.ups()).to.deep.equal([]);

        await world.setAlarm("eu-west-1", `taskflow-${ENV}-eu-west-1-replication-lag`, "OK");
        const night = new FakeStacks(world, clock, targets("1.1.0"));
        const paused = await run(night, { drainedAt: (r) => r === "us-east-1" });
        expect(paused.outcome).to.equal("interrupted");
        expect(paused.message).to.include("night mode drains it now");
        expect(night.ups()).to.deep.equal([]);
        // Night falls during the canary's bake: the rollout stops there, resumable.
        const dusk = clock.t + 60_000;
        const late = new FakeStacks(world, clock, targets("1.1.0"));
        const stopped = await run(late, {
            drainedAt: (r, at) => r === "us-east-1" && at.getTime() >= dusk,
        });
        expect(stopped.outcome, lines.join("\n")).to.equal("interrupted");
        expect(stopped.message).to.include("night mode drained it during its bake");
        expect(late.ups()).to.deep.equal([{ stack: "us-east-1" }]);
        // By day the same rollout resumes: the canary bakes again, the others follow.
        const day = new FakeStacks(world, clock, targets("1.1.0"));
        expect((await run(day)).outcome).to.equal("completed");
        expect(day.ups().map((u) => u.stack)).to.deep.equal(F.order.slice(1));
    });

    it("rolls a region back by hand to what it ran before, and gives up an interrupted rollout", async () => {
        await interruptedAt("us-east-1");
        const ports = {
            stacks: new FakeStacks(world, clock, targets("1.1.0")),
            cloud: rolloutCloud(clients),
            store: rolloutStore(clients, { region: STATE_REGION, parameter: PARAMETER }),
            clock,
            log: (l: string) => lines.push(l),
        };
        const timing = {
            steps: F.steps,
            owner: "operator@laptop",
            deployTimeoutMs: 60_000,
            pollMs: POLL_MS,
        };
        expect((await rollbackByHand("us-west-2", timing, ports)).message).to.include(
            "not a region of the topology",
        );
        expect((await rollbackByHand("eu-west-1", timing, ports)).message).to.include(
            "eu-west-1 already runs",
        );
        const back = await rollbackByHand("us-east-1", timing, ports);
        expect(back.ok, back.message).to.equal(true);
        expect(ports.stacks.ups()).to.deep.equal([{ stack: "us-east-1", pin: IMAGE("1.0.0") }]);
        expect((await world.running("us-east-1")).image).to.equal(IMAGE("1.0.0"));
        let state = await world.storedState();
        expect(state).to.include({ status: "rolled-back", failedRegion: "us-east-1" });
        expect(state.regions["us-east-1"].reason).to.equal(
            "rolled back by hand by operator@laptop",
        );
        expect(back.message).to.include("us-east-1: rolled-back");
        // The same image is not taken there again without --retry; giving the rollout up lifts that.
        const again = new FakeStacks(world, clock, targets("1.1.0"));
        expect((await run(again)).outcome).to.equal("refused");
        const gaveUp = await abandonRollout(ports.store, clock, "operator@laptop");
        expect(gaveUp.ok).to.equal(true);
        state = await world.storedState();
        expect(state.status).to.equal("abandoned");
        expect(state.reason).to.equal("abandoned by operator@laptop (was rolled-back)");
        expect(wavesGuard(state, targets("1.1.0"), clock.now())).to.equal(undefined);
    });

    it("does not hand an infrastructure change to the waves in the middle of an interrupted rollout", async () => {
        await interruptedAt("us-east-1");
        const mixed = new FakeStacks(world, clock, targets("1.1.0"));
        mixed.extra.global = [
            {
                urn: "urn:global::edge-waf",
                type: "aws:wafv2/webAcl:WebAcl",
                op: "update",
                diffs: ["rules"],
            },
        ];
        const refused = await run(mixed);
        expect(refused.outcome).to.equal("refused");
        expect(refused.exitCode).to.equal(1);
        expect(refused.message).to.include(
            "was interrupted and this change is not only an app change (global)",
        );
        expect(mixed.ups()).to.deep.equal([]);
    });

    it("leaves an infrastructure change to the waves (exit 3) without updating anything", async () => {
        const stacks = new FakeStacks(world, clock, targets("1.1.0"));
        stacks.extra["ap-northeast-1"] = [
            {
                urn: "urn:ap-northeast-1::cell-alb-sg",
                type: "aws:ec2/securityGroup:SecurityGroup",
                op: "update",
                diffs: ["description"],
            },
        ];
        const report = await run(stacks);
        expect(report.outcome).to.equal("not-an-app-rollout");
        expect(report.exitCode).to.equal(3);
        expect(report.message).to.include(
            "ap-northeast-1 changes more than the app's task definition",
        );
        expect(stacks.ups()).to.deep.equal([]);
        expect(report.verdicts.find((v) => v.stack === "us-east-1")?.kind).to.equal("app");
    });
});
