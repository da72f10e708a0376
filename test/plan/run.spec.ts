import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { RecordingMocks, secretPathsOf, unwrap } from "../../plan/mocks";
import {
    PlanConfigError,
    PlannedStack,
    planAll,
    planOrder,
    planStack,
    planToJson,
    readProjectFiles,
    validateAll,
} from "../../plan/run";
import { roleOf, stackRefName } from "../../config";
import { main as planMain } from "../../scripts/plan";
import { inProcessAsync } from "../helpers/cli";
import { repoPlan } from "../helpers/repo-plan";
import { freeCidr, repoRegions, repoStacks, repoTopology } from "../helpers/repo-topology";
import { removeTempDirs, tempDir } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");

/** The promises the Pulumi runtime would report as leaked if the process exited now. */
function leakCandidates(): Set<unknown> {
    // The runtime's own bookkeeping (node_modules/@pulumi/pulumi/runtime/debuggable.js).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const state = require("@pulumi/pulumi/runtime/state");
    return state.getStore().leakCandidates as Set<unknown>;
}

after(removeTempDirs);

/**
 * Copies Pulumi.yaml and the stack files into a temp dir, applying `edit` to the parsed docs.
 * The dir is removed once the tests are done (test/helpers/tmp.ts).
 */
export function copyStackFiles(
    edit: (docs: Record<string, { config?: Record<string, unknown> }>) => void,
): string {
    const dir = tempDir("taskflow-plan-");
    const docs: Record<string, { config?: Record<string, unknown> }> = {};
    for (const f of fs.readdirSync(ROOT).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) {
        docs[f] = YAML.parse(fs.readFileSync(path.join(ROOT, f), "utf8"));
    }
    edit(docs);
    for (const [f, doc] of Object.entries(docs))
        fs.writeFileSync(path.join(dir, f), YAML.stringify(doc));
    return dir;
}

