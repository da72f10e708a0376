/** Picks the composition for a stack's role. */
import { StackConfig } from "../config";
import { StackOutputs } from "./contract";
import { composeGlobal } from "./global";
import { composePrimary } from "./primary";
import { composeSecondary } from "./secondary";

export type { StackOutputs } from "./contract";

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
