/**
 * The log layout every region shares (docs/operations.md, "Log archives"): AWS log delivery
 * writes into the region's landing bucket under these prefixes; the landing bucket replicates
 * everything into the region's log archive.
 */

/** Key prefix of the ALB's access logs (ELB appends `AWSLogs/<account>/...`). */
export const ALB_LOG_PREFIX = "alb";

/** Key prefix of S3 server access logs: `s3/<role>/` per logged bucket. */
export const S3_LOG_PREFIX = "s3";

/** The key prefix of one logged bucket's S3 server access logs. */
export function s3LogPrefix(role: string): string {
    return `${S3_LOG_PREFIX}/${role}/`;
}

/** Roles of the archive's own two buckets in the S3 log keys. */
export const LANDING_ROLE = "log-landing";
export const ARCHIVE_ROLE = "log-archive";
