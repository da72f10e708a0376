import { expect } from "chai";
import * as path from "path";
import {
    ConfigError,
    DEFAULTS,
    RawConfig,
    capacityFor,
    cidrsOverlap,
    globalDataRegions,
    parseCidr,
    stackRefName,
    stacksInOrder,
    validateStackConfig,
    validateTopology,
} from "../../config";
import { readProjectFiles } from "../../plan/run";
import { configErrorOf, repoRaw } from "../helpers/config";
import { freeCidr, repoStacks } from "../helpers/repo-topology";

const ROOT = path.resolve(__dirname, "..", "..");
const files = readProjectFiles(ROOT);

/** A deep copy of a repo stack's raw config, to break one thing at a time. */
const rawOf = repoRaw;
/** The ConfigError thrown by validating `raw` as `stack`. */
const errorOf = (stack: string, raw: RawConfig): ConfigError => configErrorOf(stack, raw);

/** Asserts one issue names the key and the value (the message must name both). */
function expectIssue(err: ConfigError, key: string, value: unknown, allowedPart?: string): void {
    const issue = err.issues.find((i) => i.key === key);
    expect(issue, `no issue for ${key}; got ${err.message}`).to.exist;
    expect(issue!.value).to.deep.equal(value);
    // A key with no value is said to be missing, with the file it goes in.
    expect(err.message)
        .to.include(key)
        .and.include(
            value === undefined ? ": missing (it goes under `config:` in" : JSON.stringify(value),
        );
    if (allowedPart) expect(issue!.allowed).to.include(allowedPart);
}

const topo = (raw: RawConfig): any => raw["taskflow:topology"];

/** Pulumi.yaml's topology as written (defaults not applied), to derive what the config must give. */
const written = topo(files.stacks.global) as {
    globalStack?: string;
    zones: Record<string, string[]>;
    regions: {
        region: string;
        stack?: string;
        primary?: boolean;
        failover: string;
        globalData?: boolean;
    }[];
};

describe("config: the repo's stacks", () => {
    it("validates every stack with the roles and regions the design gives", () => {
        const got = Object.keys(files.stacks)
            .sort()
            .map((s) => {
                const c = validateStackConfig(s, files.stacks[s]);
                return [c.stack, c.role, c.awsRegion];
            });
        // each stack as its own file declares it ...
        expect(got).to.deep.equal(
            Object.keys(files.stacks)
                .sort()
                .map((s) => [s, files.stacks[s]["taskflow:role"], files.stacks[s]["aws:region"]]),
        );
        // ... the seed's four among them, whatever regions were added
        expect(got).to.deep.include.members([
            ["ap-northeast-1", "primary", "ap-northeast-1"],
            ["eu-west-1", "secondary", "eu-west-1"],
            ["global", "global", "us-east-1"],
            ["us-east-1", "secondary", "us-east-1"],
        ]);
        expect(got.filter(([, role]) => role === "primary")).to.have.length(1);
        expect(got.filter(([, role]) => role === "global")).to.have.length(1);
    });

    it("derives the deploy order, StackReference names and global-data regions from the topology", () => {
        const t = validateStackConfig("global", files.stacks.global).topology;
        const stackOf = (r: (typeof written.regions)[number]) => r.stack ?? r.region;
        const primary = written.regions.filter((r) => r.primary);
        const others = written.regions.filter((r) => !r.primary);
        expect(primary.map((r) => r.region)).to.deep.equal(["ap-northeast-1"]);
        expect(stacksInOrder(t)).to.deep.equal([
            ...primary.map(stackOf),
            ...others.map(stackOf),
            written.globalStack ?? "global",
        ]);
        expect(stacksInOrder(t).slice(0, 3)).to.deep.equal([
            "ap-northeast-1",
            "us-east-1",
            "eu-west-1",
        ]);
        expect(stackRefName(t, "ap-northeast-1")).to.equal("taskflow/taskflow/ap-northeast-1");
        expect(globalDataRegions(t)).to.deep.equal([
            "ap-northeast-1",
            ...others.filter((r) => r.globalData !== false).map((r) => r.region),
        ]);
        expect(globalDataRegions(t)).to.include.members(["us-east-1", "eu-west-1"]);
    });

    it("carries the seed's residency table and failover order", () => {
        const t = validateStackConfig("global", files.stacks.global).topology;
        expect(t.zones).to.deep.equal(written.zones);
        // the seed's table, each zone's list possibly widened by an added region
        const seed: Record<string, string[]> = {
            eu: ["eu-west-1"],
            us: ["us-east-1", "ap-northeast-1"],
            jp: ["ap-northeast-1"],
        };
        for (const [zone, regions] of Object.entries(seed))
            expect(t.zones[zone], zone).to.include.members(regions);
        expect(t.zones.eu).to.deep.equal(["eu-west-1"]);
        const failovers = Object.fromEntries(t.regions.map((r) => [r.region, r.failover]));
        expect(failovers).to.deep.equal(
            Object.fromEntries(written.regions.map((r) => [r.region, r.failover])),
        );
        expect(failovers).to.deep.include({
            "ap-northeast-1": "us-east-1",
            "us-east-1": "eu-west-1",
            "eu-west-1": "us-east-1",
        });
    });

    it("builds the EU residency boundary only in eu-west-1", () => {
        const boundaries = Object.keys(files.stacks)
            .map((s) => validateStackConfig(s, files.stacks[s]))
            .filter((c) => c.boundary)
            .map((c) => [c.stack, c.boundary!.zone]);
        expect(boundaries).to.deep.equal([["eu-west-1", "eu"]]);
    });

    it("declares in Pulumi.yaml the same defaults the code applies", () => {
        const project = files.stacks.global;
        const expected: Record<string, unknown> = {
            environment: DEFAULTS.environment,
            rpoSeconds: DEFAULTS.rpoSeconds,
            logArchiveRetentionDays: DEFAULTS.logArchiveRetentionDays,
            auroraEngineVersion: DEFAULTS.auroraEngineVersion,
            appImage: DEFAULTS.appImage,
            cellMode: DEFAULTS.cellMode,
            minTasks: DEFAULTS.minTasks,
            maxTasks: DEFAULTS.maxTasks,
            standbyTasks: DEFAULTS.standbyTasks,
            taskCpu: DEFAULTS.taskCpu,
            taskMemory: DEFAULTS.taskMemory,
            dbInstanceClass: DEFAULTS.dbInstanceClass,
            cacheNodeType: DEFAULTS.cacheNodeType,
            healthCheckIntervalSeconds: DEFAULTS.healthCheckIntervalSeconds,
            healthCheckFailureThreshold: DEFAULTS.healthCheckFailureThreshold,
        };
        for (const [k, v] of Object.entries(expected)) {
            expect(project[`taskflow:${k}`], k).to.equal(v);
        }
    });
});

