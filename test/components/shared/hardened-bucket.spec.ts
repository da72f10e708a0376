// The one hardened bucket, built from literal args under the mocks: what each arg changes.
// Bucket owner enforced disables ACLs
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-existing-bucket.html);
// ALB access logs support SSE-S3 only, hence the AES256 default without a key
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).

import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { hardenedBucket } from "../../../components/shared/hardened-bucket";
import { Built, buildUnderMocks } from "../../helpers/component";

type Obj = Record<string, any>;

describe("hardenedBucket (literal args)", function () {
    this.timeout(30000);
    let b: Built;

    before(async () => {
        b = await buildUnderMocks("eu-west-1", () => {
            const parent = new pulumi.ComponentResource("taskflow:test:Holder", "holder");
            hardenedBucket(
                {
                    name: "kms-bucket",
                    partsName: "kms",
                    region: "us-east-1",
                    bucketName: "kms-physical",
                    tags: { t: "1" },
                    kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
                    lifecycleRules: [{ id: "expire", status: "Enabled", expiration: { days: 3 } }],
                    lifecycleAfterVersioning: true,
                    policy: () => "{}",
                    protect: true,
                },
                { parent },
            );
            hardenedBucket(
                { name: "plain", bucketName: "plain-physical", tags: {}, policy: () => "{}" },
                { parent },
            );
        });
    });

    const inputs = (name: string) => b.named(name).inputs as Obj;
    const dependsOn = (name: string) => b.named(name).options.dependsOn as string[];

    it("names the parts after partsName (default: the bucket's name), all under the parent", () => {
        for (const part of ["ownership", "pab", "sse", "versioning", "lifecycle", "policy"])
            expect(b.named(`kms-${part}`).parent, part).to.match(/Holder::holder$/);
        expect(b.named("kms-bucket").parent).to.match(/Holder::holder$/);
        for (const part of ["ownership", "pab", "sse", "versioning", "policy"])
            expect(b.has(`plain-${part}`), part).to.equal(true);
    });

    it("blocks public access and disables ACLs on every bucket", () => {
        for (const n of ["kms", "plain"]) {
            const pab = inputs(`${n}-pab`);
            for (const k of [
                "blockPublicAcls",
                "blockPublicPolicy",
                "ignorePublicAcls",
                "restrictPublicBuckets",
            ])
                expect(pab[k], `${n} ${k}`).to.equal(true);
            expect(inputs(`${n}-ownership`).rule.objectOwnership).to.equal("BucketOwnerEnforced");
            expect(inputs(`${n}-versioning`).versioningConfiguration.status).to.equal("Enabled");
        }
    });

    it("encrypts under the key with a bucket key when given one, else SSE-S3", () => {
        expect(inputs("kms-sse").rules).to.deep.equal([
            {
                applyServerSideEncryptionByDefault: {
                    sseAlgorithm: "aws:kms",
                    kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/k",
                },
                bucketKeyEnabled: true,
            },
        ]);
        expect(inputs("plain-sse").rules).to.deep.equal([
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ]);
    });

    it("puts the region input on every resource only when given one", () => {
        for (const part of [
            "bucket",
            "ownership",
            "pab",
            "sse",
            "versioning",
            "lifecycle",
            "policy",
        ])
            expect(inputs(part === "bucket" ? "kms-bucket" : `kms-${part}`).region).to.equal(
                "us-east-1",
            );
        expect(inputs("plain")).to.not.have.property("region");
    });

    it("applies the policy after the public access block, and the lifecycle after versioning only when asked", () => {
        expect(dependsOn("kms-policy").some((u) => u.endsWith("::kms-pab"))).to.equal(true);
        expect(dependsOn("plain-policy").some((u) => u.endsWith("::plain-pab"))).to.equal(true);
        expect(dependsOn("kms-lifecycle").some((u) => u.endsWith("::kms-versioning"))).to.equal(
            true,
        );
        expect(b.has("plain-lifecycle"), "no rules, no lifecycle").to.equal(false);
    });

    it("protects the bucket alone when asked, and never force-destroys it", () => {
        expect(b.named("kms-bucket").options.protect).to.equal(true);
        expect(b.named("kms-pab").options.protect).to.equal(false);
        expect(b.named("plain").options.protect).to.equal(false);
        expect(inputs("kms-bucket").forceDestroy).to.equal(false);
        expect(inputs("plain").forceDestroy).to.equal(false);
    });
});
