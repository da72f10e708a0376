/**
 * What the planned design promises: failover time (RTO) per entry point and region, RPO per data
 * tier from the replication actually planned, and the composite availability of the web tier —
 * each compared with the targets (config/targets.ts). Every AWS figure comes from aws-facts.ts.
 */

export type { Check, Verdict } from "./check";
export * from "./availability";
export * from "./rpo";
export * from "./rto";
