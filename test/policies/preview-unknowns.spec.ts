/**
 * Inside a real `pulumi preview`, the policy SDK hands props wrapped in a proxy that throws on an
 * unknown value, and turns that throw into an advisory note (fail-open). The residency policies
 * read the raw values instead, so an unknown still yields a mandatory violation.
 */
import { expect } from "chai";
import { PolicyResource, ResourceValidationArgs, unknownCheckingProxy } from "@pulumi/policy";
import { replicationOutOfZone, replicationWiring } from "../../policies/replication";
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

describe("replication wiring during a first preview (same-stack references unknown)", () => {
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
        void replicationWiring.validateStack(
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
            "from aws:dynamodb/table:Table 'jp-table' (zone jp, region ap-northeast-1)",
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
            "aws:backup/selection:Selection 'selection' (region ap-northeast-1): AWS Backup selection picks aws:dynamodb/table:Table 'jp-table' (an ARN not known until apply) (zone jp) for aws:backup/plan:Plan 'plan', whose copy action sends recovery points to arn:aws:backup:us-east-1:123456789012:backup-vault:taskflow-prod-vault-global-us-east-1 in region us-east-1; rule: zone 'jp' data may only be stored in ap-northeast-1 and must not replicate elsewhere",
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
            "aws:dynamodb/tableExport:TableExport 'export' (region ap-northeast-1): DynamoDB table export from aws:dynamodb/table:Table 'jp-table' (zone jp, region ap-northeast-1) to aws:s3/bucket:Bucket 'exports' (global, region ap-northeast-1), not proven to be classified in zone jp; rule: zone 'jp' data may only be stored in ap-northeast-1 and must not replicate elsewhere",
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
                `${type} 'assets' (region ap-northeast-1): S3 replication from ${type} 'assets' (global, region ap-northeast-1) into ${type} 'jp-data' (zone jp, region ap-northeast-1); rule: zone 'jp' data may only be stored in ap-northeast-1 and must not replicate elsewhere`,
            ]);
        });
    }
});
