import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as path from "path";
import {
    CELL_KEYS,
    ConfigError,
    ConfigIssue,
    DEFAULTS,
    RawConfig,
    STACK_KEYS,
    ValidateOptions,
    didYouMean,
    topologyIssues,
    validateStackConfig,
    validateTopology,
} from "../../config";
import { loadStackConfig } from "../../config/load";
import { readProjectFiles } from "../../plan/run";
import { configErrorOf, repoRaw } from "../helpers/config";

const ROOT = path.resolve(__dirname, "..", "..");
const files = readProjectFiles(ROOT);

const rawOf = repoRaw;
const issuesOf = (stack: string, raw: RawConfig, options?: ValidateOptions): ConfigIssue[] =>
    configErrorOf(stack, raw, options).issues;

/** The one issue for `key`; fails listing every issue when there is none or several. */
function issueFor(issues: ConfigIssue[], key: string): ConfigIssue {
    const found = issues.filter((i) => i.key === key);
    expect(found, `issues for ${key} in ${JSON.stringify(issues)}`).to.have.length(1);
    return found[0];
}

const topo = (raw: RawConfig): any => raw["taskflow:topology"];

describe("config: a misspelled key is refused at every level, never ignored", () => {
    it("refuses an unknown top-level key, naming it, its value and the allowed keys", () => {
        const raw = rawOf("ap-northeast-1");
        raw["taskflow:minTask"] = 3;
        const issue = issueFor(issuesOf("ap-northeast-1", raw), "taskflow:minTask");
        expect(issue.value).to.equal(3);
        expect(issue.allowed)
            .to.match(/^not a known key; allowed: taskflow:topology, taskflow:role, /)
            .and.include("did you mean taskflow:minTasks?");
    });

    it("suggests the key in its right case", () => {
        const raw = rawOf("us-east-1");
        raw["taskflow:cellmode"] = "warm-standby";
        expect(issueFor(issuesOf("us-east-1", raw), "taskflow:cellmode").allowed).to.include(
            "did you mean taskflow:cellMode?",
        );
    });

    it("makes no suggestion when no known key is close", () => {
        const raw = rawOf("global");
        raw["taskflow:colour"] = "blue";
        const issue = issueFor(issuesOf("global", raw), "taskflow:colour");
        expect(issue.allowed).to.include("not a known key").and.not.include("did you mean");
    });

    it("refuses an unknown topology key", () => {
        const raw = rawOf("global");
        topo(raw).hostedZoneID = "Z0123456789ABCDEFGHIJ";
        const issue = issueFor(issuesOf("global", raw), "taskflow:topology.hostedZoneID");
        expect(issue.value).to.equal("Z0123456789ABCDEFGHIJ");
        expect(issue.allowed)
            .to.include(
                "allowed: org, project, globalStack, domain, hostedZoneId, zones, gdprZone, regions",
            )
            .and.include("did you mean hostedZoneId?");
    });

    it("refuses an unknown region-entry key", () => {
        const raw = rawOf("eu-west-1");
        topo(raw).regions[2].globaldata = false;
        const issue = issueFor(
            issuesOf("eu-west-1", raw),
            "taskflow:topology.regions[2].globaldata",
        );
        expect(issue.value).to.equal(false);
        expect(issue.allowed).to.include("did you mean globalData?");
    });

    it("refuses an unknown geolocation key", () => {
        const raw = rawOf("eu-west-1");
        topo(raw).regions[2].geolocation.continent = ["EU"];
        const issue = issueFor(
            issuesOf("eu-west-1", raw),
            "taskflow:topology.regions[2].geolocation.continent",
        );
        expect(issue.allowed).to.include(
            "allowed: countries, continents; did you mean continents?",
        );
    });

    it("refuses an unknown residencyBoundary key", () => {
        const raw = rawOf("eu-west-1");
        raw["taskflow:residencyBoundary"] = { zone: "eu", arora: true };
        const issue = issueFor(issuesOf("eu-west-1", raw), "taskflow:residencyBoundary.arora");
        expect(issue.allowed).to.include(
            "allowed: zone, aurora, replicaRegions; did you mean aurora?",
        );
    });

    it("refuses an unknown taskflow:deployments key on the global stack", () => {
        const raw = rawOf("global");
        raw["taskflow:deployments"] = { enabled: false, prPreview: true };
        expect(
            issueFor(issuesOf("global", raw), "taskflow:deployments.prPreview").allowed,
        ).to.include("did you mean prPreviews?");
    });

    it("accepts taskflow:nightMode (validated by the night-mode code) and every declared key", () => {
        const raw = rawOf("ap-northeast-1");
        raw["taskflow:nightMode"] = { enabled: true };
        expect(() => validateStackConfig("ap-northeast-1", raw)).not.to.throw();
        for (const key of Object.keys(DEFAULTS).filter(
            (k) => k !== "project" && k !== "globalStack",
        ))
            expect(STACK_KEYS, key).to.include(key);
        for (const stack of Object.keys(files.stacks))
            for (const key of Object.keys(files.stacks[stack]).filter((k) =>
                k.startsWith("taskflow:"),
            ))
                expect(STACK_KEYS, `${stack} ${key}`).to.include(key.slice("taskflow:".length));
    });

    it("does not take topology defaults (project, globalStack) for stack keys", () => {
        const raw = rawOf("global");
        raw["taskflow:project"] = "other";
        expect(issueFor(issuesOf("global", raw), "taskflow:project").allowed).to.include(
            "not a known key",
        );
    });
});

