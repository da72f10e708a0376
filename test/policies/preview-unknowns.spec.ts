/**
 * Inside a real `pulumi preview`, the policy SDK hands props wrapped in a proxy that throws on an
 * unknown value, and turns that throw into an advisory note (fail-open). The residency policies
 * read the raw values instead, so an unknown still yields a mandatory violation.
 */
import { expect } from "chai";
import {
    PolicyResource,
    ResourceValidationArgs,
    StackValidationPolicy,
    unknownCheckingProxy,
} from "@pulumi/policy";
import { encryptionAtRestCmk, s3EncryptionCmk } from "../../policies/guardrails";
import { dataFlow, replicationOutOfZone } from "../../policies/replication";
import { regionOutsideZone } from "../../policies/classification";
import { RESIDENCY_TAG, UNKNOWN } from "../../policies/residency";

function args(
    type: string,
    props: Record<string, unknown>,
    region = "eu-west-1",
): ResourceValidationArgs {
    return {
        type,
        name: "eu-store",
        urn: `urn:pulumi:eu-west-1::taskflow::${type}::eu-store`,
        props: unknownCheckingProxy(props),
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        provider: {
            type: "pulumi:providers:aws",
            name: "default",
            urn: "p",
            props: unknownCheckingProxy({ region }),
        },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: () => {
            throw new Error("not applicable");
        },
    } as ResourceValidationArgs;
}

function run(policy: typeof replicationOutOfZone, a: ResourceValidationArgs): string[] {
    const out: string[] = [];
    const validate = policy.validateResource as (
        a: ResourceValidationArgs,
        r: (m: string) => void,
    ) => void;
    validate(a, (m) => out.push(m));
    return out;
}

