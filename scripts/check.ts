/**
 * `npm run check` — the type check and the lint in one process, over one TypeScript program.
 *
 * `tsc --noEmit -p tsconfig.json` and `eslint .` each build the project's types: the lint's
 * typed rules (@pulumi/no-output-in-template-literal and its instance twin tell an Output from
 * a string) ask typescript-eslint's project service for a program as large as tsc's. Here the
 * program is built once: its diagnostics are tsc's (the same options, the same files, the same
 * `getPreEmitDiagnostics`), then ESLint lints the same files with eslint.config.mjs as it is,
 * handed that program (`parserOptions.programs`) instead of building its own. Every file ESLint
 * lints must be in the program: typescript-eslint refuses one that is not, naming it.
 *
 * The program is tsc's incremental one (`--incremental`): the diagnostics of every file whose
 * text and dependencies' declarations are unchanged since the last run come from
 * node_modules/.cache/check/tsconfig.tsbuildinfo (the same state `tsc --incremental` keeps, so
 * a change anywhere re-checks every file it can affect). Warm, that skips the semantic check of
 * the project (~5 s of the ~14 s the types take); cold, as on a clean clone, it costs nothing.
 *
 * The lint is incremental in the same way. A file's lint result is kept (node_modules/.cache/
 * check/eslint.json) with a hash of its text; it is reused when the text is unchanged and the
 * type check did not check the file again this run. TypeScript checks again every file whose
 * own text changed or whose types may have (a dependency's declarations changed, directly or
 * through a re-export), and the typed rules read no types the checker would not, so a kept result
 * is the result ESLint would give. The files checked are watched where TypeScript checks them
 * (see `typecheck`), not taken from the builder's list of affected files, which leaves out a
 * barrel's importers. Everything is linted again when ESLint's config (eslint.config.mjs and
 * this file's override), tsconfig.json, package-lock.json or a tool's version changes, when the
 * whole program is re-checked, or when the files on disk are not the program's (a new file
 * outside tsconfig.json's `include` is then refused by typescript-eslint, as `eslint .` refuses
 * it). The lint results are written after the build info, with its hash, and kept only by a
 * run that starts from that same build info: a run stopped between the two leaves them unpaired,
 * and the next run lints everything.
 *
 * With nothing changed at all (every TypeScript file in the repository, every other file the
 * last program read from it, and LINT_INPUTS: scripts/check-memo.ts says why that is enough),
 * the last run's verdict is printed again without building the program (node_modules/.cache/
 * check/verdict.json); deleting node_modules/.cache/check makes the next run cold.
 *
 * Prints what `tsc` and `eslint` print (ESLint's stylish format); exits 1 on a type error or a
 * lint error, 2 when it cannot run. `npm run typecheck` and `npm run lint` still run each tool
 * on its own.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ESLint } from "eslint";
import * as ts from "typescript";
import { CheckMemo, memoAfterRun, memoStands, snapshot } from "./check-memo";
import { checkWatched, lintReuse } from "./lint-reuse";

const ROOT = path.resolve(__dirname, "..");
const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "check");
const BUILD_INFO = path.join(CACHE_DIR, "tsconfig.tsbuildinfo");
const LINT_CACHE = path.join(CACHE_DIR, "eslint.json");
const MEMO = path.join(CACHE_DIR, "verdict.json");
/** What every kept lint result depends on besides its file and the types. */
const LINT_INPUTS = [
    "eslint.config.mjs",
    "scripts/check.ts", // its overrideConfig is part of ESLint's config
    "package-lock.json", // the plugins' own dependencies
    "tsconfig.json",
    "node_modules/eslint/package.json",
    "node_modules/typescript-eslint/package.json",
    "node_modules/@pulumi/eslint-plugin/package.json",
    "node_modules/typescript/package.json",
];

/** The program tsc builds for `-p tsconfig.json --incremental`, with the last run's state. */
function createProgram(): ts.EmitAndSemanticDiagnosticsBuilderProgram {
    const host: ts.ParseConfigFileHost = {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
            throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        },
    };
    const parsed = ts.getParsedCommandLineOfConfigFile(
        path.join(ROOT, "tsconfig.json"),
        { noEmit: true, incremental: true, tsBuildInfoFile: BUILD_INFO },
        host,
    );
    if (!parsed) throw new Error("tsconfig.json could not be read");
    return ts.createIncrementalProgram({
        rootNames: parsed.fileNames,
        options: parsed.options,
        projectReferences: parsed.projectReferences,
        configFileParsingDiagnostics: parsed.errors,
        // tsc's own host skips the JSDoc of .ts and .d.ts files unless it holds @see or @link,
        // the only JSDoc there that can change a diagnostic; the API's default parses it all
        // (most of @pulumi/aws's 31 MB of declarations). ParseForTypeErrors is what tsc sets
        // (https://github.com/microsoft/TypeScript/pull/55739): the same diagnostics, ~1 s and
        // ~100 MB less, cold or warm. The lint is told so (`jsDocParsingMode` in `lint`).
        host: Object.assign(ts.createIncrementalCompilerHost(parsed.options), {
            jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors,
        }),
    });
}

