/** Aurora / ElastiCache runbook ports on the AWS SDK (ops/aurora.ts runs them). */
import {
    DescribeDBClustersCommand,
    DescribeGlobalClustersCommand,
    FailoverGlobalClusterCommand,
    SwitchoverGlobalClusterCommand,
} from "@aws-sdk/client-rds";
import { GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import {
    DescribeGlobalReplicationGroupsCommand,
    FailoverGlobalReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import { GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import type { AuroraPorts, GlobalClusterView } from "../aurora";
import { AwsClients } from "./clients";

/** The region of an RDS ARN (`arn:aws:rds:<region>:<account>:cluster:<id>`). */
export function arnRegion(arn: string): string {
    return arn.split(":")[3] ?? "";
}

/** Aurora / ElastiCache runbook ports on the AWS SDK. */
export function auroraPorts(clients: AwsClients): AuroraPorts {
    return {
        async describeGlobalCluster(region, id): Promise<GlobalClusterView | undefined> {
            const out = await clients
                .rds(region)
                .send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id }))
                .catch((e: { name?: string }) => {
                    if (e?.name === "GlobalClusterNotFoundFault") return { GlobalClusters: [] };
                    throw e;
                });
            const g = out.GlobalClusters?.[0];
            if (!g) return undefined;
            return {
                id: g.GlobalClusterIdentifier ?? id,
                status: g.Status ?? "unknown",
                engineVersion: g.EngineVersion ?? "",
                members: (g.GlobalClusterMembers ?? []).map((m) => ({
                    arn: m.DBClusterArn ?? "",
                    region: arnRegion(m.DBClusterArn ?? ""),
                    isWriter: m.IsWriter === true,
                })),
            };
        },
        async describeCluster(region, arn) {
            const out = await clients
                .rds(region)
                .send(new DescribeDBClustersCommand({ DBClusterIdentifier: arn }));
            const c = out.DBClusters?.[0];
            if (!c) throw new Error(`no DB cluster ${arn}`);
            return {
                id: c.DBClusterIdentifier ?? "",
                status: c.Status ?? "unknown",
                engineVersion: c.EngineVersion ?? "",
                tags: Object.fromEntries(
                    (c.TagList ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]),
                ),
            };
        },
        async maxReplicationLagMs(region, clusterId, minutes) {
            // One period past now, so the current (partial) minute is included.
            const end = new Date(Date.now() + 60_000);
            const out = await clients.cloudwatch(region).send(
                new GetMetricStatisticsCommand({
                    Namespace: "AWS/RDS",
                    MetricName: "AuroraGlobalDBReplicationLag",
                    Dimensions: [{ Name: "DBClusterIdentifier", Value: clusterId }],
                    StartTime: new Date(end.getTime() - (minutes + 1) * 60_000),
                    EndTime: end,
                    Period: 60,
                    Statistics: ["Maximum"],
                }),
            );
            const points = (out.Datapoints ?? []).map((d) => d.Maximum ?? 0);
            return points.length === 0 ? undefined : Math.max(...points);
        },
        async switchover(region, id, targetArn) {
            await clients.rds(region).send(
                new SwitchoverGlobalClusterCommand({
                    GlobalClusterIdentifier: id,
                    TargetDbClusterIdentifier: targetArn,
                }),
            );
        },
        async failover(region, id, targetArn) {
            await clients.rds(region).send(
                new FailoverGlobalClusterCommand({
                    GlobalClusterIdentifier: id,
                    TargetDbClusterIdentifier: targetArn,
                    AllowDataLoss: true,
                }),
            );
        },
        async describeGlobalDatastore(region, id) {
            const out = await clients.elasticache(region).send(
                new DescribeGlobalReplicationGroupsCommand({
                    GlobalReplicationGroupId: id,
                    ShowMemberInfo: true,
                }),
            );
            const g = out.GlobalReplicationGroups?.[0];
            if (!g) return undefined;
            return {
                id: g.GlobalReplicationGroupId ?? id,
                status: g.Status ?? "unknown",
                members: (g.Members ?? []).map((m) => ({
                    replicationGroupId: m.ReplicationGroupId ?? "",
                    region: m.ReplicationGroupRegion ?? "",
                    role: m.Role ?? "",
                })),
            };
        },
        async failoverGlobalDatastore(region, id, targetRegion, targetGroupId) {
            await clients.elasticache(region).send(
                new FailoverGlobalReplicationGroupCommand({
                    GlobalReplicationGroupId: id,
                    PrimaryRegion: targetRegion,
                    PrimaryReplicationGroupId: targetGroupId,
                }),
            );
        },
        async clusterEndpoints(region, arn) {
            const out = await clients
                .rds(region)
                .send(new DescribeDBClustersCommand({ DBClusterIdentifier: arn }));
            const c = out.DBClusters?.[0];
            if (!c?.Endpoint || !c.ReaderEndpoint) throw new Error(`no endpoints of ${arn}`);
            return { writer: c.Endpoint, reader: c.ReaderEndpoint };
        },
        async getParameter(region, name) {
            const out = await clients
                .ssm(region)
                .send(new GetParameterCommand({ Name: name }))
                .catch((e: { name?: string }) => {
                    if (e?.name === "ParameterNotFound") return { Parameter: undefined };
                    throw e;
                });
            return out.Parameter?.Value;
        },
        async putParameter(region, name, value) {
            await clients
                .ssm(region)
                .send(new PutParameterCommand({ Name: name, Value: value, Overwrite: true }));
        },
        now: () => new Date(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    };
}
