/** The cross-stack contract's readers: every value another stack needs, read with requireOutput. */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { primaryDataRefs } from "../../regions/contract";

describe("primaryDataRefs", () => {
    it("reads everything a secondary needs from the primary stack with requireOutput", () => {
        const asked: string[] = [];
        primaryDataRefs({
            requireOutput: (k: string) => {
                asked.push(k);
                return pulumi.output("x");
            },
        });
        expect(asked.sort()).to.deep.equal([
            "assetsBucketArn",
            "assetsBucketName",
            "auroraGlobalClusterId",
            "cacheAuthToken",
            "globalDatastoreId",
            "kmsKeyArns",
        ]);
    });
});
