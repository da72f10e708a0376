// A passing four-stack fleet in the shape of the real program: the primary stack with global
// data (global table, global cluster, global datastore, multi-Region key, assets bucket) and a
// jp-resident table/instance/cache; us-east-1 with replicas of global data and us-resident
// stores; eu-west-1 with the EU ResidencyBoundary's stores; the global stack with the S3
// replication wiring. Every failing case in the specs changes one field of this fleet.

import { PackSettings } from "../../policies/config";
import { PlanLike, PlannedResourceLike } from "../../policies/offline";
import { DEFAULT_ZONES, RESIDENCY_TAG, T } from "../../policies/residency";
import { ACCOUNT, res, tags } from "./util";

export interface Fleet {
    primary: PlanLike;
    us: PlanLike;
    eu: PlanLike;
    global: PlanLike;
}

export const NAMES = {
    euTable: "taskflow-prod-users-eu-eu-west-1",
    // Bucket names carry the account id, as the program names them.
    euBucket: `taskflow-prod-data-${ACCOUNT}-eu-eu-west-1`,
    euCluster: "taskflow-prod-db-eu-eu-west-1",
    euVault: "taskflow-prod-vault-eu-eu-west-1",
    assets: `taskflow-prod-assets-${ACCOUNT}-global-ap-northeast-1`,
    assetsReplica: `taskflow-prod-assets-${ACCOUNT}-global-us-east-1`,
};

