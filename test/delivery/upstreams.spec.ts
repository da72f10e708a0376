/**
 * Previews for a brand-new organisation. A StackReference to a stack that does not exist fails
 * the preview ("unknown stack", https://github.com/pulumi/pulumi/issues/2407), and one to a
 * stack never updated has no outputs (`pulumi stack output` answers none:
 * https://github.com/pulumi/pulumi/pull/2099), so `requireOutput` fails. `npm run deploy --
 * --preview` previews the stacks whose upstreams are deployed and names the others with the
 * upstream they wait for; `--upstreams` tells the preview workflow the same. The verdicts are
 * checked pure, then through `npm run deploy` with a stand-in CLI.
 */
import { spawn } from "child_process";
import * as path from "path";
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { deployWaves } from "../../delivery/order";
import {
    StackState,
    previewReadiness,
    previewWaves,
    previewable,
    readinessAsGithubOutputs,
    readinessLine,
} from "../../delivery/upstreams";
import { stacksInOrder } from "../../config";
import { EDGE_REGION } from "../../model/aws";
import { globalRegionReader, primaryDataRefs, requiredOutputs } from "../../regions/contract";
import { tempDir } from "../helpers/tmp";
import { everyReadOutput, fakePulumiBin, recordedCalls } from "./fake-pulumi";
import { REPO_ROOT, fiveRegionTopology, projectTopology } from "./fixtures";

const topology = projectTopology();
const all = stacksInOrder(topology);
const primary = topology.regions.find((r) => r.primary)!.stack;
const secondaries = topology.regions.filter((r) => !r.primary).map((r) => r.stack);
const global = topology.globalStack;

const deployed: StackState = { exists: true, outputs: everyReadOutput() };
const initialised: StackState = { exists: true, outputs: [] };
const absent: StackState = { exists: false };
/** The verdicts with what the contract says each stack reads of each upstream. */
const readiness = (
    t: typeof topology,
    stacks: readonly string[],
    stateOf: (s: string) => StackState,
) => previewReadiness(t, stacks, stateOf, requiredOutputs);

describe("delivery: which stacks a preview can run", () => {
    it("a brand-new organisation (stacks initialised, none deployed): only the primary", () => {
        const rs = readiness(topology, all, () => initialised);
        expect(rs.filter(previewable).map((r) => r.stack)).to.deep.equal([primary]);
        for (const s of secondaries)
            expect(rs.find((r) => r.stack === s)!.waits).to.deep.equal([
                { upstream: primary, why: "no-outputs" },
            ]);
        // The global stack waits for every region stack, the primary included.
        expect(rs.find((r) => r.stack === global)!.waits.map((w) => w.upstream)).to.deep.equal(
            topology.regions.map((r) => r.stack),
        );
    });

    it("the primary deployed: the secondaries preview, the global stack waits for them only", () => {
        const rs = readiness(topology, all, (s) => (s === primary ? deployed : initialised));
        expect(rs.filter(previewable).map((r) => r.stack)).to.deep.equal([primary, ...secondaries]);
        expect(rs.find((r) => r.stack === global)!.waits.map((w) => w.upstream)).to.deep.equal(
            secondaries,
        );
        expect(readiness(topology, all, () => deployed).every(previewable)).to.equal(true);
    });

    it("names a stack that does not exist, and an upstream that does not exist", () => {
        const rs = readiness(topology, [secondaries[0]], () => absent);
        expect(rs).to.deep.equal([
            {
                stack: secondaries[0],
                missing: true,
                waits: [{ upstream: primary, why: "missing" }],
            },
        ]);
        expect(readinessLine(topology, rs[0])).to.include(
            `pulumi stack init ${topology.org}/${secondaries[0]}`,
        );
        const waiting = readiness(topology, [global], (s) =>
            s === global ? initialised : absent,
        )[0];
        expect(readinessLine(topology, waiting)).to.match(
            new RegExp(
                `^waits +${global}: reads the outputs of ${primary} \\(its stack does not exist yet\\)`,
            ),
        );
    });

    it("follows the topology: five regions, the primary moved", () => {
        const five = fiveRegionTopology();
        const p = five.regions.find((r) => r.primary)!.stack;
        const rs = readiness(five, stacksInOrder(five), (s) => (s === p ? deployed : initialised));
        expect(rs.filter((r) => !previewable(r)).map((r) => r.stack)).to.deep.equal([
            five.globalStack,
        ]);
    });

    it("keeps only the previewable stacks in their waves and prints GitHub outputs", () => {
        const rs = readiness(topology, all, () => initialised);
        expect(previewWaves(deployWaves(topology), rs)).to.deep.equal([
            { role: "primary", stacks: [primary] },
        ]);
        const lines = readinessAsGithubOutputs(topology, rs).split("\n");
        expect(lines[0]).to.equal(`previewable=${JSON.stringify([primary])}`);
        expect(lines[1]).to.equal(`waiting=${JSON.stringify([...secondaries, global])}`);
        expect(lines[2]).to.match(/^report=waits us-east-1: reads the outputs of ap-northeast-1/);
        expect(lines).to.have.length(3);
    });
});

