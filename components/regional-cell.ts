/**
 * RegionalCell — the per-region web tier of TaskFlow, with DR modes (issue #3).
 *
 * One cell per region stack: a three-AZ VPC (awsx), an internet-facing ALB that only the edge can
 * reach, an ECS Fargate service with target-tracking autoscaling, a regional KMS key for the
 * cell's logs and alarm topic, ALB access logs, and alarms.
 *
 * ## Who reaches the ALB, on which port (one trust domain per port)
 * | port | admitted from | listener behaviour |
 * |------|---------------|--------------------|
 * | 443  | CloudFront origin-facing prefix list (group `alb-sg`); Route 53 health checkers (group `alb-edge-sg`) | default **403**; `/health` → app; `x-origin-verify: <secret>` → app |
 * | 8443 | Global Accelerator's `GlobalAccelerator` security group only (rule added by the global stack, {@link admitGlobalAccelerator}) | → app |
 * | 80   | nobody (no rule admits it) | redirect to HTTPS: unreachable by design, kept as defence in depth |
 *
 * Any CloudFront distribution (anyone's) and any Route 53 health check can reach 443, so on 443 only
 * the origin secret (generated in the primary stack, sent by this program's distribution) or the
 * health path gets through. Global Accelerator preserves the client IP, so 8443 is told apart by
 * the security group GA creates in the VPC, not by address; it needs no header.
 *
 * In every cell outside the edge's residency region both HTTPS listeners refuse (403, JSON) a request
 * the Lambda@Edge router tagged `x-data-residency: <residency region>`, before any forward rule: an
 * EU-resident request that somehow reached a non-EU cell fails closed here too, not only at the edge. The region's data members are built by the caller's `dataTier` callback once the
 * network exists; their endpoints become the tasks' environment.
 *
 * The cell `mode` (config `taskflow:cellMode`) changes capacity only — task floor/ceiling and
 * initial desired count, NAT gateways, and (in the data tier) instance counts — never names,
 * images, rules or settings, so flipping a stack between `active`, `warm-standby` and
 * `pilot-light` is a capacity change the plan diff can prove (test/components/regional-cell.spec.ts).
 *
 * Everything a test or a policy must see (listeners, target group, security groups, ECS service,
 * autoscaling) is written with `@pulumi/aws` directly; awsx is used for the VPC only, whose
 * children are invisible under mocks (see /work/shared/TOOLCHAIN.md).
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import {
    CellCapacity,
    CellMode,
    GLOBAL_CLASSIFICATION,
    StackConfig,
    capacityFor,
    parseCidr,
} from "../config";
import { RESIDENCY_HEADER as ROUTER_RESIDENCY_HEADER } from "../edge/residency-router";
import { nightRoles } from "../ops/night-mode";
import { CellAlarm } from "../delivery/rollout-config";
import { cellAlarmName, serviceDeployment } from "./cell-deployment";
import { keyPolicy, logsServicePrincipal, snsPublisherPrincipal } from "./kms-policy";
import { residencyTags, residencyTransformation } from "./residency";

/** What the data tier of a cell gets from it. */
export interface CellNetwork {
    vpcId: pulumi.Output<string>;
    /** Subnets with no route to the internet, for databases and caches. */
    isolatedSubnetIds: pulumi.Output<string[]>;
    /** Security group the data stores attach; it admits the cell's tasks only (5432, 6379). */
    dataSecurityGroupId: pulumi.Output<string>;
    /** Name of the tasks' IAM role, so the data tier can grant it least-privilege access. */
    taskRoleName: pulumi.Output<string>;
    /** The cell's regional KMS key (for data stores that need a region-local CMK). */
    kmsKeyArn: pulumi.Output<string>;
    /** The region's alarm topic (SNS), for the data tier's alarms. */
    alarmTopicArn: pulumi.Output<string>;
}

/** Endpoints of the data stores a cell's tasks use (environment of the task definition). */
export type DataEndpoints = Record<string, pulumi.Input<string>>;

export interface RegionalCellArgs {
    /** The validated stack config; the cell reads its region, topology entry and sizing. */
    config: StackConfig;
    /** Id of the pre-existing public hosted zone (certificate validation, regional names). */
    hostedZoneId: pulumi.Input<string>;
    /**
     * Builds the region's data members once the network exists and returns their endpoints,
     * which become the tasks' environment. Default: no data tier.
     */
    dataTier?: (network: CellNetwork) => DataEndpoints;
    /** Port the app container listens on (HTTP, behind the ALB). Default 8080. */
    containerPort?: number;
    /** Health-check path of the app, used by the target group and the edge. Default `/health`. */
    healthCheckPath?: string;
    /** Days the app's CloudWatch log group keeps events. Default 90. */
    logRetentionDays?: number;
    /** Days ALB access logs are kept in the log bucket. Default 365. */
    accessLogRetentionDays?: number;
    /** Average CPU (%) the service is scaled to hold. Default 60. */
    cpuTargetPercent?: number;
    /** ALB requests per target per minute the service is scaled to hold. Default 1000. */
    requestsPerTargetTarget?: number;
    /** 5xx share of requests (%) over which the 5xx alarm fires. Default 5. */
    errorRateThresholdPercent?: number;
    /** p99 target response time (seconds) over which the latency alarm fires. Default 0.5. */
    latencyP99ThresholdSeconds?: number;
    /**
     * Managed prefix list of the Route 53 health checkers admitted on 443 (the edge's
     * failover health checks call `https://<healthCheckFqdn><healthCheckPath>` directly).
     * Default `com.amazonaws.<region>.route53-healthchecks`; `null` admits none.
     */
    healthCheckerPrefixListName?: string | null;
    /**
     * Names besides `<region>.origin.<domain>` the ALB certificate covers: the public names the
     * edge forwards as Host. Default `api.<domain>`, `*.api.<domain>`, `app.<domain>`.
     */
    originAliases?: string[];
    /**
     * Value CloudFront sends in `x-origin-verify`; the 443 listener forwards only requests that
     * carry it (or ask for the health path). Generated in the primary stack and read by the other
     * stacks through StackReferences, so it exists before any ALB. Required.
     */
    originVerifySecret: pulumi.Input<string>;
    /**
     * The edge's residency pinning (`edgeResidencyOf(topology)` in components/edge-routing.ts):
     * the zone whose viewers the Lambda@Edge router pins, and its one region. A cell in any other
     * region refuses requests tagged `x-data-residency: <region>`. Required.
     */
    edgeResidency: { zone: string; region: string };
}

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
/**
 * How every stack writes a DNS validation record that more than one certificate uses (ACM gives
 * one CNAME per domain name per account, whichever region or certificate asks): identical inputs
 * in every writer, so no stack fights another over ttl, any writer may overwrite the record, and
 * none deletes it on destroy (the other certificates renew with it).
 * https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
 */
