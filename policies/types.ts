// The one table of type tokens the pack reasons about (AWS provider v7; legacy aliases
// included), shared by the policies and the tests, and the rule that decides which types hold
// data: every custom resource type is data-bearing (it must carry a residency tag) unless this
// file says it holds none. A new AWS store type is therefore data-bearing the day it appears.

/** Type tokens, by the name the pack uses for them. */
export const T = {
    // DynamoDB
    table: "aws:dynamodb/table:Table",
    tableReplica: "aws:dynamodb/tableReplica:TableReplica",
    globalTable: "aws:dynamodb/globalTable:GlobalTable",
    tableExport: "aws:dynamodb/tableExport:TableExport",
    tableKinesis: "aws:dynamodb/kinesisStreamingDestination:KinesisStreamingDestination",
    tableItem: "aws:dynamodb/tableItem:TableItem",
    tableResourcePolicy: "aws:dynamodb/resourcePolicy:ResourcePolicy",
    // S3
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    bucketInventory: "aws:s3/inventory:Inventory",
    bucketAnalytics: "aws:s3/analyticsConfiguration:AnalyticsConfiguration",
    bucketPab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketSse:
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketSseV2:
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
    bucketOwnership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketNotification: "aws:s3/bucketNotification:BucketNotification",
    bucketLogging: "aws:s3/bucketLogging:BucketLogging",
    bucketLoggingV2: "aws:s3/bucketLoggingV2:BucketLoggingV2",
    objectCopy: "aws:s3/objectCopy:ObjectCopy",
    bucketObject: "aws:s3/bucketObject:BucketObject",
    bucketObjectV2: "aws:s3/bucketObjectv2:BucketObjectv2",
    accessPoint: "aws:s3/accessPoint:AccessPoint",
    accessPointPolicy: "aws:s3control/accessPointPolicy:AccessPointPolicy",
    multiRegionAccessPoint: "aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint",
    objectLambdaAccessPoint: "aws:s3control/objectLambdaAccessPoint:ObjectLambdaAccessPoint",
    // RDS
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsInstance: "aws:rds/instance:Instance",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    rdsGlobalCluster: "aws:rds/globalCluster:GlobalCluster",
    rdsBackupReplication:
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    rdsSnapshot: "aws:rds/snapshot:Snapshot",
    rdsClusterSnapshot: "aws:rds/clusterSnapshot:ClusterSnapshot",
    rdsSnapshotCopy: "aws:rds/snapshotCopy:SnapshotCopy",
    rdsClusterSnapshotCopy: "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy",
    rdsExportTask: "aws:rds/exportTask:ExportTask",
    rdsIntegration: "aws:rds/integration:Integration",
    // ElastiCache
    cacheGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheCluster: "aws:elasticache/cluster:Cluster",
    cacheServerless: "aws:elasticache/serverlessCache:ServerlessCache",
    cacheGlobal: "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
    // KMS
    kmsKey: "aws:kms/key:Key",
    kmsExternalKey: "aws:kms/externalKey:ExternalKey",
    kmsReplicaKey: "aws:kms/replicaKey:ReplicaKey",
    kmsReplicaExternalKey: "aws:kms/replicaExternalKey:ReplicaExternalKey",
    kmsAlias: "aws:kms/alias:Alias",
    kmsGrant: "aws:kms/grant:Grant",
    kmsKeyPolicy: "aws:kms/keyPolicy:KeyPolicy",
    // AWS Backup
    backupVault: "aws:backup/vault:Vault",
    backupPlan: "aws:backup/plan:Plan",
    backupSelection: "aws:backup/selection:Selection",
    backupVaultPolicy: "aws:backup/vaultPolicy:VaultPolicy",
    // CloudWatch, Logs, EventBridge
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    logSubscription: "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
    logDestination: "aws:cloudwatch/logDestination:LogDestination",
    logDeliverySource: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    logDeliveryDestination: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    logDelivery: "aws:cloudwatch/logDelivery:LogDelivery",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
    // Fault Injection Service
    fisTemplate: "aws:fis/experimentTemplate:ExperimentTemplate",
    eventBus: "aws:cloudwatch/eventBus:EventBus",
    eventRule: "aws:cloudwatch/eventRule:EventRule",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    pipe: "aws:pipes/pipe:Pipe",
    schedule: "aws:scheduler/schedule:Schedule",
    scheduleGroup: "aws:scheduler/scheduleGroup:ScheduleGroup",
    // Messaging and streams
    topic: "aws:sns/topic:Topic",
    topicSubscription: "aws:sns/topicSubscription:TopicSubscription",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    kinesisStream: "aws:kinesis/stream:Stream",
    streamConsumer: "aws:kinesis/streamConsumer:StreamConsumer",
    firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    // Compute
    lambda: "aws:lambda/function:Function",
    lambdaInvocation: "aws:lambda/invocation:Invocation",
    lambdaPermission: "aws:lambda/permission:Permission",
    lambdaEventSource: "aws:lambda/eventSourceMapping:EventSourceMapping",
    lambdaInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    ecsService: "aws:ecs/service:Service",
    ecsTaskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    // Other stores and movers
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    secretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
    efs: "aws:efs/fileSystem:FileSystem",
    efsReplication: "aws:efs/replicationConfiguration:ReplicationConfiguration",
    dmsEndpoint: "aws:dms/endpoint:Endpoint",
    dmsTask: "aws:dms/replicationTask:ReplicationTask",
    dataSyncS3Location: "aws:datasync/s3Location:S3Location",
    dataSyncTask: "aws:datasync/task:Task",
    redshiftCluster: "aws:redshift/cluster:Cluster",
    cloudfront: "aws:cloudfront/distribution:Distribution",
    wafLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    // Networking and IAM
    vpc: "awsx:ec2:Vpc",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    sgIngress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    sgEgress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
    lbListener: "aws:lb/listener:Listener",
    lbListenerRule: "aws:lb/listenerRule:ListenerRule",
    lbTargetGroup: "aws:lb/targetGroup:TargetGroup",
    albListener: "aws:alb/listener:Listener",
    certificate: "aws:acm/certificate:Certificate",
    certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
    ecsCluster: "aws:ecs/cluster:Cluster",
    gaEndpointGroup: "aws:globalaccelerator/endpointGroup:EndpointGroup",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    iamRole: "aws:iam/role:Role",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamPolicy: "aws:iam/policy:Policy",
    iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    route53Record: "aws:route53/record:Record",
    // Pulumi Cloud (pulumiservice)
    deploymentSettings: "pulumiservice:index:DeploymentSettings",
    deploymentSchedule: "pulumiservice:index:DeploymentSchedule",
    driftSchedule: "pulumiservice:index:DriftSchedule",
    // Pulumi
    stack: "pulumi:pulumi:Stack",
    stackReference: "pulumi:pulumi:StackReference",
    awsProvider: "pulumi:providers:aws",
} as const;

