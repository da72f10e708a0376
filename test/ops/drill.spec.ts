/**
 * The drill runner (`npm run ops -- drill`) against two emulators, each for what it implements:
 * - moto_server (test/ops/moto.ts): the CloudWatch reads (DescribeAlarms for the region's and
 *   the partner's health roll-up and for the cell alarm that names the ALB, GetMetricStatistics
 *   for Route 53's HealthCheckStatus and the ALBs' RequestCount), Route 53 ListHealthChecks +
 *   ListTagsForResources, and ECS DescribeServices. moto 5.2.1 has no PutCompositeAlarm (HTTP
 *   500), so each roll-up stands in as a metric alarm of the same name: DescribeAlarms is asked
 *   for both alarm types, and AWS keeps alarm names unique across them, but the composite branch
 *   of the reply is not exercised here.
 * - a loopback FIS server (test/ops/fis-server.ts; moto has no FIS): ListExperimentTemplates,
 *   StartExperiment, GetExperiment, StopExperiment, signed by the real @aws-sdk/client-fis.
 * The clock is virtual: the runner's sleeps advance it, so no test waits.
 */
import {
    PutMetricAlarmCommand,
    PutMetricDataCommand,
    SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import {
    CreateClusterCommand,
    CreateServiceCommand,
    RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { ChangeTagsForResourceCommand, CreateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { expect } from "chai";
import { cellAlarmName } from "../../model/cell";
import { DRILL_TAG, cellEcsNames, cellHealthCheckName } from "../../model/drills";
import { regionHealthAlarmName } from "../../model/observability";
import { AwsClients, drillPorts } from "../../ops/aws";
import { DrillOptions, DrillPorts, formatDrillReport, runDrill } from "../../ops/drills";
import { main } from "../../scripts/ops";
import { FakeFis, startFakeFis } from "./fis-server";
import { Moto, startMoto } from "./moto";

const ENV = "test";
const REGION = "eu-west-1";
const PARTNER = "us-east-1";
const MIN = 60_000;
// Two hours back, on a minute: every datapoint the scenario writes is in CloudWatch's past.
const FIRST_T0 = Math.floor((Date.now() - 2 * 3600_000) / MIN) * MIN;
// Each test's minute 0, three hours before the previous test's: the moto world is built once per
// file and CloudWatch keeps every datapoint, so each test writes and reads its series in a window
// of its own (a drill reads at most ~70 minutes from minute 5: baseline, timeout, stop, recovery).
const TEST_SPACING = 3 * 3600_000;
let T0 = FIRST_T0;
const at = (minute: number) => new Date(T0 + minute * MIN);
const lb = (region: string) => `app/taskflow-${ENV}-${region}/0123456789abcdef`;

/** A virtual clock: sleeping advances it. */
class Clock {
    t = T0 + 10 * MIN;
    now = () => new Date(this.t);
    sleep = async (ms: number) => {
        this.t += ms;
    };
}

describe("ops: failure drill runner against moto_server and a loopback FIS", function () {
    this.timeout(60_000);
    let moto: Moto;
    let fis: FakeFis;
    let clients: AwsClients;
    let clock: Clock;
    let ports: DrillPorts;
    const healthIds: Record<string, string> = {};
    const base: DrillOptions = {
        drill: "fail-health-check",
        region: REGION,
        partner: PARTNER,
        environment: ENV,
        pollSeconds: 60,
    };
    const tags = (drill: string, region: string, env = ENV) => ({
        [DRILL_TAG]: drill,
        "taskflow:region": region,
        "taskflow:environment": env,
    });
    const posts = () => fis.requests.filter((r) => r.method === "POST");

    /** Minute series from minute 0 to 40: `f(minute)` per minute, stamped at :30. */
    const series = async (
        region: string,
        namespace: string,
        name: string,
        dims: Record<string, string>,
        f: (m: number) => number,
    ) => {
        const MetricData = Array.from({ length: 41 }, (_, m) => ({
            MetricName: name,
            Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
            Value: f(m),
            Timestamp: new Date(T0 + m * MIN + 30_000),
        }));
        await clients
            .cloudwatch(region)
            .send(new PutMetricDataCommand({ Namespace: namespace, MetricData }));
    };
    /** The region's check is unhealthy in `away` minutes; the partner's always healthy. */
    const scenario = async (away: (m: number) => boolean) => {
        await series(
            "us-east-1",
            "AWS/Route53",
            "HealthCheckStatus",
            { HealthCheckId: healthIds[REGION] },
            (m) => (away(m) ? 0 : 1),
        );
        await series(
            "us-east-1",
            "AWS/Route53",
            "HealthCheckStatus",
            { HealthCheckId: healthIds[PARTNER] },
            () => 1,
        );
        await series(
            REGION,
            "AWS/ApplicationELB",
            "RequestCount",
            { LoadBalancer: lb(REGION) },
            (m) => (away(m) ? 0 : 100),
        );
        await series(
            PARTNER,
            "AWS/ApplicationELB",
            "RequestCount",
            { LoadBalancer: lb(PARTNER) },
            (m) => (away(m) ? 150 : 50),
        );
    };

    before(async () => {
        moto = await startMoto();
        clock = new Clock();
        fis = await startFakeFis(() => clock.now());
        clients = new AwsClients({ endpoint: moto.endpoint, fisEndpoint: fis.endpoint });
        ports = { ...drillPorts(clients), now: () => clock.now(), sleep: (ms) => clock.sleep(ms) };
    });
    after(async () => {
        clients?.destroy();
        await fis?.close();
        await moto?.stop();
    });
    /** The moto world, built once per file: the Route 53 checks, the alarms, the cell's ECS service. */
    before(async () => {
        const r53 = clients.route53();
        const check = async (name: string, region: string) => {
            const out = await r53.send(
                new CreateHealthCheckCommand({
                    CallerReference: name,
                    HealthCheckConfig: {
                        Type: "HTTPS",
                        FullyQualifiedDomainName: `${region}.example.com`,
                        Port: 443,
                        ResourcePath: "/health",
                    },
                }),
            );
            const id = out.HealthCheck!.Id!;
            await r53.send(
                new ChangeTagsForResourceCommand({
                    ResourceType: "healthcheck",
                    ResourceId: id,
                    AddTags: [
                        { Key: "Name", Value: name },
                        { Key: "taskflow:region", Value: region },
                    ],
                }),
            );
            return id;
        };
        // Ten checks of other names first: the cells' checks are in the second tag batch
        // (ListTagsForResources takes at most 10 ids).
        for (let i = 0; i < 10; i++) await check(`taskflow-other-${i}-health`, REGION);
        for (const r of [REGION, PARTNER]) {
            // The night gate's check carries the same region tag: only the Name tells them apart.
            await check(`taskflow-${ENV}-${r}-night-gate`, r);
            healthIds[r] = await check(cellHealthCheckName(ENV, r), r);
            const cw = clients.cloudwatch(r);
            await cw.send(
                new PutMetricAlarmCommand({
                    AlarmName: regionHealthAlarmName(ENV, r),
                    Namespace: "TaskFlow/Test",
                    MetricName: "StandIn",
                    Statistic: "Maximum",
                    Period: 60,
                    EvaluationPeriods: 1,
                    Threshold: 1,
                    ComparisonOperator: "GreaterThanOrEqualToThreshold",
                }),
            );
            await cw.send(
                new PutMetricAlarmCommand({
                    AlarmName: cellAlarmName(ENV, r, "latency-p99"),
                    Namespace: "AWS/ApplicationELB",
                    MetricName: "TargetResponseTime",
                    Dimensions: [
                        { Name: "LoadBalancer", Value: lb(r) },
                        { Name: "TargetGroup", Value: `targetgroup/t-${r}/0123` },
                    ],
                    ExtendedStatistic: "p99",
                    Period: 60,
                    EvaluationPeriods: 3,
                    Threshold: 2,
                    ComparisonOperator: "GreaterThanThreshold",
                }),
            );
        }
        const ecs = clients.ecs(REGION);
        const { cluster, service } = cellEcsNames(ENV, REGION);
        await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
        const td = await ecs.send(
            new RegisterTaskDefinitionCommand({
                family: `taskflow-${ENV}-app-${REGION}`,
                containerDefinitions: [
                    { name: "app", image: "app:1", essential: true, memory: 512 },
                ],
            }),
        );
        await ecs.send(
            new CreateServiceCommand({
                cluster,
                serviceName: service,
                taskDefinition: td.taskDefinition!.taskDefinitionArn!,
                desiredCount: 2,
            }),
        );
    });
    beforeEach(async () => {
        T0 -= TEST_SPACING;
        clock.t = T0 + 10 * MIN;
        // The drill runner only reads moto; what a test changes there is a roll-up's state.
        for (const r of [REGION, PARTNER])
            await clients.cloudwatch(r).send(
                new SetAlarmStateCommand({
                    AlarmName: regionHealthAlarmName(ENV, r),
                    StateValue: "OK",
                    StateReason: "test",
                }),
            );
        fis.reset();
        fis.pageSize = 2;
        fis.script = [
            { status: "running" },
            { status: "running" },
            { status: "running" },
            { status: "running" },
            { status: "completed" },
        ];
        // Five templates over three pages; one is the drill's in this region and environment.
        fis.templates = [
            { id: "EXT-stop", tags: tags("stop-tasks", REGION) },
            { id: "EXT-other-region", tags: tags("fail-health-check", PARTNER) },
            { id: "EXT-stage", tags: tags("fail-health-check", REGION, "stage") },
            { id: "EXT-untagged", tags: {} },
            {
                id: "EXT-target",
                description: "fail eu-west-1's health check",
                tags: tags("fail-health-check", REGION),
            },
        ];
    });

    it("starts the one template tagged for the drill, region and environment, waits, and reports who answered and for how long", async () => {
        await scenario((m) => m >= 12 && m <= 16);
        const r = await runDrill(base, ports);
        const text = formatDrillReport(r);
        expect(r.ok, text).to.equal(true);
        // Every page was read, then one experiment started from the target, tagged like it.
        expect(
            fis.requests
                .filter((q) => q.path === "/experimentTemplates")
                .map((q) => q.query.nextToken ?? ""),
        ).to.deep.equal(["", "2", "4"]);
        expect(posts()).to.have.length(1);
        const body = posts()[0].body as {
            experimentTemplateId: string;
            clientToken: string;
            tags: Record<string, string>;
        };
        expect(body.experimentTemplateId).to.equal("EXT-target");
        expect(body.clientToken).to.match(/^drill-fail-health-check-eu-west-1-\d+$/);
        expect(body.tags).to.deep.equal(tags("fail-health-check", REGION));
        // Signed by the SDK for FIS in the drilled region.
        for (const q of fis.requests)
            expect(q.authorization).to.match(
                /^AWS4-HMAC-SHA256 Credential=testing\/\d+\/eu-west-1\/fis\/aws4_request/,
            );
        // Polled once a minute until completed at minute 15; no stop was sent.
        expect(
            fis.requests.filter((q) => q.method === "GET" && q.path === "/experiments/EXP1"),
        ).to.have.length(5);
        expect(fis.requests.some((q) => q.method === "DELETE")).to.equal(false);
        expect(r.experiment).to.include({
            id: "EXP1",
            status: "completed",
            templateId: "EXT-target",
        });
        expect(r.experiment!.endTime!.getTime()).to.equal(at(15).getTime());
        const routing = r.routing!;
        expect(routing.movedTo).to.equal(PARTNER);
        expect(routing.movedAt!.getTime()).to.equal(at(12).getTime());
        expect(routing.backAt!.getTime()).to.equal(at(17).getTime());
        expect(
            routing.segments.map((s) => [s.from.getTime(), s.to.getTime(), s.answered, s.requests]),
        ).to.deep.equal([
            [at(5).getTime(), at(12).getTime(), REGION, { [REGION]: 700, [PARTNER]: 350 }],
            [at(12).getTime(), at(17).getTime(), PARTNER, { [REGION]: 0, [PARTNER]: 750 }],
            [at(17).getTime(), at(18).getTime(), REGION, { [REGION]: 100, [PARTNER]: 50 }],
        ]);
        expect(text).to.contain("traffic moved to us-east-1 2 min after the start");
        expect(text).to.contain(
            "came back to eu-west-1 2 min after the experiment ended (away 5 min)",
        );
        expect(r.steps.find((s) => s.step === "watch")!.detail).to.equal(
            `health check ${healthIds[REGION]}; ALB ${lb(REGION)}`,
        );
        expect(r.steps.find((s) => s.step === "tasks-before")!.detail).to.match(
            /taskflow-test-eu-west-1\/taskflow-test-app: \d+ running of 2 desired/,
        );
    });

    it("refuses when no template is tagged for the drill (drills are off by default), and starts nothing", async () => {
        fis.templates = fis.templates.filter((t) => t.id !== "EXT-target");
        const r = await runDrill(base, ports);
        expect(r.ok).to.equal(false);
        const last = r.steps[r.steps.length - 1];
        expect(last).to.include({ step: "template", status: "failed" });
        expect(last.detail).to.contain(
            "no FIS experiment template tagged taskflow:drill=fail-health-check, taskflow:region=eu-west-1",
        );
        expect(last.detail).to.contain("drills are off by default");
        expect(posts()).to.deep.equal([]);
    });

    for (const unhealthy of [REGION, PARTNER]) {
        it(`never starts a drill while ${unhealthy === REGION ? "the region's" : "its failover partner's"} health roll-up is in ALARM`, async () => {
            await clients.cloudwatch(unhealthy).send(
                new SetAlarmStateCommand({
                    AlarmName: regionHealthAlarmName(ENV, unhealthy),
                    StateValue: "ALARM",
                    StateReason: "test",
                }),
            );
            const r = await runDrill(base, ports);
            expect(r.ok).to.equal(false);
            const last = r.steps[r.steps.length - 1];
            expect(last).to.include({ step: "guard", status: "failed", region: unhealthy });
            expect(last.detail).to.equal(
                `${regionHealthAlarmName(ENV, unhealthy)} is in ALARM (${unhealthy === REGION ? "the drilled region" : "its failover partner"}): refusing to start a drill`,
            );
            expect(posts()).to.deep.equal([]);
        });
    }

    it("refuses when the region has no health roll-up (the drill's stop condition)", async () => {
        // EXT-stage is stage's template; stage has no alarms in this world.
        const r = await runDrill({ ...base, environment: "stage" }, ports);
        expect(r.steps.map((s) => s.status)).to.deep.equal(["info", "failed"]);
        expect(r.steps[1].detail).to.contain(
            "no composite alarm taskflow-stage-region-eu-west-1-unhealthy",
        );
        expect(posts()).to.deep.equal([]);
    });

    it("stops an experiment that outlives its timeout, then still reports the routing, and fails", async () => {
        fis.script = [{ status: "running" }];
        await scenario((m) => m >= 12 && m <= 14);
        const r = await runDrill({ ...base, timeoutMinutes: 3 }, ports);
        expect(r.ok).to.equal(false);
        const stops = fis.requests.filter((q) => q.method === "DELETE");
        expect(stops.map((q) => q.path)).to.deep.equal(["/experiments/EXP1"]);
        expect(r.experiment!.status).to.equal("stopped");
        const wait = r.steps.find((s) => s.step === "wait")!;
        expect(wait).to.include({ status: "failed" });
        expect(wait.detail).to.equal("still running after 3 min: StopExperiment sent (stopping)");
        expect(r.routing!.backAt!.getTime()).to.equal(at(15).getTime());
    });

    it("fails the drill when FIS stopped the experiment itself (a stop condition fired)", async () => {
        fis.script = [
            { status: "running" },
            { status: "stopped", reason: "Experiment stopped by stop condition" },
        ];
        await scenario(() => false);
        const r = await runDrill(base, ports);
        expect(r.ok).to.equal(false);
        expect(r.steps.find((s) => s.step === "wait")).to.deep.include({
            status: "failed",
            detail: "experiment EXP1 stopped: Experiment stopped by stop condition",
        });
    });

    it("fails when the traffic has not come back by the end of the watch", async () => {
        await scenario((m) => m >= 12);
        const r = await runDrill({ ...base, recoveryMinutes: 4 }, ports);
        expect(r.ok).to.equal(false);
        expect(r.routing!.backAt).to.equal(undefined);
        expect(r.steps.find((s) => s.step === "routing")!.detail).to.equal(
            "traffic moved to us-east-1 and had not come back when the watch ended (last answer: us-east-1)",
        );
        // The watch ended at its deadline: 4 minutes after the experiment, polled each minute.
        expect(clock.t).to.equal(at(19).getTime());
    });

    it("fails fail-health-check when the traffic never moved; stop-tasks only reports it", async () => {
        await scenario(() => false);
        const failed = await runDrill(base, ports);
        expect(failed.ok).to.equal(false);
        expect(failed.steps.find((s) => s.step === "routing")!.detail).to.equal(
            "eu-west-1 answered its name throughout: the drill must move it to us-east-1",
        );
        clock.t = T0 + 10 * MIN;
        fis.script = [{ status: "completed" }];
        const reported = await runDrill({ ...base, drill: "stop-tasks" }, ports);
        expect(reported.ok, formatDrillReport(reported)).to.equal(true);
        expect(formatDrillReport(reported)).to.contain(
            "traffic did not move: eu-west-1 answered throughout",
        );
    });

    describe("the command line (npm run ops -- drill)", () => {
        const logged: string[] = [];
        const log = console.log;
        const error = console.error;
        beforeEach(() => {
            logged.length = 0;
            console.log = console.error = (...a: unknown[]) => logged.push(a.join(" "));
        });
        afterEach(() => {
            console.log = log;
            console.error = error;
        });
        const cli = (...args: string[]) =>
            main(["drill", ...args, "--endpoint", moto.endpoint, "--fis-endpoint", fis.endpoint]);

        it("exits 1 when the repository's environment has no template for the drill", async () => {
            // The stack files' environment is prod; the templates above are tagged test.
            expect(await cli("fail-health-check", "--region", REGION)).to.equal(1);
            expect(logged.join("\n")).to.contain("environment prod): drills are off by default");
            expect(posts()).to.deep.equal([]);
        });

        it("exits 2 with a did-you-mean for a region outside the topology or an unknown drill, calling nothing", async () => {
            expect(await cli("fail-health-check", "--region", "eu-west1")).to.equal(2);
            expect(logged.join("\n")).to.contain(
                '--region: "eu-west1" is not allowed; did you mean eu-west-1?',
            );
            expect(await cli("stop-task", "--region", REGION)).to.equal(2);
            expect(logged.join("\n")).to.contain('drill "stop-task": did you mean stop-tasks?');
            expect(fis.requests).to.deep.equal([]);
        });

        it("names the Aurora runbook for aurora-switchover (not an FIS drill) and exits 2", async () => {
            expect(await cli("aurora-switchover", "--region", "ap-northeast-1")).to.equal(2);
            const text = logged.join("\n");
            expect(text).to.contain("aurora-switchover is not an FIS drill");
            expect(text).to.contain(
                "npm run ops -- aurora switchover --global-cluster taskflow-prod-aurora --to us-east-1 --dry-run",
            );
            expect(text).to.contain(
                "to come back: npm run ops -- aurora switchover --global-cluster taskflow-prod-aurora --to ap-northeast-1",
            );
            expect(fis.requests).to.deep.equal([]);
        });
    });
});
