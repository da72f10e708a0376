/**
 * The sections other files point at exist: a reference written `README, "Section"` or
 * `docs/<page>.md, "Section"` (in code comments, docs, Pulumi.yaml) names a heading of that page,
 * and every relative Markdown link leads to a file inside the repository.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../plan/run";

const SKIP = new Set(["node_modules", ".git", "test/fixtures"]);
const TEXT = /\.(ts|js|mjs|md|ya?ml)$/;

function files(dir = ""): string[] {
    return fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) => {
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (SKIP.has(rel) || e.name.startsWith(".rollout")) return [];
        if (e.isDirectory()) return files(rel);
        return TEXT.test(e.name) ? [rel] : [];
    });
}

const read = (f: string) => fs.readFileSync(path.join(REPO_ROOT, f), "utf8");

/** A page's headings, without the leading #s. */
const headings = (page: string) =>
    read(page)
        .split("\n")
        .filter((l) => /^#{1,6} /.test(l))
        .map((l) => l.replace(/^#+ /, "").trim());

/** Text with comment markers at line starts dropped and lines joined, so wrapped names match. */
const flat = (text: string) => text.replace(/\n\s*(?:\/\/|\*|#)?\s*/g, " ");

describe("references between files", function () {
    this.timeout(10_000);
    const all = files().filter((f) => f !== "test/scripts/doc-references.spec.ts");

    it("name sections that exist in the README and docs/", () => {
        const ref =
            /\b(README(?:\.md)?|docs\/[\w-]+\.md)(?:'s)?,? (?:section )?"([A-Z][^"]{2,80})"/g;
        const missing: string[] = [];
        let checked = 0;
        for (const f of all) {
            for (const m of flat(read(f)).matchAll(ref)) {
                const page = m[1].startsWith("README") ? "README.md" : m[1];
                if (!fs.existsSync(path.join(REPO_ROOT, page))) {
                    missing.push(`${f}: ${page} does not exist`);
                    continue;
                }
                checked++;
                if (!headings(page).some((h) => h.startsWith(m[2])))
                    missing.push(`${f}: ${page} has no section "${m[2]}"`);
            }
        }
        expect(checked, "references found").to.be.greaterThan(5);
        expect(missing).to.deep.equal([]);
    });

    it("link Markdown pages only to files inside the repository", () => {
        const bad: string[] = [];
        for (const f of all.filter((x) => x.endsWith(".md"))) {
            for (const m of read(f).matchAll(/\]\(([^)\s]+)\)/g)) {
                const target = m[1].split("#")[0];
                if (/^[a-z]+:/.test(m[1]) || target === "") continue;
                const p = path.normalize(path.join(path.dirname(f), target));
                if (
                    p.startsWith("..") ||
                    path.isAbsolute(target) ||
                    !fs.existsSync(path.join(REPO_ROOT, p))
                )
                    bad.push(`${f}: ${m[1]}`);
            }
        }
        expect(bad).to.deep.equal([]);
    });

    it("give the moto install command and version the CI workflow pins", () => {
        const pin = /pip install "(moto\[server\]==[\d.]+)"/.exec(
            read(".github/workflows/preview.yml"),
        );
        expect(pin, "the workflow pins moto").to.not.equal(null);
        expect(read("README.md")).to.include(`pip install '${pin![1]}'`);
        expect(read("test/ops/moto.ts")).to.include(`pip install '${pin![1]}'`);
    });
});
