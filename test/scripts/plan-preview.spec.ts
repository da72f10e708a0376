/**
 * `npm run plan` through its command line, in-process (test/helpers/cli.ts): `--json` prints one
 * JSON document on stdout and nothing else there, with the totals `npm run policy:check`
 * reports over the plan files the same run wrote; the human preview carries no escape codes
 * when NO_COLOR is set or stdout is not a terminal (https://no-color.org); and through the real
 * command line, a document longer than a pipe's buffer arrives whole (Node writes to a pipe
 * asynchronously: https://nodejs.org/api/process.html#a-note-on-process-io).
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EXIT } from "../../scripts/cli";
import { main as planMain } from "../../scripts/plan";
import { main as policyCheckMain } from "../../scripts/policy-check";
import type { PreviewDocument } from "../../plan/preview-json";
import { REPO_ROOT } from "../../plan/run";
import { formatTotals } from "../../plan/totals";
import { inProcess, inProcessAsync } from "../helpers/cli";
import { tempDir } from "../helpers/tmp";

const ESC = /\x1b\[/;

/** Runs `fn` with the given environment variables and stdout's isTTY, restoring both after. */
async function withTerminal<T>(
    env: Record<string, string | undefined>,
    isTTY: boolean,
    fn: () => Promise<T>,
): Promise<T> {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    const tty = Object.getOwnPropertyDescriptor(process.stdout, "isTTY");
    for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    Object.defineProperty(process.stdout, "isTTY", { value: isTTY, configurable: true });
    try {
        return await fn();
    } finally {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
        if (tty) Object.defineProperty(process.stdout, "isTTY", tty);
        else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
}

describe("npm run plan's preview on the command line", function () {
    this.timeout(60_000);

    it("--json prints one document whose totals are policy:check's over the files it wrote", async () => {
        const out = tempDir("plan-json-");
        // Two stacks (and ap-northeast-1 upstream, planned but not shown): cheaper than all four.
        const r = await inProcessAsync(planMain, [
            "--json",
            "--out",
            out,
            "--stack",
            "us-east-1,eu-west-1",
        ]);
        expect(r.code, r.stderr).to.equal(EXIT.OK);
        const doc = JSON.parse(r.stdout) as PreviewDocument;
        expect(r.stderr).to.include(`wrote ${path.join(out, "us-east-1.json")}`);
        expect(doc.stacks.map((s) => s.stack)).to.deep.equal(["us-east-1", "eu-west-1"]);
        expect(doc.stacks.every((s) => s.reads.some((x) => x.id.endsWith("/ap-northeast-1")))).to.be
            .true;
        const files = doc.stacks.map((s) => path.join(out, `${s.stack}.json`));
        for (const s of doc.stacks) {
            const file = JSON.parse(fs.readFileSync(path.join(out, `${s.stack}.json`), "utf8")) as {
                resources: { urn: string; parent: string | null }[];
            };
            expect(s.resources.map((x) => [x.urn, x.parent])).to.deep.equal(
                file.resources.map((x) => [x.urn, x.parent]),
            );
            expect(s.changeSummary.create, s.stack).to.equal(file.resources.length);
        }
        const check = inProcess(policyCheckMain, files);
        expect(check.code, check.stdout + check.stderr).to.equal(EXIT.OK);
        expect(check.stdout.trim().split("\n").at(-1)).to.equal(
            `policy:check: ${formatTotals(doc.totals)}`,
        );
        expect(doc.totals.resources).to.equal(
            doc.stacks.reduce((n, s) => n + s.resources.length, 0),
        );
        expect(doc.totals.mandatory).to.equal(0);
        expect(doc.policyPack.config).to.equal("policies/policy-config.json");
    });

    it("--json through the real command line and a pipe: the whole document, past 64 KiB", () => {
        // A shell pipe (pipe(2), 64 KiB), as in `npm run --silent plan -- --json | jq`; node's own
        // child stdio is a socket pair with a larger buffer, which would hide the truncation.
        const command = `"${process.execPath}" -r ./scripts/register.js scripts/plan.ts --json --stack ap-northeast-1 | cat`;
        const sh = spawnSync("sh", ["-c", command], { cwd: REPO_ROOT, encoding: "utf8" });
        const r = { code: sh.status, stdout: sh.stdout, stderr: sh.stderr };
        expect(r.code, r.stderr).to.equal(EXIT.OK);
        expect(r.stdout.length, "longer than a pipe buffer, or this proves nothing").to.be.above(
            65536,
        );
        const doc = JSON.parse(r.stdout) as PreviewDocument;
        expect(doc.stacks.map((s) => s.stack)).to.deep.equal(["ap-northeast-1"]);
    });

    it("prints no escape code with NO_COLOR on a terminal, nor off a terminal, but does with FORCE_COLOR", async () => {
        const argv = ["--stack", "ap-northeast-1"];
        const noColor = await withTerminal({ NO_COLOR: "1", FORCE_COLOR: "1" }, true, () =>
            inProcessAsync(planMain, argv),
        );
        expect(noColor.code, noColor.stderr).to.equal(EXIT.OK);
        expect(noColor.stdout).to.include("Resources:\n    + ").and.not.match(ESC);
        const piped = await withTerminal(
            { NO_COLOR: undefined, FORCE_COLOR: undefined },
            false,
            () => inProcessAsync(planMain, argv),
        );
        expect(piped.stdout).to.include(" +   ├─ ").and.not.match(ESC);
        const forced = await withTerminal({ NO_COLOR: undefined, FORCE_COLOR: "1" }, false, () =>
            inProcessAsync(planMain, argv),
        );
        expect(forced.stdout).to.match(ESC);
    });
});
