/**
 * The resilience report: what the planned design promises (RTO, RPO, availability, the failure
 * matrix, cost per mode) and the picture, computed from the planned resources and config.
 *
 * Pure functions over the plan files' structure (docs/plan-format.md, "Report"): `buildReport`
 * takes the stack plans plus the few config values the plan cannot show (targets, each cell's
 * sizing for the mode projections), and everything else is read from resources.
 */
import type { CellConfig } from "../../config";
import type { Targets } from "../../config/targets";
import type { StackPlan } from "../run";
import { RESOLVER_ALLOWANCE_SECONDS } from "./aws-facts";
import { CostModel, costModel } from "./cost";
import { architectureMarkdown } from "./diagram";
import { Scenario } from "./dns";
import { Geography, MatrixRow, failureMatrix, geographies, scenarios } from "./matrix";
import { PlanIndex } from "./model";
import {
    AvailabilityLine,
    CellAvailability,
    Check,
    RpoLine,
    RtoLine,
    availabilityLines,
    matrixChecks,
    rpoLines,
    rtoLines,
    writePathLines,
} from "./resilience";
import { EntryPoint, Routing } from "./routing";

export const REPORT_FORMAT_VERSION = 1;

export interface ReportInputs {
    plans: StackPlan[];
    targets: Targets;
    /** Region stacks: role and validated cell sizing (for the warm-standby / pilot-light projections). */
    cells: Record<string, { role: "primary" | "secondary"; cell: CellConfig }>;
    /** The primary (writer) region, for the data-tier scenario. */
    primaryRegion?: string;
}

export interface Report {
    formatVersion: number;
    targets: Targets;
    assumptions: string[];
    entryPoints: EntryPoint[];
    regions: string[];
    scenarios: Scenario[];
    geographies: { id: string; label: string; places: string[] }[];
    rto: RtoLine[];
    rpo: RpoLine[];
    availability: { cells: CellAvailability[]; lines: AvailabilityLine[] };
    matrix: MatrixRow[];
    cost: CostModel;
    /** Every compared line that is not met and not exempt: what `--strict` fails on. */
    unmet: Check[];
}

export interface ReportOutput {
    report: Report;
    architecture: string;
}

export function buildReport(inputs: ReportInputs): ReportOutput {
    const idx = new PlanIndex(inputs.plans);
    const routing = new Routing(idx);
    const regions = [
        ...new Set(inputs.plans.filter((p) => inputs.cells[p.stack]).map((p) => p.region)),
    ].sort();
    const scs = scenarios(regions, inputs.primaryRegion, !!routing.night);
    const geos: Geography[] = geographies(routing);
    const matrix = failureMatrix(routing, scs, geos, inputs.targets);
    const rto = [
        ...rtoLines(idx, routing, matrix, scs, inputs.targets),
        ...writePathLines(
            idx,
            scs.find((s) => s.dataDown),
            inputs.targets,
        ),
    ];
    const rpo = rpoLines(idx, inputs.targets);
    const availability = availabilityLines(idx, routing, regions, inputs.targets);
    const cost = costModel(idx, {
        cells: inputs.cells,
        roles: Object.fromEntries(inputs.plans.map((p) => [p.stack, p.role])),
        night: routing.night,
    });
    const checks: Check[] = [
        ...rto,
        ...rpo,
        ...availability.lines,
        ...matrixChecks(matrix, inputs.targets),
    ];
    const unmet = checks.filter((c) => c.verdict === "not-met" && !c.exempt);
    const report: Report = {
        formatVersion: REPORT_FORMAT_VERSION,
        targets: inputs.targets,
        assumptions: [
            `Latency routing and Global Accelerator's closest group are modelled by great-circle distance to the region's city (AWS publishes neither its latency data nor data-centre locations).`,
            `A viewer's resolver, and the CloudFront edge serving it, are taken to be where the viewer is.`,
            `Round-trip figures are physical lower bounds (great circle at the speed of light in fibre); real round trips are longer.`,
            `DNS failover time adds ${RESOLVER_ALLOWANCE_SECONDS} s for resolvers that keep answers past their TTL: an allowance of this report, not an AWS figure.`,
            `A region "down" takes its whole cell (web and data tier) down; the data-tier scenario keeps the cell answering /health.`,
            `CloudWatch-alarm health checks other than night mode's gates are taken as healthy.`,
            `Availability is a composite of SLA figures (service-credit thresholds) with failures taken as independent: a floor AWS commits to, not a measurement.`,
        ],
        entryPoints: routing.entries,
        regions,
        scenarios: scs,
        geographies: geos.map((g) => ({
            id: g.id,
            label: g.label,
            places: g.places.map((p) => p.name),
        })),
        rto,
        rpo,
        availability,
        matrix,
        cost,
        unmet,
    };
    return { report, architecture: architectureMarkdown(idx, routing, rpo) };
}

