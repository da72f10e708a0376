/**
 * Replication-lag alarms, in this region where the metrics are emitted, against the RPO.
 *
 * Aurora and ElastiCache lag alarms are on EVERY member, not only today's secondaries: a managed
 * switchover (or a Global Datastore promotion) turns the primary into a secondary without any
 * change to this program (the members ignore the fields a switchover rewrites), and that member
 * must then be watched too. The lag metrics are emitted only by a member that is replicating
 * (Aurora User Guide, "Monitoring Aurora global databases": AuroraGlobalDBReplicationLag is
 * reported by secondary clusters; GlobalDatastoreReplicationLag likewise by secondary nodes), so
 * while a member is the writer its alarm sees no data: `notBreaching` keeps it OK then instead of
 * INSUFFICIENT_DATA. A replicating member whose lag grows reports it, so broken replication still
 * shows as lag above the RPO.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DataContext, childOf } from "./context";
import { names } from "./names";
import { TABLES, lagThresholds } from "./rules";

export function lagAlarms(
    ctx: DataContext,
    members: { clusterIdentifier: pulumi.Output<string>; cacheGroupId: string },
): aws.cloudwatch.MetricAlarm[] {
    const made: aws.cloudwatch.MetricAlarm[] = [];
    const { region, rpoSeconds } = ctx;
    const thresholds = lagThresholds(rpoSeconds);
    const clusterId = names.auroraCluster(ctx.environment, region);
    const alarm = (
        role: string,
        a: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions">,
    ) => {
        const created = new aws.cloudwatch.MetricAlarm(
            `${ctx.name}-${role}`,
            { ...a, alarmActions: ctx.alarmActions, okActions: ctx.alarmActions, tags: ctx.tags },
            childOf(ctx),
        );
        made.push(created);
        return created;
    };
    alarm("aurora-lag-alarm", {
        name: `${clusterId}-AuroraGlobalDBReplicationLag`,
        alarmDescription: `Aurora global replication lag into ${region} above the ${rpoSeconds}s RPO (no data while this member is the writer)`,
        namespace: "AWS/RDS",
        metricName: "AuroraGlobalDBReplicationLag",
        dimensions: { DBClusterIdentifier: members.clusterIdentifier },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        threshold: thresholds.auroraMs,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    });
    // Emitted per node of a replicating group; -001 is the group's first (primary) node.
    const cacheId = members.cacheGroupId;
    alarm("cache-lag-alarm", {
        name: `${cacheId}-GlobalDatastoreReplicationLag`,
        alarmDescription: `ElastiCache Global Datastore replication lag into ${region} above the ${rpoSeconds}s RPO (no data while this group is the primary)`,
        namespace: "AWS/ElastiCache",
        metricName: "GlobalDatastoreReplicationLag",
        dimensions: { CacheClusterId: `${cacheId}-001` },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        threshold: thresholds.elasticacheSeconds,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    });
    // DynamoDB reports ReplicationLatency in the region that wrote the item, per receiving
    // region; every global-data region writes (active-active), so each watches its outbound paths.
    for (const receiving of ctx.globalDataRegions.filter((r) => r !== region)) {
        for (const spec of Object.values(TABLES)) {
            const table = names.table(ctx.environment, spec.table);
            alarm(`${spec.table.replace(/_/g, "-")}-latency-${receiving}-alarm`, {
                name: `${table}-ReplicationLatency-${region}-to-${receiving}`,
                alarmDescription: `DynamoDB ${table} replication ${region} → ${receiving} above the ${rpoSeconds}s RPO`,
                namespace: "AWS/DynamoDB",
                metricName: "ReplicationLatency",
                dimensions: { TableName: table, ReceivingRegion: receiving },
                statistic: "Average",
                period: 60,
                evaluationPeriods: 3,
                datapointsToAlarm: 2,
                threshold: thresholds.dynamodbMs,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
            });
        }
    }
    return made;
}
