// The catalogue of ways out of the zone, on the real stacks' plans: each case is the least a
// careless (or hostile) change would add to one stack's plan as `npm run plan` writes it, judged as
// `pulumi preview --policy-pack policies --policy-pack-config policies/policy-config.json` of that
// stack alone would judge it, and expects exactly the findings (policy, resource) it names.
//
// Each case models an AWS behaviour; the page it rests on is cited in the judge that models it
// (policies/judges/*.ts) and repeated here where the case depends on it.

import {
    ACCOUNT,
    allow,
    arn,
    Edit,
    EU,
    euVendedLogs,
    identity,
    OTHER_ACCOUNT,
    tagged,
    UNKNOWN,
    US_ASSETS,
    US_ASSETS_ARN,
} from "./catalogue.helpers";

type Stack = "eu-west-1" | "us-east-1" | "ap-northeast-1" | "global";

export interface CatalogueCase {
    /** The mechanism and its variant, as the test title. */
    title: string;
    stack: Stack;
    edit: (e: Edit) => void;
    /** Exactly the findings, as [policy, resource name]; the first is the main one. */
    findings: [string, string][];
    /** What the main finding's message must say (store, path, why). */
    parts: string[];
}

const FLOW = "residency-data-flow";
const UNCLASSIFIED = "residency-unclassified-data-store";
const REGION = "residency-region-outside-zone";
const REPLICATION = "residency-replication-out-of-zone";
const OUTSIDE = "residency-stack-outside-zone";
const EDGE = "residency-edge-pin";
const NAME = "residency-name-matches-classification";

const EU_TABLE = `aws:dynamodb/table:Table 'residency-table'`;
const EU_BUCKET = `aws:s3/bucket:Bucket 'residency-bucket'`;
const EU_DB = `aws:rds/cluster:Cluster 'residency-db'`;
const EU_LOGS = `aws:cloudwatch/logGroup:LogGroup 'residency-db-logs'`;
const EU_KEY = `aws:kms/key:Key 'residency-key'`;

/** The us-east-1 stack's log archive (global zone), by its residency name. */
const US_LOG_ARCHIVE = "taskflow-prod-logs-global-us-east-1";

/** The ARN of the EU key, as the real plan has it. */
const keyArn = (e: Edit) => e.get("residency-key").outputs!["arn"] as string;

/** A zone eu Kinesis stream in eu-west-1 (a receiver of zone data is zone data). */
function euStream(e: Edit, name = "eu-stream"): string {
    const a = arn("kinesis", "eu-west-1", `stream/${name}`);
    e.add("aws:kinesis/stream:Stream", name, { name, ...tagged("eu") }, { outputs: { arn: a } });
    return a;
}

/** A zone eu SNS topic in eu-west-1. */
function euTopic(e: Edit, name = "eu-events"): string {
    const a = arn("sns", "eu-west-1", name);
    e.add("aws:sns/topic:Topic", name, { name, ...tagged("eu") }, { outputs: { arn: a, id: a } });
    return a;
}

