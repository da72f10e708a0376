// The log archives on the repository's own planned stacks (the shared plan, test/helpers/repo-plan.ts):
// every bucket of every stack logs to a bucket of its own region and zone (the global stack's edge
// log bucket to the us-east-1 region stack's landing bucket, a stack deployed before it), ALB
// access logs land in the region's landing bucket, everything reaches the region's archive, and
// ECS task logs stay in a CloudWatch Logs group of the task's region.
//
// AWS constraints the layout answers:
// - ALB access logs: the bucket must be in the load balancer's Region, SSE-S3 only
//   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html);
//   Regions opened before August 2022 deliver as the regional ELB account.
// - S3 server access logs: the target bucket must be in the source's Region and account and
//   cannot use SSE-KMS default encryption
//   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_s3Buckets_LoggingEnabled.html); its
//   policy admits `logging.s3.amazonaws.com` for the source bucket (`aws:SourceArn`) and account
//   (`aws:SourceAccount`), as AWS's example policy does
//   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
// - Replication re-encrypts SSE-S3 objects under the destination's KMS key
//   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html).

import { expect } from "chai";
import { MOCK_ACCOUNT_ID } from "../../../plan/mocks/context";
import { PlannedStack } from "../../../plan/run";
import { ELB_LOG_DELIVERY_ACCOUNTS } from "../../../policies/log-delivery";
import { repoPlan } from "../../helpers/repo-plan";

type R = PlannedStack["plan"]["resources"][number];
type Obj = Record<string, any>;

const T = {
    bucket: "aws:s3/bucket:Bucket",
    logging: "aws:s3/bucketLogging:BucketLogging",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    key: "aws:kms/key:Key",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    taskDef: "aws:ecs/taskDefinition:TaskDefinition",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
};

const inp = (r: R) => r.inputs as Obj;
const classOf = (r: R) => (inp(r).tags as Record<string, string> | undefined)?.["data-residency"];
const arnRegion = (arn: string) => arn.split(":")[3];

/** One stack's plan, queried. */
class StackView {
    constructor(readonly s: PlannedStack) {}
    get name() {
        return this.s.plan.stack;
    }
    all(type: string): R[] {
        return this.s.plan.resources.filter((r) => r.type === type);
    }
    /** The resource of `type` configuring the bucket `id` (exactly one). */
    of(type: string, bucketId: string): R {
        const rs = this.all(type).filter((r) => inp(r).bucket === bucketId);
        expect(rs, `${this.name}: ${type} of ${bucketId}`).to.have.length(1);
        return rs[0];
    }
    bucketById(id: string): R {
        const b = this.all(T.bucket).find((r) => r.id === id);
        expect(b, `${this.name}: bucket ${id}`).to.not.equal(undefined);
        return b!;
    }
    bucketByArn(arn: string): R {
        return this.bucketById(arn.replace(/^arn:aws:s3:::/, ""));
    }
    archives(): R[] {
        return this.all(T.bucket).filter(
            (b) => inp(b).tags?.["taskflow:purpose"] === "log-archive",
        );
    }
    /** The archive the landing bucket `id` replicates into. */
    archiveOfLanding(id: string): R {
        const rules = inp(this.of(T.replication, id)).rules as Obj[];
        expect(rules).to.have.length(1);
        expect(rules[0].status).to.equal("Enabled");
        return this.bucketByArn(String(rules[0].destination.bucket));
    }
    /** The zone a region stack's logs belong to: its residency boundary's, else global. */
    get logZone(): string {
        return this.s.config.boundary?.zone ?? "global";
    }
}

