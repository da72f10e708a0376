/**
 * Which stacks a preview can run for now. A stack reads its upstream stacks' outputs with
 * StackReference `requireOutput` (regions/contract.ts), so its preview fails while an upstream
 * stack does not exist ("unknown stack", https://github.com/pulumi/pulumi/issues/2407) or has
 * never been updated (`pulumi stack output` then answers no outputs, not an error:
 * https://github.com/pulumi/pulumi/pull/2099; the required output is missing), or was last
 * updated before an output the downstream reads was added (the contract lists what each stack
 * reads of each upstream: `requiredOutputs`, passed in, as delivery/ does not import regions/). For a brand-new
 * organisation, the preview runs the stacks whose upstreams are deployed and names, for every
 * other stack, the upstream it waits for. The verdicts are pure; the CLI read is at the end.
 */
import { execFile } from "child_process";
import { Topology, upstreamOf } from "../config";
import { Wave, qualifiedStackName } from "./order";

/** What the backend holds of a stack: nothing, or a stack with these output names. */
export type StackState = { exists: false } | { exists: true; outputs: string[] };

/** Why an upstream stack holds a preview back; `outputs`: the names it does not export yet. */
export type Wait =
    | { upstream: string; why: "missing" | "no-outputs" }
    | { upstream: string; why: "missing-outputs"; outputs: string[] };

/** The output names `downstream` reads of `upstream` (regions/contract.ts `requiredOutputs`). */
export type RequiredOutputs = (
    topology: Topology,
    downstream: string,
    upstream: string,
) => readonly string[];

/** The verdict on one stack. */
export interface Readiness {
    stack: string;
    /** The stack itself is not in the backend (`pulumi stack init` not run). */
    missing: boolean;
    /** Upstream stacks not deployed yet; empty when the stack can be previewed. */
    waits: Wait[];
}

/** Whether a stack may be previewed now. */
export const previewable = (r: Readiness): boolean => !r.missing && r.waits.length === 0;

/** The verdict on each of `stacks` from the states of it and its upstreams. */
export function previewReadiness(
    topology: Topology,
    stacks: readonly string[],
    stateOf: (stack: string) => StackState,
    requires: RequiredOutputs,
): Readiness[] {
    return stacks.map((stack) => {
        const waits: Wait[] = [];
        for (const upstream of upstreamOf(topology, stack)) {
            const s = stateOf(upstream);
            if (!s.exists) waits.push({ upstream, why: "missing" });
            else if (s.outputs.length === 0) waits.push({ upstream, why: "no-outputs" });
            else {
                const has = new Set(s.outputs);
                const outputs = requires(topology, stack, upstream).filter((n) => !has.has(n));
                if (outputs.length > 0) waits.push({ upstream, why: "missing-outputs", outputs });
            }
        }
        return { stack, missing: !stateOf(stack).exists, waits };
    });
}

/** Every stack whose state a verdict on `stacks` needs: them and their upstreams. */
export function statesNeeded(topology: Topology, stacks: readonly string[]): string[] {
    return [...new Set(stacks.flatMap((s) => [s, ...upstreamOf(topology, s)]))];
}

const WHY: Record<Exclude<Wait["why"], "missing-outputs">, string> = {
    missing: "its stack does not exist yet",
    "no-outputs": "it has no outputs yet (never updated)",
};

/** One line per stack: previewed, or what it waits for and when it will be previewed. */
export function readinessLine(topology: Topology, r: Readiness): string {
    if (previewable(r)) return `preview ${r.stack}`;
    if (r.missing)
        return (
            `not yet  ${r.stack}: the stack does not exist; create it with ` +
            `\`pulumi stack init ${topology.org}/${r.stack}\` (docs/operations.md, "Bootstrap")`
        );
    const parts: string[] = [];
    const list = r.waits.flatMap((w) =>
        w.why === "missing-outputs" ? [] : [`${w.upstream} (${WHY[w.why]})`],
    );
    if (list.length > 0) parts.push(`reads the outputs of ${list.join(", ")}`);
    for (const w of r.waits)
        if (w.why === "missing-outputs")
            parts.push(
                `waits for ${w.upstream} to export ${w.outputs.join(", ")} (updated before the program exported them)`,
            );
    const when = list.length > 0 ? "first" : "next";
    return (
        `waits    ${r.stack}: ${parts.join("; ")}; ` +
        `previewed once that stack's ${when} \`pulumi up\` has run (npm run deploy)`
    );
}

/**
 * The verdicts as GitHub Actions step outputs: `previewable` and `waiting` (JSON lists) and
 * `report` (one line, the waiting stacks and their upstreams), for the preview workflow.
 */
export function readinessAsGithubOutputs(topology: Topology, rs: readonly Readiness[]): string {
    const waiting = rs.filter((r) => !previewable(r));
    return [
        `previewable=${JSON.stringify(rs.filter(previewable).map((r) => r.stack))}`,
        `waiting=${JSON.stringify(waiting.map((r) => r.stack))}`,
        `report=${waiting.map((r) => readinessLine(topology, r).replace(/\s+/g, " ")).join("; ")}`,
    ].join("\n");
}

/**
 * The CLI's answer for a stack that does not exist: `error: no stack named '<org>/<stack>'
 * found` (as `pulumi stack select` prints it: https://github.com/pulumi/actions/issues/777).
 */
export const MISSING_STACK = /no stack named '[^']*' found/;

/**
 * Reads a stack's state with `pulumi stack output --json --stack <org>/<stack>` (masked: secret
 * values are not read). A missing stack is a state; any other failure (login, network) throws.
 */
export function cliStackState(
    pulumiPath: string,
    cwd: string,
): (qualified: string) => Promise<StackState> {
    return (qualified) =>
        new Promise((resolve, reject) => {
            execFile(
                pulumiPath,
                ["stack", "output", "--json", "--stack", qualified, "--non-interactive"],
                {
                    cwd,
                    timeout: 120_000,
                    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
                },
                (err, stdout, stderr) => {
                    if (err) {
                        if (MISSING_STACK.test(stderr)) resolve({ exists: false });
                        else
                            reject(
                                new Error(
                                    `pulumi stack output --stack ${qualified} failed: ${(stderr || err.message).trim()}`,
                                ),
                            );
                        return;
                    }
                    try {
                        const outputs = JSON.parse(stdout || "{}") as Record<string, unknown>;
                        resolve({ exists: true, outputs: Object.keys(outputs).sort() });
                    } catch {
                        reject(new Error(`pulumi stack output --stack ${qualified}: not JSON`));
                    }
                },
            );
        });
}

/** The verdict on each of `stacks`, reading every state it needs once (in parallel). */
export async function readinessOf(
    topology: Topology,
    stacks: readonly string[],
    read: (qualified: string) => Promise<StackState>,
    requires: RequiredOutputs,
): Promise<Readiness[]> {
    const names = statesNeeded(topology, stacks);
    const states = new Map(
        await Promise.all(
            names.map(async (n) => [n, await read(qualifiedStackName(topology, n))] as const),
        ),
    );
    return previewReadiness(topology, stacks, (s) => states.get(s)!, requires);
}

/** The waves with only the stacks that can be previewed now (empty waves dropped). */
export function previewWaves(waves: readonly Wave[], rs: readonly Readiness[]): Wave[] {
    const ok = new Set(rs.filter(previewable).map((r) => r.stack));
    return waves
        .map((w) => ({ role: w.role, stacks: w.stacks.filter((s) => ok.has(s)) }))
        .filter((w) => w.stacks.length > 0);
}
