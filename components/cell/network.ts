/**
 * The cell's network: a three-AZ VPC (awsx; its children are invisible under the mocks, so
 * everything a policy must see is written with @pulumi/aws directly) and the four security
 * groups of the trust domains: the ALB's CloudFront-facing group, its edge group (Route 53
 * health checkers; the Global Accelerator rule is added by the global stack), the tasks and the
 * data tier.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import { CellCapacity } from "../../model/cell";
import { CLOUDFRONT_PREFIX_LIST, DATA_PORTS, subnetMasks } from "./constants";
import { CellContext, childOf } from "./context";

/** The VPC: public (ALB, NAT), private (tasks) and isolated (data) subnets in three AZs. */
export function cellVpc(ctx: CellContext, vpcCidr: string, capacity: CellCapacity): awsx.ec2.Vpc {
    const masks = subnetMasks(vpcCidr);
    return new awsx.ec2.Vpc(
        `${ctx.name}-vpc`,
        {
            cidrBlock: vpcCidr,
            numberOfAvailabilityZones: 3,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            subnetStrategy: "Auto",
            subnetSpecs: [
                { type: "Public", name: "public", cidrMask: masks.public },
                { type: "Private", name: "private", cidrMask: masks.private },
                { type: "Isolated", name: "isolated", cidrMask: masks.isolated },
            ],
            // NAT per AZ keeps an AZ failure from cutting the other AZs' egress; a standby cell
            // trades that for cost (capacity.natGateways is 3 only when active).
            natGateways: { strategy: capacity.natGateways === 3 ? "OnePerAz" : "Single" },
            tags: { ...ctx.tags, Name: `${ctx.prefix}-${ctx.region}` },
        },
        childOf(ctx),
    );
}

/** The cell's security groups. */
export interface CellSecurityGroups {
    /** The ALB's CloudFront-facing group (443 from CloudFront's origin-facing servers). */
    alb: aws.ec2.SecurityGroup;
    /** The ALB's second group: Route 53 health checkers on 443, Global Accelerator on 8443. */
    edge: aws.ec2.SecurityGroup;
    tasks: aws.ec2.SecurityGroup;
    data: aws.ec2.SecurityGroup;
}

/**
 * The groups and their rules. Rules are separate resources (never inline) so that a rule another
 * stack adds to these groups (the Global Accelerator rule) is not removed by this stack's next
 * update.
 */
export function securityGroups(
    ctx: CellContext,
    vpcId: awsx.ec2.Vpc["vpcId"],
    containerPort: number,
    healthCheckerPrefixListName: string | null,
): CellSecurityGroups {
    const group = (role: string, description: string) =>
        new aws.ec2.SecurityGroup(
            `${ctx.name}-${role}`,
            { vpcId, description, tags: ctx.tags },
            childOf(ctx),
        );
    const groups: CellSecurityGroups = {
        alb: group("alb-sg", "TaskFlow ALB: HTTPS from CloudFront origin-facing servers only"),
        edge: group(
            "alb-edge-sg",
            "TaskFlow ALB: HTTPS from Route 53 health checkers and Global Accelerator",
        ),
        tasks: group("tasks-sg", "TaskFlow tasks: the app port from the ALB only"),
        data: group("data-sg", "Data tier: admits the cell's tasks only"),
    };
    albIngress(ctx, groups, healthCheckerPrefixListName);
    tasksAndDataRules(ctx, groups, containerPort);
    return groups;
}

/** Who reaches the ALB on 443: CloudFront's origin-facing servers and Route 53's checkers. */
function albIngress(
    ctx: CellContext,
    groups: CellSecurityGroups,
    healthCheckerPrefixListName: string | null,
): void {
    const cloudFront = aws.ec2.getManagedPrefixListOutput(
        { name: CLOUDFRONT_PREFIX_LIST },
        childOf(ctx),
    );
    // One rule only: a rule referencing the CloudFront list counts as 55 of the default 60
    // rules per group, so a second rule would exceed the quota. CloudFront reaches the origin
    // over HTTPS on 443 only (never 8443, which is Global Accelerator's, nor 80).
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/LocationsOfEdgeServers.html
    new aws.vpc.SecurityGroupIngressRule(
        `${ctx.name}-alb-in-cloudfront`,
        {
            securityGroupId: groups.alb.id,
            prefixListId: cloudFront.id,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "HTTPS from CloudFront origin-facing servers",
        },
        childOf(ctx),
    );
    if (healthCheckerPrefixListName === null) return;
    // The edge's failover health checks (EdgeRouting) request the health URL directly.
    const checkers = aws.ec2.getManagedPrefixListOutput(
        { name: healthCheckerPrefixListName },
        childOf(ctx),
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${ctx.name}-alb-in-healthcheckers`,
        {
            securityGroupId: groups.edge.id,
            prefixListId: checkers.id,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "HTTPS from Route 53 health checkers",
        },
        childOf(ctx),
    );
}

/** ALB → tasks on the app port; tasks → AWS APIs on 443 and → the data tier's ports. */
function tasksAndDataRules(ctx: CellContext, groups: CellSecurityGroups, containerPort: number) {
    const egress = (role: string, args: aws.vpc.SecurityGroupEgressRuleArgs) =>
        new aws.vpc.SecurityGroupEgressRule(`${ctx.name}-${role}`, args, childOf(ctx));
    const ingress = (role: string, args: aws.vpc.SecurityGroupIngressRuleArgs) =>
        new aws.vpc.SecurityGroupIngressRule(`${ctx.name}-${role}`, args, childOf(ctx));
    // The ALB talks to the tasks only (traffic and target health checks).
    egress("alb-out-tasks", {
        securityGroupId: groups.alb.id,
        referencedSecurityGroupId: groups.tasks.id,
        ipProtocol: "tcp",
        fromPort: containerPort,
        toPort: containerPort,
        description: "App port on the tasks",
    });
    ingress("tasks-in-alb", {
        securityGroupId: groups.tasks.id,
        referencedSecurityGroupId: groups.alb.id,
        ipProtocol: "tcp",
        fromPort: containerPort,
        toPort: containerPort,
        description: "App port from the ALB",
    });
    // Tasks reach AWS APIs (ECR image pulls, CloudWatch Logs, STS, the app's AWS SDK calls)
    // over HTTPS through the NAT gateways; there are no VPC endpoints, so the destination is
    // the internet on 443 only. Everything else leaving the tasks goes to the data tier.
    egress("tasks-out-https", {
        securityGroupId: groups.tasks.id,
        cidrIpv4: "0.0.0.0/0",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS to AWS APIs via NAT",
    });
    for (const [store, port] of Object.entries(DATA_PORTS)) {
        egress(`tasks-out-${store}`, {
            securityGroupId: groups.tasks.id,
            referencedSecurityGroupId: groups.data.id,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: `${store} on the data tier`,
        });
        ingress(`data-in-${store}`, {
            securityGroupId: groups.data.id,
            referencedSecurityGroupId: groups.tasks.id,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: `${store} from the cell's tasks`,
        });
    }
    // The data group has no egress rule: Aurora and ElastiCache answer on established
    // connections, and their cross-region replication is AWS-managed, not VPC traffic.
}
