/** AWS SDK v3 implementations of the runbooks' ports (night mode, Aurora, drills), and their clients. */
export { AwsClients, type ClientOptions } from "./clients";
export { arnRegion, auroraPorts } from "./aurora";
export { nightModePorts, nightModePortsFor, type NightModeLocation } from "./night-mode";
export { drillPorts } from "./drills";
