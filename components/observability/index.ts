/** Seeing the global system: health roll-ups (composite alarms) and the cross-region dashboard. */
export { HealthRollup, HealthRollupArgs } from "./health";
export { GlobalDashboard, GlobalDashboardArgs, dashboardName } from "./dashboard";
export * from "./dashboard-body";
