import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { UsageError, parseDeployArgs } from "../../delivery/args";
import { deployWaves } from "../../delivery/order";
import {
    Observed,
    findOnPath,
    missingPrerequisites,
    versionAtLeast,
} from "../../delivery/prerequisites";
import { formatOutcome, runWaves } from "../../delivery/waves-runner";
import { repoTopology } from "../helpers/repo-topology";
import { REPO_ROOT, baseTopology, documentedRolloutOrder } from "./fixtures";
import { removeTempDirs, tempDir } from "../helpers/tmp";
import { configErrorReport } from "../../scripts/deploy";
import { readProjectFiles } from "../../config";
import { projectCopy } from "../helpers/project-copy";

describe("delivery: npm run deploy arguments", () => {
    it("defaults to pulumi up on every stack without refresh", () => {
        expect(parseDeployArgs([])).to.deep.equal({
            command: "up",
            refresh: false,
            help: false,
            printWaves: false,
        });
    });

    it("reads --preview, --refresh and a --stacks list in both spellings", () => {
        expect(
            parseDeployArgs(["--preview", "--stacks", "eu-west-1,global", "--refresh"]),
        ).to.deep.equal({
            command: "preview",
            stacks: ["eu-west-1", "global"],
            refresh: true,
            help: false,
            printWaves: false,
        });
        expect(
            parseDeployArgs(["--stacks=us-east-1", "--stacks", "us-east-1,global"]).stacks,
        ).to.deep.equal(["us-east-1", "global"]);
    });

    it("prints the waves alone, optionally for a subset", () => {
        expect(parseDeployArgs(["--print-waves", "--stacks", "global"])).to.include({
            printWaves: true,
            command: "up",
        });
        expect(() => parseDeployArgs(["--print-waves", "--preview"])).to.throw(
            UsageError,
            /cannot be combined/,
        );
    });

    it("destroys only with --yes", () => {
        expect(parseDeployArgs(["--destroy", "--yes"]).command).to.equal("destroy");
        expect(() => parseDeployArgs(["--destroy"])).to.throw(UsageError, /add --yes/);
        expect(() => parseDeployArgs(["--yes"])).to.throw(UsageError, /only confirms --destroy/);
        expect(() => parseDeployArgs(["--destroy", "--yes", "--preview"])).to.throw(
            UsageError,
            /cannot be combined/,
        );
    });

    it("rejects unknown flags, empty or missing stack lists, and values on switches", () => {
        expect(() => parseDeployArgs(["--stack", "global"])).to.throw(
            UsageError,
            /unknown argument "--stack": did you mean --stacks\? allowed: --preview, --stacks/,
        );
        expect(() => parseDeployArgs(["--stacks"])).to.throw(
            UsageError,
            /--stacks needs a comma-separated list/,
        );
        expect(() => parseDeployArgs(["--stacks", "--preview"])).to.throw(
            UsageError,
            /--stacks needs/,
        );
        expect(() => parseDeployArgs(["--stacks", "a,,b"])).to.throw(UsageError, /empty name/);
        expect(() => parseDeployArgs(["--preview=yes"])).to.throw(
            UsageError,
            /--preview takes no value/,
        );
    });
});

