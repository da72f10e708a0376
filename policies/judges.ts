// What the pack knows about each resource type: for every input path where a type can refer to
// another resource, how data moves along that reference. A reference to zone data from a path
// (or a type) this table does not list is a violation: the pack cannot prove it keeps the data in
// the zone. Paths use the notation of references (graph.ts): `a.b`, `a[]` (array elements), `a{}`
// (a JSON document held as a string), `*` (any key).
//
// How AWS moves data along each kind of reference is cited where the table models it; a behaviour
// the pack could not confirm is listed as unconfirmed in the README.

import { T } from "./types";

/**
 * How a reference moves data:
 * - `attach`: configures or belongs to the target (its policy, encryption config, alias, subnet
 *   group, a member instance); `key`: encrypted with the target key; `metric`: watches the
 *   target's metrics. All three keep no data elsewhere: the resource must be in the target's
 *   zone and account.
 * - `reads`: the resource reads the target's data (app access, a restore, an import): it carries
 *   that data from then on.
 * - `source`: what a mover copies from; it must be proven (a store of the stack or of the pack's
 *   config), else the mover fails closed. `sink`: where the resource's data goes; it must be
 *   proven whenever that data is (or may be) zone data.
 * - `assume`: the resource runs as the target role and gets the role's access.
 * - `grantee`: the principal an identity policy document is attached to.
 * - `member`: global-cluster / datastore membership, judged by residency-replication-out-of-zone.
 * - `inert`: names only (a StackReference's outputs, a DNS alias).
 */
export type Kind =
    | "attach"
    | "key"
    | "metric"
    | "reads"
    | "source"
    | "sink"
    | "assume"
    | "grantee"
    | "member"
    | "inert";

/** A policy document a resource holds, and what it governs. */
export interface DocumentSpec {
    path: string;
    /**
     * `identity`: grants its grantees (the `grantee` refs, else the resource itself) access to the
     * resources it names; `resource`: says who may access what the resource governs; `trust`:
     * who may assume the resource (a role).
     */
    kind: "identity" | "resource" | "trust";
    /** The path whose target the document governs (`resource`); default: the resource itself. */
    governs?: string;
}

export interface Judge {
    refs: Readonly<Record<string, Kind>>;
    docs?: readonly DocumentSpec[];
    /** A global service (IAM): there is no region to check, only the account. */
    regionless?: boolean;
    /** Serves what it reads from edge locations worldwide (a CDN): never in a zone. */
    worldwide?: boolean;
    /** Spans several regions by design (an S3 Multi-Region Access Point). */
    multiRegion?: boolean;
    /** The input holding the region the resource's data lands in, if not its own. */
    landsIn?: string;
    /** Paths of regions the resource sends its data to (replica regions). */
    regionSinks?: readonly string[];
    /** Paths of account ids the resource's data is shared with or delivered to. */
    shares?: readonly string[];
    /** Paths of principals granted access to what the resource governs (not documents). */
    principals?: readonly string[];
    /** Sinks must be proven even for global data (replication that keeps classifications true). */
    strictSinks?: boolean;
}

/** Config resources of a bucket. */
const bucketConfig: Judge = { refs: { bucket: "attach", expectedBucketOwner: "inert" } };
const bucketSse: Judge = {
    refs: { bucket: "attach", rules: "key", expectedBucketOwner: "inert" },
};

/** Lambda functions and others that run as a role, with async destinations and logs. */
const lambda: Judge = {
    refs: {
        role: "assume",
        environment: "reads",
        kmsKeyArn: "key",
        "deadLetterConfig.targetArn": "sink",
        "loggingConfig.logGroup": "sink",
        fileSystemConfig: "reads",
        vpcConfig: "inert",
        layers: "inert",
        s3Bucket: "reads",
        s3Key: "inert",
        imageUri: "inert",
    },
};

