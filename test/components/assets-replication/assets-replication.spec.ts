/**
 * AssetsReplication built alone under fresh mocks with the global stack's ends, and the
 * replication ends the global stack reads from the region stacks (regions/contract.ts).
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { globalDataRegions, stackRefName } from "../../../config";
import { RecordedResource, RecordingMocks } from "../../../plan/mocks";
import { REPO_ROOT, readProjectFiles, validateAll } from "../../../plan/run";
import { AssetsReplication, ReplicationEnd } from "../../../components/assets-replication";
import { replicationEnds } from "../../../regions/contract";
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

describe("AssetsReplication (components/assets-replication.ts)", function () {
    this.timeout(30000);

    /** Builds the component alone under fresh mocks (the global stack's config) and returns what it registered. */
    async function build(alarmActions?: string[]): Promise<RecordedResource[]> {
        const files = readProjectFiles(REPO_ROOT);
        const cfg = validateAll(files).global;
        const mocks = new RecordingMocks({
            project: "taskflow",
            stack: "global",
            awsRegion: "us-east-1",
        });
        await mocks.install("taskflow");
        const end = (region: string): ReplicationEnd => ({
            region,
            bucketName: `b-${region}`,
            bucketArn: `arn:aws:s3:::b-${region}`,
            kmsKeyArn: `arn:aws:kms:${region}:123456789012:key/mrk-1`,
        });
        new AssetsReplication("assets", {
            globalDataRegions: globalDataRegions(cfg.topology),
            zones: Object.keys(cfg.topology.zones),
            rpoSeconds: cfg.rpoSeconds,
            source: end("ap-northeast-1"),
            destinations: [end("us-east-1"), end("eu-west-1")],
            ...(alarmActions ? { alarmActions } : {}),
        });
        await (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
        expect(mocks.errors).to.deep.equal([]);
        return mocks.ofType(T.alarm);
    }

    it("notifies the given topics on alarm and on recovery, from every replication alarm", async () => {
        const topic =
            "arn:aws:sns:ap-northeast-1:123456789012:taskflow-prod-cell-alarms-ap-northeast-1";
        const alarms = await build([topic]);
        expect(alarms).to.have.length(4);
        for (const a of alarms) {
            expect(a.inputs.alarmActions, a.name).to.deep.equal([topic]);
            expect(a.inputs.okActions, a.name).to.deep.equal([topic]);
            expect(a.region).to.equal("ap-northeast-1");
        }
    });

    it("notifies nobody by default", async () => {
        for (const a of await build()) {
            expect(a.inputs.alarmActions ?? [], a.name).to.deep.equal([]);
            expect(a.inputs.okActions ?? [], a.name).to.deep.equal([]);
        }
    });

    it("fails on a region stack that does not export its bucket, naming the output, instead of wiring undefined", async () => {
        const files = readProjectFiles(REPO_ROOT);
        const cfg = validateAll(files).global;
        const planned = await repoPlan();
        const outputsOf = (st: string) => planned.find((p) => p.plan.stack === st)!.outputs;
        const { assetsBucketName: _gone, ...primary } = outputsOf("ap-northeast-1");
        void _gone;
        const mocks = new RecordingMocks({
            project: "taskflow",
            stack: "global",
            awsRegion: "us-east-1",
            stackOutputs: {
                [stackRefName(cfg.topology, "ap-northeast-1")]: primary,
                [stackRefName(cfg.topology, "us-east-1")]: outputsOf("us-east-1"),
                [stackRefName(cfg.topology, "eu-west-1")]: outputsOf("eu-west-1"),
            },
        });
        await mocks.install("taskflow");
        const refs = Object.fromEntries(
            globalDataRegions(cfg.topology).map((r) => [
                r,
                new pulumi.StackReference(`ref-${r}`, { name: stackRefName(cfg.topology, r) }),
            ]),
        );
        const ends = replicationEnds(cfg.topology, refs);
        const value = (o: pulumi.Input<string>) =>
            (pulumi.output(o) as unknown as { promise: () => Promise<string> }).promise();
        let err: Error | undefined;
        await value(ends.source.bucketName).catch((e: Error) => (err = e));
        expect(err?.message).to.match(/assetsBucketName/);
        expect(await value(ends.destinations[0].bucketName)).to.equal(
            outputsOf(ends.destinations[0].region).assetsBucketName,
        );
    });

    it("reads every end with requireOutput, so a missing output fails instead of becoming undefined", () => {
        const asked: string[] = [];
        const src = {
            requireOutput: (k: string) => {
                asked.push(k);
                return pulumi.output(`v-${k}`);
            },
        };
        const files = readProjectFiles(REPO_ROOT);
        const cfg = validateAll(files).global;
        const refs = Object.fromEntries(globalDataRegions(cfg.topology).map((r) => [r, src]));
        replicationEnds(cfg.topology, refs);
        expect([...new Set(asked)].sort()).to.deep.equal([
            "assetsBucketArn",
            "assetsBucketName",
            "globalDataKmsKeyArn",
        ]);
    });
});
