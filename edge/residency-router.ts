/**
 * Lambda@Edge residency router (CloudFront origin-request trigger).
 *
 * The residency requirement (docs/requirements.md) pins GDPR viewers to eu-west-1, and such
 * requests fail closed: global features may fail over, but a request that needs EU-resident data
 * is never served from outside eu-west-1 (docs/architecture.md, "Residency and failover").
 *
 * What the handler does, per request:
 * - Reads `CloudFront-Viewer-Country` (CloudFront adds it when the origin request policy lists it).
 * - Always drops viewer-supplied `x-data-residency` / `x-gdpr-required` / `x-viewer-country`
 *   headers, so a client cannot choose its own residency, and sets them from the country.
 * - GDPR country (see {@link GDPR_COUNTRIES}): tags `x-data-residency: <residency region>` and
 *   `x-gdpr-required: true`, then
 *   - origin is the resident origin (the EU-only DNS name, no failover): forwarded as is;
 *   - origin is one of the routed API names (geolocation/latency/failover, which may resolve to
 *     any region, and which CloudFront resolves from the *edge's* resolver, not the viewer's):
 *     re-pointed at the resident origin (domain name, and the Host header when it named the old
 *     origin rather than the viewer's host). CloudFront resolves the new
 *     name again after the function returns
 *     (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html#lambda-at-edge-restrictions-dns);
 *   - any other origin (an S3 origin, a region-pinned origin outside the residency region, an
 *     origin added later that the router does not know): rejected with a 403 JSON body. Unknown
 *     means non-EU: the router fails closed.
 * - Any other country, or no country header: forwarded unchanged apart from
 *   `x-gdpr-required: false` and `x-viewer-country` (`unknown` when absent).
 *
 * Second line: every ALB outside the residency region refuses (403) a request tagged
 * `x-data-residency: <residency region>` (components/cell/listeners.ts), so a tagged request that
 * reaches a non-resident cell anyway fails closed there too. Untagged requests (a GDPR account
 * travelling abroad, direct API or accelerator clients) are the application's call; this program
 * passes the residency settings to the tasks but does not ship the application.
 *
 * Lambda@Edge has no environment variables, so the configuration is baked into the bundle at build
 * time (`edge/bundle.ts` replaces `__RESIDENCY_ROUTER_CONFIG__`). Tests call
 * {@link createResidencyRouter} with an explicit config.
 */
import type {
    CloudFrontHeaders,
    CloudFrontRequest,
    CloudFrontRequestEvent,
    CloudFrontRequestResult,
    CloudFrontResultResponse,
} from "aws-lambda";
import { GDPR_COUNTRIES } from "../policies/gdpr";

/** Build-time configuration of the router. */
export interface ResidencyRouterConfig {
    /** Region the GDPR requests must be served from, e.g. `eu-west-1`. */
    residencyRegion: string;
    /** DNS name of the resident-only origin (simple alias to the residency region's ALB, no failover). */
    residentOrigin: string;
    /** Origin names the router may re-point at the resident origin (the routed API names). */
    routedOrigins: string[];
    /** ISO 3166-1 alpha-2 codes whose viewers are GDPR requests. */
    countries: string[];
}

// The GDPR viewer countries are the policy pack's, so the router and the pack's edge policy can
// never disagree (the decision and its sources are documented in policies/gdpr.ts).
export { GDPR_COUNTRIES };

/** Headers the router owns; viewer-supplied values are always discarded. */
export const RESIDENCY_HEADER = "x-data-residency";
export const GDPR_HEADER = "x-gdpr-required";
export const COUNTRY_HEADER = "x-viewer-country";

const VIEWER_COUNTRY_HEADER = "cloudfront-viewer-country";

