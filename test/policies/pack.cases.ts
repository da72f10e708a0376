// The fleet catalogue: failing cases on the fleet fixtures (fixtures.ts), one change each, shared
// by pack.spec.ts and the CLI-protocol spec.

import { PlannedResourceLike } from "../../policies/offline";
import { RESIDENCY_TAG } from "../../policies/residency";
import { ARNS, Fleet, NAMES } from "./fixtures";
import { ACCOUNT, UNKNOWN } from "./util";

export type StackKey = keyof Fleet;

export interface Case {
    /** Behaviour, as the test title. */
    title: string;
    stack: StackKey;
    resource: string;
    change: (inputs: Record<string, any>, r: PlannedResourceLike) => void;
    policy: string;
    parts: string[];
    /** The resource the main finding is reported on; default: the changed resource. */
    at?: string;
    /** The other findings the change causes, as [policy, resource name]. */
    others?: [string, string][];
}

/** Parses a JSON policy document, edits it, and writes it back. */
function editDoc(doc: string, edit: (d: any) => void): string {
    const d = JSON.parse(doc);
    edit(d);
    return JSON.stringify(d);
}

const EU_RULE = "rule: zone 'eu' data may only be stored in eu-west-1";
export const JP_RULE = "rule: zone 'jp' data may only be stored in ap-northeast-1";
const FAIL_CLOSED =
    "rule: data may only move between stores proven to stay in their zone (fail closed)";

