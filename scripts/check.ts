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
 * Prints what `tsc` and `eslint` print (ESLint's stylish format); exits 1 on a type error or a
 * lint error, 2 when it cannot run. `npm run typecheck` and `npm run lint` still run each tool
 * on its own.
 */
import * as path from "path";
import { ESLint } from "eslint";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const BUILD_INFO = path.join(ROOT, "node_modules", ".cache", "check", "tsconfig.tsbuildinfo");

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
        host: ts.createIncrementalCompilerHost(parsed.options),
    });
}

/**
 * Type errors, as tsc prints them (the diagnostics `getPreEmitDiagnostics` gathers, the semantic
 * ones from the builder, which knows the files it need not check again); the count. The state is
 * then written for the next run (with `noEmit`, emitting writes the build info only).
 */
function typecheck(builder: ts.EmitAndSemanticDiagnosticsBuilderProgram): number {
    const diagnostics = ts.sortAndDeduplicateDiagnostics([
        ...builder.getConfigFileParsingDiagnostics(),
        ...builder.getOptionsDiagnostics(),
        ...builder.getGlobalDiagnostics(),
        ...builder.getSyntacticDiagnostics(),
        ...builder.getSemanticDiagnostics(),
    ]);
    builder.emit();
    if (diagnostics.length === 0) return 0;
    const host: ts.FormatDiagnosticsHost = {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => ROOT,
        getNewLine: () => "\n",
    };
    const text = process.stdout.isTTY
        ? ts.formatDiagnosticsWithColorAndContext(diagnostics, host)
        : ts.formatDiagnostics(diagnostics, host);
    process.stdout.write(`${text}\nFound ${diagnostics.length} type error(s).\n`);
    return diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
}

/** Lint problems, as `eslint .` prints them; the count of errors. */
async function lint(program: ts.Program): Promise<number> {
    const eslint = new ESLint({
        cwd: ROOT,
        overrideConfig: {
            languageOptions: { parserOptions: { projectService: false, programs: [program] } },
        },
    });
    const results = await eslint.lintFiles(["."]);
    const formatter = await eslint.loadFormatter("stylish");
    const text = await formatter.format(results);
    if (text) process.stdout.write(text);
    return results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
}

const since = (t: bigint) => `${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s`;

async function main(): Promise<number> {
    const t0 = process.hrtime.bigint();
    const builder = createProgram();
    const program = builder.getProgram();
    const typeErrors = typecheck(builder);
    const t1 = process.hrtime.bigint();
    const lintErrors = await lint(program);
    process.stdout.write(
        `check: ${typeErrors} type error(s) in ${since(t0)}, ${lintErrors} lint error(s) in ${since(t1)} (${program.getRootFileNames().length} files)\n`,
    );
    return typeErrors + lintErrors > 0 ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`check: ${e instanceof Error ? (e.stack ?? e.message) : e}\n`);
        process.exit(2);
    },
);
