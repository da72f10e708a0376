/**
 * The cross-region CloudWatch dashboard (one, in the global stack): its body is
 * `dashboardBody` of the regions' names once they resolve.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { namePrefix } from "../../model/naming";
import { DashboardRegion, dashboardBody } from "./dashboard-body";

export interface GlobalDashboardArgs {
    environment: string;
    /** One per topology region, in the topology's order. */
    regions: pulumi.Input<DashboardRegion[]>;
    /** Region of the dashboard resource (dashboards are global; the API is regional). */
    region?: string;
}

/** `taskflow-<env>-global`: the dashboard's name. */
export const dashboardName = (environment: string) => `${namePrefix(environment)}-global`;

export class GlobalDashboard extends pulumi.ComponentResource {
    public readonly dashboardName: pulumi.Output<string>;

    constructor(name: string, args: GlobalDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("taskflow:observability:GlobalDashboard", name, {}, opts);
        const regions = pulumi.output(args.regions);
        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                ...(args.region ? { region: args.region } : {}),
                dashboardName: dashboardName(args.environment),
                dashboardBody: regions.apply((rs) =>
                    dashboardBody({ environment: args.environment, regions: rs }),
                ),
            },
            { parent: this },
        );
        this.dashboardName = dashboard.dashboardName;
        this.registerOutputs({ dashboardName: this.dashboardName });
    }
}