/** Checks a config before it is baked into a bundle or used; throws naming the bad field. */
export function validateRouterConfig(config: ResidencyRouterConfig): ResidencyRouterConfig {
    const problems: string[] = [];
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(config.residencyRegion ?? "")) {
        problems.push(
            `residencyRegion ${JSON.stringify(config.residencyRegion)} is not an AWS region name`,
        );
    }
    const dns = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
    if (!dns.test(config.residentOrigin ?? "")) {
        problems.push(
            `residentOrigin ${JSON.stringify(config.residentOrigin)} is not a lower-case DNS name`,
        );
    }
    if (!Array.isArray(config.routedOrigins) || config.routedOrigins.some((o) => !dns.test(o))) {
        problems.push(
            `routedOrigins ${JSON.stringify(config.routedOrigins)} must be lower-case DNS names`,
        );
    } else if (config.routedOrigins.includes(config.residentOrigin)) {
        problems.push(
            `routedOrigins must not contain the resident origin ${config.residentOrigin}`,
        );
    }
    if (
        !Array.isArray(config.countries) ||
        config.countries.length === 0 ||
        config.countries.some((c) => !/^[A-Z]{2}$/.test(c))
    ) {
        problems.push(
            `countries ${JSON.stringify(config.countries)} must be a non-empty list of ISO 3166-1 alpha-2 codes`,
        );
    }
    if (problems.length > 0)
        throw new Error(`invalid residency router config: ${problems.join("; ")}`);
    return config;
}

function setHeader(headers: CloudFrontHeaders, name: string, value: string, key = name): void {
    headers[name] = [{ key, value }];
}

function forbidden(
    origin: string,
    config: ResidencyRouterConfig,
    country: string,
): CloudFrontResultResponse {
    return {
        status: "403",
        statusDescription: "Forbidden",
        headers: {
            "content-type": [{ key: "Content-Type", value: "application/json" }],
            "cache-control": [{ key: "Cache-Control", value: "no-store" }],
        },
        body: JSON.stringify({
            error: "data_residency_violation",
            message: `requests from ${country} need data resident in ${config.residencyRegion} and may not be served by origin ${origin || "(none)"}`,
            requiredRegion: config.residencyRegion,
        }),
    };
}

/** The origin domain a request is aimed at ("" when none: viewer-request events, S3 origins). */
function originDomain(request: CloudFrontRequest): string {
    return request.origin?.custom?.domainName?.toLowerCase() ?? "";
}

/** Builds the handler for one configuration (the bundle calls it with the baked config). */
export function createResidencyRouter(
    config: ResidencyRouterConfig,
): (event: CloudFrontRequestEvent) => Promise<CloudFrontRequestResult> {
    validateRouterConfig(config);
    const gdpr = new Set(config.countries);
    const routed = new Set(config.routedOrigins.map((o) => o.toLowerCase()));
    const resident = config.residentOrigin.toLowerCase();

    return async (event) => {
        const cf = event.Records[0].cf;
        const request = cf.request;
        const headers = request.headers;
        const country = headers[VIEWER_COUNTRY_HEADER]?.[0]?.value?.trim().toUpperCase() ?? "";
        delete headers[RESIDENCY_HEADER];
        delete headers[GDPR_HEADER];
        setHeader(headers, COUNTRY_HEADER, country === "" ? "unknown" : country);

        if (!gdpr.has(country)) {
            setHeader(headers, GDPR_HEADER, "false");
            return request;
        }

        setHeader(headers, RESIDENCY_HEADER, config.residencyRegion);
        setHeader(headers, GDPR_HEADER, "true");
        // A viewer-request event carries no origin yet: tag only; the origin-request run decides.
        if (cf.config.eventType === "viewer-request") return request;

        const origin = originDomain(request);
        if (origin === resident) return request;
        if (request.origin?.custom && routed.has(origin)) {
            request.origin.custom.domainName = resident;
            // Host carries the origin name unless the behaviour forwards the viewer's Host (API
            // paths): only the former names the old origin and must follow the new one.
            if (headers.host?.[0]?.value?.toLowerCase() === origin)
                setHeader(headers, "host", resident, "Host");
            return request;
        }
        return forbidden(origin, config, country);
    };
}

// Replaced by a JSON object literal when edge/bundle.ts builds the deployable bundle.
declare const __RESIDENCY_ROUTER_CONFIG__: ResidencyRouterConfig | undefined;
let baked: ((event: CloudFrontRequestEvent) => Promise<CloudFrontRequestResult>) | undefined;

/**
 * The Lambda@Edge entry point (`index.handler` in the bundle). Outside a bundle there is no baked
 * configuration, and the handler refuses every request rather than guess one.
 */
export const handler = async (event: CloudFrontRequestEvent): Promise<CloudFrontRequestResult> => {
    if (typeof __RESIDENCY_ROUTER_CONFIG__ === "undefined") {
        throw new Error(
            "residency router: no configuration baked in (build it with edge/bundle.ts)",
        );
    }
    baked ??= createResidencyRouter(__RESIDENCY_ROUTER_CONFIG__);
    return baked(event);
};
