/** Arguments and outputs of the LogArchive component. */
import * as pulumi from "@pulumi/pulumi";

/** The region's log landing bucket: where AWS log delivery can write (SSE-S3, same Region). */
export interface LandingBucket {
    /** Name (id) of the bucket. */
    bucketName: pulumi.Input<string>;
    /** ARN of the bucket. */
    bucketArn: pulumi.Input<string>;
    /**
     * What must exist before logs are sent to it or replicated from it: its bucket policy (which
     * admits `logging.s3.amazonaws.com` under `s3/`, model/logs.ts) and its versioning
     * (replication requires it on both buckets). Default none.
     */
    ready?: pulumi.Resource[];
    /**
     * Names of the buckets whose S3 server access logs the landing bucket's policy admits. When
     * given, every bucket logged into it must be among them, else the update fails naming both
     * (S3 would drop its records without an error). Default: not checked.
     */
    s3LogSources?: pulumi.Input<string[]>;
}

/** A bucket whose S3 server access logs the archive receives. */
export interface LoggedBucket {
    /** Short name in the log keys and in the logging resource's name (`s3/<role>/`). */
    role: string;
    /** Name (id) of the bucket; it must be in the archive's region and account. */
    bucketName: pulumi.Input<string>;
}

/** Arguments of {@link LogArchive}. */
export interface LogArchiveArgs {
    /** Region of the archive, its key, its landing bucket and every logged bucket. Required. */
    region: string;
    /** Classification of the logs it keeps (`global` or a residency zone). Required. */
    classification: string;
    /** Every residency zone of the topology (the residency check). Required. */
    zones: string[];
    /** Environment in names and tags. Default `prod`. */
    environment?: string;
    /** Days a log object is kept in the archive (1-3653). Required. */
    retentionDays: number;
    /**
     * The region's landing bucket: ALB and S3 server access logs land there and replicate into
     * the archive (same-Region replication), re-encrypted under the archive's key. Required.
     */
    landing: LandingBucket;
    /**
     * The region's other buckets: each gets S3 server access logging into the landing bucket.
     * The landing bucket and the archive bucket are always logged (roles `log-landing`,
     * `log-archive`). Default none.
     */
    logged?: LoggedBucket[];
    /**
     * SNS topic ARNs notified when the landing bucket's replication into the archive fails.
     * Default none (and no alarm).
     */
    alarmActions?: pulumi.Input<string>[];
}

/**
 * What the archive exports, for other components and stacks (the edge's CloudFront and WAF
 * logs, a stack output per region stack).
 */
export interface LogArchiveOutputs {
    /** The archive bucket's name. */
    bucketName: string;
    /** The archive bucket's ARN. */
    bucketArn: string;
    /** ARN of the archive's single-Region key (in `region`). */
    kmsKeyArn: string;
    /** Classification of the logs it keeps: `global` or a zone. */
    classification: string;
    /** Region of the bucket and its key. */
    region: string;
}
