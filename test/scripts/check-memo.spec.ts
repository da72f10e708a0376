// When `npm run check` prints its last verdict again instead of checking (scripts/check-memo.ts):
// only when every TypeScript file on disk, every other input the last program read and every
// config is byte for byte what the last run saw, with the same print mode; and a run whose inputs
// changed while it ran keeps no memo.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { memoAfterRun, memoStands, snapshot, sourcesOnDisk } from "../../scripts/check-memo";
import { tempDir } from "../helpers/tmp";

const SALT = "plain";
const RUN = { salt: SALT, output: "a.ts(1,1): error\n", code: 1 };
const INPUTS = ["tsconfig.json", "data.json"];

/** A repository: two sources, a nested one, an imported .json, a config, and node_modules. */
function repo(): string {
    const dir = tempDir("check-memo-");
    const put = (f: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), text);
    };
    put("a.ts", "export const a = 1;\n");
    put("lib/b.mts", "export const b = 2;\n");
    put("data.json", '{"x": 1}\n');
    put("tsconfig.json", "{}\n");
    put("tools/run.cjs", "module.exports = 1;\n"); // ESLint lints .cjs files by default
    put("notes.txt", "not an input\n");
    put("node_modules/dep/index.d.ts", "export {};\n");
    put(".git/x.ts", "not a source\n");
    return dir;
}

/** A memo kept by a run over `dir` in which nothing changed. */
const kept = (dir: string) => memoAfterRun(dir, INPUTS, snapshot(dir, INPUTS), RUN)!;

describe("check: when the last verdict is printed again", () => {
    it("lists the TypeScript files outside node_modules and .git", () => {
        expect(sourcesOnDisk(repo())).to.deep.equal(["a.ts", "lib/b.mts", "tools/run.cjs"]);
    });

    it("stands while nothing changed, and keeps what the run printed and its exit code", () => {
        const dir = repo();
        const memo = kept(dir);
        expect(memo).to.include({ output: RUN.output, code: 1, salt: SALT });
        expect(Object.keys(memo.snapshot).sort()).to.deep.equal([
            "a.ts",
            "data.json",
            "lib/b.mts",
            "tools/run.cjs",
            "tsconfig.json",
        ]);
        expect(memoStands(dir, memo, SALT)).to.equal(true);
        fs.writeFileSync(path.join(dir, "notes.txt"), "changed\n"); // not an input
        fs.writeFileSync(path.join(dir, "node_modules/dep/index.d.ts"), "export const y = 1;\n");
        expect(memoStands(dir, memo, SALT)).to.equal(true);
    });

    it("falls when a source, an imported file or a config changes, appears or goes", () => {
        const cases: Record<string, (dir: string) => void> = {
            "a source changed": (d) => fs.appendFileSync(path.join(d, "lib/b.mts"), "// x\n"),
            "a source added": (d) => fs.writeFileSync(path.join(d, "lib/c.cts"), ""),
            "a script changed": (d) => fs.appendFileSync(path.join(d, "tools/run.cjs"), "// x\n"),
            "a source removed": (d) => fs.rmSync(path.join(d, "a.ts")),
            "an imported .json changed": (d) => fs.writeFileSync(path.join(d, "data.json"), "{}"),
            "a config removed": (d) => fs.rmSync(path.join(d, "tsconfig.json")),
        };
        for (const [what, change] of Object.entries(cases)) {
            const dir = repo();
            const memo = kept(dir);
            change(dir);
            expect(memoStands(dir, memo, SALT), what).to.equal(false);
        }
    });

    it("falls with another print mode, and without a memo", () => {
        const dir = repo();
        expect(memoStands(dir, kept(dir), "tty")).to.equal(false);
        expect(memoStands(dir, undefined, SALT)).to.equal(false);
    });

    it("keeps no memo when an input changed while the run read it", () => {
        const dir = repo();
        const start = snapshot(dir, INPUTS);
        fs.appendFileSync(path.join(dir, "a.ts"), "// edited during the run\n");
        expect(memoAfterRun(dir, INPUTS, start, RUN)).to.equal(undefined);
        const again = repo();
        const before = snapshot(again, INPUTS);
        fs.writeFileSync(path.join(again, "late.ts"), "");
        expect(memoAfterRun(again, INPUTS, before, RUN), "a source added").to.equal(undefined);
        const third = repo();
        const early = snapshot(third, INPUTS);
        fs.rmSync(path.join(third, "lib/b.mts"));
        expect(memoAfterRun(third, INPUTS, early, RUN), "a source removed").to.equal(undefined);
    });

    it("takes at the end the inputs known only once the program is built", () => {
        const dir = repo();
        // The start snapshot had no memo to name data.json; the run found it in its program.
        const start = snapshot(dir, ["tsconfig.json"]);
        const memo = memoAfterRun(dir, INPUTS, start, RUN)!;
        expect(memo.snapshot).to.have.property("data.json");
        fs.writeFileSync(path.join(dir, "data.json"), "[]");
        expect(memoStands(dir, memo, SALT)).to.equal(false);
    });

    it("is written again after a source was removed (its entry is then 'missing')", () => {
        const dir = repo();
        const memo = kept(dir);
        fs.rmSync(path.join(dir, "a.ts"));
        expect(memoStands(dir, memo, SALT)).to.equal(false);
        // The next run's start snapshot names the removed file (from the memo); its end does not.
        const start = snapshot(dir, [...INPUTS, ...Object.keys(memo.snapshot)]);
        expect(start["a.ts"]).to.equal("missing");
        const next = memoAfterRun(dir, INPUTS, start, RUN);
        expect(next?.snapshot).to.not.have.property("a.ts");
        expect(memoStands(dir, next, SALT)).to.equal(true);
    });
});
