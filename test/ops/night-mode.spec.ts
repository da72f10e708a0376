/**
 * Night mode: the plan (pure) and the controller run against moto_server (ECS, Application Auto
 * Scaling and SSM are real AWS APIs there). moto has no Global Accelerator at all (every call is
 * an HTTP 500), so the traffic dial is an in-memory endpoint-group table in most cases, and one
 * case runs the real SDK client against moto to show what a failing dial does.
 */
import * as fs from "fs";
import Module from "module";
import * as os from "os";
import * as path from "path";
import {
    DescribeScalableTargetsCommand,
    RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import {
    CreateClusterCommand,
    CreateServiceCommand,
    DescribeServicesCommand,
    RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { expect } from "chai";
import * as fc from "fast-check";
import { Topology, validateTopology } from "../../config";
import { AwsClients, nightModePorts } from "../../ops/aws";
import { bundleNightModeController } from "../../ops/bundle";
import {
    CellFacts,
    NIGHT_MODE_DEFAULTS,
    NightModeConfig,
    NightModePorts,
    NightModeSpec,
    cronAt,
    planNightMode,
    runNightMode,
} from "../../ops/night-mode";
import { readProjectFiles, REPO_ROOT } from "../../plan/run";
import { Moto, startMoto } from "./moto";

const repoTopology = (): Topology => {
    const files = readProjectFiles(REPO_ROOT);
    return validateTopology(files.stacks.global["taskflow:topology"]);
};

const nightCfg = (over: Partial<NightModeConfig> = {}): NightModeConfig => ({
    ...NIGHT_MODE_DEFAULTS,
    enabled: true,
    activeRegions: ["ap-northeast-1"],
    ...over,
});

const ARN = (region: string) =>
    `arn:aws:globalaccelerator::123456789012:accelerator/a1/listener/l1/endpoint-group/${region}`;

const facts = (regions: string[], over: Record<string, Partial<CellFacts>> = {}) =>
    Object.fromEntries(
        regions.map((r) => [
            r,
            {
                clusterName: `taskflow-test-${r}`,
                serviceName: "taskflow-test-app",
                resourceId: `service/taskflow-test-${r}/taskflow-test-app`,
                minTasks: 3,
                maxTasks: 12,
                endpointGroupArn: ARN(r),
                ...over[r],
            },
        ]),
    );

describe("ops: night mode plan", () => {
    const topology = repoTopology();
    const regions = topology.regions.map((r) => r.region);
    const spec = planNightMode(topology, nightCfg(), facts(regions), {
        environment: "test",
        holdRegion: "ap-northeast-1",
    });
    const cell = (r: string) => spec.cells.find((c) => c.region === r)!;

    it("keeps the active region at full capacity and traffic", () => {
        expect(cell("ap-northeast-1")).to.include({ active: true, drain: false });
        expect(cell("ap-northeast-1").night).to.deep.equal({ min: 3, max: 12 });
    });

    it("drains us-east-1, whose US zone is also served from Tokyo at night", () => {
        expect(cell("us-east-1")).to.include({ active: false, drain: true });
        expect(cell("us-east-1").night).to.deep.equal({ min: 1, max: 12 });
        expect(cell("us-east-1").reason).to.contain("also served by ap-northeast-1");
    });

    it("never drains eu-west-1: EU data lives nowhere else, so it keeps its traffic at the night floor", () => {
        expect(cell("eu-west-1")).to.include({ active: false, drain: false });
        expect(cell("eu-west-1").night).to.deep.equal({ min: 1, max: 12 });
        expect(cell("eu-west-1").reason).to.match(/zone eu data lives only in eu-west-1/);
    });

    it("leaves pilot-light cells alone and never raises a floor above the day floor", () => {
        const s = planNightMode(
            topology,
            nightCfg({ nightTasks: 5 }),
            facts(regions, {
                "us-east-1": { minTasks: 0, maxTasks: 0 },
                "eu-west-1": { minTasks: 2 },
            }),
            { environment: "test", holdRegion: "ap-northeast-1" },
        );
        const us = s.cells.find((c) => c.region === "us-east-1")!;
        expect(us.night).to.deep.equal({ min: 0, max: 0 });
        expect(us.drain).to.equal(false);
        expect(s.cells.find((c) => c.region === "eu-west-1")!.night.min).to.equal(2);
    });

    it("turns local times into Scheduler cron expressions", () => {
        expect(cronAt("22:00")).to.equal("cron(0 22 * * ? *)");
        expect(cronAt("07:45")).to.equal("cron(45 7 * * ? *)");
    });

    it("over random topologies, drains a cell only when its zone has a region active at night", () => {
        const region = fc.constantFrom("ap-northeast-1", "us-east-1", "eu-west-1", "eu-central-1");
        fc.assert(
            fc.property(
                fc.uniqueArray(region, { minLength: 1, maxLength: 4 }),
                fc.func(fc.boolean()),
                fc.func(fc.subarray(["ap-northeast-1", "us-east-1", "eu-west-1", "eu-central-1"])),
                fc.integer({ min: 1, max: 5 }),
                (rs, isActive, zoneOf, nightTasks) => {
                    const zones: Record<string, string[]> = {};
                    const topo = {
                        zones,
                        regions: rs.map((r, i) => {
                            const z = `z${i}`;
                            zones[z] = [...new Set([r, ...zoneOf(r)])];
                            return { region: r, zone: z, primary: i === 0 };
                        }),
                    };
                    const active: string[] = rs.filter((r, i) => i === 0 || isActive(r));
                    const s = planNightMode(
                        topo,
                        nightCfg({ activeRegions: active, nightTasks }),
                        facts(rs),
                        { environment: "t", holdRegion: rs[0] },
                    );
                    for (const c of s.cells) {
                        if (c.drain) {
                            expect(zones[c.zone].some((r) => active.includes(r))).to.equal(true);
                        }
                        if (c.active) expect(c.night).to.deep.equal(c.day);
                        else expect(c.night.min).to.be.within(1, c.day.min);
                        expect(c.night.max).to.equal(c.day.max);
                    }
                },
            ),
        );
    });
});

describe("ops: night mode controller against moto_server", function () {
    this.timeout(60_000);
    let moto: Moto;
    let clients: AwsClients;
    const REGIONS = ["ap-northeast-1", "us-east-1", "eu-west-1"];
    const topology = repoTopology();
    const spec: NightModeSpec = planNightMode(topology, nightCfg(), facts(REGIONS), {
        environment: "test",
        holdRegion: "ap-northeast-1",
    });
    /** moto has no Global Accelerator: an endpoint-group table standing in for it. */
    let dials: Record<string, number>;
    let dialLog: string[];
    let ports: NightModePorts;

    const target = async (region: string) => {
        const out = await clients.autoscaling(region).send(
            new DescribeScalableTargetsCommand({
                ServiceNamespace: "ecs",
                ResourceIds: [`service/taskflow-test-${region}/taskflow-test-app`],
            }),
        );
        const t = out.ScalableTargets![0];
        return { min: t.MinCapacity, max: t.MaxCapacity };
    };
    const service = async (region: string) => {
        const out = await clients.ecs(region).send(
            new DescribeServicesCommand({
                cluster: `taskflow-test-${region}`,
                services: ["taskflow-test-app"],
            }),
        );
        return { desired: out.services![0].desiredCount, running: out.services![0].runningCount };
    };

    before(async () => {
        // A deployed service has its tasks running: moto reports this many for a new service.
        moto = await startMoto({ MOTO_ECS_SERVICE_RUNNING: "3" });
        clients = new AwsClients({ endpoint: moto.endpoint });
    });
    after(async () => {
        clients?.destroy();
        await moto?.stop();
    });
    beforeEach(async () => {
        await moto.reset();
        // What the program creates in each region stack: the cell's cluster, service and target.
        for (const r of REGIONS) {
            const ecs = clients.ecs(r);
            await ecs.send(new CreateClusterCommand({ clusterName: `taskflow-test-${r}` }));
            await ecs.send(
                new RegisterTaskDefinitionCommand({
                    family: "app",
                    containerDefinitions: [{ name: "app", image: "app:1", memory: 512 }],
                }),
            );
            await ecs.send(
                new CreateServiceCommand({
                    cluster: `taskflow-test-${r}`,
                    serviceName: "taskflow-test-app",
                    taskDefinition: "app",
                    desiredCount: 3,
                }),
            );
            await clients.autoscaling(r).send(
                new RegisterScalableTargetCommand({
                    ServiceNamespace: "ecs",
                    ScalableDimension: "ecs:service:DesiredCount",
                    ResourceId: `service/taskflow-test-${r}/taskflow-test-app`,
                    MinCapacity: 3,
                    MaxCapacity: 12,
                }),
            );
        }
        dials = Object.fromEntries(REGIONS.map((r) => [ARN(r), 100]));
        dialLog = [];
        const real = nightModePorts(clients, {
            parameter: spec.holdParameter,
            region: spec.holdRegion,
        });
        ports = {
            ...real,
            getDial: async (arn) => dials[arn],
            setDial: async (arn, pct) => {
                dialLog.push(`${arn.split("/").pop()}=${pct}`);
                dials[arn] = pct;
            },
            sleep: async () => undefined,
        };
    });

    it("at night drains us-east-1 before shrinking it, lowers eu-west-1's floor without draining it, and leaves Tokyo alone", async () => {
        const report = await runNightMode(spec, "night", ports);
        expect(report.ok, JSON.stringify(report.results)).to.equal(true);
        expect(await target("us-east-1")).to.deep.equal({ min: 1, max: 12 });
        expect(await target("eu-west-1")).to.deep.equal({ min: 1, max: 12 });
        expect(await target("ap-northeast-1")).to.deep.equal({ min: 3, max: 12 });
        expect(dials).to.deep.equal({
            [ARN("ap-northeast-1")]: 100,
            [ARN("us-east-1")]: 0,
            [ARN("eu-west-1")]: 100,
        });
        const us = report.results.filter((r) => r.region === "us-east-1" && r.status === "changed");
        expect(us.map((r) => r.step)).to.deep.equal(["traffic-dial", "capacity"]);
    });

    it("is idempotent: a second night flip changes nothing", async () => {
        await runNightMode(spec, "night", ports);
        const again = await runNightMode(spec, "night", ports);
        expect(again.ok).to.equal(true);
        expect(again.results.filter((r) => r.status === "changed")).to.deep.equal([]);
    });

    it("in the morning restores capacity and desired count before turning the dial back up", async () => {
        await runNightMode(spec, "night", ports);
        dialLog = [];
        const report = await runNightMode(spec, "day", ports);
        expect(report.ok, JSON.stringify(report.results)).to.equal(true);
        for (const r of REGIONS) expect(await target(r)).to.deep.equal({ min: 3, max: 12 });
        expect((await service("us-east-1")).desired).to.be.at.least(3);
        expect(dialLog).to.deep.equal(["us-east-1=100"]);
        const steps = report.results
            .filter((r) => r.region === "us-east-1" && r.status !== "info")
            .map((r) => r.step);
        expect(steps.indexOf("capacity")).to.be.lessThan(steps.indexOf("traffic-dial"));
    });

    it("an emergency restore brings every region back at once and holds off the next night flip", async () => {
        await runNightMode(spec, "night", ports);
        const emergency = await runNightMode(spec, "emergency", ports);
        expect(emergency.ok, JSON.stringify(emergency.results)).to.equal(true);
        for (const r of REGIONS) expect(await target(r)).to.deep.equal({ min: 3, max: 12 });
        expect(dials[ARN("us-east-1")]).to.equal(100);
        const hold = await clients
            .ssm("ap-northeast-1")
            .send(new GetParameterCommand({ Name: spec.holdParameter }));
        const until = new Date(hold.Parameter!.Value!).getTime();
        expect(until - Date.now()).to.be.within(11.9 * 3600_000, 12 * 3600_000);

        const held = await runNightMode(spec, "night", ports);
        expect(held.heldUntil).to.be.a("string");
        expect(await target("us-east-1")).to.deep.equal({ min: 3, max: 12 });

        await runNightMode(spec, "release", ports);
        const night = await runNightMode(spec, "night", ports);
        expect(night.heldUntil).to.equal(undefined);
        expect(await target("us-east-1")).to.deep.equal({ min: 1, max: 12 });
    });

    it("keeps a cell at day capacity when its traffic cannot be drained (real SDK: moto has no Global Accelerator)", async () => {
        const real = nightModePorts(clients, {
            parameter: spec.holdParameter,
            region: spec.holdRegion,
        });
        const report = await runNightMode(spec, "night", real);
        expect(report.ok).to.equal(false);
        const failed = report.results.find((r) => r.status === "failed")!;
        expect(failed).to.include({ region: "us-east-1", step: "traffic-dial" });
        expect(failed.detail).to.contain("HTTP 500");
        expect(await target("us-east-1")).to.deep.equal({ min: 3, max: 12 });
        // eu-west-1 is not drained, so its floor still drops.
        expect(await target("eu-west-1")).to.deep.equal({ min: 1, max: 12 });
    });

    it("leaves the dial at 0 when no task runs after the readiness timeout", async () => {
        await runNightMode(spec, "night", ports);
        // A service moto reports with 0 running tasks whose desired count is already at the floor
        // (so the controller does not raise it, which moto would count as running).
        let clock = Date.now();
        const stuck: NightModePorts = {
            ...ports,
            getService: async () => ({ desired: 3, running: 0 }),
            now: () => new Date(clock),
            sleep: async (ms) => {
                clock += ms;
            },
        };
        const report = await runNightMode(spec, "day", stuck);
        expect(report.ok).to.equal(false);
        const failed = report.results.find((r) => r.status === "failed")!;
        expect(failed).to.include({ region: "us-east-1", step: "traffic-dial" });
        expect(failed.detail).to.contain(`after ${spec.readinessTimeoutSeconds}s`);
        expect(dials[ARN("us-east-1")]).to.equal(0);
        expect(await target("us-east-1")).to.deep.equal({ min: 3, max: 12 });
    });

    it("the bundled Lambda handler runs the same controller and throws when a step failed", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskflow-nightmode-"));
        const saved = { ...process.env };
        const log = console.log;
        const logged: string[] = [];
        console.log = (...a: unknown[]) => logged.push(a.join(" "));
        try {
            const file = path.join(dir, "index.js");
            fs.writeFileSync(file, bundleNightModeController());
            Object.assign(process.env, {
                NIGHT_MODE_SPEC: JSON.stringify(spec),
                AWS_ENDPOINT_URL: moto.endpoint,
                AWS_ACCESS_KEY_ID: "testing",
                AWS_SECRET_ACCESS_KEY: "testing",
                AWS_MAX_ATTEMPTS: "1",
            });
            // Loaded the way the Lambda runtime does: the AWS SDK v3 comes from the runtime
            // (here the repository's node_modules), everything else is in the bundle.
            const mod = new Module(file) as Module & {
                _compile(code: string, filename: string): void;
            };
            mod.filename = file;
            mod.paths = (
                Module as unknown as { _nodeModulePaths(dir: string): string[] }
            )._nodeModulePaths(REPO_ROOT);
            mod._compile(fs.readFileSync(file, "utf8"), file);
            const { handler } = mod.exports as {
                handler: (e: unknown) => Promise<{ ok: boolean }>;
            };
            await expectRejection(handler({ action: "sideways" }), /not one of night, day/);
            // Global Accelerator fails under moto, so the night flip does not complete...
            await expectRejection(handler({ action: "night" }), /night did not complete/);
            // ...but what it could do safely, it did.
            expect(await target("eu-west-1")).to.deep.equal({ min: 1, max: 12 });
            expect(await target("us-east-1")).to.deep.equal({ min: 3, max: 12 });
            const release = await handler({ action: "release" });
            expect(release.ok).to.equal(true);
            // Each run logs its report as JSON (CloudWatch Logs Insights can query it).
            const reports = logged.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
            expect(reports.map((r) => [r.action, r.ok])).to.deep.equal([
                ["night", false],
                ["release", true],
            ]);
        } finally {
            console.log = log;
            process.env = saved;
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

async function expectRejection(p: Promise<unknown>, re: RegExp) {
    try {
        await p;
    } catch (e) {
        expect((e as Error).message).to.match(re);
        return;
    }
    expect.fail(`expected a rejection matching ${re}`);
}
