/**
 * LogArchive: a region's log archive, classified like the logs it keeps (`eu` in eu-west-1, the
 * region hosting the EU zone; `global` elsewhere, the primary's being the global zone's). A
 * bucket under a single-Region CMK of that region, private, versioned, TLS-only, expiring.
 *
 * AWS log delivery cannot write into it directly: ALB access logs and S3 server access logs go
 * only to a bucket in the same Region (S3: and account) under SSE-S3, never SSE-KMS
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_s3Buckets_LoggingEnabled.html). So they
 * land in the region's landing bucket (the cell's SSE-S3 log bucket), which replicates into the
 * archive within the region, re-encrypted under the archive's key. Every logged bucket, the
 * landing and the archive included, is in the archive's region: nothing leaves it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ARCHIVE_ROLE, LANDING_ROLE } from "../../model/logs";
import { logArchiveBucketName, namePrefix } from "../../model/naming";
import { TAG, componentTags } from "../../model/tags";
import { keyWithAlias } from "../shared/kms-key";
import { keyPolicy } from "../shared/kms-policy";
import { residencyTags, withResidencyCheck } from "../shared/residency";
import { LogArchiveArgs } from "./args";
import { archiveBucket } from "./bucket";
import { logAccess, replicateLanding, replicationFailedAlarm } from "./delivery";

export * from "./args";

/**
 * The archive bucket's physical name, `taskflow-<env>-logs-<account>-<classification>-<region>`:
 * the residency name convention with the account in its base (bucket names are global across
 * accounts).
 */
export function archiveBucketName(
    env: string,
    account: string,
    classification: string,
    region: string,
): string {
    return logArchiveBucketName(env, account, classification, region);
}

export class LogArchive extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;
    public readonly kmsKeyArn: pulumi.Output<string>;
    public readonly classification: pulumi.Output<string>;
    public readonly region: pulumi.Output<string>;

    constructor(name: string, args: LogArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
        super("taskflow:logs:LogArchive", name, {}, withResidencyCheck(opts, args.zones));
        checkArgs(name, args);
        const env = args.environment ?? "prod";
        const tags = residencyTags(args.classification, {
            ...componentTags(env, "log-archive", { [TAG.region]: args.region }),
            [TAG.purpose]: "log-archive",
        });
        const p = { parent: this };
        const account = aws.getCallerIdentityOutput({}, p).accountId;
        const partition = aws.getPartitionOutput({}, p).partition;
        const key = keyWithAlias(
            `${name}-key`,
            {
                region: args.region,
                description: `TaskFlow ${env} log archive (${args.classification}, ${args.region})`,
                multiRegion: false,
                // Account principals use it only through S3 in this region: the replication
                // role's writes into the archive, and reads of the archive.
                policy: pulumi.all([partition, account]).apply(([pt, acct]) =>
                    keyPolicy({
                        partition: pt,
                        accountId: acct,
                        services: ["s3"],
                        regions: [args.region],
                    }),
                ),
                tags,
                alias: {
                    resourceName: `${name}-key-alias`,
                    name: `alias/${namePrefix(env)}-logs-${args.classification}-${args.region}`,
                },
            },
            p,
        );
        const bucketName = account.apply((a) =>
            archiveBucketName(env, a, args.classification, args.region),
        );
        const archive = archiveBucket(name, this, { ...args, bucketName, tags, keyArn: key.arn });
        replicateLanding(name, this, {
            args,
            account,
            archiveArn: archive.bucket.arn,
            keyArn: key.arn,
            ready: [archive.versioning],
        });
        replicationFailedAlarm(name, this, args, archive.bucket.id);
        const logged = [
            { role: LANDING_ROLE, bucketName: args.landing.bucketName },
            { role: ARCHIVE_ROLE, bucketName: archive.bucket.id },
            ...(args.logged ?? []),
        ];
        for (const b of logged) logAccess(name, this, args, b);

        this.bucketName = archive.bucket.id;
        this.bucketArn = archive.bucket.arn;
        this.kmsKeyArn = key.arn;
        this.classification = pulumi.output(args.classification);
        this.region = pulumi.output(args.region);
        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            kmsKeyArn: this.kmsKeyArn,
            classification: this.classification,
            region: this.region,
        });
    }
}

/** Refuses args no AWS setup could honour (duplicate roles, a retention out of range). */
function checkArgs(name: string, args: LogArchiveArgs): void {
    const d = args.retentionDays;
    if (!Number.isInteger(d) || d < 1 || d > 3653)
        throw new Error(
            `LogArchive ${name}: retentionDays ${d} is not allowed; an integer from 1 to 3653 is required`,
        );
    const roles = [LANDING_ROLE, ARCHIVE_ROLE, ...(args.logged ?? []).map((b) => b.role)];
    const dup = roles.find((r, i) => roles.indexOf(r) !== i);
    if (dup !== undefined)
        throw new Error(`LogArchive ${name}: logged bucket role '${dup}' is given twice`);
}
