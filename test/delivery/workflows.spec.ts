/**
 * The GitHub Actions workflows cannot run here, so this spec reads them the way Actions would:
 * it resolves each job matrix through `needs.<job>.outputs` to the step that prints the waves,
 * runs that step's command (`npm run deploy -- --print-waves`), orders the jobs by `needs:`, and
 * compares the result with the topology's waves.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as YAML from "yaml";
import { stacksInOrder } from "../../config";
import { parseDeployArgs } from "../../delivery/args";
import { deployWaves } from "../../delivery/order";
import { StackState, previewReadiness, readinessAsGithubOutputs } from "../../delivery/upstreams";
import { requiredOutputs } from "../../regions/contract";
import { everyReadOutput } from "./fake-pulumi";
import { REPO_ROOT, projectTopology } from "./fixtures";
import { tempDir } from "../helpers/tmp";

type Job = Record<string, any>;
type Workflow = {
    on: Record<string, any>;
    jobs: Record<string, Job>;
    concurrency?: any;
    permissions?: any;
};

const WORKFLOWS = path.join(REPO_ROOT, ".github", "workflows");
const PRINT_WAVES = 'npm run --silent deploy -- --print-waves >> "$GITHUB_OUTPUT"';

function load(file: string): Workflow {
    const doc = YAML.parseDocument(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));
    expect(
        doc.errors.map((e) => e.message),
        file,
    ).to.deep.equal([]);
    return doc.toJS() as Workflow;
}

const expr = (s: unknown, re: RegExp): RegExpExecArray | null =>
    typeof s === "string" ? re.exec(s.trim()) : null;

/** Every string in a parsed YAML value, with its dotted path. */
function strings(value: unknown, at = ""): [string, string][] {
    if (typeof value === "string") return [[at, value]];
    if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
    if (value && typeof value === "object") {
        return Object.entries(value).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
    }
    return [];
}

