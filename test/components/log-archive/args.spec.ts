// LogArchive from literal args (no stack config): what its args do. The planned stacks' archives
// are asserted in planned.spec.ts.
// S3 server access logs go only to a bucket of the source's Region and account without SSE-KMS
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_s3Buckets_LoggingEnabled.html); Standard-IA
// takes objects 30 days old at the earliest
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html).

import { expect } from "chai";
import { LogArchive, LogArchiveArgs } from "../../../components/log-archive";
import { Built, buildUnderMocks } from "../../helpers/component";
import { admittedLogTarget } from "../../../components/shared/log-target";

type Obj = Record<string, any>;

const LANDING = "landing-bucket-eu";
const ARGS: LogArchiveArgs = {
    region: "eu-west-1",
    classification: "eu",
    zones: ["eu", "us"],
    environment: "test",
    retentionDays: 14,
    landing: { bucketName: LANDING, bucketArn: `arn:aws:s3:::${LANDING}` },
    logged: [{ role: "userdata", bucketName: "userdata-eu" }],
};

const inputs = (b: Built, name: string) => b.named(name).inputs as Obj;

describe("LogArchive (literal args)", function () {
    this.timeout(30000);
    let b: Built;

    before(async () => {
        b = await buildUnderMocks("eu-west-1", () => {
            new LogArchive("logs", ARGS);
        });
    });

    it("names, tags and keys the archive by its classification and region", () => {
        const bucket = inputs(b, "logs-bucket");
        // The account id (the mocks' caller identity) keeps accounts' names apart.
        expect(bucket.bucket).to.equal("taskflow-test-logs-123456789012-eu-eu-west-1");
        expect(bucket.region).to.equal("eu-west-1");
        expect(bucket.tags["data-residency"]).to.equal("eu");
        const key = b.named("logs-key");
        expect(key.region).to.equal("eu-west-1");
        expect((key.inputs as Obj).tags["data-residency"]).to.equal("eu");
        expect((b.named("logs-key-alias").inputs as Obj).name).to.equal(
            "alias/taskflow-test-logs-eu-eu-west-1",
        );
    });

    it("logs the landing bucket, the archive and every given bucket into the landing bucket, one prefix each", () => {
        const loggings = b.ofType("aws:s3/bucketLogging:BucketLogging").map((r) => r.inputs as Obj);
        expect(loggings.map((l) => [l.bucket, l.targetPrefix]).sort()).to.deep.equal(
            [
                [LANDING, "s3/log-landing/"],
                ["taskflow-test-logs-123456789012-eu-eu-west-1", "s3/log-archive/"],
                ["userdata-eu", "s3/userdata/"],
            ].sort(),
        );
        for (const l of loggings) {
            expect(l.targetBucket).to.equal(LANDING);
            expect(l.region).to.equal("eu-west-1");
        }
    });

    it("replicates the whole landing bucket into the archive under the archive's key, with a role of no wildcard action", () => {
        const cfg = inputs(b, "logs-replication");
        expect(cfg.bucket).to.equal(LANDING);
        expect(cfg.region).to.equal("eu-west-1");
        const keyArn = (b.named("logs-key").outputs as Obj).arn;
        expect(cfg.rules).to.have.length(1);
        expect(cfg.rules[0].filter).to.deep.equal({ prefix: "" });
        expect(cfg.rules[0].destination).to.deep.include({
            bucket: "arn:aws:s3:::taskflow-test-logs-123456789012-eu-eu-west-1",
            encryptionConfiguration: { replicaKmsKeyId: keyArn },
        });
        // Expiring a landing object must not delete its archived copy.
        expect(cfg.rules[0].deleteMarkerReplication).to.deep.equal({ status: "Disabled" });
        const doc = JSON.parse(String(inputs(b, "logs-replication-policy").policy)) as {
            Statement: { Action: string[]; Resource: string }[];
        };
        for (const s of doc.Statement) {
            for (const a of s.Action) expect(a).to.not.include("*");
            expect(s.Resource).to.not.equal("*");
        }
    });

    it("publishes replication metrics, and alarms on failed operations only when given topics", async () => {
        const rule = inputs(b, "logs-replication").rules[0];
        expect(rule.destination.metrics).to.deep.equal({ status: "Enabled" });
        expect(b.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")).to.be.empty;
        const topic = "arn:aws:sns:eu-west-1:123456789012:alarms";
        const withTopic = await buildUnderMocks("eu-west-1", () => {
            new LogArchive("alarmed", { ...ARGS, alarmActions: [topic] });
        });
        const [alarm, ...more] = withTopic.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
        expect(more).to.be.empty;
        expect(alarm.region).to.equal("eu-west-1");
        expect(alarm.inputs).to.deep.include({
            namespace: "AWS/S3",
            metricName: "OperationsFailedReplication",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            alarmActions: [topic],
            treatMissingData: "notBreaching",
        });
        const replication = withTopic.named("alarmed-replication").inputs as Obj;
        expect(alarm.inputs.dimensions).to.deep.equal({
            SourceBucket: LANDING,
            DestinationBucket: "taskflow-test-logs-123456789012-eu-eu-west-1",
            RuleId: replication.rules[0].id,
        });
        // Its name carries no bucket name (the EU landing bucket's name is zone data's name).
        expect(String(alarm.inputs.name)).to.equal(
            "taskflow-test-eu-west-1-log-replication-failed",
        );
    });

    it("keeps logs for the given days, in Standard only when that is under 30 days", () => {
        const rule = inputs(b, "logs-lifecycle").rules[0];
        expect(rule.expiration).to.deep.equal({ days: 14 });
        expect(rule.transitions).to.equal(undefined);
    });

    it("moves logs kept longer to Standard-IA after 30 days", async () => {
        const long = await buildUnderMocks("eu-west-1", () => {
            new LogArchive("long", { ...ARGS, retentionDays: 400 });
        });
        const rule = (long.named("long-lifecycle").inputs as Obj).rules[0];
        expect(rule.expiration).to.deep.equal({ days: 400 });
        expect(rule.transitions).to.deep.equal([{ days: 30, storageClass: "STANDARD_IA" }]);
    });

    for (const days of [0, 3654, 1.5]) {
        it(`refuses retentionDays ${days}, naming it and what is allowed`, () => {
            expect(() => new LogArchive(`bad-${days}`, { ...ARGS, retentionDays: days })).to.throw(
                `LogArchive bad-${days}: retentionDays ${days} is not allowed; an integer from 1 to 3653 is required`,
            );
        });
    }

    // S3 drops the records of a source the target's policy does not admit, without an error
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html):
    // given the landing bucket's admitted sources, every logged bucket must be among them.
    it("logs into a landing bucket whose admitted sources are given only when each logged bucket is among them", async () => {
        const archive = "taskflow-test-logs-123456789012-eu-eu-west-1";
        const admitted = [LANDING, archive, "userdata-eu"];
        const ok = await buildUnderMocks("eu-west-1", () => {
            new LogArchive("logs", {
                ...ARGS,
                landing: { ...ARGS.landing, s3LogSources: admitted },
            });
        });
        const targets = ok.ofType("aws:s3/bucketLogging:BucketLogging").map((r) => r.inputs as Obj);
        expect(targets.map((t) => t.targetBucket)).to.deep.equal([LANDING, LANDING, LANDING]);
        // Without userdata-eu among them its target fails (the update stops, naming both):
        expect(() =>
            admittedLogTarget("LogArchive logs", LANDING, [LANDING, archive], "userdata-eu", "fix"),
        ).to.throw(
            `LogArchive logs: the log landing bucket ${LANDING} does not admit S3 server access logs of userdata-eu`,
        );
    });

    it("refuses two logged buckets under one role (their logs would mix under one prefix)", () => {
        expect(
            () =>
                new LogArchive("dup", {
                    ...ARGS,
                    logged: [
                        { role: "a", bucketName: "x" },
                        { role: "a", bucketName: "y" },
                    ],
                }),
        ).to.throw("LogArchive dup: logged bucket role 'a' is given twice");
        expect(
            () =>
                new LogArchive("dup2", {
                    ...ARGS,
                    logged: [{ role: "log-landing", bucketName: "x" }],
                }),
        ).to.throw("role 'log-landing' is given twice");
    });
});
