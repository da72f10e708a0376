/**
 * The order an app change takes through the regions, derived from the topology, never
 * written by hand. One region at a time:
 *
 *   1. the canary: `taskflow:rollout.canaryRegion`, or else the first secondary (topology order)
 *      whose cell serves and whose users another region of their residency zone may serve;
 *   2. the other serving secondaries whose users have such a fallback (topology order);
 *   3. the serving secondaries whose users have none (their zone's data lives only there, e.g.
 *      eu-west-1 for zone eu): they take the change once it has baked elsewhere;
 *   4. pilot-light secondaries (no task runs: updated, nothing to bake);
 *   5. the primary, last: it holds the writer and the night-mode controller. It is never first
 *      unless it is the only region.
 *
 * Pure: unit-tested over the repository's topology, a six-stack fixture and random topologies.
 */
import type { CellMode, Topology } from "../config";
import type { RolloutConfig } from "../config";

export type StepRole = "canary" | "secondary" | "resident-only" | "pilot-light" | "primary";

/** One region of the rollout, in order. */
export interface RolloutStep {
    region: string;
    stack: string;
    role: StepRole;
    /** Why the region is in this position (printed with the plan). */
    reason: string;
    /** Whether the region bakes after its deployment (pilot-light cells run no task). */
    bakes: boolean;
    /** Warnings for the operator (e.g. night mode drains the region at night). */
    notes: string[];
}

/** What the order needs besides the topology. */
export interface OrderInputs {
    /** `taskflow:rollout.canaryRegion`, when set. */
    canaryRegion?: RolloutConfig["canaryRegion"];
    /** Each region stack's cell mode (`taskflow:cellMode`). Default: active. */
    modes?: Record<string, CellMode>;
    /** Night mode, when enabled: its drained regions take no user traffic at night. */
    night?: {
        drained: string[];
        timezone: string;
        nightStart: string;
        dayStart: string;
    };
}

/** Regions of `region`'s zone, other than itself, that are in the topology. */
export function zoneFallbacks(topology: Pick<Topology, "zones" | "regions">, region: string) {
    const spec = topology.regions.find((r) => r.region === region);
    if (!spec) return [];
    const allowed = topology.zones[spec.zone] ?? [];
    return topology.regions.map((r) => r.region).filter((r) => r !== region && allowed.includes(r));
}

/** The rollout order of every region of the topology. */
export function rolloutOrder(
    topology: Pick<Topology, "zones" | "regions">,
    inputs: OrderInputs = {},
): RolloutStep[] {
    const modes = inputs.modes ?? {};
    const serves = (region: string) => (modes[region] ?? "active") !== "pilot-light";
    const primary = topology.regions.find((r) => r.primary);
    const secondaries = topology.regions.filter((r) => !r.primary);
    const fallback = (region: string) => zoneFallbacks(topology, region);

    const configured = inputs.canaryRegion
        ? secondaries.find((r) => r.region === inputs.canaryRegion)
        : undefined;
    const withFallback = secondaries.find((r) => serves(r.region) && fallback(r.region).length > 0);
    const serving = secondaries.find((r) => serves(r.region));
    const canary = configured ?? withFallback ?? serving ?? secondaries[0];
    const canaryWhy = configured
        ? "taskflow:rollout.canaryRegion"
        : canary === withFallback
          ? "the first secondary that serves and whose users another region of their zone may serve"
          : canary === serving
            ? "the first secondary that serves (none has users another region may serve)"
            : "the first secondary (none serves: every secondary is pilot-light)";

    const steps: RolloutStep[] = [];
    const step = (
        r: { region: string; stack: string },
        role: StepRole,
        reason: string,
    ): RolloutStep => ({
        region: r.region,
        stack: r.stack,
        role,
        reason,
        bakes: serves(r.region),
        notes: [],
    });
    const zoneOf = (region: string) => topology.regions.find((r) => r.region === region)!.zone;
    const fallbackText = (region: string) =>
        fallback(region).length > 0
            ? `zone ${zoneOf(region)} users may also be served by ${fallback(region).join(", ")}`
            : `zone ${zoneOf(region)} users have no other region`;

    if (canary) {
        steps.push(step(canary, "canary", `${canaryWhy}; ${fallbackText(canary.region)}`));
    }
    const rest = secondaries.filter((r) => r !== canary);
    for (const r of rest.filter((x) => serves(x.region) && fallback(x.region).length > 0)) {
        steps.push(step(r, "secondary", fallbackText(r.region)));
    }
    for (const r of rest.filter((x) => serves(x.region) && fallback(x.region).length === 0)) {
        steps.push(
            step(
                r,
                "resident-only",
                `${fallbackText(r.region)}: it takes the change once it has baked elsewhere`,
            ),
        );
    }
    for (const r of rest.filter((x) => !serves(x.region))) {
        steps.push(step(r, "pilot-light", "no task runs, so nothing bakes"));
    }
    if (primary) {
        steps.push(
            step(
                primary,
                "primary",
                secondaries.length > 0
                    ? "last: it holds the writer and the night-mode controller"
                    : "the only region: nothing can go before it",
            ),
        );
    }
    for (const s of steps) {
        if (!s.bakes && s.role !== "pilot-light") {
            s.notes.push(`${s.region} is pilot-light: no task runs, so its bake sees no traffic`);
        }
        if (inputs.night?.drained.includes(s.region)) {
            const n = inputs.night;
            s.notes.push(
                `night mode drains ${s.region} from ${n.nightStart} to ${n.dayStart} ${n.timezone}: a bake then sees no user traffic (the rollout refuses to bake it at night)`,
            );
        }
    }
    return steps;
}

/** The plan as printed by `npm run deploy -- --rollout --preview` (and at the start of a rollout). */
export function formatRolloutOrder(
    steps: readonly RolloutStep[],
    timing: Pick<RolloutConfig, "bakeMinutes" | "pollSeconds" | "deploymentTimeoutMinutes">,
    images?: Record<string, { from?: string; to: string }>,
): string {
    const lines = [
        `rollout order (one region at a time): ${steps.map((s) => s.region).join(" -> ")}`,
        `  each region: pulumi preview + up of its stack, wait for its ECS deployment (at most ${timing.deploymentTimeoutMinutes} min), then bake ${timing.bakeMinutes} min reading its alarms and the edge alarms every ${timing.pollSeconds} s; any alarm stops the rollout and rolls that region back`,
    ];
    steps.forEach((s, i) => {
        const img = images?.[s.region];
        lines.push(
            `  ${i + 1}. ${s.region} (stack ${s.stack}) ${s.role}: ${s.reason}${s.bakes ? "" : " [no bake]"}` +
                (img
                    ? img.from !== undefined
                        ? `\n       image ${img.from} -> ${img.to}`
                        : `\n       target ${img.to} (what it runs now is read from ECS when the rollout starts)`
                    : ""),
        );
        for (const n of s.notes) lines.push(`       note: ${n}`);
    });
    return lines.join("\n");
}