describe("config: didYouMean", () => {
    const known = ["minTasks", "maxTasks", "cellMode", "hostedZoneId"];
    it("finds a key in another case, or one or two edits away", () => {
        expect(didYouMean("CELLMODE", known)).to.equal("cellMode");
        expect(didYouMean("minTask", known)).to.equal("minTasks");
        expect(didYouMean("mxTask", known)).to.equal("maxTasks");
        expect(didYouMean("hostedZoneID", known)).to.equal("hostedZoneId");
    });
    it("finds nothing three edits away", () => {
        expect(didYouMean("tasks", known)).to.equal(undefined);
        expect(didYouMean("zoneId", known)).to.equal(undefined);
    });
});

describe("config: taskflow:residencyBoundary.replicaRegions", () => {
    const withBoundary = (stack: string, boundary: unknown): RawConfig => {
        const raw = rawOf(stack);
        raw["taskflow:residencyBoundary"] = boundary;
        return raw;
    };

    it("defaults to no replica region", () => {
        expect(validateStackConfig("eu-west-1", rawOf("eu-west-1")).boundary).to.deep.equal({
            zone: "eu",
            aurora: true,
            replicaRegions: [],
        });
    });

    it("accepts another region of the boundary's zone", () => {
        const raw = withBoundary("us-east-1", { zone: "us", replicaRegions: ["ap-northeast-1"] });
        expect(validateStackConfig("us-east-1", raw).boundary).to.deep.equal({
            zone: "us",
            aurora: false,
            replicaRegions: ["ap-northeast-1"],
        });
    });

    it("refuses a replica region outside the zone", () => {
        const raw = withBoundary("us-east-1", { zone: "us", replicaRegions: ["eu-west-1"] });
        const issue = issueFor(
            issuesOf("us-east-1", raw),
            "taskflow:residencyBoundary.replicaRegions[0]",
        );
        expect(issue.value).to.equal("eu-west-1");
        expect(issue.allowed).to.include("us-east-1, ap-northeast-1");
    });

    it("refuses the stack's own region, an unknown region, a repeat and a non-list", () => {
        const raw = withBoundary("us-east-1", {
            zone: "us",
            replicaRegions: ["us-east-1", "us-nowhere-1", "ap-northeast-1", "ap-northeast-1"],
        });
        const issues = issuesOf("us-east-1", raw);
        const K = "taskflow:residencyBoundary.replicaRegions";
        expect(issueFor(issues, `${K}[0]`).allowed).to.include("other than this stack's own");
        expect(issueFor(issues, `${K}[1]`).allowed).to.include("known AWS region");
        expect(issueFor(issues, `${K}[3]`).allowed).to.include("at most once");
        expect(issues.filter((i) => i.key === `${K}[2]`)).to.deep.equal([]);
        const notList = withBoundary("eu-west-1", { zone: "eu", replicaRegions: "eu-west-1" });
        expect(issueFor(issuesOf("eu-west-1", notList), K).value).to.equal("eu-west-1");
    });
});

