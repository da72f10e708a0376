/**
 * Which kept lint results `npm run check` may reuse (scripts/check.ts's header says why they are
 * then ESLint's own): which files the incremental type check checks again (`checkWatched`), and
 * a pure function of that, what is on disk, what the program holds and what was kept
 * (`lintReuse`). Both are unit-tested (test/scripts/lint-reuse.spec.ts).
 */
import * as path from "path";
import type * as ts from "typescript";

/**
 * The builder's diagnostics (tsc's pre-emit set) and the files whose semantic diagnostics were
 * computed this run; the builder takes the others' from the last run's state. Every file
 * TypeScript checks goes through the program's `getBindAndCheckDiagnostics` (TypeScript 5's
 * builder, getSemanticDiagnosticsOfFile), watched here: that set includes the files the builder
 * re-checks beyond its "affected" list, such as the importers of a barrel whose re-exports
 * changed. A TypeScript without that method gives "all" (every file is then linted).
 */
export function checkWatched(builder: ts.EmitAndSemanticDiagnosticsBuilderProgram): {
    diagnostics: readonly ts.Diagnostic[];
    rechecked: Set<string> | "all";
} {
    const program = builder.getProgram() as ts.Program & {
        getBindAndCheckDiagnostics?: (sf: ts.SourceFile, ct?: ts.CancellationToken) => unknown;
    };
    const checkFile = program.getBindAndCheckDiagnostics;
    const watched = typeof checkFile === "function";
    const checked = new Set<string>();
    if (watched)
        program.getBindAndCheckDiagnostics = (sf, ct) => {
            checked.add(path.resolve(sf.fileName));
            return checkFile.call(program, sf, ct);
        };
    try {
        const diagnostics = [
            ...builder.getConfigFileParsingDiagnostics(),
            ...builder.getOptionsDiagnostics(),
            ...builder.getGlobalDiagnostics(),
            ...builder.getSyntacticDiagnostics(),
            ...builder.getSemanticDiagnostics(),
        ];
        return { diagnostics, rechecked: watched ? checked : "all" };
    } finally {
        if (watched) program.getBindAndCheckDiagnostics = checkFile;
    }
}

export interface LintReuseInput {
    /** Every .ts file on disk that ESLint's config does not ignore (absolute paths). */
    onDisk: readonly string[];
    /** The program's root files (absolute paths). */
    inProgram: readonly string[];
    /** The files the type check checked again this run, or "all". */
    rechecked: ReadonlySet<string> | "all";
    /** The kept results' text hashes, by file; empty when ESLint's inputs changed. */
    kept: Readonly<Record<string, { hash: string }>>;
    /** Each file's text hash now. */
    hashes: ReadonlyMap<string, string>;
}

/**
 * "all" (lint the repository as `eslint .` does) when the type check re-checked the whole program
 * or the files on disk are not the program's; otherwise the files whose kept result stands (same
 * text, not re-checked) and the ones to lint again, each in the order of `onDisk`.
 */
export function lintReuse(input: LintReuseInput): "all" | { reuse: string[]; stale: string[] } {
    const { onDisk, inProgram, rechecked, kept, hashes } = input;
    const program = new Set(inProgram);
    if (
        rechecked === "all" ||
        onDisk.length !== program.size ||
        !onDisk.every((f) => program.has(f))
    )
        return "all";
    const stands = (f: string) => kept[f]?.hash === hashes.get(f) && !rechecked.has(f);
    return { reuse: onDisk.filter(stands), stale: onDisk.filter((f) => !stands(f)) };
}