describe("config: bad input is refused with the key, the value and what is allowed", () => {
    it("refuses an unknown region", () => {
        const raw = rawOf("us-east-1");
        topo(raw).regions[1].region = "us-middle-1";
        expectIssue(
            errorOf("us-east-1", raw),
            "taskflow:topology.regions[1].region",
            "us-middle-1",
            "known AWS region",
        );
    });

    it("refuses a duplicate region", () => {
        const raw = rawOf("us-east-1");
        const at = topo(raw).regions.length;
        topo(raw).regions.push({
            ...topo(raw).regions[1],
            vpcCidr: freeCidr(),
            geolocation: {},
            stack: "use1-b",
        });
        expectIssue(
            errorOf("us-east-1", raw),
            `taskflow:topology.regions[${at}].region`,
            "us-east-1",
            "once",
        );
    });

    it("refuses a topology with no primary", () => {
        const raw = rawOf("us-east-1");
        topo(raw).regions[0].primary = false;
        expectIssue(
            errorOf("us-east-1", raw),
            "taskflow:topology.regions[].primary",
            [],
            "exactly one",
        );
    });

    it("refuses a topology with two primaries", () => {
        const raw = rawOf("us-east-1");
        topo(raw).regions[1].primary = true;
        expectIssue(
            errorOf("us-east-1", raw),
            "taskflow:topology.regions[].primary",
            ["ap-northeast-1", "us-east-1"],
            "exactly one",
        );
    });

    it("refuses a failover partner outside the topology", () => {
        const raw = rawOf("eu-west-1");
        topo(raw).regions[2].failover = "eu-central-1";
        expectIssue(
            errorOf("eu-west-1", raw),
            "taskflow:topology.regions[2].failover",
            "eu-central-1",
            "us-east-1",
        );
    });

    it("refuses a region failing over to itself", () => {
        const raw = rawOf("eu-west-1");
        topo(raw).regions[2].failover = "eu-west-1";
        expectIssue(
            errorOf("eu-west-1", raw),
            "taskflow:topology.regions[2].failover",
            "eu-west-1",
            "other than eu-west-1",
        );
    });

    it("refuses a stack whose aws:region disagrees with its topology entry", () => {
        const raw = rawOf("eu-west-1");
        raw["aws:region"] = "eu-central-1";
        expectIssue(errorOf("eu-west-1", raw), "aws:region", "eu-central-1", "eu-west-1");
    });

    it("refuses a global stack outside us-east-1", () => {
        const raw = rawOf("global");
        raw["aws:region"] = "us-west-2";
        expectIssue(errorOf("global", raw), "aws:region", "us-west-2", "us-east-1");
    });

    it("refuses a region homed in a zone that does not allow it", () => {
        const raw = rawOf("us-east-1");
        topo(raw).regions[1].zone = "eu";
        expectIssue(
            errorOf("us-east-1", raw),
            "taskflow:topology.regions[1].zone",
            "eu",
            "allows only eu-west-1",
        );
    });

    it("refuses a zone listing an unknown region", () => {
        const raw = rawOf("us-east-1");
        topo(raw).zones.eu = ["eu-west-1", "eu-nowhere-9"];
        expectIssue(
            errorOf("us-east-1", raw),
            "taskflow:topology.zones.eu[1]",
            "eu-nowhere-9",
            "known AWS region",
        );
    });

    it("refuses a data-bearing cell (residency boundary) in a region its zone forbids", () => {
        const raw = rawOf("us-east-1");
        raw["taskflow:residencyBoundary"] = { zone: "eu", aurora: false };
        expectIssue(
            errorOf("us-east-1", raw),
            "taskflow:residencyBoundary.zone",
            "eu",
            "only be stored in eu-west-1",
        );
    });

    it("refuses a missing domain", () => {
        const raw = rawOf("global");
        delete topo(raw).domain;
        expectIssue(errorOf("global", raw), "taskflow:topology.domain", undefined, "non-empty");
    });

    it("refuses a malformed domain", () => {
        const raw = rawOf("global");
        topo(raw).domain = "Not A Domain";
        expectIssue(errorOf("global", raw), "taskflow:topology.domain", "Not A Domain", "DNS name");
    });

    it("refuses overlapping VPC CIDRs between regions", () => {
        const raw = rawOf("eu-west-1");
        topo(raw).regions[2].vpcCidr = "10.10.128.0/17";
        expectIssue(
            errorOf("eu-west-1", raw),
            "taskflow:topology.regions[2].vpcCidr",
            "10.10.128.0/17",
            "ap-northeast-1's 10.10.0.0/16",
        );
    });

    it("refuses a VPC CIDR that is not a network address", () => {
        const raw = rawOf("eu-west-1");
        topo(raw).regions[2].vpcCidr = "10.30.0.1/16";
        expectIssue(
            errorOf("eu-west-1", raw),
            "taskflow:topology.regions[2].vpcCidr",
            "10.30.0.1/16",
            "/16 to /20",
        );
    });

    it("refuses capacity numbers out of range", () => {
        const raw = rawOf("us-east-1");
        raw["taskflow:minTasks"] = 0;
        expectIssue(errorOf("us-east-1", raw), "taskflow:minTasks", 0, "1 to 100");
        const raw2 = rawOf("us-east-1");
        raw2["taskflow:maxTasks"] = 1;
        expectIssue(errorOf("us-east-1", raw2), "taskflow:maxTasks", 1, "at least minTasks (2)");
        const raw3 = rawOf("us-east-1");
        raw3["taskflow:taskMemory"] = 999;
        expectIssue(errorOf("us-east-1", raw3), "taskflow:taskMemory", 999, "1024–4096");
    });

    it("refuses an unknown cell mode", () => {
        const raw = rawOf("us-east-1");
        raw["taskflow:cellMode"] = "cold";
        expectIssue(
            errorOf("us-east-1", raw),
            "taskflow:cellMode",
            "cold",
            "active, warm-standby, pilot-light",
        );
    });

    it("refuses an unknown stack name", () => {
        expectIssue(
            errorOf("staging", rawOf("us-east-1")),
            "stack",
            "staging",
            repoStacks().join(", "),
        );
    });

    it("refuses a role that disagrees with the topology", () => {
        const raw = rawOf("us-east-1");
        raw["taskflow:role"] = "primary";
        expectIssue(errorOf("us-east-1", raw), "taskflow:role", "primary", "secondary");
    });

    it("refuses geolocation codes claimed by two regions", () => {
        const raw = rawOf("us-east-1");
        topo(raw).regions[1].geolocation.countries = ["US", "JP"];
        expectIssue(
            errorOf("us-east-1", raw),
            "taskflow:topology.regions[1].geolocation",
            "JP",
            "already routes to ap-northeast-1",
        );
    });

    it("keeps the log archives' logs a year by default and takes a retention from 1 day to 10 years", () => {
        expect(DEFAULTS.logArchiveRetentionDays).to.equal(365);
        const raw = rawOf("eu-west-1");
        expect(validateStackConfig("eu-west-1", raw).logArchiveRetentionDays).to.equal(365);
        raw["taskflow:logArchiveRetentionDays"] = 3653;
        expect(validateStackConfig("eu-west-1", raw).logArchiveRetentionDays).to.equal(3653);
        raw["taskflow:logArchiveRetentionDays"] = "30";
        expect(validateStackConfig("eu-west-1", raw).logArchiveRetentionDays).to.equal(30);
    });

    for (const bad of [0, 3654, -1, 2.5, "a year"]) {
        it(`refuses taskflow:logArchiveRetentionDays ${JSON.stringify(bad)} before anything is registered`, () => {
            const raw = rawOf("eu-west-1");
            raw["taskflow:logArchiveRetentionDays"] = bad;
            expectIssue(
                errorOf("eu-west-1", raw),
                "taskflow:logArchiveRetentionDays",
                bad,
                "an integer from 1 to 3653 is required",
            );
        });
    }

    it("lists every problem at once, not only the first", () => {
        const raw = rawOf("us-east-1");
        raw["taskflow:cellMode"] = "cold";
        raw["taskflow:rpoSeconds"] = 9999;
        const err = errorOf("us-east-1", raw);
        expect(err.issues.map((i) => i.key)).to.include.members([
            "taskflow:cellMode",
            "taskflow:rpoSeconds",
        ]);
    });

    it("keeps a deliberate 0 or false rather than replacing it with the default", () => {
        const raw = rawOf("us-east-1");
        const before = globalDataRegions(validateStackConfig("us-east-1", raw).topology);
        expect(before).to.include("us-east-1");
        topo(raw).regions[1].globalData = false;
        const t = validateStackConfig("us-east-1", raw).topology;
        expect(t.regions[1].globalData).to.equal(false);
        expect(globalDataRegions(t)).to.deep.equal(before.filter((r) => r !== "us-east-1"));
    });
});