export const SHARED_VALIDATION_RECORD = { ttl: 60, allowOverwrite: true, retainOnDelete: true };

/**
 * The Route 53 record that DNS-validates `domain` for `certificate`. `shared` records (names that
 * other stacks' certificates also cover) are written per {@link SHARED_VALIDATION_RECORD}.
 */
export function acmValidationRecord(
    name: string,
    args: {
        certificate: aws.acm.Certificate;
        domain: string;
        zoneId: pulumi.Input<string>;
        shared: boolean;
    },
    opts: pulumi.CustomResourceOptions,
): aws.route53.Record {
    const dvo = args.certificate.domainValidationOptions.apply((all) => {
        const o = all.find((x) => x.domainName === args.domain);
        if (!o)
            throw new Error(`${name}: ACM returned no DNS validation record for ${args.domain}`);
        return o;
    });
    const { ttl, allowOverwrite, retainOnDelete } = SHARED_VALIDATION_RECORD;
    return new aws.route53.Record(
        name,
        {
            zoneId: args.zoneId,
            name: dvo.apply((o) => o.resourceRecordName!),
            type: dvo.apply((o) => o.resourceRecordType!),
            records: [dvo.apply((o) => o.resourceRecordValue!)],
            ttl,
            allowOverwrite: args.shared ? allowOverwrite : false,
        },
        { ...opts, retainOnDelete: args.shared ? retainOnDelete : false },
    );
}
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

/**
 * Admits the Global Accelerator path to a cell's ALB, on {@link GA_ENDPOINT_PORT} only. For the
 * global stack (regions/global.ts), once per region, after that region's endpoint group.
 *
 * With client IP preservation (on for the ALB endpoints) packets reach the ALB from the elastic
 * network interfaces Global Accelerator creates in the ALB's subnets, carrying the *client's*
 * source address, so no CIDR rule can tell them apart from the internet; the only tight rule
 * references the security group GA creates for those ENIs, named `GlobalAccelerator`, one per VPC,
 * which exists only once an endpoint group targets the ALB. Hence this rule lives in the stack
 * that owns the endpoint group, not in the region stack that deploys first.
 * https://docs.aws.amazon.com/global-accelerator/latest/dg/best-practices-aga.html
 *
 * The lookup is an Output-form invoke with `dependsOn` the endpoint group: while the group's id is
 * unknown (a first-deploy preview) the SDK skips the call and yields an unknown id instead of
 * failing on a group that does not exist yet (@pulumi/pulumi 3.248 `runtime/invoke.js`,
 * `checkDependencies`); during the update it runs after the group is created.
 */
export function admitGlobalAccelerator(
    name: string,
    args: {
        /** Region of the cell (the rule and the lookup are made there). */
        region: string;
        vpcId: pulumi.Input<string>;
        /** The cell's `edgeSecurityGroupId`. */
        securityGroupId: pulumi.Input<string>;
        /** The endpoint group that makes GA create its ENIs and security group. */
        endpointGroup: pulumi.Resource;
    },
    opts?: Omit<pulumi.CustomResourceOptions, "dependsOn">,
): aws.vpc.SecurityGroupIngressRule {
    const gaSg = aws.ec2.getSecurityGroupOutput(
        { name: "GlobalAccelerator", vpcId: args.vpcId, region: args.region },
        { parent: opts?.parent, dependsOn: [args.endpointGroup] },
    );
    return new aws.vpc.SecurityGroupIngressRule(
        name,
        {
            region: args.region,
            securityGroupId: args.securityGroupId,
            referencedSecurityGroupId: gaSg.id,
            ipProtocol: "tcp",
            fromPort: GA_ENDPOINT_PORT,
            toPort: GA_ENDPOINT_PORT,
            description: `HTTPS ${GA_ENDPOINT_PORT} from Global Accelerator (client IP preservation ENIs)`,
        },
        { ...opts, dependsOn: [args.endpointGroup] },
    );
}

/**
 * Whether night mode's controller owns this cell's scalable target: night mode is enabled and
 * the region is drained at night (ops/night-mode.ts nightRoles), whatever the cell's mode — the
 * controller applies the mode's day capacity (pilot-light's 0/0 included) after every change of
 * its spec, so switching modes never hands min/max back and forth between it and the program.
 */