describe("config: the global stack has no cell", () => {
    it("accepts the project-level cell defaults every stack inherits from Pulumi.yaml", () => {
        expect(() =>
            validateStackConfig("global", rawOf("global"), {
                stackKeys: ["aws:region", "taskflow:role"],
            }),
        ).not.to.throw();
        expect(() => validateStackConfig("global", rawOf("global"))).not.to.throw();
    });

    it("refuses a cell key the global stack's own file sets", () => {
        const raw = rawOf("global");
        raw["taskflow:minTasks"] = DEFAULTS.minTasks; // even the default value
        const issue = issueFor(
            issuesOf("global", raw, {
                stackKeys: ["aws:region", "taskflow:role", "taskflow:minTasks"],
            }),
            "taskflow:minTasks",
        );
        expect(issue.allowed).to.include("not allowed in the global stack's own config");
    });

    it("without the stack file's keys, refuses a cell value other than the project default", () => {
        for (const key of CELL_KEYS) {
            const raw = rawOf("global");
            raw[`taskflow:${key}`] = key === "cellMode" ? "pilot-light" : "7";
            expect(issueFor(issuesOf("global", raw), `taskflow:${key}`).value).to.equal(
                raw[`taskflow:${key}`],
            );
        }
        const raw = rawOf("global");
        raw["taskflow:minTasks"] = String(DEFAULTS.minTasks); // what allConfig() hands over
        expect(() => validateStackConfig("global", raw)).not.to.throw();
    });
});

describe("config: names and the project", () => {
    it("refuses a topology project or globalStack that is not a Pulumi name", () => {
        const raw = rawOf("ap-northeast-1");
        topo(raw).project = "task flow";
        topo(raw).globalStack = "edge/global";
        const issues = issuesOf("ap-northeast-1", raw);
        expect(issueFor(issues, "taskflow:topology.project").value).to.equal("task flow");
        expect(issueFor(issues, "taskflow:topology.globalStack").value).to.equal("edge/global");
    });

    it("refuses a topology project other than the Pulumi project's name", () => {
        const issue = issueFor(
            issuesOf("ap-northeast-1", rawOf("ap-northeast-1"), { project: "taskflow-infra" }),
            "taskflow:topology.project",
        );
        expect(issue.value).to.equal("taskflow");
        expect(issue.allowed).to.include('"taskflow-infra"');
        expect(() =>
            validateStackConfig("ap-northeast-1", rawOf("ap-northeast-1"), { project: "taskflow" }),
        ).not.to.throw();
    });
});

describe("config: taskflow:deployments is validated with the rest of the global stack", () => {
    it("refuses a bad schedule before anything is planned", () => {
        const raw = rawOf("global");
        raw["taskflow:deployments"] = { enabled: false, refreshCron: "every 6 hours" };
        const issue = issueFor(issuesOf("global", raw), "taskflow:deployments.refreshCron");
        expect(issue.allowed).to.include("5-field cron");
    });

    it("refuses a value that is not an object", () => {
        const raw = rawOf("global");
        raw["taskflow:deployments"] = "yes";
        expect(issueFor(issuesOf("global", raw), "taskflow:deployments").value).to.equal("yes");
    });

    it("accepts a valid value", () => {
        const raw = rawOf("global");
        raw["taskflow:deployments"] = {
            enabled: true,
            repo: "acme/taskflow-infra",
            awsRoleArn: "arn:aws:iam::123456789012:role/deploy",
        };
        expect(validateStackConfig("global", raw).deployments).to.deep.equal(
            raw["taskflow:deployments"],
        );
    });
});

