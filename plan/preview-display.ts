/**
 * What `npm run plan` prints: each planned stack the way `pulumi preview` prints a preview of a
 * new stack, from the plan result alone (pure functions; nothing is planned here).
 *
 * The shape follows the Pulumi CLI's display (github.com/pulumi/pulumi, pkg/backend/display):
 * - the resource tree (progress.go getOrCreateTreeNode / addIndentations): every resource under
 *   its parent, a resource whose parent is unknown under the stack, children drawn with
 *   `├─ ` / `└─ ` and `│  ` continuation; columns Type, Name, Plan, Info joined with two spaces
 *   (tableutil.go renderRow), the Info column dropped when empty (removeInfoColumnIfUnneeded);
 * - the op marker and plan text per row (resource/deploy/step.go RawPrefix, progress.go
 *   getPreviewText): `+ ` create, `> ` read (a StackReference); the type as
 *   `tokens.Type.DisplayName` prints it (`aws:lb/loadBalancer:LoadBalancer` → `aws:lb:LoadBalancer`);
 * - then "Policies:" (`✅ <pack>@v<version> (local: <dir>)` and its violations, progress.go
 *   printPolicies), "Outputs:" (object_diff.go) and "Resources:" with `+ N to create`
 *   (diff.go renderSummaryEvent), in that order (progress.go processEndSteps).
 * Differences, on purpose: the mocks register no `pulumi:pulumi:Stack` resource, so the stack row
 * is the tree's root without a marker and is not counted (a real first preview adds 1 per stack);
 * the default providers are hidden and not counted, as the engine does (they are not in the plan);
 * the Info column holds a resource's region when it is not the stack's; siblings come in the
 * plan file's order (by URN), not in registration order, so two runs print the same tree.
 */
import { PackRun } from "./policy";
import { StackPlan } from "./run";
import { countTotals, formatTotals, Totals, totalsOfPlans } from "./totals";
import { outputLines } from "./preview-values";

/** How to print: with ANSI colour or plain. */
export interface DisplayOptions {
    color: boolean;
}

type Op = "create" | "read" | "same";

/** One row of the tree: a planned resource, a read, or the stack itself (the root). */
export interface TreeNode {
    op: Op;
    urn: string;
    type: string;
    name: string;
    info: string;
    children: TreeNode[];
}

// ANSI codes for the colours the CLI uses (sdk/go/common/diag/colors: SpecCreate = green,
// SpecRead = bright cyan, column headers underlined bright blue, SpecHeadline bold bright
// magenta, SpecInfo magenta, SpecError red, SpecWarning yellow).
const ANSI = {
    reset: "\x1b[0m",
    create: "\x1b[32m",
    read: "\x1b[96m",
    header: "\x1b[4m\x1b[94m",
    headline: "\x1b[95m\x1b[1m",
    info: "\x1b[35m",
    error: "\x1b[31m",
    warning: "\x1b[33m",
} as const;

type Paint = (style: keyof typeof ANSI, text: string) => string;

function painter(opts: DisplayOptions): Paint {
    return (style, text) =>
        opts.color && text !== "" ? `${ANSI[style]}${text}${ANSI.reset}` : text;
}

/** The type as the CLI shows it: `pkg:mod/file:Name` → `pkg:mod:Name` when file is Name camel-cased. */
export function displayType(type: string): string {
    const parts = type.split(":");
    if (parts.length !== 3 || parts[2] === "") return type;
    const [pkg, mod, name] = parts;
    const slash = mod.lastIndexOf("/");
    if (slash < 0) return type;
    const file = mod.slice(slash + 1);
    if (file !== name[0].toLowerCase() + name.slice(1)) return type;
    return `${pkg}:${mod.slice(0, slash)}:${name}`;
}

/** The stack's tree: the stack at the root, then every resource and read under its parent. */
export function previewTree(plan: StackPlan): TreeNode {
    const root: TreeNode = {
        op: "same",
        urn: `urn:pulumi:${plan.stack}::${plan.project}::pulumi:pulumi:Stack::${plan.project}-${plan.stack}`,
        type: "pulumi:pulumi:Stack",
        name: `${plan.project}-${plan.stack}`,
        info: "",
        children: [],
    };
    const nodes = new Map<string, TreeNode>();
    const parents = new Map<string, string | null>();
    for (const r of plan.resources) {
        const elsewhere = r.region && r.region !== "global" && r.region !== plan.region;
        nodes.set(r.urn, {
            op: "create",
            urn: r.urn,
            type: r.type,
            name: r.name,
            info: elsewhere ? `region ${r.region}` : "",
            children: [],
        });
        parents.set(r.urn, r.parent);
    }
    for (const r of plan.reads ?? []) {
        nodes.set(r.urn, {
            op: "read",
            urn: r.urn,
            type: r.type,
            name: r.name,
            info: "",
            children: [],
        });
        parents.set(r.urn, r.parent);
    }
    for (const [urn, node] of nodes) {
        const parent = parents.get(urn);
        (parent ? (nodes.get(parent) ?? root) : root).children.push(node);
    }
    return root;
}

/** Every node under `root` (root excluded), depth first. */
export function treeNodes(root: TreeNode): TreeNode[] {
    return root.children.flatMap((c) => [c, ...treeNodes(c)]);
}

interface Row {
    columns: string[];
    styles: (keyof typeof ANSI | undefined)[];
}

