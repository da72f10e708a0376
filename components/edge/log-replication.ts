/**
 * Same-Region replication of the edge's log bucket into the edge region's log archive (the
 * LogArchive of the region stack in us-east-1, classified global): CloudFront and WAF can only
 * write into a bucket of the edge's own making (an `aws-waf-logs-` name, a policy admitting log
 * delivery), so the edge bucket lands them and S3 copies every object into the archive,
 * re-encrypted under the archive's key. The edge bucket's objects are SSE-KMS under the edge's
 * key: the rule selects them and the role may decrypt them with that key only
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html;
 * permissions: https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EdgeLogArchiveRef } from "./args";
import { EdgeContext } from "./context";
import { replicationRolePolicy } from "../shared/replication-policy";

export function replicateEdgeLogs(
    ctx: EdgeContext,
    from: { bucket: aws.s3.Bucket; keyArn: pulumi.Output<string>; ready: pulumi.Resource[] },
    to: EdgeLogArchiveRef,
): aws.s3.BucketReplicationConfig {
    const n = `${ctx.name}-logs-replication`;
    const role = new aws.iam.Role(
        `${n}-role`,
        {
            description:
                "S3 replication of the edge's CloudFront and WAF logs into the log archive",
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "s3.amazonaws.com" },
                        Action: "sts:AssumeRole",
                    },
                ],
            }),
            tags: ctx.tags,
        },
        { parent: ctx.parent },
    );
    const policy = new aws.iam.RolePolicy(
        `${n}-policy`,
        {
            role: role.name,
            policy: replicationRolePolicy({
                sourceBucketArn: from.bucket.arn,
                destinationBucketArn: to.bucketArn,
                destinationKeyArn: to.kmsKeyArn,
                sourceKeyArn: from.keyArn,
            }),
        },
        { parent: ctx.parent },
    );
    return new aws.s3.BucketReplicationConfig(
        n,
        {
            region: ctx.plan.edgeRegion,
            bucket: from.bucket.id,
            role: role.arn,
            rules: [
                {
                    id: "to-log-archive",
                    status: "Enabled",
                    priority: 1,
                    filter: { prefix: "" },
                    deleteMarkerReplication: { status: "Disabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: {
                        bucket: to.bucketArn,
                        storageClass: "STANDARD",
                        encryptionConfiguration: { replicaKmsKeyId: to.kmsKeyArn },
                    },
                },
            ],
        },
        { ...ctx.edge, dependsOn: [policy, ...from.ready] },
    );
}