describe("delivery: an upstream updated before an output it must export was added", () => {
    const edge = topology.regions.find((r) => r.region === EDGE_REGION)!.stack;
    const without = (...names: string[]): StackState => ({
        exists: true,
        outputs: everyReadOutput().filter((n) => !names.includes(n)),
    });

    it("the global stack waits for the edge region's stack to export logLanding, naming it", () => {
        const r = readiness(topology, [global], (s) =>
            s === edge ? without("logLanding") : deployed,
        )[0];
        expect(previewable(r)).to.equal(false);
        expect(r.waits).to.deep.equal([
            { upstream: edge, why: "missing-outputs", outputs: ["logLanding"] },
        ]);
        expect(readinessLine(topology, r)).to.match(
            new RegExp(`^waits +${global}: waits for ${edge} to export logLanding `),
        );
        // Once it exports every name the global stack reads of it, the global stack previews.
        expect(previewable(readiness(topology, [global], () => deployed)[0])).to.equal(true);
    });

    it("requires of each upstream only what that downstream reads of it", () => {
        const other = topology.regions.find((r) => r.region !== EDGE_REGION && !r.primary)!.stack;
        // Only the edge region's stack is read for logLanding; a secondary reads none of it.
        expect(
            previewable(
                readiness(topology, [global], (s) =>
                    s === other ? without("logLanding") : deployed,
                )[0],
            ),
        ).to.equal(true);
        expect(
            previewable(
                readiness(topology, [secondaries[0]], (s) =>
                    s === primary ? without("logLanding", "albArn") : deployed,
                )[0],
            ),
        ).to.equal(true);
        const r = readiness(topology, [secondaries[0]], (s) =>
            s === primary ? without("cacheAuthToken") : deployed,
        )[0];
        expect(r.waits).to.deep.equal([
            { upstream: primary, why: "missing-outputs", outputs: ["cacheAuthToken"] },
        ]);
    });

    it("the stacks' readers read by the same lists: a name not required of that upstream is refused", () => {
        const asked: string[] = [];
        const source = { requireOutput: (k: string) => (asked.push(k), pulumi.output(k)) };
        for (const { stack } of topology.regions) {
            const reader = globalRegionReader(topology, stack, source);
            expect([...reader.keys]).to.deep.equal(requiredOutputs(topology, global, stack));
        }
        const secondary = topology.regions.find(
            (r) => r.region !== EDGE_REGION && !r.primary,
        )!.stack;
        const reader = globalRegionReader(topology, secondary, source);
        expect(() => reader.require("logLanding")).to.throw(
            /output 'logLanding' is not among what the global stack reads of/,
        );
        expect(() => reader.require("originVerifySecret")).to.throw(/originVerifySecret/);
        expect(asked).to.deep.equal([]);
        globalRegionReader(topology, edge, source).require("logLanding");
        expect(asked).to.deep.equal(["logLanding"]);
        // What a secondary's GlobalData reads of the primary is required of the primary.
        asked.length = 0;
        primaryDataRefs(source);
        expect(requiredOutputs(topology, secondaries[0], primary)).to.include.members(asked);
        expect(asked).to.not.deep.equal([]);
    });
});