describe("config: cell capacity by mode", () => {
    const cell = validateStackConfig("us-east-1", files.stacks["us-east-1"]).cell!;
    it("runs full capacity with a NAT per AZ when active", () => {
        expect(capacityFor({ ...cell, mode: "active" }, "secondary")).to.deep.equal({
            minTasks: 2,
            maxTasks: 16,
            natGateways: 3,
            dbInstances: 2,
            cacheNodes: 2,
        });
    });
    it("keeps the standby tasks serving with one NAT in warm-standby", () => {
        expect(capacityFor({ ...cell, mode: "warm-standby" }, "secondary")).to.include({
            minTasks: 1,
            maxTasks: 16,
            natGateways: 1,
        });
    });
    it("runs no task and a headless secondary cluster in pilot-light", () => {
        expect(capacityFor({ ...cell, mode: "pilot-light" }, "secondary")).to.include({
            minTasks: 0,
            maxTasks: 0,
            dbInstances: 0,
        });
        expect(capacityFor({ ...cell, mode: "pilot-light" }, "primary").dbInstances).to.equal(1);
    });
});

describe("config: CIDR arithmetic", () => {
    it("parses network CIDRs and rejects host addresses", () => {
        expect(parseCidr("10.10.0.0/16")).to.deep.equal([0x0a0a0000, 16]);
        expect(parseCidr("10.10.0.1/16")).to.equal(undefined);
        expect(parseCidr("300.0.0.0/8")).to.equal(undefined);
    });
    it("detects overlap in both directions and ignores neighbours", () => {
        expect(cidrsOverlap("10.0.0.0/8", "10.20.0.0/16")).to.equal(true);
        expect(cidrsOverlap("10.20.0.0/16", "10.0.0.0/8")).to.equal(true);
        expect(cidrsOverlap("10.20.0.0/16", "10.21.0.0/16")).to.equal(false);
    });
    it("validateTopology throws the same ConfigError outside a stack", () => {
        expect(() => validateTopology({})).to.throw(ConfigError, /taskflow:topology.org/);
    });
});

