/**
 * Temp dirs for specs that are removed when the specs are done: `removeTempDirs` in an `after`
 * hook, and in any case when the process exits (mocha --exit included).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const made: string[] = [];

/** Removes every dir `tempDir` made so far. */
export function removeTempDirs(): void {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A new empty dir under the OS temp dir, named `<prefix>XXXXXX`. */
export function tempDir(prefix: string): string {
    if (made.length === 0) process.once("exit", removeTempDirs);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
}
