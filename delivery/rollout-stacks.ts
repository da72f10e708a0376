/**
 * The rollout's Pulumi side on the Automation API (delivery/rollout.ts, `RolloutStacks`): a
 * preview of one stack with the policy pack (its engine events become resource steps), an update
 * of one stack (previewed with the pack first, as `npm run deploy` does: CrossGuard stack policies
 * only report after `up` has applied its steps), and its outputs.
 *
 * A rollback pins the previous image, CPU and memory without touching the checkout: the update
 * runs with `--config-file` pointing at a copy of `Pulumi.<stack>.yaml` that sets
 * `taskflow:appImage`, `taskflow:taskCpu` and `taskflow:taskMemory` (project config from
 * Pulumi.yaml still applies). The repository keeps asking for the new image until it is reverted;
 * the rollout state refuses to take it anywhere again meanwhile.
 * https://www.pulumi.com/docs/iac/cli/commands/pulumi_up/ (`--config-file`)
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    EngineEvent,
    LocalWorkspace,
    OpMap,
    PulumiCommand,
    Stack,
} from "@pulumi/pulumi/automation";
import * as YAML from "yaml";
import type { AppPin, RolloutStacks } from "./rollout";
import { changesFromEvents } from "./rollout-classify";

export interface AutomationStackOptions {
    /** The project directory (Pulumi.yaml and the stack files). */
    workDir: string;
    /** `<org>/<stack>` for a stack name. */
    qualified: (stack: string) => string;
    policyPacks: string[];
    /** Files `pulumi preview/up --policy-pack-config` takes, one per pack (optional). */
    policyPackConfigs?: string[];
    /** The Pulumi CLI (`PulumiCommand.get()`), resolved on first use. */
    pulumiCommand: () => Promise<PulumiCommand>;
    /** Where each stack's CLI output goes. */
    onOutput: (stack: string) => (out: string) => void;
}

/** The config keys a rollback pins: the cell's app keys (config.ts CELL_KEYS). */
export function pinnedConfig(stackFile: string | undefined, pin: AppPin): string {
    const doc = (stackFile ? YAML.parse(stackFile) : undefined) ?? {};
    const config = { ...((doc as { config?: Record<string, unknown> }).config ?? {}) };
    config["taskflow:appImage"] = pin.image;
    if (pin.cpu !== undefined) config["taskflow:taskCpu"] = pin.cpu;
    if (pin.memory !== undefined) config["taskflow:taskMemory"] = pin.memory;
    return YAML.stringify({ ...(doc as object), config });
}

function describeChanges(changes: OpMap | undefined): string {
    if (!changes) return "no change summary";
    const parts = Object.entries(changes)
        .filter(([op, n]) => op !== "same" && (n ?? 0) > 0)
        .map(([op, n]) => `${n} ${op}`);
    return parts.length > 0 ? parts.join(", ") : "no changes";
}

export function automationStacks(options: AutomationStackOptions): RolloutStacks {
    const selected = new Map<string, Promise<Stack>>();
    const select = (stack: string) => {
        if (!selected.has(stack)) {
            selected.set(
                stack,
                options
                    .pulumiCommand()
                    .then((pulumiCommand) =>
                        LocalWorkspace.selectStack(
                            { stackName: options.qualified(stack), workDir: options.workDir },
                            { pulumiCommand },
                        ),
                    ),
            );
        }
        return selected.get(stack)!;
    };
    const pack = {
        policyPacks: options.policyPacks,
        ...(options.policyPackConfigs ? { policyPackConfigs: options.policyPackConfigs } : {}),
    };
    return {
        async preview(stack) {
            const events: EngineEvent[] = [];
            const s = await select(stack);
            await s.preview({
                ...pack,
                color: "never",
                onOutput: options.onOutput(`${stack} preview`),
                onEvent: (e) => events.push(e),
            });
            return changesFromEvents(events);
        },
        async up(stack, pin) {
            const s = await select(stack);
            let configFile: string | undefined;
            let dir: string | undefined;
            if (pin) {
                const own = path.join(options.workDir, `Pulumi.${stack}.yaml`);
                dir = fs.mkdtempSync(path.join(os.tmpdir(), "taskflow-rollback-"));
                configFile = path.join(dir, `Pulumi.${stack}.yaml`);
                fs.writeFileSync(
                    configFile,
                    pinnedConfig(
                        fs.existsSync(own) ? fs.readFileSync(own, "utf8") : undefined,
                        pin,
                    ),
                );
            }
            try {
                const common = {
                    ...pack,
                    color: "never" as const,
                    ...(configFile ? { configFile } : {}),
                };
                await s.preview({ ...common, onOutput: options.onOutput(`${stack} preview`) });
                const r = await s.up({
                    ...common,
                    onOutput: options.onOutput(stack),
                    message: pin ? `rollout: roll back to ${pin.image}` : "rollout",
                });
                return describeChanges(r.summary.resourceChanges);
            } finally {
                if (dir) fs.rmSync(dir, { recursive: true, force: true });
            }
        },
        async outputs(stack) {
            const s = await select(stack);
            const out = await s.outputs();
            return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value]));
        },
    };
}
