/**
 * Night mode: the roles and plan (pure), and the controller run against moto_server (ECS,
 * Application Auto Scaling, CloudWatch and SSM are real AWS APIs there). moto has no Global
 * Accelerator at all (every call is an HTTP 500), so the traffic dial is an in-memory
 * endpoint-group table in most cases; one case runs the real SDK client against moto to show
 * what a failing dial does, and one runs it against a loopback server speaking Global
 * Accelerator's JSON protocol to pin down the requests the adapter sends.
 */
import * as fs from "fs";
import * as http from "http";
import Module from "module";
import * as os from "os";
import * as path from "path";
import {
    DescribeScalableTargetsCommand,
    RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import {
    CreateClusterCommand,
    CreateServiceCommand,
    DescribeServicesCommand,
    RegisterTaskDefinitionCommand,
    UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import { expect } from "chai";
import * as fc from "fast-check";
import { Topology, validateTopology } from "../../config";
import { AwsClients, nightModePortsFor } from "../../ops/aws";
import { bundleNightModeController } from "../../ops/bundle";
import {
    CellFacts,
    NIGHT_MODE_DEFAULTS,
    NightModeConfig,
    NightModeSpec,
    NightTopology,
    cronAt,
    isNight,
    nightRoles,
    planNightMode,
} from "../../model/night-mode";
import { NightModePorts, runNightMode } from "../../ops/night-mode";
import { REPO_ROOT } from "../../plan/run";
import { BASE_REGIONS, baseRawTopology } from "../helpers/base-topology";
import { Moto, startMoto } from "./moto";

// The seed's topology (test/helpers/base-topology.ts): these cases are written for its three
// region stacks, and the moto cases create exactly those cells, whatever regions a user added.
const seedTopology = (): Topology => validateTopology(baseRawTopology());

const nightCfg = (over: Partial<NightModeConfig> = {}): NightModeConfig => ({
    ...NIGHT_MODE_DEFAULTS,
    enabled: true,
    activeRegions: ["ap-northeast-1"],
    ...over,
});

const ARN = (region: string) =>
    `arn:aws:globalaccelerator::123456789012:accelerator/a1/listener/l1/endpoint-group/${region}`;
const NAMES = { environment: "test", holdRegion: "ap-northeast-1", gateRegion: "us-east-1" };

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

describe("ops: night mode roles and plan", () => {
    const topology = seedTopology();
    const regions = topology.regions.map((r) => r.region);
    const spec = planNightMode(topology, nightCfg(), facts(regions), NAMES);
    const cell = (r: string) => spec.cells.find((c) => c.region === r)!;

    it("keeps Tokyo active, drains us-east-1 to Tokyo (zone us allows it), keeps eu-west-1 serving", () => {
        expect(nightRoles(topology, ["ap-northeast-1"])).to.deep.equal({
            "ap-northeast-1": { role: "active", reason: "active at night" },
            "us-east-1": {
                role: "drain",
                target: "ap-northeast-1",
                reason: "zone us is also served by ap-northeast-1: drained to it at night",
            },
            "eu-west-1": {
                role: "keep",
                reason: "zone eu data lives only in eu-west-1, none active at night: the cell keeps serving at full floor",
            },
        });
        expect(cell("us-east-1").night).to.deep.equal({ min: 1, max: 12 });
        expect(cell("eu-west-1").night).to.deep.equal(cell("eu-west-1").day);
        expect(cell("ap-northeast-1").night).to.deep.equal(cell("ap-northeast-1").day);
    });

    it("drains to the failover partner when it is active, else the primary", () => {
        const topo: NightTopology = {
            zones: { w: ["us-east-1", "us-west-2", "ap-northeast-1"] },
            regions: [
                { region: "ap-northeast-1", zone: "w", primary: true },
                { region: "us-west-2", zone: "w", primary: false },
                { region: "us-east-1", zone: "w", primary: false, failover: "us-west-2" },
            ],
        };
        expect(nightRoles(topo, ["ap-northeast-1", "us-west-2"])["us-east-1"].target).to.equal(
            "us-west-2",
        );
        expect(nightRoles(topo, ["ap-northeast-1"])["us-east-1"].target).to.equal("ap-northeast-1");
    });

    it("never raises a drained floor above its day floor; a pilot-light cell stays at zero", () => {
        const s = planNightMode(
            topology,
            nightCfg({ nightTasks: 5 }),
            facts(regions, { "us-east-1": { minTasks: 2 } }),
            NAMES,
        );
        expect(s.cells.find((c) => c.region === "us-east-1")!.night.min).to.equal(2);
        const p = planNightMode(
            topology,
            nightCfg(),
            facts(regions, { "us-east-1": { minTasks: 0, maxTasks: 0 } }),
            NAMES,
        );
        expect(p.cells.find((c) => c.region === "us-east-1")!.night).to.deep.equal({
            min: 0,
            max: 0,
        });
    });

    it("turns local times into Scheduler cron expressions and tells night from day in the spec's time zone", () => {
        expect(cronAt("22:00")).to.equal("cron(0 22 * * ? *)");
        expect(cronAt("07:45")).to.equal("cron(45 7 * * ? *)");
        const at = (iso: string) => isNight(spec, new Date(iso));
        expect(at("2026-11-25T13:00:00Z")).to.equal(true); // 22:00 JST
        expect(at("2026-11-25T12:59:00Z")).to.equal(false); // 21:59 JST
        expect(at("2026-11-25T22:59:00Z")).to.equal(true); // 07:59 JST
        expect(at("2026-11-25T23:00:00Z")).to.equal(false); // 08:00 JST
        expect(
            isNight(
                { ...spec, nightStart: "01:00", dayStart: "05:00" },
                new Date("2026-11-25T17:30:00Z"),
            ),
        ).to.equal(true); // 02:30 JST
    });

    it("over random topologies, drains a region only to an active region its users' zone allows", () => {
        const all = ["ap-northeast-1", "us-east-1", "eu-west-1", "eu-central-1"];
        fc.assert(
            fc.property(
                fc.uniqueArray(fc.constantFrom(...all), { minLength: 1, maxLength: 4 }),
                fc.func(fc.boolean()),
                fc.func(fc.subarray(all)),
                (rs, isActive, zoneOf) => {
                    const zones: Record<string, string[]> = {};
                    const topo: NightTopology = {
                        zones,
                        regions: rs.map((r, i) => {
                            zones[`z${i}`] = [...new Set([r, ...zoneOf(r)])];
                            return { region: r, zone: `z${i}`, primary: i === 0 };
                        }),
                    };
                    const active: string[] = rs.filter((r, i) => i === 0 || isActive(r));
                    const roles = nightRoles(topo, active);
                    for (const r of topo.regions) {
                        const x = roles[r.region];
                        if (active.includes(r.region)) expect(x.role).to.equal("active");
                        else if (x.role === "drain") {
                            expect(active).to.include(x.target);
                            expect(zones[r.zone]).to.include(x.target);
                        } else {
                            expect(x.role).to.equal("keep");
                            expect(zones[r.zone].some((z) => active.includes(z))).to.equal(false);
                        }
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
    const REGIONS = [...BASE_REGIONS];
    const spec: NightModeSpec = planNightMode(seedTopology(), nightCfg(), facts(REGIONS), NAMES);
    /** moto has no Global Accelerator: an endpoint-group table standing in for it. */
    let dials: Record<string, number>;
    let log: string[];
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
    const desired = async (region: string) =>
        (
            await clients.ecs(region).send(
                new DescribeServicesCommand({
                    cluster: `taskflow-test-${region}`,
                    services: ["taskflow-test-app"],
                }),
            )
        ).services![0].desiredCount;
    /** The gate values the controller published for a region (CloudWatch in us-east-1). */
    const gate = async (region: string) => {
        const out = await clients.cloudwatch("us-east-1").send(
            new GetMetricStatisticsCommand({
                Namespace: "TaskFlow/NightMode",
                MetricName: "Drained",
                Dimensions: [
                    { Name: "Environment", Value: "test" },
                    { Name: "Region", Value: region },
                ],
                StartTime: new Date(Date.now() - 600_000),
                EndTime: new Date(Date.now() + 60_000),
                Period: 60,
                Statistics: ["Maximum", "Minimum", "SampleCount"],
            }),
        );
        const points = out.Datapoints ?? [];
        if (points.length === 0) return undefined;
        return [...new Set(points.flatMap((p) => [p.Minimum!, p.Maximum!]))].sort();
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
        log = [];
        const real = nightModePortsFor(clients, spec);
        ports = {
            ...real,
            getDial: async (arn) => dials[arn],
            setDial: async (arn, pct) => {
                log.push(`dial ${arn.split("/").pop()}=${pct}`);
                dials[arn] = pct;
            },
            setGate: async (region, drained) => {
                log.push(`gate ${region}=${drained ? 1 : 0}`);
                await real.setGate(region, drained);
            },
            setCapacity: async (region, id, min, max) => {
                log.push(`capacity ${region}=${min}/${max}`);
                await real.setCapacity(region, id, min, max);
            },
            sleep: async () => undefined,
        };
    });

    it("at night closes us-east-1's DNS gate and dial before shrinking it, and leaves Tokyo and eu-west-1 alone", async () => {
        const report = await runNightMode(spec, "night", ports);
        expect(report.ok, JSON.stringify(report.results)).to.equal(true);
        expect(log).to.deep.equal([
            "gate us-east-1=1",
            "dial us-east-1=0",
            "capacity us-east-1=1/12",
        ]);
        expect(await target("us-east-1")).to.deep.equal({ min: 1, max: 12 });
        expect(await target("eu-west-1")).to.deep.equal({ min: 3, max: 12 });
        expect(await target("ap-northeast-1")).to.deep.equal({ min: 3, max: 12 });
        expect(await gate("us-east-1")).to.deep.equal([1]);
        expect(await gate("eu-west-1")).to.equal(undefined);
        expect(dials).to.deep.equal({
            [ARN("ap-northeast-1")]: 100,
            [ARN("us-east-1")]: 0,
            [ARN("eu-west-1")]: 100,
        });
    });

    it("is idempotent: a second night flip changes no capacity or dial", async () => {
        await runNightMode(spec, "night", ports);
        const again = await runNightMode(spec, "night", ports);
        expect(again.ok).to.equal(true);
        const changed = again.results.filter(
            (r) => r.status === "changed" && r.step !== "dns-gate",
        );
        expect(changed).to.deep.equal([]);
    });

    it("in the morning restores capacity, raises the scaled-in desired count, waits for tasks, then reopens every dial and gate", async () => {
        await runNightMode(spec, "night", ports);
        // Overnight Application Auto Scaling scaled the cell in (moto does not on its own).
        await clients.ecs("us-east-1").send(
            new UpdateServiceCommand({
                cluster: "taskflow-test-us-east-1",
                service: "taskflow-test-app",
                desiredCount: 1,
            }),
        );
        dials[ARN("eu-west-1")] = 0; // left closed by an earlier configuration
        log = [];
        let polls = 0;
        const real = ports.getService;
        const slow: NightModePorts = {
            ...ports,
            // Tasks take two polls to start.
            getService: async (r, c, s) => {
                const svc = await real(r, c, s);
                return ++polls <= 2 && svc.running >= 3 ? { ...svc, running: 0 } : svc;
            },
        };
        const report = await runNightMode(spec, "day", slow);
        expect(report.ok, JSON.stringify(report.results)).to.equal(true);
        for (const r of REGIONS) expect(await target(r)).to.deep.equal({ min: 3, max: 12 });
        expect(await desired("us-east-1")).to.equal(3);
        expect(polls).to.be.at.least(3);
        expect(log).to.deep.equal([
            "capacity us-east-1=3/12",
            "dial us-east-1=100",
            "gate us-east-1=0",
            "dial eu-west-1=100",
        ]);
        // Closed at night (1), opened in the morning (0).
        expect(await gate("us-east-1")).to.deep.equal([0, 1]);
    });

    it("an emergency restore brings everything back at once and holds off the next night flip until released", async () => {
        await runNightMode(spec, "night", ports);
        const emergency = await runNightMode(spec, "emergency", ports);
        expect(emergency.ok, JSON.stringify(emergency.results)).to.equal(true);
        expect(await target("us-east-1")).to.deep.equal({ min: 3, max: 12 });
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

    it("a night flip stops at the next cell when an emergency declares its hold meanwhile", async () => {
        // Two drained cells: a topology where zone eu may also be served from Tokyo.
        const topo = seedTopology();
        const wide: Topology = {
            ...topo,
            zones: { ...topo.zones, eu: ["eu-west-1", "ap-northeast-1"] },
        };
        const two = planNightMode(wide, nightCfg(), facts(REGIONS), NAMES);
        expect(two.cells.filter((c) => c.role === "drain").map((c) => c.region)).to.deep.equal([
            "us-east-1",
            "eu-west-1",
        ]);
        const racing: NightModePorts = {
            ...ports,
            setDial: async (arn, pct) => {
                await ports.setDial(arn, pct);
                // An operator's `night-mode emergency` starts now: it sets its hold first.
                await clients.ssm("ap-northeast-1").send(
                    new PutParameterCommand({
                        Name: two.holdParameter,
                        Value: new Date(Date.now() + 3600_000).toISOString(),
                        Type: "String",
                        Overwrite: true,
                    }),
                );
            },
        };
        const report = await runNightMode(two, "night", racing);
        expect(report.heldUntil).to.be.a("string");
        expect(report.results.at(-1)!.detail).to.contain("night mode stopped before eu-west-1");
        expect(await target("eu-west-1")).to.deep.equal({ min: 3, max: 12 });
        expect(dials[ARN("eu-west-1")]).to.equal(100);
    });

    it("waits for another run's lock, takes over an expired one, and gives up on a live one", async () => {
        let clock = Date.now();
        const timed: NightModePorts = {
            ...ports,
            now: () => new Date(clock),
            sleep: async (ms) => {
                clock += ms;
            },
        };
        const other = (until: number) =>
            clients.ssm("ap-northeast-1").send(
                new PutParameterCommand({
                    Name: spec.lockParameter,
                    Value: JSON.stringify({ owner: "other", until: new Date(until).toISOString() }),
                    Type: "String",
                    Overwrite: true,
                }),
            );
        await other(Date.now() - 1000); // a crashed run's lease, expired
        const takeover = await runNightMode(spec, "night", timed, "me");
        expect(takeover.ok, JSON.stringify(takeover.results)).to.equal(true);
        // The lock is released after the run.
        await expectRejection(
            clients
                .ssm("ap-northeast-1")
                .send(new GetParameterCommand({ Name: spec.lockParameter })),
            /ParameterNotFound|not found/i,
        );
        await other(Date.now() + 3600_000); // a live run
        const blocked = await runNightMode(spec, "day", timed, "me");
        expect(blocked.ok).to.equal(false);
        expect(blocked.results.at(-1)).to.deep.include({ step: "lock", status: "failed" });
        expect(await target("us-east-1")).to.deep.equal({ min: 1, max: 12 });
    });

    it("sync applies the phase the clock calls for (and day while held); restore ignores the clock", async () => {
        const at = (iso: string): NightModePorts => ({ ...ports, now: () => new Date(iso) });
        const night = await runNightMode(spec, "sync", at("2026-11-25T14:00:00Z")); // 23:00 JST
        expect(night.applied).to.equal("night");
        expect(await target("us-east-1")).to.deep.equal({ min: 1, max: 12 });
        const day = await runNightMode(spec, "sync", at("2026-11-25T01:00:00Z")); // 10:00 JST
        expect(day.applied).to.equal("day");
        expect(await target("us-east-1")).to.deep.equal({ min: 3, max: 12 });
        await runNightMode(spec, "night", ports);
        const restore = await runNightMode(spec, "restore", at("2026-11-25T14:00:00Z"));
        expect(restore.applied).to.equal("day");
        expect(await target("us-east-1")).to.deep.equal({ min: 3, max: 12 });
        expect(dials[ARN("us-east-1")]).to.equal(100);
    });

    it("keeps a cell at day capacity when its traffic cannot be drained (real SDK: moto has no Global Accelerator)", async () => {
        const report = await runNightMode(spec, "night", nightModePortsFor(clients, spec));
        expect(report.ok).to.equal(false);
        const failed = report.results.find((r) => r.status === "failed")!;
        expect(failed).to.include({ region: "us-east-1", step: "traffic-dial" });
        expect(failed.detail).to.contain("HTTP 500");
        expect(report.results.at(-1)).to.deep.include({ step: "capacity", status: "skipped" });
        expect(await target("us-east-1")).to.deep.equal({ min: 3, max: 12 });
    });

    it("keeps gate and dial closed when no task runs after the readiness timeout", async () => {
        await runNightMode(spec, "night", ports);
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
        expect(failed).to.include({ region: "us-east-1", step: "traffic" });
        expect(failed.detail).to.contain(`after ${spec.readinessTimeoutSeconds}s`);
        expect(dials[ARN("us-east-1")]).to.equal(0);
        expect(await gate("us-east-1")).to.deep.equal([1]);
    });

    it("the bundled Lambda handler runs the same controller: bad actions, stale schedules, failures and the program's delete", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskflow-nightmode-"));
        const saved = { ...process.env };
        const consoleLog = console.log;
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
                handler: (e: unknown) => Promise<{ ok: boolean; stale?: boolean; action: string }>;
            };
            await expectRejection(handler({ action: "sideways" }), /not one of night, day/);
            const stale = await handler({
                action: "night",
                scheduledTime: new Date(Date.now() - 3600_000).toISOString(),
            });
            expect(stale).to.deep.include({ stale: true });
            expect(await target("us-east-1")).to.deep.equal({ min: 3, max: 12 });
            // Global Accelerator fails under moto, so the night flip does not complete, and the
            // cell it could not drain keeps its capacity.
            await expectRejection(handler({ action: "night" }), /night did not complete/);
            expect(await target("us-east-1")).to.deep.equal({ min: 3, max: 12 });
            // Night mode removed from the program: aws.lambda.Invocation's delete → restore.
            await expectRejection(
                handler({ action: "sync", tf: { action: "delete" } }),
                /restore did not complete/,
            );
            const reports = logged.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
            expect(reports.map((r) => [r.action, r.ok])).to.deep.equal([
                ["night", false],
                ["restore", false],
            ]);
        } finally {
            console.log = consoleLog;
            process.env = saved;
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("ops: the Global Accelerator adapter's requests", () => {
    let server: http.Server;
    let endpoint: string;
    let bodies: { target: string; body: Record<string, unknown> }[];
    let group: Record<string, unknown>;
    let afterUpdate: (g: Record<string, unknown>) => Record<string, unknown>;

    before(async () => {
        server = http.createServer((req, res) => {
            let data = "";
            req.on("data", (d) => (data += d));
            req.on("end", () => {
                const target = String(req.headers["x-amz-target"] ?? "")
                    .split(".")
                    .pop()!;
                const body = JSON.parse(data || "{}") as Record<string, unknown>;
                bodies.push({ target, body });
                if (target === "UpdateEndpointGroup") {
                    group = afterUpdate({
                        ...group,
                        TrafficDialPercentage: body.TrafficDialPercentage,
                    });
                }
                res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
                res.end(JSON.stringify({ EndpointGroup: group }));
            });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
        endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));
    beforeEach(() => {
        bodies = [];
        afterUpdate = (g) => g;
        group = {
            EndpointGroupArn: ARN("us-east-1"),
            TrafficDialPercentage: 100,
            PortOverrides: [{ ListenerPort: 443, EndpointPort: 8443 }],
            EndpointDescriptions: [
                {
                    EndpointId: "arn:aws:elasticloadbalancing:alb",
                    Weight: 100,
                    ClientIPPreservationEnabled: true,
                },
            ],
        };
    });

    const portsAt = () => {
        const clients = new AwsClients({ endpoint });
        return {
            clients,
            ports: nightModePortsFor(clients, {
                ...planNightMode(seedTopology(), nightCfg(), facts([...BASE_REGIONS]), NAMES),
            }),
        };
    };

    it("sends only the dial, through the us-west-2 API, and reads it back", async () => {
        const { clients, ports } = portsAt();
        try {
            await ports.setDial(ARN("us-east-1"), 0);
            expect(await ports.getDial(ARN("us-east-1"))).to.equal(0);
        } finally {
            clients.destroy();
        }
        const update = bodies.find((b) => b.target === "UpdateEndpointGroup")!;
        expect(update.body).to.deep.equal({
            EndpointGroupArn: ARN("us-east-1"),
            TrafficDialPercentage: 0,
        });
        expect(bodies.map((b) => b.target)).to.deep.equal([
            "DescribeEndpointGroup",
            "UpdateEndpointGroup",
            "DescribeEndpointGroup",
        ]);
    });

    it("fails loudly when an update changed more than the dial (e.g. lost the 443→8443 port override)", async () => {
        afterUpdate = (g) => ({ ...g, PortOverrides: [] });
        const { clients, ports } = portsAt();
        try {
            await expectRejection(ports.setDial(ARN("us-east-1"), 0), /changed beyond its dial/);
        } finally {
            clients.destroy();
        }
    });
});

async function expectRejection(p: Promise<unknown>, re: RegExp) {
    try {
        await p;
    } catch (e) {
        expect(`${(e as Error).name}: ${(e as Error).message}`).to.match(re);
        return;
    }
    expect.fail(`expected a rejection matching ${re}`);
}