export const cases: Case[] = [
    // ---- classification ----
    {
        title: "rejects a DynamoDB table without a residency tag",
        stack: "primary",
        resource: "jp-users",
        change: (i) => delete i.tags,
        policy: "residency-unclassified-data-store",
        parts: [
            "aws:dynamodb/table:Table 'jp-users'",
            "in region ap-northeast-1",
            `no '${RESIDENCY_TAG}' tag`,
            "zone: none",
        ],
    },
    {
        title: "rejects a classification that names no zone",
        stack: "us",
        resource: "us-logs",
        change: (i) => (i.tags[RESIDENCY_TAG] = "mars"),
        policy: "residency-unclassified-data-store",
        parts: [
            "aws:cloudwatch/logGroup:LogGroup 'us-logs'",
            "classified 'mars'",
            "region us-east-1",
        ],
    },
    {
        title: "fails closed on a residency tag not known until apply",
        stack: "primary",
        resource: "jp-cache",
        change: (i) => (i.tags[RESIDENCY_TAG] = UNKNOWN),
        policy: "residency-unclassified-data-store",
        parts: [
            "aws:elasticache/replicationGroup:ReplicationGroup 'jp-cache'",
            "not known until apply",
        ],
        // The datastore's primary is not this group, so only the classification rule fires.
    },
    {
        title: "rejects an unclassified KMS key",
        stack: "us",
        resource: "us-key",
        change: (i) => (i.tags = { team: "platform" }),
        policy: "residency-unclassified-data-store",
        parts: ["aws:kms/key:Key 'us-key'", "region us-east-1"],
    },
    {
        title: "rejects an unclassified RDS snapshot",
        stack: "primary",
        resource: "reporting-snap",
        change: (i) => delete i.tags,
        policy: "residency-unclassified-data-store",
        parts: ["aws:rds/snapshot:Snapshot 'reporting-snap'", "in region ap-northeast-1"],
    },
    {
        title: "rejects an unclassified KMS key with imported key material",
        stack: "eu",
        resource: "eu-ext-key",
        change: (i) => delete i.tags,
        policy: "residency-unclassified-data-store",
        parts: ["aws:kms/externalKey:ExternalKey 'eu-ext-key'", "in region eu-west-1"],
    },
    {
        title: "rejects a snapshot whose residency name contradicts its region",
        stack: "eu",
        resource: "eu-db-snap",
        change: (i) => (i.dbClusterSnapshotIdentifier = "taskflow-prod-dbsnap-eu-us-east-1"),
        policy: "residency-name-matches-classification",
        parts: [
            "aws:rds/clusterSnapshot:ClusterSnapshot 'eu-db-snap' is named 'taskflow-prod-dbsnap-eu-us-east-1' (zone eu, region us-east-1)",
            "tagged 'eu' in region eu-west-1",
        ],
        others: [["residency-data-flow", "eu-db-snap-copy"]],
    },
    {
        title: "rejects an EU store whose own region input is outside the zone",
        stack: "eu",
        resource: "eu-logs",
        change: (i, r) => {
            i.region = "us-east-1";
            r.region = "us-east-1";
        },
        policy: "residency-region-outside-zone",
        parts: [
            "aws:cloudwatch/logGroup:LogGroup 'eu-logs'",
            "(zone eu)",
            "is in region us-east-1",
            EU_RULE,
        ],
        others: [["residency-data-flow", "eu-logs"]],
    },
    {
        title: "takes the provider's region when the resource has no region input",
        stack: "eu",
        resource: "eu-logs",
        change: (_i, r) => {
            r.providerRegion = "eu-central-1";
            r.region = "eu-central-1";
        },
        policy: "residency-region-outside-zone",
        parts: ["'eu-logs'", "is in region eu-central-1", EU_RULE],
        others: [["residency-data-flow", "eu-logs"]],
    },
    {
        title: "fails closed on a zone store whose region is not known until apply",
        stack: "eu",
        resource: "eu-logs",
        change: (i) => (i.region = UNKNOWN),
        policy: "residency-region-outside-zone",
        parts: ["'eu-logs'", "(zone eu)", "no provable region: (unknown until apply)"],
        others: [["residency-data-flow", "eu-logs"]],
    },
    {
        title: "rejects a stack outside a zone creating a store classified in that zone",
        stack: "global",
        resource: "edge-logs",
        change: (i) => (i.tags[RESIDENCY_TAG] = "eu"),
        policy: "residency-stack-outside-zone",
        parts: [
            "'edge-logs'",
            "(zone eu, region eu-west-1)",
            "created by a stack in region us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "rejects a store whose residency name contradicts its tag",
        stack: "eu",
        resource: "eu-data",
        change: (i) => (i.tags[RESIDENCY_TAG] = "global"),
        policy: "residency-name-matches-classification",
        parts: [`named '${NAMES.euBucket}'`, "(zone eu, region eu-west-1)", "tagged 'global'"],
        others: [
            ["residency-data-flow", "eu-users-export"],
            ["residency-data-flow", "eu-audit"],
        ],
    },
    {
        title: "rejects a geolocation record that sends GDPR viewers outside the GDPR zone",
        stack: "global",
        resource: "edge-geo-continent-EU",
        change: (i) => (i.aliases[0].name = "us-east-1.api.taskflow.example.com"),
        policy: "residency-edge-pin",
        parts: [
            "aws:route53/record:Record 'edge-geo-continent-EU' routes GDPR viewers (continent EU) of api.taskflow.example.com to us-east-1.api.taskflow.example.com, which leads to us-east-1",
            "rule: GDPR viewers are served from zone 'eu' (eu-west-1) only",
        ],
    },
    // ---- replication: self-contained ----
    {
        title: "rejects a replica of the EU table outside eu-west-1",
        stack: "eu",
        resource: "eu-users",
        change: (i) =>
            (i.replicas = [
                {
                    regionName: "us-east-1",
                    kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k",
                    deletionProtectionEnabled: true,
                },
            ]),
        policy: "residency-replication-out-of-zone",
        parts: [
            "aws:dynamodb/table:Table 'eu-users'",
            "(zone eu, region eu-west-1)",
            "DynamoDB replica in us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "fails closed on an EU table whose replica list is not known until apply",
        stack: "eu",
        resource: "eu-users",
        change: (i) => (i.replicas = UNKNOWN),
        policy: "residency-replication-out-of-zone",
        parts: ["'eu-users'", "replicas not known until apply"],
    },
    {
        title: "rejects the EU cluster joining an Aurora global cluster",
        stack: "eu",
        resource: "eu-db",
        change: (i) => (i.globalClusterIdentifier = "taskflow-prod-global"),
        policy: "residency-replication-out-of-zone",
        parts: [
            "aws:rds/cluster:Cluster 'eu-db'",
            "(zone eu, region eu-west-1)",
            "Aurora global cluster taskflow-prod-global",
            EU_RULE,
        ],
    },
    {
        title: "rejects the EU cache joining an ElastiCache global datastore",
        stack: "eu",
        resource: "eu-cache",
        change: (i) => (i.globalReplicationGroupId = "ldgnf-taskflow"),
        policy: "residency-replication-out-of-zone",
        parts: ["'eu-cache'", "global datastore ldgnf-taskflow", EU_RULE],
    },
    {
        title: "rejects a multi-Region EU key",
        stack: "eu",
        resource: "eu-key",
        change: (i) => (i.multiRegion = true),
        policy: "residency-replication-out-of-zone",
        parts: [
            "aws:kms/key:Key 'eu-key'",
            "(zone eu, region eu-west-1)",
            "multi-Region KMS key",
            EU_RULE,
        ],
    },
    {
        title: "fails closed on an EU key whose multiRegion flag is not known until apply",
        stack: "eu",
        resource: "eu-key",
        change: (i) => (i.multiRegion = UNKNOWN),
        policy: "residency-replication-out-of-zone",
        parts: ["'eu-key'", "multiRegion not known until apply"],
    },
    // ---- replication: wiring ----
    {
        title: "rejects a TableReplica of a jp-resident table in us-east-1",
        stack: "us",
        resource: "orders-replica",
        change: (i) => (i.globalTableArn = ARNS.jpUsers),
        policy: "residency-data-flow",
        parts: [
            "aws:dynamodb/tableReplica:TableReplica 'orders-replica' (region us-east-1) copies from \"arn:aws:dynamodb:ap-northeast-1:123456789012:table/taskflow-prod-jp-users\" at globalTableArn",
            "whose residency cannot be proven",
            "names are no proof",
        ],
    },
    {
        title: "fails closed on a TableReplica whose table ARN is not known until apply",
        stack: "us",
        resource: "orders-replica",
        change: (i) => (i.globalTableArn = UNKNOWN),
        policy: "residency-data-flow",
        parts: [
            "'orders-replica' (region us-east-1) copies from a source at globalTableArn",
            "not known until apply",
            FAIL_CLOSED,
        ],
    },
    {
        title: "rejects a legacy global table built on a jp-resident table",
        stack: "primary",
        resource: "legacy-orders",
        change: (i) => (i.name = "taskflow-prod-jp-users"),
        policy: "residency-data-flow",
        parts: [
            "aws:dynamodb/globalTable:GlobalTable 'legacy-orders' (region ap-northeast-1) sends zone 'jp' data of aws:dynamodb/table:Table 'jp-users' to region us-east-1 (replicas[].regionName)",
            JP_RULE,
        ],
    },
    {
        title: "rejects an Aurora global cluster built from the EU cluster",
        stack: "primary",
        resource: "global-db",
        change: (i) => (i.sourceDbClusterIdentifier = ARNS.euCluster),
        policy: "residency-data-flow",
        parts: [
            "aws:rds/globalCluster:GlobalCluster 'global-db' (region ap-northeast-1) copies from \"arn:aws:rds:eu-west-1:123456789012:cluster:taskflow-prod-db-eu-eu-west-1\" at sourceDbClusterIdentifier",
            "names are no proof",
            EU_RULE,
        ],
    },
    {
        title: "fails closed on a global cluster whose source cluster cannot be found",
        stack: "primary",
        resource: "global-db",
        change: (i) =>
            (i.sourceDbClusterIdentifier = `arn:aws:rds:eu-west-1:123456789012:cluster:mystery`),
        policy: "residency-data-flow",
        parts: [
            "'global-db' (region ap-northeast-1) copies from \"arn:aws:rds:eu-west-1:123456789012:cluster:mystery\"",
            FAIL_CLOSED,
        ],
    },
    {
        title: "rejects cross-region automated-backup replication of a jp-resident instance",
        stack: "us",
        resource: "reporting-backups",
        change: (i) => (i.sourceDbInstanceArn = ARNS.jpReporting),
        policy: "residency-data-flow",
        parts: [
            "'reporting-backups' (region us-east-1) copies from \"arn:aws:rds:ap-northeast-1:123456789012:db:taskflow-prod-jp-reporting\" at sourceDbInstanceArn",
            FAIL_CLOSED,
        ],
    },
    {
        title: "rejects a cross-region read replica of a jp-resident instance",
        stack: "us",
        resource: "reporting-replica",
        change: (i) => (i.replicateSourceDb = ARNS.jpReporting),
        policy: "residency-data-flow",
        parts: [
            "aws:rds/instance:Instance 'reporting-replica' (region us-east-1) copies from \"arn:aws:rds:ap-northeast-1:123456789012:db:taskflow-prod-jp-reporting\" at replicateSourceDb",
            FAIL_CLOSED,
        ],
    },
    {
        title: "rejects a cross-region Aurora read replica of the EU cluster",
        stack: "us",
        resource: "us-db",
        change: (i) => (i.replicationSourceIdentifier = ARNS.euCluster),
        policy: "residency-data-flow",
        parts: [
            "aws:rds/cluster:Cluster 'us-db' (region us-east-1) copies from \"arn:aws:rds:eu-west-1:123456789012:cluster:taskflow-prod-db-eu-eu-west-1\" at replicationSourceIdentifier",
            "names are no proof",
        ],
    },
    {
        title: "rejects an ElastiCache global datastore whose primary is jp-resident",
        stack: "primary",
        resource: "global-cache",
        change: (i) => (i.primaryReplicationGroupId = "taskflow-prod-jp-cache"),
        policy: "residency-data-flow",
        parts: [
            "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup 'global-cache' (region ap-northeast-1) reads zone 'jp' data of aws:elasticache/replicationGroup:ReplicationGroup 'jp-cache' (primaryReplicationGroupId)",
            "it replicates its primary group to secondary groups in other Regions",
            JP_RULE,
        ],
    },
    {
        title: "fails closed on a global datastore whose primary is not known until apply",
        stack: "primary",
        resource: "global-cache",
        change: (i) => (i.primaryReplicationGroupId = UNKNOWN),
        policy: "residency-data-flow",
        parts: [
            "'global-cache' (region ap-northeast-1) copies from a source at primaryReplicationGroupId",
            "not known until apply",
            FAIL_CLOSED,
        ],
    },
    {
        title: "rejects S3 replication whose source is the EU bucket",
        stack: "global",
        resource: "assets-replication",
        change: (i) => (i.bucket = NAMES.euBucket),
        policy: "residency-data-flow",
        parts: [
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig 'assets-replication' (region ap-northeast-1) copies from \"taskflow-prod-data-123456789012-eu-eu-west-1\" at bucket",
            "names are no proof",
        ],
    },
    {
        title: "rejects S3 replication into the EU bucket",
        stack: "global",
        resource: "assets-replication",
        change: (i) => (i.rules[0].destination.bucket = `arn:aws:s3:::${NAMES.euBucket}`),
        policy: "residency-data-flow",
        parts: [
            "'assets-replication' (region ap-northeast-1) sends its data to a store named 'taskflow-prod-data-123456789012-eu-eu-west-1' that no plan of this stack shows at rules[].destination.bucket",
            "a name is no proof of where a store is",
        ],
    },
    {
        title: "fails closed on S3 replication to a bucket no plan or name can vouch for",
        stack: "global",
        resource: "assets-replication",
        change: (i) => (i.rules[0].destination.bucket = "arn:aws:s3:::someone-elses-bucket"),
        policy: "residency-data-flow",
        parts: [
            'sends its data to "arn:aws:s3:::someone-elses-bucket" at rules[].destination.bucket, which cannot be proven',
            "replication destinations must be proven stores (fail closed)",
        ],
    },
    {
        title: "fails closed on S3 replication to a bucket not known until apply",
        stack: "global",
        resource: "assets-replication",
        change: (i) => (i.rules[0].destination.bucket = UNKNOWN),
        policy: "residency-data-flow",
        parts: [
            "sends its data to a destination not known until apply at rules[].destination.bucket",
            "replication destinations must be proven stores (fail closed)",
        ],
    },
    {
        title: "rejects inline replication configured on the EU bucket itself",
        stack: "eu",
        resource: "eu-data",
        change: (i) =>
            (i.replicationConfiguration = {
                role: "r",
                rules: [
                    {
                        status: "Enabled",
                        destination: { bucket: `arn:aws:s3:::${NAMES.assetsReplica}` },
                    },
                ],
            }),
        policy: "residency-data-flow",
        parts: [
            "aws:s3/bucket:Bucket 'eu-data' (region eu-west-1) sends zone 'eu' data of aws:s3/bucket:Bucket 'eu-data' to the store 'taskflow-prod-assets-123456789012-global-us-east-1' declared in the pack's config at replicationConfiguration.rules[].destination.bucket",
            "it is in region us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "rejects a KMS replica key of the EU key",
        stack: "us",
        resource: "global-key-replica",
        change: (i) => (i.primaryKeyArn = ARNS.euKey),
        policy: "residency-data-flow",
        parts: [
            "aws:kms/replicaKey:ReplicaKey 'global-key-replica' (region us-east-1) copies from \"arn:aws:kms:eu-west-1:123456789012:key/eu-key\" at primaryKeyArn",
            "names are no proof",
        ],
    },
    {
        title: "rejects an AWS Backup copy of EU backups to a vault outside eu-west-1",
        stack: "eu",
        resource: "eu-plan",
        change: (i) =>
            (i.rules[0].copyActions = [
                { destinationVaultArn: "arn:aws:backup:us-east-1:123456789012:backup-vault:dr" },
            ]),
        policy: "residency-data-flow",
        parts: [
            "aws:backup/plan:Plan 'eu-plan' (region eu-west-1) sends zone 'eu' data of aws:backup/plan:Plan 'eu-plan' to \"arn:aws:backup:us-east-1:123456789012:backup-vault:dr\" at rules[].copyActions[].destinationVaultArn",
            "which cannot be proven",
            EU_RULE,
        ],
        // The EU selection assigns zone eu data to that plan: it is reported too.
    },
    {
        title: "fails closed on a backup copy to a vault not known until apply",
        stack: "us",
        resource: "us-plan",
        change: (i) => (i.rules[0].copyActions[0].destinationVaultArn = UNKNOWN),
        policy: "residency-data-flow",
        parts: [
            "aws:backup/plan:Plan 'us-plan' (region us-east-1) sends zone 'us' data of what aws:backup/selection:Selection 'us-selection' picks (resources by wildcard \"*\")",
            "to a destination not known until apply at rules[].copyActions[].destinationVaultArn",
        ],
        // The us selection (everything of us-east-1) rides on that copy: it is reported too.
    },
    {
        title: "rejects a multi-Region EU key with imported key material",
        stack: "eu",
        resource: "eu-ext-key",
        change: (i) => (i.multiRegion = true),
        policy: "residency-replication-out-of-zone",
        parts: [
            "aws:kms/externalKey:ExternalKey 'eu-ext-key' (zone eu, region eu-west-1)",
            "multi-Region KMS key (multiRegion: true)",
            EU_RULE,
        ],
    },
    {
        title: "rejects an EU secret replicated outside eu-west-1",
        stack: "eu",
        resource: "eu-secret",
        change: (i) => (i.replicas = [{ region: "us-east-1" }]),
        policy: "residency-replication-out-of-zone",
        parts: [
            "aws:secretsmanager/secret:Secret 'eu-secret' (zone eu, region eu-west-1)",
            "Secrets Manager replica in us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "fails closed on an EU secret whose replica region is not known until apply",
        stack: "eu",
        resource: "eu-secret",
        change: (i) => (i.replicas = [{ region: UNKNOWN }]),
        policy: "residency-replication-out-of-zone",
        parts: ["'eu-secret'", "Secrets Manager replica in a region not known until apply"],
    },
    // ---- replication: restores, exports, streams, snapshots, subscriptions ----
    {
        title: "rejects a cross-region restore of the EU table into us-east-1",
        stack: "eu",
        resource: "eu-restored-users",
        change: (i, r) => {
            delete i.restoreSourceName;
            i.restoreSourceTableArn = ARNS.euTable;
            i.region = "us-east-1";
            r.region = "us-east-1";
            i.tags = { [RESIDENCY_TAG]: "global" };
        },
        policy: "residency-data-flow",
        parts: [
            "aws:dynamodb/table:Table 'eu-restored-users' (region us-east-1) reads zone 'eu' data of aws:dynamodb/table:Table 'eu-users' (restoreSourceTableArn), but it is in region us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "rejects an in-region restore of the EU table into a table classified global",
        stack: "eu",
        resource: "eu-restored-users",
        change: (i) => (i.tags = { [RESIDENCY_TAG]: "global" }),
        policy: "residency-data-flow",
        parts: [
            "aws:dynamodb/table:Table 'eu-restored-users' (region eu-west-1) reads zone 'eu' data of aws:dynamodb/table:Table 'eu-users' (restoreSourceName), but it is classified 'global'",
            EU_RULE,
        ],
    },
    {
        title: "fails closed on a restore whose source table is not known until apply",
        stack: "eu",
        resource: "eu-restored-users",
        change: (i) => (i.restoreSourceName = UNKNOWN),
        policy: "residency-data-flow",
        parts: [
            "'eu-restored-users' (region eu-west-1) copies from a source at restoreSourceName",
            "not known until apply",
            FAIL_CLOSED,
        ],
    },
    {
        title: "rejects an export of the EU table to a bucket outside eu-west-1",
        stack: "eu",
        resource: "eu-users-export",
        change: (i) => (i.s3Bucket = NAMES.assetsReplica),
        policy: "residency-data-flow",
        parts: [
            "aws:dynamodb/tableExport:TableExport 'eu-users-export' (region eu-west-1) sends zone 'eu' data of aws:dynamodb/table:Table 'eu-users' to the store 'taskflow-prod-assets-123456789012-global-us-east-1' declared in the pack's config at s3Bucket",
            "it is in region us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "fails closed on an export of the EU table to a bucket not known until apply",
        stack: "eu",
        resource: "eu-users-export",
        change: (i) => (i.s3Bucket = UNKNOWN),
        policy: "residency-data-flow",
        parts: [
            "'eu-users-export' (region eu-west-1) sends zone 'eu' data of aws:dynamodb/table:Table 'eu-users' to a destination not known until apply at s3Bucket",
            EU_RULE,
        ],
    },
    {
        title: "rejects streaming the EU table's changes to a Kinesis stream outside eu-west-1",
        stack: "eu",
        resource: "eu-users-stream",
        change: (i) =>
            (i.streamArn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/eu-user-changes`),
        policy: "residency-data-flow",
        parts: [
            "'eu-users-stream' (region eu-west-1) sends zone 'eu' data of aws:dynamodb/table:Table 'eu-users' to \"arn:aws:kinesis:us-east-1:123456789012:stream/eu-user-changes\" at streamArn, which cannot be proven",
            EU_RULE,
        ],
    },
    {
        title: "rejects a copy of an EU cluster snapshot to another region",
        stack: "eu",
        resource: "eu-db-snap-copy",
        change: (i) => (i.destinationRegion = "us-east-1"),
        policy: "residency-data-flow",
        parts: [
            "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy 'eu-db-snap-copy' (region eu-west-1) holds zone 'eu' data, but it lands in region us-east-1 (destinationRegion)",
            EU_RULE,
        ],
    },
    {
        title: "rejects a copy of a jp-resident instance snapshot out of Tokyo",
        stack: "primary",
        resource: "jp-reporting-snap-copy",
        change: (i) => (i.destinationRegion = "us-east-1"),
        policy: "residency-data-flow",
        parts: [
            "aws:rds/snapshotCopy:SnapshotCopy 'jp-reporting-snap-copy' (region ap-northeast-1) holds zone 'jp' data, but it lands in region us-east-1 (destinationRegion)",
            JP_RULE,
        ],
    },
    {
        title: "rejects a snapshot of a jp-resident database classified global (a copy could then leave)",
        stack: "primary",
        resource: "jp-reporting-snap",
        change: (i) => (i.tags = { [RESIDENCY_TAG]: "global" }),
        policy: "residency-data-flow",
        parts: [
            "aws:rds/snapshot:Snapshot 'jp-reporting-snap' (region ap-northeast-1) reads zone 'jp' data of aws:rds/instance:Instance 'jp-reporting-db' (dbInstanceIdentifier), but it is classified 'global'",
            JP_RULE,
        ],
        // Its copy is tagged jp but now copies a snapshot classified global: not a violation.
    },
    {
        title: "rejects a CloudWatch Logs subscription of an EU log group to another region",
        stack: "eu",
        resource: "eu-audit-subscription",
        change: (i) =>
            (i.destinationArn = `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/audit`),
        policy: "residency-data-flow",
        parts: [
            "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter 'eu-audit-subscription' (region eu-west-1) sends zone 'eu' data of aws:cloudwatch/logGroup:LogGroup 'eu-audit-logs' to \"arn:aws:firehose:us-east-1:123456789012:deliverystream/audit\" at destinationArn",
            EU_RULE,
        ],
    },
    {
        title: "fails closed on a log subscription whose destination is not known until apply",
        stack: "eu",
        resource: "eu-audit-subscription",
        change: (i) => (i.destinationArn = UNKNOWN),
        policy: "residency-data-flow",
        parts: [
            "'eu-audit-subscription' (region eu-west-1) sends zone 'eu' data of aws:cloudwatch/logGroup:LogGroup 'eu-audit-logs' to a destination not known until apply at destinationArn",
            EU_RULE,
        ],
    },
    {
        title: "rejects an S3 inventory of the EU bucket delivered outside eu-west-1",
        stack: "eu",
        resource: "eu-data-inventory",
        change: (i) => (i.destination.bucket.bucketArn = `arn:aws:s3:::${NAMES.assetsReplica}`),
        policy: "residency-data-flow",
        parts: [
            "aws:s3/inventory:Inventory 'eu-data-inventory' (region eu-west-1) sends zone 'eu' data of aws:s3/bucket:Bucket 'eu-data' to the store 'taskflow-prod-assets-123456789012-global-us-east-1' declared in the pack's config at destination.bucket.bucketArn",
            "it is in region us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "fails closed on an S3 analytics export of the EU bucket to an unprovable bucket",
        stack: "eu",
        resource: "eu-data-analytics",
        change: (i) =>
            (i.storageClassAnalysis.dataExport.destination.s3BucketDestination.bucketArn =
                "arn:aws:s3:::someone-elses-bucket"),
        policy: "residency-data-flow",
        parts: [
            "'eu-data-analytics' (region eu-west-1) sends zone 'eu' data of aws:s3/bucket:Bucket 'eu-data' to \"arn:aws:s3:::someone-elses-bucket\" at storageClassAnalysis.dataExport.destination.s3BucketDestination.bucketArn, which cannot be proven",
            EU_RULE,
        ],
    },
    {
        title: "rejects a KMS replica of the EU imported-material key",
        stack: "us",
        resource: "global-key-replica",
        change: (i, r) => {
            r.type = "aws:kms/replicaExternalKey:ReplicaExternalKey";
            i.primaryKeyArn = ARNS.euExtKey;
        },
        policy: "residency-data-flow",
        parts: [
            "aws:kms/replicaExternalKey:ReplicaExternalKey 'global-key-replica' (region us-east-1) copies from \"arn:aws:kms:eu-west-1:123456789012:key/eu-ext-key\" at primaryKeyArn",
            "names are no proof",
        ],
    },
    // ---- replication: AWS Backup selections ----
    {
        title: "rejects a backup selection assigning the EU table to a global plan that copies to us-east-1",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => (i.resources = [ARNS.euTable]),
        policy: "residency-data-flow",
        parts: [
            "aws:backup/selection:Selection 'primary-selection' (region ap-northeast-1) copies from \"arn:aws:dynamodb:eu-west-1:123456789012:table/taskflow-prod-users-eu-eu-west-1\" at resources[]",
            "names are no proof",
        ],
        others: [["residency-data-flow", "primary-plan"]],
    },
    {
        title: "rejects a backup selection assigning a jp-resident table to a plan that copies out of Tokyo",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => i.resources.push(ARNS.jpUsers),
        policy: "residency-data-flow",
        parts: [
            "aws:backup/plan:Plan 'primary-plan' (region ap-northeast-1) sends zone 'jp' data of aws:dynamodb/table:Table 'jp-users' through aws:backup/selection:Selection 'primary-selection'",
            '"arn:aws:backup:us-east-1:123456789012:backup-vault:taskflow-prod-vault-global-us-east-1" at rules[].copyActions[].destinationVaultArn, which cannot be proven',
        ],
        at: "primary-plan",
    },
    {
        title: "fails closed on a backup selection by wildcard in a region that hosts zone data",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => (i.resources = ["arn:aws:dynamodb:*"]),
        policy: "residency-data-flow",
        parts: [
            "aws:backup/plan:Plan 'primary-plan' (region ap-northeast-1) sends zone 'jp' data of what aws:backup/selection:Selection 'primary-selection' picks (resources by wildcard \"arn:aws:dynamodb:*\"), which may include the data of every zone of its region",
            "(the same holds for zone 'us' data)",
        ],
        at: "primary-plan",
    },
    {
        title: "rejects a backup selection by the residency tag of a zone",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => {
            delete i.resources;
            i.selectionTags = [{ type: "STRINGEQUALS", key: RESIDENCY_TAG, value: "jp" }];
        },
        policy: "residency-data-flow",
        parts: [
            "aws:backup/plan:Plan 'primary-plan' (region ap-northeast-1) sends zone 'jp' data of every resource tagged data-residency=jp (selection tag of aws:backup/selection:Selection 'primary-selection')",
            JP_RULE,
        ],
        at: "primary-plan",
    },
    {
        title: "fails closed on a backup selection by any other tag",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => {
            delete i.resources;
            i.selectionTags = [{ type: "STRINGEQUALS", key: "backup", value: "daily" }];
        },
        policy: "residency-data-flow",
        parts: [
            "sends zone 'jp' data of every resource tagged backup=daily (selection tag of aws:backup/selection:Selection 'primary-selection'), which may include the data of every zone of its region",
            "(the same holds for zone 'us' data)",
        ],
        at: "primary-plan",
    },
    {
        title: "fails closed on a backup selection by conditions alone",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => {
            delete i.resources;
            i.conditions = [{ stringLikes: [{ key: "aws:ResourceTag/team", value: "*" }] }];
        },
        policy: "residency-data-flow",
        parts: [
            "sends zone 'jp' data of what aws:backup/selection:Selection 'primary-selection' picks (conditions over every resource)",
            "(the same holds for zone 'us' data)",
        ],
        at: "primary-plan",
    },
    {
        title: "fails closed on a backup selection whose resources are not known until apply",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => (i.resources = UNKNOWN),
        policy: "residency-data-flow",
        parts: [
            "aws:backup/selection:Selection 'primary-selection' (region ap-northeast-1) copies from a source at resources",
            "not known until apply",
            FAIL_CLOSED,
        ],
        others: [["residency-data-flow", "primary-plan"]],
    },
    {
        title: "fails closed on a zone backup selection whose plan cannot be found",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => {
            i.resources = [ARNS.jpUsers];
            i.planId = UNKNOWN;
        },
        policy: "residency-data-flow",
        parts: [
            "aws:backup/selection:Selection 'primary-selection' (region ap-northeast-1) sends zone 'jp' data of aws:dynamodb/table:Table 'jp-users' to a destination not known until apply at planId",
            JP_RULE,
        ],
    },
    // ---- guardrails ----
    {
        title: "requires a customer-managed key on DynamoDB tables",
        stack: "eu",
        resource: "eu-users",
        change: (i) => delete i.serverSideEncryption.kmsKeyArn,
        policy: "encryption-at-rest-cmk",
        parts: ["'eu-users'", "serverSideEncryption", "customer-managed KMS key"],
    },
    {
        title: "rejects an AWS-managed key (alias/aws/rds) on an Aurora cluster",
        stack: "eu",
        resource: "eu-db",
        change: (i) => (i.kmsKeyId = "alias/aws/rds"),
        policy: "encryption-at-rest-cmk",
        parts: ["'eu-db' kmsKeyId is \"alias/aws/rds\", an AWS-managed key"],
    },
    {
        title: "fails closed on a plan's table key not known until apply (no property dependencies)",
        stack: "eu",
        resource: "eu-users",
        change: (i) => (i.serverSideEncryption.kmsKeyArn = UNKNOWN),
        policy: "encryption-at-rest-cmk",
        parts: [
            "'eu-users' serverSideEncryption.kmsKeyArn is not known until apply",
            "could not be proven to be a customer-managed KMS key at preview",
        ],
    },
    {
        title: "rejects an AWS-managed key ARN as a bucket's default encryption key",
        stack: "eu",
        resource: "eu-data-sse",
        change: (i) =>
            (i.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId = `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/aws/s3`),
        policy: "s3-encryption-cmk",
        parts: [
            "aws:s3/bucket:Bucket 'eu-data' default encryption kmsMasterKeyId",
            "an AWS-managed key",
        ],
    },
    {
        title: "requires storage encryption on Aurora clusters",
        stack: "eu",
        resource: "eu-db",
        change: (i) => (i.storageEncrypted = false),
        policy: "encryption-at-rest-cmk",
        parts: ["'eu-db'", "storageEncrypted: true and a kmsKeyId"],
    },
    {
        title: "requires a customer-managed key on backup vaults",
        stack: "eu",
        resource: "eu-vault",
        change: (i) => delete i.kmsKeyArn,
        policy: "encryption-at-rest-cmk",
        parts: ["aws:backup/vault:Vault 'eu-vault' has no kmsKeyArn"],
    },
    {
        title: "requires SSE-KMS default encryption on buckets",
        stack: "eu",
        resource: "eu-data-sse",
        change: (i) => (i.rules[0].applyServerSideEncryptionByDefault = { sseAlgorithm: "AES256" }),
        policy: "s3-encryption-cmk",
        parts: ["aws:s3/bucket:Bucket 'eu-data'", "sseAlgorithm aws:kms"],
    },
    {
        title: "holds a load balancer's access-log bucket to SSE-S3",
        stack: "primary",
        resource: "cell-alb-logs-sse",
        change: (i) => (i.rules = []),
        policy: "s3-encryption-cmk",
        parts: ["'cell-alb-logs' receives load-balancer access logs", "sseAlgorithm AES256"],
    },
    {
        title: "requires every public-access flag on a bucket",
        stack: "us",
        resource: "assets-replica-pab",
        change: (i) => (i.restrictPublicBuckets = false),
        policy: "s3-public-access-blocked",
        parts: [
            "'assets-replica'",
            "without all of blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets",
        ],
    },
    {
        title: "requires a public access block for each bucket",
        stack: "eu",
        resource: "eu-data-pab",
        change: (i) => (i.bucket = "another-bucket"),
        policy: "s3-public-access-blocked",
        parts: ["'eu-data' has no BucketPublicAccessBlock"],
    },
    {
        title: "requires a customer-managed key on CloudWatch log groups",
        stack: "us",
        resource: "us-logs",
        change: (i) => delete i.kmsKeyId,
        policy: "encryption-at-rest-cmk",
        parts: ["aws:cloudwatch/logGroup:LogGroup 'us-logs' has no kmsKeyId"],
    },
    {
        title: "requires storage encryption on an Aurora global cluster",
        stack: "primary",
        resource: "global-db",
        change: (i) => (i.storageEncrypted = false),
        policy: "encryption-at-rest-cmk",
        parts: ["aws:rds/globalCluster:GlobalCluster 'global-db' has storageEncrypted: false"],
    },
    {
        title: "requires storage encryption on an Aurora global cluster not built from a cluster",
        stack: "primary",
        resource: "global-db",
        change: (i) => delete i.sourceDbClusterIdentifier,
        policy: "encryption-at-rest-cmk",
        parts: ["'global-db' has storageEncrypted: null", "customer-managed KMS key"],
    },
    {
        title: "rejects a standalone ElastiCache cluster, which cannot use a customer-managed key",
        stack: "primary",
        resource: "jp-cache-node",
        change: (i) => delete i.replicationGroupId,
        policy: "encryption-at-rest-cmk",
        parts: [
            "aws:elasticache/cluster:Cluster 'jp-cache-node' is a standalone ElastiCache cluster",
            "use a ReplicationGroup",
        ],
    },
    {
        title: "requires deletion protection on an Aurora global cluster",
        stack: "primary",
        resource: "global-db",
        change: (i) => (i.deletionProtection = false),
        policy: "database-deletion-protection",
        parts: ["aws:rds/globalCluster:GlobalCluster 'global-db' has deletionProtection: false"],
    },
    {
        title: "requires deletion protection on a DynamoDB TableReplica",
        stack: "us",
        resource: "orders-replica",
        change: (i) => delete i.deletionProtectionEnabled,
        policy: "database-deletion-protection",
        parts: [
            "aws:dynamodb/tableReplica:TableReplica 'orders-replica' has deletionProtectionEnabled: null",
        ],
    },
    {
        title: "requires deletion protection on each inline replica of a global table",
        stack: "primary",
        resource: "sessions",
        change: (i) => (i.replicas[1].deletionProtectionEnabled = false),
        policy: "database-deletion-protection",
        parts: [
            "aws:dynamodb/table:Table 'sessions' has a replica in eu-west-1 with deletionProtectionEnabled: false",
        ],
    },
    {
        title: "requires deletion protection on Aurora clusters",
        stack: "us",
        resource: "us-db",
        change: (i) => (i.deletionProtection = false),
        policy: "database-deletion-protection",
        parts: ["'us-db' has deletionProtection: false"],
    },
    {
        title: "requires deletion protection on DynamoDB tables",
        stack: "primary",
        resource: "orders",
        change: (i) => delete i.deletionProtectionEnabled,
        policy: "database-deletion-protection",
        parts: ["'orders' has deletionProtectionEnabled: null"],
    },
    {
        title: "rejects an HTTP listener that forwards instead of redirecting to HTTPS",
        stack: "eu",
        resource: "cell-http",
        change: (i) => (i.defaultActions = [{ type: "forward", targetGroupArn: "tg" }]),
        policy: "alb-https-only",
        parts: ["aws:lb/listener:Listener 'cell-http'", "listens on HTTP (port 80)"],
    },
    {
        title: "rejects a service-wide wildcard action in a role policy",
        stack: "primary",
        resource: "app-task-policy",
        change: (i) =>
            (i.policy = editDoc(i.policy, (d) => (d.Statement[0].Action = ["dynamodb:*"]))),
        policy: "iam-no-wildcard-actions",
        parts: [
            "aws:iam/rolePolicy:RolePolicy 'app-task-policy'",
            "statement 'Tables' allows \"dynamodb:*\"",
            "least privilege",
        ],
    },
    {
        title: "rejects a prefix wildcard action in a role's inline policy",
        stack: "primary",
        resource: "app-task-role",
        change: (i) =>
            (i.inlinePolicies[0].policy = editDoc(
                i.inlinePolicies[0].policy,
                (d) => (d.Statement[0].Action = ["logs:Put*", "logs:CreateLogStream"]),
            )),
        policy: "iam-no-wildcard-actions",
        parts: ["'app-task-role' inlinePolicies[0].policy statement #0 allows \"logs:Put*\""],
    },
    {
        title: "rejects an Allow with NotAction",
        stack: "primary",
        resource: "app-task-policy",
        change: (i) =>
            (i.policy = editDoc(i.policy, (d) => {
                delete d.Statement[0].Action;
                d.Statement[0].NotAction = ["iam:*"];
            })),
        policy: "iam-no-wildcard-actions",
        parts: ["statement 'Tables' allows NotAction"],
    },
    {
        title: "rejects kms:* in a key policy for anyone but the account root",
        stack: "primary",
        resource: "jp-key",
        change: (i) =>
            (i.policy = editDoc(
                i.policy,
                (d) => (d.Statement[0].Principal = { AWS: `arn:aws:iam::${ACCOUNT}:role/admin` }),
            )),
        policy: "iam-no-wildcard-actions",
        parts: ["aws:kms/key:Key 'jp-key' policy statement 'AccountRoot' allows \"kms:*\""],
    },
    {
        title: "rejects a policy document that is not JSON",
        stack: "primary",
        resource: "app-task-policy",
        change: (i) => (i.policy = "{ Statement: ["),
        policy: "iam-no-wildcard-actions",
        parts: ["'app-task-policy' has a policy that is not valid JSON"],
    },
    {
        title: "requires point-in-time recovery on DynamoDB tables",
        stack: "eu",
        resource: "eu-users",
        change: (i) => (i.pointInTimeRecovery = { enabled: false }),
        policy: "backups-retained",
        parts: ["aws:dynamodb/table:Table 'eu-users' has no pointInTimeRecovery"],
    },
    {
        title: "requires a week of Aurora backups",
        stack: "us",
        resource: "us-db",
        change: (i) => (i.backupRetentionPeriod = 1),
        policy: "backups-retained",
        parts: ["'us-db' has backupRetentionPeriod 1, under 7 days"],
    },
    {
        title: "requires a final snapshot when a database is deleted",
        stack: "primary",
        resource: "primary-db",
        change: (i) => (i.skipFinalSnapshot = true),
        policy: "backups-retained",
        parts: ["'primary-db' has skipFinalSnapshot: true"],
    },
    {
        title: "requires ElastiCache snapshots",
        stack: "primary",
        resource: "primary-cache",
        change: (i) => (i.snapshotRetentionLimit = 0),
        policy: "backups-retained",
        parts: ["'primary-cache' has snapshotRetentionLimit 0"],
    },
];