const MARK: Record<Op, string> = { create: "+ ", read: "> ", same: "  " };

function rowsOf(node: TreeNode, indent: string, prefix: string, out: Row[]): void {
    const style = node.op === "same" ? undefined : node.op;
    out.push({
        columns: [
            MARK[node.op],
            prefix + displayType(node.type),
            node.name,
            node.op === "same" ? "" : node.op,
            node.info,
        ],
        styles: [style, undefined, undefined, style, undefined],
    });
    node.children.forEach((c, i) => {
        const last = i === node.children.length - 1;
        rowsOf(c, indent + (last ? "   " : "│  "), indent + (last ? "└─ " : "├─ "), out);
    });
}

/** The tree table, one line per row, columns aligned; `paint` colours markers and headers. */
export function treeTable(root: TreeNode, paint: Paint): string[] {
    const rows: Row[] = [
        { columns: ["", "Type", "Name", "Plan", "Info"], styles: Array(5).fill("header") },
    ];
    rowsOf(root, "", "", rows);
    if (rows.slice(1).every((r) => r.columns[4] === "")) for (const r of rows) r.columns.pop();
    const widths = rows[0].columns.map((_, i) =>
        Math.max(...rows.map((r) => [...r.columns[i]].length)),
    );
    return rows.map((r) => {
        let line = " ";
        r.columns.forEach((c, i) => {
            if (i > 0) line += " ".repeat(widths[i - 1] - [...r.columns[i - 1]].length + 2);
            const style = r.styles[i];
            line += style ? paint(style, c) : c;
        });
        return line.trimEnd();
    });
}

function policyLines(plan: StackPlan, pack: PackRun, paint: Paint): string[] {
    const mandatory = plan.violations.some((v) => v.level === "mandatory");
    const mark = mandatory ? "❌" : plan.violations.length > 0 ? "⚠️" : "✅";
    const lines = [
        `    ${mark} ${paint("info", `${pack.name}@v${pack.version}`)} (local: ${pack.path})`,
        `        ${packConfigLine(pack)}`,
    ];
    const urns = new Map(plan.resources.map((r) => [r.urn, r]));
    for (const v of plan.violations) {
        const r = v.urn ? urns.get(v.urn) : undefined;
        const at = r ? `  (${displayType(r.type)}: ${r.name})` : v.urn ? `  (${v.urn})` : "";
        lines.push(
            `        - ${paint(v.level === "mandatory" ? "error" : "warning", `[${v.level}]  ${v.policy}`)}${at}`,
            ...v.message.split("\n").map((m) => `          ${m}`),
        );
    }
    return lines;
}

/** How the pack was configured, in one line: the config file, levels set, policies disabled. */
export function packConfigLine(pack: PackRun): string {
    const config = pack.config ? `config ${pack.config}` : "no config file (schema defaults)";
    const levels =
        pack.levels.length === 0
            ? `all ${pack.policies} policies at their default level`
            : `levels set: ${pack.levels.map((l) => `${l.policy} ${l.level} (default ${l.default})`).join(", ")}`;
    const disabled =
        pack.disabled.length === 0 ? "no policy disabled" : `disabled: ${pack.disabled.join(", ")}`;
    return `${config}; ${levels}; ${disabled}`;
}

/** The "Resources:" section: `+ N to create` (the same count policy:check reports). */
function resourceLines(totals: Totals, paint: Paint): string[] {
    return [
        paint("headline", "Resources:"),
        `    ${paint("create", `+ ${totals.resources} to create`)}`,
    ];
}

/** One stack's preview: header, tree, policies, outputs (whole), resource count. */
export function renderStack(plan: StackPlan, pack: PackRun, opts: DisplayOptions): string {
    const paint = painter(opts);
    const outputs = outputLines(plan.outputs);
    return [
        `== stack ${plan.stack} (role ${plan.role}, aws:region ${plan.region})`,
        "",
        ...treeTable(previewTree(plan), paint),
        "",
        paint("headline", "Policies:"),
        ...policyLines(plan, pack, paint),
        "",
        ...(outputs.length > 0 ? [paint("headline", "Outputs:"), ...outputs, ""] : []),
        ...resourceLines(countTotals([plan], plan.violations), paint),
    ].join("\n");
}

/** The whole preview: every stack, then one summary line for all of them. */
export function renderPreview(plans: StackPlan[], pack: PackRun, opts: DisplayOptions): string {
    const paint = painter(opts);
    const totals = totalsOfPlans(plans);
    const verdict = totals.mandatory > 0 ? "error" : totals.advisory > 0 ? "warning" : "create";
    return [
        ...plans.map((p) => renderStack(p, pack, opts)),
        `== all stacks: ${paint(verdict, formatTotals(totals))} (${pack.name}@v${pack.version})`,
    ].join("\n\n");
}

/**
 * Whether to colour: `--color always|never` decides; else not when NO_COLOR is set to anything
 * but "" (https://no-color.org), yes when FORCE_COLOR is set to anything but "", "0" or
 * "false", else only when stdout is a terminal.
 */
export function useColor(
    flag: "auto" | "always" | "never",
    isTTY: boolean | undefined,
    env: Record<string, string | undefined>,
): boolean {
    if (flag !== "auto") return flag === "always";
    if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
    const force = env.FORCE_COLOR;
    if (force !== undefined && force !== "" && force !== "0" && force !== "false") return true;
    return isTTY === true;
}
