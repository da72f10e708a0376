/**
 * No cached response is shared across residency decisions. The router runs on origin requests
 * only, i.e. on a cache miss ("When the requested object is in the CloudFront cache, the
 * function doesn't execute":
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-cloudfront-trigger-events.html),
 * so a cached object is served to every viewer whose request has the same cache key; the key is
 * the path plus the headers, cookies and query strings the behaviour's cache policy lists
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-the-cache-key.html),
 * and CachingDisabled caches nothing
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html).
 * Built from literal args; the router's decisions come from the real handler.
 */
import { expect } from "chai";
import type { CloudFrontRequestEvent } from "aws-lambda";
import {
    EdgeRouting,
    EdgeRoutingArgs,
    MANAGED_CACHE_POLICY,
    ROUTER_INPUT_HEADERS,
} from "../../../components/edge";
import { createResidencyRouter } from "../../../edge/residency-router";
import { Topology } from "../../../model/topology";
import { T } from "../../../policies/types";
import { Built, buildUnderMocks } from "../../helpers/component";

type Any = Record<string, any>;

const TOPOLOGY: Topology = {
    org: "acme",
    project: "taskflow",
    globalStack: "edge",
    domain: "example.org",
    zones: { eu: ["eu-west-1"], us: ["us-east-1"] },
    gdprZone: "eu",
    regions: [
        {
            region: "us-east-1",
            stack: "use1",
            primary: true,
            failover: "eu-west-1",
            zone: "us",
            vpcCidr: "10.1.0.0/16",
            geolocation: { countries: ["US"], continents: [] },
            globalData: true,
        },
        {
            region: "eu-west-1",
            stack: "euw1",
            primary: false,
            failover: "us-east-1",
            zone: "eu",
            vpcCidr: "10.2.0.0/16",
            geolocation: { countries: [], continents: ["EU"] },
            globalData: true,
        },
    ],
};
const endpoint = (region: string) => ({
    albDnsName: `alb.${region}.elb.amazonaws.com`,
    albZoneId: "ZALB",
    albArn: `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/app/a/1`,
    healthCheckFqdn: `${region}.origin.example.org`,
    healthCheckPath: "/health",
});
const ARGS: EdgeRoutingArgs = {
    topology: TOPOLOGY,
    regions: { "us-east-1": endpoint("us-east-1"), "eu-west-1": endpoint("eu-west-1") },
    hostedZoneId: "ZLITERAL0001",
    originHeaderSecret: "literal-secret",
    staticPathPatterns: ["/static/*", "/assets/*", "/img/*"],
};

interface Behaviour {
    pathPattern: string;
    cachePolicyId: string;
    lambdaFunctionAssociations?: { eventType: string }[];
}

/** The headers in a behaviour's cache key; null when the behaviour caches nothing. */
function cacheKeyHeaders(b: Built, behaviour: Behaviour): string[] | null {
    if (behaviour.cachePolicyId === MANAGED_CACHE_POLICY.CachingDisabled) return null;
    // AWS's CachingOptimized keys on no header (the managed-policies page above).
    if (behaviour.cachePolicyId === MANAGED_CACHE_POLICY.CachingOptimized) return [];
    const policy = b
        .ofType("aws:cloudfront/cachePolicy:CachePolicy")
        .find((p) => p.id === behaviour.cachePolicyId);
    if (!policy)
        throw new Error(
            `cache policy ${behaviour.cachePolicyId} of ${behaviour.pathPattern} not built here`,
        );
    const p = policy.inputs.parametersInCacheKeyAndForwardedToOrigin as Any;
    if (Number(policy.inputs.maxTtl) === 0) return null;
    const h = p.headersConfig;
    return h.headerBehavior === "whitelist" ? (h.headers.items as string[]) : [];
}

/** What is wrong with a behaviour that runs the router: a cache key missing a router input. */
function sharingProblem(b: Built, behaviour: Behaviour): string | undefined {
    const routed = (behaviour.lambdaFunctionAssociations ?? []).some(
        (a) => a.eventType === "origin-request",
    );
    if (!routed) return undefined;
    const key = cacheKeyHeaders(b, behaviour);
    if (key === null) return undefined;
    const lower = key.map((k) => k.toLowerCase());
    const missing = ROUTER_INPUT_HEADERS.filter((h) => !lower.includes(h.toLowerCase()));
    return missing.length > 0
        ? `${behaviour.pathPattern} caches without ${missing.join(", ")} in its key`
        : undefined;
}

