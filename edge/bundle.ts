/**
 * Bundles the Lambda@Edge residency router into one CommonJS file with its configuration baked
 * in (Lambda@Edge functions cannot have environment variables:
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-restrictions.html).
 *
 * The output is deterministic (same config → same bytes), so the Lambda code hash, and therefore
 * the published version, only changes when the router or its configuration changes.
 */
import * as path from "path";
import * as esbuild from "esbuild";
import { ResidencyRouterConfig, validateRouterConfig } from "./residency-router";

/** Node.js major the bundle targets; keep in step with the function's runtime. */
export const ROUTER_NODE_TARGET = "node22";

/** Source of the handler, bundled from the repository root so paths in the output are stable. */
const ROOT = path.resolve(__dirname, "..");
const ENTRY = "edge/residency-router.ts";

/**
 * The bundles built in this process, by the fields baked in: the sources do not change while a
 * plan runs, and a plan of many topologies bundles the same router again and again.
 */
const bundles = new Map<string, string>();

/**
 * Returns the bundled router as CommonJS source exporting `handler`, ready for
 * `new pulumi.asset.StringAsset(code)` as `index.js` (handler `index.handler`).
 * Throws when the config is invalid, before anything is built.
 */
export function bundleResidencyRouter(config: ResidencyRouterConfig): string {
    validateRouterConfig(config);
    const key = JSON.stringify(baked(config));
    let code = bundles.get(key);
    if (code === undefined) bundles.set(key, (code = buildResidencyRouter(config)));
    return code;
}

/** Only the fields the router reads, in a fixed order, so the bundle bytes are stable. */
function baked(config: ResidencyRouterConfig): ResidencyRouterConfig {
    return {
        residencyRegion: config.residencyRegion,
        residentOrigin: config.residentOrigin,
        routedOrigins: [...config.routedOrigins],
        countries: [...config.countries],
    };
}

/** One esbuild run of the router (what `bundleResidencyRouter` keeps), without the cache. */
export function buildResidencyRouter(config: ResidencyRouterConfig): string {
    const result = esbuild.buildSync({
        absWorkingDir: ROOT,
        entryPoints: [ENTRY],
        bundle: true,
        write: false,
        platform: "node",
        format: "cjs",
        target: ROUTER_NODE_TARGET,
        legalComments: "none",
        sourcemap: false,
        logLevel: "silent",
        define: { __RESIDENCY_ROUTER_CONFIG__: JSON.stringify(baked(config)) },
    });
    if (result.errors.length > 0 || result.outputFiles.length !== 1) {
        throw new Error(`bundling ${ENTRY} failed: ${result.errors.map((e) => e.text).join("; ")}`);
    }
    return result.outputFiles[0].text;
}
