/** Elastic Load Balancing: load balancers and target groups. */
import { ServiceMocks, first } from "../context";

/**
 * Canonical hosted zone ids of Application Load Balancers, per region ("Route 53 Hosted Zone ID
 * (Application Load Balancers, Classic Load Balancers)" in
 * https://docs.aws.amazon.com/general/latest/gr/elb.html). Every region a topology may name
 * should be here: a region missing gets a made-up id, which no alias record in AWS would accept.
 */
export const ALB_ZONE_IDS: Record<string, string> = {
    "af-south-1": "Z268VQBMOI5EKX",
    "ap-east-1": "Z3DQVH9N71FHZ0",
    "ap-northeast-1": "Z14GRHDCWA56QT",
    "ap-northeast-2": "ZWKZPGTI48KDX",
    "ap-northeast-3": "Z5LXEXXYW11ES",
    "ap-south-1": "ZP97RAFLXTNZK",
    "ap-south-2": "Z0173938T07WNTVAEPZN",
    "ap-southeast-1": "Z1LMS91P8CMLE5",
    "ap-southeast-2": "Z1GM3OXH4ZPM65",
    "ap-southeast-3": "Z08888821HLRG5A9ZRTER",
    "ap-southeast-4": "Z09517862IB2WZLPXG76F",
    "ca-central-1": "ZQSVJUPU6J1EY",
    "eu-central-1": "Z215JYRZR1TBD5",
    "eu-central-2": "Z06391101F2ZOEP8P5EB3",
    "eu-north-1": "Z23TAZ6LKFMNIO",
    "eu-south-1": "Z3ULH7SSC9OV64",
    "eu-south-2": "Z0956581394HF5D5LXGAP",
    "eu-west-1": "Z32O12XQLNTSW2",
    "eu-west-2": "ZHURV8PSTC4K8",
    "eu-west-3": "Z3Q77PNBQS71R4",
    "me-central-1": "Z08230872XQRWHG2XF6I",
    "me-south-1": "ZS929ML54UICD",
    "sa-east-1": "Z2P70J7HTTTPLU",
    "us-east-1": "Z35SXDOTRQ7X7K",
    "us-east-2": "Z3AADJGX6KTTL2",
    "us-west-1": "Z368ELLRRE2KJ0",
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
