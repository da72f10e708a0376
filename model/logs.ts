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

/**
 * Days a region's log landing bucket keeps what AWS log delivery wrote: it is staging, every
 * object is replicated into the region's log archive, which keeps it for
 * `taskflow:logArchiveRetentionDays`. A week leaves time to re-replicate a failed object; a
 * lifecycle expiration in the landing bucket never removes the archive's copy (S3 does not
 * replicate lifecycle delete markers:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html).
 */
export const LANDING_RETENTION_DAYS = 7;

/**
 * The landing bucket's retention under an archive kept `archiveDays`: a week, never longer than
 * the archive (a short archive retention is a promise to hold logs no longer than that).
 */
export function landingRetentionDays(archiveDays: number): number {
    return Math.min(LANDING_RETENTION_DAYS, archiveDays);
}
