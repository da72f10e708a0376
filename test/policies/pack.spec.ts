import { expect } from "chai";
import { allPolicies } from "../../policies/all";
import {
    evaluatePlan,
    evaluatePlans,
    PlanInputError,
    PlanLike,
    PlannedResourceLike,
} from "../../policies/offline";
import { RESIDENCY_TAG } from "../../policies/residency";
import { all, ARNS, Fleet, fleet, NAMES } from "./fixtures";
import { ACCOUNT, expectClean, expectViolation, mutate, UNKNOWN } from "./util";

type StackKey = keyof Fleet;

interface Case {
    /** Behaviour, as the test title. */
    title: string;
    stack: StackKey;
    resource: string;
    change: (inputs: Record<string, any>, r: PlannedResourceLike) => void;
    policy: string;
    parts: string[];
    also?: string[];
}

/** Runs the pack over the fleet with one stack replaced by its mutated copy. */
function evaluateWith(stack: StackKey, plan: PlanLike) {
    const f = fleet();
    f[stack] = plan;
    return evaluatePlans(all(f));
}

/** Parses a JSON policy document, edits it, and writes it back. */
function editDoc(doc: string, edit: (d: any) => void): string {
    const d = JSON.parse(doc);
    edit(d);
    return JSON.stringify(d);
}

const EU_RULE = "rule: zone 'eu' data may only be stored in eu-west-1";
const JP_RULE = "rule: zone 'jp' data may only be stored in ap-northeast-1";
const FAIL_CLOSED = "replication wiring must prove both ends stay in their zone (fail closed)";