/** The router's decision for one viewer country on the routed origin (what it forwards or answers). */
async function decision(edge: EdgeRouting, country: string): Promise<string> {
    const router = createResidencyRouter(edge.routerConfig);
    const origin = edge.routerConfig.routedOrigins[0];
    const event = {
        Records: [
            {
                cf: {
                    config: { eventType: "origin-request" },
                    request: {
                        uri: "/static/app.js",
                        method: "GET",
                        querystring: "",
                        clientIp: "192.0.2.1",
                        headers: {
                            "cloudfront-viewer-country": [
                                { key: "CloudFront-Viewer-Country", value: country },
                            ],
                            host: [{ key: "Host", value: origin }],
                        },
                        origin: {
                            custom: {
                                domainName: origin,
                                port: 443,
                                protocol: "https",
                                path: "",
                                sslProtocols: ["TLSv1.2"],
                                readTimeout: 30,
                                keepaliveTimeout: 5,
                                customHeaders: {},
                            },
                        },
                    },
                },
            },
        ],
    } as unknown as CloudFrontRequestEvent;
    const out = (await router(event)) as Any;
    return JSON.stringify({
        status: out.status,
        origin: out.origin?.custom?.domainName,
        headers: out.headers?.["x-data-residency"] ?? out.headers?.["x-gdpr-required"],
    });
}

describe("EdgeRouting's cache and the residency router", function () {
    this.timeout(30000);
    let b: Built;
    let edge: EdgeRouting;
    let behaviours: Behaviour[];

    before(async () => {
        b = await buildUnderMocks("us-east-1", () => {
            edge = new EdgeRouting("edge", ARGS);
        });
        const cdn = b.ofType(T.cloudfront)[0].inputs as Any;
        behaviours = [
            { ...cdn.defaultCacheBehavior, pathPattern: "(default)" },
            ...cdn.orderedCacheBehaviors,
        ];
    });

    it("runs the router on every behaviour, and caches with the router's inputs in the key where it caches", () => {
        expect(behaviours.map((x) => x.pathPattern)).to.deep.equal([
            "(default)",
            "/static/*",
            "/assets/*",
            "/img/*",
        ]);
        for (const x of behaviours) {
            expect(
                x.lambdaFunctionAssociations?.map((a) => a.eventType),
                x.pathPattern,
            ).to.deep.equal(["origin-request"]);
            expect(sharingProblem(b, x), x.pathPattern).to.equal(undefined);
        }
        expect(cacheKeyHeaders(b, behaviours[0])).to.equal(null); // the API caches nothing
        for (const x of behaviours.slice(1))
            expect(cacheKeyHeaders(b, x), x.pathPattern).to.include("CloudFront-Viewer-Country");
    });

    it("would flag a static behaviour on CachingOptimized, as the static paths had (the check can fail)", () => {
        const optimized = {
            ...behaviours[1],
            cachePolicyId: MANAGED_CACHE_POLICY.CachingOptimized,
        };
        expect(sharingProblem(b, optimized)).to.equal(
            "/static/* caches without CloudFront-Viewer-Country in its key",
        );
    });

    it("never serves an object cached for one residency decision to a viewer of another", async () => {
        // A simulated edge cache keyed as CloudFront keys it: path + the cache-key headers.
        const countries = ["DE", "US", "FR", "JP", "NO", "GB", "", "DE", "US", "JP"];
        for (const x of behaviours.slice(1)) {
            const keyHeaders = cacheKeyHeaders(b, x)!;
            const path = x.pathPattern.replace("*", "app.js");
            const cache = new Map<string, string>();
            let hits = 0;
            for (const country of countries) {
                const key = JSON.stringify([
                    path,
                    ...keyHeaders.map((h) =>
                        h.toLowerCase() === "cloudfront-viewer-country" ? country : "",
                    ),
                ]);
                const mine = await decision(edge, country);
                const cached = cache.get(key);
                if (cached !== undefined) {
                    hits++;
                    expect(cached, `${path} ${country}`).to.equal(mine);
                } else cache.set(key, mine); // a miss: the router ran for this viewer
            }
            expect(hits, path).to.equal(3); // repeat viewers are served from the cache
            // EU and non-EU viewers did get different decisions, so sharing would have mixed them.
            expect(new Set(cache.values()).size, path).to.be.greaterThan(1);
        }
    });

    it("forwards the viewer country to the origin on every behaviour (the router reads it there)", () => {
        for (const x of behaviours) {
            const key = cacheKeyHeaders(b, x) ?? [];
            const orp = b
                .ofType("aws:cloudfront/originRequestPolicy:OriginRequestPolicy")
                .find((p) => p.id === (x as Any).originRequestPolicyId)!;
            const items = ((orp.inputs.headersConfig as Any).headers?.items ?? []) as string[];
            expect([...key, ...items], x.pathPattern).to.include("CloudFront-Viewer-Country");
        }
    });
});