describe("delivery: npm run deploy previews a brand-new organisation", function () {
    this.timeout(120000);
    // Made in `before`: a spec's removeTempDirs in another file may run between definition and use.
    let bin: string;
    let home: string;
    before(() => {
        bin = fakePulumiBin();
        home = tempDir("deploy-home-");
    });
    const q = (s: string) => `${topology.org}/${s}`;

    async function deploy(
        stacks: Record<string, unknown>,
        extra: Record<string, string>,
        ...args: string[]
    ) {
        const log = path.join(tempDir("fake-pulumi-log-"), "calls.jsonl");
        const env: NodeJS.ProcessEnv = {};
        for (const [k, v] of Object.entries(process.env))
            if (!/^(AWS_|PULUMI_)/.test(k) && v !== undefined) env[k] = v;
        Object.assign(env, {
            PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
            HOME: home,
            FAKE_PULUMI_LOG: log,
            FAKE_PULUMI_STACKS: JSON.stringify(stacks),
            PULUMI_ACCESS_TOKEN: "fake",
            ...extra,
        });
        const child = spawn(
            process.execPath,
            ["-r", "./scripts/register.js", "scripts/deploy.ts", ...args],
            { cwd: REPO_ROOT, env },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const status = await new Promise<number | null>((resolve) => child.on("exit", resolve));
        return { status, stdout, stderr, calls: recordedCalls(log) };
    }
    const aws = { AWS_ACCESS_KEY_ID: "fake", AWS_SECRET_ACCESS_KEY: "fake" };
    // Every stack initialised (`pulumi stack init`), none updated: no outputs anywhere.
    const fresh = Object.fromEntries(all.map((s) => [q(s), {}]));
    const exportsAll = Object.fromEntries(everyReadOutput().map((n) => [n, "x"]));

    it("--preview runs the primary's preview, names what waits for it, and succeeds", async () => {
        const r = await deploy(fresh, aws, "--preview");
        expect(r.status, r.stderr + r.stdout).to.equal(0);
        const previews = r.calls.filter((c) => c[0] === "preview");
        expect(previews).to.have.length(1);
        expect(previews[0].join(" ")).to.include(`--stack ${q(primary)}`);
        for (const s of secondaries)
            expect(r.stdout).to.match(
                new RegExp(`waits +${s}: reads the outputs of ${primary} \\(it has no outputs yet`),
            );
        expect(r.stdout).to.match(new RegExp(`waits +${global}: reads the outputs of ${primary}`));
    });

    it("--upstreams tells the workflow the same without AWS credentials; a stack the backend does not have is a verdict", async () => {
        const r = await deploy(
            { ...fresh, [q(primary)]: exportsAll, [q(global)]: null },
            {},
            "--upstreams",
            "--stacks",
            `${secondaries[0]},${global}`,
        );
        expect(r.status, r.stderr).to.equal(0);
        const out = Object.fromEntries(
            r.stdout
                .trim()
                .split("\n")
                .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
        );
        expect(JSON.parse(out.previewable)).to.deep.equal([secondaries[0]]);
        expect(JSON.parse(out.waiting)).to.deep.equal([global]);
        expect(out.report).to.match(
            new RegExp(`^not yet ${global}: the stack does not exist; create it with`),
        );
        expect(r.calls.some((c) => c[0] === "preview")).to.equal(false);
    });

    it("--upstreams: a region stack with outputs but not logLanding holds the global stack back, naming it", async () => {
        const edge = topology.regions.find((r) => r.region === EDGE_REGION)!.stack;
        const { logLanding: _gone, ...old } = exportsAll;
        void _gone;
        const r = await deploy(
            { ...Object.fromEntries(all.map((s) => [q(s), exportsAll])), [q(edge)]: old },
            {},
            "--upstreams",
            "--stacks",
            global,
        );
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.include(`waiting=${JSON.stringify([global])}`);
        expect(r.stdout).to.include("previewable=[]");
        expect(r.stdout).to.match(
            new RegExp(`report=waits ${global}: waits for ${edge} to export logLanding `),
        );
    });

    it("any other backend error stops before any preview, with the CLI's message", async () => {
        const broken = await deploy(
            fresh,
            { ...aws, FAKE_PULUMI_OUTPUT_ERROR: "unauthorized" },
            "--preview",
        );
        expect(broken.status).to.equal(1);
        expect(broken.stderr).to.match(
            /pulumi stack output --stack \S+ failed: error: unauthorized/,
        );
        expect(broken.calls.some((c) => c[0] === "preview")).to.equal(false);
    });
});
