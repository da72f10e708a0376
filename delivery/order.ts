/**
 * Deployment order, derived from the topology (never written by hand).
 *
 * The stack graph is acyclic by construction (docs/architecture.md, "The stacks and what flows
 * between them"): secondaries read the primary's outputs, the global stack reads every region
 * stack's outputs.
 * So one `pulumi up` per stack converges when the stacks run in three waves:
 *
 *   1. the primary stack,
 *   2. every secondary stack, in parallel,
 *   3. the global stack.
 *
 * Destroying runs the same waves in reverse. Everything here is a pure function of the topology.
 */
import { Role, Topology, didYouMean } from "../config";

/** One wave of stacks that may run in parallel; waves run one after the other. */
export interface Wave {
    /** The role every stack of this wave has. */
    role: Role;
    /** Stack names, in topology order. */
    stacks: string[];
}

/** Every stack of the topology, grouped into deployment waves (before any `--stacks` filter). */
function allWaves(topology: Topology): Wave[] {
    return [
        { role: "primary", stacks: topology.regions.filter((r) => r.primary).map((r) => r.stack) },
        {
            role: "secondary",
            stacks: topology.regions.filter((r) => !r.primary).map((r) => r.stack),
        },
        { role: "global", stacks: [topology.globalStack] },
    ];
}

/** Thrown when `--stacks` names a stack the topology does not have. */
export class UnknownStackError extends Error {
    constructor(
        readonly unknown: string[],
        readonly allowed: string[],
    ) {
        const guesses = unknown
            .map((s) => [s, didYouMean(s, allowed)])
            .filter(([, g]) => g !== undefined)
            .map(([s, g]) => `"${s}": did you mean ${g}?`);
        super(
            `unknown stack${unknown.length > 1 ? "s" : ""} ${unknown.map((s) => `"${s}"`).join(", ")}; ` +
                (guesses.length > 0 ? `${guesses.join("; ")} ` : "") +
                `allowed: ${allowed.join(", ")} (the stacks of taskflow:topology)`,
        );
        this.name = "UnknownStackError";
    }
}

/**
 * The waves `pulumi up` / `pulumi preview` run in: primary, then the secondaries in parallel,
 * then the global stack. With `stacks`, only those stacks are kept (in their waves, in wave
 * order, whatever order they were given in) and empty waves are dropped; a name the topology
 * does not know throws UnknownStackError naming the allowed stacks.
 */
export function deployWaves(topology: Topology, stacks?: readonly string[]): Wave[] {
    const waves = allWaves(topology);
    if (stacks === undefined) return waves;
    const allowed = waves.flatMap((w) => w.stacks);
    const unknown = stacks.filter((s) => !allowed.includes(s));
    if (unknown.length > 0) throw new UnknownStackError([...new Set(unknown)], allowed);
    const wanted = new Set(stacks);
    return waves
        .map((w) => ({ role: w.role, stacks: w.stacks.filter((s) => wanted.has(s)) }))
        .filter((w) => w.stacks.length > 0);
}

/**
 * The waves `pulumi destroy` runs in: the reverse of deployWaves (global, then the secondaries
 * in parallel, then the primary), so no stack loses an upstream it still references.
 */
export function destroyWaves(topology: Topology, stacks?: readonly string[]): Wave[] {
    return deployWaves(topology, stacks)
        .reverse()
        .map((w) => ({ role: w.role, stacks: [...w.stacks] }));
}

/** Fully-qualified stack name for the Automation API and the CLI: `<org>/<stack>`. */
export function qualifiedStackName(topology: Topology, stack: string): string {
    return `${topology.org}/${stack}`;
}

/**
 * The waves as GitHub Actions step outputs (`key=value` lines for `$GITHUB_OUTPUT`): `org`,
 * `stacks` (every stack, deployment order), and one JSON list per role: `primary`, `secondary`,
 * `global`. The workflows build their job matrices from these, so adding a region to the
 * topology needs no workflow change.
 */
export function wavesAsGithubOutputs(topology: Topology, stacks?: readonly string[]): string {
    const waves = deployWaves(topology, stacks);
    const byRole = (role: Role) => waves.find((w) => w.role === role)?.stacks ?? [];
    return [
        `org=${topology.org}`,
        `stacks=${JSON.stringify(waves.flatMap((w) => w.stacks))}`,
        `primary=${JSON.stringify(byRole("primary"))}`,
        `secondary=${JSON.stringify(byRole("secondary"))}`,
        `global=${JSON.stringify(byRole("global"))}`,
    ].join("\n");
}
