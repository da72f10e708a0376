/** Elastic Load Balancing: load balancers and target groups. */
import { ServiceMocks, first } from "../context";

/** Canonical hosted zone ids of Application Load Balancers, per region (AWS docs, "Elastic Load Balancing endpoints and quotas"). */
export const ALB_ZONE_IDS: Record<string, string> = {
    "ap-northeast-1": "Z14GRHDCWA56QT",
    "ap-northeast-2": "ZWKZPGTI48KDX",
    "ap-southeast-1": "Z1LMS91P8CMLE5",
    "ap-southeast-2": "Z1GM3OXH4ZPM65",
    "eu-central-1": "Z215JYRZR1TBD5",
    "eu-west-1": "Z32O12XQLNTSW2",
    "eu-west-2": "ZHURV8PSTC4K8",
    "us-east-1": "Z35SXDOTRQ7X7K",
    "us-east-2": "Z3AADJGX6KTTL2",
    "us-west-2": "Z1H1FL5HABSF5",
};

export const elb: ServiceMocks = {
    synthesizers: {
        "aws:lb/loadBalancer:LoadBalancer": (c) => {
            const lbName = (
                first(c.inputs, "name") ?? `${c.name.slice(0, 24)}-${c.hash("lb", 7)}`
            ).slice(0, 32);
            const suffix = `app/${lbName}/${c.hash("lbid", 16)}`;
            return {
                id: c.arn(`loadbalancer/${suffix}`),
                outputs: {
                    arn: c.arn(`loadbalancer/${suffix}`),
                    arnSuffix: suffix,
                    dnsName: `${lbName}-${parseInt(c.hash("dns", 8), 16)}.${c.region}.elb.amazonaws.com`,
                    zoneId: ALB_ZONE_IDS[c.region] ?? `Z${c.hash("zone", 13).toUpperCase()}`,
                    name: lbName,
                },
            };
        },
        "aws:lb/targetGroup:TargetGroup": (c) => {
            const suffix = `targetgroup/${c.physicalName.slice(0, 32)}/${c.hash("tg", 16)}`;
            return { id: c.arn(suffix), outputs: { arn: c.arn(suffix), arnSuffix: suffix } };
        },
    },
    arnService: { lb: "elasticloadbalancing", alb: "elasticloadbalancing" },
};