export const JUDGES: Readonly<Record<string, Judge>> = {
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
    "aws:s3/bucketVersioning:BucketVersioning": bucketConfig,
    "aws:s3/bucketVersioningV2:BucketVersioningV2": bucketConfig,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketConfig,
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": bucketConfig,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": bucketConfig,
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
        multiRegion: true,
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
    [T.loadBalancer]: {
        refs: { "accessLogs.bucket": "sink", "connectionLogs.bucket": "sink", "*": "inert" },
    },
    [T.albLoadBalancer]: {
        refs: { "accessLogs.bucket": "sink", "connectionLogs.bucket": "sink", "*": "inert" },
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
    [T.rdsGlobalCluster]: { refs: { sourceDbClusterIdentifier: "member" } },
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
    [T.cacheGlobal]: { refs: { primaryReplicationGroupId: "member" } },
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
    // ---- messaging, streams and movers ------------------------------------------------------------
    [T.topic]: {
        refs: { kmsMasterKeyId: "key" },
        docs: [{ path: "policy", kind: "resource" }],
    },
    // SNS delivers to SQS queues and Lambda functions in other Regions too
    // (https://docs.aws.amazon.com/sns/latest/dg/sns-cross-region-delivery.html).
    [T.topicSubscription]: {
        refs: {
            topic: "source",
            endpoint: "sink",
            subscriptionRoleArn: "assume",
            "redrivePolicy{}.deadLetterTargetArn": "sink",
        },
    },
    [T.topicPolicy]: {
        refs: { arn: "attach" },
        docs: [{ path: "policy", kind: "resource", governs: "arn" }],
    },
    [T.queue]: {
        refs: {
            kmsMasterKeyId: "key",
            "redrivePolicy{}.deadLetterTargetArn": "sink",
            redriveAllowPolicy: "inert",
        },
        docs: [{ path: "policy", kind: "resource" }],
    },
    [T.queuePolicy]: {
        refs: { queueUrl: "attach" },
        docs: [{ path: "policy", kind: "resource", governs: "queueUrl" }],
    },
    "aws:sqs/redrivePolicy:RedrivePolicy": {
        refs: { queueUrl: "source", "redrivePolicy{}.deadLetterTargetArn": "sink" },
    },
    [T.kinesisStream]: { refs: { kmsKeyId: "key" } },
    [T.streamConsumer]: { refs: { streamArn: "reads" } },
    [T.firehose]: {
        refs: {
            "kinesisSourceConfiguration.kinesisStreamArn": "source",
            "kinesisSourceConfiguration.roleArn": "assume",
            "serverSideEncryption.keyArn": "key",
            "extendedS3Configuration.bucketArn": "sink",
            "extendedS3Configuration.roleArn": "assume",
            "extendedS3Configuration.kmsKeyArn": "key",
            "extendedS3Configuration.cloudwatchLoggingOptions.logGroupName": "sink",
            "extendedS3Configuration.s3BackupConfiguration.bucketArn": "sink",
            "extendedS3Configuration.s3BackupConfiguration.roleArn": "assume",
            "httpEndpointConfiguration.url": "sink",
            "opensearchConfiguration.domainArn": "sink",
            "redshiftConfiguration.clusterJdbcurl": "sink",
            "splunkConfiguration.hecEndpoint": "sink",
            "icebergConfiguration.catalogArn": "sink",
            "snowflakeConfiguration.accountUrl": "sink",
        },
    },
    // Subscription filters deliver to Kinesis, Firehose, Lambda or a logical destination, which
    // may point to a stream in another Region
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CreateSubscriptionFilterFirehose-Account.html).
    [T.logSubscription]: {
        refs: { logGroup: "source", destinationArn: "sink", roleArn: "assume" },
    },
    [T.logDestination]: { refs: { targetArn: "sink", roleArn: "assume" } },
    [T.metricAlarm]: {
        refs: {
            dimensions: "metric",
            metricQueries: "metric",
            alarmActions: "sink",
            okActions: "sink",
            insufficientDataActions: "sink",
        },
    },
    [T.eventBus]: { refs: { kmsKeyIdentifier: "key", eventSourceName: "inert" } },
    [T.eventRule]: { refs: { eventBusName: "source", roleArn: "assume" } },
    // A rule's target may be an event bus in another Region or account
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html).
    [T.eventTarget]: {
        refs: {
            rule: "source",
            eventBusName: "source",
            arn: "sink",
            "deadLetterConfig.arn": "sink",
            roleArn: "assume",
            input: "inert",
        },
    },
    [T.pipe]: {
        refs: {
            source: "source",
            enrichment: "sink",
            target: "sink",
            roleArn: "assume",
            kmsKeyIdentifier: "key",
            "logConfiguration.cloudwatchLogsLogDestination.logGroupArn": "sink",
            "logConfiguration.firehoseLogDestination.deliveryStreamArn": "sink",
            "logConfiguration.s3LogDestination.bucketName": "sink",
        },
    },
    [T.schedule]: {
        refs: {
            groupName: "inert",
            "target.arn": "sink",
            "target.roleArn": "assume",
            "target.input": "inert",
            "target.deadLetterConfig.arn": "sink",
            kmsKeyArn: "key",
        },
    },
    [T.scheduleGroup]: { refs: {} },
    // ---- compute ----------------------------------------------------------------------------------
    [T.lambda]: lambda,
    [T.lambdaInvocation]: { refs: { functionName: "sink", input: "inert" } },
    // Lambda's asynchronous destinations: SQS, SNS, Lambda, EventBridge, S3
    // (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
    [T.lambdaInvokeConfig]: {
        refs: {
            functionName: "source",
            "destinationConfig.onSuccess.destination": "sink",
            "destinationConfig.onFailure.destination": "sink",
        },
    },
    [T.lambdaEventSource]: {
        refs: {
            eventSourceArn: "source",
            functionName: "sink",
            "destinationConfig.onFailure.destinationArn": "sink",
            kmsKeyArn: "key",
        },
    },
    [T.lambdaPermission]: {
        refs: {
            function: "attach",
            sourceArn: "inert",
            sourceAccount: "inert",
            principal: "inert",
        },
        principals: ["principal"],
    },
    [T.ecsTaskDefinition]: {
        refs: {
            taskRoleArn: "assume",
            executionRoleArn: "assume",
            "containerDefinitions{}[].environment": "reads",
            "containerDefinitions{}[].secrets": "reads",
            "containerDefinitions{}[].logConfiguration.options.awslogs-group": "sink",
            "containerDefinitions{}[].logConfiguration.secretOptions": "reads",
            "containerDefinitions{}[].repositoryCredentials": "reads",
            volumes: "reads",
        },
    },
    [T.ecsService]: {
        refs: {
            taskDefinition: "reads",
            cluster: "inert",
            loadBalancers: "inert",
            networkConfiguration: "inert",
            iamRole: "assume",
        },
    },
    "aws:ecs/cluster:Cluster": {
        refs: {
            "configuration.executeCommandConfiguration.kmsKeyId": "key",
            "configuration.executeCommandConfiguration.logConfiguration.cloudWatchLogGroupName":
                "sink",
            "configuration.executeCommandConfiguration.logConfiguration.s3BucketName": "sink",
        },
    },
    // DMS moves a source endpoint's data to its target endpoint
    // (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsDmsReplicationTaskDetails.html).
    [T.dmsEndpoint]: {
        refs: {
            serverName: "reads",
            kmsKeyArn: "key",
            serviceAccessRole: "assume",
            secretsManagerArn: "attach",
            secretsManagerAccessRoleArn: "assume",
            "s3Settings.bucketName": "reads",
            "s3Settings.serviceAccessRoleArn": "assume",
            "kinesisSettings.streamArn": "reads",
            "kinesisSettings.serviceAccessRoleArn": "assume",
        },
    },
    [T.dmsTask]: {
        refs: {
            sourceEndpointArn: "source",
            targetEndpointArn: "sink",
            replicationInstanceArn: "inert",
        },
    },
    // A DataSync task copies its source location to its destination location, also between Regions
    // (https://docs.aws.amazon.com/datasync/latest/userguide/API_CreateTask.html).
    [T.dataSyncS3Location]: {
        refs: { s3BucketArn: "reads", "s3Config.bucketAccessRoleArn": "assume" },
    },
    [T.dataSyncTask]: {
        refs: {
            sourceLocationArn: "source",
            destinationLocationArn: "sink",
            cloudwatchLogGroupArn: "sink",
        },
    },
    [T.redshiftCluster]: {
        refs: { kmsKeyId: "key", iamRoles: "assume", snapshotIdentifier: "source" },
    },
    // ---- identity -------------------------------------------------------------------------------
    [T.iamRole]: {
        refs: { managedPolicyArns: "inert", permissionsBoundary: "inert" },
        docs: [
            { path: "assumeRolePolicy", kind: "trust" },
            { path: "inlinePolicies[].policy", kind: "identity" },
        ],
        regionless: true,
    },
    [T.iamRolePolicy]: {
        refs: { role: "grantee" },
        docs: [{ path: "policy", kind: "identity" }],
        regionless: true,
    },
    [T.iamPolicy]: { refs: {}, docs: [{ path: "policy", kind: "identity" }], regionless: true },
    [T.iamRolePolicyAttachment]: {
        refs: { role: "grantee", policyArn: "assume" },
        regionless: true,
    },
    "aws:iam/policyAttachment:PolicyAttachment": {
        refs: { roles: "grantee", users: "grantee", groups: "grantee", policyArn: "assume" },
        regionless: true,
    },
    "aws:iam/userPolicy:UserPolicy": {
        refs: { user: "grantee" },
        docs: [{ path: "policy", kind: "identity" }],
        regionless: true,
    },
    "aws:iam/groupPolicy:GroupPolicy": {
        refs: { group: "grantee" },
        docs: [{ path: "policy", kind: "identity" }],
        regionless: true,
    },
    "aws:iam/instanceProfile:InstanceProfile": { refs: { role: "assume" }, regionless: true },
    // ---- edge: a CDN caches what its origins serve at edge locations worldwide
    // (https://docs.aws.amazon.com/sdk-for-php/v3/developer-guide/cf-examples.html).
    [T.cloudfront]: {
        refs: {
            "origins[].domainName": "reads",
            "origins[].originId": "inert",
            "origins[].customHeaders": "inert",
            "origins[].originAccessControlId": "inert",
            originGroups: "inert",
            "loggingConfig.bucket": "sink",
            webAclId: "inert",
            viewerCertificate: "inert",
            defaultCacheBehavior: "inert",
            orderedCacheBehaviors: "inert",
        },
        worldwide: true,
    },
    [T.route53Record]: {
        refs: { aliases: "inert", records: "inert", healthCheckId: "inert", zoneId: "inert" },
        regionless: true,
    },
    // ---- Pulumi: names only ---------------------------------------------------------------------
    [T.stack]: { refs: { "*": "inert" } },
    [T.stackReference]: { refs: { "*": "inert" } },
};

/**
 * Control-plane modules whose resources move no stored data: firewall rules, scaling targets,
 * traffic dials, health checks, certificates, web ACLs, load-balancer plumbing, CDN policies.
 * Their references to zone data (a scaling target naming the service it scales) are names only.
 * The types that do move data (a load balancer's access logs, a distribution's origins) have
 * their own judges above.
 */
const CONTROL_PLANE = [
    "aws:vpc/",
    "aws:appautoscaling/",
    "aws:globalaccelerator/",
    "aws:route53/",
    "aws:acm/",
    "aws:wafv2/",
    "aws:lb/",
    "aws:alb/",
    "aws:cloudfront/",
    "aws:ec2/securityGroup",
    "aws:servicediscovery/",
];
const CONTROL_PLANE_JUDGE: Judge = { refs: { "*": "inert" }, regionless: true };

/** The judge of a type; undefined when the pack does not know the type. */
export function judgeOf(type: string): Judge | undefined {
    return (
        JUDGES[type] ??
        (CONTROL_PLANE.some((m) => type.startsWith(m)) ? CONTROL_PLANE_JUDGE : undefined)
    );
}
