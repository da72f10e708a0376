/**
 * The command lines behave alike (scripts/cli.ts): `--help` on each prints its usage and the
 * shared exit codes; an unknown `--stack` gets a "did you mean"; a configuration error, a policy
 * violation and an internal failure exit with distinct codes, the same in every script.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { EXIT, EXIT_CODES_HELP, internalFailure, wantsHelp } from "../../scripts/cli";
import { main as planMain } from "../../scripts/plan";
import { main as policyCheckMain } from "../../scripts/policy-check";
import { main as planDiffMain } from "../../scripts/plan-diff";
import { main as structureMain } from "../../scripts/structure";
import { main as benchMain, parseArgs as parseBenchArgs } from "../../scripts/bench";
import { main as opsMain } from "../../scripts/ops";
import { UnknownStackError, deployWaves } from "../../delivery/order";
import { parseDeployArgs } from "../../delivery/args";
import { REPO_ROOT, readProjectFiles, validateAll } from "../../plan/run";
import { inProcess, inProcessAsync, spawnScript } from "../helpers/cli";
import { tempDir } from "../helpers/tmp";

/** The message parseDeployArgs refuses `argv` with. */
function parseDeployArgsMessage(argv: string[]): string {
    try {
        parseDeployArgs(argv);
    } catch (e) {
        return (e as Error).message;
    }
    return "";
}

