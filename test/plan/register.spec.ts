import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
const REGISTER = path.join(ROOT, "scripts", "register.js");

// The transpiled code drops the type-only lines and adds esbuild's CommonJS export prelude, so
// unmapped positions are not the TypeScript ones: `explode` throws on line 6, column 11 of the .ts.
const SOURCE = (tail: string[]) =>
    [
        "interface Shape {", // 1
        "    kind: string;", // 2
        "}", // 3
        "type Kind = Shape['kind'];", // 4
        "export function explode(kind: Kind): never {", // 5
        "    throw new Error(`boom ${kind}`);", // 6
        "}", // 7
        "const s: Shape = { kind: 'x' };", // 8
        ...tail, // 9...
    ].join("\n");

describe("scripts/register.js (the require hook of npm run plan, deploy, policy:check)", () => {
    let dir: string;
    before(() => {
        dir = tempDir("taskflow-register-");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const run = (name: string, tail: string[]) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, SOURCE(tail));
        const res = spawnSync(process.execPath, ["-r", "./scripts/register.js", file], {
            cwd: ROOT,
            encoding: "utf8",
        });
        return { file, ...res };
    };

    it("prints a crash's stack trace at the TypeScript lines and exits 1", () => {
        const { file, status, stderr } = run("crash.ts", ["explode(s.kind);"]);
        expect(status).to.equal(1);
        expect(stderr).to.match(/^Error: boom x\n/);
        expect(stderr).to.include(`    at explode (${file}:6:11)\n`);
        expect(stderr).to.include(`    at Object.<anonymous> (${file}:9:1)\n`);
    });

    it("does the same for an unhandled rejection", () => {
        const { file, status, stderr } = run("rejection.ts", [
            "Promise.resolve().then(() => explode('y'));",
        ]);
        expect(status).to.equal(1);
        expect(stderr).to.match(/^Error: boom y\n/);
        expect(stderr).to.include(`    at explode (${file}:6:11)\n`);
    });

    it("maps a trace a script prints itself, through mapStackTrace", () => {
        const { file, status, stdout, stderr } = run("caught.ts", [
            "try {",
            "    explode(s.kind);",
            "} catch (e) {",
            `    console.log(require(${JSON.stringify(REGISTER)}).mapStackTrace((e as Error).stack));`,
            "    console.log((e as Error).stack);",
            "}",
        ]);
        expect(status, stderr).to.equal(0);
        const [mapped, raw] = stdout.split("Error: boom x").slice(1);
        expect(mapped).to.include(`    at explode (${file}:6:11)\n`);
        expect(mapped).to.include(`    at Object.<anonymous> (${file}:10:5)\n`);
        expect(raw, "unmapped, the trace points elsewhere").to.include(`(${file}:`);
        expect(raw).not.to.include(`(${file}:6:11)`);
    });
});
