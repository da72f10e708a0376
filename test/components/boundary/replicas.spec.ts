/**
 * ResidencyBoundary replicaRegions: zone table replicas in other regions of the zone only, each
 * under a key of its own, and what the pack says when the program's zone is widened.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ResidencyBoundary, ResidencyBoundaryArgs } from "../../../components/boundary";
import { boundaryArgsFromConfig } from "../../../regions/args";
import { StackConfig } from "../../../config";
import { RESIDENCY_TAG } from "../../../components/shared/residency";
import { RecordedResource, RecordingMocks } from "../../../plan/mocks";
import { allPolicies } from "../../../policies/all";
import { COMMITTED_PACK_CONFIG, loadPolicyConfig } from "../../../policies/config";
import { evaluatePlans, StackViolation } from "../../../policies/offline";
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

describe("ResidencyBoundary replicaRegions", function () {
    this.timeout(30000);

    it("reads replicaRegions from the stack config, defaulting to none", () => {
        const cfg = {
            stack: "eu-west-1",
            awsRegion: "eu-west-1",
            environment: "prod",
            auroraEngineVersion: "16.6",
            topology: { zones: { eu: ["eu-west-1"] } },
            boundary: { zone: "eu", aurora: false },
        } as unknown as StackConfig;
        expect(boundaryArgsFromConfig(cfg)!.replicaRegions).to.deep.equal([]);
        const withReplicas = {
            ...cfg,
            topology: { zones: { eu: ["eu-west-1", "eu-central-1"] } },
            boundary: { zone: "eu", aurora: false, replicaRegions: ["eu-central-1"] },
        } as unknown as StackConfig;
        expect(boundaryArgsFromConfig(withReplicas)!.replicaRegions).to.deep.equal([
            "eu-central-1",
        ]);
    });

    it("gives the zone table a replica per region, each with its own single-Region key there, PITR and deletion protection", async () => {
        // Zone us: the pack's matrix allows us-east-1 and ap-northeast-1.
        const us = await run({
            zone: "us",
            zoneRegions: ["us-east-1", "ap-northeast-1"],
            region: "us-east-1",
            replicaRegions: ["ap-northeast-1"],
        });
        expect(us.violations.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
        const table = one(us.mocks, T.table);
        const keys = us.mocks.ofType(T.key);
        const replicaKey = keys.find((k) => k.region === "ap-northeast-1")!;
        expect(replicaKey.inputs).to.include({ multiRegion: false, enableKeyRotation: true });
        expect(replicaKey.options.protect).to.equal(true);
        expect((replicaKey.inputs.tags as Record<string, string>)[RESIDENCY_TAG]).to.equal("us");
        expect(JSON.stringify(replicaKey.inputs.policy)).to.include(
            "dynamodb.ap-northeast-1.amazonaws.com",
        );
        expect(table.inputs.replicas).to.deep.equal([
            {
                regionName: "ap-northeast-1",
                kmsKeyArn: replicaKey.outputs.arn,
                pointInTimeRecovery: true,
                deletionProtectionEnabled: true,
                propagateTags: true,
            },
        ]);
        expect(table.inputs).to.include({
            streamEnabled: true,
            streamViewType: "NEW_AND_OLD_IMAGES",
        });
        expect(table.options.protect).to.equal(true);
    });

    it("is stopped by the pack's own zone matrix when the program's zone is widened beyond it (EU replica in us-east-1)", async () => {
        // The program's topology says eu → [eu-west-1, us-east-1]; the pack says eu → eu-west-1.
        const widened = await run({
            ...EU_ARGS,
            aurora: false,
            subnetIds: undefined,
            securityGroupIds: undefined,
            zoneRegions: ["eu-west-1", "us-east-1"],
            replicaRegions: ["us-east-1"],
        });
        const messages = widened.violations.map((v) => `${v.policy}: ${v.message}`);
        expect(messages).to.include(
            "residency-replication-out-of-zone: aws:dynamodb/table:Table 'residency-table' (zone eu, region eu-west-1) has a DynamoDB replica in us-east-1; rule: zone 'eu' data may only be stored in eu-west-1 and must not replicate elsewhere",
        );
        expect(
            messages.filter((m) =>
                m.startsWith(
                    "residency-region-outside-zone: aws:kms/key:Key 'residency-key-us-east-1' (zone eu) is in region us-east-1",
                ),
            ),
        ).to.have.length(1);
    });
});