/** The plan command's main in this process, with spawnSync's field names. */
async function planInProcess(args: string[]) {
    const r = await inProcessAsync(planMain, args);
    return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** The plan command as its own process: the wiring of argv, output and exit code. */
function runPlanCli(args: string[]) {
    return spawnSync(
        process.execPath,
        ["-r", "./scripts/register.js", "scripts/plan.ts", ...args],
        {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 60_000,
        },
    );
}

describe("offline plan", () => {
    let planned: PlannedStack[];
    before(async () => {
        planned = await repoPlan();
    });
    const byStack = (s: string) => planned.find((p) => p.plan.stack === s)!;

    it("plans every stack found as Pulumi.<stack>.yaml, in dependency order", () => {
        const files = fs
            .readdirSync(ROOT)
            .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
            .filter((s): s is string => s !== undefined);
        const stacks = planned.map((p) => p.plan.stack);
        expect([...stacks].sort()).to.deep.equal(files.sort());
        expect(stacks).to.deep.equal(repoStacks());
        // each stack with the role its own file gives, the primary first, the global stack last
        const roles = planned.map((p) => p.plan.role);
        expect(roles).to.deep.equal(
            stacks.map(
                (s) =>
                    YAML.parse(fs.readFileSync(path.join(ROOT, `Pulumi.${s}.yaml`), "utf8")).config[
                        "taskflow:role"
                    ],
            ),
        );
        expect(roles[0]).to.equal("primary");
        expect(roles.slice(1, -1)).to.deep.equal(roles.slice(1, -1).map(() => "secondary"));
        expect(roles[roles.length - 1]).to.equal("global");
    });

    it("gives secondaries a reference to the primary and the global stack one to every region stack", () => {
        const t = repoTopology();
        const primary = t.regions.find((r) => r.primary)!.stack;
        expect(stackRefName(t, primary)).to.equal(`taskflow/taskflow/${primary}`);
        for (const r of t.regions)
            expect(byStack(r.stack).plan.stackReferences, r.stack).to.deep.equal(
                r.primary ? [] : [stackRefName(t, primary)],
            );
        expect(byStack(t.globalStack).plan.stackReferences).to.deep.equal(
            t.regions.map((r) => `taskflow/taskflow/${r.stack}`).sort(),
        );
    });

    it("feeds an upstream stack's planned outputs into the StackReferences after it", () => {
        const primaryId = byStack("ap-northeast-1").plan.outputs.auroraGlobalClusterId;
        expect(primaryId).to.be.a("string").and.not.equal("");
        // A secondary with globalData: false holds no Aurora member, so it passes no id on.
        for (const r of repoTopology().regions.filter(
            (x) => roleOf(repoTopology(), x.stack) === "secondary",
        ))
            expect(byStack(r.stack).plan.outputs.auroraGlobalClusterId, r.stack).to.equal(
                r.globalData ? primaryId : undefined,
            );

        const regions = byStack("global").plan.outputs.regions as any;
        expect(Object.keys(regions).sort()).to.deep.equal(repoRegions().sort());
        for (const s of repoRegions()) {
            expect(regions[s].albDnsName).to.equal(byStack(s).plan.outputs.albDnsName);
        }
    });

    it("records every region stack's regional resources in that stack's region", () => {
        for (const s of repoRegions()) {
            const regional = byStack(s).plan.resources.filter(
                (r) => r.custom && r.region !== "global" && r.region !== null,
            );
            expect(regional.length, s).to.be.greaterThan(0);
            const elsewhere = regional.filter(
                (r) => r.region !== s && r.providerRegion === s && !("region" in r.inputs),
            );
            expect(
                elsewhere.map((r) => r.urn),
                s,
            ).to.deep.equal([]);
        }
    });

    it("writes the documented format, identical on a second run", async () => {
        const again = await planAll();
        for (const p of planned) {
            const json = planToJson(p.plan);
            expect(json).to.equal(
                planToJson(again.find((q) => q.plan.stack === p.plan.stack)!.plan),
            );
            const doc = JSON.parse(json);
            expect(Object.keys(doc)).to.deep.equal([
                "formatVersion",
                "project",
                "stack",
                "role",
                "region",
                "resources",
                "reads",
                "outputs",
                "stackReferences",
                "violations",
            ]);
            for (const r of doc.reads) {
                expect(Object.keys(r)).to.deep.equal([
                    "urn",
                    "type",
                    "name",
                    "id",
                    "parent",
                    "inputs",
                ]);
            }
            for (const r of doc.resources) {
                expect(Object.keys(r)).to.deep.equal([
                    "urn",
                    "type",
                    "name",
                    "custom",
                    "id",
                    "region",
                    "providerRegion",
                    "parent",
                    "provider",
                    "remote",
                    "propertyDependencies",
                    "inputs",
                    "outputs",
                    "options",
                ]);
                expect(r.provider === null || typeof r.provider === "string").to.equal(true);
                expect(typeof r.remote).to.equal("boolean");
                for (const deps of Object.values(r.propertyDependencies as object)) {
                    // each a URN of the same file's resources or reads
                    for (const d of deps as string[])
                        expect(
                            doc.resources.some((q: { urn: string }) => q.urn === d) ||
                                doc.reads.some((q: { urn: string }) => q.urn === d),
                            d,
                        ).to.equal(true);
                }
                expect(Object.keys(r.options)).to.deep.equal([
                    "protect",
                    "ignoreChanges",
                    "dependsOn",
                    "retainOnDelete",
                    "deleteBeforeReplace",
                ]);
            }
        }
    });

    it("records the StackReferences it read, so every dependsOn URN is a planned resource or a read", () => {
        for (const p of planned) {
            const known = new Set([...p.plan.resources, ...p.plan.reads!].map((r) => r.urn));
            const dangling = p.plan.resources.flatMap((r) =>
                r.options.dependsOn.filter((u) => !known.has(u)).map((u) => `${r.urn} -> ${u}`),
            );
            expect(dangling, p.plan.stack).to.deep.equal([]);
            for (const r of p.plan.reads!) {
                expect(r.type).to.equal("pulumi:pulumi:StackReference");
                expect(r.inputs.name).to.equal(r.id);
            }
            expect([...new Set(p.plan.reads!.map((r) => r.id))].sort(), p.plan.stack).to.deep.equal(
                p.plan.stackReferences,
            );
        }
        const global = byStack("global").plan;
        expect(
            global.resources.some((r) =>
                r.options.dependsOn.some((u) => u.includes("pulumi:pulumi:StackReference::")),
            ),
        ).to.equal(true);
    });

    it("masks secret outputs in the plan file, keeping them in clear for the mocks", () => {
        let seen = 0;
        for (const p of planned) {
            const pw = p.plan.resources.filter(
                (r) => r.type === "random:index/randomPassword:RandomPassword",
            );
            for (const r of pw) {
                seen++;
                expect(r.outputs).to.deep.equal({ bcryptHash: "[secret]", result: "[secret]" });
                const recorded = p.mocks.resources.find((x) => x.urn === r.urn)!;
                const clear = recorded.outputs.result as string;
                expect(clear).to.match(/^mock-/);
                expect(planToJson(p.plan)).not.to.include(clear);
            }
        }
        expect(seen, "RandomPasswords planned").to.be.greaterThan(0);
    });

    it("masks a secret at its leaf, keeping the rest of the property readable", () => {
        const cdn = byStack("global").plan.resources.find(
            (r) => r.type === "aws:cloudfront/distribution:Distribution",
        )!;
        const origins = cdn.inputs.origins as any[];
        expect(origins).to.be.an("array").with.length(1);
        expect(origins[0]).to.deep.include({
            originId: "api",
            domainName: "api.taskflow.example.com",
        });
        expect(origins[0].customOriginConfig.originProtocolPolicy).to.equal("https-only");
        expect(origins[0].customHeaders).to.deep.equal([
            { name: "x-origin-verify", value: "[secret]" },
        ]);
    });

    it("gives every certificate of the account the same validation record for a domain name", () => {
        const dvo = (p: PlannedStack) =>
            p.plan.resources
                .filter((r) => r.type === "aws:acm/certificate:Certificate")
                .flatMap((r) => r.outputs.domainValidationOptions as any[]);
        const byName = new Map<string, Set<string>>();
        for (const p of planned)
            for (const o of dvo(p)) {
                const base = o.domainName.replace(/^\*\./, "");
                const records = byName.get(base) ?? new Set<string>();
                records.add(`${o.resourceRecordName} CNAME ${o.resourceRecordValue}`);
                byName.set(base, records);
            }
        // api.<domain> (and *.api.<domain>) is on the three region certificates, app.<domain> on
        // those and the edge's: one record each.
        expect(byName.get("api.taskflow.example.com")).to.have.property("size", 1);
        expect(byName.get("app.taskflow.example.com")).to.have.property("size", 1);
        const [record] = [...byName.get("api.taskflow.example.com")!];
        expect(record).to.match(
            /^_[0-9a-f]{32}\.api\.taskflow\.example\.com\. CNAME _[0-9a-f]{32}\.[0-9a-f]{10}\.acm-validations\.aws\.$/,
        );
        const all = [...byName.values()].map((s) => [...s][0]);
        expect(new Set(all).size, "different names, different records").to.equal(all.length);
    });

    it("fails a stack, instead of hanging, when an upstream output it needs is missing", async () => {
        const files = readProjectFiles(ROOT);
        const cfg = validateAll(files)["eu-west-1"];
        const primary = { ...byStack("ap-northeast-1").outputs };
        primary.kmsKeyArns = {}; // no replica key for eu-west-1
        let err: Error | undefined;
        try {
            await planStack(cfg, files.stacks["eu-west-1"], files.project, {
                "taskflow/taskflow/ap-northeast-1": primary,
            });
        } catch (e) {
            err = e as Error;
        }
        expect(err?.message).to.match(/^stack eu-west-1: .*eu-west-1/);
        // The failed run is abandoned, not left pending: the runtime tracks every promise it has
        // not seen settle as a leak candidate and reports them all when the process exits.
        expect(leakCandidates().size).to.equal(0);
    });

    it("plans a single stack together with the stacks upstream of it", async () => {
        const topology = byStack("global").config.topology;
        expect(planOrder(topology, ["eu-west-1"])).to.deep.equal(["ap-northeast-1", "eu-west-1"]);
        expect(planOrder(topology, ["ap-northeast-1"])).to.deep.equal(["ap-northeast-1"]);
        expect(() => planOrder(topology, ["nope"]))
            .to.throw(PlanConfigError)
            .with.property("message")
            .that.includes(
                `--stack: "nope" is not allowed; one of the topology's stacks: ${repoStacks().join(", ")}`,
            );
    });

    it("refuses an unknown --stack on the command line like a config error: no trace, nothing planned", () => {
        const res = runPlanCli(["--stack", "nonexistent"]);
        expect(res.status).to.equal(2);
        expect(res.stderr)
            .to.include("configuration error; nothing was planned")
            .and.include('--stack: "nonexistent" is not allowed')
            .and.include(repoStacks().join(", "));
        expect(res.stderr).not.to.match(/^\s+at /m);
        expect(res.stdout).not.to.include("== stack");
    });
});

/** The topology value inside a copied Pulumi.yaml, for edits. */
const topo = (d: Record<string, { config?: Record<string, unknown> }>): any =>
    (d["Pulumi.yaml"].config!["taskflow:topology"] as { value: unknown }).value;

describe("offline plan: bad config stops everything before any stack is planned", () => {
    // Each case breaks one thing in a copy of the repo's stack files.
    const cases: Array<
        [string, (d: Record<string, { config?: Record<string, unknown> }>) => void, string, string]
    > = [
        [
            "unknown cell mode",
            (d) => (d["Pulumi.us-east-1.yaml"].config!["taskflow:cellMode"] = "lukewarm"),
            "taskflow:cellMode",
            '"lukewarm"',
        ],
        [
            "aws:region mismatch",
            (d) => (d["Pulumi.eu-west-1.yaml"].config!["aws:region"] = "eu-west-2"),
            "aws:region",
            '"eu-west-2"',
        ],
        [
            "EU boundary outside the EU",
            (d) =>
                (d["Pulumi.us-east-1.yaml"].config!["taskflow:residencyBoundary"] = { zone: "eu" }),
            "taskflow:residencyBoundary.zone",
            '"eu"',
        ],
        [
            "overlapping CIDRs",

            (d) =>
                ((d["Pulumi.yaml"].config!["taskflow:topology"] as any).value.regions[2].vpcCidr =
                    "10.20.0.0/16"),
            "taskflow:topology.regions[2].vpcCidr",
            '"10.20.0.0/16"',
        ],
        [
            "failover to itself",

            (d) =>
                ((d["Pulumi.yaml"].config!["taskflow:topology"] as any).value.regions[1].failover =
                    "us-east-1"),
            "taskflow:topology.regions[1].failover",
            '"us-east-1"',
        ],
        [
            "an unknown region",
            (d) => (topo(d).regions[1].region = "us-middle-9"),
            "taskflow:topology.regions[1].region",
            '"us-middle-9"',
        ],
        [
            "a duplicate region",
            (d) => topo(d).regions.push({ ...topo(d).regions[1], vpcCidr: freeCidr() }),
            `taskflow:topology.regions[${repoRegions().length}].region`,
            '"us-east-1"',
        ],
        [
            "no primary",
            (d) => delete topo(d).regions[0].primary,
            "taskflow:topology.regions[].primary",
            "[] is not allowed",
        ],
        [
            "two primaries",
            (d) => (topo(d).regions[2].primary = true),
            "taskflow:topology.regions[].primary",
            '["ap-northeast-1","eu-west-1"]',
        ],
        [
            "a failover partner outside the topology",
            (d) => (topo(d).regions[0].failover = "us-west-2"),
            "taskflow:topology.regions[0].failover",
            '"us-west-2"',
        ],
        [
            "a region in a zone that does not allow it",
            (d) => (topo(d).regions[1].zone = "eu"),
            "taskflow:topology.regions[1].zone",
            '"eu"',
        ],
        [
            "a zone allowing an unknown region",
            (d) => (topo(d).zones.jp = [...topo(d).zones.jp, "tokyo-2"]),
            "taskflow:topology.zones.jp",
            "tokyo-2",
        ],
        [
            "a missing domain",
            (d) => delete topo(d).domain,
            "taskflow:topology.domain",
            "missing (it goes under `config:` in Pulumi.yaml, inside taskflow:topology)",
        ],
        [
            "capacity out of range",
            (d) => (d["Pulumi.ap-northeast-1.yaml"].config!["taskflow:minTasks"] = 0),
            "taskflow:minTasks",
            "0 is not allowed",
        ],
        [
            "unknown stack",
            (d) =>
                (d["Pulumi.staging.yaml"] = {
                    config: { "aws:region": "us-east-1", "taskflow:role": "secondary" },
                }),
            "stack",
            '"staging"',
        ],
        [
            "missing stack file",
            (d) => delete d["Pulumi.eu-west-1.yaml"],
            "stack files",
            '["eu-west-1"]',
        ],
        [
            "a misspelled stack key",
            (d) => (d["Pulumi.ap-northeast-1.yaml"].config!["taskflow:minTask"] = 3),
            "taskflow:minTask",
            "did you mean taskflow:minTasks?",
        ],
        [
            "a misspelled topology key",
            (d) => (topo(d).hostedZoneID = "Z0123456789ABCDEFGHIJ"),
            "taskflow:topology.hostedZoneID",
            "did you mean hostedZoneId?",
        ],
        [
            "a misspelled region-entry key",
            (d) => (topo(d).regions[2].globaldata = false),
            "taskflow:topology.regions[2].globaldata",
            "did you mean globalData?",
        ],
        [
            "a cell key in the global stack's own file",
            (d) => (d["Pulumi.global.yaml"].config!["taskflow:cellMode"] = "active"),
            "taskflow:cellMode",
            "not allowed in the global stack's own config",
        ],
        [
            "a bad taskflow:deployments schedule",
            (d) =>
                (d["Pulumi.global.yaml"].config!["taskflow:deployments"] = {
                    driftCron: "daily",
                }),
            "taskflow:deployments.driftCron",
            '"daily"',
        ],
        [
            "a topology project other than Pulumi.yaml's name",
            (d) => (topo(d).project = "taskflow-edge"),
            "taskflow:topology.project",
            'the name of this Pulumi project, "taskflow"',
        ],
    ];
    for (const [what, edit, key, value] of cases) {
        it(`refuses ${what}, naming ${key} and its value, and plans nothing`, async () => {
            const dir = copyStackFiles(edit);
            let err: unknown;
            try {
                await planAll({ dir });
            } catch (e) {
                err = e;
            }
            expect(err).to.be.instanceOf(PlanConfigError);
            expect((err as Error).message)
                .to.include(key)
                .and.include(value);
        });
    }

    it("exits non-zero from the command line with the message and writes no plan file", async () => {
        const dir = copyStackFiles(
            (d) => (d["Pulumi.us-east-1.yaml"].config!["taskflow:maxTasks"] = 100000),
        );
        const out = tempDir("taskflow-out-");
        const res = await planInProcess(["--dir", dir, "--out", out]);
        expect(res.status).to.equal(2);
        expect(res.stderr)
            .to.include("taskflow:maxTasks")
            .and.include("100000")
            .and.include("nothing was planned");
        expect(res.stdout).not.to.include("== stack");
        expect(fs.readdirSync(out)).to.deep.equal([]);
    });

    it("reports a topology mistake once, not once per stack", async () => {
        const dir = copyStackFiles((d) => (topo(d).regions[1].region = "us-middle-9"));
        const err = await planAll({ dir }).then(
            () => undefined,
            (e: unknown) => e as Error,
        );
        expect(err).to.be.instanceOf(PlanConfigError);
        const lines = err!.message.split("\n");
        expect(lines.filter((l) => l.includes("us-middle-9"))).to.have.length(1);
        expect(lines.filter((l) => l.trimStart().startsWith("- "))).to.have.length(1);
        expect(err!.message).to.match(/^invalid configuration for every stack \(/);
    });

    it("exits non-zero from the command line on a misspelled key in a copy of the stack files", async () => {
        const dir = copyStackFiles(
            (d) => (d["Pulumi.us-east-1.yaml"].config!["taskflow:cellmode"] = "pilot-light"),
        );
        const res = await planInProcess(["--dir", dir]);
        expect(res.status).to.equal(2);
        expect(res.stderr)
            .to.include('taskflow:cellmode: "pilot-light" is not allowed; not a known key')
            .and.include("did you mean taskflow:cellMode?")
            .and.include("nothing was planned");
        expect(res.stdout).not.to.include("== stack");
    });

    it("validates all stacks of the repo without planning", () => {
        const files = fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
        expect(files.length).to.be.at.least(4);
        expect(
            Object.keys(validateAll(readProjectFiles(ROOT)))
                .map((s) => `Pulumi.${s}.yaml`)
                .sort(),
        ).to.deep.equal(files.sort());
    });
});

describe("recording mocks", () => {
    const mocks = new RecordingMocks({ project: "taskflow", stack: "s", awsRegion: "eu-west-1" });

    it("throws on an invoke it was not told about, naming the token", () => {
        expect(() => mocks.call({ token: "aws:ec2/getAmi:getAmi", inputs: {} })).to.throw(
            /unexpected invoke aws:ec2\/getAmi:getAmi/,
        );
        expect(mocks.errors).to.have.length(1);
    });

    it("synthesizes deterministic, realistic ids per stack, type and name", () => {
        const a = mocks.newResource({
            type: "aws:lb/loadBalancer:LoadBalancer",
            name: "alb",
            inputs: {},
            custom: true,
        });
        const b = mocks.newResource({
            type: "aws:lb/loadBalancer:LoadBalancer",
            name: "alb",
            inputs: {},
            custom: true,
        });
        expect(a).to.deep.equal(b);
        expect(a.state.dnsName).to.match(/\.eu-west-1\.elb\.amazonaws\.com$/);
        expect(a.state.zoneId).to.equal("Z32O12XQLNTSW2");
        const other = new RecordingMocks({
            project: "taskflow",
            stack: "t",
            awsRegion: "eu-west-1",
        });
        expect(
            other.newResource({
                type: "aws:lb/loadBalancer:LoadBalancer",
                name: "alb",
                inputs: {},
                custom: true,
            }).id,
        ).not.to.equal(a.id);
    });

    it("refuses to read an existing resource (Resource.get) instead of faking its state", () => {
        const m = new RecordingMocks({ project: "taskflow", stack: "s", awsRegion: "eu-west-1" });
        expect(() =>
            m.newResource({
                type: "aws:s3/bucket:Bucket",
                name: "existing",
                inputs: {},
                custom: true,
                id: "my-existing-bucket",
            }),
        ).to.throw(/unexpected read of an existing resource aws:s3\/bucket:Bucket "existing"/);
        expect(m.errors).to.have.length(1);
        // A registration without an id is synthesized as before.
        expect(
            m.newResource({
                type: "aws:s3/bucket:Bucket",
                name: "b",
                inputs: {},
                custom: true,
                id: "",
            }).id,
        ).to.match(/^b-/);
    });

    it("synthesizes ACM validation records from the domain name and account only", () => {
        const cert = (stack: string, name: string, domainName: string, sans: string[] = []) =>
            (
                new RecordingMocks({
                    project: "taskflow",
                    stack,
                    awsRegion: "eu-west-1",
                }).newResource({
                    type: "aws:acm/certificate:Certificate",
                    name,
                    inputs: { domainName, subjectAlternativeNames: sans },
                    custom: true,
                }).state.domainValidationOptions as any[]
            ).map((o) => [o.resourceRecordName, o.resourceRecordValue]);
        const a = cert("eu-west-1", "cell-cert", "eu-west-1.origin.example.com", [
            "api.example.com",
        ]);
        const b = cert("global", "edge-cert", "api.example.com", ["*.api.example.com"]);
        expect(a[1]).to.deep.equal(b[0]);
        expect(b[1], "a wildcard validates with its base name's record").to.deep.equal(b[0]);
        expect(a[0]).not.to.deep.equal(a[1]);
        expect(a[1][0]).to.match(/^_[0-9a-f]{32}\.api\.example\.com\.$/);
    });

    it("finds secrets where the program put them, not where deserialization lifts them", () => {
        const SIG = "4dabf18193072939515e22adb298388d";
        const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });
        expect(
            secretPathsOf({
                origins: [{ originId: "api", customHeaders: [{ name: "h", value: secret("s") }] }],
                password: secret("pw"),
                ref: { [SIG]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:x" },
            }),
        ).to.deep.equal(["origins[0].customHeaders[0].value", "password"]);
    });

    it("reports an upstream stack's secret outputs as secret through its StackReference", () => {
        const m = new RecordingMocks({
            project: "taskflow",
            stack: "s",
            awsRegion: "eu-west-1",
            stackOutputs: { "o/p/up": { token: "t0ps3cret", name: "plain" } },
            stackSecretOutputs: { "o/p/up": ["token"] },
        });
        const r = m.newResource({
            type: "pulumi:pulumi:StackReference",
            name: "ref",
            inputs: { name: "o/p/up" },
            custom: true,
        });
        expect(r.state.secretOutputNames).to.deep.equal(["token"]);
    });

    it("carries which outputs are secret from one planned stack to the next", async () => {
        const primary = (await repoPlan()).find((p) => p.plan.stack === "ap-northeast-1")!;
        expect(primary.secretOutputs).to.include("originVerifySecret");
        expect(primary.plan.outputs.originVerifySecret).to.equal("[secret]");
        expect(primary.secretOutputs).to.not.include("albDnsName");
    });

    it("refuses a StackReference to a stack with no planned outputs", () => {
        expect(() =>
            mocks.newResource({
                type: "pulumi:pulumi:StackReference",
                name: "ref",
                inputs: { name: "o/p/x" },
                custom: true,
            }),
        ).to.throw(/StackReference "o\/p\/x": no outputs/);
    });

    it("unwraps secrets and resource references and remembers where secrets were", () => {
        const secrets: string[] = [];
        const v = unwrap(
            {
                a: {
                    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                    value: "pw",
                },
                b: [
                    {
                        "4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e",
                        urn: "urn:x",
                    },
                ],
            },
            "",
            secrets,
        );
        expect(v).to.deep.equal({ a: "pw", b: ["urn:x"] });
        expect(secrets).to.deep.equal(["a"]);
    });
});
