/**
 * ResidencyBoundary under the recording mocks: what it builds, that the policy pack passes it,
 * that the pack catches EU data being made to replicate (injected through the component's
 * `transformations` option, and through `replicaRegions` under a widened program zone), and that
 * the plan CLI refuses configs that would put zone data outside the pack's zone matrix.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
    BOUNDARY_DB_LOG_RETENTION_DAYS,
    ResidencyBoundary,
    ResidencyBoundaryArgs,
    boundaryKeyPolicy,
    validateBoundaryArgs,
} from "../../../components/boundary";
import { wildcardActionFindings } from "../../../policies/iam";
import { RESIDENCY_TAG } from "../../../components/shared/residency";
import { RecordedResource, RecordingMocks } from "../../../plan/mocks";
import { allPolicies } from "../../../policies/all";
import { COMMITTED_PACK_CONFIG, loadPolicyConfig } from "../../../policies/config";
import { evaluatePlans, StackViolation } from "../../../policies/offline";
import { isDataBearing } from "../../../policies/residency";
import { T as TYPES } from "../../../policies/types";

/** Short names for the type tokens these specs read, from the pack's one table (policies/types.ts). */
const T = {
    key: TYPES.kmsKey,
    table: TYPES.table,
    bucket: TYPES.bucket,
    pab: TYPES.bucketPab,
    versioning: TYPES.bucketVersioning,
    sse: TYPES.bucketSse,
    policy: TYPES.bucketPolicy,
    ownership: TYPES.bucketOwnership,
    cluster: TYPES.rdsCluster,
    instance: TYPES.rdsClusterInstance,
    replication: TYPES.bucketReplication,
    logGroup: TYPES.logGroup,
};

type Stmt = {
    Sid: string;
    Principal: Record<string, string>;
    Action: string[];
    Condition?: Record<string, Record<string, unknown>>;
};
const stmtsOf = (policy: unknown): Stmt[] =>
    (JSON.parse(String(policy)) as { Statement: Stmt[] }).Statement;

const EU_ARGS: ResidencyBoundaryArgs = {
    zone: "eu",
    zoneRegions: ["eu-west-1"],
    region: "eu-west-1",
    environment: "prod",
    aurora: true,
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    securityGroupIds: ["sg-data"],
};

interface Run {
    mocks: RecordingMocks;
    outputs: Record<string, unknown>;
    violations: StackViolation[];
}

/** Builds one boundary in a fresh mocked eu-west-1 stack and runs the pack over what it registered. */
async function run(
    args: ResidencyBoundaryArgs,
    opts?: pulumi.ComponentResourceOptions,
    extra?: (b: ResidencyBoundary) => void,
): Promise<Run> {
    const stack = args.region;
    const mocks = new RecordingMocks({
        project: "taskflow",
        stack,
        awsRegion: args.region,
    });
    await mocks.install("taskflow");
    const b = new ResidencyBoundary("residency", args, opts);
    extra?.(b);
    const outputs = await new Promise<Record<string, unknown>>((resolve) =>
        pulumi
            .all({
                zone: b.zone,
                tableName: b.tableName,
                tableArn: b.tableArn,
                bucketName: b.bucketName,
                kmsKeyArn: b.kmsKeyArn,
                auroraEndpoint: b.auroraEndpoint,
            })
            .apply((o) => resolve(o)),
    );

    await (pulumi.runtime as any).waitForRPCs();
    expect(mocks.errors.map((e) => e.message)).to.deep.equal([]);
    // With the committed pack config, as every preview and deploy runs the pack.
    const violations = evaluatePlans(
        [{ stack, region: args.region, resources: mocks.resources }],
        loadPolicyConfig(COMMITTED_PACK_CONFIG, allPolicies),
    );
    return { mocks, outputs, violations };
}

const one = (m: RecordingMocks, type: string): RecordedResource => {
    const found = m.ofType(type);
    expect(found, type).to.have.length(1);
    return found[0];
};