export function nightModeMovesCapacity(cfg: StackConfig): boolean {
    const nm = cfg.nightMode;
    if (!nm?.enabled || !cfg.regionSpec) return false;
    return nightRoles(cfg.topology, nm.activeRegions)[cfg.regionSpec.region]?.role === "drain";
}

export class RegionalCell extends pulumi.ComponentResource {
    public readonly mode: pulumi.Output<CellMode>;
    /** Effective capacity of the cell in its mode (tasks, NAT gateways, data instances). */
    public readonly capacity: CellCapacity;
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: pulumi.Output<string>;
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    public readonly privateSubnetIds: pulumi.Output<string[]>;
    public readonly isolatedSubnetIds: pulumi.Output<string[]>;
    public readonly dataSecurityGroupId: pulumi.Output<string>;
    /** The ALB's CloudFront-facing security group. */
    public readonly albSecurityGroupId: pulumi.Output<string>;
    /**
     * The ALB's second security group: Route 53 health checkers on 443 and (rule added by the
     * global stack, {@link admitGlobalAccelerator}) Global Accelerator on {@link GA_ENDPOINT_PORT}.
     */
    public readonly edgeSecurityGroupId: pulumi.Output<string>;
    public readonly tasksSecurityGroupId: pulumi.Output<string>;
    public readonly albDnsName: pulumi.Output<string>;
    public readonly albZoneId: pulumi.Output<string>;
    public readonly albArn: pulumi.Output<string>;
    public readonly albArnSuffix: pulumi.Output<string>;
    public readonly targetGroupArn: pulumi.Output<string>;
    public readonly healthCheckFqdn: pulumi.Output<string>;
    public readonly healthCheckPath: pulumi.Output<string>;
    public readonly healthUrl: pulumi.Output<string>;
    public readonly certificateArn: pulumi.Output<string>;
    public readonly kmsKeyArn: pulumi.Output<string>;
    public readonly alarmTopicArn: pulumi.Output<string>;
    public readonly logBucketName: pulumi.Output<string>;
    public readonly ecsClusterName: pulumi.Output<string>;
    public readonly ecsServiceName: pulumi.Output<string>;
    /** Application Auto Scaling resource id of the service (`service/<cluster>/<service>`). */
    public readonly scalableTargetResourceId: pulumi.Output<string>;
    public readonly taskRoleArn: pulumi.Output<string>;
    public readonly dataEndpoints: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: RegionalCellArgs, opts?: pulumi.ComponentResourceOptions) {
        // Every data store of the cell must carry a residency tag of a known zone; forgetting it
        // fails at registration, before anything is created.
        super(
            "taskflow:cell:RegionalCell",
            name,
            {},
            {
                ...opts,
                transformations: [
                    ...(opts?.transformations ?? []),
                    residencyTransformation(Object.keys(args.config.topology.zones)),
                ],
            },
        );
        const cfg = args.config;
        if (cfg.role === "global" || !cfg.regionSpec || !cfg.cell) {
            throw new Error(
                `RegionalCell: stack "${cfg.stack}" has role ${cfg.role}; a cell needs a region stack (primary or secondary) with a topology entry and cell config`,
            );
        }
        const spec = cfg.regionSpec;
        const cell = cfg.cell;
        if (spec.region !== cfg.awsRegion) {
            throw new Error(
                `RegionalCell: aws:region ${JSON.stringify(cfg.awsRegion)} is not allowed for stack "${cfg.stack}"; its topology region is ${spec.region} and the cell's resources use the stack's provider`,
            );
        }
        const region = spec.region;
        const capacity = capacityFor(cell, cfg.role);
        const containerPort = args.containerPort ?? 8080;
        const healthCheckPath = args.healthCheckPath ?? "/health";
        const fqdn = `${region}.origin.${cfg.topology.domain}`;
        const prefix = `taskflow-${cfg.environment}`;
        const tags = {
            "taskflow:environment": cfg.environment,
            "taskflow:cell": region,
        };
        // Application logs, the alarm topic and the key that encrypts them may hold user data of
        // the users homed in this region: classify them with the region's residency zone.
        const zoneTags = residencyTags(spec.zone, tags);
        const p = { parent: this };

        const account = aws.getCallerIdentityOutput({}, p).accountId;
        const partition = aws.getPartitionOutput({}, p).partition;

        // ---- regional KMS key ------------------------------------------------------------------
        const appLogGroupName = `/taskflow/${cfg.environment}/${region}/app`;
        const key = new aws.kms.Key(
            `${name}-kms`,
            {
                description: `TaskFlow ${cfg.environment} cell ${region}: app logs and alarm topic`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                multiRegion: false,
                // The project's key policy (components/kms-policy.ts): the account administers
                // the key and may use it only through SNS in this region (the alarm topic);
                // CloudWatch Logs may use it for the app log group only, and CloudWatch alarms
                // may have SNS encrypt their notifications with it.
                policy: pulumi.all([partition, account]).apply(([part, accountId]) =>
                    keyPolicy({
                        partition: part,
                        accountId,
                        services: ["sns"],
                        regions: [region],
                        servicePrincipals: [
                            logsServicePrincipal(part, accountId, region, [appLogGroupName]),
                            snsPublisherPrincipal("cloudwatch.amazonaws.com", region),
                        ],
                    }),
                ),
                tags: zoneTags,
            },
            p,
        );
        new aws.kms.Alias(
            `${name}-kms-alias`,
            { name: `alias/${prefix}-cell-${region}`, targetKeyId: key.keyId },
            p,
        );

        // ---- network ---------------------------------------------------------------------------
        const masks = subnetMasks(spec.vpcCidr);
        const vpc = new awsx.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: spec.vpcCidr,
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
                tags: { ...tags, Name: `${prefix}-${region}` },
            },
            p,
        );

        // ---- security groups -------------------------------------------------------------------
        // Rules are separate resources (never inline) so that a rule another stack adds to these
        // groups (the Global Accelerator rule) is not removed by this stack's next update.
        const albSg = new aws.ec2.SecurityGroup(
            `${name}-alb-sg`,
            {
                vpcId: vpc.vpcId,
                description: "TaskFlow ALB: HTTPS from CloudFront origin-facing servers only",
                tags,
            },
            p,
        );
        const edgeSg = new aws.ec2.SecurityGroup(
            `${name}-alb-edge-sg`,
            {
                vpcId: vpc.vpcId,
                description:
                    "TaskFlow ALB: HTTPS from Route 53 health checkers and Global Accelerator",
                tags,
            },
            p,
        );
        const tasksSg = new aws.ec2.SecurityGroup(
            `${name}-tasks-sg`,
            {
                vpcId: vpc.vpcId,
                description: "TaskFlow tasks: the app port from the ALB only",
                tags,
            },
            p,
        );
        const dataSg = new aws.ec2.SecurityGroup(
            `${name}-data-sg`,
            { vpcId: vpc.vpcId, description: "Data tier: admits the cell's tasks only", tags },
            p,
        );

        const cloudFront = aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_PREFIX_LIST }, p);
        // One rule only: a rule referencing the CloudFront list counts as 55 of the default 60
        // rules per group, so a second rule would exceed the quota. CloudFront reaches the origin
        // over HTTPS on 443 only (never 8443, which is Global Accelerator's, nor 80).
        // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/LocationsOfEdgeServers.html
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-alb-in-cloudfront`,
            {
                securityGroupId: albSg.id,
                prefixListId: cloudFront.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS from CloudFront origin-facing servers",
            },
            p,
        );
        const checkerList =
            args.healthCheckerPrefixListName === undefined
                ? `com.amazonaws.${region}.route53-healthchecks`
                : args.healthCheckerPrefixListName;
        if (checkerList !== null) {
            // The edge's failover health checks (EdgeRouting) request the health URL directly.
            const checkers = aws.ec2.getManagedPrefixListOutput({ name: checkerList }, p);
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-alb-in-healthcheckers`,
                {
                    securityGroupId: edgeSg.id,
                    prefixListId: checkers.id,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    description: "HTTPS from Route 53 health checkers",
                },
                p,
            );
        }
        // The ALB talks to the tasks only (traffic and target health checks).
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-alb-out-tasks`,
            {
                securityGroupId: albSg.id,
                referencedSecurityGroupId: tasksSg.id,
                ipProtocol: "tcp",
                fromPort: containerPort,
                toPort: containerPort,
                description: "App port on the tasks",
            },
            p,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-tasks-in-alb`,
            {
                securityGroupId: tasksSg.id,
                referencedSecurityGroupId: albSg.id,
                ipProtocol: "tcp",
                fromPort: containerPort,
                toPort: containerPort,
                description: "App port from the ALB",
            },
            p,
        );
        // Tasks reach AWS APIs (ECR image pulls, CloudWatch Logs, STS, the app's AWS SDK calls)
        // over HTTPS through the NAT gateways; there are no VPC endpoints, so the destination is
        // the internet on 443 only. Everything else leaving the tasks goes to the data tier.
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-tasks-out-https`,
            {
                securityGroupId: tasksSg.id,
                cidrIpv4: "0.0.0.0/0",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS to AWS APIs via NAT",
            },
            p,
        );
        for (const [store, port] of Object.entries(DATA_PORTS)) {
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-tasks-out-${store}`,
                {
                    securityGroupId: tasksSg.id,
                    referencedSecurityGroupId: dataSg.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: `${store} on the data tier`,
                },
                p,
            );
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-data-in-${store}`,
                {
                    securityGroupId: dataSg.id,
                    referencedSecurityGroupId: tasksSg.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: `${store} from the cell's tasks`,
                },
                p,
            );
        }
        // The data group has no egress rule: Aurora and ElastiCache answer on established
        // connections, and their cross-region replication is AWS-managed, not VPC traffic.

        // ---- task roles (created before the data tier so it can grant the task role) ----------
        const ecsTrust = pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Service: "ecs-tasks.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceAccount": account } },
                },
            ],
        });
        const executionRole = new aws.iam.Role(
            `${name}-execution-role`,
            {
                description: `ECS agent of the TaskFlow cell in ${region}: pull the image, write logs`,
                assumeRolePolicy: ecsTrust,
                tags,
            },
            p,
        );
        const taskRole = new aws.iam.Role(
            `${name}-task-role`,
            {
                description: `TaskFlow app in ${region}; the data tier grants it access to its stores`,
                assumeRolePolicy: ecsTrust,
                tags,
            },
            p,
        );

        // The region's alarm topic (CMK-encrypted; the key admits CloudWatch): the cell's alarms
        // and the data tier's replication-lag alarms notify it.
        const topic = new aws.sns.Topic(
            `${name}-alarms`,
            { name: `${prefix}-cell-alarms-${region}`, kmsMasterKeyId: key.arn, tags: zoneTags },
            p,
        );

        const network: CellNetwork = {
            vpcId: vpc.vpcId,
            isolatedSubnetIds: vpc.isolatedSubnetIds,
            dataSecurityGroupId: dataSg.id,
            taskRoleName: taskRole.name,
            kmsKeyArn: key.arn,
            alarmTopicArn: topic.arn,
        };
        const endpoints: DataEndpoints = args.dataTier ? args.dataTier(network) : {};

        // ---- ALB access logs -------------------------------------------------------------------
        // ALB access logs support SSE-S3 only (not SSE-KMS), so this bucket cannot use the CMK.
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
        const logBucket = new aws.s3.Bucket(
            `${name}-alb-logs`,
            {
                forceDestroy: false,
                // Request metadata of every region's users, no user content: classified global
                // (it stays in this region; nothing replicates it).
                tags: residencyTags(GLOBAL_CLASSIFICATION, {
                    ...tags,
                    "taskflow:purpose": "alb-access-logs",
                }),
            },
            p,
        );
        new aws.s3.BucketOwnershipControls(
            `${name}-alb-logs-ownership`,
            { bucket: logBucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            p,
        );
        const logPab = new aws.s3.BucketPublicAccessBlock(
            `${name}-alb-logs-pab`,
            {
                bucket: logBucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            p,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-alb-logs-sse`,
            {
                bucket: logBucket.id,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            },
            p,
        );
        new aws.s3.BucketVersioning(
            `${name}-alb-logs-versioning`,
            { bucket: logBucket.id, versioningConfiguration: { status: "Enabled" } },
            p,
        );
        const accessLogDays = args.accessLogRetentionDays ?? 365;
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-alb-logs-lifecycle`,
            {
                bucket: logBucket.id,
                rules: [
                    {
                        id: "expire-access-logs",
                        status: "Enabled",
                        filter: {},
                        transitions: [{ days: 30, storageClass: "STANDARD_IA" }],
                        expiration: { days: accessLogDays },
                        noncurrentVersionExpiration: { noncurrentDays: 7 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                    },
                ],
            },
            p,
        );
        const logPrefix = "alb";
        const logWriter = ELB_ACCOUNT_LOG_REGIONS.includes(region)
            ? { AWS: aws.elb.getServiceAccountOutput({ region }, p).arn }
            : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
        const logPolicy = new aws.s3.BucketPolicy(
            `${name}-alb-logs-policy`,
            {
                bucket: logBucket.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "AlbAccessLogDelivery",
                            Effect: "Allow",
                            Principal: logWriter,
                            Action: "s3:PutObject",
                            Resource: pulumi.interpolate`${logBucket.arn}/${logPrefix}/AWSLogs/${account}/*`,
                        },
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [logBucket.arn, pulumi.interpolate`${logBucket.arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            },
            { parent: this, dependsOn: [logPab] },
        );

        // ---- load balancer ---------------------------------------------------------------------
        const alb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                loadBalancerType: "application",
                internal: false,
                ipAddressType: "ipv4",
                subnets: vpc.publicSubnetIds,
                securityGroups: [albSg.id, edgeSg.id],
                enableDeletionProtection: true,
                dropInvalidHeaderFields: true,
                enableHttp2: true,
                idleTimeout: 60,
                accessLogs: { bucket: logBucket.id, prefix: logPrefix, enabled: true },
                tags,
            },
            // ELB checks that it can write to the bucket when access logs are enabled.
            { parent: this, dependsOn: [logPolicy] },
        );
        const targetGroup = new aws.lb.TargetGroup(
            `${name}-tg`,
            {
                targetType: "ip",
                protocol: "HTTP",
                port: containerPort,
                vpcId: vpc.vpcId,
                // Fast drain and fast health verdicts keep a regional failover inside the RTO.
                deregistrationDelay: 30,
                healthCheck: {
                    enabled: true,
                    protocol: "HTTP",
                    path: healthCheckPath,
                    port: "traffic-port",
                    matcher: "200",
                    interval: 10,
                    timeout: 5,
                    healthyThreshold: 2,
                    unhealthyThreshold: 2,
                },
                tags,
            },
            p,
        );

        // The certificate names the origin (`<region>.origin.<domain>`, what CloudFront's health
        // checks and the Route 53 checks use) plus the public names clients reach this ALB by
        // through the edge (EdgeRouting forwards Host and checks the origin certificate
        // against it; Global Accelerator terminates nothing, so TLS ends here).
        const aliases =
            args.originAliases ?? ["api", "*.api", "app"].map((l) => `${l}.${cfg.topology.domain}`);
        const cert = new aws.acm.Certificate(
            `${name}-cert`,
            {
                domainName: fqdn,
                subjectAlternativeNames: aliases,
                validationMethod: "DNS",
                keyAlgorithm: "RSA_2048",
                tags,
            },
            p,
        );
        // One validation record per name; a wildcard shares its base name's record (ACM uses
        // the same CNAME for both). The shared names' records are also written by the other region
        // stacks and by the edge's certificate for app.<domain> (same account, same CNAME): every
        // writer uses SHARED_VALIDATION_RECORD, see there.
        const validated = [
            fqdn,
            ...aliases.filter((a) => !a.startsWith("*.") || !aliases.includes(a.slice(2))),
        ].filter((d, i, all) => all.indexOf(d) === i);
        const validationFqdns = validated.map(
            (domain) =>
                acmValidationRecord(
                    domain === fqdn
                        ? `${name}-cert-validation`
                        : `${name}-cert-validation-${domain.split(".")[0]}`,
                    {
                        certificate: cert,
                        domain,
                        zoneId: args.hostedZoneId,
                        shared: domain !== fqdn,
                    },
                    p,
                ).fqdn,
        );
        const validation = new aws.acm.CertificateValidation(
            `${name}-cert-validated`,
            { certificateArn: cert.arn, validationRecordFqdns: validationFqdns },
            p,
        );

        // ---- listeners (see the port table at the top of this file) ---------------------------
        const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
        const refuse = (rule: string, body: Record<string, string>) => [
            {
                type: "fixed-response",
                fixedResponse: {
                    statusCode: "403",
                    contentType: "application/json",
                    messageBody: JSON.stringify({ error: "forbidden", rule, ...body }),
                },
            },
        ];
        const https = new aws.lb.Listener(
            `${name}-https`,
            {
                loadBalancerArn: alb.arn,
                protocol: "HTTPS",
                port: 443,
                sslPolicy: TLS_POLICY,
                certificateArn: validation.certificateArn,
                // Anyone's CloudFront distribution and anyone's Route 53 health check can open a
                // connection to 443: what the rules below do not recognise is refused.
                defaultActions: refuse("origin-verify", {
                    message: `requests on this port must come through the TaskFlow edge (${ORIGIN_VERIFY_HEADER})`,
                }),
                tags,
            },
            p,
        );
        const accelerated = new aws.lb.Listener(
            `${name}-ga-https`,
            {
                loadBalancerArn: alb.arn,
                protocol: "HTTPS",
                port: GA_ENDPOINT_PORT,
                sslPolicy: TLS_POLICY,
                certificateArn: validation.certificateArn,
                // Only Global Accelerator's security group is admitted on this port (the global
                // stack's admitGlobalAccelerator rule): its packets need no header.
                defaultActions: forward,
                tags,
            },
            p,
        );
        // Fail closed on residency: a request the edge router tagged for the residency region
        // is refused in every other region, on both HTTPS listeners, before any forward rule.
        const resident = args.edgeResidency;
        if (region !== resident.region) {
            for (const [role, listener] of [
                ["https", https],
                ["ga-https", accelerated],
            ] as const) {
                new aws.lb.ListenerRule(
                    `${name}-${role}-residency`,
                    {
                        listenerArn: listener.arn,
                        priority: 10,
                        conditions: [
                            {
                                httpHeader: {
                                    httpHeaderName: RESIDENCY_HEADER,
                                    values: [resident.region],
                                },
                            },
                        ],
                        actions: refuse("data-residency-fail-closed", {
                            error: "data_residency_violation",
                            message: `requests tagged ${RESIDENCY_HEADER}: ${resident.region} (zone ${resident.zone}) are served only in ${resident.region}, not ${region}`,
                            requiredRegion: resident.region,
                            region,
                        }),
                        tags,
                    },
                    p,
                );
            }
        }
        // Route 53 health checkers send no header; they may see the health path only.
        new aws.lb.ListenerRule(
            `${name}-https-health`,
            {
                listenerArn: https.arn,
                priority: 20,
                conditions: [{ pathPattern: { values: [healthCheckPath] } }],
                actions: forward,
                tags,
            },
            p,
        );
        new aws.lb.ListenerRule(
            `${name}-https-origin-verify`,
            {
                listenerArn: https.arn,
                priority: 30,
                conditions: [
                    {
                        httpHeader: {
                            httpHeaderName: ORIGIN_VERIFY_HEADER,
                            values: [pulumi.secret(args.originVerifySecret)],
                        },
                    },
                ],
                actions: forward,
                tags,
            },
            p,
        );
        // No security group admits port 80, so this listener is unreachable by design; it stays
        // as defence in depth (should a rule ever open 80, plain HTTP still only redirects).
        new aws.lb.Listener(
            `${name}-http-redirect`,
            {
                loadBalancerArn: alb.arn,
                protocol: "HTTP",
                port: 80,
                defaultActions: [
                    {
                        type: "redirect",
                        redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
                    },
                ],
                tags,
            },
            p,
        );
        // The name the certificate covers, pointing at the ALB: CloudFront and the Route 53
        // health checks reach the origin by it.
        new aws.route53.Record(
            `${name}-origin-record`,
            {
                zoneId: args.hostedZoneId,
                name: fqdn,
                type: "A",
                aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
            },
            p,
        );

        // ---- service ---------------------------------------------------------------------------
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-app-logs`,
            {
                name: appLogGroupName,
                retentionInDays: args.logRetentionDays ?? 90,
                kmsKeyId: key.arn,
                tags: zoneTags,
            },
            p,
        );
        const repo = ecrRepositoryArn(cell.image);
        const executionStatements: unknown[] = [
            {
                Sid: "WriteAppLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
            },
        ];
        if (repo) {
            executionStatements.push(
                {
                    // GetAuthorizationToken has no resource-level permissions.
                    Sid: "EcrLogin",
                    Effect: "Allow",
                    Action: "ecr:GetAuthorizationToken",
                    Resource: "*",
                },
                {
                    Sid: "PullAppImage",
                    Effect: "Allow",
                    Action: [
                        "ecr:BatchCheckLayerAvailability",
                        "ecr:BatchGetImage",
                        "ecr:GetDownloadUrlForLayer",
                    ],
                    Resource: repo,
                },
            );
        }
        new aws.iam.RolePolicy(
            `${name}-execution-policy`,
            {
                role: executionRole.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: executionStatements,
                }),
            },
            p,
        );

        const cluster = new aws.ecs.Cluster(
            `${name}-ecs`,
            {
                name: `${prefix}-${region}`,
                settings: [{ name: "containerInsights", value: "enabled" }],
                tags,
            },
            p,
        );
        const environment: Record<string, pulumi.Input<string>> = {
            ...endpoints,
            AWS_REGION: region,
            TASKFLOW_REGION: region,
            TASKFLOW_ROLE: cfg.role,
            TASKFLOW_RESIDENCY_ZONE: spec.zone,
            // The edge's residency pinning, for the app's own check of requests that never passed
            // the edge router (direct API and accelerator clients carry no residency header).
            TASKFLOW_RESIDENT_ZONE: args.edgeResidency.zone,
            TASKFLOW_RESIDENT_REGION: args.edgeResidency.region,
            TASKFLOW_RESIDENCY_HEADER: RESIDENCY_HEADER,
            TASKFLOW_ENVIRONMENT: cfg.environment,
        };
        // Deliberately no TASKFLOW_CELL_MODE: a mode switch must change capacity only; a new
        // task-definition revision would roll every task of the cell for no capacity reason.
        const taskDefinition = new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                family: `${prefix}-app-${region}`,
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(cell.taskCpu),
                memory: String(cell.taskMemory),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                executionRoleArn: executionRole.arn,
                taskRoleArn: taskRole.arn,
                containerDefinitions: pulumi.jsonStringify([
                    {
                        name: "app",
                        image: cell.image,
                        essential: true,
                        portMappings: [{ containerPort, protocol: "tcp" }],
                        environment: Object.keys(environment)
                            .sort()
                            .map((k) => ({ name: k, value: environment[k] })),
                        logConfiguration: {
                            logDriver: "awslogs",
                            options: {
                                "awslogs-group": logGroup.name,
                                "awslogs-region": region,
                                "awslogs-stream-prefix": "app",
                            },
                        },
                    },
                ]),
                tags,
            },
            p,
        );
        // ---- alarms ----------------------------------------------------------------------------
        const lbDims = { LoadBalancer: alb.arnSuffix };
        const tgDims = { LoadBalancer: alb.arnSuffix, TargetGroup: targetGroup.arnSuffix };
        const sum = (id: string, metricName: string) => ({
            id,
            returnData: false,
            metric: {
                namespace: "AWS/ApplicationELB",
                metricName,
                dimensions: lbDims,
                period: 60,
                stat: "Sum",
            },
        });
        const alarmCommon = {
            alarmActions: [topic.arn],
            okActions: [topic.arn],
            treatMissingData: "notBreaching",
            tags,
        };
        const errorRate = args.errorRateThresholdPercent ?? 5;
        // Named (components/cell-deployment.ts): the service's deployment alarms and the rollout
        // name them (issue 16).
        const alarmName = (a: CellAlarm) => cellAlarmName(cfg.environment, region, a);
        const cellAlarms: Partial<Record<CellAlarm, aws.cloudwatch.MetricAlarm>> = {};
        cellAlarms["5xx-rate"] = new aws.cloudwatch.MetricAlarm(
            `${name}-alarm-5xx-rate`,
            {
                ...alarmCommon,
                name: alarmName("5xx-rate"),
                alarmDescription: `TaskFlow ${region}: more than ${errorRate}% of requests answered 5xx (targets or ALB)`,
                comparisonOperator: "GreaterThanThreshold",
                threshold: errorRate,
                evaluationPeriods: 5,
                datapointsToAlarm: 3,
                metricQueries: [
                    sum("requests", "RequestCount"),
                    sum("target5xx", "HTTPCode_Target_5XX_Count"),
                    sum("elb5xx", "HTTPCode_ELB_5XX_Count"),
                    {
                        id: "rate",
                        label: "5xx rate (%)",
                        returnData: true,
                        expression:
                            "IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)",
                    },
                ],
            },
            p,
        );
        cellAlarms["unhealthy-hosts"] = new aws.cloudwatch.MetricAlarm(
            `${name}-alarm-unhealthy-hosts`,
            {
                ...alarmCommon,
                name: alarmName("unhealthy-hosts"),
                alarmDescription: `TaskFlow ${region}: targets failing ${healthCheckPath}`,
                namespace: "AWS/ApplicationELB",
                metricName: "UnHealthyHostCount",
                dimensions: tgDims,
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 3,
                datapointsToAlarm: 2,
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
            },
            p,
        );
        const p99 = args.latencyP99ThresholdSeconds ?? 0.5;
        cellAlarms["latency-p99"] = new aws.cloudwatch.MetricAlarm(
            `${name}-alarm-latency-p99`,
            {
                ...alarmCommon,
                name: alarmName("latency-p99"),
                alarmDescription: `TaskFlow ${region}: p99 target response time above ${p99}s`,
                namespace: "AWS/ApplicationELB",
                metricName: "TargetResponseTime",
                dimensions: tgDims,
                extendedStatistic: "p99",
                period: 60,
                evaluationPeriods: 5,
                datapointsToAlarm: 3,
                comparisonOperator: "GreaterThanThreshold",
                threshold: p99,
            },
            p,
        );

        const service = new aws.ecs.Service(
            `${name}-service`,
            {
                name: `${prefix}-app`,
                cluster: cluster.arn,
                taskDefinition: taskDefinition.arn,
                launchType: "FARGATE",
                platformVersion: "LATEST",
                // Initial size only: autoscaling and night mode change it at runtime (ignoreChanges).
                desiredCount: capacity.minTasks,
                networkConfiguration: {
                    subnets: vpc.privateSubnetIds,
                    securityGroups: [tasksSg.id],
                    assignPublicIp: false,
                },
                loadBalancers: [
                    { targetGroupArn: targetGroup.arn, containerName: "app", containerPort },
                ],
                healthCheckGracePeriodSeconds: 60,
                // Rolling update, circuit breaker and alarm rollback (taskflow:rollout, issue 16).
                ...serviceDeployment(cfg.rollout, cfg.environment, region),
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
                waitForSteadyState: false,
                tags,
            },
            {
                parent: this,
                ignoreChanges: ["desiredCount"],
                // A target group must be attached to a load balancer before a service uses it:
                // 8443 forwards to it by default (443 only through its rules). The deployment
                // alarms exist before the service names them.
                dependsOn: [
                    https,
                    accelerated,
                    ...cfg.rollout.rollbackAlarms.map((a) => cellAlarms[a]!),
                ],
            },
        );
        const resourceId = pulumi.interpolate`service/${cluster.name}/${service.name}`;
        const scalable = new aws.appautoscaling.Target(
            `${name}-scaling`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId,
                minCapacity: capacity.minTasks,
                maxCapacity: capacity.maxTasks,
                tags,
            },
            // Night mode's controller moves min/max of a cell drained at night (ops/night-mode.ts);
            // the program must neither report that as drift nor undo it. The day capacity reaches
            // AWS through the controller's spec: the global stack invokes it with `sync`.
            nightModeMovesCapacity(cfg)
                ? { ...p, ignoreChanges: ["minCapacity", "maxCapacity"] }
                : p,
        );
        new aws.appautoscaling.Policy(
            `${name}-scale-cpu`,
            {
                policyType: "TargetTrackingScaling",
                serviceNamespace: scalable.serviceNamespace,
                scalableDimension: scalable.scalableDimension,
                resourceId: scalable.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: {
                        predefinedMetricType: "ECSServiceAverageCPUUtilization",
                    },
                    targetValue: args.cpuTargetPercent ?? 60,
                    scaleOutCooldown: 60,
                    scaleInCooldown: 300,
                },
            },
            p,
        );
        new aws.appautoscaling.Policy(
            `${name}-scale-requests`,
            {
                policyType: "TargetTrackingScaling",
                serviceNamespace: scalable.serviceNamespace,
                scalableDimension: scalable.scalableDimension,
                resourceId: scalable.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: {
                        predefinedMetricType: "ALBRequestCountPerTarget",
                        resourceLabel: pulumi.interpolate`${alb.arnSuffix}/${targetGroup.arnSuffix}`,
                    },
                    targetValue: args.requestsPerTargetTarget ?? 1000,
                    scaleOutCooldown: 60,
                    scaleInCooldown: 300,
                },
            },
            p,
        );

        // ---- outputs ---------------------------------------------------------------------------
        this.mode = pulumi.output(cell.mode);
        this.capacity = capacity;
        this.vpcId = vpc.vpcId;
        this.vpcCidr = pulumi.output(spec.vpcCidr);
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.privateSubnetIds = vpc.privateSubnetIds;
        this.isolatedSubnetIds = vpc.isolatedSubnetIds;
        this.dataSecurityGroupId = dataSg.id;
        this.albSecurityGroupId = albSg.id;
        this.edgeSecurityGroupId = edgeSg.id;
        this.tasksSecurityGroupId = tasksSg.id;
        this.albDnsName = alb.dnsName;
        this.albZoneId = alb.zoneId;
        this.albArn = alb.arn;
        this.albArnSuffix = alb.arnSuffix;
        this.targetGroupArn = targetGroup.arn;
        this.healthCheckFqdn = pulumi.output(fqdn);
        this.healthCheckPath = pulumi.output(healthCheckPath);
        this.healthUrl = pulumi.interpolate`https://${this.healthCheckFqdn}${this.healthCheckPath}`;
        this.certificateArn = validation.certificateArn;
        this.kmsKeyArn = key.arn;
        this.alarmTopicArn = topic.arn;
        this.logBucketName = logBucket.bucket;
        this.ecsClusterName = cluster.name;
        this.ecsServiceName = service.name;
        this.scalableTargetResourceId = scalable.resourceId;
        this.taskRoleArn = taskRole.arn;
        this.dataEndpoints = pulumi.output(endpoints) as pulumi.Output<Record<string, string>>;
        this.registerOutputs({
            mode: this.mode,
            vpcId: this.vpcId,
            vpcCidr: this.vpcCidr,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
            dataSecurityGroupId: this.dataSecurityGroupId,
            albSecurityGroupId: this.albSecurityGroupId,
            edgeSecurityGroupId: this.edgeSecurityGroupId,
            tasksSecurityGroupId: this.tasksSecurityGroupId,
            albDnsName: this.albDnsName,
            albZoneId: this.albZoneId,
            albArn: this.albArn,
            albArnSuffix: this.albArnSuffix,
            targetGroupArn: this.targetGroupArn,
            healthCheckFqdn: this.healthCheckFqdn,
            healthCheckPath: this.healthCheckPath,
            healthUrl: this.healthUrl,
            certificateArn: this.certificateArn,
            kmsKeyArn: this.kmsKeyArn,
            alarmTopicArn: this.alarmTopicArn,
            logBucketName: this.logBucketName,
            ecsClusterName: this.ecsClusterName,
            ecsServiceName: this.ecsServiceName,
            scalableTargetResourceId: this.scalableTargetResourceId,
            taskRoleArn: this.taskRoleArn,
            dataEndpoints: this.dataEndpoints,
        });
    }
}