/** JSON with sorted keys and a trailing newline: byte-stable like the plan files. */
export function reportToJson(report: Report): string {
    const stable = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(stable);
        if (v && typeof v === "object") {
            const o: Record<string, unknown> = {};
            for (const k of Object.keys(v).sort()) {
                const x = (v as Record<string, unknown>)[k];
                if (x !== undefined) o[k] = stable(x);
            }
            return o;
        }
        return v;
    };
    return `${JSON.stringify(stable(report), null, 2)}\n`;
}

const mark = (c: Check) =>
    c.verdict === "met"
        ? "met"
        : c.verdict === "typical"
          ? "typical only"
          : c.exempt
            ? "not met (exempt)"
            : "**NOT MET**";
const fmt = (v: number | null, unit: string) =>
    v === null ? "—" : `${v}${unit === "%" ? " %" : unit ? ` ${unit}` : ""}`;
const usd = (x: number) => `$${x.toFixed(2)}`;

export function reportToMarkdown(report: Report): string {
    const t = report.targets;
    const L: string[] = [];
    L.push("# Resilience report (generated by `npm run plan -- --out`)", "");
    L.push(
        `Targets (taskflow:targets; seed 000 by default): latency ≤ ${t.latencyMs} ms, availability ≥ ${t.availabilityPercent} %, RPO ≤ ${t.rpoSeconds} s, RTO ≤ ${t.rtoSeconds} s.`,
        "",
        report.unmet.length === 0
            ? "Every target is met (or met typically, where AWS promises nothing) apart from the exempt lines."
            : `**${report.unmet.length} target line(s) not met** — \`npm run plan -- --strict\` fails on them:`,
        "",
    );
    for (const u of report.unmet) L.push(`- ${u.target}: ${u.subject}: ${u.detail}`);
    L.push(
        "",
        "Entry points: " + report.entryPoints.map((e) => `\`${e.name}\` (${e.kind})`).join(", "),
        "",
    );
    L.push("## RTO: failover time of the web tier", "");
    L.push("| entry point | region down | seconds | verdict | how |", "|---|---|---|---|---|");
    for (const r of report.rto)
        L.push(
            `| ${r.entry} | ${r.region} | ${fmt(r.value, "")} | ${mark(r)} | ${r.detail}${r.exempt ? ` (${r.exempt})` : ""} |`,
        );
    L.push("", "## RPO per data tier", "");
    L.push(
        "| data | regions | mechanism | promised | typical | verdict |",
        "|---|---|---|---|---|---|",
    );
    for (const r of report.rpo)
        L.push(
            `| ${r.subject} | ${r.regions.join(", ")} | ${r.mechanism} | ${r.promised} | ${r.typical} | ${mark(r)}${r.exempt ? ` — ${r.exempt}` : ""} |`,
        );
    L.push("", "## Availability", "");
    L.push("| cell | composite | components |", "|---|---|---|");
    for (const c of report.availability.cells)
        L.push(
            `| ${c.region} | ${c.percent} % | ${c.components.map((x) => `${x.name} ${x.percent} %`).join(" × ")} |`,
        );
    L.push("", "| subject | availability | verdict | formula |", "|---|---|---|---|");
    for (const a of report.availability.lines)
        L.push(
            `| ${a.subject} | ${fmt(a.value, "%")} | ${mark(a)}${a.exempt ? ` — ${a.exempt}` : ""} | ${a.formula} |`,
        );
    L.push("", "## Failure matrix", "");
    L.push(
        "RTT: lower bound for the farthest sample viewer served (great circle, light in fibre). Residency: requests needing zone-resident data.",
        "",
    );
    L.push(
        "| scenario | entry point | geography | served by | worst RTT | latency | residency |",
        "|---|---|---|---|---|---|---|",
    );
    for (const m of report.matrix) {
        const served = m.servedBy.map((s) => s ?? "**fails**").join(", ");
        const lat = m.latencyOk === null ? "" : m.latencyOk ? "ok" : "**over target**";
        const res = m.residency ? `${m.residency}${m.enforcedBy ? ` (${m.enforcedBy})` : ""}` : "";
        L.push(
            `| ${m.scenario} | ${m.entry} | ${m.geography} | ${served} | ${m.worstRttMs === null ? "—" : `${m.worstRttMs} ms (${m.worstPlace})`} | ${lat} | ${res} |`,
        );
    }
    const c = report.cost;
    L.push(
        "",
        "## Cost per month",
        "",
        `Price table dated ${c.priceTableAsOf} (plan/report/data/prices.json; list prices, ${c.currency}, ${c.hoursPerMonth} h a month). Fixed charges only; usage (requests, data transfer, storage, I/O, LCUs) not estimated.`,
        "",
    );
    L.push(
        "| mode | " + c.stacks.map((s) => s.stack).join(" | ") + " | total |",
        "|---|" + c.stacks.map(() => "---|").join("") + "---|",
    );
    for (const m of c.modes)
        L.push(
            `| ${m.title} | ${c.stacks.map((s) => usd(m.byStack[s.stack])).join(" | ")} | ${usd(m.monthly)} |`,
        );
    if (c.nightMode) {
        L.push(
            "",
            `Night-mode saving: ${usd(c.nightMode.savingMonthly)} a month, ${c.nightMode.savingPercent} % (seed 000 claims ${c.nightMode.seedClaimPercent} %).`,
            "",
        );
        for (const e of c.nightMode.explanation) L.push(`- ${e}`);
    }
    for (const m of c.modes)
        for (const n of m.notes.filter((x) => !c.nightMode?.explanation.includes(x)))
            L.push(`- ${m.mode}: ${n}`);
    L.push(
        "",
        "| stack | region | item | qty | unit price / month | per month |",
        "|---|---|---|---|---|---|",
    );
    for (const s of c.stacks)
        for (const l of s.lines)
            L.push(
                `| ${s.stack} | ${l.region} | ${l.item} (${l.resource}) | ${l.quantity} ${l.unit} | ${usd(l.unitMonthly)} | ${usd(l.monthly)} |`,
            );
    const missing = c.stacks.flatMap((s) => s.missingPrices);
    if (missing.length) L.push("", "No price in the table (not counted): " + missing.join("; "));
    L.push(
        "",
        "Not estimated (usage charges only, or free): " +
            c.usageOnly.map((x) => `\`${x}\``).join(", "),
    );
    L.push("", "## Assumptions", "", ...report.assumptions.map((a) => `- ${a}`), "");
    return L.join("\n");
}

