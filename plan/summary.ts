/** The human-readable summary `npm run plan` prints per stack. */
import { StackPlan } from "./run";

function short(value: unknown, width = 90): string {
    const s = typeof value === "string" ? value : JSON.stringify(value);
    return s.length > width ? `${s.slice(0, width - 1)}…` : s;
}

export function summarizeStack(plan: StackPlan): string {
    const lines: string[] = [];
    const custom = plan.resources.filter((r) => r.custom);
    lines.push(
        `== stack ${plan.stack} (role ${plan.role}, aws:region ${plan.region}): ${custom.length} resources, ${plan.resources.length - custom.length} components`,
    );
    const counts = new Map<string, number>();
    for (const r of custom) {
        const key = `${r.type}  @ ${r.region ?? "-"}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const rows = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    lines.push("  resources by type and region:");
    for (const [key, n] of rows) lines.push(`    ${String(n).padStart(3)}  ${key}`);
    if (plan.stackReferences.length > 0)
        lines.push(`  stack references: ${plan.stackReferences.join(", ")}`);
    lines.push("  outputs:");
    for (const [k, v] of Object.entries(plan.outputs)) lines.push(`    ${k}: ${short(v)}`);
    const mandatory = plan.violations.filter((v) => v.level === "mandatory");
    const advisory = plan.violations.filter((v) => v.level !== "mandatory");
    lines.push(`  policy: ${mandatory.length} mandatory violation(s), ${advisory.length} advisory`);
    for (const v of plan.violations)
        lines.push(
            `    [${v.level}] ${v.policy}: ${v.message}${v.urn ? `\n      at ${v.urn}` : ""}`,
        );
    return lines.join("\n");
}

export function summarize(plans: StackPlan[]): string {
    const total = plans.reduce((n, p) => n + p.resources.filter((r) => r.custom).length, 0);
    const bad = plans.reduce(
        (n, p) => n + p.violations.filter((v) => v.level === "mandatory").length,
        0,
    );
    return [
        ...plans.map(summarizeStack),
        `== ${plans.length} stack(s) planned: ${total} resources, ${bad} mandatory policy violation(s)`,
    ].join("\n\n");
}
