// `residency-edge-pin`: GDPR viewers are routed to their zone's regions and nowhere else, judged on
// the edge resources a stack creates, independently of how the program derived them (so that a
// program whose validation was bypassed is still refused). The zone comes from the pack's config
// (`gdprZone`), its regions from the pack's matrix — never from which region's geolocation claims
// the EU.
//
// - A Route 53 geolocation record for a GDPR location (continent EU, or a GDPR country) must lead
//   to the zone's regions: its alias is followed through the stack's records (failover: the
//   PRIMARY; latency, weighted, geolocation sets: every member) down to a load balancer, whose DNS
//   name carries its region. A target the stack cannot resolve fails closed.
// - The Lambda@Edge residency router (a function tagged `taskflow:residency-zone`) must pin the
//   pack's zone, to a resident origin that leads to the zone's regions the same way.

import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    label,
    readConfig,
    ResidencyConfig,
    residencyConfigSchema,
    T,
    viewOfPolicyResource,
} from "./residency";
import { asArray, isKnownString, obj } from "./values";

/** Tags of the residency router: the zone and the origin it pins GDPR viewers to. */
export const ROUTER_ZONE_TAG = "taskflow:residency-zone" as const;
export const ROUTER_ORIGIN_TAG = "taskflow:resident-origin" as const;

const ELB_REGION = /\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.elb\.amazonaws\.com\.?$/;
const norm = (n: string) => n.replace(/\.$/, "").toLowerCase();

interface RecordView {
    name: string;
    targets: string[];
    failover?: string;
    geo?: { continent?: string; country?: string };
}

function recordsOf(resources: readonly PolicyResource[]): Map<string, RecordView[]> {
    const byName = new Map<string, RecordView[]>();
    for (const r of resources) {
        if (r.type !== T.route53Record) continue;
        const p = viewOfPolicyResource(r).props;
        if (!isKnownString(p["name"])) continue;
        const rec: RecordView = {
            name: norm(p["name"]),
            targets: [
                ...asArray(p["aliases"]).map((a) => obj(a)["name"]),
                ...(p["type"] === "CNAME" ? asArray(p["records"]) : []),
            ]
                .filter(isKnownString)
                .map(norm),
            failover: obj(asArray(p["failoverRoutingPolicies"])[0])["type"] as string | undefined,
            geo: asArray(p["geolocationRoutingPolicies"]).map(obj)[0] as RecordView["geo"],
        };
        byName.set(rec.name, [...(byName.get(rec.name) ?? []), rec]);
    }
    return byName;
}

/** Regions a DNS name leads to through the stack's records; undefined members cannot be resolved. */
function regionsOf(
    name: string,
    records: Map<string, RecordView[]>,
    seen = new Set<string>(),
): (string | undefined)[] {
    const n = norm(name);
    const elb = ELB_REGION.exec(n);
    if (elb) return [elb[1]];
    const set = records.get(n);
    if (!set || seen.has(n)) return [undefined];
    seen.add(n);
    const primary = set.filter((r) => r.failover === "PRIMARY");
    const followed = primary.length > 0 ? primary : set.filter((r) => r.failover === undefined);
    const targets = followed.flatMap((r) => (r.targets.length > 0 ? r.targets : [""]));
    return targets.flatMap((t) => (t === "" ? [undefined] : regionsOf(t, records, new Set(seen))));
}

function isGdprLocation(geo: RecordView["geo"], config: ResidencyConfig): string | undefined {
    if (!geo) return undefined;
    if (geo.continent === "EU") return "continent EU";
    if (geo.country && config.gdprCountries.includes(geo.country)) return `country ${geo.country}`;
    return undefined;
}

export const edgePin: StackValidationPolicy = {
    name: "residency-edge-pin",
    description:
        "GDPR viewers (continent EU and the GDPR countries) are routed to their zone's regions only: Route 53 geolocation records for them and the Lambda@Edge residency router lead to the regions the pack's matrix allows for the configured GDPR zone, never to where a geolocation claims the EU.",
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateStack: (args, report) => {
        const config = readConfig(args.getConfig());
        const zone = config.gdprZone;
        if (!zone)
            args.notApplicable(
                "no GDPR zone is configured (gdprZone) and the matrix has no zone 'eu'",
            );
        const allowed = config.zones[zone!] ?? [];
        const records = recordsOf(args.resources);
        const rule = `rule: GDPR viewers are served from zone '${zone}' (${allowed.join(", ")}) only; the zone is the pack's gdprZone, not whichever region's geolocation claims the EU`;
        const judge = (name: string): string | undefined => {
            const regions = regionsOf(name, records);
            if (regions.includes(undefined))
                return `${name}, which the stack's records do not resolve to a region (fail closed)`;
            const outside = [...new Set(regions.filter((r) => !allowed.includes(r!)))];
            return outside.length > 0 ? `${name}, which leads to ${outside.join(", ")}` : undefined;
        };
        for (const res of args.resources) {
            const v = viewOfPolicyResource(res);
            if (v.type === T.route53Record) {
                const rec = recordsOf([res]).values().next().value?.[0];
                const where = isGdprLocation(rec?.geo, config);
                if (!rec || !where) continue;
                for (const t of rec.targets.length > 0 ? rec.targets : ["(no alias target)"]) {
                    const why = judge(t);
                    if (why)
                        report(
                            `${label(v)} routes GDPR viewers (${where}) of ${rec.name} to ${why}; ${rule}`,
                            res.urn,
                        );
                }
            } else if (v.type === T.lambda) {
                const tags = obj(v.props["tags"]);
                const routerZone = tags[ROUTER_ZONE_TAG];
                if (routerZone === undefined) continue;
                if (routerZone !== zone) {
                    report(
                        `${label(v)} is a residency router for zone ${JSON.stringify(routerZone)}, not the GDPR zone '${zone}'; ${rule}`,
                        res.urn,
                    );
                    continue;
                }
                const origin = tags[ROUTER_ORIGIN_TAG];
                const why = isKnownString(origin)
                    ? judge(origin)
                    : `no '${ROUTER_ORIGIN_TAG}' tag naming its resident origin`;
                if (why) report(`${label(v)} pins GDPR viewers to ${why}; ${rule}`, res.urn);
            }
        }
    },
};
