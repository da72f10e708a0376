/**
 * This region's Aurora member: the primary creates the global cluster and the writer's cluster
 * (with the break-glass master credentials in Secrets Manager); a secondary's cluster joins the
 * global cluster and forwards writes. Instances per cell mode; 0 is a headless secondary.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DataContext, childOf, primaryRefs, protectedChildOf } from "./context";
import { names } from "./names";
import {
    AURORA_ENGINE,
    AURORA_MEMBER_IGNORE_CHANGES,
    BACKUP_RETENTION_DAYS,
    DATABASE_NAME,
    DB_LOG_RETENTION_DAYS,
    MASTER_USERNAME,
} from "./rules";
import { auroraLogGroupName } from "../shared/aurora";

export interface AuroraMember {
    globalClusterId: pulumi.Output<string>;
    cluster: aws.rds.Cluster;
    /** Primary only: the master credentials' secret. */
    masterSecretArn?: pulumi.Output<string>;
}

export function auroraMember(ctx: DataContext, key: pulumi.Output<string>): AuroraMember {
    const { name } = ctx;
    const p = childOf(ctx);
    const dbSubnets = new aws.rds.SubnetGroup(
        `${name}-db-subnets`,
        {
            description: "Isolated subnets of the cell (no route to the internet)",
            subnetIds: ctx.network.isolatedSubnetIds,
            tags: ctx.tags,
        },
        p,
    );
    const dbParams = new aws.rds.ClusterParameterGroup(
        `${name}-db-params`,
        {
            family: `aurora-postgresql${ctx.auroraEngineVersion.split(".")[0]}`,
            description: "TaskFlow Aurora: TLS-only connections",
            parameters: [{ name: "rds.force_ssl", value: "1" }],
            tags: ctx.tags,
        },
        p,
    );
    const clusterId = names.auroraCluster(ctx.environment, ctx.region);
    // Created before the cluster: with `enabledCloudwatchLogsExports` RDS would otherwise
    // create /aws/rds/cluster/<id>/postgresql itself, without a CMK, retention or residency
    // tag; RDS writes into an existing group of that name (Aurora User Guide, "Publishing
    // Aurora PostgreSQL logs to Amazon CloudWatch Logs"). The key policy lets
    // logs.<region>.amazonaws.com use the key for exactly this group.
    const dbLogs = new aws.cloudwatch.LogGroup(
        `${name}-aurora-logs`,
        {
            name: auroraLogGroupName(clusterId),
            kmsKeyId: key,
            retentionInDays: DB_LOG_RETENTION_DAYS,
            tags: ctx.tags,
        },
        p,
    );
    const member: MemberSettings = {
        args: {
            clusterIdentifier: clusterId,
            engine: AURORA_ENGINE,
            engineVersion: ctx.auroraEngineVersion,
            storageEncrypted: true,
            kmsKeyId: key,
            deletionProtection: true,
            backupRetentionPeriod: BACKUP_RETENTION_DAYS,
            preferredBackupWindow: "17:00-18:00",
            copyTagsToSnapshot: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: `${clusterId}-final`,
            iamDatabaseAuthenticationEnabled: true,
            dbSubnetGroupName: dbSubnets.name,
            dbClusterParameterGroupName: dbParams.name,
            vpcSecurityGroupIds: [ctx.network.dataSecurityGroupId],
            enabledCloudwatchLogsExports: ["postgresql"],
            tags: ctx.tags,
            // A secondary takes writes and forwards them to the writer region; Aurora carries
            // them over its own replication channel (no cross-Region network). Only on members
            // that are not the writer: the setting is documented for secondary clusters (Aurora
            // User Guide, "Using write forwarding in an Aurora PostgreSQL global database").
            ...(ctx.isWriter ? {} : { enableGlobalWriteForwarding: true }),
        },
        opts: {
            parent: ctx.parent,
            protect: true,
            ignoreChanges: AURORA_MEMBER_IGNORE_CHANGES,
            dependsOn: [dbLogs],
        },
    };
    const made = ctx.isPrimary ? writerCluster(ctx, key, member) : joiningCluster(ctx, member);
    instances(ctx, made.cluster, dbSubnets, key);
    return made;
}

