/**
 * The shape of the source tree (scripts/structure.ts measures it): no import circle, dependencies
 * pointing one way, no file over 400 lines and no function over 150.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
    functionSizes,
    importCycles,
    importGraph,
    lineCount,
    sourceFiles,
} from "../../scripts/structure";
import { tempDir } from "../helpers/tmp";

/**
 * policies/ is being rewritten on its own (the closed-world residency rewrite, with its value
 * helpers and per-type judges) and is held to the limits there; the import-circle and direction
 * rules cover it here like everything else.
 */
const SIZE_EXEMPT = ["policies/"];

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 150;

describe("source structure (scripts/structure.ts)", function () {
    this.timeout(30000);
    const graph = importGraph();
    const files = sourceFiles();
    const sized = files.filter((f) => !SIZE_EXEMPT.some((p) => f.startsWith(p)));
    const importsOf = (prefix: string) =>
        [...graph.entries()]
            .filter(([f]) => f.startsWith(prefix))
            .flatMap(([f, deps]) => deps.map((d) => ({ from: f, to: d })));
    const crossing = (from: string, to: readonly string[]) =>
        importsOf(from)
            .filter((e) => to.some((t) => e.to.startsWith(t) || e.to === t))
            .map((e) => `${e.from} → ${e.to}`);

    it("has no import circle", () => {
        expect(importCycles(graph)).to.deep.equal([]);
    });

    it("finds an import circle when there is one, and none when it is broken", () => {
        const dir = tempDir("taskflow-structure-");
        fs.mkdirSync(path.join(dir, "a"));
        fs.writeFileSync(
            path.join(dir, "a", "index.ts"),
            'import { b } from "../b";\nexport const a = b;\n',
        );
        fs.writeFileSync(
            path.join(dir, "b.ts"),
            'import type { a } from "./a";\nexport const b = 1 as unknown as typeof a;\n',
        );
        fs.writeFileSync(path.join(dir, "c.ts"), 'export const c = require("./b");\n');
        expect(importCycles(importGraph(dir))).to.deep.equal([["a/index.ts", "b.ts"]]);
        fs.writeFileSync(path.join(dir, "b.ts"), "export const b = 1;\n");
        expect(importCycles(importGraph(dir))).to.deep.equal([]);
        expect(importGraph(dir).get("c.ts")).to.deep.equal(["b.ts"]);
    });

    it("keeps every file within 400 lines", () => {
        const long = sized
            .map((f) => ({ f, n: lineCount(f) }))
            .filter((x) => x.n > MAX_FILE_LINES)
            .map((x) => `${x.f}: ${x.n} lines`);
        expect(long).to.deep.equal([]);
    });

    it("keeps every function within 150 lines", () => {
        const long = sized
            .flatMap((f) => functionSizes(f))
            .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
            .map((fn) => `${fn.file}:${fn.line} ${fn.name}: ${fn.lines} lines`);
        expect(long).to.deep.equal([]);
    });

    it("measures a function's lines, nested functions included", () => {
        const dir = tempDir("taskflow-structure-");
        const body = Array.from({ length: 5 }, (_, i) => `    const x${i} = ${i};`).join("\n");
        fs.writeFileSync(
            path.join(dir, "f.ts"),
            `export function outer() {\n${body}\n    const inner = () => {\n        return 1;\n    };\n    return inner;\n}\n`,
        );
        const sizes = functionSizes("f.ts", dir);
        expect(sizes.find((s) => s.name === "outer")?.lines).to.equal(11);
        expect(sizes.find((s) => s.name === "inner")?.lines).to.equal(3);
    });

    it("points dependencies one way: config and model import no program layer above them", () => {
        expect(
            crossing("config/", ["ops/", "components/", "regions/", "plan/", "delivery/"]),
        ).to.deep.equal([]);
        expect(
            crossing("model/", [
                "config/",
                "ops/",
                "components/",
                "regions/",
                "plan/",
                "delivery/",
            ]),
        ).to.deep.equal([]);
    });

    it("builds components from their own args: they import neither config/, regions/, delivery/ nor plan/", () => {
        expect(
            crossing("components/", ["config/", "regions/", "delivery/", "plan/"]),
        ).to.deep.equal([]);
    });

    it("keeps the planner, the runbooks and delivery off the components", () => {
        expect(crossing("plan/", ["components/", "regions/"])).to.deep.equal([]);
        expect(crossing("ops/", ["components/", "regions/", "plan/", "config/"])).to.deep.equal([]);
        expect(crossing("delivery/", ["components/", "regions/", "plan/"])).to.deep.equal([]);
        expect(crossing("regions/", ["plan/", "scripts/", "delivery/"])).to.deep.equal([]);
    });

    it("lets no program module import a command-line script", () => {
        const intoScripts = [...graph.entries()]
            .filter(([f]) => !f.startsWith("scripts/"))
            .flatMap(([f, deps]) =>
                deps.filter((d) => d.startsWith("scripts/")).map((d) => `${f} → ${d}`),
            );
        expect(intoScripts).to.deep.equal([]);
    });
});
