import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");

describe("scripts/register.js (the require hook of npm run plan, deploy, policy:check)", () => {
    let dir: string;
    before(() => {
        dir = tempDir("taskflow-register-");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("points stack traces at the TypeScript lines, not the transpiled ones", () => {
        // Type-only lines vanish in the transpiled code, so unmapped line numbers would be lower.
        const file = path.join(dir, "boom.ts");
        fs.writeFileSync(
            file,
            [
                "interface Shape {", // 1
                "    kind: string;", // 2
                "}", // 3
                "type Kind = Shape['kind'];", // 4
                "export function explode(kind: Kind): never {", // 5
                "    throw new Error(`boom ${kind}`);", // 6
                "}", // 7
                "const s: Shape = { kind: 'x' };", // 8
                "try {", // 9
                "    explode(s.kind);", // 10
                "} catch (e) {", // 11
                "    console.log((e as Error).stack);", // 12
                "}", // 13
            ].join("\n"),
        );
        const res = spawnSync(process.execPath, ["-r", "./scripts/register.js", file], {
            cwd: ROOT,
            encoding: "utf8",
        });
        expect(res.status, res.stderr).to.equal(0);
        const frames = res.stdout.split("\n");
        expect(frames[0]).to.equal("Error: boom x");
        expect(frames[1]).to.equal(`    at explode (${file}:6:11)`);
        expect(frames[2]).to.match(new RegExp(`^    at Object\\.<anonymous> \\(${file}:10:5\\)$`));
        expect(frames[3]).to.match(/^    at Module\._compile \(node:internal/);
    });
});
