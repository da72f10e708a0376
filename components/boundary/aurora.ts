/**
 * The zone's optional Aurora cluster: outside every global cluster, backups in-region only, the
 * master password managed by RDS under the zone key, its log group pre-created (RDS exports into
 * an existing group of that name; GlobalData does the same).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { auroraLogGroupName } from "../shared/aurora";
import { BOUNDARY_AURORA_ENGINE, BOUNDARY_DB_LOG_RETENTION_DAYS } from "./args";
import { BoundaryContext, childOf } from "./context";

export interface ZoneAuroraArgs {
    identifier: string;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    engineVersion: string;
    instanceClass: string;
    instances: number;
    backupRetentionDays: number;
}

/** The cluster and its instances; returns the writer endpoint. */
export function zoneAurora(
    ctx: BoundaryContext,
    key: pulumi.Output<string>,
    args: ZoneAuroraArgs,
): pulumi.Output<string> {
    const { name } = ctx;
    const p = childOf(ctx);
    const subnets = new aws.rds.SubnetGroup(
        `${name}-db-subnets`,
        {
            subnetIds: args.subnetIds,
            description: `TaskFlow ${ctx.environment} zone ${ctx.zone} resident cluster`,
            tags: ctx.tags,
        },
        p,
    );
    const dbLogs = new aws.cloudwatch.LogGroup(
        `${name}-db-logs`,
        {
            name: auroraLogGroupName(args.identifier),
            kmsKeyId: key,
            retentionInDays: BOUNDARY_DB_LOG_RETENTION_DAYS,
            tags: ctx.tags,
        },
        p,
    );
    const cluster = new aws.rds.Cluster(
        `${name}-db`,
        {
            clusterIdentifier: args.identifier,
            engine: BOUNDARY_AURORA_ENGINE,
            engineVersion: args.engineVersion,
            databaseName: "taskflow",
            masterUsername: "taskflow_admin",
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: key,
            storageEncrypted: true,
            kmsKeyId: key,
            deletionProtection: true,
            backupRetentionPeriod: args.backupRetentionDays,
            copyTagsToSnapshot: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: `${args.identifier}-final`,
            dbSubnetGroupName: subnets.name,
            vpcSecurityGroupIds: args.securityGroupIds,
            iamDatabaseAuthenticationEnabled: true,
            enabledCloudwatchLogsExports: ["postgresql"],
            tags: ctx.tags,
        },
        {
            parent: ctx.parent,
            protect: true,
            dependsOn: [dbLogs],
            // AWS applies minor upgrades to the cluster on its own (maintenance window), after
            // which a pinned version would be a downgrade the next `up` tries and RDS refuses
            // (hashicorp/terraform-provider-aws#20086: no minor-version diff suppression on
            // clusters; cloudposse/terraform-aws-rds-cluster#139 shows the 12.8 -> 12.7 plan).
            // The version applies at creation; upgrades are a deliberate runbook step
            // (docs/operations.md, "Engine upgrades").
            ignoreChanges: ["engineVersion"],
        },
    );
    for (let i = 0; i < args.instances; i++) {
        new aws.rds.ClusterInstance(
            `${name}-db-${i + 1}`,
            {
                clusterIdentifier: cluster.id,
                engine: BOUNDARY_AURORA_ENGINE,
                engineVersion: cluster.engineVersion,
                instanceClass: args.instanceClass,
                dbSubnetGroupName: subnets.name,
                publiclyAccessible: false,
                tags: ctx.tags,
            },
            // The cluster manages its instances' version (hashicorp/terraform-provider-aws#14709:
            // ignore it on instances when the cluster sets it).
            { ...p, ignoreChanges: ["engineVersion"] },
        );
    }
    return cluster.endpoint;
}
