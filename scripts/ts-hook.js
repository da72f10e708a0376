// The TypeScript require hook every command line (through scripts/register.js) and mocha
// (.mocharc.js) run on. It transpiles each .ts file with esbuild (already a dependency for
// bundling Lambda@Edge), an order of magnitude faster to start than ts-node, and keeps `npm run
// plan` within a small multiple of the time Node needs to load the Pulumi SDKs. Like ts-node's
// transpile-only mode it does no type checking: `npm run typecheck` (tsc) does that.
//
// Stack traces are mapped to the TypeScript lines only when they are printed (`mapStackTrace`):
// esbuild's source map of every file it compiles is kept. Not `process.setSourceMapsEnabled`,
// nor an `Error.prepareStackTrace` hook (ts-node's source-map-support is one): both run for every
// `.stack` read, and the Pulumi runtime reads one per promise it tracks (~25,000 in a plan).
// Measured on `npm run plan`: source maps enabled +50 % (Node also loads the .js.map of every
// @pulumi/aws module; bench ratio 3.7), even a trivial prepareStackTrace +8 %; the repository's
// planned stacks under mocha took 3.2 s per plan on ts-node's transpile-only hook against 1.3 s
// on this one.
//
// Two modules @pulumi/pulumi loads eagerly are loaded here on first use instead: `typescript`
// (its closure serializer parses a JavaScript function to capture it) and `@npmcli/arborist`
// (it computes the code paths of such a function's package). Neither is used by the offline
// plan, the scripts or the specs, which never serialize a function (Lambda@Edge is bundled by
// esbuild): loading them was ~0.5 s of CPU and ~800 modules per process (about 70 % of what
// `require("@pulumi/pulumi")` costs), paid by every script and every spawned test command.
// Anything that does touch them gets the real module, loaded then.
//
// Each transpiled file is kept on disk (node_modules/.cache/ts-hook), keyed by a hash of
// esbuild's version, the options, the file's path and its source: a process that finds every
// file there never starts esbuild's service. A spec run spawns dozens of command lines
// (plan, deploy, policy:check, ops) and each transpiled the same ~200 files again; measured on
// `npm run plan --quiet`: 3.0 s -> 2.5 s of CPU (user + sys) with the cache filled. The same
// source gives the same output, so a hit changes nothing but the time; a file the cache cannot
// be written to (read-only node_modules) is only transpiled each time.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

/** filename → esbuild's source map (JSON text), parsed into a Module.SourceMap on first use. */
const sourceMaps = new Map();

const OPTIONS = { loader: "ts", format: "cjs", target: "node20", sourcemap: "external" };
const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "ts-hook");
let cacheKeyPrefix;

/** esbuild's output for `source` (code and source map), from the cache when it is there. */
function transpile(source, filename) {
    cacheKeyPrefix ??= JSON.stringify([require("esbuild/package.json").version, OPTIONS]);
    const key = crypto
        .createHash("sha256")
        .update(`${cacheKeyPrefix}\0${filename}\0${source}`)
        .digest("hex");
    const file = path.join(CACHE_DIR, `${key}.json`);
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        // not cached yet (or unreadable): transpile it
    }
    const { code, map } = require("esbuild").transformSync(source, {
        ...OPTIONS,
        sourcefile: filename,
    });
    try {
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        // Written whole, then renamed: a concurrent process reads either nothing or all of it.
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify({ code, map }));
        fs.renameSync(tmp, file);
    } catch {
        // a cache that cannot be written only costs the transpile next time
    }
    return { code, map };
}

Module._extensions[".ts"] = function compileTs(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    const { code, map } = transpile(source, filename);
    sourceMaps.set(filename, map);
    module._compile(code, filename);
};

/** The modules loaded on first use, when @pulumi/pulumi itself requires them. */
const LAZY = new Set(["typescript", "@npmcli/arborist"]);
const PULUMI_SDK = `${path.sep}node_modules${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
/** Requests answered with a lazy module so far (the spec checks the plan needs none of them). */
const lazyModules = new Map();

/**
 * A stand-in that loads the real module at the first property read. `__esModule` answers true
 * without loading, so TypeScript's `__importStar` (how the SDK imports arborist) keeps it as is
 * instead of copying every export, which would load it at once.
 */
function lazyModule(load) {
    let real;
    const target = () => (real ??= load());
    return new Proxy(Object.create(null), {
        get: (_, key) => (key === "__esModule" ? true : target()[key]),
        has: (_, key) => key in target(),
        ownKeys: () => Reflect.ownKeys(target()),
        getOwnPropertyDescriptor: (_, key) => {
            const d = Object.getOwnPropertyDescriptor(target(), key);
            return d && { ...d, configurable: true };
        },
    });
}

const load = Module._load;
Module._load = function loadLazily(request, parent, isMain) {
    if (LAZY.has(request) && parent?.filename?.includes(PULUMI_SDK)) {
        let m = lazyModules.get(request);
        if (m === undefined) {
            m = {
                loaded: false,
                exports: lazyModule(() => {
                    m.loaded = true;
                    return load.call(this, request, parent, isMain);
                }),
            };
            lazyModules.set(request, m);
        }
        return m.exports;
    }
    return load.call(this, request, parent, isMain);
};

/**
 * The TypeScript position `file:line:column` of a position in a compiled file, or undefined.
 * `file` may be relative to the working directory (mocha shortens the traces it reports).
 */
function originalPosition(file, line, column) {
    let map = sourceMaps.get(file) ?? sourceMaps.get(path.resolve(file));
    if (map === undefined) return undefined;
    if (typeof map === "string") {
        map = new Module.SourceMap(JSON.parse(map));
        sourceMaps.set(path.resolve(file), map);
    }
    // SourceMap positions are 0-based; stack traces are 1-based.
    const entry = map.findEntry(line - 1, column - 1);
    if (!entry || entry.originalLine === undefined) return undefined;
    return `${file}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

/** Rewrites every `<compiled .ts file>:<line>:<column>` in a stack trace to its TypeScript position. */
function mapStackTrace(text) {
    return String(text).replace(
        /([^\s()]+\.ts):(\d+):(\d+)/g,
        (all, file, line, column) => originalPosition(file, Number(line), Number(column)) ?? all,
    );
}

/** Which lazily loaded modules were actually loaded (request → loaded). */
function lazyModulesLoaded() {
    return Object.fromEntries([...lazyModules].map(([k, m]) => [k, m.loaded]));
}

module.exports = { mapStackTrace, lazyModulesLoaded };
