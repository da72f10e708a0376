/**
 * Aurora switchover / failover runbooks against moto_server: a global cluster with members in
 * three regions, tags and CloudWatch lag metrics are real API state there. moto does not
 * implement SwitchoverGlobalCluster or FailoverGlobalCluster (HTTP 500), so every check before
 * the call runs for real, the call is shown failing cleanly with nothing changed, and what
 * happens after a successful call (waiting for the new writer, moving the cache primary) runs
 * on a port that answers those two calls the way RDS documents them.
 */
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import {
    WRITER_VARIABLES,
    cacheWriterParameterValues,
    parameterPath,
    writerParameterValues,
} from "../../model/parameters";
import { updateWriterParameters } from "../../ops/aurora-parameters";
import {
    CreateDBClusterCommand,
    DescribeDBClustersCommand,
    CreateGlobalClusterCommand,
    DescribeGlobalClustersCommand,
} from "@aws-sdk/client-rds";
import { expect } from "chai";
import { spawnSync } from "child_process";
import { AuroraPorts, RunbookOptions, failover, switchover } from "../../ops/aurora";
import { AwsClients, auroraPorts } from "../../ops/aws";
import { REPO_ROOT } from "../../plan/run";
import { Moto, startMoto } from "./moto";

const GLOBAL = "taskflow-test-aurora";
const member = (region: string) => `taskflow-test-aurora-global-${region}`;
const arn = (region: string) => `arn:aws:rds:${region}:123456789012:cluster:${member(region)}`;

