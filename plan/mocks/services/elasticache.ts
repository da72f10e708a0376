/** ElastiCache: Global Datastores, replication groups and subnet groups. */
import { MOCK_ACCOUNT_ID, ServiceMocks, first } from "../context";

export const elasticache: ServiceMocks = {
    synthesizers: {
        "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup": (c) => {
            // AWS prefixes the suffix with a fixed per-account prefix (e.g. "ldgnf-").
            const id = `${c.hash("prefix", 5)}-${first(c.inputs, "globalReplicationGroupIdSuffix") ?? c.name}`;
            return {
                id,
                outputs: {
                    globalReplicationGroupId: id,
                    arn: `arn:aws:elasticache::${MOCK_ACCOUNT_ID}:globalreplicationgroup:${id}`,
                },
            };
        },
        "aws:elasticache/replicationGroup:ReplicationGroup": (c) => {
            const id = first(c.inputs, "replicationGroupId") ?? c.physicalName;
            return {
                id,
                outputs: {
                    arn: c.arn(`replicationgroup:${id}`),
                    primaryEndpointAddress: `master.${id}.${c.hash("ec", 6)}.${c.region === "us-east-1" ? "use1" : c.region}.cache.amazonaws.com`,
                    readerEndpointAddress: `replica.${id}.${c.hash("ec", 6)}.cache.amazonaws.com`,
                },
            };
        },
        "aws:elasticache/subnetGroup:SubnetGroup": (c) => {
            const n = (first(c.inputs, "name") ?? c.physicalName).toLowerCase();
            return { id: n, outputs: { name: n, arn: c.arn(`subnetgroup:${n}`) } };
        },
    },
    secretOutputs: { "aws:elasticache/replicationGroup:ReplicationGroup": ["authToken"] },
};