describe("policies under the preview proxy", () => {
    it("the SDK proxy throws on an unknown value (what would make a naive policy fail open)", () => {
        const props = unknownCheckingProxy({ multiRegion: UNKNOWN }) as Record<string, unknown>;
        expect(() => props.multiRegion).to.throw(/can't be known during preview/);
    });

    it("reports an EU key whose multiRegion flag is unknown, instead of throwing", () => {
        const found = run(
            replicationOutOfZone,
            args("aws:kms/key:Key", { multiRegion: UNKNOWN, tags: { [RESIDENCY_TAG]: "eu" } }),
        );
        expect(found).to.have.length(1);
        expect(found[0]).to.include(
            "aws:kms/key:Key 'eu-store' (zone eu, region eu-west-1) has multiRegion not known until apply",
        );
    });

    it("reports an EU store whose region input is unknown, instead of throwing", () => {
        const found = run(
            regionOutsideZone,
            args("aws:dynamodb/table:Table", { region: UNKNOWN, tags: { [RESIDENCY_TAG]: "eu" } }),
        );
        expect(found).to.deep.equal([
            "aws:dynamodb/table:Table 'eu-store' (zone eu) has no provable region: (unknown until apply); rule: zone 'eu' data may only be stored in eu-west-1 and must not replicate elsewhere",
        ]);
    });

    it("passes a known, in-zone, single-Region EU key under the proxy", () => {
        expect(
            run(
                replicationOutOfZone,
                args("aws:kms/key:Key", { multiRegion: false, tags: { [RESIDENCY_TAG]: "eu" } }),
            ),
        ).to.deep.equal([]);
        expect(
            run(regionOutsideZone, args("aws:kms/key:Key", { tags: { [RESIDENCY_TAG]: "eu" } })),
        ).to.deep.equal([]);
    });
});

describe("the data-flow model during a first preview (same-stack references unknown)", () => {
    const resource = (
        type: string,
        name: string,
        props: Record<string, unknown>,
        deps: Record<string, PolicyResource[]> = {},
    ): PolicyResource =>
        ({
            type,
            name,
            urn: `urn:pulumi:ap-northeast-1::taskflow::${type}::${name}`,
            props: unknownCheckingProxy(props),
            opts: {},
            provider: {
                type: "pulumi:providers:aws",
                name: "default",
                urn: "p",
                props: { region: "ap-northeast-1" },
            },
            dependencies: [],
            propertyDependencies: deps,
            isType: () => false,
            asType: () => undefined,
        }) as unknown as PolicyResource;

    function wiring(resources: PolicyResource[]): string[] {
        const out: string[] = [];
        void dataFlow.validateStack(
            {
                resources,
                stackTags: new Map(),
                getConfig: <T extends object>() => ({}) as T,
                notApplicable: () => undefined as never,
            },
            (m) => out.push(m),
        );
        return out;
    }

    const table = (classification: string) =>
        resource("aws:dynamodb/table:Table", `${classification}-table`, {
            name: UNKNOWN,
            arn: UNKNOWN,
            tags: { [RESIDENCY_TAG]: classification },
        });
    const replica = (deps: PolicyResource[]) =>
        resource(
            "aws:dynamodb/tableReplica:TableReplica",
            "replica",
            { region: "us-east-1", globalTableArn: UNKNOWN, tags: { [RESIDENCY_TAG]: "global" } },
            { globalTableArn: deps },
        );

    it("proves an unknown reference through the engine's property dependencies", () => {
        const global = table("global");
        expect(wiring([global, replica([global])])).to.deep.equal([]);
    });

    it("still catches a zone table behind an unknown reference", () => {
        const jp = table("jp");
        const found = wiring([jp, replica([jp])]);
        expect(found).to.have.length(1);
        expect(found[0]).to.include(
            "aws:dynamodb/tableReplica:TableReplica 'replica' (region us-east-1) reads zone 'jp' data of aws:dynamodb/table:Table 'jp-table' (globalTableArn), but it is in region us-east-1",
        );
    });

    it("fails closed when nothing names the unknown reference's source", () => {
        const found = wiring([table("global"), replica([])]);
        expect(found).to.have.length(1);
        expect(found[0]).to.include("fail closed");
    });

    // AWS Backup: a selection's planId and resource ARNs are unknown on a first preview.
    const plan = resource("aws:backup/plan:Plan", "plan", {
        id: UNKNOWN,
        rules: [
            {
                ruleName: "daily",
                targetVaultName: "taskflow-prod-vault-global-ap-northeast-1",
                copyActions: [
                    {
                        destinationVaultArn:
                            "arn:aws:backup:us-east-1:123456789012:backup-vault:taskflow-prod-vault-global-us-east-1",
                    },
                ],
            },
        ],
        tags: { [RESIDENCY_TAG]: "global" },
    });
    const selection = (stores: PolicyResource[]) =>
        resource(
            "aws:backup/selection:Selection",
            "selection",
            { planId: UNKNOWN, resources: stores.map(() => UNKNOWN) },
            { planId: [plan], resources: stores },
        );

    it("proves a backup selection's plan and resources through property dependencies", () => {
        const global = table("global");
        expect(wiring([global, plan, selection([global])])).to.deep.equal([]);
    });

    it("links a selection of a zone table to its plan's copy actions behind unknowns", () => {
        const global = table("global");
        const jp = table("jp");
        expect(wiring([global, jp, plan, selection([global, jp])])).to.deep.equal([
            // The selection hands the jp table to the plan, whose vaults no plan of the stack shows.
            "aws:backup/plan:Plan 'plan' (region ap-northeast-1) sends zone 'jp' data of aws:dynamodb/table:Table 'jp-table' through aws:backup/selection:Selection 'selection' to \"taskflow-prod-vault-global-ap-northeast-1\" at rules[].targetVaultName, which cannot be proven: no plan of this stack shows it and the pack's config does not declare it (names are no proof); rule: zone 'jp' data may only be stored in ap-northeast-1 and must not replicate elsewhere",
            "aws:backup/plan:Plan 'plan' (region ap-northeast-1) sends zone 'jp' data of aws:dynamodb/table:Table 'jp-table' through aws:backup/selection:Selection 'selection' to \"arn:aws:backup:us-east-1:123456789012:backup-vault:taskflow-prod-vault-global-us-east-1\" at rules[].copyActions[].destinationVaultArn, which cannot be proven: no plan of this stack shows it and the pack's config does not declare it (names are no proof); rule: zone 'jp' data may only be stored in ap-northeast-1 and must not replicate elsewhere",
        ]);
    });

    it("proves both ends of a table export behind unknowns, and catches a zone table leaving", () => {
        const jp = table("jp");
        const dest = resource("aws:s3/bucket:Bucket", "exports", {
            bucket: UNKNOWN,
            tags: { [RESIDENCY_TAG]: "global" },
        });
        const exportOf = (t: PolicyResource) =>
            resource(
                "aws:dynamodb/tableExport:TableExport",
                "export",
                { tableArn: UNKNOWN, s3Bucket: UNKNOWN },
                { tableArn: [t], s3Bucket: [dest] },
            );
        const global = table("global");
        expect(wiring([global, dest, exportOf(global)])).to.deep.equal([]);
        expect(wiring([jp, dest, exportOf(jp)])).to.deep.equal([
            "aws:dynamodb/tableExport:TableExport 'export' (region ap-northeast-1) sends zone 'jp' data of aws:dynamodb/table:Table 'jp-table' to aws:s3/bucket:Bucket 'exports' (s3Bucket), but it is classified 'global' (a store holding zone data must be classified in that zone); rule: zone 'jp' data may only be stored in ap-northeast-1 and must not replicate elsewhere",
        ]);
    });

    // Inline S3 replication: the engine keys the destination's dependency by the input that holds
    // it (`replicationConfiguration` on a Bucket, `replicationConfigurations` on a BucketV2).
    const bucket = (type: string, name: string, classification: string) =>
        resource(type, name, {
            bucket: UNKNOWN,
            arn: UNKNOWN,
            tags: { [RESIDENCY_TAG]: classification },
        });
    const inlineSource = (type: string, dest: PolicyResource) => {
        const v2 = type === "aws:s3/bucketV2:BucketV2";
        const key = v2 ? "replicationConfigurations" : "replicationConfiguration";
        const rule = v2
            ? { status: "Enabled", destinations: [{ bucket: UNKNOWN }] }
            : { status: "Enabled", destination: { bucket: UNKNOWN } };
        const cfg = { role: "arn:aws:iam::123456789012:role/replication", rules: [rule] };
        return resource(
            type,
            "assets",
            {
                bucket: UNKNOWN,
                tags: { [RESIDENCY_TAG]: "global" },
                [key]: v2 ? [cfg] : cfg,
            },
            { [key]: [dest] },
        );
    };

    for (const type of ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]) {
        it(`proves an inline ${type} replication destination through its property dependency`, () => {
            const dest = bucket(type, "assets-replica", "global");
            expect(wiring([dest, inlineSource(type, dest)])).to.deep.equal([]);
        });

        it(`still catches an inline ${type} replication into a zone bucket behind an unknown`, () => {
            const dest = bucket(type, "jp-data", "jp");
            const found = wiring([dest, inlineSource(type, dest)]);
            expect(found).to.deep.equal([
                `${type} 'assets' (region ap-northeast-1) replicates data not classified in zone 'jp' into ${type} 'jp-data' (zone jp) at ${type === "aws:s3/bucket:Bucket" ? "replicationConfiguration.rules[].destination.bucket" : "replicationConfigurations[].rules[].destinations[].bucket"}; rule: zone 'jp' data may only be stored in ap-northeast-1 and must not replicate elsewhere`,
            ]);
        });
    }
});

