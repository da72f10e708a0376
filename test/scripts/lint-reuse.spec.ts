// When `npm run check` may reuse a kept lint result (scripts/lint-reuse.ts): only for a file whose
// text is unchanged and that the incremental type check did not check again, and never when the
// files on disk are not the program's or the whole program was re-checked; and which files a real
// incremental TypeScript builder checks again.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { LintReuseInput, checkWatched, lintReuse } from "../../scripts/lint-reuse";
import { tempDir } from "../helpers/tmp";

const A = "/repo/a.ts";
const B = "/repo/b.ts";
const C = "/repo/c.ts";

/** Three files, all kept with their current hashes, nothing re-checked. */
const warm = (over: Partial<LintReuseInput> = {}): LintReuseInput => ({
    onDisk: [A, B, C],
    inProgram: [C, B, A],
    rechecked: new Set(),
    kept: { [A]: { hash: "a1" }, [B]: { hash: "b1" }, [C]: { hash: "c1" } },
    hashes: new Map([
        [A, "a1"],
        [B, "b1"],
        [C, "c1"],
    ]),
    ...over,
});

describe("check: which kept lint results stand", () => {
    it("reuses every result when nothing changed, in the order of the files on disk", () => {
        expect(lintReuse(warm())).to.deep.equal({ reuse: [A, B, C], stale: [] });
    });

    it("lints again a file whose text changed", () => {
        const hashes = new Map([
            [A, "a1"],
            [B, "b2"],
            [C, "c1"],
        ]);
        expect(lintReuse(warm({ hashes }))).to.deep.equal({ reuse: [A, C], stale: [B] });
    });

    it("lints again a file the type check re-checked, though its text is the same (a dependency's declarations changed)", () => {
        expect(lintReuse(warm({ rechecked: new Set([C]) }))).to.deep.equal({
            reuse: [A, B],
            stale: [C],
        });
    });

    it("lints a file with no kept result (new, or ESLint's inputs changed and nothing was kept)", () => {
        expect(lintReuse(warm({ kept: { [A]: { hash: "a1" } } }))).to.deep.equal({
            reuse: [A],
            stale: [B, C],
        });
        expect(lintReuse(warm({ kept: {} }))).to.deep.equal({ reuse: [], stale: [A, B, C] });
    });

    it("lints the repository as `eslint .` does when the whole program was re-checked", () => {
        expect(lintReuse(warm({ rechecked: "all" }))).to.equal("all");
    });

    it("lints the repository as `eslint .` does when a file on disk is not in the program, or one in it is gone", () => {
        expect(lintReuse(warm({ onDisk: [A, B, C, "/repo/lib/new.ts"] }))).to.equal("all");
        expect(lintReuse(warm({ onDisk: [A, B] }))).to.equal("all");
        expect(lintReuse(warm({ onDisk: [A, B, "/repo/d.ts"] }))).to.equal("all");
    });
});

describe("check: the files the incremental type check checks again", function () {
    this.timeout(30000);
    // A real TypeScript builder over a small project: a.ts is re-exported by the barrel b.ts, c.ts
    // imports through the barrel, d.ts stands apart.
    const dir = tempDir("check-watch-");
    const file = (name: string) => path.join(dir, name);
    const write = (name: string, text: string) => fs.writeFileSync(file(name), text);
    const run = () => {
        const options: ts.CompilerOptions = {
            noEmit: true,
            incremental: true,
            strict: true,
            tsBuildInfoFile: file("build.tsbuildinfo"),
            types: [],
            lib: ["lib.es2022.d.ts"],
        };
        const builder = ts.createIncrementalProgram({
            rootNames: ["a.ts", "b.ts", "c.ts", "d.ts"].map(file),
            options,
            host: ts.createIncrementalCompilerHost(options),
        });
        const out = checkWatched(builder);
        builder.emit();
        return out;
    };
    before(() => {
        write("a.ts", 'export const label = (): string => "x";\n');
        write("b.ts", 'export * from "./a";\n');
        write("c.ts", 'import { label } from "./b";\nexport const t: string = label();\n');
        write("d.ts", "export const d = 1;\n");
    });

    it("checks every file on a cold run, none on a warm one with nothing changed", () => {
        const cold = run();
        expect(cold.rechecked).to.not.equal("all");
        for (const f of ["a.ts", "b.ts", "c.ts", "d.ts"])
            expect([...(cold.rechecked as Set<string>)]).to.include(file(f));
        expect(run().rechecked).to.deep.equal(new Set());
    });

    it("checks again the importer of a barrel whose re-export changed (the builder's affected list leaves it out), and gives its new error", () => {
        write("a.ts", "export const label = (): number => 1;\n");
        const warm = run();
        const again = [...(warm.rechecked as Set<string>)];
        expect(again).to.include.members([file("a.ts"), file("c.ts")]);
        expect(again).to.not.include(file("d.ts"));
        expect(
            warm.diagnostics.map((d) => d.file?.fileName && path.resolve(d.file.fileName)),
        ).to.include(file("c.ts"));
    });
});
