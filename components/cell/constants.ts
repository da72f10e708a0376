/**
 * The cell's fixed facts and pure rules: ports, headers, the TLS policy, subnet sizes, the ELB
 * log-delivery regions. Pure (no resources), so they are unit-tested directly.
 */
import { parseCidr } from "../../model/cidr";
import { RESIDENCY_HEADER as ROUTER_RESIDENCY_HEADER } from "../../edge/residency-router";

/**
 * The ELB TLS policy of both HTTPS listeners: TLS 1.3 and 1.2 only, and only ECDHE/TLS 1.3 AEAD
 * ciphers, so every session is forward-secret. (`ELBSecurityPolicy-TLS13-1-2-2021-06`, without
 * `Res`, also offers non-FS `AES*-GCM-SHA*` RSA-kex ciphers on TLS 1.2.)
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";
/** ALB port Global Accelerator reaches (its endpoint groups override listener port 443 to it). */
export const GA_ENDPOINT_PORT = 8443;
/** Header CloudFront adds to every origin request; the 443 listener requires it. */
export const ORIGIN_VERIFY_HEADER = "x-origin-verify";
/** Header the Lambda@Edge router sets on GDPR requests (edge/residency-router.ts). */
export const RESIDENCY_HEADER = ROUTER_RESIDENCY_HEADER;
/** CloudFront's origin-facing managed prefix list (one rule referencing it weighs 55 rules). */
export const CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";
/** Ports of the data stores the tasks reach: Aurora PostgreSQL and ElastiCache (Redis/Valkey). */
export const DATA_PORTS = { postgres: 5432, redis: 6379 } as const;

/**
 * Regions where ALB access-log delivery is authorised by granting the regional ELB account
 * (`aws.elb.getServiceAccount`); regions opened after August 2022 use the
 * `logdelivery.elasticloadbalancing.amazonaws.com` service principal instead.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export const ELB_ACCOUNT_LOG_REGIONS: readonly string[] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-north-1",
    "me-south-1",
    "sa-east-1",
];

/** Subnet sizes (prefix lengths) of each tier for a VPC of prefix `/p` (16–20). */
export function subnetMasks(vpcCidr: string): {
    public: number;
    private: number;
    isolated: number;
} {
    const parsed = parseCidr(vpcCidr);
    if (!parsed || parsed[1] < 16 || parsed[1] > 20) {
        throw new Error(
            `RegionalCell: vpcCidr ${JSON.stringify(vpcCidr)} is not allowed; a /16–/20 network address is required`,
        );
    }
    const p = parsed[1];
    // Per AZ: private (tasks) gets 1/8 of the VPC, isolated (data) 1/32, public (ALB, NAT) 1/64;
    // three AZs use 33/64 of the block and leave the rest for later tiers.
    return { public: p + 6, private: p + 3, isolated: p + 5 };
}

/** ECR repository ARN of an image held in a private ECR registry, else undefined (public image). */
export function ecrRepositoryArn(image: string): string | undefined {
    const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
    if (!m) return undefined;
    return `arn:aws:ecr:${m[2]}:${m[1]}:repository/${m[3]}`;
}
