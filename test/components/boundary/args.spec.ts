/** ResidencyBoundary built from a literal args object: its defaults and what each arg changes. */
import { expect } from "chai";
import { ResidencyBoundary, ResidencyBoundaryArgs } from "../../../components/boundary";
import { buildUnderMocks } from "../../helpers/component";
import { T as TYPES } from "../../../policies/types";

/** Short names for the type tokens these specs read, from the pack's one table (policies/types.ts). */
const T = {
    key: TYPES.kmsKey,
    alias: TYPES.kmsAlias,
    table: TYPES.table,
    bucket: TYPES.bucket,
    cluster: TYPES.rdsCluster,
    instance: TYPES.rdsClusterInstance,
};

const BASE: ResidencyBoundaryArgs = {
    zone: "us",
    zoneRegions: ["us-east-1", "us-west-2"],
    region: "us-east-1",
};

const build = (args: ResidencyBoundaryArgs) =>
    buildUnderMocks(args.region, () => {
        new ResidencyBoundary("residency", args);
    });

describe("ResidencyBoundary from literal args", function () {
    this.timeout(30000);

    it("defaults: environment prod, no Aurora, no replica, one key with its alias", async () => {
        const b = await build(BASE);
        expect(b.ofType(T.table)[0].inputs.name).to.equal("taskflow-prod-users-us-us-east-1");
        expect(b.ofType(T.bucket)[0].inputs.bucket).to.equal(
            "taskflow-prod-userdata-123456789012-us-us-east-1",
        );
        expect(b.ofType(T.cluster)).to.deep.equal([]);
        expect(b.ofType(T.table)[0].inputs).to.not.have.property("replicas");
        expect(b.ofType(T.key)).to.have.length(1);
        expect(b.ofType(T.alias)[0].inputs.name).to.equal("alias/taskflow-prod-residency-us");
    });

    it("Aurora: 2 instances, 14 days of backups, 16.6 and db.r7g.large unless told otherwise", async () => {
        const network = { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] };
        const dflt = await build({ ...BASE, aurora: true, ...network });
        expect(dflt.ofType(T.instance).map((i) => i.inputs.instanceClass)).to.deep.equal([
            "db.r7g.large",
            "db.r7g.large",
        ]);
        expect(dflt.ofType(T.cluster)[0].inputs).to.include({
            backupRetentionPeriod: 14,
            engineVersion: "16.6",
            clusterIdentifier: "taskflow-prod-db-us-us-east-1",
        });
        const tuned = await build({
            ...BASE,
            aurora: true,
            ...network,
            dbInstances: 1,
            backupRetentionDays: 30,
            auroraEngineVersion: "16.4",
            dbInstanceClass: "db.r7g.xlarge",
            environment: "stage",
        });
        expect(tuned.ofType(T.instance).map((i) => i.inputs.instanceClass)).to.deep.equal([
            "db.r7g.xlarge",
        ]);
        expect(tuned.ofType(T.cluster)[0].inputs).to.include({
            backupRetentionPeriod: 30,
            engineVersion: "16.4",
            clusterIdentifier: "taskflow-stage-db-us-us-east-1",
        });
    });

    it("gives each replica region of the zone a key of its own and a table replica under it", async () => {
        const b = await build({ ...BASE, replicaRegions: ["us-west-2"] });
        const keys = b.ofType(T.key);
        expect(keys.map((k) => k.inputs.region ?? "us-east-1").sort()).to.deep.equal([
            "us-east-1",
            "us-west-2",
        ]);
        const replicas = b.ofType(T.table)[0].inputs.replicas as { regionName: string }[];
        expect(replicas.map((r) => r.regionName)).to.deep.equal(["us-west-2"]);
    });
});
