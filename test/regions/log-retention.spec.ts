/**
 * `taskflow:logArchiveRetentionDays` from the stack files to the components' args (no plan): the
 * archives keep the configured days; the landing buckets and the archived edge bucket, staging
 * that replicates into the archive, a week, or fewer when the archive keeps fewer.
 */
import { expect } from "chai";
import { readProjectFiles, validateAll, edgeResidencyOf, StackConfig } from "../../config";
import { cellArgs, edgeRoutingArgs, logArchiveArgs, regionStackConfig } from "../../regions/args";
import { projectCopy } from "../helpers/project-copy";

const LANDING = {
    bucketName: "landing",
    bucketArn: "arn:aws:s3:::landing",
    ready: [],
    s3LogSources: [],
};

function configsWith(days?: number): Record<string, StackConfig> {
    const dir = projectCopy("log-retention-", (docs) => {
        if (days !== undefined)
            docs["Pulumi.yaml"].config["taskflow:logArchiveRetentionDays"] = days;
    });
    return validateAll(readProjectFiles(dir));
}

function argsOf(configs: Record<string, StackConfig>) {
    const region = regionStackConfig(configs["us-east-1"]);
    const cell = cellArgs(region, {
        hostedZoneId: "Z1",
        originVerifySecret: "s",
        edgeResidency: edgeResidencyOf(region.topology, region.stack),
    });
    const archive = logArchiveArgs(region, LANDING as never, []);
    const edge = edgeRoutingArgs(
        Object.values(configs).find((c) => c.role === "global")!,
        {},
        {
            hostedZoneId: "Z1",
            originHeaderSecret: "s",
            logArchive: { bucketArn: "arn:aws:s3:::archive", kmsKeyArn: "arn:aws:kms:k" },
        },
    );
    return { cell, archive, edge };
}

describe("log retention from taskflow:logArchiveRetentionDays", () => {
    it("keeps the archive's days in the archive and a week in the landing and edge buckets", () => {
        const { cell, archive, edge } = argsOf(configsWith(400));
        expect(archive.retentionDays).to.equal(400);
        expect(cell.accessLogRetentionDays).to.equal(7);
        expect(edge.logRetentionDays).to.equal(7);
    });

    it("never keeps logs in staging longer than the archive does", () => {
        const { cell, archive, edge } = argsOf(configsWith(3));
        expect(archive.retentionDays).to.equal(3);
        expect(cell.accessLogRetentionDays).to.equal(3);
        expect(edge.logRetentionDays).to.equal(3);
    });

    it("leaves the unarchived edge bucket to its component's default", () => {
        const global = Object.values(configsWith()).find((c) => c.role === "global")!;
        const edge = edgeRoutingArgs(global, {}, { hostedZoneId: "Z1", originHeaderSecret: "s" });
        expect(edge).to.not.have.property("logRetentionDays");
    });
});
