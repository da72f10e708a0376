/**
 * RegionalCell — the per-region web tier (issue #3 fills it out).
 *
 * FOUNDATION STUB: the network, the load balancer and the cross-stack outputs exist so that the
 * compositions and StackReferences are wired end to end; listeners, the ECS service, autoscaling
 * and alarms arrive with the RegionalCell issue.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { CellMode, StackConfig, capacityFor } from "../config";

/** What the data tier of a cell gets from it. */
export interface CellNetwork {
    vpcId: pulumi.Output<string>;
    /** Subnets with no route to the internet, for databases and caches. */
    isolatedSubnetIds: pulumi.Output<string[]>;
    /** Security group the data stores attach; it admits the cell's tasks only. */
    dataSecurityGroupId: pulumi.Output<string>;
}

/** Endpoints of the data stores a cell's tasks use (environment of the task definition). */
export type DataEndpoints = Record<string, pulumi.Input<string>>;

export interface RegionalCellArgs {
    /** The validated stack config; the cell reads its region, topology entry and sizing. */
    config: StackConfig;
    /** Id of the pre-existing public hosted zone (certificate validation, regional names). */
    hostedZoneId: pulumi.Input<string>;
    /**
     * Builds the region's data members once the network exists and returns their endpoints,
     * which become the tasks' environment. Default: no data tier.
     */
    dataTier?: (network: CellNetwork) => DataEndpoints;
}

export class RegionalCell extends pulumi.ComponentResource {
    public readonly mode: pulumi.Output<CellMode>;
    public readonly vpcId: pulumi.Output<string>;
    public readonly isolatedSubnetIds: pulumi.Output<string[]>;
    public readonly dataSecurityGroupId: pulumi.Output<string>;
    public readonly albDnsName: pulumi.Output<string>;
    public readonly albZoneId: pulumi.Output<string>;
    public readonly albArn: pulumi.Output<string>;
    public readonly healthCheckFqdn: pulumi.Output<string>;
    public readonly healthCheckPath: pulumi.Output<string>;
    public readonly healthUrl: pulumi.Output<string>;
    public readonly dataEndpoints: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: RegionalCellArgs, opts?: pulumi.ComponentResourceOptions) {
        super("taskflow:cell:RegionalCell", name, {}, opts);
        const cfg = args.config;
        const spec = cfg.regionSpec!;
        const capacity = capacityFor(cfg.cell!, cfg.role === "primary" ? "primary" : "secondary");

        const vpc = new awsx.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: spec.vpcCidr,
                numberOfAvailabilityZones: 3,
                natGateways: { strategy: capacity.natGateways > 1 ? "OnePerAz" : "Single" },
            },
            { parent: this },
        );
        const dataSg = new aws.ec2.SecurityGroup(
            `${name}-data-sg`,
            { vpcId: vpc.vpcId, description: "Data tier: admits the cell's tasks only" },
            { parent: this },
        );
        const alb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            { loadBalancerType: "application", subnets: vpc.publicSubnetIds, enableDeletionProtection: true },
            { parent: this },
        );
        const network: CellNetwork = {
            vpcId: vpc.vpcId,
            isolatedSubnetIds: vpc.isolatedSubnetIds,
            dataSecurityGroupId: dataSg.id,
        };
        this.dataEndpoints = pulumi.output(args.dataTier ? args.dataTier(network) : {}) as pulumi.Output<
            Record<string, string>
        >;

        this.mode = pulumi.output(cfg.cell!.mode);
        this.vpcId = vpc.vpcId;
        this.isolatedSubnetIds = vpc.isolatedSubnetIds;
        this.dataSecurityGroupId = dataSg.id;
        this.albDnsName = alb.dnsName;
        this.albZoneId = alb.zoneId;
        this.albArn = alb.arn;
        this.healthCheckFqdn = pulumi.output(`${spec.region}.origin.${cfg.topology.domain}`);
        this.healthCheckPath = pulumi.output("/health");
        this.healthUrl = pulumi.interpolate`https://${this.healthCheckFqdn}${this.healthCheckPath}`;
        this.registerOutputs({
            mode: this.mode,
            vpcId: this.vpcId,
            isolatedSubnetIds: this.isolatedSubnetIds,
            dataSecurityGroupId: this.dataSecurityGroupId,
            albDnsName: this.albDnsName,
            albZoneId: this.albZoneId,
            albArn: this.albArn,
            healthCheckFqdn: this.healthCheckFqdn,
            healthCheckPath: this.healthCheckPath,
            healthUrl: this.healthUrl,
            dataEndpoints: this.dataEndpoints,
        });
    }
}
