/**
 * The `aws:*` settings of a stack's default provider that an explicit provider must be given
 * too: an explicit `aws.Provider` reads no `aws:*` stack config, only its own args and the
 * environment (by design: https://github.com/pulumi/pulumi-aws/issues/1307,
 * https://github.com/pulumi/pulumi-aws/issues/3259). Region is not among them: an explicit
 * provider exists to set its own.
 */

/** Settings whose value is a string. */
export const AWS_STRING_SETTINGS = [
    "profile",
    "accessKey",
    "secretKey",
    "token",
    "stsRegion",
    "customCaBundle",
    "ec2MetadataServiceEndpoint",
    "ec2MetadataServiceEndpointMode",
    "httpProxy",
    "httpsProxy",
    "noProxy",
    "retryMode",
    "s3UsEast1RegionalEndpoint",
    "tagPolicyCompliance",
] as const;
/** Settings whose value is a boolean. */
export const AWS_BOOLEAN_SETTINGS = [
    "insecure",
    "s3UsePathStyle",
    "skipCredentialsValidation",
    "skipMetadataApiCheck",
    "skipRegionValidation",
    "skipRequestingAccountId",
    "useDualstackEndpoint",
    "useFipsEndpoint",
] as const;
/** Settings whose value is a non-negative integer. */
export const AWS_INTEGER_SETTINGS = ["maxRetries", "tokenBucketRateLimiterCapacity"] as const;
/** Settings whose value is a list of strings. */
export const AWS_LIST_SETTINGS = [
    "allowedAccountIds",
    "forbiddenAccountIds",
    "sharedConfigFiles",
    "sharedCredentialsFiles",
    "userAgents",
] as const;
/** Settings whose value is an object or a list of objects. */
export const AWS_OBJECT_SETTINGS = [
    "assumeRoles",
    "assumeRoleWithWebIdentity",
    "defaultTags",
    "ignoreTags",
    "endpoints",
] as const;
/** Settings that hold credentials: carried over as secrets. */
export const AWS_SECRET_SETTINGS = ["accessKey", "secretKey", "token"] as const;

/** Every carried setting, as its provider argument name (the config key is `aws:<name>`). */
export const AWS_PROVIDER_SETTINGS: readonly string[] = [
    ...AWS_STRING_SETTINGS,
    ...AWS_BOOLEAN_SETTINGS,
    ...AWS_INTEGER_SETTINGS,
    ...AWS_LIST_SETTINGS,
    ...AWS_OBJECT_SETTINGS,
];

/** One `aws:assumeRoles[]` entry (the provider's `assumeRoles` input). */
export interface AwsAssumeRole {
    roleArn?: string;
    sessionName?: string;
    externalId?: string;
    duration?: string;
    policy?: string;
    policyArns?: string[];
    sourceIdentity?: string;
    tags?: Record<string, string>;
    transitiveTagKeys?: string[];
}

/** The validated `aws:*` provider settings of a stack (absent keys are absent). */
export type AwsProviderSettings = { [K in (typeof AWS_STRING_SETTINGS)[number]]?: string } & {
    [K in (typeof AWS_BOOLEAN_SETTINGS)[number]]?: boolean;
} & { [K in (typeof AWS_INTEGER_SETTINGS)[number]]?: number } & {
    [K in (typeof AWS_LIST_SETTINGS)[number]]?: string[];
} & {
    assumeRoles?: AwsAssumeRole[];
    assumeRoleWithWebIdentity?: {
        roleArn?: string;
        sessionName?: string;
        webIdentityToken?: string;
        webIdentityTokenFile?: string;
        duration?: string;
        policy?: string;
        policyArns?: string[];
    };
    defaultTags?: { tags?: Record<string, string> };
    ignoreTags?: { keys?: string[]; keyPrefixes?: string[] };
    endpoints?: Record<string, string>[];
};
