// Judges of identity, the edge and Pulumi's own resources (see index.ts for what the kinds mean).

import { T } from "../types";
import type { Judge } from "./types";

export const ACCESS_JUDGES: Readonly<Record<string, Judge>> = {
    // ---- identity -------------------------------------------------------------------------------
    [T.iamRole]: {
        refs: { managedPolicyArns: "inert", permissionsBoundary: "inert" },
        docs: [
            { path: "assumeRolePolicy", kind: "trust" },
            { path: "inlinePolicies[].policy", kind: "identity" },
        ],
        regionless: true,
    },
    [T.iamRolePolicy]: {
        refs: { role: "grantee" },
        docs: [{ path: "policy", kind: "identity" }],
        regionless: true,
    },
    [T.iamPolicy]: { refs: {}, docs: [{ path: "policy", kind: "identity" }], regionless: true },
    [T.iamRolePolicyAttachment]: {
        refs: { role: "grantee", policyArn: "assume" },
        regionless: true,
    },
    "aws:iam/policyAttachment:PolicyAttachment": {
        refs: { roles: "grantee", users: "grantee", groups: "grantee", policyArn: "assume" },
        regionless: true,
    },
    "aws:iam/userPolicy:UserPolicy": {
        refs: { user: "grantee" },
        docs: [{ path: "policy", kind: "identity" }],
        regionless: true,
    },
    "aws:iam/groupPolicy:GroupPolicy": {
        refs: { group: "grantee" },
        docs: [{ path: "policy", kind: "identity" }],
        regionless: true,
    },
    "aws:iam/instanceProfile:InstanceProfile": { refs: { role: "assume" }, regionless: true },
    // ---- edge: a CDN caches what its origins serve at edge locations worldwide
    // (https://docs.aws.amazon.com/sdk-for-php/v3/developer-guide/cf-examples.html).
    [T.cloudfront]: {
        refs: {
            "origins[].domainName": "reads",
            "origins[].originId": "inert",
            "origins[].customHeaders": "inert",
            "origins[].originAccessControlId": "inert",
            originGroups: "inert",
            "loggingConfig.bucket": "sink",
            webAclId: "inert",
            viewerCertificate: "inert",
            defaultCacheBehavior: "inert",
            orderedCacheBehaviors: "inert",
        },
        worldwide: true,
    },
    [T.route53Record]: {
        refs: { aliases: "inert", records: "inert", healthCheckId: "inert", zoneId: "inert" },
        regionless: true,
    },
    // ---- Pulumi: names only ---------------------------------------------------------------------
    [T.stack]: { refs: { "*": "inert" } },
    [T.stackReference]: { refs: { "*": "inert" } },
};