export const ARNS = {
    euKey: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/eu-key`,
    euExtKey: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/eu-ext-key`,
    euDbSnapshot: `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster-snapshot:taskflow-prod-dbsnap-eu-eu-west-1`,
    euTable: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/${NAMES.euTable}`,
    euCluster: `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster:${NAMES.euCluster}`,
    euStream: `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/eu-user-changes`,
    euFirehose: `arn:aws:firehose:eu-west-1:${ACCOUNT}:deliverystream/eu-audit`,
    globalKey: `arn:aws:kms:ap-northeast-1:${ACCOUNT}:key/mrk-global`,
    jpKey: `arn:aws:kms:ap-northeast-1:${ACCOUNT}:key/jp-key`,
    usKey: `arn:aws:kms:us-east-1:${ACCOUNT}:key/us-key`,
    orders: `arn:aws:dynamodb:ap-northeast-1:${ACCOUNT}:table/taskflow-prod-orders`,
    jpUsers: `arn:aws:dynamodb:ap-northeast-1:${ACCOUNT}:table/taskflow-prod-jp-users`,
    primaryCluster: `arn:aws:rds:ap-northeast-1:${ACCOUNT}:cluster:taskflow-prod-primary`,
    reporting: `arn:aws:rds:ap-northeast-1:${ACCOUNT}:db:taskflow-prod-reporting`,
    jpReporting: `arn:aws:rds:ap-northeast-1:${ACCOUNT}:db:taskflow-prod-jp-reporting`,
};

const cmkTable = (kmsKeyArn: string) => ({ enabled: true, kmsKeyArn });

/** A bucket with its public access block and SSE-KMS configuration. */
function bucketTrio(
    stack: string,
    region: string,
    name: string,
    bucket: string,
    classification: string,
    key: string,
): PlannedResourceLike[] {
    return [
        res(stack, region, T.bucket, name, { bucket, tags: tags(classification) }, { id: bucket }),
        res(stack, region, T.bucketPab, `${name}-pab`, {
            bucket,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }),
        res(stack, region, T.bucketSse, `${name}-sse`, {
            bucket,
            rules: [
                {
                    applyServerSideEncryptionByDefault: {
                        sseAlgorithm: "aws:kms",
                        kmsMasterKeyId: key,
                    },
                    bucketKeyEnabled: true,
                },
            ],
        }),
    ];
}

function listeners(stack: string, region: string): PlannedResourceLike[] {
    return [
        res(stack, region, T.lbListener, "cell-https", {
            loadBalancerArn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/app/cell/1`,
            protocol: "HTTPS",
            port: 443,
            certificateArn: `arn:aws:acm:${region}:${ACCOUNT}:certificate/c`,
            defaultActions: [{ type: "forward", targetGroupArn: "tg" }],
        }),
        res(stack, region, T.lbListener, "cell-http", {
            loadBalancerArn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/app/cell/1`,
            protocol: "HTTP",
            port: 80,
            defaultActions: [
                {
                    type: "redirect",
                    redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
                },
            ],
        }),
    ];
}

/** Every stateful store of the fleet keeps backups, as `backups-retained` requires. */
function keepsBackups(r: PlannedResourceLike): void {
    if (r.type === T.table) r.inputs.pointInTimeRecovery ??= { enabled: true };
    if (r.type === T.rdsCluster || r.type === T.rdsInstance) {
        r.inputs.backupRetentionPeriod ??= 14;
        r.inputs.skipFinalSnapshot ??= false;
    }
    if (r.type === T.cacheGroup) r.inputs.snapshotRetentionLimit ??= 7;
}

export function fleet(): Fleet {
    const P = "ap-northeast-1";
    const p = (
        type: string,
        name: string,
        inputs: Record<string, unknown>,
        extra: Partial<PlannedResourceLike> = {},
    ) => res("ap-northeast-1", P, type, name, inputs, extra);
    const primary: PlanLike = {
        stack: "ap-northeast-1",
        region: P,
        resources: [
            p(
                T.kmsKey,
                "global-key",
                { multiRegion: true, enableKeyRotation: true, tags: tags("global") },
                { outputs: { arn: ARNS.globalKey } },
            ),
            p(
                T.kmsKey,
                "jp-key",
                {
                    multiRegion: false,
                    enableKeyRotation: true,
                    tags: tags("jp"),
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "AccountRoot",
                                Effect: "Allow",
                                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                                Action: "kms:*",
                                Resource: "*",
                            },
                            {
                                Sid: "DynamoDbUse",
                                Effect: "Allow",
                                Principal: { AWS: "*" },
                                Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
                                Resource: "*",
                                Condition: {
                                    StringEquals: {
                                        "kms:CallerAccount": ACCOUNT,
                                        "kms:ViaService": `dynamodb.${P}.amazonaws.com`,
                                    },
                                },
                            },
                        ],
                    }),
                },
                { outputs: { arn: ARNS.jpKey } },
            ),
            p(T.iamRole, "app-task-role", {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "ecs-tasks.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
                inlinePolicies: [
                    {
                        name: "logs",
                        policy: JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                {
                                    Effect: "Allow",
                                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                    Resource: "*",
                                },
                            ],
                        }),
                    },
                ],
            }),
            p(T.iamRolePolicy, "app-task-policy", {
                role: "app-task-role",
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "Tables",
                            Effect: "Allow",
                            Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
                            Resource: [ARNS.orders],
                        },
                        {
                            Sid: "DenyPlainHttp",
                            Effect: "Deny",
                            Action: "*",
                            Resource: "*",
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            }),
            p(
                T.table,
                "sessions",
                {
                    name: "taskflow-prod-sessions",
                    deletionProtectionEnabled: true,
                    serverSideEncryption: cmkTable(ARNS.globalKey),
                    replicas: [
                        {
                            regionName: "us-east-1",
                            kmsKeyArn: "arn:aws:kms:us-east-1:1:key/mrk-global",
                            deletionProtectionEnabled: true,
                        },
                        {
                            regionName: "eu-west-1",
                            kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/mrk-global",
                            deletionProtectionEnabled: true,
                        },
                    ],
                    tags: tags("global"),
                },
                {
                    outputs: {
                        arn: `arn:aws:dynamodb:${P}:${ACCOUNT}:table/taskflow-prod-sessions`,
                    },
                },
            ),
            p(
                T.table,
                "orders",
                {
                    name: "taskflow-prod-orders",
                    deletionProtectionEnabled: true,
                    serverSideEncryption: cmkTable(ARNS.globalKey),
                    tags: tags("global"),
                },
                { outputs: { arn: ARNS.orders } },
            ),
            p(
                T.table,
                "jp-users",
                {
                    name: "taskflow-prod-jp-users",
                    deletionProtectionEnabled: true,
                    serverSideEncryption: cmkTable(ARNS.jpKey),
                    tags: tags("jp"),
                },
                { outputs: { arn: ARNS.jpUsers } },
            ),
            p(T.globalTable, "legacy-orders", {
                name: "taskflow-prod-orders",
                replicas: [{ regionName: "us-east-1" }],
            }),
            p(
                T.rdsCluster,
                "primary-db",
                {
                    clusterIdentifier: "taskflow-prod-primary",
                    engine: "aurora-postgresql",
                    storageEncrypted: true,
                    kmsKeyId: ARNS.globalKey,
                    deletionProtection: true,
                    tags: tags("global"),
                },
                { outputs: { arn: ARNS.primaryCluster } },
            ),
            p(T.rdsGlobalCluster, "global-db", {
                globalClusterIdentifier: "taskflow-prod-global",
                sourceDbClusterIdentifier: ARNS.primaryCluster,
                deletionProtection: true,
                tags: tags("global"),
            }),
            p(
                T.rdsInstance,
                "reporting-db",
                {
                    identifier: "taskflow-prod-reporting",
                    storageEncrypted: true,
                    kmsKeyId: ARNS.globalKey,
                    deletionProtection: true,
                    tags: tags("global"),
                },
                { outputs: { arn: ARNS.reporting } },
            ),
            p(
                T.rdsInstance,
                "jp-reporting-db",
                {
                    identifier: "taskflow-prod-jp-reporting",
                    storageEncrypted: true,
                    kmsKeyId: ARNS.jpKey,
                    deletionProtection: true,
                    tags: tags("jp"),
                },
                { outputs: { arn: ARNS.jpReporting } },
            ),
            p(T.rdsSnapshot, "reporting-snap", {
                dbInstanceIdentifier: "taskflow-prod-reporting",
                dbSnapshotIdentifier: "taskflow-prod-reporting-snap",
                tags: tags("global"),
            }),
            p(T.rdsSnapshot, "jp-reporting-snap", {
                dbInstanceIdentifier: "taskflow-prod-jp-reporting",
                dbSnapshotIdentifier: "taskflow-prod-jp-reporting-snap",
                tags: tags("jp"),
            }),
            // A same-region copy (e.g. re-encrypted): lands in Tokyo, stays in zone jp.
            p(T.rdsSnapshotCopy, "jp-reporting-snap-copy", {
                sourceDbSnapshotIdentifier: "taskflow-prod-jp-reporting-snap",
                targetDbSnapshotIdentifier: "taskflow-prod-jp-reporting-snap-copy",
                kmsKeyId: ARNS.jpKey,
                tags: tags("jp"),
            }),
            p(T.cacheGroup, "primary-cache", {
                replicationGroupId: "taskflow-prod-cache",
                description: "primary",
                atRestEncryptionEnabled: true,
                kmsKeyId: ARNS.globalKey,
                tags: tags("global"),
            }),
            p(T.cacheGroup, "jp-cache", {
                replicationGroupId: "taskflow-prod-jp-cache",
                description: "jp only",
                atRestEncryptionEnabled: true,
                kmsKeyId: ARNS.jpKey,
                tags: tags("jp"),
            }),
            // A node of the jp group: encrypted at rest by the group.
            p(T.cacheCluster, "jp-cache-node", {
                clusterId: "taskflow-prod-jp-cache-001",
                replicationGroupId: "taskflow-prod-jp-cache",
                tags: tags("jp"),
            }),
            p(T.cacheGlobal, "global-cache", {
                globalReplicationGroupIdSuffix: "taskflow",
                primaryReplicationGroupId: "taskflow-prod-cache",
            }),
            ...bucketTrio("ap-northeast-1", P, "assets", NAMES.assets, "global", ARNS.globalKey),
            p(T.backupVault, "primary-vault", {
                name: "taskflow-prod-vault-global-ap-northeast-1",
                kmsKeyArn: ARNS.globalKey,
                tags: tags("global"),
            }),
            p(T.backupPlan, "primary-plan", {
                rules: [
                    {
                        ruleName: "daily",
                        targetVaultName: "taskflow-prod-vault-global-ap-northeast-1",
                        copyActions: [
                            {
                                destinationVaultArn: `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:taskflow-prod-vault-global-us-east-1`,
                            },
                        ],
                    },
                ],
                tags: tags("global"),
            }),
            // Assigns a global table to the global plan, whose copies go to us-east-1.
            p(T.backupSelection, "primary-selection", {
                planId: "primary-plan-id",
                iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
                resources: [ARNS.orders],
            }),
            ...listeners("ap-northeast-1", P),
            // ELB writes access logs only to SSE-S3 buckets: this one is held to AES256, not a CMK.
            p(T.loadBalancer, "cell-alb", {
                loadBalancerType: "application",
                accessLogs: { bucket: "cell-alb-logs-0a1b2c3", enabled: true, prefix: "alb" },
            }),
            ...bucketTrio(
                "ap-northeast-1",
                P,
                "cell-alb-logs",
                "cell-alb-logs-0a1b2c3",
                "global",
                ARNS.globalKey,
            ).map((r) =>
                r.type === T.bucketSse
                    ? {
                          ...r,
                          inputs: {
                              ...r.inputs,
                              rules: [
                                  {
                                      applyServerSideEncryptionByDefault: {
                                          sseAlgorithm: "AES256",
                                      },
                                  },
                              ],
                          },
                      }
                    : r,
            ),
        ],
    };

    const U = "us-east-1";
    const u = (
        type: string,
        name: string,
        inputs: Record<string, unknown>,
        extra: Partial<PlannedResourceLike> = {},
    ) => res("us-east-1", U, type, name, inputs, extra);
    const us: PlanLike = {
        stack: "us-east-1",
        region: U,
        resources: [
            u(
                T.kmsKey,
                "us-key",
                { multiRegion: false, enableKeyRotation: true, tags: tags("us") },
                { outputs: { arn: ARNS.usKey } },
            ),
            u(T.kmsReplicaKey, "global-key-replica", {
                primaryKeyArn: ARNS.globalKey,
                tags: tags("global"),
            }),
            u(T.tableReplica, "orders-replica", {
                globalTableArn: ARNS.orders,
                kmsKeyArn: ARNS.usKey,
                deletionProtectionEnabled: true,
                tags: tags("global"),
            }),
            u(T.rdsCluster, "cell-db", {
                clusterIdentifier: "taskflow-prod-cell-us",
                engine: "aurora-postgresql",
                globalClusterIdentifier: "taskflow-prod-global",
                storageEncrypted: true,
                kmsKeyId: ARNS.usKey,
                deletionProtection: true,
                tags: tags("global"),
            }),
            u(T.rdsCluster, "us-db", {
                clusterIdentifier: "taskflow-prod-us-db",
                engine: "aurora-postgresql",
                storageEncrypted: true,
                kmsKeyId: ARNS.usKey,
                deletionProtection: true,
                tags: tags("us"),
            }),
            u(T.rdsBackupReplication, "reporting-backups", {
                sourceDbInstanceArn: ARNS.reporting,
                kmsKeyId: ARNS.usKey,
                tags: tags("global"),
            }),
            u(T.rdsInstance, "reporting-replica", {
                replicateSourceDb: ARNS.reporting,
                storageEncrypted: true,
                kmsKeyId: ARNS.usKey,
                deletionProtection: true,
                tags: tags("global"),
            }),
            u(T.cacheGroup, "cell-cache", {
                description: "member",
                globalReplicationGroupId: "ldgnf-taskflow",
                tags: tags("global"),
            }),
            ...bucketTrio(
                "us-east-1",
                U,
                "assets-replica",
                NAMES.assetsReplica,
                "global",
                ARNS.usKey,
            ),
            u(T.backupVault, "us-vault", {
                name: "taskflow-prod-vault-us-us-east-1",
                kmsKeyArn: ARNS.usKey,
                tags: tags("us"),
            }),
            u(T.backupPlan, "us-plan", {
                rules: [
                    {
                        ruleName: "daily",
                        targetVaultName: "taskflow-prod-vault-us-us-east-1",
                        copyActions: [
                            {
                                destinationVaultArn: `arn:aws:backup:ap-northeast-1:${ACCOUNT}:backup-vault:taskflow-prod-vault-us-ap-northeast-1`,
                            },
                        ],
                    },
                ],
            }),
            // Everything of us-east-1 may be us data: copies to Tokyo stay in zone us.
            u(T.backupSelection, "us-selection", {
                planId: "us-plan-id",
                iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
                resources: ["*"],
            }),
            u(T.logGroup, "us-logs", {
                retentionInDays: 30,
                kmsKeyId: ARNS.usKey,
                tags: tags("us"),
            }),
            ...listeners("us-east-1", U),
        ],
    };

    const E = "eu-west-1";
    const e = (
        type: string,
        name: string,
        inputs: Record<string, unknown>,
        extra: Partial<PlannedResourceLike> = {},
    ) => res("eu-west-1", E, type, name, inputs, extra);
    const eu: PlanLike = {
        stack: "eu-west-1",
        region: E,
        resources: [
            e(
                T.kmsKey,
                "eu-key",
                { multiRegion: false, enableKeyRotation: true, tags: tags("eu") },
                { outputs: { arn: ARNS.euKey } },
            ),
            e(
                T.table,
                "eu-users",
                {
                    name: NAMES.euTable,
                    billingMode: "PAY_PER_REQUEST",
                    deletionProtectionEnabled: true,
                    pointInTimeRecovery: { enabled: true },
                    serverSideEncryption: cmkTable(ARNS.euKey),
                    tags: tags("eu"),
                },
                { outputs: { arn: ARNS.euTable } },
            ),
            // Restored in place from the EU table's point-in-time backups.
            e(T.table, "eu-restored-users", {
                name: "taskflow-prod-users-restored",
                restoreSourceName: NAMES.euTable,
                restoreToLatestTime: true,
                deletionProtectionEnabled: true,
                serverSideEncryption: cmkTable(ARNS.euKey),
                tags: tags("eu"),
            }),
            e(T.tableExport, "eu-users-export", {
                tableArn: ARNS.euTable,
                s3Bucket: NAMES.euBucket,
                s3SseAlgorithm: "KMS",
                s3SseKmsKeyId: ARNS.euKey,
            }),
            e(T.tableKinesis, "eu-users-stream", {
                tableName: NAMES.euTable,
                streamArn: ARNS.euStream,
            }),
            e(
                T.kinesisStream,
                "eu-user-changes",
                { name: "eu-user-changes", kmsKeyId: ARNS.euKey, tags: tags("eu") },
                { outputs: { arn: ARNS.euStream } },
            ),
            ...bucketTrio("eu-west-1", E, "eu-data", NAMES.euBucket, "eu", ARNS.euKey),
            e(T.bucketInventory, "eu-data-inventory", {
                bucket: NAMES.euBucket,
                name: "daily",
                includedObjectVersions: "Current",
                schedule: { frequency: "Daily" },
                destination: {
                    bucket: { bucketArn: `arn:aws:s3:::${NAMES.euBucket}`, format: "CSV" },
                },
            }),
            e(T.bucketAnalytics, "eu-data-analytics", {
                bucket: NAMES.euBucket,
                name: "all",
                storageClassAnalysis: {
                    dataExport: {
                        destination: {
                            s3BucketDestination: { bucketArn: `arn:aws:s3:::${NAMES.euBucket}` },
                        },
                    },
                },
            }),
            e(T.secret, "eu-secret", { kmsKeyId: ARNS.euKey, tags: tags("eu") }),
            e(
                T.kmsExternalKey,
                "eu-ext-key",
                { multiRegion: false, description: "imported EU key", tags: tags("eu") },
                { outputs: { arn: ARNS.euExtKey } },
            ),
            e(
                T.rdsCluster,
                "eu-db",
                {
                    clusterIdentifier: NAMES.euCluster,
                    engine: "aurora-postgresql",
                    storageEncrypted: true,
                    kmsKeyId: ARNS.euKey,
                    deletionProtection: true,
                    backupRetentionPeriod: 14,
                    tags: tags("eu"),
                },
                { outputs: { arn: ARNS.euCluster } },
            ),
            e(T.rdsClusterSnapshot, "eu-db-snap", {
                dbClusterIdentifier: NAMES.euCluster,
                dbClusterSnapshotIdentifier: "taskflow-prod-dbsnap-eu-eu-west-1",
                tags: tags("eu"),
            }),
            e(T.rdsClusterSnapshotCopy, "eu-db-snap-copy", {
                sourceDbClusterSnapshotIdentifier: ARNS.euDbSnapshot,
                targetDbClusterSnapshotIdentifier: "taskflow-prod-dbsnap-copy",
                kmsKeyId: ARNS.euKey,
                tags: tags("eu"),
            }),
            e(T.rdsClusterInstance, "eu-db-1", {
                clusterIdentifier: NAMES.euCluster,
                engine: "aurora-postgresql",
                instanceClass: "db.r7g.large",
                tags: tags("eu"),
            }),
            e(T.cacheGroup, "eu-cache", {
                replicationGroupId: "taskflow-prod-eu-cache",
                description: "eu only",
                atRestEncryptionEnabled: true,
                kmsKeyId: ARNS.euKey,
                tags: tags("eu"),
            }),
            e(T.backupVault, "eu-vault", {
                name: NAMES.euVault,
                kmsKeyArn: ARNS.euKey,
                tags: tags("eu"),
            }),
            e(T.backupPlan, "eu-plan", {
                rules: [{ ruleName: "daily", targetVaultName: NAMES.euVault }],
                tags: tags("eu"),
            }),
            e(T.backupSelection, "eu-selection", {
                planId: "eu-plan-id",
                iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
                selectionTags: [{ type: "STRINGEQUALS", key: RESIDENCY_TAG, value: "eu" }],
            }),
            e(T.logGroup, "eu-logs", {
                retentionInDays: 30,
                kmsKeyId: ARNS.euKey,
                tags: tags("eu"),
            }),
            e(T.logGroup, "eu-audit-logs", {
                name: "/taskflow/prod/eu-west-1/audit",
                retentionInDays: 365,
                kmsKeyId: ARNS.euKey,
                tags: tags("eu"),
            }),
            e(T.logSubscription, "eu-audit-subscription", {
                logGroup: "/taskflow/prod/eu-west-1/audit",
                filterPattern: "",
                destinationArn: ARNS.euFirehose,
            }),
            // The audit logs' delivery stream lands them in the EU bucket.
            e(
                T.firehose,
                "eu-audit",
                {
                    name: "eu-audit",
                    destination: "extended_s3",
                    extendedS3Configuration: {
                        bucketArn: `arn:aws:s3:::${NAMES.euBucket}`,
                        roleArn: `arn:aws:iam::${ACCOUNT}:role/firehose`,
                        kmsKeyArn: ARNS.euKey,
                    },
                    serverSideEncryption: {
                        enabled: true,
                        keyType: "CUSTOMER_MANAGED_CMK",
                        keyArn: ARNS.euKey,
                    },
                    tags: tags("eu"),
                },
                { outputs: { arn: ARNS.euFirehose } },
            ),
            ...listeners("eu-west-1", E),
        ],
    };

    const g = (
        type: string,
        name: string,
        inputs: Record<string, unknown>,
        extra: Partial<PlannedResourceLike> = {},
    ) => res("global", "us-east-1", type, name, inputs, extra);
    const global: PlanLike = {
        stack: "global",
        region: "us-east-1",
        resources: [
            g(T.bucketReplication, "assets-replication", {
                region: "ap-northeast-1",
                bucket: NAMES.assets,
                role: `arn:aws:iam::${ACCOUNT}:role/replication`,
                rules: [
                    {
                        id: "all",
                        status: "Enabled",
                        destination: { bucket: `arn:aws:s3:::${NAMES.assetsReplica}` },
                    },
                ],
            }),
            // The edge routes GDPR viewers to eu-west-1 (residency-edge-pin follows the records).
            ...(["eu-west-1", "us-east-1"] as const).map((region) =>
                g(T.route53Record, `edge-failover-${region}-primary`, {
                    name: `${region}.api.taskflow.example.com`,
                    type: "A",
                    zoneId: "Z1",
                    setIdentifier: "primary",
                    failoverRoutingPolicies: [{ type: "PRIMARY" }],
                    aliases: [
                        {
                            name: `cell-${region}.${region}.elb.amazonaws.com`,
                            zoneId: "Z2",
                            evaluateTargetHealth: true,
                        },
                    ],
                }),
            ),
            g(T.route53Record, "edge-geo-continent-EU", {
                name: "api.taskflow.example.com",
                type: "A",
                zoneId: "Z1",
                setIdentifier: "geo-continent-EU",
                geolocationRoutingPolicies: [{ continent: "EU" }],
                aliases: [
                    {
                        name: "eu-west-1.api.taskflow.example.com",
                        zoneId: "Z1",
                        evaluateTargetHealth: true,
                    },
                ],
            }),
            g(T.logGroup, "edge-logs", {
                region: "eu-west-1",
                retentionInDays: 30,
                kmsKeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-global`,
                tags: tags("global"),
            }),
        ],
    };
    for (const plan of [primary, us, eu, global]) plan.resources.forEach(keepsBackups);
    return { primary, us, eu, global };
}

export const all = (f: Fleet): PlanLike[] => [f.primary, f.us, f.eu, f.global];

/**
 * The pack config the fleet is judged with, as a real deployment's committed pack config would
 * be: the stacks' account, and the stores one stack references in another (per-stack verdicts:
 * a store no plan of the stack shows is proven only by such an entry).
 */
export const FLEET_SETTINGS: Partial<PackSettings> = {
    zones: DEFAULT_ZONES,
    account: ACCOUNT,
    stores: {
        [ARNS.globalKey]: { classification: "global", region: "ap-northeast-1" },
        [ARNS.orders]: { classification: "global", region: "ap-northeast-1" },
        [ARNS.reporting]: { classification: "global", region: "ap-northeast-1" },
        [NAMES.assets]: { classification: "global", region: "ap-northeast-1" },
        [NAMES.assetsReplica]: { classification: "global", region: "us-east-1" },
        "taskflow-prod-vault-us-ap-northeast-1": { classification: "us", region: "ap-northeast-1" },
    },
    levels: {},
};
