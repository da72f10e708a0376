/** The tasks' least-privilege access policy to the global data (pure; resolved values). */

/** Database user the tasks connect as, with IAM authentication (created by the app's migrations). */
export const APP_DB_USER = "taskflow_app";

/** What the tasks' access policy is built from (resolved values). */
export interface TaskAccess {
    partition: string;
    accountId: string;
    region: string;
    tableNames: string[];
    clusterResourceId: string;
    /** This region's assets bucket (the source in the primary, a replica elsewhere). */
    bucketArn: string;
    /** The source assets bucket in the primary region: the only bucket tasks write to. */
    writeBucketArn: string;
    /** Region of the source bucket. */
    writeBucketRegion: string;
    /** The global-data key in the source bucket's region (SSE-KMS of the objects written there). */
    writeKmsKeyArn: string;
    secretArns: string[];
    /** The global-data key in this region. */
    kmsKeyArn: string;
}

/**
 * The tasks' access to the global data, and nothing more: item-level DynamoDB actions on the two
 * tables' local replicas (global tables take writes in every replica), read-only access to this
 * region's assets bucket, writes (and read-after-write reads) on the primary's source bucket only,
 * IAM database authentication as the app user, the cache AUTH secret, and the data keys through
 * those services. No wildcard action.
 *
 * Why writes go to the source bucket: replication is one-way (source → replicas), so an object
 * put into a replica bucket would never reach another region and would be overwritten by the
 * next replicated version of its key.
 */
export function taskAccessPolicy(a: TaskAccess): string {
    const tableArns = a.tableNames.flatMap((t) => {
        const arn = `arn:${a.partition}:dynamodb:${a.region}:${a.accountId}:table/${t}`;
        return [arn, `${arn}/index/*`];
    });
    const remoteWrite = a.writeBucketArn !== a.bucketArn;
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GlobalTables",
                Effect: "Allow",
                Action: [
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:Query",
                    "dynamodb:BatchGetItem",
                    "dynamodb:BatchWriteItem",
                    "dynamodb:ConditionCheckItem",
                ],
                Resource: tableArns,
            },
            {
                Sid: "AssetsList",
                Effect: "Allow",
                Action: ["s3:ListBucket"],
                Resource: [a.bucketArn],
            },
            {
                Sid: "AssetsRead",
                Effect: "Allow",
                Action: ["s3:GetObject"],
                // The local bucket, plus (in a secondary) the source for reads of objects written
                // less than the replication time (RTC: 15 minutes) ago.
                Resource: [...new Set([a.bucketArn, a.writeBucketArn])].map((b) => `${b}/*`),
            },
            {
                Sid: "AssetsWriteToSource",
                Effect: "Allow",
                Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
                Resource: [`${a.writeBucketArn}/*`],
            },
            {
                Sid: "DatabaseIamAuth",
                Effect: "Allow",
                Action: ["rds-db:connect"],
                Resource: [
                    `arn:${a.partition}:rds-db:${a.region}:${a.accountId}:dbuser:${a.clusterResourceId}/${APP_DB_USER}`,
                ],
            },
            {
                Sid: "CacheAuthSecret",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue"],
                Resource: a.secretArns,
            },
            {
                Sid: "DataKeyThroughServices",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: [a.kmsKeyArn],
                Condition: {
                    StringEquals: {
                        "kms:ViaService": ["dynamodb", "s3", "secretsmanager"].map(
                            (svc) => `${svc}.${a.region}.amazonaws.com`,
                        ),
                    },
                },
            },
            // SSE-KMS puts need GenerateDataKey, multipart uploads and reads also Decrypt, on the
            // source bucket's key, through S3 in the source region (S3 User Guide, "Protecting
            // data with server-side encryption using AWS KMS keys", permissions).
            ...(remoteWrite
                ? [
                      {
                          Sid: "SourceKeyThroughS3",
                          Effect: "Allow",
                          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                          Resource: [a.writeKmsKeyArn],
                          Condition: {
                              StringEquals: {
                                  "kms:ViaService": `s3.${a.writeBucketRegion}.amazonaws.com`,
                              },
                          },
                      },
                  ]
                : []),
        ],
    });
}
