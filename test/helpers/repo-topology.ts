/**
 * The repository's topology and stack configs as the program reads them (config/project.ts), for
 * specs that check the real stacks: their expectations come from here, so they hold for any valid
 * topology, a region a user added included.
 */
import {
    StackConfig,
    Topology,
    cidrsOverlap,
    readProjectFiles,
    stacksInOrder,
    validateAll,
} from "../../config";
import { RegionNightRole, nightRoles } from "../../model/night-mode";
import { REPO_ROOT } from "../../plan/run";

let configs: Record<string, StackConfig> | undefined;

/** Every real stack's validated config, by stack name. */
export function repoConfigs(): Record<string, StackConfig> {
    configs ??= validateAll(readProjectFiles(REPO_ROOT));
    return configs;
}

/** The repository's validated topology. */
export function repoTopology(): Topology {
    return Object.values(repoConfigs())[0].topology;
}

/** Every real stack in deployment order (primary, secondaries, global). */
export function repoStacks(): string[] {
    return stacksInOrder(repoTopology());
}

/** The real region stacks' regions, in the topology's order. */
export function repoRegions(): string[] {
    return repoTopology().regions.map((r) => r.region);
}

/** The secondaries' regions, in the topology's order. */
export function repoSecondaryRegions(): string[] {
    return repoTopology()
        .regions.filter((r) => !r.primary)
        .map((r) => r.region);
}

/** A /16 in 10.0.0.0/8 that overlaps none of `taken` (the first free one, counting up from 10.40). */
export function freeCidr(
    taken: readonly string[] = repoTopology().regions.map((r) => r.vpcCidr),
): string {
    for (let n = 40; n < 256; n++) {
        const cidr = `10.${n}.0.0/16`;
        if (!taken.some((t) => cidrsOverlap(t, cidr))) return cidr;
    }
    throw new Error(`no free /16 in 10.0.0.0/8 next to ${taken.join(", ")}`);
}

/** What night mode does with each real region (model/night-mode.ts nightRoles), by region. */
export function repoNightRoles(): Record<string, RegionNightRole> {
    const { nightMode } = Object.values(repoConfigs())[0];
    return nightRoles(repoTopology(), nightMode.enabled ? nightMode.activeRegions : []);
}

/** The regions night mode drains in the real stacks, in the topology's order. */
export function repoDrainedRegions(): string[] {
    const roles = repoNightRoles();
    return repoRegions().filter((r) => roles[r].role === "drain");
}

/** The config of the real stack deploying `region`. */
export function repoStackOfRegion(region: string): StackConfig {
    const r = repoTopology().regions.find((x) => x.region === region);
    if (!r) throw new Error(`no stack deploys ${region}`);
    return repoConfigs()[r.stack];
}
