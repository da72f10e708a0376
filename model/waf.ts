/**
 * Request-body limits of the edge's WAF: path prefix → largest body (bytes) a request under it
 * may carry; the longest matching prefix decides, `/` covers every other path. Shared by the
 * config check (config/edge.ts) and the rule builder (components/edge/waf-rules.ts).
 *
 * AWS WAF inspects at most 64 KB of a CloudFront request body (16 KB unless the web ACL's
 * association config raises it to 32, 48 or 64 KB, for a fee):
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_RequestBodyAssociatedResourceTypeConfig.html
 * A larger limit could not be enforced by a size constraint, so none is accepted.
 */

/** Default: 16 KB everywhere, the CloudFront inspection limit that costs nothing extra. */
export const DEFAULT_WAF_BODY_LIMITS: Readonly<Record<string, number>> = { "/": 16384 };
/** The largest body limit AWS WAF can enforce on CloudFront (64 KB). */
export const MAX_WAF_BODY_LIMIT = 65536;
/** At most this many path prefixes (each adds a rule and its web ACL capacity units). */
export const MAX_WAF_BODY_PREFIXES = 10;
/** A path prefix: starts with `/`, URL path characters only, no `..`, no wildcard. */
export const WAF_PATH_PREFIX = /^\/(?!.*\.\.)[A-Za-z0-9/_.~-]{0,199}$/;
