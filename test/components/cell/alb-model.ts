/**
 * How an ALB answers a request, from planned listeners and rules, and which names a certificate
 * covers: the models the cell specs evaluate entry points with.
 */
import { RecordedResource } from "../../../plan/mocks";

/** A request as an ALB listener sees it. */
export interface AlbRequest {
    port: number;
    path: string;
    headers: Record<string, string>;
}

/**
 * The rules of the listener on the request's port in priority order, first match wins (every
 * condition must match; one of a header condition's values must equal the header,
 * case-insensitively; a host-header value matches the Host case-insensitively; a path pattern
 * is matched exactly, as the ones used here have no wildcard), else the listener's default
 * action. https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
 */
export function albAnswer(
    listeners: RecordedResource[],
    rules: RecordedResource[],
    arnOf: (r: RecordedResource) => unknown,
    req: AlbRequest,
): string {
    const listener = listeners.find((l) => l.inputs.port === req.port);
    if (!listener) return "no listener";
    const describe = (actions: Record<string, any>[]) => {
        const [a] = actions;
        if (a.type === "forward") return "forward";
        if (a.type === "fixed-response")
            return `${a.fixedResponse.statusCode} ${JSON.parse(a.fixedResponse.messageBody).rule}`;
        return a.type;
    };
    const header = (name: string) =>
        Object.entries(req.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    const matches = (c: Record<string, any>) => {
        if (c.pathPattern) return (c.pathPattern.values as string[]).includes(req.path);
        if (c.httpHeader) {
            const got = header(c.httpHeader.httpHeaderName);
            return (
                got !== undefined &&
                (c.httpHeader.values as string[]).some((x) => x.toLowerCase() === got.toLowerCase())
            );
        }
        if (c.hostHeader) {
            const got = header("host")?.toLowerCase();
            return (c.hostHeader.values as string[]).some((x) => x.toLowerCase() === got);
        }
        throw new Error(`condition not modelled: ${JSON.stringify(c)}`);
    };
    const own = rules
        .filter((r) => r.inputs.listenerArn === arnOf(listener))
        .sort((a, b) => (a.inputs.priority as number) - (b.inputs.priority as number));
    for (const r of own)
        if ((r.inputs.conditions as Record<string, any>[]).every(matches))
            return describe(r.inputs.actions as Record<string, any>[]);
    return describe(listener.inputs.defaultActions as Record<string, any>[]);
}

/**
 * Whether a certificate with these names covers `host`: an exact name, or a wildcard `*.x`
 * covering exactly one whole label left of `x` (RFC 6125 section 6.4.3, which TLS clients and
 * CloudFront's origin check follow: https://www.rfc-editor.org/rfc/rfc6125#section-6.4.3). ACM's
 * own wording of a wildcard name: "*.example.com protects www.example.com, site.example.com, and
 * images.example.com" (RequestCertificate, DomainName:
 * https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html).
 */
export function certCovers(names: string[], host: string): boolean {
    const h = host.toLowerCase();
    return names.some((n) => {
        const name = n.toLowerCase();
        if (!name.startsWith("*.")) return name === h;
        const rest = h.split(".");
        return rest.length > 1 && rest.slice(1).join(".") === name.slice(2) && rest[0] !== "";
    });
}