/** A zone eu SQS queue in eu-west-1. */
function euQueue(e: Edit, name = "eu-jobs", extra: Record<string, unknown> = {}): string {
    const a = arn("sqs", "eu-west-1", name);
    e.add(
        "aws:sqs/queue:Queue",
        name,
        { name, ...tagged("eu"), ...extra },
        {
            outputs: { arn: a, url: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/${name}` },
        },
    );
    return a;
}

/** A Lambda function in eu-west-1 (holds no data; what it reads it carries). */
function euLambda(e: Edit, name: string, inputs: Record<string, unknown>): string {
    const a = arn("lambda", "eu-west-1", `function:${name}`);
    e.add(
        "aws:lambda/function:Function",
        name,
        {
            name,
            role: arn("iam", "", "role/cell-task-role").replace(":iam::", ":iam::"),
            runtime: "nodejs22.x",
            handler: "index.handler",
            ...inputs,
        },
        { outputs: { arn: a } },
    );
    return a;
}

/** The EU cluster's manual snapshot, zone eu, in eu-west-1. */
function euSnapshot(e: Edit, extra: Record<string, unknown> = {}): string {
    const id = "taskflow-prod-db-snap-eu-eu-west-1";
    const a = arn("rds", "eu-west-1", `cluster-snapshot:${id}`);
    e.add(
        "aws:rds/clusterSnapshot:ClusterSnapshot",
        "eu-db-snapshot",
        {
            dbClusterIdentifier: EU.cluster,
            dbClusterSnapshotIdentifier: id,
            ...tagged("eu"),
            ...extra,
        },
        { outputs: { dbClusterSnapshotArn: a, arn: a } },
    );
    return a;
}

/** A Firehose stream in eu-west-1 delivering to the bucket `bucketArn`; its ARN. */
function firehoseToS3(
    e: Edit,
    resource: string,
    name: string,
    bucketArn: string,
    classification: string,
): string {
    const fh = arn("firehose", "eu-west-1", `deliverystream/${name}`);
    e.add(
        "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
        resource,
        {
            name,
            destination: "extended_s3",
            extendedS3Configuration: { bucketArn },
            ...tagged(classification),
        },
        { outputs: { arn: fh } },
    );
    return fh;
}

/** A subscription filter of the EU cluster's log group to `destinationArn`. */
function subscribeEuLogs(e: Edit, destinationArn: string): void {
    e.add("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "eu-logs-sub", {
        logGroup: EU.logGroup,
        destinationArn,
        filterPattern: "",
    });
}

/** Event notifications of the EU bucket (`topics`, `queues` or `lambdaFunctions`). */
function notifyFromEuBucket(e: Edit, to: Record<string, unknown[]>): void {
    e.add("aws:s3/bucketNotification:BucketNotification", "eu-bucket-events", {
        bucket: EU.bucket,
        ...to,
    });
}

/** A zone eu vault and a plan backing the EU table up into it, copying to `copyTo`. */
function euBackup(e: Edit, copyTo: string): void {
    e.add(
        "aws:backup/vault:Vault",
        "eu-vault",
        { name: "eu-vault", kmsKeyArn: keyArn(e), ...tagged("eu") },
        { outputs: { arn: arn("backup", "eu-west-1", "backup-vault:eu-vault") } },
    );
    e.add(
        "aws:backup/plan:Plan",
        "eu-plan",
        {
            name: "eu-plan",
            rules: [
                {
                    ruleName: "daily",
                    targetVaultName: "eu-vault",
                    copyActions: [{ destinationVaultArn: copyTo }],
                },
            ],
        },
        { outputs: { id: "eu-plan-id" } },
    );
    e.add("aws:backup/selection:Selection", "eu-selection", {
        name: "eu",
        planId: "eu-plan-id",
        iamRoleArn: arn("iam", "", "role/backup"),
        resources: [EU.tableArn],
    });
}

export const CASES: CatalogueCase[] = [
    // ---- 1. types the pack has never heard of, of any provider: fail closed --------------------
    {
        title: "fails closed on an aws-native resource that names the EU bucket",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws-native:s3:AccessPoint", "native-ap", {
                bucket: EU.bucket,
                tags: [{ key: "data-residency", value: "eu" }],
            }),
        findings: [
            [FLOW, "native-ap"],
            // the pack cannot prove where a resource of another provider is
            [REGION, "native-ap"],
        ],
        parts: [EU_BUCKET, "at bucket", "aws-native:s3:AccessPoint"],
    },
    {
        title: "fails closed on a command whose script copies the EU bucket (free text)",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("command:local:Command", "sync-out", {
                create: `aws s3 sync s3://${EU.bucket} s3://${US_ASSETS}/copy`,
            }),
        findings: [
            [FLOW, "sync-out"],
            [UNCLASSIFIED, "sync-out"],
        ],
        parts: [EU_BUCKET, "at create"],
    },
    {
        title: "fails closed on an AWS type the pack does not know, naming the EU table deep in its inputs",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:newservice/pipeline:Pipeline", "new-pipeline", {
                stages: [{ config: { sources: [{ arn: EU.tableArn }] } }],
                ...tagged("eu"),
            }),
        findings: [[FLOW, "new-pipeline"]],
        parts: [EU_TABLE, "at stages[].config.sources[].arn"],
    },
    {
        title: "fails closed on a dynamic provider resource given the EU table's name",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("pulumi-nodejs:dynamic:Resource", "table-exporter", {
                __provider: "exports.handler = ...",
                tableName: EU.table,
            }),
        findings: [
            [FLOW, "table-exporter"],
            [UNCLASSIFIED, "table-exporter"],
        ],
        parts: [EU_TABLE, "at tableName"],
    },
    {
        title: "fails closed on another cloud's transfer job reading the EU bucket",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("gcp:storage/transferJob:TransferJob", "to-gcs", {
                transferSpec: { awsS3DataSource: { bucketName: EU.bucket } },
                ...tagged("eu"),
            }),
        findings: [
            [FLOW, "to-gcs"],
            [REGION, "to-gcs"],
        ],
        parts: [EU_BUCKET, "at transferSpec.awsS3DataSource.bucketName"],
    },
    {
        title: "fails closed on an AWS type the pack has no judge for (a Glue crawler of the EU bucket)",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:glue/crawler:Crawler", "eu-crawler", {
                databaseName: "eu",
                role: "cell-task-role",
                s3Targets: [{ path: `s3://${EU.bucket}/exports/` }],
                ...tagged("eu"),
            }),
        findings: [[FLOW, "eu-crawler"]],
        parts: [EU_BUCKET, "at s3Targets[].path"],
    },
    {
        title: "fails closed on a known type at a path its judge does not list (a container command naming the EU bucket)",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("cell-task", (i) => {
                const defs = JSON.parse(i.containerDefinitions);
                defs[0].command = ["sh", "-c", `aws s3 cp s3://${EU.bucket}/export.csv -`];
                i.containerDefinitions = JSON.stringify(defs);
            }),
        findings: [[FLOW, "cell-task"]],
        parts: [
            EU_BUCKET,
            "containerDefinitions{}[].command[]",
            "a reference the pack does not know",
        ],
    },
    {
        title: "fails closed on an unknown type that depends on the EU table only through a property dependency",
        stack: "eu-west-1",
        edit: (e) =>
            e.add(
                "aws:newservice/mirror:Mirror",
                "dep-only",
                { source: UNKNOWN, ...tagged("eu") },
                { deps: { source: [e.urn("residency-table")] } },
            ),
        findings: [[FLOW, "dep-only"]],
        parts: [EU_TABLE, "at source"],
    },

    // ---- 2. onward hops: a receiver of zone data is zone data, judged in turn ------------------
    // Subscription filters deliver log events to Firehose, Kinesis or Lambda (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-subscriptionfilter.html).
    {
        title: "refuses a zone Firehose fed with EU logs that delivers to a bucket in us-east-1",
        stack: "eu-west-1",
        edit: (e) => {
            const fh = firehoseToS3(e, "eu-logs-firehose", "eu-logs", US_ASSETS_ARN, "eu");
            subscribeEuLogs(e, fh);
        },
        findings: [[FLOW, "eu-logs-firehose"]],
        parts: [
            `zone 'eu' data of aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream 'eu-logs-firehose'`,
            US_ASSETS,
            "extendedS3Configuration.bucketArn",
            "it is in region us-east-1",
        ],
    },
    {
        title: "refuses a log subscription sending EU logs to a Firehose classified global",
        stack: "eu-west-1",
        edit: (e) => {
            const fh = firehoseToS3(e, "shared-logs", "shared-logs", US_ASSETS_ARN, "global");
            subscribeEuLogs(e, fh);
        },
        findings: [[FLOW, "eu-logs-sub"]],
        parts: [`zone 'eu' data of ${EU_LOGS}`, "'shared-logs'", "classified 'global'"],
    },
    {
        title: "follows EU logs through a subscribed Lambda to its dead-letter topic in us-east-1 (two hops)",
        stack: "eu-west-1",
        edit: (e) => {
            const fn = euLambda(e, "eu-log-shipper", {
                deadLetterConfig: { targetArn: arn("sns", "us-east-1", "dead-letters") },
            });
            subscribeEuLogs(e, fn);
        },
        findings: [[FLOW, "eu-log-shipper"]],
        parts: [
            `zone 'eu' data of ${EU_LOGS} through aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter 'eu-logs-sub'`,
            "deadLetterConfig.targetArn",
        ],
    },
    {
        title: "follows EU bucket events through two Lambdas to the second one's dead-letter queue in us-east-1 (three hops)",
        stack: "eu-west-1",
        edit: (e) => {
            const a = euLambda(e, "eu-ingest", {});
            euLambda(e, "eu-enrich", {
                deadLetterConfig: { targetArn: arn("sqs", "us-east-1", "enrich-dlq") },
            });
            notifyFromEuBucket(e, {
                lambdaFunctions: [{ lambdaFunctionArn: a, events: ["s3:ObjectCreated:*"] }],
            });
            e.add(
                "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
                "eu-ingest-async",
                {
                    functionName: "eu-ingest",
                    destinationConfig: {
                        onSuccess: {
                            destination: arn("lambda", "eu-west-1", "function:eu-enrich"),
                        },
                    },
                },
            );
        },
        findings: [[FLOW, "eu-enrich"]],
        parts: [
            `zone 'eu' data of ${EU_BUCKET} through`,
            "'eu-ingest'",
            "deadLetterConfig.targetArn",
            "arn:aws:sqs:us-east-1",
        ],
    },
    {
        title: "refuses a Lambda mapping of a zone stream (fed by EU logs) whose failure destination is in us-east-1",
        stack: "eu-west-1",
        edit: (e) => {
            const s = euStream(e);
            subscribeEuLogs(e, s);
            const fn = euLambda(e, "eu-consumer", {});
            e.add("aws:lambda/eventSourceMapping:EventSourceMapping", "eu-consumer-esm", {
                eventSourceArn: s,
                functionName: fn,
                startingPosition: "LATEST",
                destinationConfig: {
                    onFailure: { destinationArn: arn("sqs", "us-east-1", "failures") },
                },
            });
        },
        findings: [[FLOW, "eu-consumer-esm"]],
        parts: [
            "zone 'eu' data of aws:kinesis/stream:Stream 'eu-stream'",
            "destinationConfig.onFailure.destinationArn",
            "arn:aws:sqs:us-east-1",
        ],
    },
    {
        title: "follows EU bucket events through SNS and refuses an HTTPS subscriber outside AWS",
        stack: "eu-west-1",
        edit: (e) => {
            const t = euTopic(e);
            notifyFromEuBucket(e, { topics: [{ topicArn: t, events: ["s3:ObjectCreated:*"] }] });
            e.add("aws:sns/topicSubscription:TopicSubscription", "eu-events-webhook", {
                topic: t,
                protocol: "https",
                endpoint: "https://hooks.partner.example.com/taskflow",
            });
        },
        findings: [[FLOW, "eu-events-webhook"]],
        parts: [
            "zone 'eu' data of aws:sns/topic:Topic 'eu-events'",
            "at endpoint",
            "hooks.partner.example.com",
        ],
    },
    // SNS delivers to SQS queues and Lambda functions in other Regions (https://docs.aws.amazon.com/sns/latest/dg/sns-cross-region-delivery.html).
    {
        title: "refuses an SNS subscription of a zone topic to a queue in us-east-1 (SNS delivers cross-Region)",
        stack: "eu-west-1",
        edit: (e) => {
            const t = euTopic(e);
            notifyFromEuBucket(e, { topics: [{ topicArn: t, events: ["s3:ObjectCreated:*"] }] });
            e.add("aws:sns/topicSubscription:TopicSubscription", "eu-events-to-us", {
                topic: t,
                protocol: "sqs",
                endpoint: arn("sqs", "us-east-1", "ingest"),
            });
        },
        findings: [[FLOW, "eu-events-to-us"]],
        parts: [
            "zone 'eu' data of aws:sns/topic:Topic 'eu-events'",
            "at endpoint",
            "arn:aws:sqs:us-east-1",
        ],
    },
    {
        title: "refuses a dead-letter queue in us-east-1 for a queue that receives EU bucket events",
        stack: "eu-west-1",
        edit: (e) => {
            const q = euQueue(e, "eu-jobs", {
                redrivePolicy: JSON.stringify({
                    deadLetterTargetArn: arn("sqs", "us-east-1", "eu-jobs-dlq"),
                    maxReceiveCount: 5,
                }),
            });
            notifyFromEuBucket(e, { queues: [{ queueArn: q, events: ["s3:ObjectCreated:*"] }] });
        },
        findings: [[FLOW, "eu-jobs"]],
        parts: [
            "zone 'eu' data of aws:sqs/queue:Queue 'eu-jobs'",
            "redrivePolicy{}.deadLetterTargetArn",
            "us-east-1",
        ],
    },
    {
        title: "refuses a dead-letter topic in us-east-1 for a Lambda that reads the EU table",
        stack: "eu-west-1",
        edit: (e) =>
            euLambda(e, "eu-reader", {
                environment: { variables: { TABLE: EU.table } },
                deadLetterConfig: { targetArn: arn("sns", "us-east-1", "dead-letters") },
            }),
        findings: [[FLOW, "eu-reader"]],
        parts: [`zone 'eu' data of ${EU_TABLE}`, "deadLetterConfig.targetArn", "us-east-1"],
    },
    {
        title: "refuses a Lambda that reads the EU table logging to a log group it cannot prove",
        stack: "eu-west-1",
        edit: (e) =>
            euLambda(e, "eu-reader", {
                environment: { variables: { TABLE: EU.table } },
                loggingConfig: { logFormat: "JSON", logGroup: "/shared/all-regions" },
            }),
        findings: [[FLOW, "eu-reader"]],
        parts: [`zone 'eu' data of ${EU_TABLE}`, "loggingConfig.logGroup", "/shared/all-regions"],
    },
    // Lambda's asynchronous destinations (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
    {
        title: "refuses an async destination in us-east-1 of a Lambda that reads the EU bucket",
        stack: "eu-west-1",
        edit: (e) => {
            euLambda(e, "eu-thumbnails", { environment: { variables: { BUCKET: EU.bucket } } });
            e.add(
                "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
                "eu-thumbnails-async",
                {
                    functionName: "eu-thumbnails",
                    destinationConfig: {
                        onSuccess: { destination: arn("events", "us-east-1", "event-bus/default") },
                    },
                },
            );
        },
        findings: [[FLOW, "eu-thumbnails-async"]],
        parts: [
            `zone 'eu' data of ${EU_BUCKET}`,
            "destinationConfig.onSuccess.destination",
            "us-east-1",
        ],
    },
    {
        title: "refuses an EventBridge pipe from a zone stream to an event bus in us-east-1",
        stack: "eu-west-1",
        edit: (e) => {
            const s = euStream(e);
            subscribeEuLogs(e, s);
            e.add("aws:pipes/pipe:Pipe", "eu-pipe", {
                source: s,
                target: arn("events", "us-east-1", "event-bus/analytics"),
                roleArn: arn("iam", "", "role/cell-task-role"),
            });
        },
        findings: [[FLOW, "eu-pipe"]],
        parts: [
            "zone 'eu' data of aws:kinesis/stream:Stream 'eu-stream'",
            "at target",
            "us-east-1",
        ],
    },
    // An EventBridge rule may target an event bus in another Region (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html).
    {
        title: "refuses an EventBridge target in us-east-1 for a rule on a bus that carries EU bucket events",
        stack: "eu-west-1",
        edit: (e) => {
            const bus = arn("events", "eu-west-1", "event-bus/eu-bus");
            e.add(
                "aws:cloudwatch/eventBus:EventBus",
                "eu-bus",
                { name: "eu-bus", ...tagged("eu") },
                { outputs: { arn: bus } },
            );
            e.add("aws:pipes/pipe:Pipe", "eu-bucket-to-bus", {
                source: arn("sqs", "eu-west-1", "eu-jobs"),
                target: bus,
                roleArn: arn("iam", "", "role/cell-task-role"),
            });
            euQueue(e, "eu-jobs");
            notifyFromEuBucket(e, {
                queues: [{ queueArn: arn("sqs", "eu-west-1", "eu-jobs"), events: ["s3:*"] }],
            });
            e.add(
                "aws:cloudwatch/eventRule:EventRule",
                "eu-rule",
                {
                    name: "eu-rule",
                    eventBusName: "eu-bus",
                    eventPattern: JSON.stringify({ source: ["app"] }),
                },
                { outputs: { arn: arn("events", "eu-west-1", "rule/eu-bus/eu-rule") } },
            );
            e.add("aws:cloudwatch/eventTarget:EventTarget", "eu-rule-to-us", {
                rule: "eu-rule",
                eventBusName: "eu-bus",
                arn: arn("events", "us-east-1", "event-bus/default"),
            });
        },
        findings: [[FLOW, "eu-rule-to-us"]],
        parts: [
            "zone 'eu' data of aws:cloudwatch/eventBus:EventBus 'eu-bus'",
            "at arn",
            "us-east-1",
        ],
    },
    {
        title: "refuses a Firehose to an HTTP endpoint for a stream that receives EU logs",
        stack: "eu-west-1",
        edit: (e) => {
            const s = euStream(e);
            subscribeEuLogs(e, s);
            e.add(
                "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
                "eu-to-http",
                {
                    name: "eu-to-http",
                    destination: "http_endpoint",
                    kinesisSourceConfiguration: { kinesisStreamArn: s },
                    httpEndpointConfiguration: { url: "https://ingest.observability.example/v1" },
                    ...tagged("eu"),
                },
                { outputs: { arn: arn("firehose", "eu-west-1", "deliverystream/eu-to-http") } },
            );
        },
        findings: [[FLOW, "eu-to-http"]],
        parts: [
            "zone 'eu' data of aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream 'eu-to-http'",
            "httpEndpointConfiguration.url",
        ],
    },
    {
        title: "refuses a Lambda in us-east-1 reading a zone stream through its enhanced fan-out consumer",
        stack: "eu-west-1",
        edit: (e) => {
            const s = euStream(e);
            subscribeEuLogs(e, s);
            const c = `${s}/consumer/fan-out:1700000000`;
            e.add(
                "aws:kinesis/streamConsumer:StreamConsumer",
                "eu-fan-out",
                { name: "fan-out", streamArn: s },
                { outputs: { arn: c } },
            );
            e.add("aws:lambda/eventSourceMapping:EventSourceMapping", "eu-fan-out-esm", {
                eventSourceArn: c,
                functionName: arn("lambda", "us-east-1", "function:analytics"),
                startingPosition: "LATEST",
            });
        },
        findings: [[FLOW, "eu-fan-out-esm"]],
        parts: [
            "zone 'eu' data of aws:kinesis/stream:Stream 'eu-stream' through aws:kinesis/streamConsumer:StreamConsumer 'eu-fan-out'",
            "at functionName",
            "us-east-1",
        ],
    },
    {
        title: "refuses a CloudWatch Logs subscription of the EU log group to a stream in us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "eu-logs-to-us", {
                logGroup: EU.logGroup,
                destinationArn: arn("kinesis", "us-east-1", "stream/central-logs"),
                filterPattern: "",
            }),
        findings: [[FLOW, "eu-logs-to-us"]],
        parts: [`zone 'eu' data of ${EU_LOGS}`, "at destinationArn", "us-east-1"],
    },

    // ---- 3. reads and copies: restores, imports, exports, snapshots, migrations ----------------
    {
        title: "refuses a restore of the EU table into a us-resident table in us-east-1",
        stack: "eu-west-1",
        edit: (e) => {
            const p = e.provider("us-east-1");
            e.copy("residency-table", "restored", (i, r) => {
                i.name = "taskflow-prod-restored";
                i.restoreSourceTableArn = EU.tableArn;
                i.tags = tagged("us").tags;
                i.serverSideEncryption.kmsKeyArn = arn("kms", "us-east-1", "key/us");
                r.propertyDependencies = {};
                r.provider = p;
                r.providerRegion = r.region = "us-east-1";
            });
        },
        findings: [
            [FLOW, "restored"],
            // a us store managed from the eu stack
            [OUTSIDE, "restored"],
        ],
        parts: [EU_TABLE, "restoreSourceTableArn", "it is in region us-east-1"],
    },
    {
        title: "refuses an in-region restore of the EU table into a table classified global",
        stack: "eu-west-1",
        edit: (e) =>
            e.copy("residency-table", "restored", (i) => {
                i.name = "taskflow-prod-restored";
                i.restoreSourceName = EU.table;
                i.tags = tagged("global").tags;
            }),
        findings: [[FLOW, "restored"]],
        parts: [EU_TABLE, "restoreSourceName", "global"],
    },
    // ImportTable reads S3 objects into a new table (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ImportTable.html).
    {
        title: "refuses a DynamoDB import of the EU bucket into a global table (ImportTable reads S3)",
        stack: "eu-west-1",
        edit: (e) =>
            e.copy("residency-table", "imported", (i) => {
                i.name = "taskflow-prod-imported";
                i.importTable = {
                    inputFormat: "DYNAMODB_JSON",
                    s3BucketSource: { bucket: EU.bucket, keyPrefix: "export/" },
                };
                i.tags = tagged("global").tags;
            }),
        findings: [[FLOW, "imported"]],
        parts: [EU_BUCKET, "importTable.s3BucketSource.bucket"],
    },
    {
        title: "refuses an export of the EU table to a bucket in us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:dynamodb/tableExport:TableExport", "eu-export", {
                tableArn: EU.tableArn,
                s3Bucket: US_ASSETS,
            }),
        findings: [[FLOW, "eu-export"]],
        parts: [EU_TABLE, "at s3Bucket", "us-east-1"],
    },
    {
        title: "refuses an export of the EU table to a bucket in another account, same region",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:dynamodb/tableExport:TableExport", "eu-export", {
                tableArn: EU.tableArn,
                s3Bucket: EU.bucket,
                s3BucketOwner: OTHER_ACCOUNT,
            }),
        findings: [[FLOW, "eu-export"]],
        parts: [EU_TABLE, OTHER_ACCOUNT, "s3BucketOwner"],
    },
    {
        title: "refuses streaming the EU table's changes to a Kinesis stream in us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.add(
                "aws:dynamodb/kinesisStreamingDestination:KinesisStreamingDestination",
                "eu-cdc",
                { tableName: EU.table, streamArn: arn("kinesis", "us-east-1", "stream/cdc") },
            ),
        findings: [[FLOW, "eu-cdc"]],
        parts: [EU_TABLE, "at streamArn", "us-east-1"],
    },
    // Sharing a manual snapshot lets the listed accounts copy or restore it (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBClusterSnapshotAttribute.html).
    {
        title: "refuses sharing a snapshot of the EU cluster with another account",
        stack: "eu-west-1",
        edit: (e) => euSnapshot(e, { sharedAccounts: [OTHER_ACCOUNT] }),
        findings: [[FLOW, "eu-db-snapshot"]],
        parts: [
            "'eu-db-snapshot'",
            `account ${OTHER_ACCOUNT}, not the stack's account`,
            "sharedAccounts",
        ],
    },
    {
        title: "refuses sharing a snapshot of the EU cluster publicly (all)",
        stack: "eu-west-1",
        edit: (e) => euSnapshot(e, { sharedAccounts: ["all"] }),
        findings: [[FLOW, "eu-db-snapshot"]],
        parts: ["'eu-db-snapshot'", "with account all", "sharedAccounts"],
    },
    {
        title: "refuses a copy of an EU cluster snapshot to us-east-1",
        stack: "eu-west-1",
        edit: (e) => {
            const s = euSnapshot(e);
            e.add("aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy", "eu-snap-copy", {
                sourceDbClusterSnapshotIdentifier: s,
                targetDbClusterSnapshotIdentifier: "copy-of-eu",
                destinationRegion: "us-east-1",
                ...tagged("eu"),
            });
        },
        findings: [[FLOW, "eu-snap-copy"]],
        parts: ["'eu-snap-copy'", "lands in region us-east-1 (destinationRegion)"],
    },
    // StartExportTask writes a snapshot's or cluster's data to S3 (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-export-snapshot.Exporting.html).
    {
        title: "refuses an RDS export task of the EU cluster to a bucket in us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:rds/exportTask:ExportTask", "eu-db-export", {
                exportTaskIdentifier: "eu-db-export",
                sourceArn: EU.clusterArn,
                s3BucketName: US_ASSETS,
                iamRoleArn: arn("iam", "", "role/cell-task-role"),
                kmsKeyId: "placeholder",
            }),
        findings: [[FLOW, "eu-db-export"]],
        parts: [EU_DB, "at s3BucketName", "us-east-1"],
    },
    // A zero-ETL integration replicates the source cluster into the target warehouse (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/zero-etl.creating.html).
    {
        title: "refuses a zero-ETL integration of the EU cluster into a warehouse in us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:rds/integration:Integration", "eu-zero-etl", {
                integrationName: "eu-zero-etl",
                sourceArn: EU.clusterArn,
                targetArn: arn("redshift-serverless", "us-east-1", "namespace/analytics"),
            }),
        findings: [[FLOW, "eu-zero-etl"]],
        parts: [EU_DB, "at targetArn", "us-east-1"],
    },
    {
        title: "refuses a cross-region Aurora read replica of the EU cluster",
        stack: "eu-west-1",
        edit: (e) =>
            e.copy("residency-db", "eu-db-replica", (i, r) => {
                i.clusterIdentifier = "taskflow-prod-db-replica";
                i.finalSnapshotIdentifier = "taskflow-prod-db-replica-final";
                i.replicationSourceIdentifier = EU.clusterArn;
                i.kmsKeyId = i.masterUserSecretKmsKeyId = arn("kms", "us-east-1", "key/us");
                i.tags = tagged("global").tags;
                r.provider = e.provider("us-east-1");
                r.providerRegion = r.region = "us-east-1";
            }),
        findings: [[FLOW, "eu-db-replica"]],
        parts: [EU_DB, "replicationSourceIdentifier", "us-east-1"],
    },
    {
        title: "refuses a point-in-time restore of the EU cluster into a cluster classified global",
        stack: "eu-west-1",
        edit: (e) =>
            e.copy("residency-db", "eu-db-pitr", (i) => {
                i.clusterIdentifier = "taskflow-prod-db-pitr";
                i.finalSnapshotIdentifier = "taskflow-prod-db-pitr-final";
                i.restoreToPointInTime = { sourceClusterIdentifier: EU.cluster };
                i.tags = tagged("global").tags;
            }),
        findings: [[FLOW, "eu-db-pitr"]],
        parts: [EU_DB, "restoreToPointInTime.sourceClusterIdentifier", "global"],
    },
    // DMS moves a source endpoint's data to its target endpoint (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsDmsReplicationTaskDetails.html).
    {
        title: "refuses a DMS task from the EU cluster to an S3 target in us-east-1",
        stack: "eu-west-1",
        edit: (e) => {
            const src = arn("dms", "eu-west-1", "endpoint:SRC");
            const dst = arn("dms", "eu-west-1", "endpoint:DST");
            e.add(
                "aws:dms/endpoint:Endpoint",
                "eu-db-source",
                {
                    endpointId: "eu-db-source",
                    endpointType: "source",
                    engineName: "aurora-postgresql",
                    serverName: e.get("residency-db").outputs!["endpoint"],
                },
                { outputs: { endpointArn: src } },
            );
            e.add(
                "aws:dms/endpoint:Endpoint",
                "us-s3-target",
                {
                    endpointId: "us-s3-target",
                    endpointType: "target",
                    engineName: "s3",
                    s3Settings: { bucketName: US_ASSETS },
                },
                { outputs: { endpointArn: dst } },
            );
            e.add("aws:dms/replicationTask:ReplicationTask", "eu-db-migration", {
                replicationTaskId: "eu-db-migration",
                migrationType: "full-load",
                sourceEndpointArn: src,
                targetEndpointArn: dst,
                replicationInstanceArn: arn("dms", "eu-west-1", "rep:INSTANCE"),
                tableMappings: "{}",
            });
        },
        findings: [[FLOW, "us-s3-target"]],
        parts: [
            `zone 'eu' data of ${EU_DB} through aws:dms/endpoint:Endpoint 'eu-db-source' → aws:dms/replicationTask:ReplicationTask 'eu-db-migration'`,
            US_ASSETS,
            "s3Settings.bucketName",
            "it is in region us-east-1",
        ],
    },
    // A DataSync task copies its source location to its destination location (https://docs.aws.amazon.com/datasync/latest/userguide/API_CreateTask.html).
    {
        title: "refuses a DataSync task copying the EU bucket to a location in us-east-1",
        stack: "eu-west-1",
        edit: (e) => {
            const loc = arn("datasync", "eu-west-1", "location/loc-eu");
            e.add(
                "aws:datasync/s3Location:S3Location",
                "eu-bucket-location",
                {
                    s3BucketArn: EU.bucketArn,
                    subdirectory: "/",
                    s3Config: { bucketAccessRoleArn: arn("iam", "", "role/cell-task-role") },
                },
                { outputs: { arn: loc } },
            );
            e.add("aws:datasync/task:Task", "eu-bucket-sync", {
                sourceLocationArn: loc,
                destinationLocationArn: arn("datasync", "us-east-1", "location/loc-us"),
            });
        },
        findings: [[FLOW, "eu-bucket-sync"]],
        parts: [
            `zone 'eu' data of ${EU_BUCKET} through aws:datasync/s3Location:S3Location 'eu-bucket-location'`,
            "at destinationLocationArn",
            "us-east-1",
        ],
    },
    // CopyObject names the source object as bucket/key (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
    {
        title: "refuses an S3 object copy from the EU bucket into a bucket in us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:s3/objectCopy:ObjectCopy", "eu-object-copy", {
                bucket: US_ASSETS,
                key: "users.json",
                source: `${EU.bucket}/users.json`,
            }),
        findings: [[FLOW, "eu-object-copy"]],
        parts: [
            `zone 'eu' data of ${EU_BUCKET}`,
            US_ASSETS,
            "at bucket",
            "it is in region us-east-1",
        ],
    },
    // Object Lambda sends each object through its function (https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_ObjectLambdaAccessPoint.html).
    {
        title: "refuses an Object Lambda access point that sends EU objects through a function in us-east-1",
        stack: "eu-west-1",
        edit: (e) => {
            const ap = arn("s3", "eu-west-1", "accesspoint/eu-ap");
            e.add(
                "aws:s3/accessPoint:AccessPoint",
                "eu-ap",
                { bucket: EU.bucket, name: "eu-ap" },
                { outputs: { arn: ap } },
            );
            e.add("aws:s3control/objectLambdaAccessPoint:ObjectLambdaAccessPoint", "eu-olap", {
                name: "eu-olap",
                configuration: {
                    supportingAccessPoint: ap,
                    transformationConfigurations: [
                        {
                            actions: ["GetObject"],
                            contentTransformation: {
                                awsLambda: {
                                    functionArn: arn("lambda", "us-east-1", "function:redact"),
                                },
                            },
                        },
                    ],
                },
            });
        },
        findings: [[FLOW, "eu-olap"]],
        parts: [
            `zone 'eu' data of ${EU_BUCKET} through aws:s3/accessPoint:AccessPoint 'eu-ap'`,
            "configuration.transformationConfigurations[].contentTransformation.awsLambda.functionArn",
            "us-east-1",
        ],
    },
    {
        title: "refuses an access point for the EU bucket in another account",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:s3/accessPoint:AccessPoint", "eu-ap", {
                bucket: EU.bucket,
                name: "eu-ap",
                accountId: OTHER_ACCOUNT,
            }),
        findings: [[FLOW, "eu-ap"]],
        parts: [`zone 'eu' data of ${EU_BUCKET}`, `account ${OTHER_ACCOUNT}`, "(accountId)"],
    },
    // A Multi-Region Access Point routes each request to the closest bucket (https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointRequestRouting.html).
    {
        title: "refuses a Multi-Region Access Point over the EU bucket (routes to the closest bucket, any Region)",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint", "eu-mrap", {
                details: { name: "eu-mrap", regions: [{ bucket: EU.bucket }] },
            }),
        findings: [[FLOW, "eu-mrap"]],
        parts: [`reads zone 'eu' data of ${EU_BUCKET}`, "closest of its buckets"],
    },
    // S3 event notifications deliver to SNS, SQS and Lambda (https://docs.aws.amazon.com/AmazonS3/latest/userguide/NotificationHowTo.html).
    {
        title: "refuses EU bucket event notifications to a Lambda in us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:s3/bucketNotification:BucketNotification", "eu-bucket-events", {
                bucket: EU.bucket,
                lambdaFunctions: [
                    {
                        lambdaFunctionArn: arn("lambda", "us-east-1", "function:indexer"),
                        events: ["s3:ObjectCreated:*"],
                    },
                ],
            }),
        findings: [[FLOW, "eu-bucket-events"]],
        parts: [EU_BUCKET, "lambdaFunctions[].lambdaFunctionArn", "us-east-1"],
    },
    {
        title: "refuses a CloudFront distribution serving the EU bucket (edge caches worldwide), in the EU stack",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:cloudfront/distribution:Distribution", "eu-cdn", {
                enabled: true,
                origins: [
                    {
                        originId: "eu",
                        domainName: e.get("residency-bucket").outputs!["bucketRegionalDomainName"],
                    },
                ],
                defaultCacheBehavior: { targetOriginId: "eu" },
            }),
        findings: [[FLOW, "eu-cdn"]],
        parts: [EU_BUCKET, "origins[].domainName", "worldwide"],
    },
    // CloudFront origins are addressed by the bucket's virtual-hosted endpoint (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html).
    {
        title: "refuses a CloudFront origin in the global stack that names the EU bucket (no plan of that stack shows it)",
        stack: "global",
        edit: (e) =>
            e.set("edge-cdn", (i) => {
                i.origins.push({
                    originId: "userdata",
                    domainName: `${EU.bucket}.s3.eu-west-1.amazonaws.com`,
                });
            }),
        // The distribution's standard logs then carry the EU objects' requests too: its vended-log
        // source, delivery and destination in us-east-1 are each refused as well.
        findings: [
            [FLOW, "edge-cdn"],
            [FLOW, "edge-cdn-logs"],
            [FLOW, "edge-cdn-logs-destination"],
            [FLOW, "edge-cdn-logs-source"],
        ],
        parts: [`a store named '${EU.bucket}'`, "origins[].domainName", "worldwide"],
    },
    {
        title: "refuses an EU bucket policy that lets CloudFront read the bucket",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("residency-bucket-policy", (i) => {
                const d = JSON.parse(i.policy);
                d.Statement.push({
                    Sid: "CloudFrontRead",
                    Effect: "Allow",
                    Principal: { Service: "cloudfront.amazonaws.com" },
                    Action: "s3:GetObject",
                    Resource: `${EU.bucketArn}/*`,
                });
                i.policy = JSON.stringify(d);
            }),
        findings: [[FLOW, "residency-bucket-policy"]],
        parts: [EU_BUCKET, "cloudfront.amazonaws.com"],
    },
    // ---- vended logs (standard logging v2, CloudFront's way too) and WAF logging ----------------
    {
        title: "refuses vended-log delivery of an EU-zone source to a destination in us-east-1",
        stack: "eu-west-1",
        edit: (e) => euVendedLogs(e, { region: "us-east-1", bucketArn: US_ASSETS_ARN }),
        // The delivery sends to a destination in us-east-1, which writes to a bucket there.
        findings: [
            [FLOW, "eu-agent-logs"],
            [FLOW, "agent-logs-destination"],
        ],
        parts: ["zone 'eu' data", "deliveryDestinationArn", "us-east-1"],
    },
    {
        title: "refuses an eu-west-1 log delivery destination that writes EU logs to a bucket in us-east-1",
        stack: "eu-west-1",
        edit: (e) => euVendedLogs(e, { region: "eu-west-1", bucketArn: US_ASSETS_ARN }),
        findings: [[FLOW, "agent-logs-destination"]],
        parts: [
            "zone 'eu' data",
            "deliveryDestinationConfiguration.destinationResourceArn",
            US_ASSETS,
        ],
    },
    {
        title: "refuses vended-log delivery of an EU-zone source to a destination of another account",
        stack: "eu-west-1",
        edit: (e) =>
            euVendedLogs(e, {
                region: "eu-west-1",
                bucketArn: EU.bucketArn,
                account: OTHER_ACCOUNT,
            }),
        findings: [[FLOW, "eu-agent-logs"]],
        parts: ["zone 'eu' data", "deliveryDestinationArn", OTHER_ACCOUNT],
    },
    {
        title: "refuses WAF logging whose source is EU data (the EU table as resourceArn) to a bucket in us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.add(
                "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
                "eu-waf-logs",
                {
                    resourceArn: EU.tableArn,
                    logDestinationConfigs: [US_ASSETS_ARN],
                },
            ),
        findings: [[FLOW, "eu-waf-logs"]],
        parts: [EU_TABLE, "logDestinationConfigs[]", "us-east-1"],
    },
    {
        title: "refuses S3 server access logs of the EU bucket delivered to a bucket in us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:s3/bucketLogging:BucketLogging", "eu-bucket-logging", {
                bucket: EU.bucket,
                targetBucket: US_ASSETS,
                targetPrefix: "eu/",
            }),
        findings: [[FLOW, "eu-bucket-logging"]],
        parts: [EU_BUCKET, "at targetBucket", "us-east-1"],
    },
    {
        title: "refuses an S3 inventory of the EU bucket delivered to us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:s3/inventory:Inventory", "eu-inventory", {
                bucket: EU.bucket,
                name: "all",
                includedObjectVersions: "All",
                schedule: { frequency: "Daily" },
                destination: { bucket: { bucketArn: US_ASSETS_ARN, format: "CSV" } },
            }),
        findings: [[FLOW, "eu-inventory"]],
        parts: [EU_BUCKET, "destination.bucket.bucketArn", "us-east-1"],
    },
    {
        title: "refuses S3 replication of the EU bucket to a bucket in us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "eu-replication", {
                bucket: EU.bucket,
                role: arn("iam", "", "role/replication"),
                rules: [{ status: "Enabled", destination: { bucket: US_ASSETS_ARN } }],
            }),
        findings: [[FLOW, "eu-replication"]],
        parts: [EU_BUCKET, "rules[].destination.bucket", "us-east-1"],
    },
    {
        title: "refuses a DynamoDB replica of the EU table in us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("residency-table", (i) => {
                i.replicas = [
                    { regionName: "us-east-1", kmsKeyArn: arn("kms", "us-east-1", "key/r") },
                ];
            }),
        findings: [
            [REPLICATION, "residency-table"],
            ["database-deletion-protection", "residency-table"],
        ],
        parts: [EU_TABLE, "replica in us-east-1"],
    },
    // Backup copy actions copy recovery points to vaults in other Regions or accounts (https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html).
    {
        title: "refuses an AWS Backup plan copying the EU table's recovery points to us-east-1",
        stack: "eu-west-1",
        edit: (e) => euBackup(e, arn("backup", "us-east-1", "backup-vault:dr")),
        findings: [[FLOW, "eu-plan"]],
        parts: [EU_TABLE, "rules[].copyActions[].destinationVaultArn", "us-east-1"],
    },
    {
        title: "refuses an EU-tagged secret replicated to us-east-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:secretsmanager/secret:Secret", "eu-secret", {
                name: "eu-secret",
                kmsKeyId: keyArn(e),
                replicas: [{ region: "us-east-1" }],
                ...tagged("eu"),
            }),
        findings: [[REPLICATION, "eu-secret"]],
        parts: ["replica", "us-east-1"],
    },
    {
        title: "refuses EFS replication of an EU file system to us-east-1",
        stack: "eu-west-1",
        edit: (e) => {
            e.add(
                "aws:efs/fileSystem:FileSystem",
                "eu-files",
                { encrypted: true, kmsKeyId: keyArn(e), ...tagged("eu") },
                { outputs: { arn: arn("elasticfilesystem", "eu-west-1", "file-system/fs-eu") } },
            );
            e.get("eu-files").id = "fs-eu";
            e.add("aws:efs/replicationConfiguration:ReplicationConfiguration", "eu-files-dr", {
                sourceFileSystemId: "fs-eu",
                destination: { region: "us-east-1" },
            });
        },
        findings: [[FLOW, "eu-files-dr"]],
        parts: ["eu-files", "destination.region", "us-east-1"],
    },

    // ---- 4. other accounts ----------------------------------------------------------------------
    {
        title: "refuses an EU key policy statement granting another account use of the key",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("residency-key", (i) => {
                const d = JSON.parse(i.policy);
                d.Statement.push({
                    Sid: "PartnerDecrypt",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
                    Action: ["kms:Decrypt"],
                    Resource: "*",
                });
                i.policy = JSON.stringify(d);
            }),
        findings: [[FLOW, "residency-key"]],
        parts: [EU_KEY, OTHER_ACCOUNT, "PartnerDecrypt"],
    },
    {
        title: "refuses a KMS grant on the EU key to a role of another account",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:kms/grant:Grant", "eu-key-grant", {
                keyId: keyArn(e),
                granteePrincipal: `arn:aws:iam::${OTHER_ACCOUNT}:role/reader`,
                operations: ["Decrypt"],
            }),
        findings: [[FLOW, "eu-key-grant"]],
        parts: [EU_KEY, OTHER_ACCOUNT, "granteePrincipal"],
    },
    {
        title: "refuses an EU bucket policy granting another account GetObject",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("residency-bucket-policy", (i) => {
                const d = JSON.parse(i.policy);
                d.Statement.push({
                    Sid: "PartnerRead",
                    Effect: "Allow",
                    Principal: { AWS: OTHER_ACCOUNT },
                    Action: "s3:GetObject",
                    Resource: `${EU.bucketArn}/*`,
                });
                i.policy = JSON.stringify(d);
            }),
        findings: [[FLOW, "residency-bucket-policy"]],
        parts: [EU_BUCKET, OTHER_ACCOUNT, "PartnerRead"],
    },
    {
        title: "refuses a DynamoDB resource policy on the EU table granting another account",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:dynamodb/resourcePolicy:ResourcePolicy", "eu-table-policy", {
                resourceArn: EU.tableArn,
                policy: allow(
                    { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
                    "dynamodb:GetItem",
                    EU.tableArn,
                ),
            }),
        findings: [[FLOW, "eu-table-policy"]],
        parts: [EU_TABLE, OTHER_ACCOUNT],
    },
    {
        title: "refuses a secret policy on an EU secret granting another account",
        stack: "eu-west-1",
        edit: (e) => {
            const s = arn("secretsmanager", "eu-west-1", "secret:eu-secret-abc");
            e.add(
                "aws:secretsmanager/secret:Secret",
                "eu-secret",
                { name: "eu-secret", kmsKeyId: keyArn(e), ...tagged("eu") },
                { outputs: { arn: s } },
            );
            e.add("aws:secretsmanager/secretPolicy:SecretPolicy", "eu-secret-policy", {
                secretArn: s,
                policy: allow(
                    { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
                    "secretsmanager:GetSecretValue",
                    "*",
                ),
            });
        },
        findings: [[FLOW, "eu-secret-policy"]],
        parts: ["eu-secret", OTHER_ACCOUNT],
    },
    {
        title: "refuses a topic policy letting another account subscribe to a topic that carries EU data",
        stack: "eu-west-1",
        edit: (e) => {
            const t = euTopic(e);
            notifyFromEuBucket(e, { topics: [{ topicArn: t, events: ["s3:*"] }] });
            e.add("aws:sns/topicPolicy:TopicPolicy", "eu-events-policy", {
                arn: t,
                policy: allow({ AWS: OTHER_ACCOUNT }, "sns:Subscribe", t),
            });
        },
        findings: [[FLOW, "eu-events-policy"]],
        parts: ["eu-events", OTHER_ACCOUNT],
    },
    {
        title: "refuses a queue policy letting another account receive from a queue that carries EU data",
        stack: "eu-west-1",
        edit: (e) => {
            const q = euQueue(e);
            notifyFromEuBucket(e, { queues: [{ queueArn: q, events: ["s3:*"] }] });
            e.add("aws:sqs/queuePolicy:QueuePolicy", "eu-jobs-policy", {
                queueUrl: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/eu-jobs`,
                policy: allow({ AWS: OTHER_ACCOUNT }, "sqs:ReceiveMessage", q),
            });
        },
        findings: [[FLOW, "eu-jobs-policy"]],
        parts: ["eu-jobs", OTHER_ACCOUNT],
    },
    {
        title: "refuses a role that reads the EU table and trusts another account",
        stack: "eu-west-1",
        edit: (e) => {
            e.add(
                "aws:iam/role:Role",
                "partner-role",
                {
                    assumeRolePolicy: allow(
                        { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
                        "sts:AssumeRole",
                        undefined,
                    ),
                },
                { outputs: { arn: arn("iam", "", "role/partner-role"), id: "partner-role" } },
            );
            e.add("aws:iam/rolePolicy:RolePolicy", "partner-role-read", {
                role: "partner-role",
                policy: identity("dynamodb:GetItem", EU.tableArn),
            });
        },
        findings: [[FLOW, "partner-role"]],
        parts: [EU_TABLE, OTHER_ACCOUNT],
    },
    {
        title: "refuses a Lambda permission letting another account invoke a function that reads the EU table",
        stack: "eu-west-1",
        edit: (e) => {
            euLambda(e, "eu-reader", { environment: { variables: { TABLE: EU.table } } });
            e.add("aws:lambda/permission:Permission", "eu-reader-partner", {
                function: "eu-reader",
                action: "lambda:InvokeFunction",
                principal: OTHER_ACCOUNT,
            });
        },
        findings: [[FLOW, "eu-reader-partner"]],
        parts: [EU_TABLE, OTHER_ACCOUNT, "principal"],
    },
    {
        title: "refuses a backup copy of the EU table to a vault in another account, same region",
        stack: "eu-west-1",
        edit: (e) => euBackup(e, arn("backup", "eu-west-1", "backup-vault:vault", OTHER_ACCOUNT)),
        findings: [[FLOW, "eu-plan"]],
        parts: [EU_TABLE, OTHER_ACCOUNT],
    },
    // A replication destination in another account is a cross-account copy (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-accesscontroltranslation.html).
    {
        title: "refuses S3 replication of the EU bucket to another account, same region",
        stack: "eu-west-1",
        edit: (e) => {
            e.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "eu-replication", {
                bucket: EU.bucket,
                role: arn("iam", "", "role/replication"),
                rules: [
                    {
                        status: "Enabled",
                        destination: {
                            // The other account's bucket, named by its own scheme.
                            bucket: EU.bucketArn.replace(ACCOUNT, OTHER_ACCOUNT),
                            account: OTHER_ACCOUNT,
                        },
                    },
                ],
            });
        },
        findings: [[FLOW, "eu-replication"]],
        parts: [EU_BUCKET, `account ${OTHER_ACCOUNT}`, "rules[].destination.account"],
    },
    {
        title: "refuses a zone store created with a provider that assumes a role in another account",
        stack: "eu-west-1",
        edit: (e) => {
            const p = e.provider("eu-west-1", "partner");
            e.get("partner").inputs = {
                region: "eu-west-1",
                assumeRoles: [{ roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/deployer` }],
            };
            euQueue(e, "eu-partner-queue");
            e.get("eu-partner-queue").provider = p;
        },
        findings: [[FLOW, "eu-partner-queue"]],
        parts: ["eu-partner-queue", OTHER_ACCOUNT],
    },

    // ---- 5. unknowns at preview are never "none" ------------------------------------------------
    {
        title: "fails closed on S3 replication of the EU bucket whose rules are not known until apply",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "eu-replication", {
                bucket: EU.bucket,
                role: arn("iam", "", "role/replication"),
                rules: UNKNOWN,
            }),
        findings: [[FLOW, "eu-replication"]],
        parts: [EU_BUCKET, "not known until apply"],
    },
    {
        title: "fails closed on an export of the EU table to a bucket not known until apply",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:dynamodb/tableExport:TableExport", "eu-export", {
                tableArn: EU.tableArn,
                s3Bucket: UNKNOWN,
            }),
        findings: [[FLOW, "eu-export"]],
        parts: [EU_TABLE, "s3Bucket", "not known until apply"],
    },
    {
        title: "fails closed on a Firehose fed with EU logs whose destination bucket is not known until apply",
        stack: "eu-west-1",
        edit: (e) => {
            const fh = firehoseToS3(e, "eu-logs-firehose", "eu-logs", UNKNOWN, "eu");
            subscribeEuLogs(e, fh);
        },
        findings: [[FLOW, "eu-logs-firehose"]],
        parts: [
            "zone 'eu' data of aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream 'eu-logs-firehose'",
            "extendedS3Configuration.bucketArn",
            "not known until apply",
        ],
    },
    {
        title: "fails closed on an EU table whose replica list is not known until apply",
        stack: "eu-west-1",
        edit: (e) => e.set("residency-table", (i) => (i.replicas = UNKNOWN)),
        findings: [[REPLICATION, "residency-table"]],
        parts: [EU_TABLE, "replicas not known until apply"],
    },
    {
        title: "fails closed on an EU key whose policy is not known until apply",
        stack: "eu-west-1",
        edit: (e) => e.set("residency-key", (i) => (i.policy = UNKNOWN)),
        findings: [[FLOW, "residency-key"]],
        parts: [EU_KEY, "resource policy (policy) not known until apply"],
    },
    {
        title: "fails closed on a mover whose source is unknown and depends on no store the stack shows",
        stack: "eu-west-1",
        edit: (e) =>
            e.add(
                "aws:dynamodb/tableExport:TableExport",
                "mystery-export",
                { tableArn: UNKNOWN, s3Bucket: US_ASSETS },
                {
                    deps: {
                        tableArn: [
                            "urn:pulumi:eu-west-1::taskflow::aws:dynamodb/table:Table::gone",
                        ],
                    },
                },
            ),
        findings: [[FLOW, "mystery-export"]],
        parts: ["tableArn", "not known until apply"],
    },
    {
        title: "fails closed on a zone queue whose dead-letter target is not known until apply and has no property dependency",
        stack: "eu-west-1",
        edit: (e) => euQueue(e, "eu-queue", { redrivePolicy: UNKNOWN }),
        findings: [[FLOW, "eu-queue"]],
        parts: ["a destination not known until apply at redrivePolicy{}", "no property dependency"],
    },
    {
        title: "fails closed on a zone queue whose unknown dead-letter target depends on a resource the stack does not show",
        stack: "eu-west-1",
        edit: (e) => {
            euQueue(e, "eu-queue", { redrivePolicy: UNKNOWN });
            e.get("eu-queue").propertyDependencies = {
                redrivePolicy: ["urn:pulumi:us-east-1::taskflow::aws:sqs/queue:Queue::dlq"],
            };
        },
        findings: [[FLOW, "eu-queue"]],
        parts: ["a destination not known until apply at redrivePolicy{}"],
    },
    {
        title: "fails closed on an EU store whose region is not known until apply",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:sqs/queue:Queue", "eu-queue", {
                name: "eu-queue",
                region: UNKNOWN,
                ...tagged("eu"),
            }),
        findings: [[REGION, "eu-queue"]],
        parts: ["no provable region", "unknown until apply"],
    },

    // ---- 6. names are no proof ------------------------------------------------------------------
    {
        title: "refuses S3 replication of the EU bucket to a bucket named by the eu convention that no plan shows",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "eu-replication", {
                bucket: EU.bucket,
                role: arn("iam", "", "role/replication"),
                rules: [
                    {
                        status: "Enabled",
                        destination: { bucket: "arn:aws:s3:::taskflow-prod-backup-eu-eu-west-1" },
                    },
                ],
            }),
        findings: [[FLOW, "eu-replication"]],
        parts: ["taskflow-prod-backup-eu-eu-west-1", "a name is no proof of where a store is"],
    },
    {
        title: "refuses a DataSync task from a location the stack cannot see into the EU-named bucket's region",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws:datasync/task:Task", "pull-in", {
                sourceLocationArn: arn("datasync", "eu-west-1", "location/loc-unknown"),
                destinationLocationArn: arn("datasync", "eu-west-1", "location/loc-unknown-2"),
            }),
        findings: [[FLOW, "pull-in"]],
        parts: ["loc-unknown", "cannot be proven"],
    },
    {
        title: "refuses the global stack's S3 replication to an assets bucket the pack's config does not declare",
        stack: "global",
        edit: (e) =>
            e.set("assets-replication-config", (i) => {
                i.rules[0].destination.bucket = `arn:aws:s3:::taskflow-prod-assets-${ACCOUNT}-global-ap-southeast-2`;
            }),
        findings: [[FLOW, "assets-replication-config"]],
        parts: [`taskflow-prod-assets-${ACCOUNT}-global-ap-southeast-2`, "names are no proof"],
    },

    // ---- 7. classification of everything that can hold data -------------------------------------
    ...(
        [
            ["aws:sqs/queue:Queue", "untagged-queue", { name: "q" }, "eu-west-1"],
            [
                "aws:kinesis/stream:Stream",
                "untagged-stream",
                { name: "s", shardCount: 1 },
                "ap-northeast-1",
            ],
            [
                "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
                "untagged-firehose",
                { name: "f", destination: "extended_s3" },
                "us-east-1",
            ],
            ["aws:efs/fileSystem:FileSystem", "untagged-efs", { encrypted: true }, "eu-west-1"],
            [
                "aws:docdb/cluster:Cluster",
                "untagged-docdb",
                { clusterIdentifier: "docs", storageEncrypted: true },
                "eu-west-1",
            ],
            [
                "aws:redshift/cluster:Cluster",
                "untagged-warehouse",
                { clusterIdentifier: "dw", nodeType: "ra3.xlplus", encrypted: true },
                "us-east-1",
            ],
            [
                "aws:opensearch/domain:Domain",
                "untagged-search",
                { domainName: "search" },
                "ap-northeast-1",
            ],
            [
                "aws:neptune/cluster:Cluster",
                "untagged-graph",
                { clusterIdentifier: "g" },
                "eu-west-1",
            ],
            ["aws:memorydb/cluster:Cluster", "untagged-memorydb", { name: "m" }, "us-east-1"],
            ["aws:newstore/vault:Vault", "untagged-new-store", { name: "v" }, "eu-west-1"],
        ] as [string, string, Record<string, unknown>, Stack][]
    ).map(([type, name, inputs, stack]): CatalogueCase => ({
        title: `requires a residency tag on a new ${type.split(":")[1]} (${type.split(":")[2]}) in ${stack}`,
        stack,
        edit: (e) => e.add(type, name, inputs),
        findings: [[UNCLASSIFIED, name]],
        parts: ["has no 'data-residency' tag"],
    })),
    {
        title: "requires a residency tag on the real stack's SNS topic",
        stack: "eu-west-1",
        edit: (e) => e.set("cell-alarms", (i) => delete i.tags["data-residency"]),
        findings: [[UNCLASSIFIED, "cell-alarms"]],
        parts: ["aws:sns/topic:Topic 'cell-alarms'", "has no 'data-residency' tag"],
    },
    {
        title: "requires a residency tag on the real stack's secret",
        stack: "ap-northeast-1",
        edit: (e) => e.set("global-data-cache-auth-secret", (i) => delete i.tags["data-residency"]),
        findings: [[UNCLASSIFIED, "global-data-cache-auth-secret"]],
        parts: ["has no 'data-residency' tag"],
    },
    {
        title: "refuses a residency tag value in another case ('EU')",
        stack: "eu-west-1",
        edit: (e) => e.set("residency-table", (i) => (i.tags["data-residency"] = "EU")),
        findings: [
            [UNCLASSIFIED, "residency-table"],
            // the store's residency name no longer matches its tag
            [NAME, "residency-table"],
        ],
        parts: [`values are exact: 'eu', not "EU"`],
    },
    {
        title: "refuses a residency tag value with surrounding whitespace (' eu')",
        stack: "eu-west-1",
        edit: (e) => e.set("residency-bucket", (i) => (i.tags["data-residency"] = " eu")),
        findings: [
            [UNCLASSIFIED, "residency-bucket"],
            [NAME, "residency-bucket"],
        ],
        parts: [`values are exact: 'eu', not " eu"`],
    },
    {
        title: "refuses a residency tag key in another case ('Data-Residency')",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("residency-db", (i) => {
                delete i.tags["data-residency"];
                i.tags["Data-Residency"] = "eu";
            }),
        findings: [
            [UNCLASSIFIED, "residency-db"],
            [NAME, "residency-db"],
        ],
        parts: ["a tag 'Data-Residency' is set, but the key is exactly 'data-residency'"],
    },
    {
        title: "refuses a residency tag key with trailing whitespace",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("residency-db-logs", (i) => {
                delete i.tags["data-residency"];
                i.tags["data-residency "] = "eu";
            }),
        findings: [[UNCLASSIFIED, "residency-db-logs"]],
        parts: ["a tag 'data-residency ' is set"],
    },
    {
        title: "refuses a residency tag naming no zone ('europe')",
        stack: "eu-west-1",
        edit: (e) => e.set("residency-key", (i) => (i.tags["data-residency"] = "europe")),
        findings: [[UNCLASSIFIED, "residency-key"]],
        parts: ["zone: 'europe' does not exist"],
    },
    {
        title: "fails closed on a residency tag not known until apply",
        stack: "eu-west-1",
        edit: (e) => e.set("residency-table", (i) => (i.tags["data-residency"] = UNKNOWN)),
        findings: [
            [UNCLASSIFIED, "residency-table"],
            [NAME, "residency-table"],
        ],
        parts: ["not known until apply"],
    },
    {
        title: "refuses a list-form residency tag in another case (aws-native shape)",
        stack: "eu-west-1",
        edit: (e) =>
            e.add("aws-native:sqs:Queue", "native-queue", {
                queueName: "nq",
                tags: [{ key: "data-residency", value: "Eu" }],
            }),
        findings: [[UNCLASSIFIED, "native-queue"]],
        parts: [`values are exact: 'eu', not "Eu"`],
    },

    // ---- 8. zone stores outside their zone and stacks outside the zone --------------------------
    {
        title: "refuses an EU-tagged table created in us-east-1 from the EU stack",
        stack: "eu-west-1",
        edit: (e) =>
            e.copy("residency-table", "eu-in-us", (i, r) => {
                i.name = "taskflow-prod-eu-in-us";
                i.serverSideEncryption.kmsKeyArn = arn("kms", "us-east-1", "key/us");
                r.propertyDependencies = {};
                r.provider = e.provider("us-east-1");
                r.providerRegion = r.region = "us-east-1";
            }),
        findings: [[REGION, "eu-in-us"]],
        parts: ["(zone eu) is in region us-east-1"],
    },
    {
        title: "refuses a US stack creating an EU-tagged store in eu-west-1 (stack outside the zone)",
        stack: "us-east-1",
        edit: (e) =>
            e.copy("cell-alarms", "eu-from-us", (i, r) => {
                i.name = "eu-from-us";
                i.tags = tagged("eu").tags;
                delete i.kmsMasterKeyId;
                r.propertyDependencies = {};
                r.provider = e.provider("eu-west-1");
                r.providerRegion = r.region = "eu-west-1";
            }),
        findings: [[OUTSIDE, "eu-from-us"]],
        parts: ["zone 'eu'", "us-east-1"],
    },
    {
        title: "refuses an EU-tagged store in a US stack that has no default provider (explicit provider only)",
        stack: "us-east-1",
        edit: (e) => {
            const p = e.provider("us-east-1", "main");
            for (const r of e.plan.resources)
                if (r.type.startsWith("aws:") && !r.provider) r.provider = p;
            e.add(
                "aws:sqs/queue:Queue",
                "eu-data-in-us",
                { name: "q", ...tagged("eu") },
                { provider: p },
            );
        },
        findings: [
            [OUTSIDE, "eu-data-in-us"],
            [REGION, "eu-data-in-us"],
        ],
        parts: ["zone 'eu'", "us-east-1"],
    },
    {
        title: "refuses an EU-tagged store placed in eu-west-1 by its region input from a US stack whose only provider is named otherwise",
        stack: "us-east-1",
        edit: (e) => {
            const p = e.provider("us-east-1", "us-primary");
            for (const r of e.plan.resources)
                if (r.type.startsWith("aws:") && !r.provider) r.provider = p;
            e.add(
                "aws:sqs/queue:Queue",
                "eu-data-via-region-input",
                { name: "q", region: "eu-west-1", ...tagged("eu") },
                { provider: p },
            );
        },
        findings: [[OUTSIDE, "eu-data-via-region-input"]],
        parts: ["zone 'eu'"],
    },

    // ---- 9. the edge pin comes from the zone ----------------------------------------------------
    {
        title: "refuses the EU continent's geolocation record sending GDPR viewers to us-east-1",
        stack: "global",
        edit: (e) =>
            e.set("edge-geo-continent-EU", (i) => {
                i.aliases[0].name = "us-east-1.api.taskflow.example.com";
            }),
        findings: [[EDGE, "edge-geo-continent-EU"]],
        parts: ["continent EU", "leads to us-east-1", "zone 'eu' (eu-west-1)"],
    },
    {
        title: "refuses a GDPR country's geolocation record (DE) sending viewers to us-east-1",
        stack: "global",
        edit: (e) => {
            const r = JSON.parse(
                JSON.stringify(e.get("edge-geo-country-US")),
            ) as (typeof e.plan.resources)[0];
            r.name = "edge-geo-country-DE";
            r.urn = r.urn.replace(/edge-geo-country-US$/, "edge-geo-country-DE");
            r.inputs.geolocationRoutingPolicies = [{ country: "DE" }];
            r.inputs.setIdentifier = "geo-country-DE";
            e.plan.resources.push(r);
        },
        findings: [[EDGE, "edge-geo-country-DE"]],
        parts: ["country DE", "leads to us-east-1"],
    },
    {
        title: "fails closed on a GDPR geolocation record whose target the stack cannot resolve",
        stack: "global",
        edit: (e) =>
            e.set("edge-geo-continent-EU", (i) => {
                i.aliases[0].name = "elsewhere.example.net";
            }),
        findings: [[EDGE, "edge-geo-continent-EU"]],
        parts: ["continent EU", "do not resolve to a region (fail closed)"],
    },
    {
        title: "refuses the EU failover record's primary moving to us-east-1 (the pin follows the records)",
        stack: "global",
        edit: (e) =>
            e.set("edge-failover-eu-west-1-primary", (i) => {
                i.aliases[0].name = "cell-alb-5499a89-1946599486.us-east-1.elb.amazonaws.com";
            }),
        findings: [
            [EDGE, "edge-geo-continent-EU"],
            [EDGE, "edge-geo-country-GB"],
        ],
        parts: ["continent EU", "leads to us-east-1"],
    },
    {
        title: "refuses a residency router tagged for another zone than the pack's GDPR zone",
        stack: "global",
        edit: (e) =>
            e.set("edge-router", (i) => {
                i.tags["taskflow:residency-zone"] = "us";
                i.tags["taskflow:resident-origin"] = "us-east-1.api.taskflow.example.com";
            }),
        findings: [[EDGE, "edge-router"]],
        parts: [`residency router for zone "us"`],
    },
    {
        title: "refuses a residency router pinning GDPR viewers to an origin in us-east-1",
        stack: "global",
        edit: (e) =>
            e.set("edge-router", (i) => {
                i.tags["taskflow:residency-zone"] = "eu";
                i.tags["taskflow:resident-origin"] = "us-east-1.api.taskflow.example.com";
            }),
        findings: [[EDGE, "edge-router"]],
        parts: ["pins GDPR viewers to us-east-1.api.taskflow.example.com", "leads to us-east-1"],
    },
    // Composite alarms: the real eu-west-1 stack's (its own region's alarms, its own region's
    // topic) passes in the real-stacks spec; the rule's alarms are read in place (like a metric
    // alarm's metrics), so one outside the zone that watches a zone store is refused.
    {
        title: "refuses a composite alarm in us-east-1 whose rule watches an EU store",
        stack: "eu-west-1",
        edit: (e) =>
            e.copy("region-health-alarm", "eu-health-in-us", (i, r) => {
                i.region = "us-east-1";
                r.providerRegion = r.region = "us-east-1";
                r.propertyDependencies = { alarmRule: [e.urn("residency-table")] };
            }),
        findings: [[FLOW, "eu-health-in-us"]],
        parts: [EU_TABLE, "metric source (alarmRule)", "in region us-east-1"],
    },
    // Logs. Each region's ALB and S3 server access logs land in its SSE-S3 landing bucket
    // (cell-alb-logs), which replicates into the region's log archive; the EU ones are zone eu
    // data: the ALB serves the GDPR viewers the edge pins to eu-west-1. ALB access logs go only
    // to a bucket of the load balancer's Region
    // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html);
    // S3 server access logs only to one of the source's Region and account
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_s3Buckets_LoggingEnabled.html). The
    // real stacks pass (catalogue.spec.ts); each change below carries EU logs out of the zone.
    {
        title: "refuses S3 server access logs of the EU bucket delivered to the us-east-1 log archive",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("log-archive-logging-residency", (i) => {
                i.targetBucket = US_LOG_ARCHIVE;
            }),
        findings: [[FLOW, "log-archive-logging-residency"]],
        parts: [EU_BUCKET, "targetBucket", "us-east-1"],
    },
    {
        title: "refuses the EU ALB writing its access logs to a global-zone bucket in eu-west-1",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("cell-alb", (i) => {
                i.accessLogs.bucket = `taskflow-prod-assets-${ACCOUNT}-global-eu-west-1`;
            }),
        findings: [[FLOW, "cell-alb"]],
        parts: ["request logs", "global-data-assets", "accessLogs.bucket", "classified 'global'"],
    },
    {
        title: "refuses the EU ALB writing its access logs to the us-east-1 log archive",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("cell-alb", (i) => {
                i.accessLogs.bucket = US_LOG_ARCHIVE;
            }),
        findings: [[FLOW, "cell-alb"]],
        parts: ["request logs", "accessLogs.bucket", "us-east-1"],
    },
    {
        title: "refuses the EU ALB's log landing bucket classified global (as it was before the archives)",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("cell-alb-logs", (i) => {
                i.tags["data-residency"] = "global";
            }),
        findings: [
            [FLOW, "cell-alb"],
            // The S3 server access logs of the EU stores land there too.
            [FLOW, "log-archive-logging-residency"],
            [FLOW, "log-archive-logging-log-archive"],
        ],
        parts: ["request logs", "accessLogs.bucket", "cell-alb-logs", "classified 'global'"],
    },
    {
        title: "refuses the EU log landing bucket replicating into the us-east-1 log archive",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("log-archive-replication", (i) => {
                i.rules[0].destination.bucket = `arn:aws:s3:::${US_LOG_ARCHIVE}`;
            }),
        findings: [[FLOW, "log-archive-replication"]],
        parts: ["cell-alb-logs", "rules[].destination.bucket", "us-east-1"],
    },
    {
        title: "refuses the EU ALB writing its connection logs to the us-east-1 log archive",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("cell-alb", (i) => {
                i.connectionLogs = { bucket: US_LOG_ARCHIVE, enabled: true };
            }),
        findings: [[FLOW, "cell-alb"]],
        parts: ["request logs", "connectionLogs.bucket", US_LOG_ARCHIVE],
    },
    {
        title: "refuses the EU landing bucket granting PutObject to the us-east-1 ELB log-delivery account",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("cell-alb-logs-policy", (i) => {
                const d = JSON.parse(i.policy);
                d.Statement[0].Principal = { AWS: "arn:aws:iam::127311923021:root" };
                i.policy = JSON.stringify(d);
            }),
        findings: [[FLOW, "cell-alb-logs-policy"]],
        parts: ["account 127311923021", "AlbAccessLogDelivery"],
    },
    {
        title: "refuses the EU landing bucket letting the eu-west-1 ELB log-delivery account read logs back",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("cell-alb-logs-policy", (i) => {
                const d = JSON.parse(i.policy);
                d.Statement[0].Action = ["s3:PutObject", "s3:GetObject"];
                i.policy = JSON.stringify(d);
            }),
        findings: [[FLOW, "cell-alb-logs-policy"]],
        parts: ["account 156460612806", "AlbAccessLogDelivery"],
    },
    // The landing bucket admits logging.s3.amazonaws.com for named source buckets
    // (aws:SourceArn) of the stack's account (aws:SourceAccount), as AWS's example policy does
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html);
    // the real stacks pass with both. An S3 bucket ARN names no account (bucket names are global
    // across accounts), so the source ARNs alone do not keep the grant in the account.
    {
        title: "refuses the EU landing bucket admitting S3 server access logs pinned only by source bucket ARNs",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("cell-alb-logs-policy", (i) => {
                const d = JSON.parse(i.policy);
                const s3 = d.Statement.find((s: any) => s.Sid === "S3ServerAccessLogDelivery");
                delete s3.Condition.StringEquals;
                i.policy = JSON.stringify(d);
            }),
        findings: [[FLOW, "cell-alb-logs-policy"]],
        parts: ["logging.s3.amazonaws.com", "S3ServerAccessLogDelivery", "not pinned"],
    },
    {
        title: "refuses the EU landing bucket admitting S3 server access logs of another account",
        stack: "eu-west-1",
        edit: (e) =>
            e.set("cell-alb-logs-policy", (i) => {
                const d = JSON.parse(i.policy);
                const s3 = d.Statement.find((s: any) => s.Sid === "S3ServerAccessLogDelivery");
                s3.Condition.StringEquals["aws:SourceAccount"] = OTHER_ACCOUNT;
                i.policy = JSON.stringify(d);
            }),
        findings: [[FLOW, "cell-alb-logs-policy"]],
        parts: ["logging.s3.amazonaws.com", "S3ServerAccessLogDelivery", "not pinned"],
    },
    // FIS experiment templates act, as their role, on their targets in their own Region and
    // account, and write their experiment logs where logConfiguration says
    // (https://docs.aws.amazon.com/fis/latest/userguide/monitoring-logging.html). The real
    // eu-west-1 drills (its own tasks, subnets and rule) pass in the drills spec.
    {
        title: "refuses an FIS template in us-east-1 that stops the EU cell's tasks",
        stack: "eu-west-1",
        edit: (e) => fisTemplate(e, "us-east-1", "eu-drill-in-us"),
        findings: [[FLOW, "eu-drill-in-us"]],
        parts: [EU_TABLE, "in region us-east-1"],
    },
    {
        title: "refuses an FIS template in eu-west-1 whose experiment log goes to a us-east-1 log group",
        stack: "eu-west-1",
        edit: (e) =>
            fisTemplate(e, "eu-west-1", "eu-drill-logs-out", {
                logConfiguration: {
                    logSchemaVersion: 2,
                    cloudwatchLogsConfiguration: {
                        logGroupArn: arn("logs", "us-east-1", "log-group:/fis/drills:*"),
                    },
                },
            }),
        findings: [[FLOW, "eu-drill-logs-out"]],
        parts: ["logConfiguration.cloudwatchLogsConfiguration.logGroupArn"],
    },
    {
        title: "refuses an FIS template in us-east-1 that targets the EU table by ARN (role reads nothing of the zone)",
        stack: "eu-west-1",
        edit: (e) =>
            fisTemplate(
                e,
                "us-east-1",
                "eu-table-drill-in-us",
                {
                    actions: [
                        {
                            name: "pause",
                            actionId: "aws:dynamodb:global-table-pause-replication",
                            target: { key: "Tables", value: "tables" },
                        },
                    ],
                    targets: [
                        {
                            name: "tables",
                            resourceType: "aws:dynamodb:global-table",
                            selectionMode: "ALL",
                            resourceArns: [EU.tableArn],
                        },
                    ],
                },
                identity("cloudwatch:DescribeAlarms", "*"),
            ),
        findings: [[FLOW, "eu-table-drill-in-us"]],
        parts: [EU_TABLE, "targets", "in region us-east-1"],
    },
];

