/**
 * GlobalData and AssetsReplication, through the real program: every stack is planned once under
 * the recording mocks (the project's config, then a fixture where eu-west-1 forbids global data
 * and us-east-1 runs pilot-light), and the facts below are read from those plans.
 */
import { taskVariables } from "../../helpers/task-variables";
import { expect } from "chai";
import { capacityFor, globalDataRegions, holdsGlobalData, stackRefName } from "../../../config";
import { RecordedResource } from "../../../plan/mocks";
import { defaultPackConfig, evaluatorFor } from "../../../plan/policy";
import {
    PlannedStack,
    REPO_ROOT,
    planAll,
    planStack,
    readProjectFiles,
    validateAll,
} from "../../../plan/run";
import {
    AURORA_MEMBER_IGNORE_CHANGES,
    CACHE_SNAPSHOT_RETENTION_DAYS,
    DB_LOG_RETENTION_DAYS,
    auroraLogGroupName,
    dataKeyPolicy,
    lagThresholds,
    names,
    supportsGlobalWriteForwarding,
} from "../../../components/data";
import {
    ReplicationEnd,
    replicationEndProblems,
    replicationRolePolicy,
} from "../../../components/assets-replication";
import { RESIDENCY_TAG as RESIDENCY_TAG_KEY } from "../../../model/residency";
import { replicaRegions } from "../../../model/topology";
import { wildcardActionFindings } from "../../../policies/iam";
import { baseProjectCopy, topologyOf } from "../../helpers/project-copy";
import { repoPlan } from "../../helpers/repo-plan";
import { repoTopology } from "../../helpers/repo-topology";
import { T as TYPES } from "../../../policies/types";

/** Short names for the type tokens these specs read, from the pack's one table (policies/types.ts). */
const T = {
    globalCluster: TYPES.rdsGlobalCluster,
    cluster: TYPES.rdsCluster,
    instance: TYPES.rdsClusterInstance,
    table: TYPES.table,
    key: TYPES.kmsKey,
    replicaKey: TYPES.kmsReplicaKey,
    cacheGroup: TYPES.cacheGroup,
    cacheGlobal: TYPES.cacheGlobal,
    bucket: TYPES.bucket,
    versioning: TYPES.bucketVersioning,
    sse: TYPES.bucketSse,
    pab: TYPES.bucketPab,
    bucketPolicy: TYPES.bucketPolicy,
    lifecycle: TYPES.bucketLifecycle,
    replication: TYPES.bucketReplication,
    alarm: TYPES.metricAlarm,
    rolePolicy: TYPES.iamRolePolicy,
    secret: TYPES.secret,
    logGroup: TYPES.logGroup,
    taskDefinition: TYPES.ecsTaskDefinition,
};
const GLOBAL_DATA = "taskflow:data:GlobalData";
const ASSETS_REPLICATION = "taskflow:data:AssetsReplication";
/** Data-bearing types every GlobalData resource of which must be classified. */
const DATA_TYPES: readonly string[] = [
    T.globalCluster,
    T.cluster,
    T.instance,
    T.table,
    T.key,
    T.replicaKey,
    T.cacheGroup,
    T.bucket,
    T.secret,
];

type Stmt = {
    Sid?: string;
    Effect: string;
    Principal?: unknown;
    Action: string | string[];
    Resource?: unknown;
    Condition?: unknown;
};
const statements = (policy: unknown): Stmt[] =>
    (JSON.parse(String(policy)) as { Statement: Stmt[] }).Statement;
const actions = (s: Stmt): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v ?? {}) as Obj;

/** A KMS request, as far as these key policies look at it. */
interface KmsRequest {
    principal: { AWS?: string; Service?: string };
    action: string;
    /** Condition keys of the request (kms:ViaService, kms:CallerAccount, ...). */
    context?: Record<string, string>;
}

/**
 * Whether some Allow statement of a key policy admits the request: principal, exact action, and
 * every condition (StringEquals / ArnEquals / Bool; a key absent from the request fails, as in
 * IAM). Throws on an operator it does not model, so a policy change cannot pass unexamined.
 */
function allows(policy: string, req: KmsRequest): boolean {
    return statements(policy).some((st) => {
        if (st.Effect !== "Allow") return false;
        const p = obj(st.Principal);
        if (
            req.principal.AWS !== undefined
                ? p.AWS !== req.principal.AWS
                : p.Service !== req.principal.Service
        )
            return false;
        if (!actions(st).includes(req.action)) return false;
        for (const [op, kv] of Object.entries(obj(st.Condition))) {
            if (!["StringEquals", "ArnEquals", "Bool"].includes(op))
                throw new Error(`allows(): condition operator ${op} not modelled`);
            for (const [k, v] of Object.entries(obj(kv))) {
                const got = req.context?.[k];
                const want = (Array.isArray(v) ? v : [v]).map(String);
                if (got === undefined || !want.includes(got)) return false;
            }
        }
        return true;
    });
}

/** The environment of a stack's task definition (what the cell's tasks see). */
function taskEnv(p: PlannedStack): Record<string, string> {
    const [td] = p.mocks.ofType(T.taskDefinition);
    return taskVariables(td, p.mocks.ofType("aws:ssm/parameter:Parameter"));
}

/**
 * Writes a copy of the seed's four stacks (test/helpers/base-topology.ts: whatever regions a user
 * added are left out) where eu-west-1 forbids global data and us-east-1 is pilot-light.
 */
function fixtureDir(): string {
    return baseProjectCopy("global-data-", (docs) => {
        for (const r of topologyOf(docs).regions)
            if (r.region === "eu-west-1") r.globalData = false;
        docs["Pulumi.us-east-1.yaml"].config["taskflow:cellMode"] = "pilot-light";
    });
}