describe("command lines (scripts/cli.ts)", function () {
    this.timeout(30_000);

    it("gives each exit-code meaning its own number", () => {
        const codes = Object.values(EXIT);
        expect(new Set(codes).size).to.equal(codes.length);
        expect([EXIT.FAILED, EXIT.INPUT, EXIT.INTERNAL]).to.deep.equal([1, 2, 4]);
    });

    it("takes --help or -h anywhere before --, not after it", () => {
        expect(wantsHelp(["--stack", "x", "--help"])).to.equal(true);
        expect(wantsHelp(["-h"])).to.equal(true);
        expect(wantsHelp(["--", "--help"])).to.equal(false);
        expect(wantsHelp(["--stack", "help"])).to.equal(false);
    });

    const synchronous: [string, (argv: string[]) => number, string][] = [
        ["policy:check", policyCheckMain, "npm run policy:check --"],
        ["plan:diff", planDiffMain, "npm run plan:diff --"],
        ["structure", structureMain, "npm run structure"],
        ["bench", benchMain, "npm run bench"],
    ];
    for (const [name, main, usage] of synchronous) {
        it(`${name} --help prints its usage and the shared exit codes, and exits 0`, () => {
            const r = inProcess(main, ["--help"]);
            expect(r.code, r.stderr).to.equal(EXIT.OK);
            expect(r.stdout).to.include(usage).and.include(EXIT_CODES_HELP);
        });
    }

    it("plan --help prints every flag and the exit codes without planning", async () => {
        const r = await inProcessAsync(planMain, ["--help"]);
        expect(r.code).to.equal(EXIT.OK);
        for (const flag of ["--stack", "--out", "--dir", "--policy-pack-config"])
            expect(r.stdout).to.include(flag);
        expect(r.stdout).to.include(EXIT_CODES_HELP).and.not.include("== stack");
    });

    it("ops prints its usage with no arguments, and with --help, exiting 0", async () => {
        for (const argv of [[], ["--help"]]) {
            const r = await inProcessAsync(opsMain, argv);
            expect(r.code, r.stderr).to.equal(EXIT.OK);
            expect(r.stdout)
                .to.include("npm run ops -- night-mode")
                .and.include("npm run ops -- aurora")
                .and.include(EXIT_CODES_HELP);
            expect(r.stderr).to.equal("");
        }
    });

    it("ops exits with the input code on a bad command line, naming the problem", async () => {
        const r = await inProcessAsync(opsMain, ["aurora", "switchover", "--to", "us-east-1"]);
        expect(r.code).to.equal(EXIT.INPUT);
        expect(r.stderr).to.include("--global-cluster is required");
    });

    it("plan suggests the stack an unknown --stack most likely meant, as a config error", async () => {
        const r = await inProcessAsync(planMain, ["--stack", "eu-west1"]);
        expect(r.code).to.equal(EXIT.INPUT);
        expect(r.stderr)
            .to.include("configuration error; nothing was planned")
            .and.include('--stack: "eu-west1" is not allowed; did you mean eu-west-1?');
        const far = await inProcessAsync(planMain, ["--stack", "mars-north-9"]);
        expect(far.stderr).to.include('"mars-north-9" is not allowed').and.not.include("did you");
    });

    it("every script names a misspelled flag with the one it meant and exits 2", async () => {
        type Main = (argv: string[]) => number | Promise<number>;
        const cases: [string, Main, string[], string][] = [
            ["plan", planMain, ["--stak", "global"], "--stack"],
            [
                "policy:check",
                policyCheckMain,
                ["--policy-pack-confg", "x", "p.json"],
                "--policy-pack-config",
            ],
            ["bench", benchMain, ["--run", "3"], "--runs"],
            ["ops", opsMain, ["aurora", "switchover", "--global-clustr", "g"], "--global-cluster"],
        ];
        for (const [name, main, argv, meant] of cases) {
            const wrong = argv.find((a) => a.startsWith("--"));
            const r = await inProcessAsync(async (a) => main(a), argv);
            expect(r.code, `${name}: ${r.stderr}`).to.equal(EXIT.INPUT);
            expect(r.stderr, name).to.include(
                `unknown argument "${wrong}": did you mean ${meant}? allowed: `,
            );
        }
        expect(parseDeployArgsMessage(["--stack", "global"])).to.include(
            'unknown argument "--stack": did you mean --stacks? allowed: --preview',
        );
        const far = await inProcessAsync(planMain, ["--zzzzzz"]);
        expect(far.stderr)
            .to.include('unknown argument "--zzzzzz"; allowed: --stack')
            .and.not.include("did you");
    });

    it("bench runs npm test once unless --test-runs asks for more, and refuses a count below 1", async () => {
        expect(parseBenchArgs([])).to.deep.include({ runs: 5, test: true, testRuns: 1 });
        expect(parseBenchArgs(["--test-runs", "3", "--runs", "2"])).to.deep.include({
            runs: 2,
            testRuns: 3,
        });
        const bad = await inProcessAsync(async (a) => benchMain(a), ["--test-runs", "0"]);
        expect(bad.code).to.equal(EXIT.INPUT);
        expect(bad.stderr).to.include("--test-runs needs a number >= 1, got 0");
    });

    it("deploy suggests the stack an unknown --stacks name most likely meant", () => {
        const topology = Object.values(validateAll(readProjectFiles(REPO_ROOT)))[0].topology;
        expect(() => deployWaves(topology, ["globl", "us-east-1"]))
            .to.throw(UnknownStackError)
            .with.property("message")
            .that.includes('"globl": did you mean global?');
    });

    it("policy:check: a bad plan file is an input error (2), a violation is 1", () => {
        const dir = tempDir("cli-codes-");
        const bad = path.join(dir, "bad.json");
        fs.writeFileSync(bad, "{ not json");
        expect(inProcess(policyCheckMain, [bad]).code).to.equal(EXIT.INPUT);
        // A KMS key tagged as EU data in us-east-1: residency-region-outside-zone.
        const plan = {
            stack: "us-east-1",
            region: "us-east-1",
            resources: [
                {
                    urn: "urn:pulumi:us-east-1::taskflow::aws:kms/key:Key::k",
                    type: "aws:kms/key:Key",
                    name: "k",
                    region: "us-east-1",
                    providerRegion: "us-east-1",
                    inputs: { tags: { "data-residency": "eu" } },
                },
            ],
        };
        const file = path.join(dir, "us-east-1.json");
        fs.writeFileSync(file, JSON.stringify(plan));
        const r = inProcess(policyCheckMain, [file]);
        expect(r.code, r.stdout + r.stderr).to.equal(EXIT.FAILED);
        expect(r.stdout).to.include("[mandatory]");
    });

    it("reports an unexpected error as an internal failure (4) with its stack trace", () => {
        const r = inProcess(() => internalFailure("plan", new TypeError("boom")), []);
        expect(r.code).to.equal(EXIT.INTERNAL);
        expect(r.stderr).to.match(/^plan: internal failure: TypeError: boom\n\s+at /);
    });

    it("deploy --help through the real command line prints the usage and the exit codes", () => {
        const r = spawnScript("scripts/deploy.ts", ["--help"]);
        expect(r.code, r.stderr).to.equal(EXIT.OK);
        expect(r.stdout).to.include("usage: npm run deploy").and.include(EXIT_CODES_HELP);
    });

    it("ops with no arguments through the real command line prints its usage", () => {
        const r = spawnScript("scripts/ops.ts", []);
        expect(r.code, r.stderr).to.equal(EXIT.OK);
        expect(r.stdout).to.include("npm run ops -- night-mode");
    });
});