describe("delivery: deploy prerequisites", () => {
    const ready: Observed = {
        pulumiPath: "/usr/local/bin/pulumi",
        pulumiVersion: "v3.248.0",
        env: { PULUMI_ACCESS_TOKEN: "x", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" },
        pulumiLoggedIn: false,
        awsFiles: false,
    };

    it("finds nothing missing when the CLI, a backend and AWS credentials are present", () => {
        expect(missingPrerequisites(ready)).to.deep.equal([]);
        expect(
            missingPrerequisites({ ...ready, env: { AWS_PROFILE: "prod" }, pulumiLoggedIn: true }),
        ).to.deep.equal([]);
        expect(
            missingPrerequisites({
                ...ready,
                env: {
                    PULUMI_BACKEND_URL: "s3://state",
                    AWS_WEB_IDENTITY_TOKEN_FILE: "/t",
                    AWS_ROLE_ARN: "arn",
                },
            }),
        ).to.deep.equal([]);
    });

    it("names the missing CLI with its version and how to install it", () => {
        const [m] = missingPrerequisites({
            ...ready,
            pulumiPath: undefined,
            pulumiVersion: undefined,
        });
        expect(m)
            .to.match(/`pulumi` CLI was not found on PATH/)
            .and.include("3.248.0")
            .and.include("get.pulumi.com");
    });

    it("names an outdated or broken CLI", () => {
        expect(missingPrerequisites({ ...ready, pulumiVersion: "v3.100.2" })[0]).to.match(
            /v3\.100\.2, older than 3\.248\.0/,
        );
        expect(
            missingPrerequisites({
                ...ready,
                pulumiVersion: undefined,
                pulumiError: "exec format error",
            })[0],
        ).to.include("exec format error");
    });

    it("names missing Pulumi and AWS credentials separately", () => {
        const missing = missingPrerequisites({ ...ready, env: {} });
        expect(missing).to.have.length(2);
        expect(missing[0]).to.include("PULUMI_ACCESS_TOKEN").and.include("pulumi login --local");
        expect(missing[1]).to.include("AWS_ACCESS_KEY_ID").and.include("AWS_PROFILE");
        expect(
            missingPrerequisites({
                ...ready,
                env: { PULUMI_ACCESS_TOKEN: "x", AWS_ACCESS_KEY_ID: "x" },
            })[0],
        ).to.match(/AWS_SECRET_ACCESS_KEY is not set/);
    });

    it("compares versions numerically", () => {
        expect(versionAtLeast("v3.248.0", "3.248.0")).to.equal(true);
        expect(versionAtLeast("v3.1000.0-alpha.1", "3.248.0")).to.equal(true);
        expect(versionAtLeast("v3.99.9", "3.248.0")).to.equal(false);
        expect(versionAtLeast("v4.0.0", "3.248.0")).to.equal(true);
    });

    it("finds an executable on PATH and ignores directories without it", () => {
        const dir = tempDir("deploy-path-");
        const empty = tempDir("deploy-empty-");
        fs.writeFileSync(path.join(dir, "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
        expect(findOnPath("pulumi", [empty, dir].join(path.delimiter))).to.equal(
            path.join(dir, "pulumi"),
        );
        expect(findOnPath("pulumi", empty)).to.equal(undefined);
    });
});

describe("delivery: wave runner", () => {
    // the seed's four stacks (a fixture): one primary, two secondaries, the edge
    const waves = deployWaves(baseTopology());

    it("runs waves in order and the stacks of a wave concurrently", async () => {
        const log: string[] = [];
        let inFlight = 0;
        let maxInFlight = 0;
        const run = await runWaves(waves, async (stack) => {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            log.push(`start ${stack}`);
            await new Promise((r) => setTimeout(r, 5));
            log.push(`end ${stack}`);
            inFlight--;
            return "2 create";
        });
        expect(run.ok).to.equal(true);
        expect(maxInFlight).to.equal(2);
        expect(log.indexOf("end ap-northeast-1")).to.be.lessThan(log.indexOf("start us-east-1"));
        expect(log.indexOf("end us-east-1")).to.be.lessThan(log.indexOf("start global"));
        expect(log.indexOf("end eu-west-1")).to.be.lessThan(log.indexOf("start global"));
        expect(formatOutcome(run, "pulumi up"))
            .to.include("ok      global: 2 create")
            .and.include("succeeded for 4 stack(s)");
    });

    it("stops after the first failed wave, naming the stack and its error", async () => {
        const started: string[] = [];
        const run = await runWaves(waves, async (stack) => {
            started.push(stack);
            if (stack === "eu-west-1")
                throw new Error("Policy Violations: [mandatory] residency-replication-out-of-zone");
        });
        expect(run.ok).to.equal(false);
        expect(run.failedWave).to.equal(1);
        expect(started).to.have.members(["ap-northeast-1", "us-east-1", "eu-west-1"]);
        expect(run.skipped).to.deep.equal(["global"]);
        const text = formatOutcome(run, "pulumi up");
        expect(text).to.include(
            "FAILED  eu-west-1: Policy Violations: [mandatory] residency-replication-out-of-zone",
        );
        expect(text).to.include("ok      us-east-1");
        expect(text).to.include("stopped at wave 2: eu-west-1 failed");
        expect(text).to.include("skipped global");
    });

    it("gates every stack of a wave (the policy-pack preview) before updating any of them", async () => {
        const log: string[] = [];
        const run = await runWaves(
            waves,
            async (stack) => {
                log.push(`up ${stack}`);
            },
            {
                gate: async (stack) => {
                    log.push(`preview ${stack}`);
                    if (stack === "eu-west-1")
                        throw new Error("Policy Violations: residency-replication-wiring");
                },
            },
        );
        expect(run.ok).to.equal(false);
        expect(run.failedWave).to.equal(1);
        // The primary went through; in the failed wave nothing was updated, not even us-east-1.
        expect(log).to.include.members(["preview ap-northeast-1", "up ap-northeast-1"]);
        expect(log).to.not.include("up us-east-1");
        expect(log).to.not.include("up eu-west-1");
        expect(log.indexOf("up ap-northeast-1")).to.be.lessThan(log.indexOf("preview us-east-1"));
        expect(run.skipped).to.deep.equal(["us-east-1", "global"]);
        expect(formatOutcome(run, "pulumi up")).to.include(
            "FAILED  eu-west-1: gate: Policy Violations: residency-replication-wiring",
        );
    });
});

describe("delivery: npm run deploy without the Pulumi CLI", () => {
    // PATH keeps only the directories that hold no `pulumi`; HOME is empty so there is no login
    // and no ~/.aws; every AWS_* and PULUMI_* variable is removed.
    const home = tempDir("deploy-home-");
    const pathVar = (process.env.PATH ?? "")
        .split(path.delimiter)
        .filter((d) => d && !fs.existsSync(path.join(d, "pulumi")))
        .join(path.delimiter);
    const env: NodeJS.ProcessEnv = { PATH: pathVar, HOME: home };
    for (const [k, v] of Object.entries(process.env)) {
        if (!/^(AWS_|PULUMI_)/.test(k) && !(k in env) && v !== undefined) env[k] = v;
    }
    const run = (...args: string[]) =>
        spawnSync(process.execPath, ["-r", "./scripts/register.js", "scripts/deploy.ts", ...args], {
            cwd: REPO_ROOT,
            env,
            encoding: "utf8",
            timeout: 30_000,
        });

    it("exits non-zero naming the CLI, its version, how to install it and the missing credentials", () => {
        const r = run("--preview");
        expect(r.status, r.stderr).to.equal(1);
        expect(r.stderr).to.include("npm run deploy cannot run; missing:");
        expect(r.stderr).to.include("`pulumi` CLI was not found on PATH");
        expect(r.stderr).to.include("3.248.0");
        expect(r.stderr).to.include("curl -fsSL https://get.pulumi.com");
        expect(r.stderr).to.include("PULUMI_ACCESS_TOKEN");
        expect(r.stderr).to.include("AWS_ACCESS_KEY_ID");
    });

    it("--rollout --preview prints the rollout plan with neither the CLI nor credentials, touching nothing", () => {
        const r = run("--rollout", "--preview");
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.include("nothing is changed or read in AWS");
        const order = documentedRolloutOrder(repoTopology(), "us-east-1").map(([region]) => region);
        expect(order.at(-1)).to.equal("ap-northeast-1");
        expect(r.stdout).to.include(`rollout order (one region at a time): ${order.join(" -> ")}`);
        expect(r.stdout).to.match(/1\. us-east-1 \(stack us-east-1\) canary: /);
        expect(r.stdout).to.include(
            `${order.length}. ap-northeast-1 (stack ap-northeast-1) primary: last`,
        );
        expect(r.stdout).to.include("bake 10 min");
        expect(r.stdout).to.include("state: ssm:ap-northeast-1:/taskflow/prod/rollout");
        expect(r.stderr).to.equal("");
    });

    it("--rollout (live) names what is missing before touching anything", () => {
        const r = run("--rollout");
        expect(r.status, r.stderr).to.equal(1);
        expect(r.stderr)
            .to.include("npm run deploy --rollout cannot run; missing:")
            .and.include("`pulumi` CLI was not found on PATH")
            .and.include("--rollout --preview` prints the plan without them");
        expect(r.stdout).to.equal("");
    });

    it("exits 2 with the usage on a bad argument, before looking for the CLI", () => {
        const r = run("--stack", "global");
        expect(r.status).to.equal(2);
        expect(r.stderr)
            .to.include('unknown argument "--stack"')
            .and.include("usage: npm run deploy");
    });
});

describe("delivery: npm run deploy on a configuration error", () => {
    after(removeTempDirs);

    it("reports it under plan's heading, naming the file, line and column, instead of failing internally", () => {
        const dir = projectCopy("deploy-config-", () => undefined);
        fs.appendFileSync(path.join(dir, "Pulumi.us-east-1.yaml"), "  taskflow:bad: [x\n");
        let thrown: unknown;
        try {
            readProjectFiles(dir);
        } catch (e) {
            thrown = e;
        }
        const text = configErrorReport(thrown) ?? "";
        expect(text.split("\n")[0]).to.equal(
            "npm run deploy: configuration error; nothing was deployed.",
        );
        expect(text).to.match(/^Pulumi\.us-east-1\.yaml: not valid YAML at line \d+, column \d+/m);
        expect(configErrorReport(new Error("ECONNRESET"))).to.equal(undefined);
    });
});
