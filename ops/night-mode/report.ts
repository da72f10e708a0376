/** The night-mode report as text. */
import { NightModeReport } from "./ports";

/** One line per step, for logs and the CLI. */
export function formatReport(r: NightModeReport): string {
    const head = `night mode ${r.action}${r.applied && r.applied !== r.action ? ` (${r.applied})` : ""} (${r.environment}): ${r.ok ? "ok" : "FAILED"}${
        r.heldUntil ? `, held until ${r.heldUntil}` : ""
    }`;
    const lines = r.results.map(
        (s) => `  ${s.region.padEnd(15)} ${s.step.padEnd(14)} ${s.status.padEnd(9)} ${s.detail}`,
    );
    return [head, ...lines].join("\n");
}
