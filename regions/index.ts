/** Picks the composition for a stack's role. */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config";
import { composeGlobal } from "./global";
import { composePrimary } from "./primary";
import { composeSecondary } from "./secondary";

/** Stack outputs: what other stacks read through StackReferences. */
export type StackOutputs = Record<string, pulumi.Input<unknown>>;

export function composeStack(cfg: StackConfig): StackOutputs {
    switch (cfg.role) {
        case "primary":
            return composePrimary(cfg);
        case "secondary":
            return composeSecondary(cfg);
        case "global":
            return composeGlobal(cfg);
    }
}
