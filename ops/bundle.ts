/**
 * Bundles the night-mode controller into one CommonJS file for Lambda. The AWS SDK v3 clients
 * are left out: the Node.js Lambda runtimes ship them. Deterministic (same sources, same bytes),
 * so the function's code hash only changes when the controller does.
 */
import * as path from "path";
import * as esbuild from "esbuild";

/** Node.js major the bundle targets; keep in step with the function's runtime. */
export const CONTROLLER_NODE_TARGET = "node22";

const ROOT = path.resolve(__dirname, "..");
const ENTRY = "ops/night-mode-handler.ts";

/** The bundle, built once per process (its sources do not change while a plan runs). */
let bundled: string | undefined;

export function bundleNightModeController(): string {
    bundled ??= build();
    return bundled;
}

function build(): string {
    const result = esbuild.buildSync({
        absWorkingDir: ROOT,
        entryPoints: [ENTRY],
        bundle: true,
        write: false,
        platform: "node",
        format: "cjs",
        target: CONTROLLER_NODE_TARGET,
        external: ["@aws-sdk/*"],
        legalComments: "none",
        sourcemap: false,
        logLevel: "silent",
    });
    if (result.errors.length > 0 || result.outputFiles.length !== 1) {
        throw new Error(`bundling ${ENTRY} failed: ${result.errors.map((e) => e.text).join("; ")}`);
    }
    return result.outputFiles[0].text;
}
