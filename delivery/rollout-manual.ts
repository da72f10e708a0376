/** A rollout by hand: its status, giving it up, rolling one region back. */
import {
    LEASE_MARGIN_MS,
    RolloutInput,
    RolloutPorts,
    errorText,
    firstLine,
    regionRefs,
    waitForService,
} from "./rollout-service";
import {
    RegionStatus,
    RolloutClock,
    RolloutState,
    RolloutStatus,
    RolloutStore,
    describePin,
    pinOf,
    samePin,
} from "./rollout-state";

/** The stored state, for `--rollout --status` and the messages. */
export function formatState(state: RolloutState | undefined, where: string): string {
    if (!state) return `no rollout recorded (${where})`;
    return [
        `rollout ${state.id}: ${state.status}${state.reason ? ` (${state.reason})` : ""}`,
        `  state: ${where}; by ${state.owner}; started ${state.startedAt}; updated ${state.updatedAt}; lease until ${state.leaseUntil}`,
        ...state.order.map((r) => {
            const x = state.regions[r];
            return `  ${r}: ${x?.status ?? "pending"}; ${describePin(x?.previous)} -> ${describePin(state.targets[r])}${x?.reason ? `; ${x.reason}` : ""}`;
        }),
    ].join("\n");
}

/**
 * `--rollout --abandon`: gives up an interrupted or failed rollout once an operator has checked
 * the regions. Refused while a run holds the lease. Returns the message.
 */
export async function abandonRollout(
    store: RolloutStore,
    clock: RolloutClock,
    owner: string,
): Promise<{ ok: boolean; message: string }> {
    const state = await store.get();
    if (!state || state.status === "completed" || state.status === "abandoned") {
        return { ok: true, message: `nothing to abandon: ${formatState(state, store.where)}` };
    }
    if (state.status === "running" && new Date(state.leaseUntil) > clock.now()) {
        return {
            ok: false,
            message: `rollout ${state.id} is running (${state.owner}, lease until ${state.leaseUntil}); stop it first`,
        };
    }
    const was = state.status;
    state.status = "abandoned";
    state.reason = `abandoned by ${owner} (was ${was})`;
    state.updatedAt = clock.now().toISOString();
    state.leaseUntil = state.updatedAt;
    await store.put(state);
    return { ok: true, message: formatState(state, store.where) };
}

/**
 * `--rollout --rollback <region>`: the region's stack updated with the image (CPU, memory) it ran
 * before the recorded rollout, by the same program; the rollout is then `rolled-back` in that
 * region (so the image is not taken there again without --retry). Nothing else is touched.
 */
export async function rollbackByHand(
    region: string,
    input: Pick<RolloutInput, "steps" | "deployTimeoutMs" | "pollMs" | "owner">,
    ports: RolloutPorts,
): Promise<{ ok: boolean; message: string }> {
    const { stacks, store, clock, log } = ports;
    const state = await store.get();
    const step = input.steps.find((s) => s.region === region);
    if (!step) {
        return {
            ok: false,
            message: `${region} is not a region of the topology (${input.steps.map((s) => s.region).join(", ")})`,
        };
    }
    const previous = state?.regions[region]?.previous;
    if (!state || !previous) {
        return {
            ok: false,
            message: `no rollout recorded what ${region} ran before (${formatState(state, store.where)}); roll it back by reverting the change and deploying ${step.stack}`,
        };
    }
    if (state.status === "running" && new Date(state.leaseUntil) > clock.now()) {
        return {
            ok: false,
            message: `rollout ${state.id} is running (${state.owner}); stop it before rolling ${region} back by hand`,
        };
    }
    const [ref] = Object.values(await regionRefs([step], stacks));
    const now = await ports.cloud.service(ref.region, ref.cluster, ref.service);
    if (samePin(pinOf(now), previous)) {
        return {
            ok: true,
            message: `${region} already runs ${describePin(previous)}, what it ran before rollout ${state.id}: nothing to roll back`,
        };
    }
    log(
        `${region}: rolling back by hand: pulumi up ${step.stack} with ${describePin(previous)} pinned`,
    );
    const lease = new Date(clock.now().getTime() + input.deployTimeoutMs + LEASE_MARGIN_MS);
    const mark = async (status: RegionStatus, reason: string, overall: RolloutStatus) => {
        state.regions[region] = {
            ...state.regions[region],
            status,
            reason,
            at: clock.now().toISOString(),
        };
        state.status = overall;
        state.failedRegion = region;
        state.reason = `${region}: ${reason}`;
        state.updatedAt = clock.now().toISOString();
        await store.put(state);
    };
    state.leaseUntil = lease.toISOString();
    const reason = `rolled back by hand by ${input.owner}`;
    await mark("rolling-back", reason, "running");
    try {
        log(`${region}: ${await stacks.up(step.stack, previous)}`);
        const ok = await waitForService(ports, ref, previous, {
            timeoutMs: input.deployTimeoutMs,
            pollMs: input.pollMs,
        });
        if (ok !== true) throw new Error(ok);
    } catch (e) {
        state.leaseUntil = clock.now().toISOString();
        await mark("failed", `${reason}; it failed: ${firstLine(errorText(e))}`, "rollback-failed");
        return { ok: false, message: formatState(state, store.where) };
    }
    state.leaseUntil = clock.now().toISOString();
    await mark("rolled-back", reason, "rolled-back");
    return { ok: true, message: formatState(state, store.where) };
}