/**
 * Type errors, as tsc prints them (the diagnostics `getPreEmitDiagnostics` gathers, the semantic
 * ones from the builder, which takes those of the files it need not check again from the last
 * run's state); the count, and the files checked this run (scripts/lint-reuse.ts `checkWatched`).
 */
function typecheck(builder: ts.EmitAndSemanticDiagnosticsBuilderProgram): {
    errors: number;
    rechecked: Set<string> | "all";
} {
    const { diagnostics, rechecked } = checkWatched(builder);
    return { errors: report(ts.sortAndDeduplicateDiagnostics(diagnostics)), rechecked };
}

/** Prints the diagnostics as tsc does; the count of errors. */
function report(diagnostics: readonly ts.Diagnostic[]): number {
    if (diagnostics.length === 0) return 0;
    const host: ts.FormatDiagnosticsHost = {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => ROOT,
        getNewLine: () => "\n",
    };
    const text = process.stdout.isTTY
        ? ts.formatDiagnosticsWithColorAndContext(diagnostics, host)
        : ts.formatDiagnostics(diagnostics, host);
    print(`${text}\nFound ${diagnostics.length} type error(s).\n`);
    return diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
}

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");

interface LintCache {
    key: string;
    /** The hash of the build info written by the run that wrote these results. */
    buildInfo: string;
    files: Record<string, { hash: string; result: ESLint.LintResult }>;
}

/** The build info's hash ("none" when there is none): which run's state it is. */
function buildInfoHash(): string {
    try {
        return sha256(fs.readFileSync(BUILD_INFO, "utf8"));
    } catch {
        return "none";
    }
}

/**
 * The kept results, when they were written with the build info the type check started from (a run
 * stopped between writing the two leaves them unpaired: then nothing is kept).
 */
function readLintCache(key: string, buildInfo: string): LintCache["files"] {
    try {
        const cache = JSON.parse(fs.readFileSync(LINT_CACHE, "utf8")) as LintCache;
        return cache.key === key && cache.buildInfo === buildInfo ? cache.files : {};
    } catch {
        return {}; // none yet, or unreadable: lint every file
    }
}

/** Every TypeScript file under the repository that ESLint's config does not ignore. */
async function tsFilesOnDisk(eslint: ESLint, dir = ROOT): Promise<string[]> {
    const out: string[] = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
            if (e.name === "node_modules" || e.name === ".git") continue;
            out.push(...(await tsFilesOnDisk(eslint, p)));
        } else if (/\.[cm]?tsx?$/.test(e.name) && !(await eslint.isPathIgnored(p))) out.push(p);
    }
    return out;
}

/**
 * Lint problems, as `eslint .` prints them; the count of errors and of the files linted this run
 * (the others' results are kept ones, see the header), and the results to keep for the next run.
 */
async function lint(
    program: ts.Program,
    rechecked: Set<string> | "all",
    buildInfo: string,
): Promise<{ errors: number; linted: number; keep: Omit<LintCache, "buildInfo"> }> {
    const eslint = new ESLint({
        cwd: ROOT,
        overrideConfig: {
            languageOptions: {
                parserOptions: {
                    projectService: false,
                    programs: [program],
                    // The program's TypeScript files carry no parsed JSDoc (createProgram): the
                    // nearest mode typescript-eslint knows. A rule that reads JSDoc tags refuses
                    // to run under it (@typescript-eslint/no-deprecated throws), so enabling one
                    // fails the check loudly instead of linting with tags that are not there.
                    jsDocParsingMode: "type-info",
                },
            },
        },
    });
    const key = sha256(
        JSON.stringify(LINT_INPUTS.map((f) => fs.readFileSync(path.join(ROOT, f), "utf8"))),
    );
    const onDisk = (await tsFilesOnDisk(eslint)).sort();
    const inProgram = program.getRootFileNames().map((f) => path.resolve(f));
    const hashes = new Map(onDisk.map((f) => [f, sha256(fs.readFileSync(f, "utf8"))]));
    const kept = readLintCache(key, buildInfo);
    const plan = lintReuse({ onDisk, inProgram, rechecked, kept, hashes });
    let results: ESLint.LintResult[];
    let linted: number;
    if (plan === "all") {
        results = await eslint.lintFiles(["."]);
        linted = results.length;
    } else {
        const fresh = plan.stale.length > 0 ? await eslint.lintFiles(plan.stale) : [];
        results = [...plan.reuse.map((f) => kept[f].result), ...fresh];
        linted = fresh.length;
    }
    results.sort((a, b) => a.filePath.localeCompare(b.filePath));
    const files: LintCache["files"] = {};
    for (const r of results) {
        const hash = hashes.get(r.filePath);
        if (hash) files[r.filePath] = { hash, result: r };
    }
    const formatter = await eslint.loadFormatter("stylish");
    const text = await formatter.format(results);
    if (text) print(text);
    const errors = results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
    return { errors, linted, keep: { key, files } };
}

