/**
 * The rollout's pure parts: `taskflow:rollout` validation, the order derived from the
 * topology (the repository's, a six-stack fixture, random ones), the app-vs-infrastructure
 * classifier, and how a run starts given a stored state. The controller itself runs against moto
 * in test/ops/rollout.spec.ts.
 */
import { expect } from "chai";
import fc from "fast-check";
import { AWS_REGIONS, CellMode, ConfigIssue, validateStackConfig } from "../../config";
import { UsageError, parseDeployArgs } from "../../delivery/args";
import {
    AppPin,
    RolloutState,
    decideStart,
    formatSummary,
    wavesGuard,
} from "../../delivery/rollout";
import {
    ECS_SERVICE,
    PlanLike,
    TASK_DEFINITION,
    appImageOf,
    changesBetweenPlans,
    changesFromEvents,
    classifyChanges,
    classifyPlans,
} from "../../delivery/rollout-classify";
import { changeBetween, previewText, rolloutContext } from "../../delivery/rollout-cli";
import { ROLLOUT_DEFAULTS, parseRollout } from "../../config";
import { rolloutOrder } from "../../delivery/rollout-order";
import { REPO_ROOT, readProjectFiles, validateAll } from "../../plan/run";
import { configErrorOf, repoRaw } from "../helpers/config";
import { deployWaves } from "../../delivery/order";
import { repoDrainedRegions, repoTopology } from "../helpers/repo-topology";
import {
    documentedRolloutOrder,
    fiveRegionTopology,
    projectTopology,
    sixStackTopology,
} from "./fixtures";

const issueFor = (issues: ConfigIssue[], key: string): ConfigIssue => {
    const found = issues.filter((i) => i.key === key);
    expect(found, `issues for ${key} in ${JSON.stringify(issues)}`).to.have.length(1);
    return found[0];
};
const withRollout = (stack: string, rollout: unknown) => {
    const raw = repoRaw(stack);
    raw["taskflow:rollout"] = rollout;
    return raw;
};

