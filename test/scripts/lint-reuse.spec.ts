// When `npm run check` may reuse a kept lint result (scripts/lint-reuse.ts): only for a file whose
// text is unchanged and that the incremental type check did not check again, and never when the
// files on disk are not the program's or the whole program was re-checked.
import { expect } from "chai";
import { LintReuseInput, lintReuse } from "../../scripts/lint-reuse";

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
