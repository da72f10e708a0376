/** What a NightMode is built from. */
import * as pulumi from "@pulumi/pulumi";
import { NightModeConfig, NightTopology } from "../../model/night-mode";

/** What NightMode reads about one regional cell (region stack outputs, EdgeRouting). */
export interface NightCellInputs {
    clusterName: pulumi.Input<string>;
    serviceName: pulumi.Input<string>;
    /** `service/<cluster>/<service>`. */
    resourceId: pulumi.Input<string>;
    /** The cell's day capacity (its mode's floor and ceiling). */
    minTasks: pulumi.Input<number>;
    maxTasks: pulumi.Input<number>;
    /** The Global Accelerator endpoint group of the cell's ALB. */
    endpointGroupArn?: pulumi.Input<string>;
}

/** Arguments of {@link NightMode}. */
export interface NightModeArgs {
    /** Night mode's settings (`taskflow:nightMode`, enabled). Required. */
    settings: NightModeConfig;
    /** The topology's zones and regions (the roles come from them). Required. */
    topology: NightTopology;
    /** Environment name used in resource names. Required. */
    environment: string;
    /** Every topology region's cell. Required. */
    cells: Record<string, NightCellInputs>;
    /** Region of the controller, its schedules and hold parameter; active at night. Required. */
    controllerRegion: string;
    /** Region of the DNS gates' metric and alarms (EdgeRouting's). Default `us-east-1`. */
    gateRegion?: string;
    /** SNS topic (in the controller's region) notified when a flip fails. Default: none. */
    alarmTopicArn?: pulumi.Input<string>;
}

/** Lambda timeout: the day flip waits up to `readinessTimeoutSeconds` for tasks, plus margin. */
export const CONTROLLER_TIMEOUT_MARGIN_SECONDS = 60;
