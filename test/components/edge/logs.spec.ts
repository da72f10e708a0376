/**
 * The edge's logs: CloudFront standard logging (v2) and WAF logging into the global zone's
 * archive in us-east-1, on the planned global stack, plus what literal args change.
 *
 * AWS behaviour modelled (cited in components/edge/logs.ts and log-rules.ts too):
 * - v2 delivery for CloudFront is configured in us-east-1 only, the destination may be elsewhere
 *   (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html;
 *   https://github.com/terraform-aws-modules/terraform-aws-cloudfront/issues/197);
 * - a delivery selects its record fields from the standard-log fields
 *   (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html#BasicDistributionFileFormat)
 *   and the real-time subset (c-country);
 * - WAF writes to an `aws-waf-logs-` bucket of its account, SSE-KMS allowed
 *   (https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html), redacts only a single
 *   header, the query string, the URI path and the method, and filters records by action
 *   (https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html,
 *   https://docs.aws.amazon.com/waf/latest/APIReference/API_ActionCondition.html);
 * - log delivery writes as delivery.logs.amazonaws.com under AWSLogs/<account>/
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-S3.html);
 * - S3 server access logs go to a bucket of the source's Region and account without SSE-KMS
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_s3Buckets_LoggingEnabled.html), whose
 *   policy admits logging.s3.amazonaws.com for the source bucket and account
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
 */
import { expect } from "chai";
import { planEdgeRouting } from "../../../components/edge";
import {
    CLOUDFRONT_LOG_FIELDS,
    CLOUDFRONT_PERSONAL_FIELDS,
    edgeLogBucketName,
} from "../../../components/edge/log-rules";
import { admittedTarget } from "../../../components/edge/log-access";
import { bucketNameOfArn } from "../../../components/edge/log-replication";
import { RecordedResource } from "../../../plan/mocks";
import { T } from "../../../policies/types";
import { buildUnderMocks } from "../../helpers/component";
import { repoPlan } from "../../helpers/repo-plan";
import { EdgeRouting, EdgeRoutingArgs } from "../../../components/edge";

/** The standard-log fields AWS documents (BasicDistributionFileFormat), and v2's c-country. */
const AWS_FIELDS = [
    "date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem",
    "sc-status", "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)",
    "x-edge-result-type", "x-edge-request-id", "x-host-header", "cs-protocol", "cs-bytes",
    "time-taken", "x-forwarded-for", "ssl-protocol", "ssl-cipher", "x-edge-response-result-type",
    "cs-protocol-version", "fle-status", "fle-encrypted-fields", "c-port", "time-to-first-byte",
    "x-edge-detailed-result-type", "sc-content-type", "sc-content-len", "sc-range-start",
    "sc-range-end", "c-country",
]; // prettier-ignore

type Doc = { Statement: Record<string, any>[] };
const doc = (r: RecordedResource, key = "policy") => JSON.parse(String(r.inputs[key])) as Doc;