describe("config: night mode and the writer region", () => {
    const nm = (raw: RawConfig): Record<string, unknown> =>
        raw["taskflow:nightMode"] as Record<string, unknown>;

    it("reads the repo's night mode: Tokyo stays active from 22:00 to 08:00 Asia/Tokyo", () => {
        const cfg = validateStackConfig("global", rawOf("global"));
        expect(cfg.nightMode).to.deep.include({
            enabled: true,
            timezone: "Asia/Tokyo",
            nightStart: "22:00",
            dayStart: "08:00",
            activeRegions: ["ap-northeast-1"],
            nightTasks: 1,
        });
        expect(cfg.writerRegion).to.equal("ap-northeast-1");
        // No reservation unless asked for: it fails CreateFunction in a new account.
        expect(cfg.nightMode.reservedConcurrency).to.equal(undefined);
        const raw = rawOf("global");
        nm(raw).reservedConcurrency = 2;
        expect(validateStackConfig("global", raw).nightMode.reservedConcurrency).to.equal(2);
    });

    it("is disabled, with the primary active, when the key is absent", () => {
        const raw = rawOf("us-east-1");
        delete raw["taskflow:nightMode"];
        const cfg = validateStackConfig("us-east-1", raw);
        expect(cfg.nightMode.enabled).to.equal(false);
        expect(cfg.nightMode.activeRegions).to.deep.equal(["ap-northeast-1"]);
    });

    const cases: [string, unknown, string, string][] = [
        ["timezone", "Asia/Tokio", "taskflow:nightMode.timezone", "IANA time zone"],
        ["nightStart", "24:00", "taskflow:nightMode.nightStart", "HH:MM"],
        ["dayStart", "22:00", "taskflow:nightMode.dayStart", "other than nightStart"],
        [
            "activeRegions",
            ["us-east-1"],
            "taskflow:nightMode.activeRegions",
            "including the primary ap-northeast-1",
        ],
        ["activeRegions", [], "taskflow:nightMode.activeRegions", "non-empty"],
        ["nightTasks", 0, "taskflow:nightMode.nightTasks", "1 to 100"],
        ["holdHours", 200, "taskflow:nightMode.holdHours", "1 to 168"],
        ["readinessTimeoutSeconds", 900, "taskflow:nightMode.readinessTimeoutSeconds", "30 to 840"],
        ["enabled", "sometimes", "taskflow:nightMode.enabled", "true or false"],
        ["reservedConcurrency", 0, "taskflow:nightMode.reservedConcurrency", "1 to 10"],
    ];
    for (const [field, value, key, allowed] of cases) {
        it(`refuses nightMode.${field} = ${JSON.stringify(value)}`, () => {
            const raw = rawOf("global");
            nm(raw)[field] = value;
            expectIssue(errorOf("global", raw), key, value, allowed);
        });
    }

    it("refuses a region outside the topology and a misspelled key in nightMode", () => {
        const raw = rawOf("global");
        nm(raw).activeRegions = ["ap-northeast-1", "eu-central-1"];
        nm(raw).nightTask = 2;
        const err = errorOf("global", raw);
        expectIssue(
            err,
            "taskflow:nightMode.activeRegions[1]",
            "eu-central-1",
            "topology's regions",
        );
        expectIssue(err, "taskflow:nightMode.nightTask", 2, "did you mean nightTasks");
    });

    it("refuses a writer region that holds no global data", () => {
        const raw = rawOf("us-east-1");
        topo(raw).regions.find((r: { region: string }) => r.region === "eu-west-1").globalData =
            false;
        raw["taskflow:writerRegion"] = "eu-west-1";
        expectIssue(
            errorOf("us-east-1", raw),
            "taskflow:writerRegion",
            "eu-west-1",
            "ap-northeast-1, us-east-1",
        );
        const ok = rawOf("us-east-1");
        ok["taskflow:writerRegion"] = "us-east-1";
        nm(ok).activeRegions = ["ap-northeast-1", "us-east-1"];
        expect(validateStackConfig("us-east-1", ok).writerRegion).to.equal("us-east-1");
    });

    it("refuses night mode that would drain the writer region (after a switchover)", () => {
        const raw = rawOf("us-east-1");
        raw["taskflow:writerRegion"] = "us-east-1";
        expectIssue(
            errorOf("us-east-1", raw),
            "taskflow:nightMode.activeRegions",
            ["ap-northeast-1"],
            "including the writer region us-east-1",
        );
    });

    it("refuses night mode or the writer region set in one stack's own file (every stack must agree)", () => {
        const raw = rawOf("us-east-1");
        const err = configErrorOf("us-east-1", raw, {
            stackKeys: ["taskflow:nightMode", "taskflow:writerRegion", "aws:region"],
        });
        expect(err.issues.map((i) => i.key)).to.have.members([
            "taskflow:nightMode",
            "taskflow:writerRegion",
        ]);
        expect(err.issues[0].allowed).to.include("only in Pulumi.yaml");
    });
});