describe("log archives on every stack's plan", function () {
    this.timeout(120000);
    let stacks: StackView[];
    let regional: StackView[];

    before(async () => {
        stacks = (await repoPlan()).map((s) => new StackView(s));
        regional = stacks.filter((s) => s.s.config.role !== "global");
    });

    /** The region stack holding the bucket `id`, and the bucket (a landing bucket of any stack). */
    const regionalBucket = (id: string): { owner: StackView; bucket: R } => {
        const owner = regional.find((v) => v.all(T.bucket).some((b) => b.id === id));
        expect(owner, `landing bucket ${id} in a region stack`).to.not.equal(undefined);
        return { owner: owner!, bucket: owner!.bucketById(id) };
    };
    /** The landing bucket's statement admitting S3 server access log delivery. */
    const s3LogGrant = (owner: StackView, landingId: string): Obj => {
        const doc = JSON.parse(String(inp(owner.of(T.policy, landingId)).policy)) as {
            Statement: Obj[];
        };
        return doc.Statement.find((s) => s.Sid === "S3ServerAccessLogDelivery")!;
    };

    it("logs every bucket of every stack to a landing bucket of its own region and zone, replicated into that region's archive", () => {
        let buckets = 0;
        for (const v of stacks) {
            for (const b of v.all(T.bucket)) {
                buckets++;
                const where = `${v.name}: ${b.name}`;
                const logging = v.of(T.logging, String(b.id));
                expect(logging.region, where).to.equal(b.region);
                // The global stack's edge bucket logs to the us-east-1 stack's landing bucket.
                const { owner, bucket: landing } = regionalBucket(
                    String(inp(logging).targetBucket),
                );
                expect(landing.region, where).to.equal(b.region);
                expect(inp(logging).targetPrefix, where).to.match(/^s3\/[a-z-]+\/$/);
                // The landing bucket takes S3 log delivery: SSE-S3, never SSE-KMS.
                const sse = inp(owner.of(T.sse, String(landing.id))).rules as Obj[];
                expect(sse[0].applyServerSideEncryptionByDefault.sseAlgorithm, where).to.equal(
                    "AES256",
                );
                // ...and admits this bucket's logs, of this account, under the prefix.
                const grant = s3LogGrant(owner, String(landing.id));
                expect(grant.Condition.ArnLike["aws:SourceArn"], where).to.include(
                    `arn:aws:s3:::${b.id}`,
                );
                expect(grant.Condition.StringEquals["aws:SourceAccount"], where).to.equal(
                    MOCK_ACCOUNT_ID,
                );
                expect(grant.Resource, where).to.equal(`arn:aws:s3:::${landing.id}/s3/*`);
                const archive = owner.archiveOfLanding(String(landing.id));
                expect(archive.region, where).to.equal(b.region);
                expect(classOf(archive), where).to.equal(owner.logZone);
                expect(classOf(landing), where).to.equal(owner.logZone);
                expect(v.logZone, where).to.equal(owner.logZone);
                // A zone store's logs are that zone's data: its archive is of the same zone.
                if (classOf(b) !== "global") expect(classOf(archive), where).to.equal(classOf(b));
            }
        }
        expect(buckets).to.be.greaterThan(0);
        expect(stacks.find((v) => v.name === "global")!.all(T.bucket)).to.not.be.empty;
        // Each log prefix names one source: no two buckets, of any stack, share a prefix in one
        // landing bucket.
        const keys = stacks.flatMap((v) =>
            v.all(T.logging).map((l) => `${inp(l).targetBucket}/${inp(l).targetPrefix}`),
        );
        expect(new Set(keys).size).to.equal(keys.length);
    });

    it("admits into each landing bucket the S3 server access logs of exactly the buckets that log there", () => {
        for (const v of regional) {
            const landing = inp(v.all(T.lb)[0]).accessLogs.bucket as string;
            const logged = stacks
                .flatMap((s) => s.all(T.logging))
                .filter((l) => inp(l).targetBucket === landing)
                .map((l) => `arn:aws:s3:::${inp(l).bucket}`);
            const admitted = s3LogGrant(v, landing).Condition.ArnLike["aws:SourceArn"] as string[];
            expect([...admitted].sort(), v.name).to.deep.equal([...logged].sort());
        }
    });

    it("has one archive per region stack, in the stack's region, and none in the global stack", () => {
        for (const v of stacks) {
            const archives = v.archives();
            if (v.s.config.role === "global") expect(archives, v.name).to.deep.equal([]);
            else {
                expect(archives, v.name).to.have.length(1);
                expect(archives[0].region).to.equal(v.s.config.awsRegion);
                expect(archives[0].id).to.equal(
                    // With the account id (the mocks' caller identity) in the base.
                    `taskflow-prod-logs-123456789012-${v.logZone}-${v.s.config.awsRegion}`,
                );
            }
        }
    });

    it("keeps the EU archive and its key in eu-west-1, classified eu", () => {
        const eu = regional.flatMap((v) =>
            v
                .archives()
                .filter((a) => classOf(a) === "eu")
                .map((a) => ({ v, a })),
        );
        expect(eu).to.have.length(1);
        for (const { v, a } of eu) {
            expect(a.region).to.equal("eu-west-1");
            const keyArn = String(
                (inp(v.of(T.sse, String(a.id))).rules as Obj[])[0]
                    .applyServerSideEncryptionByDefault.kmsMasterKeyId,
            );
            const key = v.all(T.key).find((k) => k.outputs?.["arn"] === keyArn)!;
            expect(key, "the archive's key is a key of the stack").to.not.equal(undefined);
            expect(key.region).to.equal("eu-west-1");
            expect(arnRegion(keyArn)).to.equal("eu-west-1");
            expect(classOf(key)).to.equal("eu");
            expect(inp(key).multiRegion).to.equal(false);
            // Account principals use it only through S3 in eu-west-1.
            const doc = JSON.parse(String(inp(key).policy)) as { Statement: Obj[] };
            const use = doc.Statement.find((s) => s.Sid === "UseOnlyThroughServices")!;
            expect(use.Condition.StringEquals["kms:ViaService"]).to.deep.equal([
                "s3.eu-west-1.amazonaws.com",
            ]);
        }
    });

    it("keeps the landing buckets' objects a week, no longer than the archive that holds their copy", () => {
        for (const v of regional) {
            const landings = v
                .all(T.bucket)
                .filter((b) => inp(b).tags?.["taskflow:purpose"] === "alb-access-logs");
            expect(landings, v.name).to.have.length(1);
            const id = String(landings[0].id);
            const [rule] = inp(v.of(T.lifecycle, id)).rules as Obj[];
            const archiveDays = v.s.config.logArchiveRetentionDays;
            expect(rule.expiration.days, v.name).to.equal(Math.min(7, archiveDays));
            expect(rule.expiration.days, v.name).to.be.at.most(archiveDays);
            // Standard-IA takes objects 30 days old at the earliest: no transition in a week.
            expect(rule, v.name).to.not.have.property("transitions");
            // ...and the archive it replicates into keeps the configured retention.
            const archive = v.archiveOfLanding(id);
            const [kept] = inp(v.of(T.lifecycle, String(archive.id))).rules as Obj[];
            expect(kept.expiration.days, v.name).to.equal(archiveDays);
        }
    });

    it("alarms to the cell's topic when a landing bucket fails to replicate into its archive, outside the health roll-up", () => {
        for (const v of regional) {
            const landing = v
                .all(T.bucket)
                .find((b) => inp(b).tags?.["taskflow:purpose"] === "alb-access-logs")!;
            const archive = v.archiveOfLanding(String(landing.id));
            const alarms = v
                .all("aws:cloudwatch/metricAlarm:MetricAlarm")
                .filter((a) => inp(a).metricName === "OperationsFailedReplication")
                .filter((a) => inp(a).dimensions?.SourceBucket === landing.id);
            expect(alarms, v.name).to.have.length(1);
            const [alarm] = alarms;
            expect(alarm.region, v.name).to.equal(v.s.config.awsRegion);
            expect(inp(alarm).dimensions.DestinationBucket, v.name).to.equal(archive.id);
            const rule = (inp(v.of(T.replication, String(landing.id))).rules as Obj[])[0];
            expect(inp(alarm).dimensions.RuleId).to.equal(rule.id);
            expect(rule.destination.metrics).to.deep.equal({ status: "Enabled" });
            const topic = v.s.mocks.named("cell-alarms", "aws:sns/topic:Topic");
            expect(inp(alarm).alarmActions, v.name).to.deep.equal([topic.outputs.arn]);
            // A log failure must not mark the region unhealthy (nor stop a drill).
            const [composite] = v.all("aws:cloudwatch/compositeAlarm:CompositeAlarm");
            expect(String(inp(composite).alarmRule), v.name).to.not.contain(
                String(inp(alarm).name),
            );
        }
    });

    it("locks every archive down: TLS only, public access blocked, owner-enforced, versioned, expiring after the configured retention", () => {
        for (const v of regional) {
            const a = v.archives()[0];
            const id = String(a.id);
            const sse = (inp(v.of(T.sse, id)).rules as Obj[])[0];
            expect(sse.applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("aws:kms");
            expect(sse.bucketKeyEnabled).to.equal(true);
            expect(inp(v.of(T.pab, id))).to.include({
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            expect(inp(v.of(T.ownership, id)).rule).to.deep.equal({
                objectOwnership: "BucketOwnerEnforced",
            });
            expect(inp(v.of(T.versioning, id)).versioningConfiguration).to.deep.equal({
                status: "Enabled",
            });
            const rule = (inp(v.of(T.lifecycle, id)).rules as Obj[])[0];
            expect(rule.expiration.days).to.equal(v.s.config.logArchiveRetentionDays);
            const policy = JSON.parse(String(inp(v.of(T.policy, id)).policy)) as {
                Statement: Obj[];
            };
            expect(policy.Statement).to.have.length(1);
            expect(policy.Statement[0]).to.deep.include({
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            });
        }
    });

    it("writes ALB access logs to the region's landing bucket, which only the region's ELB account and S3 log delivery may put into", () => {
        for (const v of regional) {
            const region = v.s.config.awsRegion;
            const account = MOCK_ACCOUNT_ID;
            const lb = v.all(T.lb);
            expect(lb, v.name).to.have.length(1);
            const logs = inp(lb[0]).accessLogs as Obj;
            expect(logs.enabled).to.equal(true);
            const landing = v.bucketById(String(logs.bucket));
            expect(landing.region).to.equal(region);
            expect(classOf(landing)).to.equal(v.logZone);
            expect(classOf(v.archiveOfLanding(String(landing.id)))).to.equal(v.logZone);
            const doc = JSON.parse(String(inp(v.of(T.policy, String(landing.id))).policy)) as {
                Statement: Obj[];
            };
            const arn = `arn:aws:s3:::${landing.id}`;
            const alb = doc.Statement.find((s) => s.Sid === "AlbAccessLogDelivery")!;
            expect(alb.Principal).to.deep.equal({
                AWS: `arn:aws:iam::${ELB_LOG_DELIVERY_ACCOUNTS[region]}:root`,
            });
            expect(alb.Action).to.equal("s3:PutObject");
            expect(alb.Resource).to.equal(`${arn}/${logs.prefix}/AWSLogs/${account}/*`);
            const s3 = doc.Statement.find((s) => s.Sid === "S3ServerAccessLogDelivery")!;
            expect(s3.Principal).to.deep.equal({ Service: "logging.s3.amazonaws.com" });
            expect(s3.Action).to.equal("s3:PutObject");
            expect(s3.Resource).to.equal(`${arn}/s3/*`);
            expect(s3.Condition.StringEquals).to.deep.equal({ "aws:SourceAccount": account });
            expect(s3.Condition.ArnLike["aws:SourceArn"]).to.include(arn);
        }
    });

    it("lets S3 assume each replication role (log archives, edge log copy, assets) only for the stack's own account", () => {
        // The confused-deputy guard: without `aws:SourceAccount`, a bucket of another account
        // could name the role in its replication configuration.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
        const roles = stacks.flatMap((v) =>
            v.all("aws:iam/role:Role").filter((r) => {
                const trust = JSON.parse(inp(r).assumeRolePolicy as string) as Obj;
                return trust.Statement.some(
                    (st: Obj) => st.Principal?.Service === "s3.amazonaws.com",
                );
            }),
        );
        const names = roles.map((r) => r.name).sort();
        expect(names).to.include.members([
            "log-archive-replication-role",
            "edge-logs-replication-role",
            "assets-replication-role",
        ]);
        for (const r of roles) {
            const trust = JSON.parse(inp(r).assumeRolePolicy as string) as Obj;
            for (const st of trust.Statement) {
                expect(st.Action, r.urn).to.equal("sts:AssumeRole");
                expect(st.Condition, r.urn).to.deep.equal({
                    StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
                });
            }
        }
    });

    it("keeps ECS task logs in a log group of the task's region, under a key of that region, with a retention", () => {
        for (const v of regional) {
            const region = v.s.config.awsRegion;
            const defs = v.all(T.taskDef);
            expect(defs, v.name).to.have.length.greaterThan(0);
            for (const td of defs) {
                for (const c of JSON.parse(String(inp(td).containerDefinitions)) as Obj[]) {
                    const lc = c.logConfiguration as Obj;
                    expect(lc.logDriver).to.equal("awslogs");
                    expect(lc.options["awslogs-region"]).to.equal(region);
                    const group = v
                        .all(T.logGroup)
                        .find((g) => inp(g).name === lc.options["awslogs-group"]);
                    expect(group, `${v.name}: ${lc.options["awslogs-group"]}`).to.not.equal(
                        undefined,
                    );
                    expect(group!.region).to.equal(region);
                    // Classified in the region's zone (eu-west-1: eu), so the pack judges it.
                    expect(classOf(group!), v.name).to.equal(v.s.config.regionSpec!.zone);
                    expect(inp(group!).retentionInDays).to.be.a("number").greaterThan(0);
                    const keyArn = String(inp(group!).kmsKeyId);
                    expect(arnRegion(keyArn)).to.equal(region);
                    expect(v.all(T.key).some((k) => k.outputs?.["arn"] === keyArn)).to.equal(true);
                }
            }
        }
    });

    it("exports each region stack's archive (bucket, key, classification, region) for other stacks", () => {
        for (const v of regional) {
            const a = v.archives()[0];
            const keyArn = (inp(v.of(T.sse, String(a.id))).rules as Obj[])[0]
                .applyServerSideEncryptionByDefault.kmsMasterKeyId;
            expect(v.s.outputs["logArchive"], v.name).to.deep.equal({
                bucketName: a.id,
                bucketArn: `arn:aws:s3:::${a.id}`,
                kmsKeyArn: keyArn,
                classification: v.logZone,
                region: v.s.config.awsRegion,
            });
        }
    });
});
