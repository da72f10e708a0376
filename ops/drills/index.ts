/** The failure-drill runner: its options, the ports it runs through, and what it reports. */
export { formatDrillReport } from "./report";
export { type DrillPorts, type ExperimentView, FINAL_STATUSES, type TemplateView } from "./ports";
export { type DrillOptions, type DrillReport, runDrill } from "./run";
export {
    type Point,
    type RoutingInput,
    type RoutingReport,
    analyseRouting,
    settled,
} from "./routing";