/**
 * An FIS template stopping the EU cell's tasks (targets by cluster and service), as a role that
 * reads the EU table, in `region`.
 */
function fisTemplate(
    e: Edit,
    region: string,
    name: string,
    extra: Record<string, unknown> = {},
    policy = identity("dynamodb:GetItem", EU.tableArn),
): void {
    const role = arn("iam", "", `role/${name}-role`);
    e.add(
        "aws:iam/role:Role",
        `${name}-role`,
        { name: `${name}-role` },
        { outputs: { arn: role } },
    );
    e.add(
        "aws:iam/rolePolicy:RolePolicy",
        `${name}-policy`,
        { role: `${name}-role`, policy },
        { deps: { role: [e.urn(`${name}-role`)] } },
    );
    const cluster = e.get("cell-ecs");
    const service = e.get("cell-service");
    e.add(
        "aws:fis/experimentTemplate:ExperimentTemplate",
        name,
        {
            region,
            description: "stop the EU cell's tasks",
            roleArn: role,
            stopConditions: [{ source: "none" }],
            actions: [
                {
                    name: "stop",
                    actionId: "aws:ecs:stop-task",
                    target: { key: "Tasks", value: "tasks" },
                },
            ],
            targets: [
                {
                    name: "tasks",
                    resourceType: "aws:ecs:task",
                    selectionMode: "ALL",
                    parameters: {
                        cluster: cluster.inputs.name ?? cluster.outputs?.name,
                        service: service.inputs.name,
                    },
                },
            ],
            ...extra,
        },
        {
            region,
            deps: { roleArn: [e.urn(`${name}-role`)], targets: [service.urn, cluster.urn] },
        },
    );
}
