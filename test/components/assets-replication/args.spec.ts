/** AssetsReplication built from a literal args object: one rule and two alarms per destination. */
import { expect } from "chai";
import {
    AssetsReplication,
    AssetsReplicationArgs,
    ReplicationEnd,
} from "../../../components/assets-replication";
import { buildUnderMocks } from "../../helpers/component";
import { T as TYPES } from "../../../policies/types";

/** Short names for the type tokens these specs read, from the pack's one table (policies/types.ts). */
const T = {
    config: TYPES.bucketReplication,
    alarm: TYPES.metricAlarm,
};

const end = (region: string): ReplicationEnd => ({
    region,
    bucketName: `b-${region}`,
    bucketArn: `arn:aws:s3:::b-${region}`,
    kmsKeyArn: `arn:aws:kms:${region}:123456789012:key/mrk-1`,
});

const BASE: AssetsReplicationArgs = {
    globalDataRegions: ["ap-northeast-1", "us-east-1"],
    zones: ["jp", "us"],
    source: end("ap-northeast-1"),
    destinations: [end("us-east-1")],
};

const build = (args: AssetsReplicationArgs) =>
    buildUnderMocks("us-east-1", () => {
        new AssetsReplication("assets", args);
    });

describe("AssetsReplication from literal args", function () {
    this.timeout(30000);

    it("replicates the source bucket to each destination under the destination's key, in the source region", async () => {
        const b = await build(BASE);
        const [config] = b.ofType(T.config);
        expect(config.inputs).to.include({ region: "ap-northeast-1", bucket: "b-ap-northeast-1" });
        const [rule] = config.inputs.rules as {
            id: string;
            destination: Record<string, unknown>;
        }[];
        expect(rule.id).to.equal("assets-to-us-east-1");
        expect(rule.destination.encryptionConfiguration).to.deep.equal({
            replicaKmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/mrk-1",
        });
        expect(b.ofType(T.alarm).map((a) => a.region)).to.deep.equal([
            "ap-northeast-1",
            "ap-northeast-1",
        ]);
    });

    it("alarms on latency at the RTC bound by default (5 s RPO), at the RPO when it is longer", async () => {
        const dflt = await build(BASE);
        expect(dflt.named("assets-latency-us-east-1-alarm").inputs.threshold).to.equal(900);
        const slow = await build({ ...BASE, rpoSeconds: 1200 });
        expect(slow.named("assets-latency-us-east-1-alarm").inputs.threshold).to.equal(1200);
    });

    it("refuses a destination outside the global-data regions, before registering anything", async () => {
        let err: unknown;
        const b = await buildUnderMocks("us-east-1", () => {
            try {
                new AssetsReplication("assets", { ...BASE, destinations: [end("eu-west-1")] });
            } catch (e) {
                err = e;
            }
        });
        expect(String(err)).to.match(/destination region eu-west-1 does not allow global data/);
        expect(b.resources).to.deep.equal([]);
    });
});
