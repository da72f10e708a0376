/**
 * Which kept lint results `npm run check` may reuse (scripts/check.ts's header says why they are
 * then ESLint's own): a pure function of what is on disk, what the program holds, what the type
 * check re-checked and what was kept, so its rules are unit-tested.
 */

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
