// Judges of stores and their attachments (see index.ts for what the kinds mean).

import { T } from "../types";
import { loadBalancerPicks } from "../log-delivery";
import { backupPicks } from "./backup";
import type { Judge } from "./types";

const bucketConfig: Judge = { refs: { bucket: "attach", expectedBucketOwner: "inert" } };
const bucketSse: Judge = {
    refs: { bucket: "attach", rules: "key", expectedBucketOwner: "inert" },
};

export const STORE_JUDGES: Readonly<Record<string, Judge>> = {
    // ---- stores and their attachments ----------------------------------------------------------
    [T.table]: {
        refs: {
            serverSideEncryption: "key",
            replicas: "key",
            // A restore or an import copies another store's data into this table.
            restoreSourceTableArn: "source",
            restoreSourceName: "source",
            // DynamoDB ImportTable reads an S3 bucket into a new table
            // (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ImportTable.html).
            "importTable.s3BucketSource.bucket": "source",
            "importTable.s3BucketSource.bucketOwner": "inert",
        },
    },
    [T.tableReplica]: { refs: { globalTableArn: "source", kmsKeyArn: "key" } },
    [T.globalTable]: { refs: { name: "source" }, regionSinks: ["replicas[].regionName"] },
    [T.tableItem]: { refs: { tableName: "sink" } },
    [T.tableExport]: {
        refs: {
            tableArn: "source",
            s3Bucket: "sink",
            s3SseKmsKeyId: "key",
            s3BucketOwner: "inert",
        },
        shares: ["s3BucketOwner"],
    },
    [T.tableKinesis]: { refs: { tableName: "source", streamArn: "sink" } },
    [T.tableResourcePolicy]: {
        refs: { resourceArn: "attach" },
        docs: [{ path: "policy", kind: "resource", governs: "resourceArn" }],
    },
    [T.bucket]: {
        refs: {
            serverSideEncryptionConfiguration: "key",
            "loggings[].targetBucket": "sink",
            "logging.targetBucket": "sink",
            "replicationConfiguration.rules[].destination.bucket": "sink",
            "replicationConfiguration.rules[].destination.replicaKmsKeyId": "key",
            "replicationConfiguration.role": "assume",
        },
        docs: [{ path: "policy", kind: "resource" }],
        strictSinks: true,
        shares: ["replicationConfiguration.rules[].destination.accountId"],
    },
    [T.bucketV2]: {
        refs: {
            serverSideEncryptionConfigurations: "key",
            "loggings[].targetBucket": "sink",
            "replicationConfigurations[].rules[].destinations[].bucket": "sink",
            "replicationConfigurations[].rules[].destinations[].replicaKmsKeyId": "key",
            "replicationConfigurations[].role": "assume",
        },
        docs: [{ path: "policy", kind: "resource" }],
        strictSinks: true,
    },
    [T.bucketPab]: bucketConfig,
    [T.bucketSse]: bucketSse,
    [T.bucketSseV2]: bucketSse,
    [T.bucketVersioning]: bucketConfig,
    "aws:s3/bucketVersioningV2:BucketVersioningV2": bucketConfig,
    [T.bucketLifecycle]: bucketConfig,
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": bucketConfig,
    [T.bucketOwnership]: bucketConfig,
    "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2": bucketConfig,
    [T.bucketPolicy]: {
        refs: { bucket: "attach" },
        docs: [{ path: "policy", kind: "resource", governs: "bucket" }],
    },
    [T.bucketLogging]: { refs: { bucket: "source", targetBucket: "sink" } },
    [T.bucketLoggingV2]: { refs: { bucket: "source", targetBucket: "sink" } },
    [T.bucketReplication]: {
        refs: {
            bucket: "source",
            role: "assume",
            "rules[].destination.bucket": "sink",
            "rules[].destination.encryptionConfiguration.replicaKmsKeyId": "key",
            "rules[].destination.account": "inert",
            token: "inert",
        },
        strictSinks: true,
        // A destination in another account (rules[].destination.account) is a cross-account copy
        // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-accesscontroltranslation.html).
        shares: ["rules[].destination.account"],
    },
    [T.bucketInventory]: {
        refs: {
            bucket: "source",
            "destination.bucket.bucketArn": "sink",
            "destination.bucket.encryption": "key",
            "destination.bucket.accountId": "inert",
        },
        shares: ["destination.bucket.accountId"],
    },
    [T.bucketAnalytics]: {
        refs: {
            bucket: "source",
            "storageClassAnalysis.dataExport.destination.s3BucketDestination.bucketArn": "sink",
            "storageClassAnalysis.dataExport.destination.s3BucketDestination.bucketAccountId":
                "inert",
        },
        shares: ["storageClassAnalysis.dataExport.destination.s3BucketDestination.bucketAccountId"],
    },
    // S3 event notifications deliver to SNS, SQS, Lambda (or EventBridge)
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/NotificationHowTo.html).
    [T.bucketNotification]: {
        refs: {
            bucket: "source",
            "topics[].topicArn": "sink",
            "queues[].queueArn": "sink",
            "lambdaFunctions[].lambdaFunctionArn": "sink",
        },
    },
    [T.objectCopy]: {
        refs: { source: "source", bucket: "sink", kmsKeyId: "key" },
        shares: ["expectedBucketOwner"],
    },
    [T.bucketObject]: { refs: { bucket: "sink", kmsKeyId: "key" } },
    [T.bucketObjectV2]: { refs: { bucket: "sink", kmsKeyId: "key" } },
    // An access point serves its bucket's data; one in another account exposes it there.
    [T.accessPoint]: {
        refs: { bucket: "reads", "vpcConfiguration.vpcId": "inert" },
        docs: [{ path: "policy", kind: "resource" }],
        shares: ["accountId", "bucketAccountId"],
    },
    [T.accessPointPolicy]: {
        refs: { accessPointArn: "attach" },
        docs: [{ path: "policy", kind: "resource", governs: "accessPointArn" }],
    },
    // A Multi-Region Access Point routes each request to the closest of its buckets, whatever
    // Region that is (https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointRequestRouting.html).
    [T.multiRegionAccessPoint]: {
        refs: { "details.regions[].bucket": "reads", "details.regions[].bucketAccountId": "inert" },
        multiRegion: "it routes each request to the closest of its buckets, in any Region",
        shares: ["accountId", "details.regions[].bucketAccountId"],
    },
    // Object Lambda sends each object through its Lambda function
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_ObjectLambdaAccessPoint.html).
    [T.objectLambdaAccessPoint]: {
        refs: {
            "configuration.supportingAccessPoint": "source",
            "configuration.transformationConfigurations[].contentTransformation.awsLambda.functionArn":
                "sink",
        },
        shares: ["accountId"],
    },
    [T.rdsCluster]: {
        refs: {
            kmsKeyId: "key",
            masterUserSecretKmsKeyId: "key",
            performanceInsightsKmsKeyId: "key",
            dbSubnetGroupName: "attach",
            dbClusterParameterGroupName: "attach",
            dbInstanceParameterGroupName: "attach",
            vpcSecurityGroupIds: "inert",
            finalSnapshotIdentifier: "inert",
            globalClusterIdentifier: "member",
            replicationSourceIdentifier: "source",
            snapshotIdentifier: "source",
            "restoreToPointInTime.sourceClusterIdentifier": "source",
            "s3Import.bucketName": "source",
            iamRoles: "assume",
        },
    },
    [T.rdsInstance]: {
        refs: {
            kmsKeyId: "key",
            masterUserSecretKmsKeyId: "key",
            performanceInsightsKmsKeyId: "key",
            dbSubnetGroupName: "attach",
            parameterGroupName: "attach",
            vpcSecurityGroupIds: "inert",
            finalSnapshotIdentifier: "inert",
            replicateSourceDb: "source",
            snapshotIdentifier: "source",
            "restoreToPointInTime.sourceDbInstanceIdentifier": "source",
            "restoreToPointInTime.sourceDbInstanceAutomatedBackupsArn": "source",
            "s3Import.bucketName": "source",
        },
    },
    // Access and connection logs go to a bucket of the load balancer's Region; in the GDPR
    // zone's Region they are that zone's data (log-delivery.ts).
    [T.loadBalancer]: {
        refs: { "accessLogs.bucket": "sink", "connectionLogs.bucket": "sink", "*": "inert" },
        picks: loadBalancerPicks,
    },
    [T.albLoadBalancer]: {
        refs: { "accessLogs.bucket": "sink", "connectionLogs.bucket": "sink", "*": "inert" },
        picks: loadBalancerPicks,
    },
    [T.rdsClusterInstance]: {
        refs: {
            engine: "inert",
            engineVersion: "inert",
            availabilityZone: "inert",
            clusterIdentifier: "reads",
            dbSubnetGroupName: "attach",
            dbParameterGroupName: "attach",
            performanceInsightsKmsKeyId: "key",
        },
    },
    // A global cluster replicates its source cluster to every member, in any Region.
    [T.rdsGlobalCluster]: {
        refs: { sourceDbClusterIdentifier: "source" },
        multiRegion: "it replicates its source cluster to member clusters in other Regions",
    },
    [T.rdsBackupReplication]: { refs: { sourceDbInstanceArn: "source", kmsKeyId: "key" } },
    // Sharing a manual snapshot lets the listed accounts copy or restore it
    // (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBClusterSnapshotAttribute.html).
    [T.rdsSnapshot]: { refs: { dbInstanceIdentifier: "source" }, shares: ["sharedAccounts"] },
    [T.rdsClusterSnapshot]: {
        refs: { dbClusterIdentifier: "source" },
        shares: ["sharedAccounts"],
    },
    [T.rdsSnapshotCopy]: {
        refs: {
            sourceDbSnapshotIdentifier: "source",
            kmsKeyId: "key",
            optionGroupName: "attach",
        },
        landsIn: "destinationRegion",
        shares: ["sharedAccounts"],
    },
    [T.rdsClusterSnapshotCopy]: {
        refs: { sourceDbClusterSnapshotIdentifier: "source", kmsKeyId: "key" },
        landsIn: "destinationRegion",
        shares: ["sharedAccounts"],
    },
    // StartExportTask writes a snapshot's or cluster's data to an S3 bucket
    // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-export-snapshot.Exporting.html).
    [T.rdsExportTask]: {
        refs: {
            sourceArn: "source",
            s3BucketName: "sink",
            iamRoleArn: "assume",
            kmsKeyId: "key",
        },
    },
    // A zero-ETL integration replicates the source cluster into its target warehouse
    // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/zero-etl.creating.html).
    [T.rdsIntegration]: { refs: { sourceArn: "source", targetArn: "sink", kmsKeyId: "key" } },
    "aws:rds/subnetGroup:SubnetGroup": { refs: { subnetIds: "inert" } },
    [T.cacheGroup]: {
        refs: {
            kmsKeyId: "key",
            subnetGroupName: "attach",
            parameterGroupName: "attach",
            securityGroupIds: "inert",
            globalReplicationGroupId: "member",
            snapshotArns: "source",
            snapshotName: "source",
            authTokenSecretArn: "attach",
        },
    },
    [T.cacheCluster]: { refs: { replicationGroupId: "reads", subnetGroupName: "attach" } },
    [T.cacheServerless]: { refs: { kmsKeyId: "key", subnetIds: "inert" } },
    // A Global Datastore replicates its primary group to secondaries in other Regions.
    [T.cacheGlobal]: {
        refs: { primaryReplicationGroupId: "source" },
        multiRegion: "it replicates its primary group to secondary groups in other Regions",
    },
    [T.kmsKey]: { refs: {}, docs: [{ path: "policy", kind: "resource" }] },
    [T.kmsExternalKey]: { refs: {}, docs: [{ path: "policy", kind: "resource" }] },
    [T.kmsReplicaKey]: {
        refs: { primaryKeyArn: "source" },
        docs: [{ path: "policy", kind: "resource" }],
    },
    [T.kmsReplicaExternalKey]: {
        refs: { primaryKeyArn: "source" },
        docs: [{ path: "policy", kind: "resource" }],
    },
    [T.kmsAlias]: { refs: { targetKeyId: "attach" } },
    [T.kmsKeyPolicy]: {
        refs: { keyId: "attach" },
        docs: [{ path: "policy", kind: "resource", governs: "keyId" }],
    },
    [T.kmsGrant]: {
        refs: { keyId: "attach", granteePrincipal: "inert", retiringPrincipal: "inert" },
        principals: ["granteePrincipal", "retiringPrincipal"],
    },
    [T.backupVault]: { refs: { kmsKeyArn: "key" } },
    // A backup plan stores recovery points in its target vault and copies them to the copy
    // actions' vaults, in any Region or account
    // (https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html).
    [T.backupPlan]: {
        refs: {
            "rules[].targetVaultName": "sink",
            "rules[].copyActions[].destinationVaultArn": "sink",
        },
    },
    // A selection assigns resources to its plan: by ARN (wildcards included), by tag, or by
    // conditions over tags; AWS Backup backs up resources of the plan's Region only.
    [T.backupSelection]: {
        refs: { resources: "source", notResources: "inert", planId: "sink", iamRoleArn: "assume" },
        picks: backupPicks,
    },
    [T.backupVaultPolicy]: {
        refs: { backupVaultName: "attach" },
        docs: [{ path: "policy", kind: "resource", governs: "backupVaultName" }],
    },
    [T.secret]: {
        refs: { kmsKeyId: "key", "replicas[].kmsKeyId": "key" },
        docs: [{ path: "policy", kind: "resource" }],
    },
    [T.secretVersion]: { refs: { secretId: "attach" } },
    [T.secretPolicy]: {
        refs: { secretArn: "attach" },
        docs: [{ path: "policy", kind: "resource", governs: "secretArn" }],
    },
    "aws:secretsmanager/secretRotation:SecretRotation": {
        refs: { secretId: "attach", rotationLambdaArn: "sink" },
    },
    [T.logGroup]: { refs: { kmsKeyId: "key" } },
    [T.efs]: { refs: { kmsKeyId: "key" } },
    [T.efsReplication]: {
        refs: { sourceFileSystemId: "source", "destination.kmsKeyId": "key" },
        regionSinks: ["destination.region"],
    },
};
