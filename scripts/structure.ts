/**
 * `npm run structure`
 *
 * The shape of the source tree, measured: the import graph of every TypeScript file outside
 * `test/` and `node_modules/` (relative imports, `import type` included, since a type-only
 * circle still ties two modules together for a reader), its import circles, the longest files
 * and the longest functions (declarations, methods, constructors, arrow functions and function
 * expressions; a function's lines include the functions nested in it).
 * test/scripts/structure.spec.ts holds the limits; this script prints the figures.
 */
import * as fs from "fs";
import * as path from "path";
import { EXIT, helpText, wantsHelp } from "./cli";
import * as ts from "typescript";

export const ROOT = path.resolve(__dirname, "..");

/** Directories never analysed. */
const SKIP = new Set(["node_modules", "bin", ".git", ".plan", "test"]);

/** Every source file (repo-relative, `/`-separated), sorted. */
export function sourceFiles(root = ROOT): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            if (SKIP.has(entry.name)) continue;
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts"))
                out.push(path.relative(root, full).split(path.sep).join("/"));
        }
    };
    walk(root);
    return out.sort();
}

function parse(file: string, root: string): ts.SourceFile {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
}

/** Resolves a relative module specifier of `from` to a source file, or undefined. */
function resolve(from: string, spec: string, files: ReadonlySet<string>): string | undefined {
    if (!spec.startsWith(".")) return undefined;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
    for (const candidate of [`${base}.ts`, `${base}/index.ts`, base])
        if (files.has(candidate)) return candidate;
    return undefined;
}

/** file → the source files it imports (import, export ... from, require("...")). */
export function importGraph(root = ROOT): Map<string, string[]> {
    const files = sourceFiles(root);
    const known = new Set(files);
    const graph = new Map<string, string[]>();
    for (const file of files) {
        const deps = new Set<string>();
        const visit = (node: ts.Node) => {
            let spec: string | undefined;
            if (
                (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
                node.moduleSpecifier &&
                ts.isStringLiteral(node.moduleSpecifier)
            ) {
                spec = node.moduleSpecifier.text;
            } else if (
                ts.isCallExpression(node) &&
                ts.isIdentifier(node.expression) &&
                node.expression.text === "require" &&
                node.arguments.length === 1 &&
                ts.isStringLiteral(node.arguments[0])
            ) {
                spec = node.arguments[0].text;
            }
            const target = spec ? resolve(file, spec, known) : undefined;
            if (target) deps.add(target);
            ts.forEachChild(node, visit);
        };
        visit(parse(file, root));
        graph.set(file, [...deps].sort());
    }
    return graph;
}

/** Every import circle, each as the list of files around it (strongly connected components). */
export function importCycles(graph: Map<string, string[]>): string[][] {
    // Tarjan's algorithm.
    let index = 0;
    const indices = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const strong = (v: string) => {
        indices.set(v, index);
        low.set(v, index);
        index++;
        stack.push(v);
        onStack.add(v);
        for (const w of graph.get(v) ?? []) {
            if (!indices.has(w)) {
                strong(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) {
                low.set(v, Math.min(low.get(v)!, indices.get(w)!));
            }
        }
        if (low.get(v) === indices.get(v)) {
            const component: string[] = [];
            let w: string;
            do {
                w = stack.pop()!;
                onStack.delete(w);
                component.push(w);
            } while (w !== v);
            if (component.length > 1 || (graph.get(v) ?? []).includes(v))
                cycles.push(component.sort());
        }
    };
    for (const v of [...graph.keys()].sort()) if (!indices.has(v)) strong(v);
    return cycles;
}

/** Lines of a file. */
export function lineCount(file: string, root = ROOT): number {
    return fs.readFileSync(path.join(root, file), "utf8").split("\n").length;
}

/** A function, method or constructor and how many lines it spans. */
export interface FunctionSize {
    file: string;
    name: string;
    line: number;
    lines: number;
}

/** Every function-like node of a file with its span in lines. */
export function functionSizes(file: string, root = ROOT): FunctionSize[] {
    const sf = parse(file, root);
    const out: FunctionSize[] = [];
    const nameOf = (node: ts.Node): string => {
        if (ts.isConstructorDeclaration(node)) {
            const cls = node.parent;
            return `${ts.isClassLike(cls) && cls.name ? cls.name.text : "(class)"}.constructor`;
        }
        const named = node as ts.Node & { name?: ts.Node };
        if (named.name && (ts.isIdentifier(named.name) || ts.isStringLiteral(named.name)))
            return named.name.text;
        const parent = node.parent;
        if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name))
            return parent.name.text;
        if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name))
            return parent.name.text;
        return "(anonymous)";
    };
    const visit = (node: ts.Node) => {
        if (
            ts.isFunctionDeclaration(node) ||
            ts.isMethodDeclaration(node) ||
            ts.isConstructorDeclaration(node) ||
            ts.isArrowFunction(node) ||
            ts.isFunctionExpression(node) ||
            ts.isGetAccessorDeclaration(node) ||
            ts.isSetAccessorDeclaration(node)
        ) {
            const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
            const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
            out.push({ file, name: nameOf(node), line: start + 1, lines: end - start + 1 });
        }
        ts.forEachChild(node, visit);
    };
    visit(sf);
    return out;
}

const USAGE = `usage: npm run structure
  prints the import circles, the longest files and the longest functions of the source tree
  (test/scripts/structure.spec.ts holds the limits)`;

/** The command: what `npm run structure -- <argv>` does, returning its exit code. */
export function main(argv: string[] = []): number {
    if (wantsHelp(argv)) {
        console.log(helpText(USAGE));
        return EXIT.OK;
    }
    if (argv.length > 0) {
        console.error(`structure: unknown argument ${argv[0]}\n${USAGE}`);
        return EXIT.INPUT;
    }
    const files = sourceFiles();
    const graph = importGraph();
    const cycles = importCycles(graph);
    const sizes = files.map((f) => ({ file: f, lines: lineCount(f) }));
    sizes.sort((a, b) => b.lines - a.lines);
    const fns = files.flatMap((f) => functionSizes(f)).sort((a, b) => b.lines - a.lines);
    console.log(`${files.length} source files (test/ excluded)`);
    console.log(`import circles: ${cycles.length}`);
    for (const c of cycles) console.log(`  ${c.join(" ↔ ")}`);
    console.log("longest files:");
    for (const s of sizes.slice(0, 10)) console.log(`  ${String(s.lines).padStart(5)}  ${s.file}`);
    console.log("longest functions:");
    for (const f of fns.slice(0, 10))
        console.log(`  ${String(f.lines).padStart(5)}  ${f.file}:${f.line} ${f.name}`);
    return EXIT.OK;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
