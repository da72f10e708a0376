/**
 * The primary region's stack: its region composition, owning everything that replicates, and the
 * origin-verification secret every other stack reads.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { StackConfig } from "../config";
import { StackOutputs } from "./contract";
import { primaryStackOutputs } from "./outputs";
import { composeRegion, prepareRegion } from "./region";

export function composePrimary(cfg: StackConfig): StackOutputs {
    const region = prepareRegion(cfg);
    // The value CloudFront sends in x-origin-verify and every ALB's 443 listener requires. It is
    // made here, in the first stack to deploy, so that the secondaries and the global stack read
    // it (StackReference) before anything uses it. Rotation: docs/operations.md.
    const originVerifySecret = pulumi.secret(
        new random.RandomPassword("origin-verify-secret", { length: 48, special: false }).result,
    );
    const { data, outputs } = composeRegion(region, { originVerifySecret });
    return {
        ...outputs,
        ...primaryStackOutputs({
            topology: cfg.topology,
            environment: cfg.environment,
            data,
            originVerifySecret,
        }),
    };
}
