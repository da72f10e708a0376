/**
 * The resilience report (plan/report) over the repository's planned stacks, over edited copies
 * of their plan files, and over a six-stack fixture topology; and `npm run plan -- --out/--strict`.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { SEED_TARGETS, targetsIssues } from "../../config/targets";
import { Report, ReportOutput, buildReport, reportToJson } from "../../plan/report";
import prices from "../../plan/report/data/prices.json";
import { distanceKm, regionLocation, rttLowerBoundMs } from "../../plan/report/geo";
import { PlannedStack, StackPlan, planAll } from "../../plan/run";
import { reportOf } from "../../scripts/plan";
import { albLogsBucketName, logArchiveBucketName } from "../../model/naming";
import { MOCK_ACCOUNT_ID } from "../../plan/mocks/context";
import { main as planMain } from "../../scripts/plan";
import { inProcessAsync } from "../helpers/cli";
import { configErrorOf, repoRaw } from "../helpers/config";
import { projectCopy, sixStackProject } from "../helpers/project-copy";
import { repoPlan } from "../helpers/repo-plan";
import {
    repoConfigs,
    repoDrainedRegions,
    repoRegions,
    repoStackOfRegion,
    repoTopology,
} from "../helpers/repo-topology";
import { replicaRegions } from "../../config";
import { removeTempDirs, tempDir } from "../helpers/tmp";

type Obj = Record<string, unknown>;

/** The report of the repo's plans after `edit` changed a deep copy of them. */
function reportOfEdited(planned: PlannedStack[], edit: (plans: StackPlan[]) => void): Report {
    const copy = planned.map((p) => ({
        ...p,
        plan: JSON.parse(JSON.stringify(p.plan)) as StackPlan,
    }));
    edit(copy.map((p) => p.plan));
    return reportOf(copy).report;
}

const resourcesOf = (plans: StackPlan[], type: string) =>
    plans.flatMap((p) => p.resources.filter((r) => r.type === type));

const rtoOf = (r: Report, entryKind: string, region: string) =>
    r.rto.find((l) => l.entryKind === entryKind && l.region === region && l.value !== null);

const row = (r: Report, scenario: string, entry: string, geography: string) => {
    const found = r.matrix.find(
        (m) => m.scenario === scenario && m.entry === entry && m.geography === geography,
    );
    expect(found, `${scenario} ${entry} ${geography}`).to.not.equal(undefined);
    return found!;
};

