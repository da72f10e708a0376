/**
 * Bucket names are unique per account and keep the residency naming the pack relies on.
 * General purpose bucket names share one namespace across every AWS account of a partition, are
 * 3-63 characters, and AWS advises a naming scheme unlikely to collide (or the account regional
 * namespace): https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/gpbucketnamespaces.html
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { landingLogSources, stackBucketNames } from "../../config/bucket-names";
import {
    S3_BUCKET_NAME_MAX,
    assetsBucketName,
    bucketBase,
    zoneBucketName,
} from "../../model/naming";
import { globalDataRegions } from "../../model/topology";
import { parseResidencyName } from "../../policies/residency";
import { REPO_ROOT, readProjectFiles, validateAll } from "../../plan/run";
import { configErrorOf, repoRaw } from "../helpers/config";

const PACK_CONFIG = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, "policies", "policy-config.json"), "utf8"),
) as Record<string, { zones?: Record<string, string[]>; account?: string; stores?: object }>;
const RESIDENCY = PACK_CONFIG["residency-name-matches-classification"];
const configs = validateAll(readProjectFiles(REPO_ROOT));
const regionStacks = Object.values(configs).filter((c) => c.regionSpec);
const topology = regionStacks[0].topology;

/** A bucket name S3 accepts (the rules a name of ours could break). */
const S3_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

describe("config: S3 bucket names", () => {
    it("differ between two accounts and keep the residency convention the pack parses", () => {
        const a = assetsBucketName("prod", "111111111111", "eu-west-1");
        const b = assetsBucketName("prod", "222222222222", "eu-west-1");
        expect(a).to.equal("taskflow-prod-assets-111111111111-global-eu-west-1");
        expect(a).to.not.equal(b);
        const zone = zoneBucketName("prod", "111111111111", "eu", "eu-west-1");
        expect(zone).to.equal("taskflow-prod-userdata-111111111111-eu-eu-west-1");
        // The pack's name-based classification reads the same zone and region as before.
        const cfg = { zones: RESIDENCY.zones } as Parameters<typeof parseResidencyName>[1];
        expect(parseResidencyName(a, cfg)).to.deep.equal({
            classification: "global",
            region: "eu-west-1",
        });
        expect(parseResidencyName(zone, cfg)).to.deep.equal({
            classification: "eu",
            region: "eu-west-1",
        });
        expect(() => bucketBase("prod", "assets", "1234")).to.throw(/not 12 digits/);
    });

    it("every bucket name of the repository's stacks is a valid S3 name of at most 63 characters", () => {
        const all = Object.values(configs).flatMap((c) =>
            stackBucketNames(c.environment, topology, c.regionSpec, c.boundary, "123456789012"),
        );
        // Every global-data region's assets bucket, the EU zone bucket, each region's log
        // landing bucket and log archive, the edge's log archive.
        expect(all).to.have.length(
            globalDataRegions(topology).length + 1 + 2 * regionStacks.length + 1,
        );
        expect(all).to.include("aws-waf-logs-taskflow-prod-123456789012-global-us-east-1");
        expect(new Set(all).size).to.equal(all.length);
        for (const n of all) {
            expect(n, n).to.match(S3_NAME);
            expect(n.length, n).to.be.at.most(S3_BUCKET_NAME_MAX);
        }
    });

    it("admits into a landing bucket its own stack's buckets, and the edge bucket only into the edge region's global one", () => {
        const account = "123456789012";
        const edge = "aws-waf-logs-taskflow-prod-123456789012-global-us-east-1";
        for (const c of regionStacks) {
            const sources = landingLogSources(
                c.environment,
                topology,
                c.regionSpec!,
                c.boundary,
                account,
            );
            const own = stackBucketNames(
                c.environment,
                topology,
                c.regionSpec,
                c.boundary,
                account,
            );
            const region = c.regionSpec!.region;
            const withEdge = region === "us-east-1" && !c.boundary;
            expect(sources, region).to.deep.equal(withEdge ? [...own, edge] : own);
            // S3 logs only within a Region: every source but the edge's is of the region.
            for (const n of sources)
                if (n !== edge) expect(n.endsWith(`-${region}`), n).to.equal(true);
        }
        const us = regionStacks.find((c) => c.regionSpec!.region === "us-east-1")!;
        const zoned = landingLogSources(
            "prod",
            topology,
            us.regionSpec!,
            { zone: "us", aurora: false, replicaRegions: [] },
            account,
        );
        expect(zoned).to.not.include(edge);
    });

    it("refuses an environment that makes a bucket name longer than S3 allows, before anything is registered", () => {
        const stack = regionStacks.find((c) => c.regionSpec!.region === "ap-northeast-1")!.stack;
        // 16 characters is a valid environment name, but with ap-northeast-1 (14 characters)
        // the assets bucket would be 67 characters.
        const raw = { ...repoRaw(stack), "taskflow:environment": "abcdefghijklmnop" };
        const err = configErrorOf(stack, raw);
        const issue = err.issues.find((i) => i.key === "taskflow:environment")!;
        expect(issue.allowed).to.match(
            /^at most 12 characters in ap-northeast-1: S3 bucket "taskflow-abcdefghijklmnop-assets-<account>-global-ap-northeast-1" \(with the 12-digit account id\) would be 67 characters, S3 allows 63$/,
        );
        const fits = { ...repoRaw(stack), "taskflow:environment": "abcdefghijkl" };
        expect(validateStackConfig(stack, fits).environment).to.equal("abcdefghijkl");
    });

    it("the committed pack config declares exactly the assets buckets the program names, with the pack's account", () => {
        for (const [policy, settings] of Object.entries(PACK_CONFIG)) {
            if (!settings.stores) continue;
            const declared = Object.keys(settings.stores).filter((n) => n.includes("-assets-"));
            const named = globalDataRegions(topology).map((r) =>
                assetsBucketName(configs[regionStacks[0].stack].environment, settings.account!, r),
            );
            expect(declared.sort(), policy).to.deep.equal(named.sort());
        }
    });
});
