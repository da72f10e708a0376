/** The one TLS-only bucket policy: every S3 request not made over TLS is refused. */

/**
 * The statement that denies every S3 action on the bucket and its objects over plain HTTP.
 * https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule
 */
export function denyInsecureTransport(bucketArn: string) {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/** Bucket policy (JSON): refuse every request not made over TLS, and nothing else. */
export function tlsOnlyBucketPolicy(bucketArn: string): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecureTransport(bucketArn)] });
}
