/** The edge's fixed facts: Route 53 checker regions, CloudFront's managed policies, WAF groups. */
import { ORIGIN_VERIFY_HEADER } from "../cell/constants";

/** Route 53 health-checker regions (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html). */
export const HEALTH_CHECKER_REGIONS: readonly string[] = [
    "us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1",
]; // prettier-ignore

/** AWS managed cache policies (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html). */
export const MANAGED_CACHE_POLICY = {
    CachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
    CachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
} as const;

/** Header CloudFront adds to every origin request; the ALBs' 443 listeners require it. */
export const ORIGIN_HEADER_NAME = ORIGIN_VERIFY_HEADER;

/** AWS managed WAF rule groups on the distribution, in priority order. */
export const WAF_MANAGED_RULE_GROUPS: readonly string[] = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
];

/** Route 53 checker regions of the failover health checks unless told otherwise. */
export const DEFAULT_HEALTH_CHECKER_REGIONS: readonly string[] = [
    "us-east-1",
    "eu-west-1",
    "ap-northeast-1",
];

/**
 * The request headers the residency router's decision (and the headers it forwards) depend on
 * (edge/residency-router.ts reads `cloudfront-viewer-country`): a cache that serves a response to
 * another viewer must key on them (cdn.ts). Kept here, not in the router, so that a change to
 * this list does not change the Lambda@Edge bundle.
 */
export const ROUTER_INPUT_HEADERS: readonly string[] = ["CloudFront-Viewer-Country"];
