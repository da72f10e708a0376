/**
 * CloudFront for `app.<domain>`: its certificate (us-east-1, validated with the record the cells'
 * certificates share), the WAF ACL (CLOUDFRONT scope lives in us-east-1), the origin request
 * policies, the distribution (origin `api.<domain>`, the residency router on every behaviour,
 * the origin secret header) and the app name's alias records.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { acmValidationRecord } from "../shared/acm";
import { MANAGED_CACHE_POLICY, ORIGIN_HEADER_NAME, ROUTER_INPUT_HEADERS } from "./constants";
import { EdgeContext, childOf } from "./context";
import { ResidencyRouter } from "./router";
import { wafRuleSet } from "./waf-rules";

/** The app name's certificate in us-east-1; returns the validated certificate's ARN. */
export function appCertificate(ctx: EdgeContext): pulumi.Output<string> {
    const region = ctx.plan.edgeRegion;
    const certificate = new aws.acm.Certificate(
        `${ctx.name}-app-cert`,
        {
            region,
            domainName: ctx.plan.appName,
            validationMethod: "DNS",
            keyAlgorithm: "RSA_2048",
            tags: ctx.tags,
        },
        ctx.edge,
    );
    // ACM's CNAME for app.<domain> is the one the cells' certificates (which also cover
    // app.<domain>) use: written exactly as they write it, and never deleted by this stack.
    const record = acmValidationRecord(
        `${ctx.name}-app-cert-validation`,
        { certificate, domain: ctx.plan.appName, zoneId: ctx.zoneId, shared: true },
        childOf(ctx),
    );
    return new aws.acm.CertificateValidation(
        `${ctx.name}-app-cert-validation`,
        { region, certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
        ctx.edge,
    ).certificateArn;
}

/**
 * The WAF ACL: AWS managed rule groups, a per-IP rate limit and the body limits per path
 * (waf-rules.ts).
 */
export function webAcl(ctx: EdgeContext): aws.wafv2.WebAcl {
    const set = wafRuleSet({
        rateLimit: ctx.args.wafRateLimit ?? 2000,
        bodyLimits: ctx.args.wafBodyLimits,
    });
    return new aws.wafv2.WebAcl(
        `${ctx.name}-waf`,
        {
            region: ctx.plan.edgeRegion,
            scope: "CLOUDFRONT",
            description: `TaskFlow ${ctx.environment} edge: AWS managed rule groups and a per-IP rate limit`,
            defaultAction: { allow: {} },
            rules: set.rules,
            associationConfig: {
                requestBodies: [
                    { cloudfront: { defaultSizeInspectionLimit: set.inspectionLimit } },
                ],
            },
            visibilityConfig: {
                cloudwatchMetricsEnabled: true,
                metricName: `${ctx.prefix}-edge`,
                sampledRequestsEnabled: true,
            },
            tags: ctx.tags,
        },
        ctx.edge,
    );
}

/**
 * API requests carry everything to the origin (and are never cached); static assets carry
 * nothing of their own to it: the viewer country, the router's input, reaches it through the
 * static cache policy, whose key includes it (headers in a cache policy's key are forwarded to
 * the origin: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/controlling-origin-requests.html).
 */
function originRequestPolicies(ctx: EdgeContext) {
    const api = new aws.cloudfront.OriginRequestPolicy(
        `${ctx.name}-api-origin`,
        {
            name: `${ctx.prefix}-api-origin`,
            comment: "API: every viewer header, cookie and query string, plus the viewer country",
            headersConfig: {
                headerBehavior: "allViewerAndWhitelistCloudFront",
                headers: { items: [...ROUTER_INPUT_HEADERS] },
            },
            cookiesConfig: { cookieBehavior: "all" },
            queryStringsConfig: { queryStringBehavior: "all" },
        },
        childOf(ctx),
    );
    const assets = new aws.cloudfront.OriginRequestPolicy(
        `${ctx.name}-static-origin`,
        {
            name: `${ctx.prefix}-static-origin`,
            comment:
                "Static assets: nothing beyond the cache key (which carries the viewer country)",
            headersConfig: { headerBehavior: "none" },
            cookiesConfig: { cookieBehavior: "none" },
            queryStringsConfig: { queryStringBehavior: "none" },
        },
        childOf(ctx),
    );
    return { api, assets };
}

/**
 * The static behaviours' cache policy: CachingOptimized's TTLs and compression, plus the router's
 * input headers in the cache key. The router runs on origin requests only, i.e. on cache misses
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-cloudfront-trigger-events.html),
 * and its decision (resident origin or not, the residency headers) depends on the viewer
 * country; with the country in the key, an object fetched for one viewer is served only to
 * viewers of the same country, hence of the same decision
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/adding-cloudfront-headers.html).
 */
function staticCachePolicy(ctx: EdgeContext): aws.cloudfront.CachePolicy {
    return new aws.cloudfront.CachePolicy(
        `${ctx.name}-static-cache`,
        {
            name: `${ctx.prefix}-static-cache`,
            comment: "Static assets: cached per viewer country (the residency router's input)",
            minTtl: 1,
            defaultTtl: 86400,
            maxTtl: 31536000,
            parametersInCacheKeyAndForwardedToOrigin: {
                enableAcceptEncodingGzip: true,
                enableAcceptEncodingBrotli: true,
                headersConfig: {
                    headerBehavior: "whitelist",
                    headers: { items: [...ROUTER_INPUT_HEADERS] },
                },
                cookiesConfig: { cookieBehavior: "none" },
                queryStringsConfig: { queryStringBehavior: "none" },
            },
        },
        childOf(ctx),
    );
}

/** The distribution and the app name's A/AAAA aliases to it. */
export function distribution(
    ctx: EdgeContext,
    parts: {
        certificateArn: pulumi.Output<string>;
        webAcl: aws.wafv2.WebAcl;
        router: ResidencyRouter;
        originSecret: pulumi.Output<string>;
    },
): aws.cloudfront.Distribution {
    const { plan, args } = ctx;
    const policies = originRequestPolicies(ctx);
    const staticCache = staticCachePolicy(ctx);
    const routerAssociation = [
        {
            eventType: "origin-request",
            lambdaArn: parts.router.fn.qualifiedArn,
            includeBody: false,
        },
    ];
    const originId = "api";
    const cdn = new aws.cloudfront.Distribution(
        `${ctx.name}-cdn`,
        {
            enabled: true,
            comment: `TaskFlow ${ctx.environment}: ${plan.appName}`,
            aliases: [plan.appName],
            isIpv6Enabled: true,
            httpVersion: "http2and3",
            priceClass: args.priceClass ?? "PriceClass_All",
            webAclId: parts.webAcl.arn,
            origins: [
                {
                    originId,
                    domainName: plan.apiName,
                    customOriginConfig: {
                        httpPort: 80,
                        httpsPort: 443,
                        originProtocolPolicy: "https-only",
                        originSslProtocols: ["TLSv1.2"],
                        originReadTimeout: 30,
                        originKeepaliveTimeout: 5,
                    },
                    customHeaders: [{ name: ORIGIN_HEADER_NAME, value: parts.originSecret }],
                },
            ],
            defaultCacheBehavior: {
                targetOriginId: originId,
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                cachedMethods: ["GET", "HEAD"],
                compress: true,
                cachePolicyId: MANAGED_CACHE_POLICY.CachingDisabled,
                originRequestPolicyId: policies.api.id,
                lambdaFunctionAssociations: routerAssociation,
            },
            orderedCacheBehaviors: (args.staticPathPatterns ?? ["/static/*", "/assets/*"]).map(
                (pathPattern) => ({
                    pathPattern,
                    targetOriginId: originId,
                    viewerProtocolPolicy: "redirect-to-https",
                    allowedMethods: ["GET", "HEAD", "OPTIONS"],
                    cachedMethods: ["GET", "HEAD"],
                    compress: true,
                    cachePolicyId: staticCache.id,
                    originRequestPolicyId: policies.assets.id,
                    lambdaFunctionAssociations: routerAssociation,
                }),
            ),
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: {
                acmCertificateArn: parts.certificateArn,
                sslSupportMethod: "sni-only",
                minimumProtocolVersion: "TLSv1.2_2021",
            },
            tags: ctx.tags,
        },
        // The router may log from its first request on.
        { parent: ctx.parent, dependsOn: [parts.router.logs] },
    );
    for (const type of ["A", "AAAA"]) {
        new aws.route53.Record(
            `${ctx.name}-app-${type.toLowerCase()}`,
            {
                zoneId: ctx.zoneId,
                name: plan.appName,
                type,
                aliases: [
                    {
                        name: cdn.domainName,
                        zoneId: cdn.hostedZoneId,
                        evaluateTargetHealth: false,
                    },
                ],
            },
            childOf(ctx),
        );
    }
    return cdn;
}
