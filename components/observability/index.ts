/** Seeing the global system: health roll-ups (composite alarms). */
export { HealthRollup, HealthRollupArgs } from "./health";
