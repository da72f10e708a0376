/**
 * The edge WAF's rules, a pure function of the rate limit and the body limits (tested in
 * test/components/edge/waf-rules.spec.ts).
 *
 * `AWSManagedRulesCommonRuleSet` blocks every request whose body is over 8 KB with its rule
 * `SizeRestrictions_BODY` ("Core rule set (CRS) managed rule group",
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html),
 * i.e. ordinary PUT/POST/PATCH of the API. The group stays whole, with that one rule overridden
 * to Count (`ruleActionOverrides`,
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_ManagedRuleGroupStatement.html), and
 * the web ACL's own size-constraint rules enforce the limit of each path prefix instead. A body
 * over the web ACL's inspection limit matches them (`oversizeHandling: MATCH`,
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_Body.html), and the inspection limit
 * is raised to cover the largest configured limit (`associationConfig`), so the other rule
 * groups read every byte a request may carry.
 */
import * as aws from "@pulumi/aws";
import {
    DEFAULT_WAF_BODY_LIMITS,
    MAX_WAF_BODY_LIMIT,
    MAX_WAF_BODY_PREFIXES,
    WAF_PATH_PREFIX,
} from "../../model/waf";
import { WAF_MANAGED_RULE_GROUPS } from "./constants";

type Rule = aws.types.input.wafv2.WebAclRule;
type Statement = aws.types.input.wafv2.WebAclRuleStatement;

/** CloudFront's body inspection limits (RequestBodyAssociatedResourceTypeConfig). */
const INSPECTION_LIMITS = [
    { value: "KB_16", bytes: 16384 },
    { value: "KB_32", bytes: 32768 },
    { value: "KB_48", bytes: 49152 },
    { value: "KB_64", bytes: 65536 },
] as const;

/** Priorities: the managed groups 10, 20, 30, the rate limit 40, body limits from 50. */
export const BODY_LIMIT_FIRST_PRIORITY = 50;

export interface WafRuleSet {
    rules: Rule[];
    /** The web ACL's CloudFront body inspection limit: the smallest that covers every limit. */
    inspectionLimit: (typeof INSPECTION_LIMITS)[number]["value"];
}

const visibility = (metric: string) => ({
    cloudwatchMetricsEnabled: true,
    metricName: metric,
    sampledRequestsEnabled: true,
});

/** The request's path after URL decoding and path normalisation (so `/a/../b` is `/b`). */
const pathStartsWith = (prefix: string): Statement => ({
    byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: "STARTS_WITH",
        searchString: prefix,
        textTransformations: [
            { priority: 0, type: "URL_DECODE" },
            { priority: 1, type: "NORMALIZE_PATH" },
        ],
    },
});

const bodyOver = (bytes: number): Statement => ({
    sizeConstraintStatement: {
        fieldToMatch: { body: { oversizeHandling: "MATCH" } },
        comparisonOperator: "GT",
        size: bytes,
        textTransformations: [{ priority: 0, type: "NONE" }],
    },
});

/** The body limits merged over the default, checked (a bad literal arg throws). */
export function bodyLimitsOf(limits?: Record<string, number>): Record<string, number> {
    const all = { ...DEFAULT_WAF_BODY_LIMITS, ...(limits ?? {}) };
    for (const [prefix, bytes] of Object.entries(all)) {
        if (!WAF_PATH_PREFIX.test(prefix))
            throw new Error(
                `wafBodyLimits: path prefix ${JSON.stringify(prefix)} is not allowed; a path starting with "/", no "..", no wildcard`,
            );
        if (!Number.isInteger(bytes) || bytes < 1 || bytes > MAX_WAF_BODY_LIMIT)
            throw new Error(
                `wafBodyLimits: ${prefix} → ${bytes} is not allowed; an integer from 1 to ${MAX_WAF_BODY_LIMIT}`,
            );
    }
    if (Object.keys(all).length > MAX_WAF_BODY_PREFIXES)
        throw new Error(`wafBodyLimits: at most ${MAX_WAF_BODY_PREFIXES} path prefixes`);
    return all;
}

/**
 * One rule per prefix: block a body over its limit on a path under it and under no longer
 * configured prefix (the longest prefix decides). `/` needs no path match: every path starts
 * with it. Nesting stays within the provider's three levels (and → not → byte match).
 */
function bodyLimitRules(limits: Record<string, number>): Rule[] {
    const prefixes = Object.keys(limits).sort((a, b) => b.length - a.length || a.localeCompare(b));
    return prefixes.map((prefix, i) => {
        const longer = prefixes.filter((p) => p !== prefix && p.startsWith(prefix));
        const parts: Statement[] = [
            ...(prefix === "/" ? [] : [pathStartsWith(prefix)]),
            ...longer.map((p) => ({ notStatement: { statement: pathStartsWith(p) } })),
            bodyOver(limits[prefix]),
        ];
        const name = `body-limit-${i}`;
        return {
            name,
            priority: BODY_LIMIT_FIRST_PRIORITY + i,
            action: { block: {} },
            statement: parts.length === 1 ? parts[0] : { andStatement: { statements: parts } },
            visibilityConfig: visibility(name),
        };
    });
}

/** The managed groups (CRS with its 8 KB body rule counted), the rate limit, the body limits. */
export function wafRuleSet(args: {
    rateLimit: number;
    bodyLimits?: Record<string, number>;
}): WafRuleSet {
    const limits = bodyLimitsOf(args.bodyLimits);
    const largest = Math.max(...Object.values(limits));
    const managed: Rule[] = WAF_MANAGED_RULE_GROUPS.map((group, i) => ({
        name: group,
        priority: (i + 1) * 10,
        overrideAction: { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name: group,
                ...(group === "AWSManagedRulesCommonRuleSet"
                    ? {
                          ruleActionOverrides: [
                              { name: "SizeRestrictions_BODY", actionToUse: { count: {} } },
                          ],
                      }
                    : {}),
            },
        },
        visibilityConfig: visibility(group),
    }));
    const rate: Rule = {
        name: "rate-limit-per-ip",
        priority: (WAF_MANAGED_RULE_GROUPS.length + 1) * 10,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: args.rateLimit, aggregateKeyType: "IP" } },
        visibilityConfig: visibility("rate-limit-per-ip"),
    };
    return {
        rules: [...managed, rate, ...bodyLimitRules(limits)],
        inspectionLimit: INSPECTION_LIMITS.find((l) => l.bytes >= largest)!.value,
    };
}
