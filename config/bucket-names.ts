/**
 * The stack's S3 bucket names must fit S3's 63 characters with the account id in them (they are
 * global across accounts: model/naming.ts). Checked with a 12-digit stand-in for the account, so
 * a long `taskflow:environment` stops the program before any resource is registered.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
import { EDGE_REGION } from "../model/aws";
import {
    ANY_ACCOUNT,
    S3_BUCKET_NAME_MAX,
    albLogsBucketName,
    assetsBucketName,
    edgeLogsBucketName,
    logArchiveBucketName,
    namePrefix,
    zoneBucketName,
} from "../model/naming";
import { GLOBAL } from "../model/residency";
import { RegionSpec, Topology, globalDataRegions } from "../model/topology";
import { Collector } from "./errors";
import { NS } from "./keys";
import { BoundaryConfig } from "./types";

/**
 * The fixed bucket names a stack creates: a region stack its assets bucket (global-data regions),
 * its zone bucket (with a residency boundary), its log landing bucket and its log archive
 * (classified like the boundary's zone, else global); the global stack the edge's log archive.
 */
export function stackBucketNames(
    environment: string,
    topology: Topology,
    regionSpec: RegionSpec | undefined,
    boundary: BoundaryConfig | undefined,
    account = ANY_ACCOUNT,
): string[] {
    const prefix = namePrefix(environment);
    if (!regionSpec) return [edgeLogsBucketName(prefix, account, EDGE_REGION)];
    const region = regionSpec.region;
    return [
        ...(globalDataRegions(topology).includes(region)
            ? [assetsBucketName(environment, account, region)]
            : []),
        ...(boundary ? [zoneBucketName(environment, account, boundary.zone, region)] : []),
        albLogsBucketName(prefix, account, region),
        logArchiveBucketName(environment, account, boundary?.zone ?? GLOBAL, region),
    ];
}

/**
 * The buckets whose S3 server access logs land in a region stack's landing bucket, the sources
 * its bucket policy admits (`aws:SourceArn`): every bucket of the stack and, in the edge region
 * with a global landing bucket, the global stack's edge log bucket (S3 logs only within one
 * Region and account; the global stack deploys after the region stacks and checks that its bucket
 * is among them).
 */
export function landingLogSources(
    environment: string,
    topology: Topology,
    regionSpec: RegionSpec,
    boundary: BoundaryConfig | undefined,
    account: string,
): string[] {
    const own = stackBucketNames(environment, topology, regionSpec, boundary, account);
    const edge =
        regionSpec.region === EDGE_REGION && !boundary
            ? stackBucketNames(environment, topology, undefined, undefined, account)
            : [];
    return [...own, ...edge];
}

/** Adds an issue on `taskflow:environment` when a bucket name of the stack would not fit. */
export function checkBucketNames(
    c: Collector,
    environment: string,
    topology: Topology,
    regionSpec: RegionSpec | undefined,
    boundary: BoundaryConfig | undefined,
): void {
    const names = stackBucketNames(environment, topology, regionSpec, boundary);
    const longest = names.sort((a, b) => b.length - a.length)[0];
    if (!longest || longest.length <= S3_BUCKET_NAME_MAX) return;
    const room = S3_BUCKET_NAME_MAX - (longest.length - environment.length);
    c.add(
        `${NS}:environment`,
        environment,
        `at most ${room} characters in ${regionSpec?.region ?? EDGE_REGION}: S3 bucket "${longest.replace(ANY_ACCOUNT, "<account>")}" ` +
            `(with the 12-digit account id) would be ${longest.length} characters, S3 allows ${S3_BUCKET_NAME_MAX}`,
    );
}