describe("CMK guardrails during a first preview (the key created in the same update)", () => {
    const resource = (
        type: string,
        name: string,
        props: Record<string, unknown>,
        deps: Record<string, PolicyResource[]> = {},
    ): PolicyResource =>
        ({
            type,
            name,
            urn: `urn:pulumi:eu-west-1::taskflow::${type}::${name}`,
            props: unknownCheckingProxy(props),
            opts: {},
            provider: {
                type: "pulumi:providers:aws",
                name: "default",
                urn: "p",
                props: unknownCheckingProxy({ region: "eu-west-1" }),
            },
            dependencies: Object.values(deps).flat(),
            propertyDependencies: deps,
            isType: () => false,
            asType: () => undefined,
        }) as unknown as PolicyResource;

    function check(policy: StackValidationPolicy, resources: PolicyResource[]): string[] {
        const out: string[] = [];
        void policy.validateStack(
            {
                resources,
                stackTags: new Map(),
                getConfig: <T extends object>() => ({}) as T,
                notApplicable: () => undefined as never,
            },
            (m, urn) => out.push(`${urn ?? "(stack)"}: ${m}`),
        );
        return out;
    }

    const euTags = { [RESIDENCY_TAG]: "eu" };
    const newKey = (type = "aws:kms/key:Key", name = "eu-key") =>
        resource(type, name, { arn: UNKNOWN, keyId: UNKNOWN, tags: euTags });
    const randomString = resource("random:index/randomString:RandomString", "suffix", {
        result: UNKNOWN,
        length: 8,
    });
    const logGroup = (kmsKeyId: unknown, deps: PolicyResource[] = []) =>
        resource(
            "aws:cloudwatch/logGroup:LogGroup",
            "eu-logs",
            { kmsKeyId, retentionInDays: 90, tags: euTags },
            deps.length > 0 ? { kmsKeyId: deps } : {},
        );
    const NOT_PROVEN =
        "aws:cloudwatch/logGroup:LogGroup 'eu-logs' kmsKeyId is not known until apply and could not be proven to be a customer-managed KMS key at preview";

    it("the SDK proxy throws on the unknown key (a naive policy would fail open or treat it as missing)", () => {
        const props = logGroup(UNKNOWN).props as Record<string, unknown>;
        expect(() => props.kmsKeyId).to.throw(/can't be known during preview/);
    });

    for (const type of [
        "aws:kms/key:Key",
        "aws:kms/replicaKey:ReplicaKey",
        "aws:kms/externalKey:ExternalKey",
        "aws:kms/replicaExternalKey:ReplicaExternalKey",
    ]) {
        it(`accepts an unknown key whose property dependency is a ${type}`, () => {
            const key = newKey(type);
            expect(check(encryptionAtRestCmk, [key, logGroup(UNKNOWN, [key])])).to.deep.equal([]);
        });
    }

    it("accepts an unknown key that comes from an alias of a key of the stack", () => {
        const key = newKey();
        const alias = resource(
            "aws:kms/alias:Alias",
            "eu-key-alias",
            { name: "alias/taskflow-eu", targetKeyId: UNKNOWN, arn: UNKNOWN },
            { targetKeyId: [key] },
        );
        expect(check(encryptionAtRestCmk, [key, alias, logGroup(UNKNOWN, [alias])])).to.deep.equal(
            [],
        );
    });

    it("fails closed on an unknown key with no property dependency", () => {
        const found = check(encryptionAtRestCmk, [newKey(), logGroup(UNKNOWN)]);
        expect(found).to.deep.equal([
            `urn:pulumi:eu-west-1::taskflow::aws:cloudwatch/logGroup:LogGroup::eu-logs: ${NOT_PROVEN}: no property dependency names the resource it comes from; rule: data stores are encrypted at rest with a customer-managed KMS key`,
        ]);
    });

    it("fails closed on an unknown key that depends on something other than a KMS key", () => {
        const found = check(encryptionAtRestCmk, [randomString, logGroup(UNKNOWN, [randomString])]);
        expect(found).to.have.length(1);
        expect(found[0]).to.include(NOT_PROVEN);
        expect(found[0]).to.include(
            "it depends on random:index/randomString:RandomString 'suffix', not only on customer-managed KMS keys",
        );
    });

    it("fails closed when a KMS key is only one of several sources of the unknown value", () => {
        const key = newKey();
        const found = check(encryptionAtRestCmk, [
            key,
            randomString,
            logGroup(UNKNOWN, [key, randomString]),
        ]);
        expect(found).to.have.length(1);
        expect(found[0]).to.include(NOT_PROVEN);
    });

    it("fails closed on an unknown key from an alias whose target is not proven", () => {
        const alias = resource("aws:kms/alias:Alias", "orphan-alias", {
            name: "alias/orphan",
            targetKeyId: UNKNOWN,
        });
        const found = check(encryptionAtRestCmk, [alias, logGroup(UNKNOWN, [alias])]);
        expect(found).to.have.length(1);
        expect(found[0]).to.include("it depends on aws:kms/alias:Alias 'orphan-alias'");
    });

    it("still fails a known AWS-managed key (alias/aws/... or its ARN)", () => {
        for (const ref of ["alias/aws/logs", "arn:aws:kms:eu-west-1:123456789012:alias/aws/logs"]) {
            expect(check(encryptionAtRestCmk, [logGroup(ref)])).to.deep.equal([
                `urn:pulumi:eu-west-1::taskflow::aws:cloudwatch/logGroup:LogGroup::eu-logs: aws:cloudwatch/logGroup:LogGroup 'eu-logs' kmsKeyId is ${JSON.stringify(ref)}, an AWS-managed key; rule: data stores are encrypted at rest with a customer-managed KMS key`,
            ]);
        }
    });

    it("still accepts a known customer-managed key ARN, and fails a missing one", () => {
        const arn = "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
        expect(check(encryptionAtRestCmk, [logGroup(arn)])).to.deep.equal([]);
        expect(check(encryptionAtRestCmk, [logGroup(undefined)])).to.deep.equal([
            "urn:pulumi:eu-west-1::taskflow::aws:cloudwatch/logGroup:LogGroup::eu-logs: aws:cloudwatch/logGroup:LogGroup 'eu-logs' has no kmsKeyId; rule: data stores are encrypted at rest with a customer-managed KMS key",
        ]);
    });

    it("proves the keys of a global table and its replicas through serverSideEncryption and replicas", () => {
        const key = newKey();
        const replicaKey = newKey("aws:kms/replicaKey:ReplicaKey", "eu-key-replica");
        const table = (deps: Record<string, PolicyResource[]>) =>
            resource(
                "aws:dynamodb/table:Table",
                "users",
                {
                    serverSideEncryption: { enabled: true, kmsKeyArn: UNKNOWN },
                    replicas: [{ regionName: "eu-central-1", kmsKeyArn: UNKNOWN }],
                    tags: euTags,
                },
                deps,
            );
        expect(
            check(encryptionAtRestCmk, [
                key,
                replicaKey,
                table({ serverSideEncryption: [key], replicas: [replicaKey] }),
            ]),
        ).to.deep.equal([]);
        const found = check(encryptionAtRestCmk, [
            key,
            randomString,
            table({ serverSideEncryption: [key], replicas: [randomString] }),
        ]);
        expect(found).to.have.length(1);
        expect(found[0]).to.include(
            `aws:dynamodb/table:Table 'users' replicas[0].kmsKeyArn (replica in "eu-central-1") is not known until apply and could not be proven to be a customer-managed KMS key at preview`,
        );
    });

    it("proves the key of an RDS cluster through kmsKeyId, and still requires storageEncrypted", () => {
        const key = newKey();
        const cluster = (storageEncrypted: boolean) =>
            resource(
                "aws:rds/cluster:Cluster",
                "eu-db",
                { storageEncrypted, kmsKeyId: UNKNOWN, tags: euTags },
                { kmsKeyId: [key] },
            );
        expect(check(encryptionAtRestCmk, [key, cluster(true)])).to.deep.equal([]);
        expect(check(encryptionAtRestCmk, [key, cluster(false)])[0]).to.include(
            "needs storageEncrypted: true and a kmsKeyId",
        );
    });

    describe("s3-encryption-cmk", () => {
        const bucket = resource("aws:s3/bucket:Bucket", "eu-data", {
            bucket: UNKNOWN,
            arn: UNKNOWN,
            tags: euTags,
        });
        const sse = (kmsMasterKeyId: unknown, deps: PolicyResource[] = []) =>
            resource(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "eu-data-sse",
                {
                    bucket: UNKNOWN,
                    rules: [
                        {
                            applyServerSideEncryptionByDefault: {
                                sseAlgorithm: "aws:kms",
                                kmsMasterKeyId,
                            },
                            bucketKeyEnabled: true,
                        },
                    ],
                },
                { bucket: [bucket], ...(deps.length > 0 ? { rules: deps } : {}) },
            );
        const PREFIX = "urn:pulumi:eu-west-1::taskflow::aws:s3/bucket:Bucket::eu-data: ";

        it("accepts an unknown kmsMasterKeyId whose property dependency is a KMS key", () => {
            const key = newKey();
            expect(check(s3EncryptionCmk, [key, bucket, sse(UNKNOWN, [key])])).to.deep.equal([]);
        });

        it("fails closed on an unknown kmsMasterKeyId with no property dependency", () => {
            expect(check(s3EncryptionCmk, [bucket, sse(UNKNOWN)])).to.deep.equal([
                `${PREFIX}aws:s3/bucket:Bucket 'eu-data' default encryption kmsMasterKeyId (aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration 'eu-data-sse') is not known until apply and could not be proven to be a customer-managed KMS key at preview: no property dependency names the resource it comes from; rule: data stores are encrypted at rest with a customer-managed KMS key`,
            ]);
        });

        it("fails closed on an unknown kmsMasterKeyId that depends on a random string", () => {
            const found = check(s3EncryptionCmk, [
                bucket,
                randomString,
                sse(UNKNOWN, [randomString]),
            ]);
            expect(found).to.have.length(1);
            expect(found[0]).to.include(
                "could not be proven to be a customer-managed KMS key at preview",
            );
            expect(found[0]).to.include("random:index/randomString:RandomString 'suffix'");
        });

        it("still fails a known alias/aws/s3", () => {
            expect(check(s3EncryptionCmk, [bucket, sse("alias/aws/s3")])).to.deep.equal([
                `${PREFIX}aws:s3/bucket:Bucket 'eu-data' default encryption kmsMasterKeyId (aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration 'eu-data-sse') is "alias/aws/s3", an AWS-managed key; rule: data stores are encrypted at rest with a customer-managed KMS key`,
            ]);
        });

        it("proves an inline BucketV2 default encryption key through its property dependency", () => {
            const key = newKey();
            const v2 = (deps: PolicyResource[]) =>
                resource(
                    "aws:s3/bucketV2:BucketV2",
                    "eu-inline",
                    {
                        bucket: UNKNOWN,
                        tags: euTags,
                        serverSideEncryptionConfigurations: [
                            {
                                rules: [
                                    {
                                        applyServerSideEncryptionByDefaults: [
                                            { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN },
                                        ],
                                    },
                                ],
                            },
                        ],
                    },
                    deps.length > 0 ? { serverSideEncryptionConfigurations: deps } : {},
                );
            expect(check(s3EncryptionCmk, [key, v2([key])])).to.deep.equal([]);
            expect(check(s3EncryptionCmk, [key, v2([])])[0]).to.include(
                "(inline serverSideEncryptionConfigurations) is not known until apply",
            );
        });
    });
});
