/**
 * When `npm run check` may print its last verdict instead of building the program again: when
 * none of the inputs it read has changed. The verdict of the type check and the lint is a
 * function of the repository's source files (every TypeScript or JavaScript file on disk,
 * wherever it is, and every other file the last program read from the repository, such as an
 * imported .json), the
 * configs and tool versions of scripts/check.ts's LINT_INPUTS (package-lock.json stands for what
 * `npm ci` put in node_modules, as it does for `tsc --build`'s up-to-date check, which reads no
 * file in node_modules either), and how the output is printed (colour on a terminal). With every
 * one of those identical, building the program again (~9 s of the warm check, most of it parsing
 * @pulumi/aws's declarations) gives the same diagnostics and the same lint results.
 *
 * A snapshot is the hash of each such file (or "missing"); the memo keeps the snapshot taken at
 * the end of a run with what the run printed and its exit code, and is used only when the
 * snapshot at the start of the next run is equal to it. A file changed, added or removed during
 * a run makes the run's start and end snapshots differ: then no memo is written (the other files
 * the program read, known only once it is built, are taken at the end). Unit-tested in
 * test/scripts/check-memo.spec.ts.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** File (relative to the root, "/"-separated) → sha256 of its bytes, or "missing". */
export type Snapshot = Record<string, string>;

export interface CheckMemo {
    /** Anything besides the files that changes the output (the tools' print mode). */
    salt: string;
    snapshot: Snapshot;
    /** What the run printed on stdout, and its exit code. */
    output: string;
    code: number;
}

/** TypeScript and JavaScript files: what tsc may read and what ESLint lints by default. */
const SOURCE = /\.[cm]?[jt]sx?$/;

/** Every TypeScript or JavaScript file under `root` outside node_modules and .git, sorted. */
export function sourcesOnDisk(root: string, dir = root): string[] {
    const out: string[] = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
            if (e.name !== "node_modules" && e.name !== ".git") out.push(...sourcesOnDisk(root, p));
        } else if (SOURCE.test(e.name)) out.push(path.relative(root, p).split(path.sep).join("/"));
    }
    return out.sort();
}

const hashOf = (file: string): string => {
    try {
        return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    } catch {
        return "missing";
    }
};

/**
 * The snapshot of `files` (relative to `root`) and of every TypeScript file on disk: a file
 * added, removed or changed anywhere in the sources gives a different snapshot.
 */
export function snapshot(root: string, files: readonly string[]): Snapshot {
    const all = [...new Set([...files, ...sourcesOnDisk(root)])].sort();
    return Object.fromEntries(all.map((f) => [f, hashOf(path.join(root, f))]));
}

const same = (a: Snapshot, b: Snapshot): boolean => {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
};

/**
 * The memo's verdict when it stands for this run: the same salt, and every file it recorded
 * (and every TypeScript file on disk now) with the hash it had.
 */
export function memoStands(root: string, memo: CheckMemo | undefined, salt: string): boolean {
    if (!memo || memo.salt !== salt) return false;
    return same(memo.snapshot, snapshot(root, Object.keys(memo.snapshot)));
}

/**
 * The memo to keep after a run, or undefined when an input changed while it ran (`start`, the
 * snapshot of the same files taken before the run read them, differs from the end's).
 */
export function memoAfterRun(
    root: string,
    inputs: readonly string[],
    start: Snapshot,
    run: { salt: string; output: string; code: number },
): CheckMemo | undefined {
    const end = snapshot(root, inputs);
    for (const [f, h] of Object.entries(end)) {
        if (f in start ? start[f] !== h : SOURCE.test(f)) return undefined;
    }
    for (const [f, h] of Object.entries(start)) {
        if (SOURCE.test(f) && h !== "missing" && !(f in end)) return undefined;
    }
    return { salt: run.salt, snapshot: end, output: run.output, code: run.code };
}
