/**
 * The residency classification helper (components/shared/residency.ts): residencyTags and the
 * transformation that refuses an unclassified data store before it is registered.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
    RESIDENCY_TAG,
    residencyTags,
    residencyTransformation,
} from "../../../components/shared/residency";
import { RecordingMocks } from "../../../plan/mocks";

describe("residency classification helper", () => {
    const tr = residencyTransformation(["eu", "us", "jp"]);
    const args = (type: string, props: Record<string, unknown>) =>
        ({
            type,
            name: "store",
            props,
            opts: {},
            resource: undefined,
        }) as unknown as pulumi.ResourceTransformationArgs;

    it("tags with the pack's key and refuses a blank classification", () => {
        expect(residencyTags("eu", { Name: "x" })).to.deep.equal({
            Name: "x",
            [RESIDENCY_TAG]: "eu",
        });
        expect(() => residencyTags("")).to.throw(/classification "" is not allowed/);
    });

    it("fails fast when a data store is registered without the tag", () => {
        expect(() => tr(args("aws:dynamodb/table:Table", { name: "t" }))).to.throw(
            /aws:dynamodb\/table:Table 'store' is a data store without a 'data-residency' tag/,
        );
        expect(() =>
            tr(args("aws:s3/bucket:Bucket", { tags: { [RESIDENCY_TAG]: "mars" } })),
        ).to.throw(/neither "global" nor a zone \(eu, us, jp\)/);
        expect(tr(args("aws:s3/bucket:Bucket", { tags: residencyTags("global") }))).to.equal(
            undefined,
        );
        expect(tr(args("aws:iam/role:Role", {}))).to.equal(undefined);
    });

    it("checks tags given as an Output when they resolve", async () => {
        const r = tr(args("aws:kms/key:Key", { tags: pulumi.output({ team: "x" }) }))!;

        const p = (r.props.tags as any).promise() as Promise<unknown>;
        let error: Error | undefined;
        await p.catch((e: Error) => (error = e));
        expect(error?.message).to.match(
            /aws:kms\/key:Key 'store' is a data store without a 'data-residency' tag/,
        );
    });

    it("stops a component from registering an untagged store (as a transformation option)", async () => {
        const mocks = new RecordingMocks({
            project: "taskflow",
            stack: "eu-west-1",
            awsRegion: "eu-west-1",
        });
        await mocks.install("taskflow");
        expect(
            () =>
                new aws.dynamodb.Table(
                    "untagged",
                    { hashKey: "id", attributes: [{ name: "id", type: "S" }] },
                    { transformations: [tr] },
                ),
        ).to.throw(/'untagged' is a data store without a 'data-residency' tag/);

        await (pulumi.runtime as any).waitForRPCs();
        expect(mocks.ofType("aws:dynamodb/table:Table")).to.deep.equal([]);
    });
});
