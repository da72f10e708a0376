/**
 * Every service the offline plan synthesizes, one file each. Adding a resource type touches the
 * file of its service only: its synthesizer, and its secret outputs if the provider has any.
 */
import type { ServiceMocks, Synthesizer } from "../context";
import { acm } from "./acm";
import { cloudfront } from "./cloudfront";
import { cloudwatch } from "./cloudwatch";
import { dynamodb } from "./dynamodb";
import { ec2 } from "./ec2";
import { ecs } from "./ecs";
import { elasticache } from "./elasticache";
import { elb } from "./elb";
import { globalaccelerator } from "./globalaccelerator";
import { iam } from "./iam";
import { kms } from "./kms";
import { lambda } from "./lambda";
import { logs } from "./logs";
import { random } from "./random";
import { rds } from "./rds";
import { route53 } from "./route53";
import { s3 } from "./s3";
import { secretsmanager } from "./secretsmanager";
import { ssm } from "./ssm";

export { ALB_ZONE_IDS } from "./elb";
export { CLOUDFRONT_ZONE_ID } from "./cloudfront";
export { GLOBAL_ACCELERATOR_ZONE_ID } from "./globalaccelerator";

export const SERVICES: readonly ServiceMocks[] = [
    acm,
    cloudfront,
    cloudwatch,
    dynamodb,
    ec2,
    ecs,
    elasticache,
    elb,
    globalaccelerator,
    iam,
    kms,
    lambda,
    logs,
    random,
    rds,
    route53,
    s3,
    secretsmanager,
    ssm,
];

/** Type-specific outputs; anything absent gets a generic id and ARN. */
export const SYNTHESIZERS: Record<string, Synthesizer> = Object.assign(
    {},
    ...SERVICES.map((s) => s.synthesizers),
);

/** Output properties the provider marks secret, by type (see ServiceMocks.secretOutputs). */
export const SECRET_OUTPUTS: Record<string, readonly string[]> = Object.assign(
    {},
    ...SERVICES.map((s) => s.secretOutputs ?? {}),
);

/** Type prefixes of the global services (their resources' region is "global"). */
export const GLOBAL_TYPE_PREFIXES: readonly string[] = SERVICES.flatMap(
    (s) => s.globalTypePrefixes ?? [],
);

const ARN_SERVICES: Record<string, string> = Object.assign(
    {},
    ...SERVICES.map((s) => s.arnService ?? {}),
);

/** The ARN service name of a resource type (`aws:lb/...` → `elasticloadbalancing`). */
export function arnServiceOf(type: string): string {
    const m = /^aws:([a-z0-9]+)\//.exec(type);
    const mod = m ? m[1] : "unknown";
    return ARN_SERVICES[mod] ?? mod;
}
