// Judges of movers: messaging, streams, event routing, compute, migration and transfer services
// (see index.ts for what the kinds mean).

import { T } from "../types";
import type { Judge } from "./types";

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

export const MOVER_JUDGES: Readonly<Record<string, Judge>> = {
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
    // Vended-log delivery (CloudFront standard logging v2 and other "V2" sources): a source names
    // the resource whose logs it sends, a destination names the log group, bucket or Firehose they
    // land in, in any Region ("cross Region delivery",
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html),
    // and a delivery pairs one source (by name) with one destination (by ARN)
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-vended-logs-permissions-V2.html).
    [T.logDeliverySource]: { refs: { resourceArn: "source" } },
    [T.logDeliveryDestination]: {
        refs: { "deliveryDestinationConfiguration.destinationResourceArn": "sink" },
    },
    [T.logDelivery]: { refs: { deliverySourceName: "source", deliveryDestinationArn: "sink" } },
    // WAF logs a web ACL's requests to one log group, bucket or Firehose
    // (https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html): the
    // one wafv2 type that moves data, so it has a judge instead of the control-plane default.
    [T.wafLogging]: {
        refs: {
            resourceArn: "source",
            "logDestinationConfigs[]": "sink",
            redactedFields: "inert",
            loggingFilter: "inert",
        },
    },
    [T.metricAlarm]: {
        refs: {
            dimensions: "metric",
            metricQueries: "metric",
            alarmActions: "sink",
            okActions: "sink",
            insufficientDataActions: "sink",
        },
    },
    // A composite alarm reads other alarms' states (alarmRule) and notifies its actions.
    [T.compositeAlarm]: {
        refs: {
            alarmRule: "metric",
            alarmActions: "sink",
            okActions: "sink",
            insufficientDataActions: "sink",
            actionsSuppressor: "metric",
        },
    },
    // An FIS experiment template acts, as its role, on its targets (named by ARN, tags or
    // parameters) in its own Region and account, stops on alarms it reads, and writes its
    // experiment log and report to a log group or bucket
    // (https://docs.aws.amazon.com/fis/latest/userguide/experiment-templates.html,
    // https://docs.aws.amazon.com/fis/latest/userguide/monitoring-logging.html). Targets and the
    // actions' parameters (documents, rules, roles they name) are acted on in place: the
    // template must be in their zone and account; its logs and reports are sinks.
    [T.fisTemplate]: {
        refs: {
            roleArn: "assume",
            "stopConditions[].value": "metric",
            "targets[].resourceArns[]": "attach",
            "targets[].parameters.*": "attach",
            "targets[].resourceTags[].value": "attach",
            "targets[].filters[].values[]": "attach",
            "actions[].parameters[].value": "attach",
            "actions[].parameters[].value{}": "attach",
            "logConfiguration.cloudwatchLogsConfiguration.logGroupArn": "sink",
            "logConfiguration.s3Configuration.bucketName": "sink",
            "experimentReportConfiguration.outputs.s3Configuration.bucketName": "sink",
            "experimentReportConfiguration.dataSources.cloudwatchDashboards[].dashboardArn":
                "metric",
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
    [T.ecsCluster]: {
        refs: {
            "configuration.executeCommandConfiguration.kmsKeyId": "key",
            "configuration.executeCommandConfiguration.logConfiguration.cloudWatchLogGroupName":
                "sink",
            "configuration.executeCommandConfiguration.logConfiguration.s3BucketName": "sink",
        },
    },
    // DMS moves a source endpoint's data to its target endpoint
    // (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsDmsReplicationTaskDetails.html).
    // An endpoint stands for its database, bucket or stream: a task reads a source endpoint's
    // store and writes a target endpoint's (endpointType says which; either way it is that store).
    [T.dmsEndpoint]: {
        refs: {
            serverName: "alias",
            kmsKeyArn: "key",
            serviceAccessRole: "assume",
            secretsManagerArn: "attach",
            secretsManagerAccessRoleArn: "assume",
            "s3Settings.bucketName": "alias",
            "s3Settings.serviceAccessRoleArn": "assume",
            "kinesisSettings.streamArn": "alias",
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
    // A location stands for its bucket, as a task's source or its destination.
    [T.dataSyncS3Location]: {
        refs: { s3BucketArn: "alias", "s3Config.bucketAccessRoleArn": "assume" },
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
};
