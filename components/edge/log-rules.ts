/**
 * What the edge logs keep, a pure function of nothing but AWS's field lists (tested in
 * test/components/edge/log-rules.spec.ts). The edge's logs hold every viewer's requests, EU
 * viewers' among them, and live in the global zone's us-east-1 archive (docs/architecture.md,
 * "Edge logs and residency"), so they keep as little about a viewer as the services allow:
 *
 * - CloudFront standard logging (v2) lets the delivery choose its record fields
 *   (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html,
 *   field names: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html#BasicDistributionFileFormat):
 *   the viewer's address (`c-ip`, `c-port`, `x-forwarded-for`), cookies, the query string, the
 *   referrer and the user agent are not selected.
 * - WAF cannot leave the client IP out of its records: redaction covers only a single header, the
 *   query string, the URI path and the method
 *   (https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html,
 *   `RedactedFields`). The credentials headers and the query string are redacted, and the logging
 *   filter keeps only the requests a rule blocked, challenged or counted (`LoggingFilter`,
 *   `ActionCondition`: https://docs.aws.amazon.com/waf/latest/APIReference/API_ActionCondition.html),
 *   so an allowed viewer's request leaves no WAF record at all.
 */
import { edgeLogsBucketName } from "../../model/naming";

/** CloudFront standard-log fields the edge delivers: request metadata, no viewer identifiers. */
export const CLOUDFRONT_LOG_FIELDS: readonly string[] = [
    "date",
    "time",
    "x-edge-location",
    "x-edge-request-id",
    "x-host-header",
    "cs(Host)",
    "cs-method",
    "cs-protocol",
    "cs-protocol-version",
    "cs-uri-stem",
    "cs-bytes",
    "sc-status",
    "sc-bytes",
    "sc-content-type",
    "sc-content-len",
    "time-taken",
    "time-to-first-byte",
    "x-edge-result-type",
    "x-edge-response-result-type",
    "x-edge-detailed-result-type",
    "ssl-protocol",
    "ssl-cipher",
    // The viewer country (the residency router's input), from the real-time field subset v2
    // offers ("standard-logging-real-time-log-selection" on the page above).
    "c-country",
];

/**
 * Fields that identify or track a viewer, or may carry credentials or personal data in a URL:
 * never delivered (a spec asserts the list above has none of them).
 */
export const CLOUDFRONT_PERSONAL_FIELDS: readonly string[] = [
    "c-ip",
    "c-port",
    "x-forwarded-for",
    "cs(Cookie)",
    "cs-uri-query",
    "cs(Referer)",
    "cs(User-Agent)",
];

/** Headers WAF records would otherwise carry verbatim: credentials and session identifiers. */
export const WAF_REDACTED_HEADERS: readonly string[] = ["authorization", "cookie"];

/** The WAF rule actions whose records are kept; everything else (ALLOW) is dropped. */
export const WAF_KEPT_ACTIONS: readonly string[] = [
    "BLOCK",
    "COUNT",
    "CAPTCHA",
    "CHALLENGE",
    // Rules overridden to Count (the common rule set's body-size rule) match this one.
    "EXCLUDED_AS_COUNT",
];

/** Days the edge bucket keeps log objects unless told otherwise, when it is the only copy. */
export const DEFAULT_EDGE_LOG_RETENTION_DAYS = 90;
/** ... and when every object is replicated into a log archive, which keeps it for its own retention. */
export const DEFAULT_EDGE_LOG_LANDING_DAYS = 7;
/** The longest retention accepted (ten years). */
export const MAX_EDGE_LOG_RETENTION_DAYS = 3650;

/** `logRetentionDays` checked (a bad literal arg throws), or the default. */
export function edgeLogRetentionDays(where: string, days?: number, archived = false): number {
    const d = days ?? (archived ? DEFAULT_EDGE_LOG_LANDING_DAYS : DEFAULT_EDGE_LOG_RETENTION_DAYS);
    if (!Number.isInteger(d) || d < 1 || d > MAX_EDGE_LOG_RETENTION_DAYS) {
        throw new Error(
            `${where}: logRetentionDays ${JSON.stringify(days)} is not allowed; an integer from 1 to ${MAX_EDGE_LOG_RETENTION_DAYS}`,
        );
    }
    return d;
}

/**
 * The archive bucket's name: WAF writes only to buckets whose name starts with `aws-waf-logs-`
 * (https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html), and the rest follows
 * the residency name convention (`<base>-global-<region>`), so the pack can check that the name
 * and the bucket's classification agree.
 */
export function edgeLogBucketName(prefix: string, account: string, region: string): string {
    // The account id keeps two accounts' names apart (bucket names are global across accounts).
    const name = edgeLogsBucketName(prefix, account, region);
    if (name.length > 63 || !/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(name)) {
        throw new Error(
            `edge log bucket name ${JSON.stringify(name)} is not a valid S3 bucket name (at most 63 lower-case letters, digits and hyphens)`,
        );
    }
    return name;
}
