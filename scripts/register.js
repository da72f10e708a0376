// A TypeScript require hook for the command-line scripts (plan, policy:check, deploy, bench).
// It transpiles each .ts file with esbuild (already a dependency for bundling Lambda@Edge), which
// is an order of magnitude faster to start than ts-node and keeps `npm run plan` within a small
// multiple of the time Node needs to load the Pulumi SDKs. Like ts-node's transpile-only mode it
// does no type checking: `npm run typecheck` (tsc --noEmit) does that as its own step.
//
// Stack traces point at the TypeScript lines: esbuild's source map of every file it compiles is
// kept, and frames in those files are mapped back when a trace is formatted. Not with
// `process.setSourceMapsEnabled(true)`: that makes Node also load the .js.map of every
// @pulumi/aws module and map every frame of the thousands of stack traces the Pulumi runtime
// captures (one per tracked promise), which made `npm run plan` about 50 % slower (bench ratio
// above 3). Mapping only our own frames costs nothing measurable.
"use strict";
const fs = require("fs");
const Module = require("module");
const esbuild = require("esbuild");

/** filename → esbuild's source map (JSON text), parsed into a Module.SourceMap on first use. */
const sourceMaps = new Map();

Module._extensions[".ts"] = function compileTs(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    const { code, map } = esbuild.transformSync(source, {
        loader: "ts",
        format: "cjs",
        target: "node20",
        sourcemap: "external",
        sourcefile: filename,
    });
    sourceMaps.set(filename, map);
    module._compile(code, filename);
};

/** The TypeScript position of a frame in a compiled file, or undefined for any other frame. */
function originalPosition(file, line, column) {
    let map = sourceMaps.get(file);
    if (map === undefined || line === null || column === null) return undefined;
    if (typeof map === "string") {
        map = new Module.SourceMap(JSON.parse(map));
        sourceMaps.set(file, map);
    }
    // SourceMap positions are 0-based; call sites are 1-based.
    const entry = map.findEntry(line - 1, column - 1);
    if (!entry || entry.originalLine === undefined) return undefined;
    return `${file}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

/** A frame in a compiled .ts file, as V8 writes it, with its position mapped back. */
function formatMapped(callSite, file) {
    const text = String(callSite);
    const line = callSite.getLineNumber();
    const column = callSite.getColumnNumber();
    const mapped = originalPosition(file, line, column);
    if (!mapped) return text;
    const generated = `${file}:${line}:${column}`;
    const at = text.lastIndexOf(generated);
    return at < 0 ? text : text.slice(0, at) + mapped + text.slice(at + generated.length);
}

// V8's own trace format (what Node prints without a hook). It runs for every `.stack`, and the
// Pulumi runtime reads one per promise it tracks, so the loop stays as lean as the default.
Error.prepareStackTrace = (error, callSites) => {
    let out;
    try {
        out = Error.prototype.toString.call(error);
    } catch {
        out = "Error";
    }
    for (let i = 0; i < callSites.length; i++) {
        const c = callSites[i];
        const file = c.getFileName();
        out += "\n    at " + (file && sourceMaps.has(file) ? formatMapped(c, file) : c);
    }
    return out;
};
