/**
 * GlobalData built from a literal args object (no stack config): the primary owns what
 * replicates, a secondary joins what it is given, a region without global data gets nothing.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { GlobalData, GlobalDataArgs } from "../../../components/data";
import { buildUnderMocks, json, valueOf } from "../../helpers/component";
import { T as TYPES } from "../../../policies/types";

/** Short names for the type tokens these specs read, from the pack's one table (policies/types.ts). */
const T = {
    globalCluster: TYPES.rdsGlobalCluster,
    cluster: TYPES.rdsCluster,
    instance: TYPES.rdsClusterInstance,
    table: TYPES.table,
    key: TYPES.kmsKey,
    replicaKey: TYPES.kmsReplicaKey,
    cache: TYPES.cacheGroup,
    datastore: TYPES.cacheGlobal,
    alarm: TYPES.metricAlarm,
    bucket: TYPES.bucket,
};

const o = <V>(v: V) => pulumi.output(v);
const network = (region: string) => ({
    isolatedSubnetIds: o(["subnet-1", "subnet-2"]),
    dataSecurityGroupId: o("sg-data"),
    taskRoleName: o("task-role"),
    alarmTopicArn: o(`arn:aws:sns:${region}:123456789012:alarms`),
});

const PRIMARY: GlobalDataArgs = {
    role: "primary",
    region: "ap-northeast-1",
    globalDataRegions: ["ap-northeast-1", "us-east-1"],
    zones: ["jp", "us"],
    network: network("ap-northeast-1"),
};

const SECONDARY: GlobalDataArgs = {
    role: "secondary",
    region: "us-east-1",
    globalDataRegions: ["ap-northeast-1", "us-east-1"],
    zones: ["jp", "us"],
    network: network("us-east-1"),
    primary: {
        auroraGlobalClusterId: "literal-global",
        globalDatastoreId: "abcde-literal-cache",
        kmsKeyArns: {
            "ap-northeast-1": "arn:aws:kms:ap-northeast-1:123456789012:key/mrk-p",
            "us-east-1": "arn:aws:kms:us-east-1:123456789012:key/mrk-r",
        },
        cacheAuthToken: "literal-token",
        assetsBucketName: "literal-source",
        assetsBucketArn: "arn:aws:s3:::literal-source",
    },
};

async function build(args: GlobalDataArgs) {
    let data: GlobalData | undefined;
    const built = await buildUnderMocks(args.region, () => {
        data = new GlobalData("global-data", args);
    });
    return { built, data: data! };
}

describe("GlobalData from literal args", function () {
    this.timeout(30000);

    it("primary: the global cluster, a key replica and a table replica in every other region", async () => {
        const { built } = await build(PRIMARY);
        expect(built.ofType(T.globalCluster)[0].inputs.globalClusterIdentifier).to.equal(
            "taskflow-prod-aurora",
        );
        expect(built.ofType(T.replicaKey).map((k) => k.inputs.region)).to.deep.equal(["us-east-1"]);
        for (const t of built.ofType(T.table)) {
            expect(
                (t.inputs.replicas as { regionName: string }[]).map((r) => r.regionName),
            ).to.deep.equal(["us-east-1"]);
        }
        expect(built.ofType(T.datastore)).to.have.length(1);
    });

    it("defaults: 2 instances, 2 cache nodes, 16.6, db.r7g.large, cache.r7g.large, a 5 s RPO", async () => {
        const { built } = await build(PRIMARY);
        expect(built.ofType(T.instance).map((i) => i.inputs.instanceClass)).to.deep.equal([
            "db.r7g.large",
            "db.r7g.large",
        ]);
        const [cache] = built.ofType(T.cache);
        expect(cache.inputs).to.include({ numCacheClusters: 2, nodeType: "cache.r7g.large" });
        expect(built.ofType(T.cluster)[0].inputs.engineVersion).to.equal("16.6");
        const lag = built.named("global-data-aurora-lag-alarm");
        expect(lag.inputs.threshold).to.equal(5000);
    });

    it("takes the sizes, the engine, the RPO and the environment it is given", async () => {
        const { built } = await build({
            ...PRIMARY,
            environment: "stage",
            dbInstances: 1,
            cacheNodes: 1,
            dbInstanceClass: "db.r7g.xlarge",
            cacheNodeType: "cache.r7g.xlarge",
            auroraEngineVersion: "15.4",
            rpoSeconds: 30,
        });
        expect(built.ofType(T.instance)).to.have.length(1);
        expect(built.ofType(T.cache)[0].inputs).to.include({
            numCacheClusters: 1,
            automaticFailoverEnabled: false,
        });
        expect(built.ofType(T.cluster)[0].inputs.clusterIdentifier).to.equal(
            "taskflow-stage-aurora-global-ap-northeast-1",
        );
        expect(built.named("global-data-aurora-lag-alarm").inputs.threshold).to.equal(30000);
    });

    it("secondary: joins the cluster and datastore it is given, under the replica key of its region", async () => {
        const { built, data } = await build(SECONDARY);
        expect(built.ofType(T.globalCluster)).to.deep.equal([]);
        expect(built.ofType(T.table)).to.deep.equal([]);
        const [cluster] = built.ofType(T.cluster);
        expect(cluster.inputs).to.include({
            globalClusterIdentifier: "literal-global",
            kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/mrk-r",
            enableGlobalWriteForwarding: true,
        });
        expect(built.ofType(T.cache)[0].inputs.globalReplicationGroupId).to.equal(
            "abcde-literal-cache",
        );
        const env = await valueOf(pulumi.output(data.endpoints));
        expect(env).to.include({
            ASSETS_WRITE_BUCKET: "literal-source",
            ASSETS_WRITE_BUCKET_REGION: "ap-northeast-1",
            CACHE_READ_ONLY: "true",
        });
        const access = json(built.named("global-data-task-access").inputs.policy);
        expect(JSON.stringify(access)).to.include("arn:aws:s3:::literal-source/*");
    });

    it("registers nothing but itself where the region holds no global data", async () => {
        const { built, data } = await build({
            ...SECONDARY,
            holdsGlobalData: false,
            primary: undefined,
        });
        expect(built.resources.map((r) => r.type)).to.deep.equal(["taskflow:data:GlobalData"]);
        expect(data.endpoints).to.deep.equal({});
    });

    it("refuses a secondary without the primary's refs, before registering anything", async () => {
        let err: unknown;
        const built = await buildUnderMocks("us-east-1", () => {
            try {
                new GlobalData("global-data", { ...SECONDARY, primary: undefined });
            } catch (e) {
                err = e;
            }
        });
        expect(String(err)).to.match(/needs the primary stack's references/);
        expect(built.resources).to.deep.equal([]);
    });

    it("refuses a member that cannot forward writes, before registering anything", async () => {
        let err: unknown;
        const built = await buildUnderMocks("us-east-1", () => {
            try {
                new GlobalData("global-data", { ...SECONDARY, auroraEngineVersion: "14.3" });
            } catch (e) {
                err = e;
            }
        });
        expect(String(err)).to.match(/"14.3" does not support global write forwarding/);
        expect(built.resources).to.deep.equal([]);
    });
});
