/**
 * Progressive delivery across regions (docs/requirements.md, "Delivery": canary release between
 * regions, automatic rollback). `npm run deploy -- --rollout` takes an app change one region at a
 * time, in the order of delivery/rollout-order.ts:
 *
 *   for each region: pulumi up of its stack -> wait for its ECS deployment -> bake, reading the
 *   region's alarms and the edge's alarms -> promoted; the next region.
 *
 * Any alarm in ALARM (or an ECS deployment that fails, is rolled back by ECS's circuit breaker or
 * alarm rollback, or does not finish in time) stops the rollout, and the region being changed is
 * rolled back by the same program: `pulumi up` of its stack with the previous image (and CPU and
 * memory) pinned. No other region is touched: regions already promoted keep the new image (they
 * baked clean), regions not reached keep the old one.
 *
 * It is an orchestration over small ports, so the tests run it against moto_server (CloudWatch,
 * ECS, SSM are real AWS APIs there) with the Pulumi side replaced:
 * - {@link RolloutStacks}: preview / up / outputs of one stack (delivery/rollout-stacks.ts, on the
 *   Automation API);
 * - {@link RolloutCloud}: alarms and ECS services (ops/rollout-aws.ts, on the AWS SDK v3);
 * - {@link RolloutStore}: the rollout's state, an SSM parameter next to night mode's lock and hold
 *   (ops/rollout-aws.ts): it outlives the CI runner, any operator can read it with the AWS CLI,
 *   SSM keeps its history, and it spans stacks (a stack tag is per stack and needs Pulumi Cloud).
 *
 * An interrupted rollout (Ctrl-C, a cancelled job, a lost runner) is resumed by the next
 * `--rollout` with the same images: promoted regions are checked and skipped, the region that was
 * in flight is deployed (if it is not yet) and baked again from the start. Anything else that is
 * left over is reported with what to do, and nothing is touched.
 */
export * from "./rollout-manual";
export { runRollout } from "./rollout-run";
export * from "./rollout-service";
export * from "./rollout-state";
