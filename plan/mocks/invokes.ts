/**
 * The provider functions (invokes) the program may call offline, with realistic results. Anything
 * else throws, so nothing passes on a silently faked call.
 */
import { ELB_LOG_DELIVERY_ACCOUNTS } from "../../policies/log-delivery";
import { MOCK_ACCOUNT_ID } from "./context";

/**
 * ELB log-delivery account per region: the pack's table (policies/log-delivery.ts), the one copy
 * of AWS's list (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html),
 * so the plan grants the account the pack then judges.
 */
export const ELB_ACCOUNT_IDS: Readonly<Record<string, string>> = ELB_LOG_DELIVERY_ACCOUNTS;

/** What a provider function (invoke) returns, by token. */
export type InvokeHandler = (
    args: Record<string, unknown>,
    ctx: { stack: string; region: string; hash: (salt: string, n?: number) => string },
) => Record<string, unknown>;

/** Invokes the program is allowed to make offline, with realistic results. Anything else throws. */
export const INVOKES: Record<string, InvokeHandler> = {
    "aws:route53/getZone:getZone": (args, ctx) => {
        const zid = `Z${ctx.hash(`zone:${args.name}`, 20).toUpperCase()}`;
        return {
            id: zid,
            zoneId: zid,
            name: String(args.name ?? "").replace(/\.$/, ""),
            privateZone: false,
            nameServers: [],
        };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/offline-plan`,
        userId: "AIDAOFFLINEPLAN",
        id: MOCK_ACCOUNT_ID,
    }),
    "aws:index/getPartition:getPartition": () => ({
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        id: "aws",
    }),
    "aws:index/getRegion:getRegion": (_a, ctx) => ({
        name: ctx.region,
        region: ctx.region,
        id: ctx.region,
        endpoint: `ec2.${ctx.region}.amazonaws.com`,
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_a, ctx) => ({
        names: ["a", "b", "c"].map((s) => `${ctx.region}${s}`),
        zoneIds: [1, 2, 4].map((n) => `${ctx.region.replace(/-(\w)\w+-/, "$1")}-az${n}`),
        id: ctx.region,
    }),
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": (args, ctx) => ({
        id: `pl-${ctx.hash(`pl:${args.name}`, 8)}`,
        name: args.name,
        arn: `arn:aws:ec2:${ctx.region}:aws:prefix-list/pl-${ctx.hash(`pl:${args.name}`, 8)}`,
        addressFamily: "IPv4",
        maxEntries: 55,
    }),
    // Regions opened since August 2022 have no such account (the provider errors): never the
    // stack's own account in its place.
    "aws:elb/getServiceAccount:getServiceAccount": (_a, ctx) => {
        const id = ELB_ACCOUNT_IDS[ctx.region];
        if (id === undefined)
            throw new Error(
                `aws.elb.getServiceAccount: no Elastic Load Balancing log-delivery account for ${ctx.region} in plan/mocks (add AWS's documented one to policies/log-delivery.ts)`,
            );
        return { id, arn: `arn:aws:iam::${id}:root`, region: ctx.region };
    },
    // A security group looked up by name in a VPC (e.g. the `GlobalAccelerator` group GA creates
    // once an endpoint group targets an ALB in that VPC). Same name+VPC → same id.
    "aws:ec2/getSecurityGroup:getSecurityGroup": (args, ctx) => {
        const sg = `sg-${ctx.hash(`sg:${args.vpcId}:${args.name}`, 17)}`;
        return {
            id: sg,
            name: args.name,
            vpcId: args.vpcId,
            arn: `arn:aws:ec2:${ctx.region}:${MOCK_ACCOUNT_ID}:security-group/${sg}`,
            description: `${args.name} security group`,
            tags: {},
        };
    },
};