const SECRET_PATTERNS: [string, RegExp][] = [
    ["AWS access key id", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
    ["Pulumi access token", /\bpul-[0-9a-f]{40}\b/],
    ["GitHub token", /\b(ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{22,}/],
    ["private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
    ["AWS account id in an ARN", /arn:aws:iam::\d{12}:/],
];
const SENSITIVE_NAME =
    /token|secret|password|passphrase|credential|private[-_]?key|access[-_]?key/i;

/**
 * Plain-text secrets in a workflow: known credential formats anywhere, and any sensitive-looking
 * `env`/`with` entry whose value is not a `${{ secrets.* }}` (or `github.token`) expression.
 */
export function plaintextSecrets(workflow: unknown): string[] {
    const found: string[] = [];
    for (const [at, value] of strings(workflow)) {
        for (const [what, re] of SECRET_PATTERNS) if (re.test(value)) found.push(`${at}: ${what}`);
        const key = at.split(".").pop() ?? "";
        if (/\.(env|with)\./.test(`.${at}`) && SENSITIVE_NAME.test(key)) {
            if (!/^\$\{\{\s*(secrets\.[A-Z0-9_]+|github\.token)\s*\}\}$/.test(value.trim())) {
                found.push(`${at}: sensitive value not taken from secrets`);
            }
        }
    }
    return found;
}

describe("delivery: GitHub Actions workflows", () => {
    const topology = projectTopology();
    const preview = load("preview.yml");
    const deploy = load("deploy.yml");
    let printed: Record<string, string[] | string>;

    before(() => {
        // The command the workflows run to get the waves, run for real (no CLI or credentials needed).
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        expect(pkg.scripts.deploy).to.equal("node -r ./scripts/register.js scripts/deploy.ts");
        const r = spawnSync(
            process.execPath,
            ["-r", "./scripts/register.js", "scripts/deploy.ts", "--print-waves"],
            {
                cwd: REPO_ROOT,
                encoding: "utf8",
            },
        );
        expect(r.status, r.stderr).to.equal(0);
        printed = Object.fromEntries(
            r.stdout
                .trim()
                .split("\n")
                .map((line) => {
                    const [k, ...v] = line.split("=");
                    const value = v.join("=");
                    return [k, value.startsWith("[") ? JSON.parse(value) : value];
                }),
        );
    });

    /** Resolves `${{ fromJSON(needs.J.outputs.K) }}` / `${{ needs.J.outputs.K }}` to the printed waves. */
    function resolveNeeds(wf: Workflow, job: Job, value: unknown): string[] | string {
        const m = expr(
            value,
            /^\$\{\{\s*(?:fromJSON\()?needs\.([\w-]+)\.outputs\.(\w+)\)?\s*\}\}$/,
        );
        expect(m, `${String(value)} reads a job output`).to.not.equal(null);
        const [, producer, key] = m!;
        expect([job.needs].flat(), `the job needs ${producer}`).to.include(producer);
        const out = expr(
            wf.jobs[producer].outputs?.[key],
            /^\$\{\{\s*steps\.([\w-]+)\.outputs\.(\w+)\s*\}\}$/,
        );
        expect(out, `${producer}.outputs.${key} comes from a step`).to.not.equal(null);
        const step = (wf.jobs[producer].steps as Job[]).find((s) => s.id === out![1]);
        expect(step?.run, `step ${out![1]} prints the waves`).to.equal(PRINT_WAVES);
        expect(printed, `printed key ${out![2]}`).to.have.property(out![2]);
        return printed[out![2]];
    }

    /** The job's Pulumi step running `command` (default: the job's last Pulumi step). */
    const pulumiStep = (job: Job, command?: string): Job => {
        const steps = (job.steps as Job[]).filter(
            (s) =>
                typeof s.uses === "string" &&
                s.uses.startsWith("pulumi/actions@") &&
                (command === undefined || s.with?.command === command),
        );
        expect(
            steps.length,
            `Pulumi steps${command ? ` running ${command}` : ""}`,
        ).to.be.greaterThan(0);
        if (command !== undefined) expect(steps).to.have.length(1);
        return steps[steps.length - 1];
    };
    /** Jobs with a Pulumi step that runs a command (not the rollout's install-only step). */
    const pulumiJobs = (wf: Workflow) =>
        Object.entries(wf.jobs).filter(([, j]) =>
            (j.steps as Job[]).some(
                (s) => String(s.uses ?? "").startsWith("pulumi/actions@") && s.with?.command,
            ),
        );

    /** Checks one job that runs Pulumi: OIDC role from vars, token from secrets, policy pack. */
    function checkPulumiJob(wf: Workflow, name: string, job: Job, command: string): string[] {
        const step = pulumiStep(job, command);
        const steps = job.steps as Job[];
        // The steps that run a Pulumi command (not an install-only step of the CLI).
        const pulumiSteps = steps.filter(
            (s) => String(s.uses ?? "").startsWith("pulumi/actions@") && s.with?.command,
        );
        for (const p of pulumiSteps) {
            expect(p.uses, name).to.equal("pulumi/actions@v6");
            expect(p.with.policyPacks, `${name}: ${p.with.command} runs the policy pack`).to.equal(
                "policies",
            );
            // With the committed pack config: the matrix the offline plan judges with.
            expect(
                p.with.policyPackConfigs,
                `${name}: ${p.with.command} passes the committed pack config`,
            ).to.equal("policies/policy-config.json");
            expect(p.with["stack-name"], name).to.equal(step.with["stack-name"]);
            expect(p.env.PULUMI_ACCESS_TOKEN, name).to.match(
                /^\$\{\{\s*secrets\.PULUMI_ACCESS_TOKEN\s*\}\}$/,
            );
        }
        if (command === "up") {
            // Stack policies report only after `up` applied its steps: preview first.
            const preview = pulumiStep(job, "preview");
            expect(steps.indexOf(preview), `${name} previews before up`).to.be.lessThan(
                steps.indexOf(step),
            );
        }
        // The pack installs from its own lock file before Pulumi loads it.
        const packInstall = steps.findIndex(
            (s) => s.run === "npm ci" && s["working-directory"] === "policies",
        );
        expect(packInstall, `${name} installs the policy pack`).to.be.greaterThan(-1);
        expect(packInstall).to.be.lessThan(steps.indexOf(pulumiSteps[0]));
        expect(job.permissions?.["id-token"], `${name} may request an OIDC token`).to.equal(
            "write",
        );
        const aws = steps.findIndex((s) =>
            String(s.uses ?? "").startsWith("aws-actions/configure-aws-credentials@"),
        );
        expect(aws, `${name} configures AWS credentials`).to.be.greaterThan(-1);
        expect(aws, `${name} configures AWS before Pulumi runs`).to.be.lessThan(
            steps.indexOf(pulumiSteps[0]),
        );
        expect(steps[aws].with["role-to-assume"], name).to.match(
            /^\$\{\{\s*vars\.[A-Z0-9_]+\s*\}\}$/,
        );
        expect(steps[aws].with, `${name} uses OIDC, not static keys`).to.not.have.any.keys(
            "aws-access-key-id",
            "aws-secret-access-key",
        );
        expect(step.with["stack-name"], name).to.match(
            /^\$\{\{\s*needs\.[\w-]+\.outputs\.org\s*\}\}\/\$\{\{\s*matrix\.stack\s*\}\}$/,
        );
        const org = resolveNeeds(wf, job, step.with["stack-name"].split("/")[0]);
        expect(org).to.equal(topology.org);
        const stacks = resolveNeeds(wf, job, job.strategy.matrix.stack);
        expect(stacks).to.be.an("array");
        return stacks as string[];
    }

    it("both workflow files parse", () => {
        expect(Object.keys(preview.jobs)).to.include.members(["offline", "preview"]);
        expect(Object.keys(deploy.jobs)).to.include.members(["primary", "secondaries", "global"]);
    });

    it("runs the offline plan and the tests on every pull request, without credentials", () => {
        expect(preview.on).to.have.property("pull_request");
        const offline = preview.jobs.offline;
        const runs = (offline.steps as Job[]).map((s) => s.run).filter(Boolean);
        expect(runs).to.include.members(["npm ci", "npm run plan", "npm test"]);
        expect(JSON.stringify(offline)).to.not.match(/secrets\.|vars\.|id-token/);
    });

    it("previews every stack of the topology with the policy pack and comments on the PR", () => {
        const job = preview.jobs.preview;
        const stacks = checkPulumiJob(preview, "preview", job, "preview");
        expect(stacks).to.deep.equal(stacksInOrder(topology));
        expect(pulumiStep(job).with["comment-on-pr"]).to.equal(true);
        expect(job.permissions["pull-requests"]).to.equal("write");
        expect(
            job.strategy["fail-fast"],
            "one failing stack must not hide the others' previews",
        ).to.equal(false);
    });

    it("deploys on push to main in the topology's waves: primary, secondaries in one parallel matrix, global", () => {
        expect(deploy.on.push.branches).to.deep.equal(["main"]);
        const jobs = pulumiJobs(deploy);
        const matrices = Object.fromEntries(
            jobs.map(([name, job]) => [name, checkPulumiJob(deploy, name, job, "up")]),
        );
        // Order the Pulumi jobs by `needs:` (longest path): jobs on one level run in parallel.
        const level = (name: string): number =>
            Math.max(
                0,
                ...[deploy.jobs[name].needs ?? []]
                    .flat()
                    .filter((n: string) => n in matrices)
                    .map((n: string) => level(n) + 1),
            );
        const levels: string[][] = [];
        for (const [name] of jobs) (levels[level(name)] ??= []).push(name);
        expect(
            levels.map((names) => names.length),
            "one job (matrix) per wave",
        ).to.deep.equal(levels.map(() => 1));
        expect(levels.map(([name]) => matrices[name])).to.deep.equal(
            deployWaves(topology).map((w) => w.stacks),
        );
        expect(deploy.jobs.secondaries.strategy["fail-fast"]).to.equal(false);
    });

    it("never starts a later wave after a failed one", () => {
        // `global` overrides the default success() check only to accept a skipped (empty) secondary wave.
        const cond = String(deploy.jobs.global.if);
        expect(cond).to.not.match(/always\(\)/);
        expect(cond).to.include("needs.primary.result == 'success'");
        expect(cond).to.include("needs.secondaries.result == 'success'");
        expect(deploy.jobs.secondaries.if ?? "").to.not.match(/always\(\)|failure\(\)/);
        expect(deploy.jobs.primary.if).to.equal(undefined);
    });

    it("serializes deploys: one run at a time and one update per stack, never cancelled", () => {
        expect(deploy.concurrency).to.deep.equal({
            group: "deploy-production",
            "cancel-in-progress": false,
        });
        for (const [name, job] of pulumiJobs(deploy)) {
            expect(job.concurrency, name).to.deep.equal({
                group: "deploy-${{ matrix.stack }}",
                "cancel-in-progress": false,
            });
            expect(job.environment, `${name} is gated by environment protection`).to.equal(
                "production",
            );
        }
        expect(preview.concurrency.group).to.match(
            /^preview-\$\{\{ github\.event\.pull_request\.number \}\}$/,
        );
    });

    it("rolls an app change out region by region first, and runs the waves only for an infrastructure change", () => {
        const job = deploy.jobs.rollout;
        const steps = job.steps as Job[];
        const run = steps.find((s) => s.id === "rollout")!;
        expect(run.run).to.include("npm run --silent deploy -- --rollout\n");
        expect(job.outputs.kind).to.match(/^\$\{\{\s*steps\.rollout\.outputs\.kind\s*\}\}$/);
        expect(run.env.PULUMI_ACCESS_TOKEN).to.match(
            /^\$\{\{\s*secrets\.PULUMI_ACCESS_TOKEN\s*\}\}$/,
        );
        expect(job.environment).to.equal("production");
        expect(job.permissions["id-token"]).to.equal("write");
        // What npm run deploy needs is in place before it runs: the pack, the CLI, AWS (OIDC).
        const at = (pred: (s: Job) => boolean) => steps.findIndex(pred);
        const pack = at((s) => s.run === "npm ci" && s["working-directory"] === "policies");
        const cli = at((s) => s.uses === "pulumi/actions@v6" && !s.with?.command);
        const aws = at((s) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
        for (const [what, i] of Object.entries({ pack, cli, aws })) {
            expect(i, what).to.be.greaterThan(-1);
            expect(i, what).to.be.lessThan(steps.indexOf(run));
        }
        expect(steps[aws].with["role-to-assume"]).to.match(/^\$\{\{\s*vars\.[A-Z0-9_]+\s*\}\}$/);
        // The waves (and every job after them) run only when the rollout says "infra".
        expect(deploy.jobs.waves.needs).to.equal("rollout");
        expect(deploy.jobs.waves.if).to.equal("needs.rollout.outputs.kind == 'infra'");
        const needsWaves = (name: string): boolean =>
            name === "waves" ||
            [deploy.jobs[name].needs ?? []].flat().some((n: string) => needsWaves(n));
        for (const [name] of pulumiJobs(deploy)) expect(needsWaves(name), name).to.equal(true);
    });

    it("maps the rollout's exit codes to the waves: 3 hands over, 0 deploys nothing more, 1 fails the run", () => {
        // The step's shell, run the way Actions runs it (bash -e -o pipefail), with npm replaced
        // by a stub exiting with each code npm run deploy -- --rollout can return.
        const script = (deploy.jobs.rollout.steps as Job[]).find((s) => s.id === "rollout")!.run;
        const dir = tempDir("taskflow-workflow-");
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        fs.writeFileSync(path.join(bin, "npm"), '#!/bin/sh\nexit "$STUB_EXIT"\n', { mode: 0o755 });
        const outcome = (code: number) => {
            const out = path.join(dir, `out-${code}`);
            fs.writeFileSync(out, "");
            const r = spawnSync(
                "bash",
                ["--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                {
                    env: {
                        PATH: `${bin}:/usr/bin:/bin`,
                        GITHUB_OUTPUT: out,
                        STUB_EXIT: String(code),
                    },
                    encoding: "utf8",
                },
            );
            return { status: r.status, output: fs.readFileSync(out, "utf8").trim() };
        };
        expect(outcome(3)).to.deep.equal({ status: 0, output: "kind=infra" });
        expect(outcome(0)).to.deep.equal({ status: 0, output: "kind=app" });
        expect(outcome(1)).to.deep.equal({ status: 1, output: "kind=app" });
        expect(outcome(2).status).to.equal(2);
    });

    it("shows on every pull request which regions the change rolls through, without credentials", () => {
        const steps = preview.jobs.offline.steps as Job[];
        const base = steps.findIndex(
            (s) =>
                String(s.uses).startsWith("actions/checkout@") &&
                s.with?.ref === "${{ github.event.pull_request.base.sha }}",
        );
        const tests = steps.findIndex((s) => s.run === "npm test");
        expect(base, "the base branch is checked out after the tests").to.be.greaterThan(tests);
        const plans = steps.find((s) => String(s.run).includes('--out "$RUNNER_TEMP/plan-base"'))!;
        expect(plans.run).to.include('npm run plan -- --quiet --out "$RUNNER_TEMP/plan-head"');
        const show = steps.find((s) => String(s.run).includes("--rollout --preview"))!;
        expect(show.run).to.include(
            'npm run --silent deploy -- --rollout --preview --base-plan "$RUNNER_TEMP/plan-base" --head-plan "$RUNNER_TEMP/plan-head"',
        );
        expect(show.run).to.include("$GITHUB_STEP_SUMMARY");
        expect(steps.indexOf(show)).to.be.greaterThan(steps.indexOf(plans));
    });

    it("holds no secret in plain text: tokens from secrets, AWS through OIDC", () => {
        expect(plaintextSecrets(preview)).to.deep.equal([]);
        expect(plaintextSecrets(deploy)).to.deep.equal([]);
        const text = ["preview.yml", "deploy.yml"]
            .map((f) => fs.readFileSync(path.join(WORKFLOWS, f), "utf8"))
            .join("\n");
        for (const [what, re] of SECRET_PATTERNS) expect(re.test(text), what).to.equal(false);
    });

    it("the secret scan catches planted credentials", () => {
        const planted = JSON.parse(JSON.stringify(deploy)) as Workflow;
        const step = pulumiStep(planted.jobs.global);
        step.env.PULUMI_ACCESS_TOKEN = `pul-${"a1".repeat(20)}`;
        step.env.AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
        (planted.jobs.primary.steps as Job[]).find((s) =>
            String(s.uses ?? "").startsWith("aws-actions/configure-aws-credentials@"),
        )!.with["role-to-assume"] = "arn:aws:iam::123456789012:role/deploy";
        const found = plaintextSecrets(planted);
        expect(found.some((f) => f.includes("Pulumi access token"))).to.equal(true);
        expect(found.some((f) => f.includes("AWS access key id"))).to.equal(true);
        expect(
            found.some((f) =>
                f.endsWith("PULUMI_ACCESS_TOKEN: sensitive value not taken from secrets"),
            ),
        ).to.equal(true);
        expect(found.some((f) => f.includes("AWS account id"))).to.equal(true);
    });

    it("on a brand-new organisation's first pull request: previews what can be previewed, names what waits and for which upstream, and passes", () => {
        const job = preview.jobs.preview;
        const steps = job.steps as Job[];
        const check = steps.find((s) => s.id === "upstreams")!;
        // The step runs `npm run deploy -- --upstreams` for the matrix stack, after the CLI is
        // installed, with the Pulumi token and nothing else secret.
        expect(check.run).to.equal(
            'npm run --silent deploy -- --upstreams --stacks "$STACK" >> "$GITHUB_OUTPUT"',
        );
        expect(check.env.STACK).to.match(/^\$\{\{\s*matrix\.stack\s*\}\}$/);
        expect(check.env.PULUMI_ACCESS_TOKEN).to.match(
            /^\$\{\{\s*secrets\.PULUMI_ACCESS_TOKEN\s*\}\}$/,
        );
        expect(check["continue-on-error"], "a failed check fails the job").to.equal(undefined);
        const install = steps.findIndex(
            (s) => String(s.uses ?? "").startsWith("pulumi/actions@") && !s.with,
        );
        expect(install).to.be.greaterThan(-1);
        expect(install).to.be.lessThan(steps.indexOf(check));
        // What `--upstreams` prints for each matrix stack in a given backend state (tested
        // through the CLI in upstreams.spec.ts), fed to the steps' `if:` as Actions would.
        const stacks = resolveNeeds(preview, job, job.strategy.matrix.stack) as string[];
        const runs = (stack: string, stateOf: (s: string) => StackState) => {
            const argv = check.run.replace('"$STACK"', stack).split(" ").slice(5, -2);
            expect(parseDeployArgs(argv)).to.include({ upstreams: true });
            expect(parseDeployArgs(argv).stacks).to.deep.equal([stack]);
            const rs = previewReadiness(topology, [stack], stateOf, requiredOutputs);
            const outputs: Record<string, string> = Object.fromEntries(
                readinessAsGithubOutputs(topology, rs)
                    .split("\n")
                    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
            );
            const ran = steps
                .filter((s) => s.if === undefined || ifHolds(s.if, stack, outputs))
                .map((s) => ({ step: s, outputs }));
            return {
                previewed: ran.some(({ step }) => step.with?.command === "preview"),
                notice: ran.find(({ step }) => /notice/.test(String(step.run ?? ""))),
            };
        };
        const primary = topology.regions.find((r) => r.primary)!.stack;
        const global = topology.globalStack;
        const updated =
            (...done: string[]) =>
            (s: string): StackState => ({
                exists: true,
                outputs: done.includes(s) ? everyReadOutput() : [],
            });
        // Stacks initialised, none updated (the first pull request): only the primary previews.
        for (const stack of stacks) {
            const { previewed, notice } = runs(stack, updated());
            expect(previewed, stack).to.equal(stack === primary);
            expect(Boolean(notice), stack).to.equal(stack !== primary);
            if (notice) {
                expect(notice.step.env.REPORT).to.match(
                    /^\$\{\{\s*steps\.upstreams\.outputs\.report\s*\}\}$/,
                );
                expect(notice.outputs.report).to.match(
                    new RegExp(`^waits ${stack}: reads the outputs of ${primary} `),
                );
                expect(notice.step["continue-on-error"]).to.equal(undefined);
            }
        }
        // The primary's first `up` has run: every region stack previews, the global stack
        // still waits, naming a secondary it reads and not the primary.
        const secondaries = stacks.filter((s) => s !== primary && s !== global);
        expect(secondaries.length).to.be.greaterThan(0);
        for (const stack of stacks) {
            const { previewed, notice } = runs(stack, updated(primary));
            expect(previewed, `primary updated: ${stack}`).to.equal(stack !== global);
            expect(Boolean(notice), `primary updated: ${stack}`).to.equal(stack === global);
            if (notice) {
                expect(notice.outputs.report).to.contain(`reads the outputs of ${secondaries[0]} `);
                expect(notice.outputs.report).to.not.contain(`${primary} (`);
            }
        }
        // Every region stack updated: the global stack previews too, nothing waits.
        for (const stack of stacks) {
            const { previewed, notice } = runs(
                stack,
                updated(...stacks.filter((s) => s !== global)),
            );
            expect(previewed, `regions updated: ${stack}`).to.equal(true);
            expect(notice, `regions updated: ${stack}`).to.equal(undefined);
        }
        // A stack not initialised is not previewed (a preview would fail on the missing stack);
        // its notice says how to create it.
        const { previewed, notice } = runs(primary, (s) =>
            s === primary ? { exists: false } : { exists: true, outputs: [] },
        );
        expect(previewed).to.equal(false);
        expect(notice?.outputs.report).to.contain(`pulumi stack init ${topology.org}/${primary}`);
    });
});

/**
 * A step's `if:` as Actions evaluates the one form the preview job uses:
 * `contains(fromJSON(steps.<id>.outputs.<key>), matrix.stack)` (contains on an array: an element
 * equals the item; https://docs.github.com/en/actions/learn-github-actions/expressions#contains).
 */
function ifHolds(condition: string, stack: string, outputs: Record<string, string>): boolean {
    const m = /^contains\(fromJSON\(steps\.upstreams\.outputs\.(\w+)\), matrix\.stack\)$/.exec(
        condition.trim(),
    );
    if (!m) throw new Error(`condition not modelled: ${condition}`);
    return (JSON.parse(outputs[m[1]]) as string[]).includes(stack);
}