export const BUCKET_TYPES: readonly string[] = [T.bucket, T.bucketV2];

/**
 * Modules whose every resource holds no data of its own (identity, DNS, certificates, firewall
 * rules, traffic dials, scaling, network plumbing). Their references to data stores are still
 * judged by the data-flow policy.
 */
const NO_DATA_MODULES: readonly string[] = [
    "aws:iam/",
    "aws:route53/",
    "aws:acm/",
    "aws:wafv2/",
    "aws:globalaccelerator/",
    "aws:appautoscaling/",
    "aws:vpc/",
    "aws:lb/",
    "aws:alb/",
    "aws:cloudfront/",
];

/**
 * Resource types outside those modules that hold no data of their own: configuration attached to
 * a store (its policy, encryption, versioning, subnet group), movers whose data lands in another
 * resource (exports, subscriptions, rules, mappings), compute, alarms, and non-AWS bookkeeping.
 * Anything else a stack creates is data-bearing and must be classified.
 */
export const HOLDS_NO_DATA: ReadonlySet<string> = new Set<string>([
    T.tableExport,
    T.tableKinesis,
    T.tableItem,
    T.tableResourcePolicy,
    // A legacy (2017) global table groups existing tables; the data is in the tables.
    T.globalTable,
    "aws:dynamodb/contributorInsights:ContributorInsights",
    T.bucketReplication,
    T.bucketInventory,
    T.bucketAnalytics,
    T.bucketPab,
    T.bucketSse,
    T.bucketSseV2,
    T.bucketPolicy,
    T.bucketNotification,
    T.bucketLogging,
    T.bucketLoggingV2,
    T.objectCopy,
    // Access points are views of their buckets (the data stays in the bucket).
    T.accessPoint,
    T.accessPointPolicy,
    T.objectLambdaAccessPoint,
    T.multiRegionAccessPoint,
    T.bucketVersioning,
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
    T.bucketLifecycle,
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    T.bucketOwnership,
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
    "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2",
    "aws:s3/bucketAclV2:BucketAclV2",
    "aws:s3/bucketAcl:BucketAcl",
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    "aws:rds/parameterGroup:ParameterGroup",
    T.rdsExportTask,
    T.rdsIntegration,
    "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:elasticache/parameterGroup:ParameterGroup",
    T.cacheGlobal,
    T.kmsAlias,
    T.kmsGrant,
    T.kmsKeyPolicy,
    T.backupPlan,
    T.backupSelection,
    T.backupVaultPolicy,
    T.logSubscription,
    // Vended-log delivery objects name a source and a destination; the logs land in the
    // destination's store.
    T.logDeliverySource,
    T.logDeliveryDestination,
    T.logDelivery,
    T.metricAlarm,
    T.compositeAlarm,
    "aws:cloudwatch/dashboard:Dashboard",
    // An experiment template is configuration: what FIS does to its targets, as its role.
    T.fisTemplate,
    T.eventRule,
    T.eventTarget,
    T.pipe,
    T.schedule,
    T.scheduleGroup,
    T.topicSubscription,
    T.topicPolicy,
    T.queuePolicy,
    "aws:sqs/redrivePolicy:RedrivePolicy",
    T.streamConsumer,
    T.lambda,
    T.lambdaInvocation,
    T.lambdaPermission,
    T.lambdaEventSource,
    T.lambdaInvokeConfig,
    T.ecsCluster,
    T.ecsService,
    T.ecsTaskDefinition,
    T.secretVersion,
    T.secretPolicy,
    "aws:secretsmanager/secretRotation:SecretRotation",
    T.efsReplication,
    // Migration endpoints and transfer locations point at a store; the data is in the store.
    T.dmsEndpoint,
    T.dmsTask,
    T.dataSyncS3Location,
    T.dataSyncTask,
    T.securityGroup,
    "random:index/randomPassword:RandomPassword",
    "random:index/randomId:RandomId",
    "random:index/randomString:RandomString",
    T.deploymentSettings,
    T.deploymentSchedule,
    T.driftSchedule,
    "pulumiservice:index:TtlSchedule",
    // awsx components: the engine sees their children, which are judged in their own right.
    T.vpc,
    "awsx:ec2:DefaultVpc",
    "awsx:lb:ApplicationLoadBalancer",
    "awsx:lb:NetworkLoadBalancer",
]);

/**
 * Whether resources of `type` hold data, so that they must carry a residency classification.
 * `component`: the resource is a ComponentResource of the program itself (it has no provider);
 * it holds nothing, its children are judged in their own right.
 */
export function isDataBearing(type: string, component = false): boolean {
    if (component || type.startsWith("pulumi:")) return false;
    if (HOLDS_NO_DATA.has(type)) return false;
    return !NO_DATA_MODULES.some((m) => type.startsWith(m));
}
