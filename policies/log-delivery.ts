// AWS log delivery that writes into a bucket of the zone and reads nothing: Elastic Load
// Balancing's access-log delivery. In the Regions opened before August 2022 ELB writes as an
// AWS-owned account of that Region, which the bucket policy must grant `s3:PutObject` under
// `<prefix>/AWSLogs/<account>/`; the load balancer and the bucket must be in the same Region
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html,
// the account table as `aws.elb.getServiceAccount` returns it). A grant to such an account is in
// the zone only when it is that of a zone Region and only lets it put objects: it then writes
// logs of that Region's load balancers and can read nothing back.

import { effectiveRegion, ResidencyConfig, ResourceView } from "./residency";

/** Region → the Elastic Load Balancing account that delivers its access logs. */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-south-1": "718504428378",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-south-1": "635631232127",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
};

/** The Region whose ELB log delivery writes as `account`, if any. */
export function elbLogDeliveryRegion(account: string): string | undefined {
    return Object.entries(ELB_LOG_DELIVERY_ACCOUNTS).find(([, a]) => a === account)?.[0];
}

/**
 * Whether a statement only lets its principals put objects into a bucket (`s3:PutObject` on
 * object ARNs, nothing else): a log delivery grant, which reads nothing.
 */
export function putObjectsOnly(actions: readonly unknown[], resources: string[] | "any"): boolean {
    return (
        actions.length > 0 &&
        actions.every((a) => typeof a === "string" && a.toLowerCase() === "s3:putobject") &&
        resources !== "any" &&
        resources.length > 0 &&
        resources.every((r) => /^arn:aws[a-z-]*:s3:::[^/]+\/.+/.test(r))
    );
}

/**
 * What a load balancer's own logs are: the request records (client IPs, paths) of the viewers it
 * serves. The edge pins GDPR viewers to the GDPR zone's region (residency-edge-pin), so a load
 * balancer there serves them and its access and connection logs are that zone's data; in a
 * Region not known until apply it may be there (fail closed). Elsewhere its logs are judged by
 * what it reads, as before.
 */
export function loadBalancerPicks(
    v: ResourceView,
    config: ResidencyConfig,
): { zone: string; why: string }[] {
    const zone = config.gdprZone;
    if (zone === undefined) return [];
    const regions = config.zones[zone] ?? [];
    const r = effectiveRegion(v);
    const here = r.kind === "known" ? regions.includes(r.region) : true;
    if (!here) return [];
    return [
        {
            zone,
            why: `the request logs of ${v.type} '${v.name}', which serves the zone '${zone}' viewers the edge pins to ${regions.join(", ")}`,
        },
    ];
}
