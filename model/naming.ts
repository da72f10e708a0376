/**
 * The one naming scheme of physical names (the names AWS sees): `taskflow-<environment>-...`.
 * Every component builds its names from {@link namePrefix}; renaming a physical name replaces the
 * resource in a real stack, so these strings are settled.
 */
import { GLOBAL, residencyName } from "../policies/residency";

/** First word of every physical name, SSM path and log group path. */
export const NAME_ROOT = "taskflow";

/** `taskflow-<environment>`: the prefix of every physical name. */
export function namePrefix(environment: string): string {
    return `${NAME_ROOT}-${environment}`;
}

/** `/taskflow/<environment>`: the prefix of SSM parameter and app log group paths. */
export function namePath(environment: string): string {
    return `/${NAME_ROOT}/${environment}`;
}

/**
 * S3 bucket names share one namespace across every AWS account of a partition and are at most
 * 63 characters; AWS advises a naming scheme unlikely to collide, so ours carry the account id.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export const S3_BUCKET_NAME_MAX = 63;

/** An AWS account id: 12 digits, so a name's length is known before the account is. */
export const ACCOUNT_ID = /^\d{12}$/;

/** `taskflow-<environment>-<what>-<account>`: the base of a bucket's residency name. */
export function bucketBase(environment: string, what: string, account: string): string {
    if (!ACCOUNT_ID.test(account))
        throw new Error(`bucket name: account id ${JSON.stringify(account)} is not 12 digits`);
    return `${namePrefix(environment)}-${what}-${account}`;
}

/**
 * Refuses a bucket name longer than S3 allows, naming the environment that made it so (checked
 * with a 12-digit stand-in for the account before anything is registered).
 */
export function checkBucketNameLength(owner: string, name: string, environment: string): void {
    if (name.length <= S3_BUCKET_NAME_MAX) return;
    throw new Error(
        `${owner}: S3 bucket name "${name}" is ${name.length} characters; taskflow:environment ` +
            `"${environment}" is too long (S3 allows ${S3_BUCKET_NAME_MAX}, so at most ` +
            `${S3_BUCKET_NAME_MAX - (name.length - environment.length)} characters for the environment here)`,
    );
}

/** A 12-digit stand-in for the account id, for length checks before the account is known. */
export const ANY_ACCOUNT = "000000000000";

/**
 * A region's assets bucket: `taskflow-<env>-assets-<account>-global-<region>`, the residency
 * name convention `<base>-<classification>-<region>` with the account in the base.
 */
export function assetsBucketName(environment: string, account: string, region: string): string {
    return residencyName(bucketBase(environment, "assets", account), GLOBAL, region);
}

/** A zone's resident bucket: `taskflow-<env>-userdata-<account>-<zone>-<region>`. */
export function zoneBucketName(
    environment: string,
    account: string,
    zone: string,
    region: string,
): string {
    return residencyName(bucketBase(environment, "userdata", account), zone, region);
}

/** A region's log landing bucket (ALB and S3 server access logs): `<prefix>-alb-logs-<account>-<region>`. */
export function albLogsBucketName(prefix: string, account: string, region: string): string {
    return `${prefix}-alb-logs-${account}-${region}`;
}

/** A region's log archive: `taskflow-<env>-logs-<account>-<classification>-<region>`. */
export function logArchiveBucketName(
    environment: string,
    account: string,
    classification: string,
    region: string,
): string {
    return residencyName(bucketBase(environment, "logs", account), classification, region);
}

/**
 * The edge's log archive. WAF writes only to buckets named `aws-waf-logs-…`
 * (https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html); the rest is the
 * residency convention with the account in the base: `aws-waf-logs-<prefix>-<account>-global-<region>`.
 */
export function edgeLogsBucketName(prefix: string, account: string, region: string): string {
    if (!ACCOUNT_ID.test(account))
        throw new Error(`bucket name: account id ${JSON.stringify(account)} is not 12 digits`);
    return residencyName(`aws-waf-logs-${prefix}-${account}`, GLOBAL, region);
}