describe("GlobalData (planned program)", function () {
    this.timeout(60000);
    let planned: PlannedStack[];
    let fixture: PlannedStack[];
    const stack = (ps: PlannedStack[], name: string) => ps.find((p) => p.plan.stack === name)!;
    const all = (ps: PlannedStack[], type: string): (RecordedResource & { stack: string })[] =>
        ps.flatMap((p) => p.mocks.ofType(type).map((r) => ({ ...r, stack: p.plan.stack })));
    /** Resources of a type that GlobalData registered in one stack. */
    const gd = (p: PlannedStack, type: string): RecordedResource[] =>
        p.mocks.ofType(type).filter((r) => r.urn.includes(`${GLOBAL_DATA}$`));
    const under = (ps: PlannedStack[], componentType: string): RecordedResource[] =>
        ps.flatMap((p) =>
            p.mocks.resources.filter((r) => r.custom && r.urn.includes(`${componentType}$`)),
        );

    before(async () => {
        planned = await repoPlan();
        // With the committed pack config, as `npm run plan` applies it by default.
        fixture = await planAll({ dir: fixtureDir(), evaluate: evaluatorFor(defaultPackConfig()) });
    });

    const primaryOut = () => stack(planned, "ap-northeast-1").outputs;
    const topologyCfg = () => stack(planned, "ap-northeast-1").config;
    const topology = () => stack(planned, "ap-northeast-1").config.topology;
    // The secondaries holding global data, from the repo's topology (the seed's us-east-1 and
    // eu-west-1, and any region a user added with globalData).
    const secondaries = replicaRegions(repoTopology());
    // The region stacks holding global data (a region added with globalData: false holds none:
    // "puts nothing of the global data ..." below checks those).
    const dataStacks = () =>
        planned.filter((x) => x.config.role !== "global" && holdsGlobalData(x.config));

    describe("Aurora global database", () => {
        it("creates exactly one global cluster, in the primary stack and region, protected and encrypted", () => {
            const gcs = all(planned, T.globalCluster);
            expect(gcs).to.have.length(1);
            expect(gcs[0].stack).to.equal("ap-northeast-1");
            expect(gcs[0].region).to.equal("ap-northeast-1");
            expect(gcs[0].options.protect).to.equal(true);
            expect(gcs[0].inputs).to.include({
                storageEncrypted: true,
                deletionProtection: true,
                engine: "aurora-postgresql",
            });
            expect(primaryOut().auroraGlobalClusterId).to.equal(gcs[0].id);
        });

        it("puts the primary member in the primary region with generated secret credentials and the safety settings", () => {
            const [c] = gd(stack(planned, "ap-northeast-1"), T.cluster);
            expect(c.region).to.equal("ap-northeast-1");
            expect(c.inputs.globalClusterIdentifier).to.equal(primaryOut().auroraGlobalClusterId);
            expect(c.inputs.databaseName).to.be.a("string");
            expect(c.inputs.masterUsername).to.be.a("string");
            expect(c.inputs.masterPassword).to.be.a("string").with.length.greaterThan(15);
            expect(c.secretPaths).to.include("masterPassword");
            expect(c.inputs).to.not.have.property("manageMasterUserPassword");
            expect(c.inputs).to.include({
                deletionProtection: true,
                storageEncrypted: true,
                skipFinalSnapshot: false,
                iamDatabaseAuthenticationEnabled: true,
            });
            expect(c.inputs.backupRetentionPeriod).to.be.at.least(7);
            expect(c.inputs.finalSnapshotIdentifier).to.be.a("string").and.not.equal("");
            expect(c.inputs.kmsKeyId).to.equal(obj(primaryOut().kmsKeyArns)["ap-northeast-1"]);
            expect(c.options.protect).to.equal(true);
        });

        it("joins one secondary member per secondary region with the id read from the primary stack, without credentials", () => {
            for (const s of secondaries) {
                const clusters = gd(stack(planned, s), T.cluster);
                expect(clusters, s).to.have.length(1);
                const c = clusters[0];
                expect(c.region).to.equal(s);
                expect(c.inputs.globalClusterIdentifier).to.equal(
                    primaryOut().auroraGlobalClusterId,
                );
                for (const k of [
                    "databaseName",
                    "masterUsername",
                    "masterPassword",
                    "manageMasterUserPassword",
                    "masterPasswordWo",
                ]) {
                    expect(c.inputs, `${s} ${k}`).to.not.have.property(k);
                }
                expect(c.inputs.kmsKeyId).to.equal(obj(primaryOut().kmsKeyArns)[s]);
                expect(String(c.inputs.kmsKeyId).split(":")[3]).to.equal(s);
                expect(c.inputs).to.include({
                    deletionProtection: true,
                    storageEncrypted: true,
                    skipFinalSnapshot: false,
                });
                expect(c.options.protect).to.equal(true);
            }
            expect(stack(planned, "us-east-1").plan.stackReferences).to.include(
                "taskflow/taskflow/ap-northeast-1",
            );
        });

        it("excludes what a managed switchover changes from every member's diff", () => {
            const members = all(planned, T.cluster).filter((m) =>
                m.urn.includes(`${GLOBAL_DATA}$`),
            );
            expect(members.map((m) => m.region).sort()).to.deep.equal(
                globalDataRegions(repoTopology()).sort(),
            );
            for (const m of members) {
                expect(m.options.ignoreChanges, m.stack).to.include.members([
                    "globalClusterIdentifier",
                    "replicationSourceIdentifier",
                    "engineVersion",
                ]);
            }
            expect(AURORA_MEMBER_IGNORE_CHANGES).to.include("replicationSourceIdentifier");
        });

        it("runs the cell mode's instance count with Performance Insights on the data key, never public", () => {
            for (const p of dataStacks()) {
                const want = capacityFor(
                    p.config.cell!,
                    p.config.role === "primary" ? "primary" : "secondary",
                ).dbInstances;
                const instances = gd(p, T.instance);
                expect(instances, p.plan.stack).to.have.length(want);
                for (const i of instances) {
                    expect(i.inputs).to.include({
                        performanceInsightsEnabled: true,
                        publiclyAccessible: false,
                    });
                    expect(i.inputs.performanceInsightsKmsKeyId).to.equal(
                        obj(primaryOut().kmsKeyArns)[p.config.awsRegion],
                    );
                }
            }
        });

        it("places every member in the cell's isolated subnets behind the data security group, TLS enforced", () => {
            for (const p of dataStacks()) {
                const [c] = gd(p, T.cluster);
                const [subnets] = gd(p, "aws:rds/subnetGroup:SubnetGroup");
                expect(c.inputs.dbSubnetGroupName)
                    .to.be.a("string")
                    .and.equal(subnets.outputs.name ?? subnets.inputs.name);
                for (const i of gd(p, T.instance))
                    expect(i.inputs.dbSubnetGroupName).to.equal(c.inputs.dbSubnetGroupName);
                const [params] = gd(p, "aws:rds/clusterParameterGroup:ClusterParameterGroup");
                expect(c.inputs.dbClusterParameterGroupName)
                    .to.be.a("string")
                    .and.equal(params.outputs.name ?? params.inputs.name);
                expect(params.inputs.parameters).to.deep.include({
                    name: "rds.force_ssl",
                    value: "1",
                });
                const [g] = gd(p, T.cacheGroup);
                const [cacheSubnets] = gd(p, "aws:elasticache/subnetGroup:SubnetGroup");
                expect(g.inputs.subnetGroupName)
                    .to.be.a("string")
                    .and.equal(cacheSubnets.outputs.name ?? cacheSubnets.inputs.name);
                expect(c.inputs.vpcSecurityGroupIds).to.deep.equal(g.inputs.securityGroupIds);
            }
        });

        it("pre-creates every member's PostgreSQL log group with the region's key, retention and the global tag, before the cluster", () => {
            for (const p of dataStacks()) {
                const region = p.config.awsRegion;
                const [c] = gd(p, T.cluster);
                const logs = gd(p, T.logGroup);
                expect(logs, region).to.have.length(1);
                expect(logs[0].region).to.equal(region);
                expect(logs[0].inputs).to.deep.include({
                    name: `/aws/rds/cluster/${String(c.inputs.clusterIdentifier)}/postgresql`,
                    kmsKeyId: obj(primaryOut().kmsKeyArns)[region],
                    retentionInDays: DB_LOG_RETENTION_DAYS,
                });
                expect(obj(logs[0].inputs.tags)[RESIDENCY_TAG_KEY]).to.equal("global");
                expect(c.inputs.enabledCloudwatchLogsExports).to.deep.equal(["postgresql"]);
                expect(c.options.dependsOn, region).to.include(logs[0].urn);
            }
        });

        it("lets the key of each region serve CloudWatch Logs for that region's Aurora log group only", () => {
            const keys = [...all(planned, T.key), ...all(planned, T.replicaKey)].filter((k) =>
                k.parent?.includes(GLOBAL_DATA),
            );
            for (const k of keys) {
                const region = k.region!;
                const group = auroraLogGroupName(
                    names.auroraCluster(topologyCfg().environment, region),
                );
                const arn = (g: string) => `arn:aws:logs:${region}:123456789012:log-group:${g}`;
                const req = (g: string, service = `logs.${region}.amazonaws.com`) => ({
                    principal: { Service: service },
                    action: "kms:GenerateDataKey",
                    context: { "kms:EncryptionContext:aws:logs:arn": arn(g) },
                });
                const policy = String(k.inputs.policy);
                expect(allows(policy, req(group)), region).to.equal(true);
                expect(allows(policy, req("/aws/lambda/anything")), region).to.equal(false);
                expect(allows(policy, req(group, "logs.us-west-2.amazonaws.com"))).to.equal(false);
            }
        });

        it("lets every secondary take writes through global write forwarding (and the primary write directly)", () => {
            const [primary] = gd(stack(planned, "ap-northeast-1"), T.cluster);
            expect(primary.inputs).to.not.have.property("enableGlobalWriteForwarding");
            for (const s of secondaries) {
                const [c] = gd(stack(planned, s), T.cluster);
                expect(c.inputs.enableGlobalWriteForwarding, s).to.equal(true);
            }
            expect(
                supportsGlobalWriteForwarding(
                    stack(planned, "us-east-1").config.auroraEngineVersion,
                ),
            ).to.equal(true);
        });

        it("knows which Aurora PostgreSQL versions support global write forwarding", () => {
            for (const v of ["16.1", "16.6", "17.4", "15.4", "15.10", "14.9", "14.12"])
                expect(supportsGlobalWriteForwarding(v), v).to.equal(true);
            for (const v of ["15.3", "14.8", "13.12", "12.20", "x"])
                expect(supportsGlobalWriteForwarding(v), v).to.equal(false);
        });

        it("keeps a pilot-light secondary headless but joined", () => {
            const us = stack(fixture, "us-east-1");
            expect(gd(us, T.instance)).to.have.length(0);
            expect(gd(us, T.cluster)[0].inputs.globalClusterIdentifier).to.equal(
                stack(fixture, "ap-northeast-1").outputs.auroraGlobalClusterId,
            );
        });
    });

    describe("DynamoDB global tables", () => {
        it("creates sessions and user_preferences once, in the primary, with replicas exactly in the other global-data regions", () => {
            const tables = all(planned, T.table).filter((t) => t.parent?.includes(GLOBAL_DATA));
            expect(tables.map((t) => t.inputs.name).sort()).to.deep.equal([
                "taskflow-prod-sessions",
                "taskflow-prod-user_preferences",
            ]);
            const expected = globalDataRegions(topology()).filter((r) => r !== "ap-northeast-1");
            for (const t of tables) {
                expect(t.stack).to.equal("ap-northeast-1");
                const replicas = t.inputs.replicas as Obj[];
                expect(replicas.map((r) => r.regionName).sort()).to.deep.equal(
                    [...expected].sort(),
                );
                expect(replicaRegions(topology()).sort()).to.deep.equal([...expected].sort());
            }
        });

        it("encrypts every table and replica with the region's CMK, with PITR and deletion protection everywhere", () => {
            const keys = obj(primaryOut().kmsKeyArns);
            for (const t of all(planned, T.table).filter((x) => x.parent?.includes(GLOBAL_DATA))) {
                expect(t.inputs).to.deep.include({
                    billingMode: "PAY_PER_REQUEST",
                    deletionProtectionEnabled: true,
                    pointInTimeRecovery: { enabled: true },
                    serverSideEncryption: { enabled: true, kmsKeyArn: keys["ap-northeast-1"] },
                    streamEnabled: true,
                    streamViewType: "NEW_AND_OLD_IMAGES",
                });
                expect(t.inputs).to.not.have.any.keys("readCapacity", "writeCapacity");
                for (const r of t.inputs.replicas as Obj[]) {
                    expect(r).to.include({
                        pointInTimeRecovery: true,
                        deletionProtectionEnabled: true,
                        kmsKeyArn: keys[String(r.regionName)],
                    });
                }
                // Adding a region to the topology must reach the table.
                expect(t.options.ignoreChanges).to.not.include("replicas");
                expect(t.options.protect).to.equal(true);
            }
        });

        it("expires sessions by TTL and keeps user preferences", () => {
            const m = stack(planned, "ap-northeast-1").mocks;
            expect(m.named("global-data-sessions").inputs.ttl).to.deep.equal({
                attributeName: "expiresAt",
                enabled: true,
            });
            expect(m.named("global-data-user-preferences").inputs).to.not.have.property("ttl");
        });

        it("exports table names and ARNs from the primary", () => {
            const tables = obj(primaryOut().dynamodbTables);
            expect(obj(tables.sessions).name).to.equal("taskflow-prod-sessions");
            expect(String(obj(tables.userPreferences).arn)).to.match(
                /^arn:aws:dynamodb:ap-northeast-1:\d{12}:table\/taskflow-prod-user_preferences$/,
            );
        });
    });

    describe("KMS", () => {
        it("creates one rotating multi-Region key in the primary and a replica in every other global-data region, from the primary stack", () => {
            const keys = all(planned, T.key).filter((k) => k.parent?.includes(GLOBAL_DATA));
            expect(keys).to.have.length(1);
            expect(keys[0].inputs).to.include({ multiRegion: true, enableKeyRotation: true });
            expect(keys[0].region).to.equal("ap-northeast-1");
            const replicas = all(planned, T.replicaKey).filter((k) =>
                k.urn.includes(`${GLOBAL_DATA}$`),
            );
            expect(replicas.every((r) => r.stack === "ap-northeast-1")).to.equal(true);
            expect(replicas.map((r) => r.region).sort()).to.deep.equal([...secondaries].sort());
            expect(Object.keys(obj(primaryOut().kmsKeyArns)).sort()).to.deep.equal(
                globalDataRegions(topology()).sort(),
            );
        });

        it("lets the account administer every key but use it only through the data services of the key's own region", () => {
            const keys = [...all(planned, T.key), ...all(planned, T.replicaKey)].filter((k) =>
                k.parent?.includes(GLOBAL_DATA),
            );
            expect(keys.map((k) => k.region).sort()).to.deep.equal(
                globalDataRegions(repoTopology()).sort(),
            );
            const root = { AWS: "arn:aws:iam::123456789012:root" };
            for (const k of keys) {
                const region = k.region!;
                const policy = String(k.inputs.policy);
                const via = (svc: string, r = region) => ({
                    "kms:ViaService": `${svc}.${r}.amazonaws.com`,
                    "kms:CallerAccount": "123456789012",
                });
                // No direct cryptographic use by the account (hence by any IAM principal).
                for (const action of [
                    "kms:Decrypt",
                    "kms:Encrypt",
                    "kms:GenerateDataKey",
                    "kms:CreateGrant",
                ])
                    expect(
                        allows(policy, { principal: root, action }),
                        `${region} ${action}`,
                    ).to.equal(false);
                for (const svc of ["rds", "dynamodb", "elasticache", "s3", "secretsmanager"])
                    expect(
                        allows(policy, {
                            principal: root,
                            action: "kms:Decrypt",
                            context: via(svc),
                        }),
                        svc,
                    ).to.equal(true);
                const other = secondaries.concat("ap-northeast-1").find((r) => r !== region)!;
                expect(
                    allows(policy, {
                        principal: root,
                        action: "kms:Decrypt",
                        context: via("rds", other),
                    }),
                ).to.equal(false);
                expect(
                    allows(policy, {
                        principal: root,
                        action: "kms:Decrypt",
                        context: via("lambda"),
                    }),
                ).to.equal(false);
                // Grants only for AWS resources, through the services.
                const grant = (forResource: string) => ({
                    principal: root,
                    action: "kms:CreateGrant",
                    context: { ...via("rds"), "kms:GrantIsForAWSResource": forResource },
                });
                expect(allows(policy, grant("true"))).to.equal(true);
                expect(allows(policy, grant("false"))).to.equal(false);
                // Administration, including what a multi-Region key needs, stays with the account.
                for (const action of [
                    "kms:PutKeyPolicy",
                    "kms:ScheduleKeyDeletion",
                    "kms:ReplicateKey",
                    "kms:UpdatePrimaryRegion",
                ])
                    expect(allows(policy, { principal: root, action }), action).to.equal(true);
                expect(wildcardActionFindings(k.type, k.name, { policy })).to.deep.equal([]);
                for (const st of statements(policy))
                    expect(
                        actions(st).some((x) => x.includes("*")),
                        JSON.stringify(st),
                    ).to.equal(false);
            }
        });
    });

    describe("ElastiCache Global Datastore", () => {
        it("creates the primary group encrypted in transit and at rest with AUTH, and one global datastore on it", () => {
            const [g] = gd(stack(planned, "ap-northeast-1"), T.cacheGroup);
            expect(g.region).to.equal("ap-northeast-1");
            expect(g.inputs).to.include({
                engine: "valkey",
                atRestEncryptionEnabled: true,
                transitEncryptionEnabled: true,
            });
            expect(g.inputs.kmsKeyId).to.equal(obj(primaryOut().kmsKeyArns)["ap-northeast-1"]);
            expect(g.secretPaths).to.include("authToken");
            const globals = all(planned, T.cacheGlobal);
            expect(globals).to.have.length(1);
            expect(globals[0].inputs.primaryReplicationGroupId).to.equal(g.id);
            expect(primaryOut().globalDatastoreId).to.equal(globals[0].id);
        });

        it("joins every secondary group by the datastore id, leaving engine and node settings to the global group", () => {
            for (const s of secondaries) {
                const groups = gd(stack(planned, s), T.cacheGroup);
                expect(groups, s).to.have.length(1);
                const g = groups[0];
                expect(g.region).to.equal(s);
                expect(g.inputs.globalReplicationGroupId).to.equal(primaryOut().globalDatastoreId);
                expect(g.inputs).to.not.have.any.keys(
                    "engine",
                    "engineVersion",
                    "nodeType",
                    "parameterGroupName",
                    "numNodeGroups",
                    "atRestEncryptionEnabled",
                    "transitEncryptionEnabled",
                );
                expect(g.inputs.kmsKeyId).to.equal(obj(primaryOut().kmsKeyArns)[s]);
            }
        });

        it("protects every cache group and the Global Datastore, with snapshots kept and a final snapshot on delete", () => {
            for (const p of dataStacks()) {
                const [g] = gd(p, T.cacheGroup);
                expect(g.options.protect, p.plan.stack).to.equal(true);
                expect(g.inputs).to.include({
                    snapshotRetentionLimit: CACHE_SNAPSHOT_RETENTION_DAYS,
                    finalSnapshotIdentifier: `${String(g.inputs.replicationGroupId)}-final`,
                });
            }
            const [global] = all(planned, T.cacheGlobal);
            expect(global.options.protect).to.equal(true);
            expect(global.options.ignoreChanges).to.include("primaryReplicationGroupId");
        });

        it("protects every Secrets Manager secret", () => {
            const secrets = all(planned, T.secret).filter((x) => x.parent?.includes(GLOBAL_DATA));
            expect(secrets.length).to.be.greaterThan(3);
            for (const sec of secrets) expect(sec.options.protect, sec.name).to.equal(true);
        });

        it("gives every member the primary's one AUTH token, passed as a secret stack output", () => {
            const [primaryGroup] = gd(stack(planned, "ap-northeast-1"), T.cacheGroup);
            const token = primaryGroup.inputs.authToken;
            expect(token).to.be.a("string").with.length.greaterThan(15);
            expect(primaryOut().cacheAuthToken).to.equal(token);
            // Masked in the plan file: the output is a secret.
            expect(stack(planned, "ap-northeast-1").plan.outputs.cacheAuthToken).to.equal(
                "[secret]",
            );
            for (const s of secondaries) {
                const [g] = gd(stack(planned, s), T.cacheGroup);
                expect(g.inputs.authToken, s).to.equal(token);
                expect(g.secretPaths, s).to.include("authToken");
                expect(
                    stack(planned, s)
                        .mocks.ofType("random:index/randomPassword:RandomPassword")
                        .filter((r) => r.urn.includes(`${GLOBAL_DATA}$`))
                        .map((r) => r.name),
                    s,
                ).to.not.include("global-data-cache-auth-token");
            }
        });
    });

    describe("assets buckets and S3 replication", () => {
        it("builds a versioned, CMK-encrypted, private, TLS-only bucket with a lifecycle in every global-data region", () => {
            for (const p of dataStacks()) {
                const m = p.mocks;
                const [b] = m.ofType(T.bucket).filter((x) => x.parent?.includes(GLOBAL_DATA));
                expect(b.inputs.bucket).to.equal(
                    // The account id (the mocks' caller identity) makes the name unique per account.
                    `taskflow-prod-assets-123456789012-global-${p.config.awsRegion}`,
                );
                expect(b.options.protect).to.equal(true);
                const on = (type: string) => m.ofType(type).filter((x) => x.parent === b.urn);
                expect(on(T.versioning)[0].inputs.versioningConfiguration).to.deep.equal({
                    status: "Enabled",
                });
                const sse = obj(
                    obj((on(T.sse)[0].inputs.rules as Obj[])[0]).applyServerSideEncryptionByDefault,
                );
                expect(sse).to.deep.equal({
                    sseAlgorithm: "aws:kms",
                    kmsMasterKeyId: obj(primaryOut().kmsKeyArns)[p.config.awsRegion],
                });
                expect(on(T.pab)[0].inputs).to.include({
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                });
                const [deny] = statements(on(T.bucketPolicy)[0].inputs.policy);
                expect(deny).to.deep.include({
                    Effect: "Deny",
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                });
                expect(on(T.lifecycle)).to.have.length(1);
                expect(p.outputs.assetsBucketArn).to.equal(
                    `arn:aws:s3:::${String(b.inputs.bucket)}`,
                );
            }
        });

        it("replicates the primary's bucket to every replica bucket named by the region stacks' outputs, with RTC, metrics and re-encryption", () => {
            const g = stack(planned, "global").mocks;
            const [cfg] = g.ofType(T.replication);
            expect(cfg.region).to.equal("ap-northeast-1");
            expect(cfg.inputs.bucket).to.equal(primaryOut().assetsBucketName);
            const rules = cfg.inputs.rules as Obj[];
            const expected = secondaries
                .map((s) => stack(planned, s).outputs.assetsBucketArn)
                .sort();
            expect(rules.map((r) => obj(r.destination).bucket).sort()).to.deep.equal(expected);
            for (const r of rules) {
                const d = obj(r.destination);
                const region = secondaries.find(
                    (s) => stack(planned, s).outputs.assetsBucketArn === d.bucket,
                )!;
                expect(r).to.deep.include({
                    status: "Enabled",
                    deleteMarkerReplication: { status: "Enabled" },
                });
                expect(d.replicationTime).to.deep.equal({
                    status: "Enabled",
                    time: { minutes: 15 },
                });
                expect(obj(d.metrics).status).to.equal("Enabled");
                expect(d.encryptionConfiguration).to.deep.equal({
                    replicaKmsKeyId: stack(planned, region).outputs.globalDataKmsKeyArn,
                });
                expect(obj(r.sourceSelectionCriteria)).to.deep.equal({
                    sseKmsEncryptedObjects: { status: "Enabled" },
                });
            }
            expect(new Set(rules.map((r) => r.priority)).size).to.equal(rules.length);
        });

        it("gives the replication role only the S3 and KMS actions it needs, on the two ends", () => {
            const [rp] = stack(planned, "global")
                .mocks.ofType(T.rolePolicy)
                .filter((r) => r.parent?.includes(ASSETS_REPLICATION));
            const stmts = statements(rp.inputs.policy);
            for (const s of stmts) {
                expect(
                    actions(s).some((a) => a.includes("*")),
                    JSON.stringify(s),
                ).to.equal(false);
                expect(JSON.stringify(s.Resource)).to.not.equal('"*"');
            }
            const write = stmts.find((s) => actions(s).includes("s3:ReplicateObject"))!;
            expect(write.Resource).to.deep.equal(
                secondaries.map((s) => `${String(stack(planned, s).outputs.assetsBucketArn)}/*`),
            );
        });
    });

    describe("the cell's tasks", () => {
        it("get item, object, IAM-auth and secret access to the stores only, with no wildcard action", () => {
            for (const p of dataStacks()) {
                const region = p.config.awsRegion;
                const [rp] = gd(p, T.rolePolicy);
                const stmts = statements(rp.inputs.policy);
                for (const st of stmts)
                    expect(
                        actions(st).some((a) => a.includes("*")),
                        JSON.stringify(st),
                    ).to.equal(false);
                const tables = stmts.find((st) => st.Sid === "GlobalTables")!.Resource as string[];
                expect(tables).to.include(
                    `arn:aws:dynamodb:${region}:123456789012:table/taskflow-prod-sessions`,
                );
                expect(tables.every((arn) => arn.split(":")[3] === region)).to.equal(true);
                const db = stmts.find((st) => st.Sid === "DatabaseIamAuth")!;
                const cluster = gd(p, T.cluster)[0];
                expect(db.Resource).to.deep.equal([
                    `arn:aws:rds-db:${region}:123456789012:dbuser:${String(cluster.outputs.clusterResourceId)}/taskflow_app`,
                ]);
            }
        });

        it("write assets only to the primary's source bucket; a replica bucket is read-only to them", () => {
            const source = String(primaryOut().assetsBucketArn);
            for (const p of dataStacks()) {
                const local = String(p.outputs.assetsBucketArn);
                const stmts = statements(gd(p, T.rolePolicy)[0].inputs.policy);
                const writing = stmts.filter((st) =>
                    actions(st).some((a) => ["s3:PutObject", "s3:DeleteObject"].includes(a)),
                );
                expect(
                    writing.map((st) => st.Resource),
                    p.plan.stack,
                ).to.deep.equal([[`${source}/*`]]);
                expect(stmts.find((st) => st.Sid === "AssetsRead")!.Resource).to.include(
                    `${local}/*`,
                );
                if (p.config.role === "secondary") {
                    expect(JSON.stringify(writing)).to.not.include(local);
                    // SSE-KMS puts to the source need its key, through S3 in the source region.
                    const key = stmts.find((st) => st.Sid === "SourceKeyThroughS3")!;
                    expect(key.Resource).to.deep.equal([
                        obj(primaryOut().kmsKeyArns)["ap-northeast-1"],
                    ]);
                    expect(key.Condition).to.deep.equal({
                        StringEquals: { "kms:ViaService": "s3.ap-northeast-1.amazonaws.com" },
                    });
                } else {
                    expect(stmts.find((st) => st.Sid === "SourceKeyThroughS3")).to.equal(undefined);
                }
            }
        });

        it("see a write path in every region: DB write forwarding and a read-only cache on secondaries, the source bucket for assets", () => {
            const primaryEnv = taskEnv(stack(planned, "ap-northeast-1"));
            const [pc] = gd(stack(planned, "ap-northeast-1"), T.cluster);
            expect(primaryEnv).to.include({
                DATABASE_HOST: pc.outputs.endpoint,
                DATABASE_WRITE_FORWARDING: "false",
                CACHE_READ_ONLY: "false",
                ASSETS_BUCKET: primaryOut().assetsBucketName,
                ASSETS_WRITE_BUCKET: primaryOut().assetsBucketName,
            });
            for (const s of secondaries) {
                const env = taskEnv(stack(planned, s));
                const [c] = gd(stack(planned, s), T.cluster);
                expect(env, s).to.include({
                    // The secondary's readers forward writes; its cluster endpoint is not a writer.
                    DATABASE_HOST: c.outputs.readerEndpoint,
                    DATABASE_WRITE_FORWARDING: "true",
                    CACHE_READ_ONLY: "true",
                    ASSETS_BUCKET: stack(planned, s).outputs.assetsBucketName,
                    ASSETS_WRITE_BUCKET: primaryOut().assetsBucketName,
                    ASSETS_WRITE_BUCKET_REGION: "ap-northeast-1",
                });
            }
        });
    });

    describe("alarms", () => {
        const t = lagThresholds(5);
        it("derives thresholds from the RPO, and states S3's RTC bound honestly", () => {
            expect(t).to.deep.equal({
                auroraMs: 5000,
                dynamodbMs: 5000,
                elasticacheSeconds: 5,
                s3Seconds: 900,
            });
            expect(lagThresholds(1200).s3Seconds).to.equal(1200);
            expect(() => lagThresholds(0)).to.throw(/rpoSeconds/);
        });

        it("watches Aurora and ElastiCache lag on every member, the writer included, and DynamoDB latency per receiving region", () => {
            for (const s of [...secondaries, "ap-northeast-1"]) {
                const alarms = stack(planned, s)
                    .mocks.ofType(T.alarm)
                    .filter((a) => a.parent?.includes(GLOBAL_DATA));
                const aurora = alarms.filter(
                    (a) => a.inputs.metricName === "AuroraGlobalDBReplicationLag",
                );
                expect(aurora, s).to.have.length(1);
                expect(aurora[0].inputs).to.deep.include({
                    threshold: 5000,
                    dimensions: {
                        DBClusterIdentifier: names.auroraCluster(
                            stack(planned, s).config.environment,
                            s,
                        ),
                    },
                    // The writer emits no lag: missing data is not a breach (after a
                    // switchover this member may be the writer, or a replica again).
                    treatMissingData: "notBreaching",
                });
                expect(aurora[0].region).to.equal(s);
                const cache = alarms.filter(
                    (a) => a.inputs.metricName === "GlobalDatastoreReplicationLag",
                );
                expect(cache, s).to.have.length(1);
                expect(cache[0].inputs).to.include({
                    threshold: 5,
                    treatMissingData: "notBreaching",
                });
            }
            const p = stack(planned, "ap-northeast-1")
                .mocks.ofType(T.alarm)
                .filter((a) => a.inputs.metricName === "ReplicationLatency");
            const pairs = p
                .map(
                    (a) =>
                        `${String(obj(a.inputs.dimensions).TableName)}→${String(obj(a.inputs.dimensions).ReceivingRegion)}`,
                )
                .sort();
            expect(pairs).to.deep.equal(
                ["taskflow-prod-sessions", "taskflow-prod-user_preferences"]
                    .flatMap((tb) => secondaries.map((s) => `${tb}→${s}`))
                    .sort(),
            );
            expect(
                p.every((a) => a.inputs.threshold === 5000 && a.region === "ap-northeast-1"),
            ).to.equal(true);
        });

        it("notifies the region's cell alarm topic on alarm and on recovery", () => {
            for (const s of [...secondaries, "ap-northeast-1"]) {
                const mocks = stack(planned, s).mocks;
                const topic = mocks
                    .ofType("aws:sns/topic:Topic")
                    .find((r) => r.inputs.name === `taskflow-prod-cell-alarms-${s}`)!;
                expect(topic.region).to.equal(s);
                const alarms = mocks.ofType(T.alarm).filter((a) => a.parent?.includes(GLOBAL_DATA));
                expect(alarms, s).to.not.be.empty;
                for (const a of alarms) {
                    expect(a.inputs.alarmActions, a.name).to.deep.equal([topic.outputs.arn]);
                    expect(a.inputs.okActions, a.name).to.deep.equal([topic.outputs.arn]);
                }
            }
        });

        it("watches S3 replication latency per destination in the source region", () => {
            const s3 = stack(planned, "global")
                .mocks.ofType(T.alarm)
                .filter(
                    (a) =>
                        a.inputs.namespace === "AWS/S3" &&
                        a.inputs.metricName === "ReplicationLatency",
                );
            expect(s3.map((a) => obj(a.inputs.dimensions).RuleId).sort()).to.deep.equal(
                secondaries.map((s) => `assets-to-${s}`).sort(),
            );
            expect(
                s3.every((a) => a.region === "ap-northeast-1" && a.inputs.threshold === 900),
            ).to.equal(true);
        });
    });

    describe("residency", () => {
        it("classifies every GlobalData store as global", () => {
            const stores = under(planned, GLOBAL_DATA).filter((r) => DATA_TYPES.includes(r.type));
            expect(stores.length).to.be.greaterThan(20);
            for (const r of stores)
                expect(obj(r.inputs.tags)[RESIDENCY_TAG_KEY], r.urn).to.equal("global");
        });

        it("passes the policy pack with no violation on any GlobalData or AssetsReplication resource", () => {
            for (const ps of [planned, fixture]) {
                const mine = ps
                    .flatMap((p) => p.plan.violations)
                    .filter(
                        (v) =>
                            v.urn &&
                            (v.urn.includes(GLOBAL_DATA) || v.urn.includes(ASSETS_REPLICATION)),
                    );
                expect(mine).to.deep.equal([]);
            }
        });

        it("puts nothing of the global data in a region whose topology entry forbids it", () => {
            // The real stacks: a region added with globalData: false holds nothing of it.
            for (const p of planned.filter((x) => x.config.role === "secondary")) {
                const held = p.mocks.resources.filter(
                    (r) => r.urn.includes(GLOBAL_DATA) && r.custom,
                );
                if (holdsGlobalData(p.config)) expect(held, p.plan.stack).to.not.be.empty;
                else {
                    expect(held, p.plan.stack).to.deep.equal([]);
                    expect(p.outputs.globalData, p.plan.stack).to.equal(false);
                }
            }
            const eu = stack(fixture, "eu-west-1");
            expect(
                eu.mocks.resources.filter((r) => r.urn.includes(GLOBAL_DATA) && r.custom),
            ).to.deep.equal([]);
            expect(eu.outputs.globalData).to.equal(false);
            const primary = stack(fixture, "ap-northeast-1");
            for (const t of gd(primary, T.table)) {
                expect((t.inputs.replicas as Obj[]).map((r) => r.regionName)).to.deep.equal([
                    "us-east-1",
                ]);
            }
            expect(gd(primary, T.replicaKey).map((k) => k.region)).to.deep.equal(["us-east-1"]);
            expect(Object.keys(obj(primary.outputs.kmsKeyArns)).sort()).to.deep.equal([
                "ap-northeast-1",
                "us-east-1",
            ]);
            const every = fixture.flatMap((p) =>
                p.mocks.resources.filter(
                    (r) =>
                        r.custom &&
                        r.region === "eu-west-1" &&
                        (r.urn.includes(GLOBAL_DATA) || r.urn.includes(ASSETS_REPLICATION)),
                ),
            );
            expect(every).to.deep.equal([]);
            const [cfg] = stack(fixture, "global").mocks.ofType(T.replication);
            expect((cfg.inputs.rules as Obj[]).map((r) => obj(r.destination).bucket)).to.deep.equal(
                [stack(fixture, "us-east-1").outputs.assetsBucketArn],
            );
        });

        it("refuses a replication destination the topology forbids, and one equal to the source, naming the region", () => {
            const cfg = stack(fixture, "global").config;
            const end = (region: string): ReplicationEnd => ({
                region,
                bucketName: "b",
                bucketArn: "arn:aws:s3:::b",
                kmsKeyArn: "k",
            });
            expect(
                replicationEndProblems(globalDataRegions(cfg.topology), end("ap-northeast-1"), [
                    end("us-east-1"),
                ]),
            ).to.deep.equal([]);
            const forbidden = replicationEndProblems(
                globalDataRegions(cfg.topology),
                end("ap-northeast-1"),
                [end("us-east-1"), end("eu-west-1")],
            );
            expect(forbidden).to.have.length(1);
            expect(forbidden[0]).to.match(/eu-west-1 does not allow global data.*globalData/);
            expect(
                replicationEndProblems(globalDataRegions(cfg.topology), end("ap-northeast-1"), [
                    end("ap-northeast-1"),
                ])[0],
            ).to.match(/is the source region/);
            expect(
                replicationEndProblems(globalDataRegions(cfg.topology), end("us-east-1"), [
                    end("ap-northeast-1"),
                ])[0],
            ).to.match(/not the primary region/);
        });
    });

    describe("cross-stack wiring, proven with changed upstream outputs", () => {
        // The ids and names the repo's plan produces equal the naming convention
        // (taskflow-prod-aurora, taskflow-prod-assets-<account>-global-<region>), so they cannot tell real
        // wiring from a hard-coded name. Here the upstream stacks' planned outputs are changed
        // before the downstream stack is planned, and the changed values must come through.
        const files = readProjectFiles(REPO_ROOT);
        const configs = () => validateAll(files);
        const ref = (st: string) => stackRefName(topology(), st);
        const changedPrimary = () => ({
            ...primaryOut(),
            auroraGlobalClusterId: "renamed-global-cluster",
            globalDatastoreId: "abcde-renamed-datastore",
            cacheAuthToken: "renamed-token-0123456789abcdef",
            assetsBucketName: "renamed-source-bucket",
            assetsBucketArn: "arn:aws:s3:::renamed-source-bucket",
            kmsKeyArns: Object.fromEntries(
                Object.keys(obj(primaryOut().kmsKeyArns)).map((r) => [
                    r,
                    `arn:aws:kms:${r}:123456789012:key/mrk-renamed${r.replace(/-/g, "")}`,
                ]),
            ),
        });

        it("joins a secondary to the global cluster, datastore, keys, token and source bucket the primary exports", async () => {
            const up = changedPrimary();
            const us = await planStack(
                configs()["us-east-1"],
                files.stacks["us-east-1"],
                files.project,
                {
                    [ref("ap-northeast-1")]: up,
                },
            );
            const [c] = gd(us, T.cluster);
            expect(c.inputs.globalClusterIdentifier).to.equal("renamed-global-cluster");
            expect(c.inputs.kmsKeyId).to.equal(obj(up.kmsKeyArns)["us-east-1"]);
            const [g] = gd(us, T.cacheGroup);
            expect(g.inputs.globalReplicationGroupId).to.equal("abcde-renamed-datastore");
            expect(g.inputs.authToken).to.equal("renamed-token-0123456789abcdef");
            const stmts = statements(gd(us, T.rolePolicy)[0].inputs.policy);
            expect(stmts.find((st) => st.Sid === "AssetsWriteToSource")!.Resource).to.deep.equal([
                "arn:aws:s3:::renamed-source-bucket/*",
            ]);
            expect(stmts.find((st) => st.Sid === "SourceKeyThroughS3")!.Resource).to.deep.equal([
                obj(up.kmsKeyArns)["ap-northeast-1"],
            ]);
            expect(taskEnv(us).ASSETS_WRITE_BUCKET).to.equal("renamed-source-bucket");
        });

        it("replicates between the buckets and keys the region stacks export, whatever their names", async () => {
            const renamed = (st: string) => ({
                ...stack(planned, st).outputs,
                assetsBucketName: `renamed-assets-${st}`,
                assetsBucketArn: `arn:aws:s3:::renamed-assets-${st}`,
                globalDataKmsKeyArn: `arn:aws:kms:${st}:123456789012:key/mrk-renamed`,
            });
            // every region stack the global stack references, each with renamed outputs
            const g = await planStack(
                configs().global,
                files.stacks.global,
                files.project,
                Object.fromEntries(topology().regions.map((r) => [ref(r.stack), renamed(r.stack)])),
            );
            const [cfg] = g.mocks.ofType(T.replication);
            expect(cfg.inputs.bucket).to.equal("renamed-assets-ap-northeast-1");
            const rules = cfg.inputs.rules as Obj[];
            expect(rules.map((r) => obj(r.destination).bucket).sort()).to.deep.equal(
                secondaries.map((r) => `arn:aws:s3:::renamed-assets-${r}`).sort(),
            );
            for (const r of rules) {
                const d = obj(r.destination);
                const region = String(d.bucket).replace("arn:aws:s3:::renamed-assets-", "");
                expect(d.encryptionConfiguration).to.deep.equal({
                    replicaKmsKeyId: `arn:aws:kms:${region}:123456789012:key/mrk-renamed`,
                });
            }
            const [rp] = g.mocks
                .ofType(T.rolePolicy)
                .filter((r) => r.parent?.includes(ASSETS_REPLICATION));
            const text = JSON.stringify(statements(rp.inputs.policy));
            expect(text).to.include("arn:aws:s3:::renamed-assets-ap-northeast-1");
            expect(text).to.not.include("taskflow-prod-assets-");
        });
    });

    describe("pure helpers", () => {
        it("builds the key policy for the region it is given", () => {
            const s = statements(dataKeyPolicy("aws", "111122223333", "eu-west-1"));
            expect(JSON.stringify(s))
                .to.include("dynamodb.eu-west-1.amazonaws.com")
                .and.not.include("us-east-1");
        });

        it("refuses an environment too long for an ElastiCache group id, naming the key", () => {
            const cfg = {
                ...stack(planned, "ap-northeast-1").config,
                environment: "a-very-long-environment-name",
            };
            expect(() => names.cacheGroup(cfg.environment, "ap-northeast-1")).to.throw(
                /taskflow:environment "a-very-long-environment-name".*40 characters/,
            );
        });

        it("limits KMS use in the replication role to S3 in each key's region", () => {
            const p = replicationRolePolicy(
                { region: "ap-northeast-1", bucketArn: "arn:aws:s3:::src", kmsKeyArn: "arn:k1" },
                [{ region: "us-east-1", bucketArn: "arn:aws:s3:::dst", kmsKeyArn: "arn:k2" }],
            );
            const enc = statements(p).find((s) => actions(s).includes("kms:Encrypt"))!;
            expect(enc.Resource).to.deep.equal(["arn:k2"]);
            expect(JSON.stringify(enc.Condition)).to.include("s3.us-east-1.amazonaws.com");
        });
    });
});