/** The settings every member shares, and its resource options. */
interface MemberSettings {
    args: aws.rds.ClusterArgs;
    opts: pulumi.CustomResourceOptions;
}

/**
 * The primary: the global cluster, its first member with the master credentials, and the
 * credentials' secret. RDS-managed master passwords (manageMasterUserPassword) are not supported
 * for clusters in an Aurora global database (Aurora User Guide, "Password management with Amazon
 * Aurora and AWS Secrets Manager", Limitations), so the password is generated here, kept as a
 * Pulumi secret and stored in Secrets Manager under the data key. Tasks use IAM database
 * authentication in every region.
 */
function writerCluster(
    ctx: DataContext,
    key: pulumi.Output<string>,
    member: MemberSettings,
): AuroraMember {
    const { name } = ctx;
    const globalCluster = new aws.rds.GlobalCluster(
        `${name}-aurora-global`,
        {
            globalClusterIdentifier: names.globalCluster(ctx.environment),
            engine: AURORA_ENGINE,
            engineVersion: ctx.auroraEngineVersion,
            storageEncrypted: true,
            deletionProtection: true,
            tags: ctx.tags,
        },
        protectedChildOf(ctx),
    );
    const password = new random.RandomPassword(
        `${name}-db-master-password`,
        { length: 40, special: false },
        childOf(ctx),
    );
    const cluster = new aws.rds.Cluster(
        `${name}-aurora`,
        {
            ...member.args,
            globalClusterIdentifier: globalCluster.id,
            databaseName: DATABASE_NAME,
            masterUsername: MASTER_USERNAME,
            masterPassword: password.result,
        },
        member.opts,
    );
    const secret = new aws.secretsmanager.Secret(
        `${name}-db-master-secret`,
        {
            description: "Aurora master credentials (break-glass; tasks use IAM auth)",
            kmsKeyId: key,
            tags: ctx.tags,
        },
        // The only copy of the master password outside Pulumi's state.
        protectedChildOf(ctx),
    );
    new aws.secretsmanager.SecretVersion(
        `${name}-db-master-secret-value`,
        {
            secretId: secret.id,
            secretString: pulumi.all([password.result, cluster.endpoint]).apply(([pw, host]) =>
                JSON.stringify({
                    engine: "postgres",
                    host,
                    port: 5432,
                    dbname: DATABASE_NAME,
                    username: MASTER_USERNAME,
                    password: pw,
                }),
            ),
        },
        childOf(ctx),
    );
    return { globalClusterId: globalCluster.id, cluster, masterSecretArn: secret.arn };
}

/**
 * A secondary: its cluster joins the global cluster. It inherits database name and master
 * credentials from the global cluster; the provider rejects them here.
 */
function joiningCluster(ctx: DataContext, member: MemberSettings): AuroraMember {
    const globalClusterId = pulumi.output(primaryRefs(ctx).auroraGlobalClusterId);
    const cluster = new aws.rds.Cluster(
        `${ctx.name}-aurora`,
        { ...member.args, globalClusterIdentifier: globalClusterId },
        member.opts,
    );
    return { globalClusterId, cluster };
}

/**
 * The member's instances (Aurora User Guide, "Creating a headless Aurora DB cluster in a
 * secondary Region" for 0). An instance follows the cluster's engine version, which is upgraded
 * on the global cluster.
 */
function instances(
    ctx: DataContext,
    cluster: aws.rds.Cluster,
    dbSubnets: aws.rds.SubnetGroup,
    key: pulumi.Output<string>,
): void {
    const clusterId = names.auroraCluster(ctx.environment, ctx.region);
    for (let i = 0; i < ctx.dbInstances; i++) {
        new aws.rds.ClusterInstance(
            `${ctx.name}-aurora-${i + 1}`,
            {
                identifier: `${clusterId}-${i + 1}`,
                clusterIdentifier: cluster.id,
                engine: AURORA_ENGINE,
                instanceClass: ctx.dbInstanceClass,
                dbSubnetGroupName: dbSubnets.name,
                publiclyAccessible: false,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: key,
                performanceInsightsRetentionPeriod: 7,
                promotionTier: i,
                tags: ctx.tags,
            },
            { parent: ctx.parent, ignoreChanges: ["engineVersion"] },
        );
    }
}
