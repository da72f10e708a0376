/**
 * The guard of every S3 server access logging target: a landing bucket's policy admits
 * `logging.s3.amazonaws.com` for named source buckets only (`aws:SourceArn`), and S3 drops the
 * records of a source the policy does not admit without any error to the source bucket's owner
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html), so a
 * logging configuration is only created towards a target known to admit its source.
 */

/**
 * `target`, once its policy is known to admit `source`; else an error naming both, what the
 * policy admits, and `hint` (what to do about it).
 */
export function admittedLogTarget(
    owner: string,
    target: string,
    admitted: readonly string[],
    source: string,
    hint: string,
): string {
    if (!admitted.includes(source))
        throw new Error(
            `${owner}: the log landing bucket ${target} does not admit S3 server access logs of ${source} ` +
                `(its policy admits ${JSON.stringify(admitted)}); ${hint}`,
        );
    return target;
}
