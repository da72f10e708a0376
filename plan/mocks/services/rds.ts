/** Aurora: global clusters, clusters, instances and their groups. */
import { MOCK_ACCOUNT_ID, ServiceMocks, first } from "../context";

export const rds: ServiceMocks = {
    synthesizers: {
        "aws:rds/globalCluster:GlobalCluster": (c) => {
            const id = first(c.inputs, "globalClusterIdentifier") ?? c.physicalName;
            return {
                id,
                outputs: {
                    arn: `arn:aws:rds::${MOCK_ACCOUNT_ID}:global-cluster:${id}`,
                    globalClusterResourceId: `cluster-${c.hash("gc", 26)}`,
                },
            };
        },
        "aws:rds/cluster:Cluster": (c) => {
            const id = first(c.inputs, "clusterIdentifier") ?? c.physicalName;
            const host = `${id}.cluster-${c.hash("host", 12)}.${c.region}.rds.amazonaws.com`;
            return {
                id,
                outputs: {
                    arn: c.arn(`cluster:${id}`),
                    clusterIdentifier: id,
                    endpoint: host,
                    readerEndpoint: host.replace(".cluster-", ".cluster-ro-"),
                    clusterResourceId: `cluster-${c.hash("res", 26).toUpperCase()}`,
                    port: c.inputs.port ?? 5432,
                },
            };
        },
        "aws:rds/clusterInstance:ClusterInstance": (c) => {
            const id = first(c.inputs, "identifier") ?? c.physicalName;
            return {
                id,
                outputs: {
                    arn: c.arn(`db:${id}`),
                    endpoint: `${id}.${c.hash("host", 12)}.${c.region}.rds.amazonaws.com`,
                },
            };
        },
        // Auto-named groups are read by name (lower case, as RDS stores them).
        "aws:rds/subnetGroup:SubnetGroup": (c) => {
            const n = (first(c.inputs, "name") ?? c.physicalName).toLowerCase();
            return { id: n, outputs: { name: n, arn: c.arn(`subgrp:${n}`) } };
        },
        "aws:rds/clusterParameterGroup:ClusterParameterGroup": (c) => {
            const n = (first(c.inputs, "name") ?? c.physicalName).toLowerCase();
            return { id: n, outputs: { name: n, arn: c.arn(`cluster-pg:${n}`) } };
        },
    },
    secretOutputs: { "aws:rds/cluster:Cluster": ["masterPassword"] },
};