describe("edge logs", function () {
    this.timeout(60000);

    describe("on the planned global stack", () => {
        let g: Awaited<ReturnType<typeof repoPlan>>[number];
        let usArchive: Record<string, string>;
        let usLanding: { bucketName: string; s3LogSources: string[]; classification: string };
        const named = (n: string) => g.mocks.named(n);
        const bucketArn = () => String(named("edge-logs").outputs.arn);
        before(async () => {
            const planned = await repoPlan();
            g = planned.find((p) => p.config.role === "global")!;
            const us = planned.find((p) => p.plan.stack === "us-east-1")!;
            usArchive = us.outputs.logArchive as Record<string, string>;
            usLanding = us.outputs.logLanding as typeof usLanding;
        });

        it("sends the archive's S3 server access logs to the us-east-1 stack's global landing bucket, which admits them", () => {
            const logging = named("edge-logs-logging");
            expect(logging.type).to.equal(T.bucketLogging);
            expect(logging.region).to.equal("us-east-1");
            const bucket = String(named("edge-logs").inputs.bucket);
            expect(logging.inputs).to.deep.include({
                bucket,
                targetBucket: usLanding.bucketName,
                targetPrefix: "s3/edge-logs/",
            });
            expect(usLanding.classification).to.equal("global");
            expect(usLanding.s3LogSources).to.include(bucket);
        });

        it("delivers the distribution's standard logs (v2) from us-east-1 to the edge archive", () => {
            const source = named("edge-cdn-logs-source");
            const destination = named("edge-cdn-logs-destination");
            const delivery = named("edge-cdn-logs");
            expect(source.type).to.equal(T.logDeliverySource);
            expect(source.inputs).to.include({
                logType: "ACCESS_LOGS",
                resourceArn: named("edge-cdn").outputs.arn,
                region: "us-east-1",
            });
            expect(destination.region).to.equal("us-east-1");
            expect(destination.inputs.deliveryDestinationConfiguration).to.deep.equal({
                destinationResourceArn: bucketArn(),
            });
            expect(delivery.region).to.equal("us-east-1");
            expect(delivery.inputs).to.include({
                deliverySourceName: source.inputs.name,
                deliveryDestinationArn: destination.outputs.arn,
            });
            // Created once the bucket policy lets log delivery write.
            expect(delivery.options.dependsOn).to.include(named("edge-logs-policy").urn);
        });

        it("delivers only documented fields, none that identifies or tracks a viewer", () => {
            const fields = named("edge-cdn-logs").inputs.recordFields as string[];
            expect(fields).to.deep.equal([...CLOUDFRONT_LOG_FIELDS]);
            expect(fields.filter((f) => !AWS_FIELDS.includes(f))).to.deep.equal([]);
            expect(fields).to.not.include.members(["c-ip"]);
            for (const f of CLOUDFRONT_PERSONAL_FIELDS) expect(fields, f).to.not.include(f);
            // The viewer country stays: it is what the residency router decides on.
            expect(fields).to.include("c-country");
        });

        it("logs the web ACL to the same archive with credentials redacted and allowed requests dropped", () => {
            const waf = named("edge-waf-logs");
            expect(waf.type).to.equal(T.wafLogging);
            expect(waf.region).to.equal("us-east-1");
            expect(waf.inputs.resourceArn).to.equal(named("edge-waf").outputs.arn);
            expect(waf.inputs.logDestinationConfigs).to.deep.equal([bucketArn()]);
            expect(bucketArn()).to.match(/^arn:aws:s3:::aws-waf-logs-/);
            const redacted = waf.inputs.redactedFields as Record<string, any>[];
            expect(redacted.map((f) => f.singleHeader?.name).filter(Boolean)).to.have.members([
                "authorization",
                "cookie",
            ]);
            expect(redacted.some((f) => f.queryString !== undefined)).to.equal(true);
            const filter = waf.inputs.loggingFilter as Record<string, any>;
            expect(filter.defaultBehavior).to.equal("DROP");
            const kept = (filter.filters as any[]).flatMap((f) =>
                f.behavior === "KEEP" ? f.conditions.map((c: any) => c.actionCondition.action) : [],
            );
            expect(kept).to.include.members(["BLOCK", "COUNT"]).and.not.include("ALLOW");
            expect(waf.options.dependsOn).to.include(named("edge-logs-policy").urn);
        });

        it("keeps the archive in us-east-1, classified global, private, KMS-encrypted and expiring", () => {
            const bucket = named("edge-logs");
            expect(bucket.region).to.equal("us-east-1");
            expect((bucket.inputs.tags as Record<string, string>)["data-residency"]).to.equal(
                "global",
            );
            const key = named("edge-logs-kms");
            expect(key.region).to.equal("us-east-1");
            const sse = (named("edge-logs-sse").inputs.rules as any[])[0];
            expect(sse.applyServerSideEncryptionByDefault).to.deep.equal({
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: key.outputs.arn,
            });
            expect(named("edge-logs-pab").inputs).to.include({
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            expect(named("edge-logs-ownership").inputs.rule).to.deep.equal({
                objectOwnership: "BucketOwnerEnforced",
            });
            // A landing copy only: the archive keeps the replica for its own retention.
            const rule = (named("edge-logs-lifecycle").inputs.rules as any[])[0];
            expect(rule.expiration).to.deep.equal({ days: 7 });
        });

        it("replicates every object into the us-east-1 stack's global log archive, same Region", () => {
            const rep = named("edge-logs-replication");
            expect(rep.region).to.equal("us-east-1");
            expect(rep.inputs.bucket).to.equal(
                named("edge-logs").outputs.bucket ?? named("edge-logs").id,
            );
            const rule = (rep.inputs.rules as any[])[0];
            expect(rule.filter).to.deep.equal({ prefix: "" });
            expect(rule.sourceSelectionCriteria).to.deep.equal({
                sseKmsEncryptedObjects: { status: "Enabled" },
            });
            expect(rule.destination.bucket).to.equal(usArchive.bucketArn);
            expect(rule.destination.encryptionConfiguration).to.deep.equal({
                replicaKmsKeyId: usArchive.kmsKeyArn,
            });
            expect(usArchive).to.include({ classification: "global", region: "us-east-1" });
            const st = doc(named("edge-logs-replication-policy")).Statement;
            const decrypt = st.find((x) => [x.Action].flat().includes("kms:Decrypt"))!;
            expect(decrypt.Resource).to.equal(named("edge-logs-kms").outputs.arn);
            expect(rep.options.dependsOn).to.include(named("edge-logs-versioning").urn);
        });

        // The edge bucket keeps objects a week at most: a failed copy must raise an alarm in
        // time. S3 publishes OperationsFailedReplication per source, destination and rule when
        // the rule has replication metrics on
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html).
        it("alarms the edge's topic on failed replication operations of that rule, in us-east-1", () => {
            const rule = (named("edge-logs-replication").inputs.rules as any[])[0];
            expect(rule.destination.metrics).to.deep.equal({ status: "Enabled" });
            const alarm = named("edge-logs-replication-failed-alarm");
            expect(alarm.region).to.equal("us-east-1");
            expect(alarm.inputs).to.include({
                namespace: "AWS/S3",
                metricName: "OperationsFailedReplication",
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
            });
            expect(alarm.inputs.dimensions).to.deep.equal({
                SourceBucket: named("edge-logs").inputs.bucket,
                DestinationBucket: bucketNameOfArn(usArchive.bucketArn),
                RuleId: rule.id,
            });
            expect(alarm.inputs.alarmActions).to.deep.equal([named("edge-alarms").outputs.arn]);
        });

        it("reads a bucket name out of an S3 ARN and refuses anything else", () => {
            expect(bucketNameOfArn("arn:aws:s3:::taskflow-prod-logs")).to.equal(
                "taskflow-prod-logs",
            );
            expect(() => bucketNameOfArn("arn:aws:kms:us-east-1:123456789012:key/x")).to.throw(
                /not an S3 bucket ARN/,
            );
        });

        it("lets only this account's us-east-1 log deliveries write, under AWSLogs/<account>/, over TLS", () => {
            const account = "123456789012";
            const st = doc(named("edge-logs-policy")).Statement;
            const write = st.find((s) => s.Action === "s3:PutObject")!;
            expect(write.Principal).to.deep.equal({ Service: "delivery.logs.amazonaws.com" });
            expect(write.Resource).to.equal(`${bucketArn()}/AWSLogs/${account}/*`);
            expect(write.Condition.StringEquals["aws:SourceAccount"]).to.equal(account);
            expect(write.Condition.ArnLike["aws:SourceArn"]).to.equal(
                `arn:aws:logs:us-east-1:${account}:*`,
            );
            const deny = st.find((s) => s.Effect === "Deny")!;
            expect(deny.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
            for (const s of st.filter((x) => x.Effect === "Allow"))
                expect(String(s.Action)).to.not.contain("*");
        });

        it("lets log delivery use the archive key only for this account's us-east-1 deliveries", () => {
            const st = doc(named("edge-logs-kms")).Statement;
            const delivery = st.find(
                (s) => s.Principal?.Service === "delivery.logs.amazonaws.com",
            )!;
            expect(delivery.Condition.ArnLike["aws:SourceArn"]).to.equal(
                "arn:aws:logs:us-east-1:123456789012:*",
            );
            for (const s of st) for (const a of [s.Action].flat()) expect(a).to.not.contain("*");
        });
    });

    describe("from literal args", () => {
        const topology = {
            org: "acme",
            project: "taskflow",
            globalStack: "edge",
            domain: "example.org",
            zones: { eu: ["eu-west-1"], us: ["us-east-1"] },
            gdprZone: "eu",
            regions: ["us-east-1", "eu-west-1"].map((region, i) => ({
                region,
                stack: region,
                primary: i === 0,
                failover: i === 0 ? "eu-west-1" : "us-east-1",
                zone: i === 0 ? "us" : "eu",
                vpcCidr: `10.${i + 1}.0.0/16`,
                geolocation:
                    i === 0
                        ? { countries: ["US"], continents: [] }
                        : { countries: [], continents: ["EU"] },
                globalData: true,
            })),
        };
        const endpoint = (region: string) => ({
            albDnsName: `alb.${region}.elb.amazonaws.com`,
            albZoneId: "ZALB",
            albArn: `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/app/a/1`,
            healthCheckFqdn: `${region}.origin.example.org`,
            healthCheckPath: "/health",
        });
        const BASE: EdgeRoutingArgs = {
            topology,
            regions: { "us-east-1": endpoint("us-east-1"), "eu-west-1": endpoint("eu-west-1") },
            hostedZoneId: "ZLITERAL0001",
            originHeaderSecret: "literal-secret",
        };

        it("names the bucket for its environment, keeps logs for the days it is given, replicates nowhere unless given an archive", async () => {
            const b = await buildUnderMocks("us-east-1", () => {
                new EdgeRouting("edge", { ...BASE, environment: "stage", logRetentionDays: 30 });
            });
            expect(b.named("edge-logs").inputs.bucket).to.equal(
                // The account id (the mocks' caller identity) keeps accounts' names apart.
                "aws-waf-logs-taskflow-stage-123456789012-global-us-east-1",
            );
            const rule = (b.named("edge-logs-lifecycle").inputs.rules as any[])[0];
            expect(rule.expiration).to.deep.equal({ days: 30 });
            expect(b.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")).to.be.empty;
        });

        it("keeps logs 90 days without an archive, 7 with one", () => {
            expect(planEdgeRouting("edge", BASE).logRetentionDays).to.equal(90);
            const archived = planEdgeRouting("edge", {
                ...BASE,
                logArchive: {
                    bucketArn: "arn:aws:s3:::a",
                    kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k",
                },
            });
            expect(archived.logRetentionDays).to.equal(7);
        });

        for (const bad of [0, 3651, 1.5]) {
            it(`refuses logRetentionDays ${bad} before registering anything`, () => {
                expect(() => planEdgeRouting("edge", { ...BASE, logRetentionDays: bad })).to.throw(
                    `EdgeRouting "edge": logRetentionDays ${bad} is not allowed; an integer from 1 to 3650`,
                );
            });
        }

        it("logs its bucket's access only when given a landing bucket that admits it", async () => {
            const own = "aws-waf-logs-taskflow-prod-123456789012-global-us-east-1";
            const b = await buildUnderMocks("us-east-1", () => {
                new EdgeRouting("edge", {
                    ...BASE,
                    accessLogs: { bucketName: "landing", s3LogSources: ["other", own] },
                });
            });
            expect(b.named("edge-logs-logging").inputs).to.deep.include({
                bucket: own,
                targetBucket: "landing",
                targetPrefix: "s3/edge-logs/",
            });
            const bare = await buildUnderMocks("us-east-1", () => {
                new EdgeRouting("edge", BASE);
            });
            expect(bare.ofType(T.bucketLogging)).to.be.empty;
        });

        it("refuses a landing bucket whose policy does not admit the edge bucket, naming both", () => {
            expect(admittedTarget("landing", ["a", "b"], "b")).to.equal("landing");
            expect(() =>
                admittedTarget("landing", ["aws-waf-logs-taskflow-prod-1-global-us-east-1"], "x"),
            ).to.throw(
                'the log landing bucket landing does not admit S3 server access logs of x (its policy admits ["aws-waf-logs-taskflow-prod-1-global-us-east-1"])',
            );
        });

        it("refuses an archive name S3 would not accept", () => {
            expect(() => edgeLogBucketName("x".repeat(40), "123456789012", "us-east-1")).to.throw(
                "is not a valid S3 bucket name",
            );
        });
    });
});