describe("ResidencyBoundary", function () {
    this.timeout(30000);
    let eu: Run;
    let injected: Run;

    before(async () => {
        eu = await run(EU_ARGS);
        // What a careless change would do: give the EU table a replica, join the EU cluster to
        // the global cluster, make the EU key multi-Region and replicate the EU bucket to the US.
        injected = await run(
            EU_ARGS,
            {
                transformations: [
                    (a) => {
                        if (a.type === T.table)
                            return {
                                props: { ...a.props, replicas: [{ regionName: "us-east-1" }] },
                                opts: a.opts,
                            };
                        if (a.type === T.cluster)
                            return {
                                props: {
                                    ...a.props,
                                    globalClusterIdentifier: "taskflow-prod-aurora",
                                },
                                opts: a.opts,
                            };
                        if (a.type === T.key)
                            return { props: { ...a.props, multiRegion: true }, opts: a.opts };
                        return undefined;
                    },
                ],
            },
            (b) =>
                new aws.s3.BucketReplicationConfig(
                    "residency-bucket-replication",
                    {
                        bucket: b.bucketName,
                        role: "arn:aws:iam::123456789012:role/replication",
                        rules: [
                            {
                                status: "Enabled",
                                destination: {
                                    bucket: "arn:aws:s3:::taskflow-prod-assets-123456789012-global-us-east-1",
                                },
                            },
                        ],
                    },
                    { parent: b },
                ),
        );
    });

    it("passes every policy of the pack", () => {
        expect(eu.violations.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
    });

    it("classifies every data store it creates with its zone", () => {
        const stores = eu.mocks.resources.filter((r) => isDataBearing(r.type, !r.custom));
        expect(stores.map((r) => r.type).sort()).to.deep.equal(
            [T.table, T.key, T.cluster, T.instance, T.instance, T.bucket, T.logGroup].sort(),
        );
        for (const r of stores)
            expect((r.inputs.tags as Record<string, string>)[RESIDENCY_TAG], r.name).to.equal("eu");
        for (const r of eu.mocks.resources.filter((x) => x.custom))
            expect(r.region, r.name).to.equal("eu-west-1");
    });

    it("keeps its KMS key single-Region, rotated and usable only through eu-west-1 data services", () => {
        const key = one(eu.mocks, T.key);
        expect(key.inputs.multiRegion).to.equal(false);
        expect(key.inputs.enableKeyRotation).to.equal(true);
        expect(key.options.protect).to.equal(true);
        const stmts = stmtsOf(key.inputs.policy);
        const admin = stmts.find((s) => s.Sid === "AccountAdministersKey")!;
        // The account administers the key but cannot use it directly, nor replicate it.
        expect(admin.Action).to.include.members(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]);
        expect(admin.Action).to.not.include.members(["kms:*"]);
        for (const a of ["kms:Decrypt", "kms:Encrypt", "kms:CreateGrant", "kms:ReplicateKey"])
            expect(admin.Action, a).to.not.include(a);
        const use = stmts.find((s) => s.Sid === "UseOnlyThroughServices")!;
        expect(use.Action).to.include("kms:Decrypt");
        expect(JSON.stringify(use.Condition)).to.include("dynamodb.eu-west-1.amazonaws.com");
        expect(JSON.stringify(stmts)).to.not.match(/us-east-1|ap-northeast-1/);
    });

    it("protects every store against deletion in Pulumi and in AWS, without retaining the bucket on delete", () => {
        for (const type of [T.key, T.table, T.bucket, T.cluster])
            expect(one(eu.mocks, type).options.protect, type).to.equal(true);
        const bucket = one(eu.mocks, T.bucket);
        // protect blocks a delete outright; retainOnDelete would orphan EU data instead.
        expect(bucket.options.retainOnDelete).to.equal(false);
        expect(bucket.inputs.forceDestroy).to.equal(false);
        expect(one(eu.mocks, T.table).inputs.deletionProtectionEnabled).to.equal(true);
        expect(one(eu.mocks, T.cluster).inputs.deletionProtection).to.equal(true);
    });

    it("pre-creates the Aurora log group with the zone key, retention and the zone tag, before the cluster", () => {
        const logs = one(eu.mocks, T.logGroup);
        const cluster = one(eu.mocks, T.cluster);
        expect(logs.inputs).to.deep.include({
            name: "/aws/rds/cluster/taskflow-prod-db-eu-eu-west-1/postgresql",
            kmsKeyId: eu.outputs.kmsKeyArn,
            retentionInDays: BOUNDARY_DB_LOG_RETENTION_DAYS,
        });
        expect((logs.inputs.tags as Record<string, string>)[RESIDENCY_TAG]).to.equal("eu");
        expect(logs.region).to.equal("eu-west-1");
        expect(cluster.inputs.enabledCloudwatchLogsExports).to.deep.equal(["postgresql"]);
        expect(cluster.options.dependsOn).to.include(logs.urn);
        // CloudWatch Logs in eu-west-1 may use the key, for that log group only.
        const logsStmt = stmtsOf(one(eu.mocks, T.key).inputs.policy).find(
            (s) => s.Principal.Service === "logs.eu-west-1.amazonaws.com",
        )!;
        expect(logsStmt.Condition).to.deep.equal({
            ArnEquals: {
                "kms:EncryptionContext:aws:logs:arn": [
                    "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/rds/cluster/taskflow-prod-db-eu-eu-west-1/postgresql",
                ],
            },
        });
    });

    it("keeps the EU user table out of every replica set, with PITR, deletion protection and the zone key", () => {
        const table = one(eu.mocks, T.table);
        expect(table.inputs.replicas ?? []).to.deep.equal([]);
        expect(table.inputs.name).to.equal("taskflow-prod-users-eu-eu-west-1");
        expect(table.inputs.billingMode).to.equal("PAY_PER_REQUEST");
        expect(table.inputs.pointInTimeRecovery).to.deep.equal({ enabled: true });
        expect(table.inputs.deletionProtectionEnabled).to.equal(true);
        expect(table.inputs.serverSideEncryption).to.deep.equal({
            enabled: true,
            kmsKeyArn: eu.outputs.kmsKeyArn,
        });
    });

    it("builds a versioned, private, TLS-only, CMK-encrypted bucket with no replication", () => {
        const bucket = one(eu.mocks, T.bucket);
        expect(bucket.inputs.replicationConfiguration).to.equal(undefined);
        expect(eu.mocks.ofType(T.replication)).to.deep.equal([]);
        expect(one(eu.mocks, T.versioning).inputs.versioningConfiguration).to.deep.equal({
            status: "Enabled",
        });
        const pab = one(eu.mocks, T.pab).inputs;
        expect([
            pab.blockPublicAcls,
            pab.blockPublicPolicy,
            pab.ignorePublicAcls,
            pab.restrictPublicBuckets,
        ]).to.deep.equal([true, true, true, true]);
        const rule = (
            one(eu.mocks, T.sse).inputs.rules as {
                applyServerSideEncryptionByDefault: Record<string, string>;
            }[]
        )[0];
        expect(rule.applyServerSideEncryptionByDefault).to.deep.equal({
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: eu.outputs.kmsKeyArn,
        });
        const policy = JSON.parse(String(one(eu.mocks, T.policy).inputs.policy));
        expect(policy.Statement[0]).to.include({ Effect: "Deny", Action: "s3:*" });
        expect(policy.Statement[0].Condition).to.deep.equal({
            Bool: { "aws:SecureTransport": "false" },
        });
        expect(one(eu.mocks, T.policy).options.dependsOn).to.include(one(eu.mocks, T.pab).urn);
    });

    it("builds the Aurora cluster outside every global cluster, in the given subnets, backups in-region", () => {
        const c = one(eu.mocks, T.cluster);
        expect(c.inputs.globalClusterIdentifier).to.equal(undefined);
        expect(c.inputs.replicationSourceIdentifier).to.equal(undefined);
        expect(c.inputs.clusterIdentifier).to.equal("taskflow-prod-db-eu-eu-west-1");
        expect(c.inputs).to.include({
            storageEncrypted: true,
            deletionProtection: true,
            backupRetentionPeriod: 14,
            skipFinalSnapshot: false,
        });
        expect(c.inputs.kmsKeyId).to.equal(eu.outputs.kmsKeyArn);
        expect(c.inputs.vpcSecurityGroupIds).to.deep.equal(["sg-data"]);
        expect(
            eu.mocks.ofType("aws:rds/subnetGroup:SubnetGroup")[0].inputs.subnetIds,
        ).to.deep.equal(["subnet-a", "subnet-b", "subnet-c"]);
        expect(
            eu.mocks.ofType(
                "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
            ),
        ).to.deep.equal([]);
        expect(eu.outputs.auroraEndpoint).to.be.a("string").and.not.equal("");
    });

    it("exports zone, table, bucket and key, and the Aurora endpoint only when asked for", async () => {
        expect(eu.outputs).to.include({
            zone: "eu",
            tableName: "taskflow-prod-users-eu-eu-west-1",
            // The mocks' caller identity is account 123456789012.
            bucketName: "taskflow-prod-userdata-123456789012-eu-eu-west-1",
        });
        expect(String(eu.outputs.tableArn)).to.match(/^arn:aws:dynamodb:eu-west-1:/);
        const noAurora = await run({
            ...EU_ARGS,
            aurora: false,
            subnetIds: undefined,
            securityGroupIds: undefined,
        });
        expect(noAurora.mocks.ofType(T.cluster)).to.deep.equal([]);
        expect(noAurora.outputs.auroraEndpoint).to.equal(undefined);
        expect(noAurora.violations).to.deep.equal([]);
    });

    it("is caught by the pack when EU data is made to replicate out of eu-west-1", () => {
        const by = (policy: string, text: string) =>
            injected.violations.filter((v) => v.policy === policy && v.message.includes(text));
        expect(
            by(
                "residency-replication-out-of-zone",
                "'residency-table' (zone eu, region eu-west-1) has a DynamoDB replica in us-east-1",
            ),
        ).to.have.length(1);
        expect(
            by(
                "residency-replication-out-of-zone",
                "'residency-db' (zone eu, region eu-west-1) is a member of Aurora global cluster taskflow-prod-aurora",
            ),
        ).to.have.length(1);
        expect(
            by(
                "residency-replication-out-of-zone",
                "'residency-key' (zone eu, region eu-west-1) is a multi-Region KMS key",
            ),
        ).to.have.length(1);
        // residency-data-flow replaces residency-replication-wiring: the replication resource
        // sends the bucket's zone data to a store the pack's config places in us-east-1.
        const wiring = by(
            "residency-data-flow",
            "sends zone 'eu' data of aws:s3/bucket:Bucket 'residency-bucket' to the store 'taskflow-prod-assets-123456789012-global-us-east-1'",
        );
        expect(wiring).to.have.length(1);
        expect(wiring[0].urn).to.match(/BucketReplicationConfig::residency-bucket-replication$/);
        expect(wiring[0].message).to.include(
            "at rules[].destination.bucket, but it is in region us-east-1",
        );
        const residency = injected.violations.filter((v) => v.policy.startsWith("residency-"));
        expect(residency).to.have.length(4);
        for (const v of residency)
            expect(v.message).to.include("rule: zone 'eu' data may only be stored in eu-west-1");
    });

    it("refuses bad arguments before registering anything, naming the argument", () => {
        expect(() => validateBoundaryArgs("r", { ...EU_ARGS, region: "us-east-1" })).to.throw(
            /region "us-east-1" is not allowed; zone eu data may only be stored in eu-west-1/,
        );
        expect(() => validateBoundaryArgs("r", { ...EU_ARGS, zone: "global" })).to.throw(
            /zone "global" is not allowed/,
        );
        expect(() => validateBoundaryArgs("r", { ...EU_ARGS, subnetIds: undefined })).to.throw(
            /subnetIds\/securityGroupIds .* required when aurora/,
        );
        expect(() => validateBoundaryArgs("r", { ...EU_ARGS, backupRetentionDays: 40 })).to.throw(
            /backupRetentionDays 40 .* 1–35/,
        );
        expect(() =>
            validateBoundaryArgs("r", { ...EU_ARGS, environment: "x".repeat(40) }),
        ).to.throw(/63 characters/);
        expect(() =>
            validateBoundaryArgs("r", { ...EU_ARGS, replicaRegions: ["us-east-1"] }),
        ).to.throw(
            /replicaRegions "us-east-1" is not allowed; zone eu data may only be stored in eu-west-1/,
        );
        expect(() =>
            validateBoundaryArgs("r", { ...EU_ARGS, replicaRegions: ["eu-west-1"] }),
        ).to.throw(/replicaRegions "eu-west-1" is not allowed; a region other than/);
        const wide = { ...EU_ARGS, zoneRegions: ["eu-west-1", "eu-central-1"] };
        expect(() =>
            validateBoundaryArgs("r", {
                ...wide,
                replicaRegions: ["eu-central-1", "eu-central-1"],
            }),
        ).to.throw(/each region at most once/);
        expect(() =>
            validateBoundaryArgs("r", { ...wide, replicaRegions: ["eu-central-1"] }),
        ).to.not.throw();
    });

    it("writes a key policy with no wildcard action at all, accepted by the pack's iam-no-wildcard-actions", () => {
        const policy = boundaryKeyPolicy("aws", "123456789012", "eu-west-1");
        const stmts = stmtsOf(policy);
        expect(stmts.filter((s) => JSON.stringify(s.Action).includes("*"))).to.deep.equal([]);
        expect(wildcardActionFindings("aws:kms/key:Key", "k", { policy })).to.deep.equal([]);
        expect(stmts.find((s) => s.Sid === "UseOnlyThroughServices")!.Action).to.include.members([
            "kms:ReEncryptFrom",
            "kms:GenerateDataKey",
        ]);
    });
});