/** What this run prints on stdout (the diagnostics and the lint's report), kept for the memo. */
let printed = "";
function print(text: string): void {
    printed += text;
    process.stdout.write(text);
}

/** The last run's verdict (scripts/check-memo.ts), when one was kept. */
function readMemo(): (CheckMemo & Counts) | undefined {
    try {
        return JSON.parse(fs.readFileSync(MEMO, "utf8")) as CheckMemo & Counts;
    } catch {
        return undefined;
    }
}

interface Counts {
    typeErrors: number;
    lintErrors: number;
    files: number;
}

/** The files the program read from the repository (an imported .json, say), relative. */
function repositoryInputs(program: ts.Program): string[] {
    return program
        .getSourceFiles()
        .map((f) => path.relative(ROOT, path.resolve(f.fileName)))
        .filter((f) => !f.startsWith("..") && !f.split(path.sep).includes("node_modules"))
        .map((f) => f.split(path.sep).join("/"));
}

const since = (t: bigint) => `${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s`;

async function main(): Promise<number> {
    const t0 = process.hrtime.bigint();
    // The print mode is part of what the tools print (colour on a terminal).
    const salt = JSON.stringify({ tty: Boolean(process.stdout.isTTY), node: process.version });
    const memo = readMemo();
    if (memoStands(ROOT, memo, salt)) {
        const m = memo!;
        process.stdout.write(m.output);
        process.stdout.write(
            `check: ${m.typeErrors} type error(s), ${m.lintErrors} lint error(s) (${m.files} files): no source file, config or tool changed since the last check, its verdict printed again in ${since(t0)}\n`,
        );
        return m.code;
    }
    const start = snapshot(ROOT, [...LINT_INPUTS, ...Object.keys(memo?.snapshot ?? {})]);
    const buildInfo = buildInfoHash();
    const builder = createProgram();
    const program = builder.getProgram();
    const { errors: typeErrors, rechecked } = typecheck(builder);
    const t1 = process.hrtime.bigint();
    const { errors: lintErrors, linted, keep } = await lint(program, rechecked, buildInfo);
    // With `noEmit`, emitting writes the build info only (nothing when it is unchanged); the lint
    // results are kept after it, with its hash (see the header).
    builder.emit();
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    fs.writeFileSync(
        LINT_CACHE,
        JSON.stringify({ ...keep, buildInfo: buildInfoHash() } satisfies LintCache),
    );
    const roots = program.getRootFileNames();
    const typeChecked =
        rechecked === "all"
            ? roots.length
            : roots.filter((f) => rechecked.has(path.resolve(f))).length;
    process.stdout.write(
        `check: ${typeErrors} type error(s) in ${since(t0)}, ${lintErrors} lint error(s) in ${since(t1)} (${roots.length} files; ${typeChecked} type-checked, ${linted} linted this run)\n`,
    );
    const code = typeErrors + lintErrors > 0 ? 1 : 0;
    const inputs = [...LINT_INPUTS, ...repositoryInputs(program)];
    const next = memoAfterRun(ROOT, inputs, start, { salt, output: printed, code });
    const counts: Counts = { typeErrors, lintErrors, files: roots.length };
    if (next) fs.writeFileSync(MEMO, JSON.stringify({ ...next, ...counts }));
    else fs.rmSync(MEMO, { force: true });
    return code;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`check: ${e instanceof Error ? (e.stack ?? e.message) : e}\n`);
        process.exit(2);
    },
);