const cases: Case[] = [
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
    },
    {
        title: "fails closed on a zone store whose region is not known until apply",
        stack: "eu",
        resource: "eu-logs",
        change: (i) => (i.region = UNKNOWN),
        policy: "residency-region-outside-zone",
        parts: ["'eu-logs'", "(zone eu)", "no provable region: (unknown until apply)"],
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
        // The EU table's export lands in that bucket, now not classified eu: reported too.
        also: ["residency-replication-wiring"],
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
        policy: "residency-replication-wiring",
        parts: [
            "TableReplica 'orders-replica' (region us-east-1)",
            "from aws:dynamodb/table:Table 'jp-users' (zone jp, region ap-northeast-1)",
            JP_RULE,
        ],
    },
    {
        title: "fails closed on a TableReplica whose table ARN is not known until apply",
        stack: "us",
        resource: "orders-replica",
        change: (i) => (i.globalTableArn = UNKNOWN),
        policy: "residency-replication-wiring",
        parts: ["'orders-replica'", "(unknown until apply)", FAIL_CLOSED],
    },
    {
        title: "rejects a legacy global table built on a jp-resident table",
        stack: "primary",
        resource: "legacy-orders",
        change: (i) => (i.name = "taskflow-prod-jp-users"),
        policy: "residency-replication-wiring",
        parts: [
            "GlobalTable 'legacy-orders'",
            "'jp-users' (zone jp",
            "replica in us-east-1",
            JP_RULE,
        ],
    },
    {
        title: "rejects an Aurora global cluster built from the EU cluster",
        stack: "primary",
        resource: "global-db",
        change: (i) => (i.sourceDbClusterIdentifier = ARNS.euCluster),
        policy: "residency-replication-wiring",
        parts: [
            "GlobalCluster 'global-db'",
            "built from aws:rds/cluster:Cluster 'eu-db' (zone eu, region eu-west-1)",
            EU_RULE,
        ],
    },
    {
        title: "fails closed on a global cluster whose source cluster cannot be found",
        stack: "primary",
        resource: "global-db",
        change: (i) =>
            (i.sourceDbClusterIdentifier = `arn:aws:rds:eu-west-1:123456789012:cluster:mystery`),
        policy: "residency-replication-wiring",
        parts: ["'global-db'", "cluster:mystery", FAIL_CLOSED],
    },
    {
        title: "rejects cross-region automated-backup replication of a jp-resident instance",
        stack: "us",
        resource: "reporting-backups",
        change: (i) => (i.sourceDbInstanceArn = ARNS.jpReporting),
        policy: "residency-replication-wiring",
        parts: [
            "automated-backup replication",
            "'jp-reporting-db' (zone jp, region ap-northeast-1)",
            "us-east-1",
            JP_RULE,
        ],
    },
    {
        title: "rejects a cross-region read replica of a jp-resident instance",
        stack: "us",
        resource: "reporting-replica",
        change: (i) => (i.replicateSourceDb = ARNS.jpReporting),
        policy: "residency-replication-wiring",
        parts: ["read replica (replicateSourceDb)", "'jp-reporting-db' (zone jp", JP_RULE],
    },
    {
        title: "rejects a cross-region Aurora read replica of the EU cluster",
        stack: "us",
        resource: "us-db",
        change: (i) => (i.replicationSourceIdentifier = ARNS.euCluster),
        policy: "residency-replication-wiring",
        parts: [
            "Cluster 'us-db' (region us-east-1)",
            "read replica (replicationSourceIdentifier)",
            "'eu-db' (zone eu",
            EU_RULE,
        ],
    },
    {
        title: "rejects an ElastiCache global datastore whose primary is jp-resident",
        stack: "primary",
        resource: "global-cache",
        change: (i) => (i.primaryReplicationGroupId = "taskflow-prod-jp-cache"),
        policy: "residency-replication-wiring",
        parts: [
            "GlobalReplicationGroup 'global-cache'",
            "primary is aws:elasticache/replicationGroup:ReplicationGroup 'jp-cache' (zone jp",
            JP_RULE,
        ],
    },
    {
        title: "fails closed on a global datastore whose primary is not known until apply",
        stack: "primary",
        resource: "global-cache",
        change: (i) => (i.primaryReplicationGroupId = UNKNOWN),
        policy: "residency-replication-wiring",
        parts: ["'global-cache'", "(unknown until apply) cannot be proven", FAIL_CLOSED],
    },
    {
        title: "rejects S3 replication whose source is the EU bucket",
        stack: "global",
        resource: "assets-replication",
        change: (i) => (i.bucket = NAMES.euBucket),
        policy: "residency-replication-wiring",
        parts: [
            "BucketReplicationConfig 'assets-replication'",
            "S3 replication from aws:s3/bucket:Bucket 'eu-data' (zone eu, region eu-west-1)",
            "in region us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "rejects S3 replication into the EU bucket",
        stack: "global",
        resource: "assets-replication",
        change: (i) => (i.rules[0].destination.bucket = `arn:aws:s3:::${NAMES.euBucket}`),
        policy: "residency-replication-wiring",
        parts: [
            "S3 replication from aws:s3/bucket:Bucket 'assets' (global",
            "into aws:s3/bucket:Bucket 'eu-data' (zone eu",
            EU_RULE,
        ],
    },
    {
        title: "fails closed on S3 replication to a bucket no plan or name can vouch for",
        stack: "global",
        resource: "assets-replication",
        change: (i) => (i.rules[0].destination.bucket = "arn:aws:s3:::someone-elses-bucket"),
        policy: "residency-replication-wiring",
        parts: ["to arn:aws:s3:::someone-elses-bucket", "cannot be proven", FAIL_CLOSED],
    },
    {
        title: "fails closed on S3 replication to a bucket not known until apply",
        stack: "global",
        resource: "assets-replication",
        change: (i) => (i.rules[0].destination.bucket = UNKNOWN),
        policy: "residency-replication-wiring",
        parts: ["(unknown until apply)", FAIL_CLOSED],
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
        policy: "residency-replication-wiring",
        parts: [
            "S3 replication from aws:s3/bucket:Bucket 'eu-data' (zone eu, region eu-west-1)",
            "'assets-replica'",
            "in region us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "rejects a KMS replica key of the EU key",
        stack: "us",
        resource: "global-key-replica",
        change: (i) => (i.primaryKeyArn = ARNS.euKey),
        policy: "residency-replication-wiring",
        parts: [
            "ReplicaKey 'global-key-replica' (region us-east-1)",
            "KMS replica key from aws:kms/key:Key 'eu-key' (zone eu",
            EU_RULE,
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
        policy: "residency-replication-wiring",
        parts: [
            "aws:backup/plan:Plan 'eu-plan'",
            "AWS Backup copy action",
            "(zone eu, region eu-west-1)",
            "backup-vault:dr in region us-east-1",
            EU_RULE,
        ],
        // The EU selection assigns zone eu data to that plan: it is reported too.
        also: ["residency-replication-wiring"],
    },
    {
        title: "fails closed on a backup copy to a vault not known until apply",
        stack: "us",
        resource: "us-plan",
        change: (i) => (i.rules[0].copyActions[0].destinationVaultArn = UNKNOWN),
        policy: "residency-replication-wiring",
        parts: ["'us-plan'", "whose region cannot be proven", "zone 'us'"],
        // The us selection (everything of us-east-1) rides on that copy: it is reported too.
        also: ["residency-replication-wiring"],
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
        policy: "residency-replication-wiring",
        parts: [
            "aws:dynamodb/table:Table 'eu-restored-users' (region us-east-1)",
            "DynamoDB restore (restoreSourceTableArn) from aws:dynamodb/table:Table 'eu-users' (zone eu, region eu-west-1)",
            "to aws:dynamodb/table:Table 'eu-restored-users' in region us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "rejects an in-region restore of the EU table into a table classified global",
        stack: "eu",
        resource: "eu-restored-users",
        change: (i) => (i.tags = { [RESIDENCY_TAG]: "global" }),
        policy: "residency-replication-wiring",
        parts: [
            "DynamoDB restore (restoreSourceName) from aws:dynamodb/table:Table 'eu-users' (zone eu",
            "'eu-restored-users' (global, region eu-west-1), not proven to be classified in zone eu",
        ],
    },
    {
        title: "fails closed on a restore whose source table is not known until apply",
        stack: "eu",
        resource: "eu-restored-users",
        change: (i) => (i.restoreSourceName = UNKNOWN),
        policy: "residency-replication-wiring",
        parts: ["DynamoDB restore (restoreSourceName) from (unknown until apply)", FAIL_CLOSED],
    },
    {
        title: "rejects an export of the EU table to a bucket outside eu-west-1",
        stack: "eu",
        resource: "eu-users-export",
        change: (i) => (i.s3Bucket = NAMES.assetsReplica),
        policy: "residency-replication-wiring",
        parts: [
            "aws:dynamodb/tableExport:TableExport 'eu-users-export' (region eu-west-1)",
            "DynamoDB table export from aws:dynamodb/table:Table 'eu-users' (zone eu, region eu-west-1)",
            `to aws:s3/bucket:Bucket 'assets-replica' (${NAMES.assetsReplica}) in region us-east-1`,
            EU_RULE,
        ],
    },
    {
        title: "fails closed on an export of the EU table to a bucket not known until apply",
        stack: "eu",
        resource: "eu-users-export",
        change: (i) => (i.s3Bucket = UNKNOWN),
        policy: "residency-replication-wiring",
        parts: ["to (unknown until apply), whose region cannot be proven", EU_RULE],
    },
    {
        title: "rejects streaming the EU table's changes to a Kinesis stream outside eu-west-1",
        stack: "eu",
        resource: "eu-users-stream",
        change: (i) =>
            (i.streamArn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/eu-user-changes`),
        policy: "residency-replication-wiring",
        parts: [
            "KinesisStreamingDestination 'eu-users-stream' (region eu-west-1)",
            "DynamoDB Kinesis streaming destination from aws:dynamodb/table:Table 'eu-users' (zone eu",
            "stream/eu-user-changes in region us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "rejects a copy of an EU cluster snapshot to another region",
        stack: "eu",
        resource: "eu-db-snap-copy",
        change: (i) => (i.destinationRegion = "us-east-1"),
        policy: "residency-replication-wiring",
        parts: [
            "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy 'eu-db-snap-copy' (region eu-west-1)",
            "RDS snapshot copy from aws:rds/clusterSnapshot:ClusterSnapshot 'eu-db-snap' (zone eu, region eu-west-1)",
            "to aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy 'eu-db-snap-copy' in region us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "rejects a copy of a jp-resident instance snapshot out of Tokyo",
        stack: "primary",
        resource: "jp-reporting-snap-copy",
        change: (i) => (i.destinationRegion = "us-east-1"),
        policy: "residency-replication-wiring",
        parts: [
            "RDS snapshot copy from aws:rds/snapshot:Snapshot 'jp-reporting-snap' (zone jp",
            "in region us-east-1",
            JP_RULE,
        ],
    },
    {
        title: "rejects a snapshot of a jp-resident database classified global (a copy could then leave)",
        stack: "primary",
        resource: "jp-reporting-snap",
        change: (i) => (i.tags = { [RESIDENCY_TAG]: "global" }),
        policy: "residency-replication-wiring",
        parts: [
            "aws:rds/snapshot:Snapshot 'jp-reporting-snap' (region ap-northeast-1)",
            "RDS snapshot from aws:rds/instance:Instance 'jp-reporting-db' (zone jp",
            "not proven to be classified in zone jp",
        ],
        // Its copy is tagged jp but now copies a snapshot classified global: not a violation.
    },
    {
        title: "rejects a CloudWatch Logs subscription of an EU log group to another region",
        stack: "eu",
        resource: "eu-audit-subscription",
        change: (i) =>
            (i.destinationArn = `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/audit`),
        policy: "residency-replication-wiring",
        parts: [
            "LogSubscriptionFilter 'eu-audit-subscription' (region eu-west-1)",
            "CloudWatch Logs subscription from aws:cloudwatch/logGroup:LogGroup 'eu-audit-logs' (zone eu",
            "deliverystream/audit in region us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "fails closed on a log subscription whose destination is not known until apply",
        stack: "eu",
        resource: "eu-audit-subscription",
        change: (i) => (i.destinationArn = UNKNOWN),
        policy: "residency-replication-wiring",
        parts: ["to (unknown until apply), whose region cannot be proven", EU_RULE],
    },
    {
        title: "rejects an S3 inventory of the EU bucket delivered outside eu-west-1",
        stack: "eu",
        resource: "eu-data-inventory",
        change: (i) => (i.destination.bucket.bucketArn = `arn:aws:s3:::${NAMES.assetsReplica}`),
        policy: "residency-replication-wiring",
        parts: [
            "aws:s3/inventory:Inventory 'eu-data-inventory' (region eu-west-1)",
            "S3 inventory report from aws:s3/bucket:Bucket 'eu-data' (zone eu",
            "in region us-east-1",
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
        policy: "residency-replication-wiring",
        parts: [
            "S3 analytics export from aws:s3/bucket:Bucket 'eu-data' (zone eu",
            "to arn:aws:s3:::someone-elses-bucket, whose region cannot be proven",
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
        policy: "residency-replication-wiring",
        parts: [
            "ReplicaExternalKey 'global-key-replica' (region us-east-1)",
            "KMS replica key from aws:kms/externalKey:ExternalKey 'eu-ext-key' (zone eu",
            EU_RULE,
        ],
    },
    // ---- replication: AWS Backup selections ----
    {
        title: "rejects a backup selection assigning the EU table to a global plan that copies to us-east-1",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => (i.resources = [ARNS.euTable]),
        policy: "residency-replication-wiring",
        parts: [
            "aws:backup/selection:Selection 'primary-selection' (region ap-northeast-1)",
            `picks aws:dynamodb/table:Table 'eu-users' (${ARNS.euTable}) (zone eu)`,
            "for aws:backup/plan:Plan 'primary-plan'",
            "backup-vault:taskflow-prod-vault-global-us-east-1 in region us-east-1",
            EU_RULE,
        ],
    },
    {
        title: "rejects a backup selection assigning a jp-resident table to a plan that copies out of Tokyo",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => i.resources.push(ARNS.jpUsers),
        policy: "residency-replication-wiring",
        parts: ["'jp-users'", "(zone jp)", "in region us-east-1", JP_RULE],
    },
    {
        title: "fails closed on a backup selection by wildcard in a region that hosts zone data",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => (i.resources = ["arn:aws:dynamodb:*"]),
        policy: "residency-replication-wiring",
        parts: [
            'picks resources by wildcard "arn:aws:dynamodb:*", which may include zone jp data in region ap-northeast-1 (fail closed) (zone jp)',
            "in region us-east-1",
            JP_RULE,
        ],
    },
    {
        title: "rejects a backup selection by the residency tag of a zone",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => {
            delete i.resources;
            i.selectionTags = [{ type: "STRINGEQUALS", key: RESIDENCY_TAG, value: "jp" }];
        },
        policy: "residency-replication-wiring",
        parts: [`picks selection tag ${RESIDENCY_TAG}=jp (zone jp)`, JP_RULE],
    },
    {
        title: "fails closed on a backup selection by any other tag",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => {
            delete i.resources;
            i.selectionTags = [{ type: "STRINGEQUALS", key: "backup", value: "daily" }];
        },
        policy: "residency-replication-wiring",
        parts: ["picks selection tag backup=daily, which may include zone jp data", JP_RULE],
    },
    {
        title: "fails closed on a backup selection by conditions alone",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => {
            delete i.resources;
            i.conditions = [{ stringLikes: [{ key: "aws:ResourceTag/team", value: "*" }] }];
        },
        policy: "residency-replication-wiring",
        parts: ["picks conditions over every resource, which may include zone jp data", JP_RULE],
    },
    {
        title: "fails closed on a backup selection whose resources are not known until apply",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => (i.resources = UNKNOWN),
        policy: "residency-replication-wiring",
        parts: ["picks resources not known until apply, which may include zone jp data", JP_RULE],
    },
    {
        title: "fails closed on a zone backup selection whose plan cannot be found",
        stack: "primary",
        resource: "primary-selection",
        change: (i) => {
            i.resources = [ARNS.jpUsers];
            i.planId = UNKNOWN;
        },
        policy: "residency-replication-wiring",
        parts: [
            "selection for plan (unknown until apply), which cannot be found",
            "'jp-users'",
            "(zone jp)",
            FAIL_CLOSED,
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

describe("policy pack", () => {
    it("passes the whole four-stack fleet", () => {
        expectClean(evaluatePlans(all(fleet())));
    });

    it("proves the global stack's S3 replication by residency names when planned on its own", () => {
        expectClean(evaluatePlan(fleet().global));
    });

    it("covers every policy with a happy-path fixture and at least one failing case", () => {
        const covered = new Set(cases.map((c) => c.policy));
        for (const p of allPolicies) expect(covered, p.name).to.include(p.name);
    });

    it("has at least twenty distinct failing cases", () => {
        expect(new Set(cases.map((c) => c.title)).size).to.be.at.least(20);
    });

    for (const c of cases) {
        it(c.title, () => {
            const f = fleet();
            const plan = mutate(f[c.stack], c.resource, c.change);
            const violations = evaluateWith(c.stack, plan);
            const urn = plan.resources.find((r) => r.name === c.resource)!.urn;
            // Bucket-level S3 findings are reported against the bucket, not the mutated config.
            const expectUrn = c.policy.startsWith("s3-") ? undefined : urn;
            expectViolation(violations, c.policy, c.parts, {
                urn: expectUrn,
                alsoPolicies: c.also,
            });
            expect(violations[0].stack).to.equal(f[c.stack].stack);
        });
    }

    it("fails closed when cross-stack S3 replication cannot be proven by names and another plan proves it", () => {
        const f = fleet();
        // Buckets named without the residency convention: only the other stacks' plans vouch.
        const rename = (plan: PlanLike, resource: string, from: string, to: string) =>
            mutate(plan, resource, (i, r) => {
                if (i.bucket === from) i.bucket = to;
                if (r.id === from) r.id = to;
            });
        f.primary = rename(f.primary, "assets", NAMES.assets, "assets-src");
        for (const n of ["assets-pab", "assets-sse"])
            f.primary = rename(f.primary, n, NAMES.assets, "assets-src");
        f.us = rename(f.us, "assets-replica", NAMES.assetsReplica, "assets-dst");
        for (const n of ["assets-replica-pab", "assets-replica-sse"])
            f.us = rename(f.us, n, NAMES.assetsReplica, "assets-dst");
        f.global = mutate(f.global, "assets-replication", (i) => {
            i.bucket = "assets-src";
            i.rules[0].destination.bucket = "arn:aws:s3:::assets-dst";
        });
        expectClean(evaluatePlans(all(f)));
        const alone = evaluatePlan(f.global);
        expectViolation(alone, "residency-replication-wiring", ["from assets-src", FAIL_CLOSED]);
    });

    it("lets a residency-tag condition narrow a wildcard backup selection to global data", () => {
        const f = fleet();
        f.primary = mutate(f.primary, "primary-selection", (i) => {
            i.resources = ["*"];
            i.conditions = [
                { stringEquals: [{ key: `aws:ResourceTag/${RESIDENCY_TAG}`, value: "global" }] },
            ];
        });
        expectClean(evaluatePlans(all(f)));
        f.primary = mutate(f.primary, "primary-selection", (i) => {
            i.conditions[0].stringEquals[0].value = "jp";
        });
        expectViolation(evaluatePlans(all(f)), "residency-replication-wiring", [
            `narrowed by condition ${RESIDENCY_TAG}=jp (zone jp)`,
            JP_RULE,
        ]);
    });

    it("refuses a plan whose documented region contradicts a resource's provider", () => {
        const f = fleet();
        f.eu = mutate(f.eu, "eu-logs", (_i, r) => (r.region = "eu-central-1"));
        expect(() => evaluatePlans(all(f))).to.throw(
            PlanInputError,
            `stack eu-west-1: aws:cloudwatch/logGroup:LogGroup 'eu-logs' (urn:pulumi:eu-west-1::taskflow::aws:cloudwatch/logGroup:LogGroup::eu-logs): region "eu-central-1" contradicts providerRegion "eu-west-1"`,
        );
    });

    it("takes a global service's documented region as given", () => {
        // IAM is global: the plan format records region "global" whatever the provider's region.
        const f = fleet();
        f.primary = mutate(f.primary, "app-task-role", (_i, r) => (r.region = "global"));
        expectClean(evaluatePlans(all(f)));
    });

    it("reads the zone matrix from policy config", () => {
        // With eu allowed in eu-central-1 too, the EU log group may move there.
        const f = fleet();
        f.eu = mutate(f.eu, "eu-logs", (i, r) => {
            i.region = "eu-central-1";
            r.region = "eu-central-1";
        });
        const zones = {
            eu: ["eu-west-1", "eu-central-1"],
            us: ["us-east-1", "ap-northeast-1"],
            jp: ["ap-northeast-1"],
        };
        expectClean(evaluatePlans(all(f), { zones }));
        expectViolation(evaluatePlans(all(f)), "residency-region-outside-zone", ["eu-central-1"]);
    });

    it("rejects a malformed zone matrix with a message naming the key", () => {
        expect(() => evaluatePlans(all(fleet()), { zones: { eu: [] } })).to.throw(
            /zones\.eu.*non-empty list/,
        );
        expect(() => evaluatePlans(all(fleet()), { zones: { global: ["us-east-1"] } })).to.throw(
            /"global" is reserved/,
        );
    });
});
