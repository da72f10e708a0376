/** The one TLS-only bucket policy: every S3 request not made over TLS is refused. */
import * as pulumi from "@pulumi/pulumi";

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

/**
 * The same policy for a bucket given by its physical name: written from the literal name, not
 * the bucket's ARN output, because at a first preview the ARN is unknown and the pack fails
 * closed on a resource policy it cannot read.
 */
export function tlsOnlyBucketPolicyOfName(
    partition: pulumi.Input<string>,
    bucketName: pulumi.Input<string>,
): pulumi.Output<string> {
    return pulumi
        .all([partition, bucketName])
        .apply(([pt, n]) => tlsOnlyBucketPolicy(`arn:${pt}:s3:::${n}`));
}
