/**
 * The permissions of an S3 replication role: read the source bucket's configuration and object
 * versions, replicate into the destination, decrypt with the source key (when its objects are
 * SSE-KMS) and encrypt with the destination key.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
import * as pulumi from "@pulumi/pulumi";

export interface ReplicationPolicyArgs {
    sourceBucketArn: pulumi.Input<string>;
    destinationBucketArn: pulumi.Input<string>;
    destinationKeyArn: pulumi.Input<string>;
    /** The source objects' KMS key, when they are SSE-KMS (none for SSE-S3). */
    sourceKeyArn?: pulumi.Input<string>;
}

/** The role policy document, as JSON. */
export function replicationRolePolicy(a: ReplicationPolicyArgs): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                Resource: a.sourceBucketArn,
            },
            {
                Effect: "Allow",
                Action: [
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionTagging",
                ],
                Resource: pulumi.interpolate`${a.sourceBucketArn}/*`,
            },
            {
                Effect: "Allow",
                Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
                Resource: pulumi.interpolate`${a.destinationBucketArn}/*`,
            },
            ...(a.sourceKeyArn
                ? [{ Effect: "Allow", Action: ["kms:Decrypt"], Resource: a.sourceKeyArn }]
                : []),
            {
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                Resource: a.destinationKeyArn,
            },
        ],
    });
}