/** `npm run plan -- <args>`: the command's main in this process. */
async function runPlanCli(args: string[]) {
    const r = await inProcessAsync(planMain, args);
    return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

describe("resilience report", function () {
    this.timeout(120_000);
    let planned: PlannedStack[];
    let out: ReportOutput;
    let report: Report;
    before(async () => {
        planned = await repoPlan();
        out = reportOf(planned);
        report = out.report;
    });
    after(removeTempDirs);

    describe("entry points and the failure matrix (Route 53 resolved as Route 53 answers)", () => {
        it("finds the CloudFront name, the API name and the accelerator (by the name aliased to it) from the planned resources", () => {
            expect(report.entryPoints.map((e) => `${e.kind}:${e.name}`)).to.deep.equal([
                "accelerator:" +
                    String(
                        planned.find((p) => p.plan.stack === "global")!.plan.outputs
                            .acceleratorHostname,
                    ),
                "cloudfront:app.taskflow.example.com",
                "dns:api.taskflow.example.com",
            ]);
        });

        it("routes JP to ap-northeast-1 when healthy and to us-east-1 (its failover partner) when ap-northeast-1 is down", () => {
            expect(
                row(report, "healthy", "api.taskflow.example.com", "country:JP").servedBy,
            ).to.deep.equal(["ap-northeast-1"]);
            const down = row(
                report,
                "down:ap-northeast-1",
                "api.taskflow.example.com",
                "country:JP",
            );
            expect(down.servedBy).to.deep.equal(["us-east-1"]);
            expect(down.places[0].path.join(" → ")).to.include(
                "ap-northeast-1.api.taskflow.example.com [ap-northeast-1-secondary]",
            );
            // CloudFront resolves the same origin name: same answer.
            expect(
                row(report, "down:ap-northeast-1", "app.taskflow.example.com", "country:JP")
                    .servedBy,
            ).to.deep.equal(["us-east-1"]);
        });

        it("reports EU-resident requests failing closed with eu-west-1 down, never served elsewhere", () => {
            for (const geo of ["country:GB", "continent:EU"]) {
                const viaEdge = row(report, "down:eu-west-1", "app.taskflow.example.com", geo);
                const residents = viaEdge.places.filter((p) => p.resident);
                expect(residents.length, geo).to.be.greaterThan(0);
                for (const p of residents) {
                    expect(p.region, p.place).to.equal(null);
                    expect(p.residency, p.place).to.equal("fails-closed");
                    expect(p.enforcedBy, p.place).to.equal("edge");
                }
                // The API name fails over for global features; the resident data is refused by
                // the application (its tasks know where the data lives), not served.
                const direct = row(report, "down:eu-west-1", "api.taskflow.example.com", geo);
                expect(direct.servedBy).to.deep.equal(["us-east-1"]);
                expect(direct.residency).to.equal("fails-closed");
                expect(direct.enforcedBy).to.equal("application");
            }
            expect(report.matrix.filter((m) => m.residency === "served-outside")).to.deep.equal([]);
        });

        it("catches a resident origin that fails over out of the zone (would serve EU data in us-east-1)", () => {
            const r = reportOfEdited(planned, (plans) => {
                // Point the resident record at us-east-1's ALB and drop the ALBs' residency rules.
                const use1 = plans.find((p) => p.stack === "us-east-1")!;
                const alb = use1.resources.find(
                    (x) => x.type === "aws:lb/loadBalancer:LoadBalancer",
                )!;
                const rec = resourcesOf(plans, "aws:route53/record:Record").find(
                    (x) => (x.inputs as Obj).name === "eu-resident.api.taskflow.example.com",
                )!;
                ((rec.inputs as Obj).aliases as Obj[])[0].name = (alb.outputs as Obj).dnsName;
                for (const p of plans)
                    p.resources = p.resources.filter(
                        (x) =>
                            x.type !== "aws:lb/listenerRule:ListenerRule" ||
                            !x.name.includes("residency"),
                    );
                // ... and the tasks' knowledge of where resident data lives.
                for (const td of resourcesOf(plans, "aws:ecs/taskDefinition:TaskDefinition")) {
                    const i = td.inputs as Obj;
                    i.containerDefinitions = String(i.containerDefinitions).replace(
                        /TASKFLOW_RESIDENT_REGION/g,
                        "UNRELATED",
                    );
                }
            });
            expect(
                r.unmet.some(
                    (u) =>
                        u.target === "residency" && u.subject.includes("app.taskflow.example.com"),
                ),
            ).to.equal(true);
        });

        it("sends US users to Tokyo at night through the gates, and says the latency target cannot hold then", () => {
            const night = row(report, "night", "api.taskflow.example.com", "country:US");
            expect(night.servedBy).to.deep.equal(["ap-northeast-1"]);
            expect(night.places[0].path.join(" → ")).to.include(
                "us-east-1.gate.api.taskflow.example.com [us-east-1-gate-secondary]",
            );
            expect(night.latencyOk).to.equal(false);
            // New York–Tokyo at the speed of light in fibre, by hand.
            const ny = night.places.find((p) => p.place === "New York")!;
            const km = distanceKm({ lat: 40.71, lon: -74.01 }, regionLocation("ap-northeast-1"));
            expect(ny.rttMs).to.be.closeTo((2 * km * 1.468) / 299.792458, 0.1);
            expect(rttLowerBoundMs(km)).to.be.greaterThan(100);
            // Reported, exempt (night mode trades latency for cost by design), not hidden.
            expect(report.unmet.filter((u) => u.target === "latencyMs")).to.deep.equal([]);
        });
    });

    describe("RTO from the planned health checks", () => {
        it("computes DNS failover as interval × threshold + check timeout + alias TTL + resolver allowance", () => {
            const l = rtoOf(report, "dns", "us-east-1")!;
            expect(l.terms).to.deep.equal({
                detection: 10 * 2 + 6,
                ttl: 60,
                resolverAllowance: 60,
            });
            expect(l.value).to.equal(146);
            expect(l.verdict).to.equal("met");
        });

        it("follows a change of the health-check interval and threshold in the plan", () => {
            const r = reportOfEdited(planned, (plans) => {
                for (const hc of resourcesOf(plans, "aws:route53/healthCheck:HealthCheck")) {
                    const i = hc.inputs as Obj;
                    if (i.type === "HTTPS")
                        Object.assign(i, { requestInterval: 30, failureThreshold: 3 });
                }
            });
            for (const region of repoRegions()) {
                expect(rtoOf(r, "dns", region)!.terms.detection, region).to.equal(30 * 3 + 6);
                expect(rtoOf(r, "dns", region)!.value, region).to.equal(216);
            }
            // Global Accelerator acts on the target groups' health, unchanged.
            expect(rtoOf(r, "accelerator", "us-east-1")!.value).to.equal(
                rtoOf(report, "accelerator", "us-east-1")!.value,
            );
        });

        it("takes Global Accelerator's failover from the ALB target-group health checks", () => {
            const r = reportOfEdited(planned, (plans) => {
                for (const tg of resourcesOf(plans, "aws:lb/targetGroup:TargetGroup")) {
                    Object.assign((tg.inputs as Obj).healthCheck as Obj, {
                        interval: 30,
                        unhealthyThreshold: 5,
                        timeout: 10,
                    });
                }
            });
            expect(rtoOf(report, "accelerator", "eu-west-1")!.value).to.equal(10 * 2 + 5);
            expect(rtoOf(r, "accelerator", "eu-west-1")!.value).to.equal(30 * 5 + 10);
        });

        it("gives EU-resident requests no RTO: exempt, failing closed until eu-west-1 recovers", () => {
            const l = report.rto.find(
                (x) => x.entryKind === "cloudfront" && x.region === "eu-west-1" && x.value === null,
            )!;
            expect(l.exempt).to.match(/residency/);
            expect(l.detail).to.match(/served again only when eu-west-1 recovers/);
        });
    });

    describe("RPO from the planned replication", () => {
        const s3 = (r: Report) => r.rpo.filter((l) => l.tier === "s3");

        it("states S3 with RTC as 15 min promised, seconds typical; Aurora, DynamoDB and ElastiCache as typical only", () => {
            // one line per bucket the primary's replicates to: every other global-data region
            expect(
                s3(report)
                    .map((l) => l.regions[l.regions.length - 1])
                    .sort(),
            ).to.deep.equal(replicaRegions(repoTopology()).sort());
            for (const l of s3(report)) {
                expect(l.mechanism).to.equal("S3 replication with Replication Time Control");
                expect(l.promised).to.match(/15 min/);
                expect(l.verdict).to.equal("typical");
            }
            expect(
                report.rpo
                    .filter((l) => ["aurora", "dynamodb", "elasticache"].includes(l.tier))
                    .map((l) => `${l.tier}:${l.verdict}`),
            ).to.deep.equal([
                "aurora:typical",
                "dynamodb:typical",
                "dynamodb:typical",
                "elasticache:typical",
            ]);
        });

        it("changes the S3 line when RTC is removed: nothing promised, the RPO target not met", () => {
            const r = reportOfEdited(planned, (plans) => {
                for (const cfg of resourcesOf(
                    plans,
                    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
                )) {
                    for (const rule of (cfg.inputs as Obj).rules as Obj[])
                        delete (rule.destination as Obj).replicationTime;
                }
            });
            for (const l of s3(r)) {
                expect(l.mechanism).to.equal("S3 replication without Replication Time Control");
                expect(l.promised).to.match(/no replication time promised/);
                expect(l.verdict).to.equal("not-met");
            }
            expect(
                r.unmet.filter((u) => u.target === "rpoSeconds").map((u) => u.subject),
            ).to.deep.equal(s3(r).map((l) => l.subject));
        });

        it("treats a planned rds.global_db_rpo as a promised Aurora RPO", () => {
            const r = reportOfEdited(planned, (plans) => {
                for (const pg of resourcesOf(
                    plans,
                    "aws:rds/clusterParameterGroup:ClusterParameterGroup",
                )) {
                    ((pg.inputs as Obj).parameters as Obj[]).push({
                        name: "rds.global_db_rpo",
                        value: "20",
                    });
                }
            });
            const l = r.rpo.find((x) => x.tier === "aurora")!;
            expect(l.verdict).to.equal("met");
            expect(l.value).to.equal(20);
        });

        it("lists EU-resident stores as never replicated, exempt for residency", () => {
            const resident = report.rpo.filter((l) => l.tier === "resident");
            expect(resident.map((l) => l.regions[0])).to.deep.equal([
                "eu-west-1",
                "eu-west-1",
                "eu-west-1",
                "eu-west-1",
                "eu-west-1",
            ]);
            // The EU log landing bucket and the EU log archive are EU-resident stores too.
            expect(resident.map((l) => l.subject)).to.include.members([
                `Bucket ${albLogsBucketName("taskflow-prod", MOCK_ACCOUNT_ID, "eu-west-1")} (zone eu)`,
                `Bucket ${logArchiveBucketName("prod", MOCK_ACCOUNT_ID, "eu", "eu-west-1")} (zone eu)`,
            ]);
            expect(resident.every((l) => /residency/.test(l.exempt ?? ""))).to.equal(true);
        });
    });

    describe("availability", () => {
        it("composes the web tier from the cells' SLAs and the planned failover pairs, formula shown", () => {
            const cell = report.availability.cells.find((c) => c.region === "ap-northeast-1")!;
            const byHand = 0.9999 * 0.9999 * 0.9995 * 0.9999 * 0.99999;
            expect(cell.percent).to.be.closeTo(byHand * 100, 1e-4);
            const web = report.availability.lines[0];
            expect(web.formula).to.match(
                /1 − \(1 − A\(cell r\)\) × \(1 − A\(cell failover\(r\)\)\)/,
            );
            expect(web.value).to.be.closeTo((1 - (1 - byHand) ** 2) * 100, 1e-4);
            expect(web.verdict).to.equal("met");
        });
    });

    describe("cost model", () => {
        it("recomputes the us-east-1 stack by hand from the price table", () => {
            const p = prices.regions["us-east-1"];
            const g = prices.global;
            const H = 730;
            const stack = planned.find((x) => x.plan.stack === "us-east-1")!.plan;
            const count = (type: string) => stack.resources.filter((r) => r.type === type).length;
            // Quantities as planned: 2 tasks of 0.5 vCPU / 1 GB, one ALB in 3 subnets, 3 NAT
            // gateways (OnePerAz over 3 AZs), 2 Aurora db.r7g.large, 2 Valkey cache.r7g.large nodes.
            // The global-data key is a replica here: the cell's key and the log archive's.
            expect(count("aws:kms/key:Key")).to.equal(2);
            expect(count("aws:secretsmanager/secret:Secret")).to.equal(1);
            const alarms = count("aws:cloudwatch/metricAlarm:MetricAlarm");
            const r2 = (x: number) => Math.round(x * 100) / 100;
            const byHand =
                2 * r2((0.5 * p.fargateVcpuHour + 1 * p.fargateGbHour) * H) +
                r2(p.albHour * H) +
                3 * r2(p.publicIpv4Hour * H) +
                3 * r2(p.natGatewayHour * H) +
                3 * r2(p.publicIpv4Hour * H) +
                2 * r2(p.aurora["db.r7g.large"] * H) +
                2 * r2(p.elasticacheValkey["cache.r7g.large"] * H) +
                2 * g.kmsKeyMonth +
                1 * g.secretMonth +
                alarms * g.cloudwatchAlarmMonth;
            const cost = report.cost.stacks.find((s) => s.stack === "us-east-1")!;
            expect(cost.missingPrices).to.deep.equal([]);
            expect(cost.monthly).to.be.closeTo(byHand, 0.011);
            expect(report.cost.modes[0].byStack["us-east-1"]).to.equal(cost.monthly);
        });

        it("prices night mode as the drained cell's task floor for the night hours, next to seed 000's 50 %", () => {
            const n = report.cost.nightMode!;
            const { nightTasks } = Object.values(repoConfigs())[0].nightMode;
            const drained = repoDrainedRegions();
            expect(drained).to.include("us-east-1").and.not.include("eu-west-1");
            let floor = 0;
            for (const region of drained) {
                const p = prices.regions[region as keyof typeof prices.regions];
                const cell = repoStackOfRegion(region).cell!;
                const vcpu = cell.taskCpu / 1024;
                const gb = cell.taskMemory / 1024;
                const task =
                    Math.round((vcpu * p.fargateVcpuHour + gb * p.fargateGbHour) * 730 * 100) / 100;
                floor += (cell.minTasks - nightTasks) * task;
            }
            expect(n.nightHours).to.equal(10);
            expect(n.savingMonthly).to.be.closeTo(floor * (10 / 24), 0.01);
            expect(n.seedClaimPercent).to.equal(50);
            expect(n.savingPercent).to.be.lessThan(50);
            expect(n.explanation.join(" ")).to.match(/eu-west-1.*zone eu/);
        });

        it("projects warm standby and pilot light with the program's capacity rule, keeping the EU cell active", () => {
            const all = report.cost.modes.find((m) => m.mode === "all-active")!;
            const warm = report.cost.modes.find((m) => m.mode === "warm-standby")!;
            const pilot = report.cost.modes.find((m) => m.mode === "pilot-light")!;
            expect(warm.byStack["eu-west-1"]).to.equal(all.byStack["eu-west-1"]);
            expect(warm.byStack["ap-northeast-1"]).to.equal(all.byStack["ap-northeast-1"]);
            expect(pilot.byStack["us-east-1"]).to.be.lessThan(warm.byStack["us-east-1"]);
            expect(warm.byStack["us-east-1"]).to.be.lessThan(all.byStack["us-east-1"]);
        });
    });

    describe("targets in config", () => {
        it("defaults to seed 000's and refuses a looser or misspelled target naming the key", () => {
            expect(report.targets).to.deep.equal(SEED_TARGETS);
            expect(targetsIssues({ rtoSeconds: 1800 })[0]).to.include({
                key: "taskflow:targets.rtoSeconds",
            });
            expect(targetsIssues({ rtoSecond: 60 })[0].allowed).to.match(/did you mean rtoSeconds/);
            const raw = repoRaw("us-east-1");
            raw["taskflow:targets"] = { availabilityPercent: 99.9 };
            const err = configErrorOf("us-east-1", raw);
            expect(err.message).to.match(
                /taskflow:targets\.availabilityPercent: 99\.9 is not allowed; a percentage from 99\.99/,
            );
        });

        it("refuses taskflow:targets in a stack's own file (every stack must judge alike)", () => {
            const raw = repoRaw("eu-west-1");
            raw["taskflow:targets"] = { rtoSeconds: 300 };
            const err = configErrorOf("eu-west-1", raw, { stackKeys: ["taskflow:targets"] });
            expect(err.message).to.match(
                /taskflow:targets: .* is not allowed; only in Pulumi\.yaml/,
            );
        });

        it("judges a stricter target: an RTO below the DNS failover time is not met", () => {
            const strict = buildReport({
                plans: planned.map((p) => p.plan),
                targets: { ...SEED_TARGETS, rtoSeconds: 120 },
                cells: Object.fromEntries(
                    planned
                        .filter((p) => p.config.cell)
                        .map((p) => [
                            p.plan.stack,
                            {
                                role: p.config.role as "primary" | "secondary",
                                cell: p.config.cell!,
                            },
                        ]),
                ),
                primaryRegion: "ap-northeast-1",
            }).report;
            // every region down, reached through the DNS name and through CloudFront (146 s each);
            // Global Accelerator's 25 s stays within 120 s
            const viaDns = report.rto.filter(
                (l) => (l.entryKind === "dns" || l.entryKind === "cloudfront") && l.value !== null,
            );
            expect(viaDns.map((l) => l.region).sort()).to.deep.equal(
                [...repoRegions(), ...repoRegions()].sort(),
            );
            expect(
                strict.unmet
                    .filter((u) => u.target === "rtoSeconds")
                    .map((u) => u.subject)
                    .sort(),
            ).to.deep.equal(viaDns.map((l) => l.subject).sort());
            expect(report.unmet).to.deep.equal([]);
        });
    });

    describe("a fixture with us-east-1 in warm standby and a 2-minute RTO target, planned in-process and by npm run plan", () => {
        let dir: string;
        let fixture: ReportOutput;
        before(async () => {
            dir = projectCopy("report-warm-", (docs) => {
                docs["Pulumi.us-east-1.yaml"].config["taskflow:cellMode"] = "warm-standby";
                docs["Pulumi.yaml"].config["taskflow:targets"] = { value: { rtoSeconds: 120 } };
            });
            fixture = reportOf(await planAll({ dir }));
        });

        it("costs us-east-1 as the warm-standby projection of the active plan (the projection is what the program plans)", () => {
            const real = fixture.report.cost.stacks.find((s) => s.stack === "us-east-1")!;
            const projected = report.cost.modes.find((m) => m.mode === "warm-standby")!.byStack[
                "us-east-1"
            ];
            expect(real.monthly).to.be.closeTo(projected, 0.011);
            expect(real.monthly).to.be.lessThan(report.cost.modes[0].byStack["us-east-1"]);
        });

        it("--strict exits non-zero naming the target; --out writes the report files, identical to this process's", async () => {
            const outDir = tempDir("report-out-");
            const res = await runPlanCli(["--dir", dir, "--out", outDir, "--strict", "--quiet"]);
            expect(res.status).to.equal(1);
            expect(res.stderr).to.match(
                /plan --strict: target rtoSeconds not met: api\.taskflow\.example\.com \(dns\) with us-east-1 down/,
            );
            expect(res.stderr).to.not.match(
                /target (rpoSeconds|latencyMs|availabilityPercent|residency) not met/,
            );
            for (const f of ["report.json", "report.md", "architecture.md"])
                expect(fs.existsSync(path.join(outDir, f)), f).to.equal(true);
            // Planned twice, independently: byte-identical files.
            expect(fs.readFileSync(path.join(outDir, "report.json"), "utf8")).to.equal(
                reportToJson(fixture.report),
            );
            expect(fs.readFileSync(path.join(outDir, "architecture.md"), "utf8")).to.equal(
                fixture.architecture,
            );
            expect(fixture.architecture).to.match(/```mermaid\nflowchart LR/);
        });
    });

    describe("a six-stack fixture (plus ap-northeast-3 in zone jp, ap-southeast-2 in a new zone au)", () => {
        let six: ReportOutput;
        before(async () => {
            six = reportOf(await planAll({ dir: sixStackProject() }));
        });

        it("covers every region, its geography and its failover in the report", () => {
            const r = six.report;
            expect(r.regions).to.deep.equal([
                "ap-northeast-1",
                "ap-northeast-3",
                "ap-southeast-2",
                "eu-west-1",
                "us-east-1",
            ]);
            expect(r.scenarios.map((s) => s.id)).to.include.members([
                "down:ap-northeast-3",
                "down:ap-southeast-2",
            ]);
            expect(
                row(r, "healthy", "api.taskflow.example.com", "country:AU").servedBy,
            ).to.deep.equal(["ap-southeast-2"]);
            expect(
                row(r, "down:ap-southeast-2", "api.taskflow.example.com", "country:AU").servedBy,
            ).to.deep.equal(["ap-northeast-1"]);
            expect(rtoOf(r, "dns", "ap-southeast-2")!.value).to.equal(146);
            // The added regions hold no global data (the Global Datastore takes two secondaries).
            expect(r.rpo.find((l) => l.tier === "aurora")!.regions).to.have.members([
                "ap-northeast-1",
                "us-east-1",
                "eu-west-1",
            ]);
            expect(r.cost.stacks.map((s) => s.stack)).to.have.length(6);
            // Night mode drains Osaka (zone jp, served by Tokyo) and keeps Sydney (zone au has no other region).
            expect(r.cost.nightMode!.explanation[0]).to.match(/ap-northeast-3/);
            expect(r.cost.nightMode!.explanation[1]).to.match(/ap-southeast-2/);
        });

        it("draws every region stack and its routing in the picture", () => {
            const a = six.architecture;
            for (const s of ["ap-northeast-3", "ap-southeast-2"])
                expect(a).to.include(
                    `subgraph stack_${s.replace(/-/g, "_")}["stack ${s}: secondary (${s})"]`,
                );
            expect(a).to.match(/entry_api_taskflow_example_com -->\|"AU"\| alb_ap_southeast_2/);
            expect(a).to.match(
                /entry_app_taskflow_example_com ==>\|"zone eu residents: pinned to eu-resident\.api\.taskflow\.example\.com, no failover"\| alb_eu_west_1/,
            );
            expect(a).to.match(
                /alb_ap_southeast_2 -\. "failover \(ap-southeast-2\.api\.taskflow\.example\.com\)" \.-> alb_ap_northeast_1/,
            );
            expect(a).to.match(
                /aurora_ap_northeast_1 == "aurora: typical latency under 1 s" ==> aurora_us_east_1/,
            );
            expect(a).to.not.include("aurora_ap_southeast_2");
        });
    });
});
