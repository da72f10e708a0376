/** GlobalData's write path follows `writerRegion` after a switchover; ownership stays. */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { stackRefName } from "../../../config";
import { RecordingMocks } from "../../../plan/mocks";
import { REPO_ROOT, readProjectFiles, validateAll } from "../../../plan/run";
import { GlobalData } from "../../../components/data";
import { globalDataArgs, regionStackConfig } from "../../../regions/args";
import { repoPlan } from "../../helpers/repo-plan";
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

describe("GlobalData write path after a switchover (writerRegion)", function () {
    this.timeout(30000);

    /** Builds one stack's GlobalData alone under fresh mocks, the writer in `writerRegion`. */
    async function build(stackName: string, writerRegion?: string) {
        const files = readProjectFiles(REPO_ROOT);
        const cfg = validateAll(files)[stackName];
        const planned = await repoPlan();
        const primaryOutputs = planned.find((p) => p.plan.stack === "ap-northeast-1")!.outputs;
        const mocks = new RecordingMocks({
            project: "taskflow",
            stack: stackName,
            awsRegion: cfg.awsRegion,
            stackOutputs: { [stackRefName(cfg.topology, "ap-northeast-1")]: primaryOutputs },
        });
        await mocks.install("taskflow");
        const o = <T>(v: T) => pulumi.output(v);
        const network = {
            vpcId: o("vpc-1"),
            isolatedSubnetIds: o(["subnet-a", "subnet-b"]),
            dataSecurityGroupId: o("sg-data"),
            taskRoleName: o("task-role"),
            kmsKeyArn: o(`arn:aws:kms:${cfg.awsRegion}:123456789012:key/cell`),
            alarmTopicArn: o(`arn:aws:sns:${cfg.awsRegion}:123456789012:alarms`),
        };
        const primary =
            cfg.role === "secondary"
                ? {
                      auroraGlobalClusterId: String(primaryOutputs.auroraGlobalClusterId),
                      globalDatastoreId: String(primaryOutputs.globalDatastoreId),
                      kmsKeyArns: primaryOutputs.kmsKeyArns as Record<string, string>,
                      cacheAuthToken: String(primaryOutputs.cacheAuthToken),
                      assetsBucketName: String(primaryOutputs.assetsBucketName),
                      assetsBucketArn: String(primaryOutputs.assetsBucketArn),
                  }
                : undefined;
        const data = new GlobalData("global-data", {
            ...globalDataArgs(regionStackConfig(cfg), network, primary),
            writerRegion,
        });
        const env = await (
            pulumi.output(data.endpoints) as unknown as {
                promise: () => Promise<Record<string, string>>;
            }
        ).promise();
        await (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
        expect(mocks.errors).to.deep.equal([]);
        const [cluster] = mocks.ofType(T.cluster);
        return { env, cluster };
    }

    it("moves write forwarding, the database host and the read-only cache to the new writer's peers", async () => {
        const primary = await build("ap-northeast-1", "us-east-1");
        expect(primary.cluster.inputs.enableGlobalWriteForwarding).to.equal(true);
        expect(primary.env).to.include({
            DATABASE_HOST: primary.cluster.outputs.readerEndpoint,
            DATABASE_WRITE_FORWARDING: "true",
            CACHE_READ_ONLY: "true",
        });
        const writer = await build("us-east-1", "us-east-1");
        expect(writer.cluster.inputs).to.not.have.property("enableGlobalWriteForwarding");
        expect(writer.env).to.include({
            DATABASE_HOST: writer.cluster.outputs.endpoint,
            DATABASE_WRITE_FORWARDING: "false",
            CACHE_READ_ONLY: "false",
        });
        // Ownership does not move: the primary stack still creates the global cluster.
        expect(primary.cluster.inputs.databaseName).to.be.a("string");
    });

    it("defaults the writer to the topology's primary", async () => {
        const { cluster, env } = await build("ap-northeast-1");
        expect(cluster.inputs).to.not.have.property("enableGlobalWriteForwarding");
        expect(env.DATABASE_HOST).to.equal(cluster.outputs.endpoint);
    });

    it("refuses a writer region that does not hold global data", async () => {
        let err: Error | undefined;
        try {
            await build("ap-northeast-1", "eu-central-1");
        } catch (e) {
            err = e as Error;
        }
        expect(err?.message).to.match(/writerRegion "eu-central-1" is not a global-data region/);
    });
});