/** The few lines `npm run plan` prints. */
export function summarizeReport(report: Report): string {
    const lines = ["== resilience report (targets: taskflow:targets)"];
    const worst = (xs: { value: number | null }[]) => Math.max(0, ...xs.map((x) => x.value ?? 0));
    const rto = report.rto.filter((r) => r.value !== null);
    lines.push(
        `  RTO: worst failover ${worst(rto)} s (target ${report.targets.rtoSeconds} s) over ${rto.length} entry-point/region line(s); ${report.rto.filter((r) => r.exempt).length} exempt line(s) (residency fails closed; operator-run promotions)`,
    );
    for (const r of report.rpo.filter((x) => x.tier !== "resident"))
        lines.push(`  RPO ${r.tier}: ${r.subject}: ${r.verdict} (${r.detail})`);
    const web = report.availability.lines[0];
    if (web)
        lines.push(
            `  availability: ${web.subject}: ${web.value} % (target ${report.targets.availabilityPercent} %): ${web.verdict}`,
        );
    for (const m of report.cost.modes)
        lines.push(`  cost ${m.mode}: $${m.monthly.toFixed(2)}/month`);
    if (report.cost.nightMode)
        lines.push(
            `  night-mode saving ${report.cost.nightMode.savingPercent} % vs seed 000's ${report.cost.nightMode.seedClaimPercent} %`,
        );
    lines.push(
        report.unmet.length === 0
            ? "  every target met (exempt lines apart)"
            : `  ${report.unmet.length} target line(s) not met (npm run plan -- --strict fails):`,
    );
    for (const u of report.unmet.slice(0, 12)) lines.push(`    ${u.target}: ${u.subject}`);
    if (report.unmet.length > 12) lines.push(`    … ${report.unmet.length - 12} more in report.md`);
    return lines.join("\n");
}
