/**
 * S3 server access logging of the edge's log bucket into the edge region's log landing bucket
 * (the us-east-1 region stack's, SSE-S3, classified global), which replicates it into that
 * region's log archive like every other bucket's access logs. The target must be in the source's
 * Region and account and must not use SSE-KMS default encryption, so it cannot be the edge bucket
 * itself or the archive
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_s3Buckets_LoggingEnabled.html); the
 * landing bucket's policy admits `logging.s3.amazonaws.com` for named source buckets only
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { s3LogPrefix } from "../../model/logs";
import { admittedLogTarget } from "../shared/log-target";
import { EdgeAccessLogTarget } from "./args";
import { EdgeContext } from "./context";
import { edgeLogBucketName } from "./log-rules";

/** The edge bucket's role in the landing bucket's keys: `s3/edge-logs/`. */
export const EDGE_LOGS_ROLE = "edge-logs";

/**
 * The landing bucket, once its policy is known to admit `source`; else an error naming both (a
 * landing bucket that does not admit it would drop every access log record without an error).
 */
export function admittedTarget(
    target: string,
    admitted: readonly string[],
    source: string,
): string {
    return admittedLogTarget(
        "edge logs",
        target,
        admitted,
        source,
        "deploy the edge region's stack with the same taskflow:environment and account as the global stack",
    );
}

/** The edge bucket's S3 server access logging into the landing bucket. */
export function edgeLogAccess(
    ctx: EdgeContext,
    bucket: aws.s3.Bucket,
    to: EdgeAccessLogTarget,
): aws.s3.BucketLogging {
    const region = ctx.plan.edgeRegion;
    const source = ctx.account.apply((a) => edgeLogBucketName(ctx.prefix, a, region));
    return new aws.s3.BucketLogging(
        `${ctx.name}-logs-logging`,
        {
            region,
            bucket: bucket.id,
            targetBucket: pulumi
                .all([to.bucketName, to.s3LogSources, source])
                .apply(([target, admitted, own]) => admittedTarget(target, admitted, own)),
            targetPrefix: s3LogPrefix(EDGE_LOGS_ROLE),
        },
        ctx.edge,
    );
}
