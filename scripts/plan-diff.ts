/**
 * `npm run plan:diff -- <before dir> <after dir>`
 *
 * Compares two `npm run plan -- --out <dir>` directories: the plan files URN by URN (every
 * resource's type, name, parent, region, id, inputs, outputs and options, every read, the stack
 * outputs, stack references and policy verdicts), the report files value by value or line by line. Prints one line per difference (added or removed URNs,
 * and the JSON path of each changed value) and exits 1 when there is any, 0 when the plans are
 * identical, 2 on a bad command line or a directory it cannot read (scripts/cli.ts). A refactoring must leave the plan identical: a changed URN
 * replaces a real resource, a changed input updates it.
 */
import * as fs from "fs";
import * as path from "path";
import { EXIT, helpText, wantsHelp } from "./cli";

/** One difference between two plans. */
export interface PlanDifference {
    stack: string;
    /** The resource's URN, or the top-level field of the file. */
    where: string;
    /** JSON path inside it ("" for the whole value). */
    path: string;
    before: unknown;
    after: unknown;
}

type Json = unknown;

/** Every path where two JSON values differ (objects by key, arrays by index). */
export function valueDifferences(a: Json, b: Json, at = ""): { path: string; a: Json; b: Json }[] {
    const isObj = (v: Json): v is Record<string, Json> =>
        typeof v === "object" && v !== null && !Array.isArray(v);
    if (Array.isArray(a) && Array.isArray(b)) {
        const out: { path: string; a: Json; b: Json }[] = [];
        for (let i = 0; i < Math.max(a.length, b.length); i++)
            out.push(...valueDifferences(a[i], b[i], `${at}[${i}]`));
        return out;
    }
    if (isObj(a) && isObj(b)) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
        return keys.flatMap((k) => valueDifferences(a[k], b[k], at ? `${at}.${k}` : k));
    }
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: at, a, b }];
}

interface PlanFile {
    resources: { urn: string }[];
    reads?: { urn: string }[];
    [field: string]: unknown;
}

/** The differences between two plan files of one stack. */
export function planDifferences(
    stack: string,
    before: PlanFile,
    after: PlanFile,
): PlanDifference[] {
    const out: PlanDifference[] = [];
    const byUrn = (list: { urn: string }[] = []) => new Map(list.map((r) => [r.urn, r]));
    for (const list of ["resources", "reads"] as const) {
        const a = byUrn(before[list]);
        const b = byUrn(after[list]);
        for (const urn of [...new Set([...a.keys(), ...b.keys()])].sort()) {
            for (const d of valueDifferences(a.get(urn), b.get(urn)))
                out.push({ stack, where: urn, path: d.path, before: d.a, after: d.b });
        }
    }
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
        .filter((f) => f !== "resources" && f !== "reads")
        .sort();
    for (const f of fields) {
        for (const d of valueDifferences(before[f], after[f]))
            out.push({ stack, where: f, path: d.path, before: d.a, after: d.b });
    }
    return out;
}

/**
 * The differences between the files of two `--out` directories: plan files URN by URN, other
 * JSON files (the resilience report) value by value, anything else (Markdown) line by line.
 */
export function planDirDifferences(beforeDir: string, afterDir: string): PlanDifference[] {
    const names = (dir: string) => fs.readdirSync(dir).filter((f) => /\.(json|md)$/.test(f));
    const all = [...new Set([...names(beforeDir), ...names(afterDir)])].sort();
    const text = (dir: string, f: string) =>
        fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : undefined;
    return all.flatMap((f) => {
        const [a, b] = [text(beforeDir, f), text(afterDir, f)];
        if (!f.endsWith(".json")) {
            if (a === b) return [];
            const [la, lb] = [(a ?? "").split("\n"), (b ?? "").split("\n")];
            const line = la.findIndex((l, i) => l !== lb[i]);
            const at = line === -1 ? la.length : line;
            return [{ stack: f, where: `line ${at + 1}`, path: "", before: la[at], after: lb[at] }];
        }
        const parse = (t: string | undefined) => (t === undefined ? undefined : JSON.parse(t));
        const [ja, jb] = [parse(a), parse(b)];
        const isPlan = (j: unknown) => Array.isArray((j as PlanFile | undefined)?.resources);
        if (isPlan(ja) || isPlan(jb)) {
            const stack = f.slice(0, -".json".length);
            return planDifferences(stack, ja ?? { resources: [] }, jb ?? { resources: [] });
        }
        return valueDifferences(ja, jb).map((d) => ({
            stack: f,
            where: "",
            path: d.path,
            before: d.a,
            after: d.b,
        }));
    });
}

const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v).slice(0, 300));

const USAGE = `usage: npm run plan:diff -- <before dir> <after dir>
  compares two \`npm run plan -- --out <dir>\` directories URN by URN; exit 1 on any difference`;

/** The command: what `npm run plan:diff -- <argv>` does, returning its exit code. */
export function main(argv: string[]): number {
    if (wantsHelp(argv)) {
        console.log(helpText(USAGE));
        return EXIT.OK;
    }
    if (argv.length !== 2) {
        console.error(USAGE);
        return EXIT.INPUT;
    }
    const [before, after] = argv;
    for (const dir of argv) {
        if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
            console.error(`plan:diff: ${dir} is not a directory\n${USAGE}`);
            return EXIT.INPUT;
        }
    }
    const diffs = planDirDifferences(before, after);
    for (const d of diffs) {
        console.log(`${d.stack}  ${d.where}${d.path ? `  ${d.path}` : ""}`);
        console.log(`    before: ${show(d.before)}`);
        console.log(`    after:  ${show(d.after)}`);
    }
    const count = (dir: string) =>
        fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".json"))
            .reduce(
                (n, f) =>
                    n +
                    ((JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as PlanFile).resources
                        ?.length ?? 0),
                0,
            );
    console.log(
        `${diffs.length} difference(s); ${count(before)} resources before, ${count(after)} after`,
    );
    return diffs.length === 0 ? EXIT.OK : EXIT.FAILED;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
