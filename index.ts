/**
 * TaskFlow Global — the Pulumi program. Wiring only: read and validate this stack's config, pick
 * the composition for its role, and return the stack outputs. The whole config is validated
 * before any resource is registered.
 */
import { loadStackConfig } from "./config/load";
import { composeStack } from "./regions";

export = async () => composeStack(loadStackConfig());