describe("config: one topology mistake is one error", () => {
    it("reports an unknown region once, without failover or primary errors about its absence", () => {
        const t = topo(rawOf("global"));
        t.regions[0].region = "ap-nowhere-1"; // the primary: "no primary" would follow from it
        expect(topologyIssues(t).map((i) => i.key)).to.deep.equal([
            "taskflow:topology.regions[0].region",
        ]);
        const u = topo(rawOf("global"));
        u.regions[1].region = "us-middle-9"; // ap-northeast-1 and eu-west-1 fail over to us-east-1
        expect(topologyIssues(u).map((i) => i.key)).to.deep.equal([
            "taskflow:topology.regions[1].region",
        ]);
    });

    it("names entries after a dropped one by their index as written", () => {
        const t = topo(rawOf("global"));
        t.regions[1].region = "us-middle-9";
        t.regions[2].vpcCidr = "10.10.0.0/16"; // overlaps ap-northeast-1
        expect(topologyIssues(t).map((i) => i.key)).to.deep.equal([
            "taskflow:topology.regions[1].region",
            "taskflow:topology.regions[2].vpcCidr",
        ]);
    });

    it("does not report regions homed in a zone that failed to parse again", () => {
        const t = topo(rawOf("global"));
        t.zones.eu = [];
        expect(topologyIssues(t).map((i) => i.key)).to.deep.equal(["taskflow:topology.zones.eu"]);
    });

    it("still reports two primaries and a failover to itself when an entry is dropped", () => {
        const t = topo(rawOf("global"));
        t.regions[0].region = "ap-nowhere-1";
        t.regions[1].primary = true;
        t.regions[2].primary = true;
        t.regions[2].failover = "eu-west-1";
        expect(topologyIssues(t).map((i) => i.key)).to.have.members([
            "taskflow:topology.regions[0].region",
            "taskflow:topology.regions[].primary",
            "taskflow:topology.regions[2].failover",
        ]);
    });

    it("validateTopology checks the project name when given one", () => {
        expect(() => validateTopology(topo(rawOf("global")), "x", "other")).to.throw(
            ConfigError,
            /taskflow:topology.project: "taskflow" is not allowed; the name of this Pulumi project, "other"/,
        );
    });
});

describe("config: loadStackConfig (the real program's entry)", () => {
    let saved: Record<string, string>;
    before(() => {
        saved = pulumi.runtime.allConfig();
    });
    after(() => pulumi.runtime.setAllConfig(saved, []));

    /** The runtime config a stack would get: every value as text, objects as JSON. */
    const asRuntime = (raw: RawConfig) =>
        Object.fromEntries(
            Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
        );

    const load = async (project: string, raw: RawConfig, secretKeys: string[] = []) => {
        await pulumi.runtime.setMocks(
            { newResource: () => ({ id: undefined, state: {} }), call: () => ({}) },
            project,
            "us-east-1",
        );
        pulumi.runtime.setAllConfig(asRuntime(raw), secretKeys);
        return loadStackConfig();
    };

    it("reads and validates the stack's config", async () => {
        expect((await load("taskflow", rawOf("us-east-1"))).role).to.equal("secondary");
    });

    it("refuses a topology.project other than the running project's name", async () => {
        let err: unknown;
        await load("taskflow-infra", rawOf("us-east-1")).catch((e) => (err = e));
        expect(err).to.be.instanceOf(ConfigError);
        expect((err as ConfigError).message).to.include(
            'taskflow:topology.project: "taskflow" is not allowed; the name of this Pulumi project, "taskflow-infra"',
        );
    });

    it("does not print the value of a key set as a secret", async () => {
        const raw = rawOf("us-east-1");
        raw["taskflow:dbPasword"] = "hunter2";
        let err: unknown;
        await load("taskflow", raw, ["taskflow:dbPasword"]).catch((e) => (err = e));
        expect((err as ConfigError).message)
            .to.include('taskflow:dbPasword: "[secret]" is not allowed; not a known key')
            .and.not.include("hunter2");
    });
});