describe("ops: Aurora switchover and failover runbooks against moto_server", function () {
    this.timeout(60_000);
    let moto: Moto;
    let clients: AwsClients;
    let ports: AuroraPorts;
    const base: RunbookOptions = {
        globalClusterId: GLOBAL,
        targetRegion: "us-east-1",
        globalDataRegions: ["ap-northeast-1", "us-east-1", "eu-west-1"],
        rpoSeconds: 5,
    };

    const lag = (region: string, ms: number) =>
        clients.cloudwatch(region).send(
            new PutMetricDataCommand({
                Namespace: "AWS/RDS",
                MetricData: [
                    {
                        MetricName: "AuroraGlobalDBReplicationLag",
                        Dimensions: [{ Name: "DBClusterIdentifier", Value: member(region) }],
                        Value: ms,
                        Unit: "Milliseconds",
                        Timestamp: new Date(),
                    },
                ],
            }),
        );
    const writerRegion = async () => {
        const out = await clients
            .rds("us-east-1")
            .send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: GLOBAL }));
        return out
            .GlobalClusters![0].GlobalClusterMembers!.find((m) => m.IsWriter)!
            .DBClusterArn!.split(":")[3];
    };

    before(async () => {
        moto = await startMoto();
        clients = new AwsClients({ endpoint: moto.endpoint });
        ports = auroraPorts(clients);
    });
    after(async () => {
        clients?.destroy();
        await moto?.stop();
    });
    beforeEach(async () => {
        await moto.reset();
        // What GlobalData builds: the global cluster, its primary member in Tokyo and a
        // secondary member in each secondary region, all classified as global data.
        await clients.rds("ap-northeast-1").send(
            new CreateGlobalClusterCommand({
                GlobalClusterIdentifier: GLOBAL,
                Engine: "aurora-postgresql",
                EngineVersion: "16.6",
            }),
        );
        for (const region of ["ap-northeast-1", "us-east-1", "eu-west-1"]) {
            await clients.rds(region).send(
                new CreateDBClusterCommand({
                    DBClusterIdentifier: member(region),
                    Engine: "aurora-postgresql",
                    EngineVersion: "16.6",
                    GlobalClusterIdentifier: GLOBAL,
                    ...(region === "ap-northeast-1"
                        ? { MasterUsername: "taskflow", MasterUserPassword: "not-a-real-secret-1" }
                        : {}),
                    Tags: [{ Key: "data-residency", Value: "global" }],
                }),
            );
        }
    });

    it("a dry run proves the target (member, classification, version, lag) and names the call it would make", async () => {
        await lag("us-east-1", 800);
        const r = await switchover({ ...base, dryRun: true }, ports);
        expect(r.ok, JSON.stringify(r.steps)).to.equal(true);
        expect(r.steps.map((s) => s.step)).to.deep.equal([
            "global-cluster",
            "target-cluster",
            "replication-lag",
            "dry-run",
        ]);
        expect(r.steps[0].detail).to.contain("writer ap-northeast-1");
        expect(r.steps[2].detail).to.equal("max 800 ms ≤ 5000 ms");
        expect(r.steps[3].detail).to.equal(
            `would call SwitchoverGlobalCluster(${GLOBAL} → ${arn("us-east-1")})`,
        );
    });

    it("refuses a target lagging beyond the RPO", async () => {
        await lag("us-east-1", 7200);
        const r = await switchover(base, ports);
        expect(r.ok).to.equal(false);
        expect(r.steps.at(-1)).to.deep.include({ step: "replication-lag", status: "failed" });
        expect(r.steps.at(-1)!.detail).to.contain("lags 7200 ms, above the 5000 ms RPO");
        expect(await writerRegion()).to.equal("ap-northeast-1");
    });

    it("refuses a switchover it cannot prove within the RPO (no lag metric) unless told to proceed", async () => {
        const r = await switchover({ ...base, dryRun: true }, ports);
        expect(r.steps.at(-1)).to.deep.include({ step: "replication-lag", status: "failed" });
        const forced = await switchover(
            { ...base, dryRun: true, allowMissingLagMetric: true },
            ports,
        );
        expect(forced.ok).to.equal(true);
    });

    it("refuses a region the topology does not list for global data, before calling AWS", async () => {
        const r = await switchover(
            {
                ...base,
                targetRegion: "eu-west-1",
                globalDataRegions: ["ap-northeast-1", "us-east-1"],
            },
            ports,
        );
        expect(r.steps).to.have.length(1);
        expect(r.steps[0]).to.deep.include({ step: "residency", status: "failed" });
        expect(r.steps[0].detail).to.contain("not a global-data region");
    });

    it("never promotes a member classified in a residency zone", async () => {
        // A mistake the policy pack would catch at preview: an EU-classified cluster joined to
        // the global cluster. The runbook refuses it too.
        await clients.rds("eu-west-1").send(
            new CreateDBClusterCommand({
                DBClusterIdentifier: "taskflow-test-users-eu",
                Engine: "aurora-postgresql",
                EngineVersion: "16.6",
                GlobalClusterIdentifier: GLOBAL,
                Tags: [{ Key: "data-residency", Value: "eu" }],
            }),
        );
        const g = await ports.describeGlobalCluster("eu-west-1", GLOBAL);
        const euOnly: AuroraPorts = {
            ...ports,
            describeGlobalCluster: async () => ({
                ...g!,
                members: g!.members.filter((m) => !m.arn.endsWith(member("eu-west-1"))),
            }),
        };
        const r = await switchover({ ...base, targetRegion: "eu-west-1", dryRun: true }, euOnly);
        expect(r.steps.at(-1)).to.deep.include({ step: "residency", status: "failed" });
        expect(r.steps.at(-1)!.detail).to.contain('classified "eu"');
    });

    it("never promotes an unclassified member (it cannot be shown to hold global data)", async () => {
        const g = await ports.describeGlobalCluster("us-east-1", GLOBAL);
        const untagged: AuroraPorts = {
            ...ports,
            describeGlobalCluster: async () => g,
            describeCluster: async (region, arn) => {
                const c = await ports.describeCluster(region, arn);
                return { ...c, tags: {} };
            },
        };
        const r = await switchover({ ...base, dryRun: true }, untagged);
        expect(r.steps.at(-1)).to.deep.include({ step: "residency", status: "failed" });
        expect(r.steps.at(-1)!.detail).to.contain("has no data-residency tag");
    });

    it("refuses the region that already holds the writer, and a region without a member", async () => {
        const same = await switchover({ ...base, targetRegion: "ap-northeast-1" }, ports);
        expect(same.steps.at(-1)!.detail).to.contain("already holds the writer");
        const none = await switchover(
            {
                ...base,
                targetRegion: "us-west-2",
                globalDataRegions: [...base.globalDataRegions, "us-west-2"],
            },
            ports,
        );
        expect(none.steps.at(-1)!.detail).to.contain(
            "no member of taskflow-test-aurora in us-west-2",
        );
    });

    it("reports a failed switchover call with nothing changed (moto does not implement it)", async () => {
        await lag("us-east-1", 100);
        const r = await switchover(base, ports);
        expect(r.ok).to.equal(false);
        const last = r.steps.at(-1)!;
        expect(last).to.deep.include({ step: "SwitchoverGlobalCluster", status: "failed" });
        expect(last.detail).to.match(/HTTP 500.*nothing was changed/);
        expect(await writerRegion()).to.equal("ap-northeast-1");
    });

    it("a failover needs the operator to accept data loss", async () => {
        const r = await failover(base, ports);
        expect(r.steps).to.have.length(1);
        expect(r.steps[0]).to.deep.include({ step: "confirmation", status: "failed" });
        expect(r.steps[0].detail).to.contain("--allow-data-loss");
        const called = await failover({ ...base, allowDataLoss: true }, ports);
        expect(called.steps.at(-1)).to.deep.include({
            step: "FailoverGlobalCluster",
            status: "failed",
        });
    });

    it("after the call, waits for the new writer and then moves the Global Datastore's primary", async () => {
        await lag("us-east-1", 100);
        const calls: string[] = [];
        let promoted = false;
        let polls = 0;
        const afterCall: AuroraPorts = {
            ...ports,
            // RDS: the writer moves a few polls after SwitchoverGlobalCluster returns.
            switchover: async (_r, id, target) => {
                calls.push(`switchover ${id} ${target}`);
                promoted = true;
            },
            describeGlobalCluster: async (region, id) => {
                const g = await ports.describeGlobalCluster(region, id);
                if (!promoted || ++polls < 3)
                    return g && { ...g, status: promoted ? "switching-over" : g.status };
                return {
                    ...g!,
                    members: g!.members.map((m) => ({ ...m, isWriter: m.region === "us-east-1" })),
                };
            },
            describeGlobalDatastore: async () => ({
                id: "ldgnf-taskflow-test-cache",
                status: "available",
                members: [
                    {
                        replicationGroupId: "taskflow-test-cache-ap-northeast-1",
                        region: "ap-northeast-1",
                        role: "PRIMARY",
                    },
                    {
                        replicationGroupId: "taskflow-test-cache-us-east-1",
                        region: "us-east-1",
                        role: "SECONDARY",
                    },
                ],
            }),
            failoverGlobalDatastore: async (_r, id, region, group) => {
                calls.push(`cache ${id} ${region} ${group}`);
            },
            sleep: async () => undefined,
        };
        // What every region stack publishes (components/cell/parameters.ts), before the switch.
        const endpoints = async (region: string) => {
            const out = await clients
                .rds(region)
                .send(new DescribeDBClustersCommand({ DBClusterIdentifier: member(region) }));
            return {
                writer: out.DBClusters![0].Endpoint!,
                reader: out.DBClusters![0].ReaderEndpoint!,
            };
        };
        const regions = ["ap-northeast-1", "eu-west-1", "us-east-1"];
        const put = (region: string, v: string, value: string) =>
            clients.ssm(region).send(
                new PutParameterCommand({
                    Name: parameterPath("test", region, v),
                    Value: value,
                    Type: "String",
                }),
            );
        for (const region of regions) {
            const values: Record<string, string> = {
                ...writerParameterValues(region, "ap-northeast-1", await endpoints(region)),
                ...cacheWriterParameterValues(region, "ap-northeast-1"),
            };
            for (const [v, value] of Object.entries(values)) await put(region, v, value);
        }
        // A region of the topology without global data: no member, but its writer region.
        const noData = "ap-northeast-3";
        await put(noData, "TASKFLOW_WRITER_REGION", "ap-northeast-1");
        const r = await switchover(
            {
                ...base,
                globalDatastoreId: "ldgnf-taskflow-test-cache",
                environment: "test",
                topologyRegions: [...regions, noData],
            },
            afterCall,
        );
        expect(r.ok, JSON.stringify(r.steps)).to.equal(true);
        // Every member region's writer parameters now name the new writer, read back from moto.
        for (const region of regions) {
            const { writer, reader } = await endpoints(region);
            const read = async (v: string) =>
                (
                    await clients
                        .ssm(region)
                        .send(new GetParameterCommand({ Name: parameterPath("test", region, v) }))
                ).Parameter!.Value;
            expect(await read("DATABASE_HOST"), region).to.equal(
                region === "us-east-1" ? writer : reader,
            );
            expect(await read("DATABASE_WRITE_FORWARDING"), region).to.equal(
                region === "us-east-1" ? "false" : "true",
            );
            expect(await read("TASKFLOW_WRITER_REGION"), region).to.equal("us-east-1");
            // The cache primary moved with the writer: only us-east-1 writes to the cache now.
            expect(await read("CACHE_READ_ONLY"), region).to.equal(
                region === "us-east-1" ? "false" : "true",
            );
        }
        const noDataWriter = await clients.ssm(noData).send(
            new GetParameterCommand({
                Name: parameterPath("test", noData, "TASKFLOW_WRITER_REGION"),
            }),
        );
        expect(noDataWriter.Parameter!.Value).to.equal("us-east-1");
        expect(
            r.steps.filter((s) => s.step === "writer-parameters").map((s) => [s.region, s.status]),
        ).to.deep.equal([...regions, noData].map((region) => [region, "changed"]));
        expect(calls).to.deep.equal([
            `switchover ${GLOBAL} ${arn("us-east-1")}`,
            "cache ldgnf-taskflow-test-cache us-east-1 taskflow-test-cache-us-east-1",
        ]);
        expect(polls).to.be.at.least(3);
        expect(r.steps.map((s) => s.step)).to.include.members([
            "new-writer",
            "FailoverGlobalReplicationGroup",
        ]);
        expect(r.steps.at(-1)!.detail).to.contain("set taskflow:writerRegion: us-east-1");
    });

    it("rewrites cache-read-only only when the Global Datastore's primary moved", async () => {
        const name = parameterPath("test", "us-east-1", "CACHE_READ_ONLY");
        for (const v of WRITER_VARIABLES)
            await clients.ssm("us-east-1").send(
                new PutParameterCommand({
                    Name: parameterPath("test", "us-east-1", v),
                    Value: "stale",
                    Type: "String",
                }),
            );
        await clients
            .ssm("us-east-1")
            .send(new PutParameterCommand({ Name: name, Value: "true", Type: "String" }));
        const target = [{ region: "us-east-1", arn: arn("us-east-1") }];
        const without = await updateWriterParameters(ports, "test", "us-east-1", target);
        expect(without[0].status, JSON.stringify(without)).to.equal("changed");
        expect(without[0].detail).to.not.contain("cache-read-only");
        expect(await ports.getParameter("us-east-1", name)).to.equal("true");
        const moved = await updateWriterParameters(ports, "test", "us-east-1", target, {
            cacheMoved: true,
        });
        expect(moved[0].detail).to.contain(`${name}=false`);
        expect(await ports.getParameter("us-east-1", name)).to.equal("false");
    });

    it("reports, and never creates, a writer parameter the stacks did not publish", async () => {
        const steps = await updateWriterParameters(ports, "test", "us-east-1", [
            { region: "us-east-1", arn: arn("us-east-1") },
        ]);
        expect(steps).to.have.length(1);
        expect(steps[0]).to.deep.include({ step: "writer-parameters", status: "failed" });
        expect(steps[0].detail).to.contain("/taskflow/test/us-east-1/database-host");
        const after = await ports.getParameter(
            "us-east-1",
            "/taskflow/test/us-east-1/database-host",
        );
        expect(after).to.equal(undefined);
    });

    it("npm run ops -- aurora switchover --dry-run works against the emulator and exits non-zero on a refusal", async () => {
        await lag("us-east-1", 100);
        const run = (...args: string[]) =>
            spawnSync(
                process.execPath,
                ["-r", "./scripts/register.js", "scripts/ops.ts", ...args],
                { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, AWS_REGION: "" } },
            );
        const ok = run(
            "aurora",
            "switchover",
            "--global-cluster",
            GLOBAL,
            "--to",
            "us-east-1",
            "--dry-run",
            "--endpoint",
            moto.endpoint,
        );
        expect(ok.status, ok.stderr + ok.stdout).to.equal(0);
        expect(ok.stdout).to.contain("switchover (dry run): ok");
        expect(ok.stdout).to.contain("would call SwitchoverGlobalCluster");
        const refused = run(
            "aurora",
            "failover",
            "--global-cluster",
            GLOBAL,
            "--to",
            "us-east-1",
            "--endpoint",
            moto.endpoint,
        );
        expect(refused.status).to.equal(1);
        expect(refused.stdout).to.contain("--allow-data-loss");
        const usage = run("aurora", "switchover", "--to", "us-east-1");
        expect(usage.status).to.equal(2);
        expect(usage.stderr).to.contain("--global-cluster is required");
    });
});
