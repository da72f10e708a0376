/**
 * Key policies for the program's customer-managed KMS keys: the account administers a key, and
 * the account's principals may use it only through the AWS services named for it, in the key's
 * region(s). A pure function, so every key (GlobalData's multi-Region keys, the ResidencyBoundary
 * key, the RegionalCell key) is built and reviewed the same way.
 *
 * What the statements rely on (AWS KMS Developer Guide):
 * - "Default key policy" / "Allows access to the AWS account and enables IAM policies": a
 *   statement whose principal is `arn:<partition>:iam::<account>:root` lets IAM policies of that
 *   account grant exactly the actions listed in it, nothing more. Listing administration actions
 *   only (instead of AWS's default `kms:*`) is what makes the `kms:ViaService` statement below
 *   mean something: with `kms:*` on the root, any IAM principal allowed `kms:Decrypt` could
 *   decrypt directly, and the service condition would restrict nobody.
 * - Lockout: PutKeyPolicy and CreateKey run a "policy lockout safety check" that refuses a policy
 *   the caller could not update afterwards. Keeping `kms:PutKeyPolicy` (and `kms:GetKeyPolicy`,
 *   `kms:DescribeKey`) in the root statement keeps the key manageable by any IAM principal whose
 *   IAM policy allows those actions: the deployer role and break-glass administrators. The price
 *   is known: an administrator who may call PutKeyPolicy can rewrite the policy to give itself
 *   Decrypt; that is an IAM-governed, CloudTrail-logged administrative act, not a direct read.
 * - `kms:CreateGrant` is deliberately NOT an administration action: a grant to oneself would
 *   bypass the service conditions. Grants are allowed only when `kms:GrantIsForAWSResource` is
 *   true (the grant is made by an integrated service such as RDS, ElastiCache or DynamoDB on the
 *   caller's behalf) and through one of the named services. That condition key exists only on
 *   grant operations, so it sits in its own statement (in the data statement it would make every
 *   Encrypt/Decrypt fail its Bool condition).
 * - "Using the kms:ViaService condition key": the value is `<service>.<region>.amazonaws.com`;
 *   `kms:CallerAccount` pins the caller to this account.
 * - CloudWatch Logs ("Encrypt log data in CloudWatch Logs using AWS KMS"): the regional service
 *   principal `logs.<region>.amazonaws.com` calls KMS itself, scoped by the encryption context
 *   `kms:EncryptionContext:aws:logs:arn` = the log group's ARN.
 * - CloudWatch alarms publishing to an SSE-KMS SNS topic: see `cloudWatchAlarmsPrincipal`.
 *
 * No statement allows a wildcard action (the policy pack's iam-no-wildcard-actions): every action
 * is spelled out.
 */

/** Actions the account root (hence IAM policies) may be granted: key administration only. */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:PutKeyPolicy",
    "kms:ListKeyPolicies",
    "kms:GetKeyRotationStatus",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:RotateKeyOnDemand",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:DeleteAlias",
    "kms:UpdateKeyDescription",
    "kms:EnableKey",
    "kms:DisableKey",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    // Grant housekeeping (never CreateGrant: see the header).
    "kms:ListGrants",
    "kms:RevokeGrant",
    "kms:RetireGrant",
];

/**
 * Administration actions only a multi-Region key has: ReplicateKey (on the primary),
 * UpdatePrimaryRegion (on either), and SynchronizeMultiRegionKey, which KMS's own service-linked
 * role AWSServiceRoleForKeyManagementServiceMultiRegionKeys calls to keep the shared properties
 * (rotation, key material) of the keys in sync ("Authorizing AWS KMS to synchronize multi-Region
 * keys"): its IAM permission only counts if the key policy delegates the action to the account,
 * which AWS's default `kms:*` did implicitly.
 */
export const MULTI_REGION_ADMIN_ACTIONS: readonly string[] = [
    "kms:ReplicateKey",
    "kms:UpdatePrimaryRegion",
    "kms:SynchronizeMultiRegionKey",
];

/** Cryptographic use, allowed only through the named services. */
export const KEY_DATA_ACTIONS: readonly string[] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
];

/** What a service principal (e.g. CloudWatch Logs) is allowed to do with the key, and when. */
export interface ServicePrincipalGrant {
    /** Statement id (alphanumeric). */
    sid: string;
    /** The service principal, e.g. `logs.eu-west-1.amazonaws.com`. */
    service: string;
    /** KMS actions, spelled out (no wildcard). */
    actions: string[];
    /** IAM condition block, e.g. `{ ArnLike: { "kms:EncryptionContext:aws:logs:arn": [...] } }`. */
    condition?: Record<string, Record<string, string | string[]>>;
}

export interface KeyPolicyArgs {
    /** AWS partition (`aws`, `aws-cn`, ...). Required. */
    partition: string;
    /** The account that owns and administers the key. Required. */
    accountId: string;
    /**
     * Services whose requests may use the key, as short names (`rds`, `dynamodb`, `elasticache`,
     * `s3`, `secretsmanager`, `sns`, ...). Required, at least one.
     */
    services: string[];
    /**
     * Regions those services run in for this key: the key's own region for a single-Region key
     * or a multi-Region key's member. Required, at least one.
     */
    regions: string[];
    /** A multi-Region key (primary or replica): adds ReplicateKey and UpdatePrimaryRegion. Default false. */
    multiRegion?: boolean;
    /** Service principals that call KMS themselves (CloudWatch Logs, alarm publishers). Default none. */
    servicePrincipals?: ServicePrincipalGrant[];
}

/** `kms:ViaService` values: every service in every region. */
export function viaServices(services: string[], regions: string[]): string[] {
    return regions.flatMap((r) => services.map((s) => `${s}.${r}.amazonaws.com`));
}