describe("delivery: taskflow:rollout is validated with the rest of the config", () => {
    it("defaults every field: ROLLING, circuit breaker and 5xx/unhealthy-host alarm rollback, 10 min bake", () => {
        const cfg = validateStackConfig("us-east-1", repoRaw("us-east-1"));
        expect(cfg.rollout).to.deep.equal(ROLLOUT_DEFAULTS);
        expect(cfg.rollout).to.include({ bakeMinutes: 10, strategy: "ROLLING" });
        expect(cfg.rollout.rollbackAlarms).to.deep.equal(["5xx-rate", "unhealthy-hosts"]);
        expect(cfg.rollout.canaryRegion).to.equal(undefined);
    });

    it("takes every field it knows", () => {
        const cfg = validateStackConfig(
            "ap-northeast-1",
            withRollout("ap-northeast-1", {
                canaryRegion: "eu-west-1",
                bakeMinutes: "20",
                pollSeconds: 60,
                deploymentTimeoutMinutes: 45,
                rollbackAlarms: ["5xx-rate", "latency-p99"],
                minimumHealthyPercent: 50,
                maximumPercent: 150,
                strategy: "ROLLING",
            }),
        );
        expect(cfg.rollout).to.deep.equal({
            canaryRegion: "eu-west-1",
            bakeMinutes: 20,
            pollSeconds: 60,
            deploymentTimeoutMinutes: 45,
            rollbackAlarms: ["5xx-rate", "latency-p99"],
            minimumHealthyPercent: 50,
            maximumPercent: 150,
            strategy: "ROLLING",
        });
    });

    it("refuses ECS blue/green, linear and canary strategies, saying why", () => {
        for (const strategy of ["BLUE_GREEN", "LINEAR", "CANARY"]) {
            const issue = issueFor(
                configErrorOf("us-east-1", withRollout("us-east-1", { strategy })).issues,
                "taskflow:rollout.strategy",
            );
            expect(issue.value).to.equal(strategy);
            expect(issue.allowed)
                .to.match(/^ROLLING only: /)
                .and.include("one production listener rule per target group")
                .and.include("8443")
                .and.include("Why not ECS blue/green");
        }
        expect(
            issueFor(
                configErrorOf("us-east-1", withRollout("us-east-1", { strategy: "rolling" }))
                    .issues,
                "taskflow:rollout.strategy",
            ).allowed,
        ).to.match(/^ROLLING \(/);
    });

    it("refuses the primary, an unknown region and a pilot-light cell as the canary", () => {
        const primary = issueFor(
            configErrorOf("us-east-1", withRollout("us-east-1", { canaryRegion: "ap-northeast-1" }))
                .issues,
            "taskflow:rollout.canaryRegion",
        );
        expect(primary.allowed).to.include("us-east-1, eu-west-1").and.include("never first");
        const unknown = issueFor(
            configErrorOf("us-east-1", withRollout("us-east-1", { canaryRegion: "us-west-2" }))
                .issues,
            "taskflow:rollout.canaryRegion",
        );
        expect(unknown.allowed).to.include("secondary regions: us-east-1, eu-west-1");
        const raw = withRollout("us-east-1", { canaryRegion: "us-east-1" });
        raw["taskflow:cellMode"] = "pilot-light";
        expect(
            issueFor(configErrorOf("us-east-1", raw).issues, "taskflow:rollout.canaryRegion")
                .allowed,
        ).to.include("us-east-1 is pilot-light");
        // The same canary is fine for the stacks whose cell serves.
        expect(() =>
            validateStackConfig(
                "eu-west-1",
                withRollout("eu-west-1", { canaryRegion: "us-east-1" }),
            ),
        ).not.to.throw();
    });

    it("refuses numbers out of range, bounds ECS cannot deploy with, a poll longer than the bake and bad alarm lists", () => {
        const issues = configErrorOf(
            "us-east-1",
            withRollout("us-east-1", {
                bakeMinutes: 0,
                deploymentTimeoutMinutes: "soon",
                minimumHealthyPercent: 100,
                maximumPercent: 100,
                rollbackAlarms: ["5xx-rate", "cpu-high", "5xx-rate"],
            }),
        ).issues;
        expect(issueFor(issues, "taskflow:rollout.bakeMinutes").allowed).to.equal(
            "an integer from 1 to 240 (minutes)",
        );
        expect(issueFor(issues, "taskflow:rollout.deploymentTimeoutMinutes").value).to.equal(
            "soon",
        );
        expect(issueFor(issues, "taskflow:rollout.maximumPercent").allowed).to.include(
            "more than minimumHealthyPercent (100)",
        );
        expect(issueFor(issues, "taskflow:rollout.rollbackAlarms[1]").value).to.equal("cpu-high");
        expect(issueFor(issues, "taskflow:rollout.rollbackAlarms[2]").allowed).to.include(
            "each once",
        );
        const poll = configErrorOf(
            "us-east-1",
            withRollout("us-east-1", { bakeMinutes: 1, pollSeconds: 120 }),
        ).issues;
        expect(issueFor(poll, "taskflow:rollout.pollSeconds").allowed).to.include(
            "at most the bake time (bakeMinutes 1 = 60 s)",
        );
        expect(
            issueFor(
                configErrorOf("us-east-1", withRollout("us-east-1", { rollbackAlarms: [] })).issues,
                "taskflow:rollout.rollbackAlarms",
            ).allowed,
        ).to.include("non-empty");
        expect(
            issueFor(
                configErrorOf("us-east-1", withRollout("us-east-1", "fast")).issues,
                "taskflow:rollout",
            ).allowed,
        ).to.include("an object with keys canaryRegion, bakeMinutes");
    });

    it("refuses an unknown field with a did-you-mean, and the key in a stack's own file", () => {
        const issue = issueFor(
            configErrorOf("us-east-1", withRollout("us-east-1", { bakeMinute: 5 })).issues,
            "taskflow:rollout.bakeMinute",
        );
        expect(issue.allowed).to.include("did you mean bakeMinutes?");
        const own = issueFor(
            configErrorOf("us-east-1", withRollout("us-east-1", {}), {
                stackKeys: ["taskflow:rollout"],
            }).issues,
            "taskflow:rollout",
        );
        expect(own.allowed).to.include("only in Pulumi.yaml");
    });

    it("parses without the config module (a pure function of the raw value)", () => {
        const { value, issues } = parseRollout({ canaryRegion: "us-east-1" }, projectTopology());
        expect(issues).to.deep.equal([]);
        expect(value.canaryRegion).to.equal("us-east-1");
    });
});

describe("delivery: the rollout order comes from the topology", () => {
    it("takes the repository's change to us-east-1 first, eu-west-1 after any secondary with a fallback, the primary last", () => {
        const t = projectTopology();
        const steps = rolloutOrder(t);
        const expected = documentedRolloutOrder(t, "us-east-1");
        expect(steps.map((s) => [s.region, s.role])).to.deep.equal(expected);
        expect(expected).to.deep.include(["eu-west-1", "resident-only"]);
        expect(expected.at(-1)).to.deep.equal(["ap-northeast-1", "primary"]);
        expect(steps[0].reason).to.include("zone us users may also be served by ap-northeast-1");
        expect(steps.find((s) => s.region === "eu-west-1")!.reason).to.include(
            "zone eu users have no other region",
        );
    });

    it("orders the six-stack fixture: canary, the other secondaries with a fallback, the resident-only ones, the primary", () => {
        const t = sixStackTopology();
        expect(t.regions.map((r) => r.region)).to.have.length(5);
        const steps = rolloutOrder(t);
        expect(steps.map((s) => [s.region, s.role])).to.deep.equal([
            ["us-east-1", "canary"],
            ["ap-northeast-3", "secondary"],
            ["eu-west-1", "resident-only"],
            ["ap-southeast-2", "resident-only"],
            ["ap-northeast-1", "primary"],
        ]);
        expect(steps[1].reason).to.equal("zone jp users may also be served by ap-northeast-1");
        expect(steps[3].reason).to.include("zone au users have no other region");
        expect(steps.every((s) => s.bakes)).to.equal(true);
    });

    it("puts a configured canary first, and a pilot-light cell after every serving one, unbaked", () => {
        const modes: Record<string, CellMode> = { "us-east-1": "pilot-light" };
        const steps = rolloutOrder(sixStackTopology(), { canaryRegion: "ap-southeast-2", modes });
        expect(steps.map((s) => s.region)).to.deep.equal([
            "ap-southeast-2",
            "ap-northeast-3",
            "eu-west-1",
            "us-east-1",
            "ap-northeast-1",
        ]);
        expect(steps[0].reason).to.match(/^taskflow:rollout\.canaryRegion; zone au/);
        expect(steps.find((s) => s.region === "us-east-1")).to.include({
            role: "pilot-light",
            bakes: false,
        });
        // Without a configured canary, a pilot-light region is never chosen as one.
        expect(rolloutOrder(sixStackTopology(), { modes })[0].region).to.equal("ap-northeast-3");
    });

    it("follows a moved primary and renamed stacks, and notes the regions night mode drains", () => {
        const steps = rolloutOrder(fiveRegionTopology(), {
            night: {
                drained: ["eu-central-1"],
                timezone: "Asia/Tokyo",
                nightStart: "22:00",
                dayStart: "08:00",
            },
        });
        expect(steps[steps.length - 1]).to.include({ region: "us-east-1", role: "primary" });
        expect(steps.find((s) => s.region === "ap-southeast-2")?.stack).to.equal("sydney");
        expect(steps.find((s) => s.region === "eu-central-1")?.notes[0]).to.include(
            "night mode drains eu-central-1 from 22:00 to 08:00 Asia/Tokyo",
        );
    });

    it("over random topologies: every region once, the primary never first unless alone, fallback regions before the others", () => {
        const topologies = fc
            .record({
                regions: fc.uniqueArray(fc.constantFrom(...AWS_REGIONS), {
                    minLength: 1,
                    maxLength: 6,
                }),
                primary: fc.nat(),
                shared: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
                canary: fc.option(fc.nat(), { nil: undefined }),
            })
            .map(({ regions, primary, shared, canary }) => {
                const p = primary % regions.length;
                // Region i shares the primary's zone when shared[i]; else it has a zone of its own.
                const zoneOf = (i: number) => (i === p || shared[i] ? "z-main" : `z${i}`);
                const zones: Record<string, string[]> = {};
                regions.forEach((r, i) => (zones[zoneOf(i)] ??= []).push(r));
                const topology = {
                    zones,
                    regions: regions.map((region, i) => ({
                        region,
                        stack: region,
                        primary: i === p,
                        zone: zoneOf(i),
                    })),
                };
                const secondaries = topology.regions.filter((r) => !r.primary);
                const canaryRegion =
                    canary !== undefined && secondaries.length > 0
                        ? secondaries[canary % secondaries.length].region
                        : undefined;
                return { topology, canaryRegion };
            });
        fc.assert(
            fc.property(topologies, ({ topology, canaryRegion }) => {
                const steps = rolloutOrder(
                    topology as unknown as Parameters<typeof rolloutOrder>[0],
                    canaryRegion ? { canaryRegion } : {},
                );
                const order = steps.map((s) => s.region);
                expect([...order].sort()).to.deep.equal(
                    topology.regions.map((r) => r.region).sort(),
                );
                const primary = topology.regions.find((r) => r.primary)!.region;
                expect(order[order.length - 1]).to.equal(primary);
                if (order.length > 1) expect(order[0]).to.not.equal(primary);
                if (canaryRegion) expect(order[0]).to.equal(canaryRegion);
                const rest = steps.slice(1, -1).map((s) => s.role);
                const firstResident = rest.indexOf("resident-only");
                if (firstResident >= 0) {
                    expect(rest.slice(firstResident)).to.not.include("secondary");
                }
            }),
            { numRuns: 150 },
        );
    });
});

describe("delivery: an app rollout changes only the cells' task definitions", () => {
    const td = (op: string, diffs?: string[]) => ({
        urn: "urn:pulumi:us-east-1::taskflow::taskflow:cell:RegionalCell$aws:ecs/taskDefinition:TaskDefinition::cell-task",
        type: TASK_DEFINITION,
        op,
        ...(diffs ? { diffs } : {}),
    });
    const svc = {
        urn: "urn:...::cell-service",
        type: ECS_SERVICE,
        op: "update",
        diffs: ["taskDefinition"],
    };

    it("calls a task-definition replacement and the service's new pointer an app change", () => {
        const v = classifyChanges("us-east-1", [
            { urn: "urn:stack", type: "pulumi:pulumi:Stack", op: "same" },
            td("create-replacement", ["containerDefinitions"]),
            td("replace", ["containerDefinitions", "cpu", "memory"]),
            svc,
            td("delete-replaced"),
        ]);
        expect(v.kind).to.equal("app");
        expect(v.app).to.have.length(4);
        expect(classifyChanges("us-east-1", []).kind).to.equal("none");
    });

    it("calls anything else an infrastructure change: another resource, another field, an unknown diff, any change to the global stack", () => {
        const sg = {
            urn: "urn:...::cell-alb-sg",
            type: "aws:ec2/securityGroup:SecurityGroup",
            op: "update",
            diffs: ["description"],
        };
        expect(
            classifyChanges("us-east-1", [td("replace", ["containerDefinitions"]), sg]).infra,
        ).to.deep.equal([sg]);
        expect(classifyChanges("us-east-1", [td("replace", ["executionRoleArn"])]).kind).to.equal(
            "infra",
        );
        expect(classifyChanges("us-east-1", [td("replace")]).kind).to.equal("infra");
        expect(
            classifyChanges("us-east-1", [{ ...svc, diffs: ["taskDefinition", "desiredCount"] }])
                .kind,
        ).to.equal("infra");
        expect(classifyChanges("global", [svc], false).kind).to.equal("infra");
    });

    it("reads the resource steps of a preview's engine events", () => {
        const events = [
            { sequence: 1, timestamp: 1, preludeEvent: { config: {} } },
            {
                sequence: 2,
                timestamp: 2,
                resourcePreEvent: {
                    metadata: {
                        op: "replace",
                        urn: "u1",
                        type: TASK_DEFINITION,
                        diffs: ["containerDefinitions"],
                        provider: "",
                    },
                },
            },
            {
                sequence: 3,
                timestamp: 3,
                resourcePreEvent: {
                    metadata: { op: "same", urn: "u2", type: ECS_SERVICE, provider: "" },
                },
            },
        ];
        expect(changesFromEvents(events as never)).to.deep.equal([
            { urn: "u1", type: TASK_DEFINITION, op: "replace", diffs: ["containerDefinitions"] },
            { urn: "u2", type: ECS_SERVICE, op: "same" },
        ]);
    });

    const plan = (image: string, extra: Partial<PlanLike> = {}): PlanLike => ({
        stack: "us-east-1",
        role: "secondary",
        resources: [
            {
                urn: "urn:td",
                type: TASK_DEFINITION,
                inputs: {
                    family: "f",
                    containerDefinitions: JSON.stringify([{ name: "app", image }]),
                },
                options: { ignoreChanges: [] },
            },
            {
                urn: "urn:svc",
                type: ECS_SERVICE,
                inputs: { desiredCount: 2 },
                options: { ignoreChanges: ["desiredCount"] },
            },
        ],
        outputs: { albDnsName: "x" },
        ...extra,
    });

    it("compares two offline plans: inputs, options, added and removed resources, outputs", () => {
        const base = plan("app:1");
        const v = classifyPlans(base, plan("app:2"));
        expect(v).to.deep.include({ kind: "app", image: { from: "app:1", to: "app:2" } });
        expect(classifyPlans(base, plan("app:1")).kind).to.equal("none");
        const changedOptions = plan("app:1");
        changedOptions.resources[1].options = { ignoreChanges: [] };
        expect(changesBetweenPlans(base, changedOptions)).to.deep.equal([
            { urn: "urn:svc", type: ECS_SERVICE, op: "update", diffs: ["(options)"] },
        ]);
        const more = plan("app:2", { outputs: { albDnsName: "y" } });
        more.resources.push({ urn: "urn:new", type: "aws:s3/bucket:Bucket", inputs: {} });
        const kinds = changesBetweenPlans(base, more).map((c) => `${c.op} ${c.type}`);
        expect(kinds).to.deep.equal([
            `update ${TASK_DEFINITION}`,
            "create aws:s3/bucket:Bucket",
            "update pulumi:pulumi:Stack",
        ]);
        expect(classifyPlans(base, more).kind).to.equal("infra");
        expect(appImageOf("not json")).to.equal(undefined);
    });
});

describe("delivery: how a rollout starts, given the stored state", () => {
    const now = new Date("2025-06-02T03:00:00Z");
    const pin = (v: string): AppPin => ({ image: `app:${v}`, cpu: 512, memory: 1024 });
    const state = (over: Partial<RolloutState> = {}): RolloutState => ({
        version: 1,
        id: "rollout-1",
        status: "interrupted",
        owner: "ci run 7",
        leaseUntil: "2025-06-02T02:00:00Z",
        startedAt: "2025-06-02T01:00:00Z",
        updatedAt: "2025-06-02T02:00:00Z",
        order: ["us-east-1", "eu-west-1"],
        targets: { "us-east-1": pin("2"), "eu-west-1": pin("2") },
        regions: {
            "us-east-1": { status: "promoted", previous: pin("1"), at: "" },
            "eu-west-1": { status: "baking", previous: pin("1"), at: "" },
        },
        ...over,
    });
    const targets = (v: string) => ({
        "us-east-1": pin(v),
        "eu-west-1": pin(v),
        "ap-northeast-1": pin(v),
    });

    it("starts fresh with no state, or after a completed or abandoned one", () => {
        expect(decideStart(undefined, targets("2"), now).kind).to.equal("new");
        expect(decideStart(state({ status: "completed" }), targets("2"), now).kind).to.equal("new");
        expect(decideStart(state({ status: "abandoned" }), targets("3"), now).kind).to.equal("new");
    });

    it("resumes an interrupted rollout, or a running one whose lease ran out, of the same images", () => {
        expect(decideStart(state(), targets("2"), now).kind).to.equal("resume");
        expect(decideStart(state({ status: "running" }), targets("2"), now).kind).to.equal(
            "resume",
        );
        const held = decideStart(
            state({ status: "running", leaseUntil: "2025-06-02T03:01:00Z" }),
            targets("2"),
            now,
        );
        expect(held).to.deep.include({ kind: "refuse" });
        expect((held as { message: string }).message).to.include("is running (ci run 7");
    });

    it("refuses an interrupted rollout of other images, a failed rollback, and a rolled-back image without --retry", () => {
        const other = decideStart(state(), targets("3"), now) as { kind: string; message: string };
        expect(other.kind).to.equal("refuse");
        expect(other.message)
            .to.include("us-east-1 promoted, eu-west-1 baking")
            .and.include("--rollout --abandon");
        expect(
            decideStart(
                state({ status: "rollback-failed", failedRegion: "eu-west-1" }),
                targets("1"),
                now,
            ).kind,
        ).to.equal("refuse");
        const back = state({ status: "rolled-back", failedRegion: "eu-west-1" });
        expect(decideStart(back, targets("2"), now).kind).to.equal("refuse");
        expect(decideStart(back, targets("2"), now, { retry: true }).kind).to.equal("new");
        expect(decideStart(back, targets("3"), now).kind).to.equal("new");
    });

    it("keeps the waves away from a running or interrupted rollout and from a rolled-back image", () => {
        expect(wavesGuard(undefined, targets("2"), now)).to.equal(undefined);
        expect(wavesGuard(state(), targets("2"), now)).to.include("was interrupted");
        expect(
            wavesGuard(
                state({ status: "running", leaseUntil: "2025-06-02T04:00:00Z" }),
                targets("2"),
                now,
            ),
        ).to.include("is running");
        const back = state({ status: "rolled-back", failedRegion: "eu-west-1" });
        expect(wavesGuard(back, targets("2"), now)).to.include("every region at once");
        expect(wavesGuard(back, targets("1"), now)).to.equal(undefined);
        expect(wavesGuard(state({ status: "completed" }), targets("2"), now)).to.equal(undefined);
    });

    it("prints which region runs what", () => {
        const text = formatSummary(
            [
                {
                    region: "us-east-1",
                    stack: "us-east-1",
                    status: "promoted",
                    image: "app:2",
                    taskDefinition: "td:2",
                },
                {
                    region: "eu-west-1",
                    stack: "eu-west-1",
                    status: "rolled-back",
                    image: "app:1",
                    reason: "alarm x",
                },
            ],
            "rolled-back",
            "eu-west-1: alarm x",
        );
        expect(text.split("\n")).to.deep.equal([
            "rollout rolled-back: eu-west-1: alarm x",
            "which region runs what:",
            "  us-east-1  promoted     app:2  (td:2)",
            "  eu-west-1  rolled-back  app:1",
            "             alarm x",
        ]);
    });
});

describe("delivery: npm run deploy -- --rollout", () => {
    it("parses the rollout's modes and refuses what does not go with them", () => {
        expect(parseDeployArgs(["--rollout"]).rollout).to.deep.equal({ mode: "run", retry: false });
        expect(parseDeployArgs(["--rollout", "--preview"]).rollout?.mode).to.equal("preview");
        expect(parseDeployArgs(["--rollout", "--retry"]).rollout).to.deep.equal({
            mode: "run",
            retry: true,
        });
        expect(parseDeployArgs(["--rollout", "--rollback=eu-west-1"]).rollout).to.deep.equal({
            mode: "rollback",
            retry: false,
            region: "eu-west-1",
        });
        expect(
            parseDeployArgs(["--rollout", "--preview", "--base-plan", "/a", "--head-plan", "/b"])
                .rollout,
        ).to.deep.equal({ mode: "preview", retry: false, basePlan: "/a", headPlan: "/b" });
        expect(parseDeployArgs([]).rollout).to.equal(undefined);
        const bad: [string[], RegExp][] = [
            [["--retry"], /--retry only go with --rollout/],
            [["--rollout", "--stacks", "us-east-1"], /cannot be combined with --stacks/],
            [["--rollout", "--destroy", "--yes"], /cannot be combined with --destroy/],
            [["--rollout", "--status", "--abandon"], /one of --status, --abandon/],
            [["--rollout", "--rollback"], /--rollback needs a value \(a region\)/],
            [["--rollout", "--preview", "--base-plan", "/a"], /go together/],
            [
                ["--rollout", "--base-plan", "/a", "--head-plan", "/b"],
                /only go with --rollout --preview/,
            ],
            [["--rollout=yes"], /--rollout takes no value/],
        ];
        for (const [argv, re] of bad)
            expect(() => parseDeployArgs(argv), argv.join(" ")).to.throw(UsageError, re);
    });

    const repoConfigs = validateAll(readProjectFiles(REPO_ROOT));
    const ctx = rolloutContext(repoConfigs);

    it("takes the order, the targets, night mode and the state's place from the repository's config", () => {
        expect(ctx.steps.map((s) => s.region)).to.deep.equal(
            documentedRolloutOrder(repoTopology(), "us-east-1").map(([region]) => region),
        );
        expect(ctx.targets["eu-west-1"]).to.deep.equal({
            image: repoConfigs["eu-west-1"].cell!.image,
            cpu: 512,
            memory: 1024,
        });
        expect(ctx.stateRegion).to.equal("ap-northeast-1");
        const drained = repoDrainedRegions();
        expect(drained).to.include("us-east-1").and.not.include("eu-west-1");
        expect(ctx.night?.drained).to.deep.equal(drained);
        expect(ctx.steps[0].notes[0]).to.include("night mode drains us-east-1");
        for (const s of ctx.steps)
            expect(s.notes.some((n) => n.startsWith(`night mode drains ${s.region} `))).to.equal(
                drained.includes(s.region),
            );
    });

    it("says from two plans whether a change rolls through the regions or goes in waves", () => {
        const p = (stack: string, role: string, image?: string): PlanLike => ({
            stack,
            role,
            resources: image
                ? [
                      {
                          urn: `${stack}:td`,
                          type: TASK_DEFINITION,
                          inputs: {
                              containerDefinitions: JSON.stringify([{ name: "app", image }]),
                          },
                      },
                  ]
                : [],
            outputs: {},
        });
        // a plan for every stack of the repository's topology, eu-west-1's image as given
        const t = repoTopology();
        const plans = (eu: string, extraGlobal = false): Record<string, PlanLike> => ({
            ...Object.fromEntries(
                t.regions.map((r) => [
                    r.stack,
                    p(
                        r.stack,
                        r.primary ? "primary" : "secondary",
                        r.region === "eu-west-1" ? eu : "app:1",
                    ),
                ]),
            ),
            global: extraGlobal
                ? { ...p("global", "global"), outputs: { x: 1 } }
                : p("global", "global"),
        });
        const app = changeBetween(ctx, plans("app:1"), plans("app:2"));
        expect(app).to.deep.include({ kind: "app", regions: ["eu-west-1"] });
        const text = previewText(ctx, app);
        expect(text).to.include("eu-west-1: app change (image app:1 -> app:2)");
        expect(text).to.include("verdict: an app rollout; on merge it rolls through eu-west-1");
        const infra = changeBetween(ctx, plans("app:1"), plans("app:2", true));
        expect(infra.kind).to.equal("infra");
        const waves = deployWaves(t);
        expect(waves.map((w) => w.role)).to.deep.equal(["primary", "secondary", "global"]);
        expect(previewText(ctx, infra)).to.include(
            `verdict: an infrastructure change; on merge it deploys in waves ${waves.map((w) => `[${w.stacks.join(" ")}]`).join(" -> ")}`,
        );
        const none = changeBetween(ctx, plans("app:1"), plans("app:1"));
        expect(previewText(ctx, none)).to.include("verdict: no change to deploy");
        const { global: _g, ...noGlobal } = plans("app:1");
        void _g;
        expect(changeBetween(ctx, noGlobal, plans("app:1")).verdicts.at(-1)).to.deep.include({
            stack: "global",
            kind: "infra",
        });
    });
});