function check(args: KeyPolicyArgs): void {
    const bad = (what: string, v: unknown, allowed: string) => {
        throw new Error(`keyPolicy: ${what} ${JSON.stringify(v)} is not allowed; ${allowed}`);
    };
    if (!/^aws(-[a-z]+)*$/.test(args.partition ?? ""))
        bad("partition", args.partition, "aws, aws-cn, aws-us-gov, ...");
    if (!/^\d{12}$/.test(args.accountId ?? ""))
        bad("accountId", args.accountId, "a 12-digit account id");
    if (!Array.isArray(args.services) || args.services.length === 0)
        bad("services", args.services, "at least one service name such as rds or dynamodb");
    for (const s of args.services)
        if (!/^[a-z][a-z0-9-]*$/.test(s))
            bad("service", s, "a short service name such as rds (no region, no domain)");
    if (!Array.isArray(args.regions) || args.regions.length === 0)
        bad("regions", args.regions, "at least one AWS region");
    for (const r of args.regions)
        if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(r))
            bad("region", r, "an AWS region such as eu-west-1");
    for (const p of args.servicePrincipals ?? []) {
        if (!/^[A-Za-z0-9]+$/.test(p.sid)) bad("servicePrincipals[].sid", p.sid, "alphanumeric");
        if (p.actions.length === 0 || p.actions.some((a) => !/^kms:[A-Za-z]+$/.test(a)))
            bad(
                `servicePrincipals '${p.sid}' actions`,
                p.actions,
                "KMS actions spelled out (no wildcard)",
            );
    }
}

/**
 * The key policy document (as a JSON string): root administers, account principals use the key
 * only through `services` in `regions`, grants only for AWS resources through those services, and
 * the given service principals under their own conditions.
 */
export function keyPolicy(args: KeyPolicyArgs): string {
    check(args);
    const root = `arn:${args.partition}:iam::${args.accountId}:root`;
    const via = viaServices(args.services, args.regions);
    const statements: Record<string, unknown>[] = [
        {
            Sid: "AccountAdministersKey",
            Effect: "Allow",
            Principal: { AWS: root },
            Action: [...KEY_ADMIN_ACTIONS, ...(args.multiRegion ? MULTI_REGION_ADMIN_ACTIONS : [])],
            Resource: "*",
        },
        {
            Sid: "UseOnlyThroughServices",
            Effect: "Allow",
            Principal: { AWS: root },
            Action: [...KEY_DATA_ACTIONS],
            Resource: "*",
            Condition: {
                StringEquals: { "kms:CallerAccount": args.accountId, "kms:ViaService": via },
            },
        },
        {
            Sid: "GrantsOnlyForAwsResources",
            Effect: "Allow",
            Principal: { AWS: root },
            Action: ["kms:CreateGrant"],
            Resource: "*",
            Condition: {
                StringEquals: { "kms:CallerAccount": args.accountId, "kms:ViaService": via },
                Bool: { "kms:GrantIsForAWSResource": "true" },
            },
        },
        ...(args.servicePrincipals ?? []).map((p) => ({
            Sid: p.sid,
            Effect: "Allow",
            Principal: { Service: p.service },
            Action: [...p.actions],
            Resource: "*",
            ...(p.condition ? { Condition: p.condition } : {}),
        })),
    ];
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * CloudWatch Logs in `region` may encrypt and decrypt the given log groups (by name) with the key,
 * and nothing else: the encryption context is the log group's ARN.
 */
export function logsServicePrincipal(
    partition: string,
    accountId: string,
    region: string,
    logGroupNames: string[],
): ServicePrincipalGrant {
    if (logGroupNames.length === 0)
        throw new Error(`logsServicePrincipal: no log group names for ${region}`);
    return {
        sid: `CloudWatchLogs${region.replace(/-/g, "")}`,
        service: `logs.${region}.amazonaws.com`,
        // CloudWatch Logs needs the same cryptographic actions as any data service.
        actions: [...KEY_DATA_ACTIONS],
        condition: {
            ArnEquals: {
                "kms:EncryptionContext:aws:logs:arn": logGroupNames.map(
                    (n) => `arn:${partition}:logs:${region}:${accountId}:log-group:${n}`,
                ),
            },
        },
    };
}

/**
 * CloudWatch alarms in `region` of `accountId` may have their notifications encrypted with the
 * key when they publish to an SSE-KMS SNS topic. AWS's documented statement ("Enable
 * compatibility between event sources from AWS services and encrypted topics",
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services;
 * https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns) is the service principal
 * `cloudwatch.amazonaws.com` with `kms:GenerateDataKey*` and `kms:Decrypt` on `*`, narrowed
 * against the confused deputy by `aws:SourceAccount` and `aws:SourceArn` (step 3 of that
 * section; not supported only for EventBridge). It has no `kms:ViaService`: that key describes
 * a request a service makes on behalf of a principal of the account, and a statement that
 * demanded it of the CloudWatch principal would fail every alarm notification ("CloudWatch
 * Alarms does not have authorization to access the SNS topic encryption key"). Of the actions
 * `kms:GenerateDataKey*` stands for, SNS needs only `kms:GenerateDataKey` (it encrypts with the
 * plaintext data key; the re:Post article names the kms:Decrypt and kms:GenerateDataKey calls),
 * so the action is spelled out (the pack's iam-no-wildcard-actions).
 */
export function cloudWatchAlarmsPrincipal(
    partition: string,
    accountId: string,
    region: string,
): ServicePrincipalGrant {
    return {
        sid: `cloudwatchPublishesToTopics${region.replace(/-/g, "")}`,
        service: "cloudwatch.amazonaws.com",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnLike: {
                "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*`,
            },
        },
    };
}
