/**
 * RegionalCell: the per-region web tier of TaskFlow. A three-AZ VPC, an internet-facing ALB only
 * the edge can reach, an ECS Fargate service with target-tracking autoscaling, a regional KMS key
 * for the cell's logs and alarm topic, ALB access logs, and alarms. How requests reach it (one
 * trust domain per port) and how the DR modes change it: docs/architecture.md, "RegionalCell".
 *
 * A cell is built in two steps, because the region's data tier sits between them: the
 * constructor builds what the data tier needs (`network`: VPC, security groups, key, alarm topic,
 * the tasks' roles); `serve` then builds the serving half with the data tier's endpoints in the
 * tasks' environment. A region composition reads: cell, data tier on `cell.network`,
 * `cell.serve(...)`, residency boundary.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { CellCapacity, CellMode } from "../../model/cell";
import { namePrefix } from "../../model/naming";
import { TAG, componentTags } from "../../model/tags";
import { residencyTags, withResidencyCheck } from "../shared/residency";
import { GLOBAL_CLASSIFICATION } from "../../model/residency";
import { AccessLogs, accessLogBucket } from "./access-logs";
import { cellAlarms } from "./alarms";
import { CellNetwork, CellService, DataEndpoints, RegionalCellArgs } from "./args";
import { CellContext } from "./context";
import { alarmTopic, cellKey, taskRoles } from "./foundation";
import { listeners } from "./listeners";
import { loadBalancer, originCertificate, originRecord } from "./load-balancer";
import { CellSecurityGroups, cellVpc, securityGroups } from "./network";
import { autoscaling } from "./scaling";
import { appService } from "./service";

export * from "./accelerator-ingress";
export * from "./args";
export * from "./constants";
export * from "./deployment";

export class RegionalCell extends pulumi.ComponentResource {
    public readonly mode: pulumi.Output<CellMode>;
    /** Effective capacity of the cell in its mode (tasks, NAT gateways, data instances). */
    public readonly capacity: CellCapacity;
    /** What the region's data tier is built on. */
    public readonly network: CellNetwork;
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
     * global stack, admitGlobalAccelerator) Global Accelerator on 8443.
     */
    public readonly edgeSecurityGroupId: pulumi.Output<string>;
    public readonly tasksSecurityGroupId: pulumi.Output<string>;
    public readonly kmsKeyArn: pulumi.Output<string>;
    public readonly alarmTopicArn: pulumi.Output<string>;
    public readonly taskRoleArn: pulumi.Output<string>;

    private readonly args: RegionalCellArgs;
    private readonly ctx: CellContext;
    private readonly parts: {
        key: aws.kms.Key;
        vpc: awsx.ec2.Vpc;
        groups: CellSecurityGroups;
        roles: ReturnType<typeof taskRoles>;
        topic: aws.sns.Topic;
    };
    private served?: CellService;
    private logs?: AccessLogs;

    constructor(name: string, args: RegionalCellArgs, opts?: pulumi.ComponentResourceOptions) {
        // Every data store of the cell must carry a residency tag of a known zone; forgetting it
        // fails at registration, before anything is created.
        super("taskflow:cell:RegionalCell", name, {}, withResidencyCheck(opts, args.zones));
        this.args = args;
        this.ctx = cellContext(name, this, args);
        const key = cellKey(this.ctx);
        const vpc = cellVpc(this.ctx, args.vpcCidr, args.capacity);
        const groups = securityGroups(
            this.ctx,
            vpc.vpcId,
            args.containerPort ?? 8080,
            args.healthCheckerPrefixListName === undefined
                ? `com.amazonaws.${args.region}.route53-healthchecks`
                : args.healthCheckerPrefixListName,
        );
        const roles = taskRoles(this.ctx);
        const topic = alarmTopic(this.ctx, key);
        this.parts = { key, vpc, groups, roles, topic };

        this.mode = pulumi.output(args.mode);
        this.capacity = args.capacity;
        this.vpcId = vpc.vpcId;
        this.vpcCidr = pulumi.output(args.vpcCidr);
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.privateSubnetIds = vpc.privateSubnetIds;
        this.isolatedSubnetIds = vpc.isolatedSubnetIds;
        this.dataSecurityGroupId = groups.data.id;
        this.albSecurityGroupId = groups.alb.id;
        this.edgeSecurityGroupId = groups.edge.id;
        this.tasksSecurityGroupId = groups.tasks.id;
        this.kmsKeyArn = key.arn;
        this.alarmTopicArn = topic.arn;
        this.taskRoleArn = roles.taskRole.arn;
        this.network = {
            vpcId: vpc.vpcId,
            isolatedSubnetIds: vpc.isolatedSubnetIds,
            dataSecurityGroupId: groups.data.id,
            taskRoleName: roles.taskRole.name,
            kmsKeyArn: key.arn,
            alarmTopicArn: topic.arn,
        };
    }

    /**
     * The region's log landing bucket (ALB access logs, and S3 server access logs once a
     * LogArchive logs the region's buckets into it), with what must exist before log delivery
     * or replication uses it. Call after serve().
     */
    landing(): {
        bucketName: pulumi.Output<string>;
        bucketArn: pulumi.Output<string>;
        ready: pulumi.Resource[];
        /** The buckets whose S3 server access logs its policy admits. */
        s3LogSources: pulumi.Output<string[]>;
    } {
        const logs: AccessLogs | undefined = this.logs;
        if (!logs) throw new Error(`RegionalCell ${this.ctx.name}: landing() before serve()`);
        return {
            bucketName: logs.bucket.id,
            bucketArn: logs.bucket.arn,
            ready: [logs.policy, logs.versioning],
            s3LogSources: logs.s3LogSources,
        };
    }

    /**
     * Builds the serving half of the cell once the data tier (built on `network`) has given its
     * endpoints: ALB access logs, the ALB and its certificate, the listeners, the alarms, the ECS
     * service (which rolls back on some of them) and its autoscaling. Call it once; it registers
     * the component's outputs.
     */
    serve(dataEndpoints: DataEndpoints = {}): CellService {
        if (this.served)
            throw new Error(`RegionalCell ${this.ctx.name}: serve() was already called`);
        const { args, ctx, parts } = this;
        const containerPort = args.containerPort ?? 8080;
        const healthCheckPath = args.healthCheckPath ?? "/health";
        const fqdn = `${args.region}.origin.${args.domain}`;
        const aliases =
            args.originAliases ?? ["api", "*.api", "app"].map((l) => `${l}.${args.domain}`);

        const logs = accessLogBucket(
            ctx,
            args.accessLogRetentionDays ?? 365,
            args.logClassification ?? GLOBAL_CLASSIFICATION,
            args.s3LogSources,
        );
        this.logs = logs;
        const lb = loadBalancer(ctx, parts.vpc, parts.groups, logs, {
            containerPort,
            path: healthCheckPath,
        });
        const certificateArn = originCertificate(ctx, fqdn, aliases, args.hostedZoneId);
        const ports = listeners(ctx, lb, {
            certificateArn,
            healthCheckPath,
            originVerifySecret: args.originVerifySecret,
            edgeResidency: args.edgeResidency,
        });
        originRecord(ctx, fqdn, lb.alb, args.hostedZoneId);
        const alarms = cellAlarms(ctx, lb, {
            topic: parts.topic,
            healthCheckPath,
            errorRateThresholdPercent: args.errorRateThresholdPercent ?? 5,
            latencyP99ThresholdSeconds: args.latencyP99ThresholdSeconds ?? 0.5,
        });
        const app = appService(
            ctx,
            {
                role: args.role,
                zone: args.zone,
                writerRegion: args.writerRegion ?? args.region,
                image: args.image,
                taskCpu: args.taskCpu ?? 512,
                taskMemory: args.taskMemory ?? 1024,
                containerPort,
                healthCheckPath,
                logRetentionDays: args.logRetentionDays ?? 90,
                desiredCount: args.capacity.minTasks,
                edgeResidency: args.edgeResidency,
                dataEndpoints,
                deployment: args.deployment ?? {},
            },
            { ...parts, lb, listeners: ports, alarms },
        );
        const scalable = autoscaling(ctx, app, lb, {
            capacity: args.capacity,
            capacityManagedAtRuntime: args.capacityManagedAtRuntime ?? false,
            cpuTargetPercent: args.cpuTargetPercent ?? 60,
            requestsPerTargetTarget: args.requestsPerTargetTarget ?? 1000,
        });

        const healthCheckFqdn = pulumi.output(fqdn);
        const healthPath = pulumi.output(healthCheckPath);
        const service: CellService = {
            albDnsName: lb.alb.dnsName,
            albZoneId: lb.alb.zoneId,
            albArn: lb.alb.arn,
            albArnSuffix: lb.alb.arnSuffix,
            targetGroupArn: lb.targetGroup.arn,
            healthCheckFqdn,
            healthCheckPath: healthPath,
            healthUrl: pulumi.interpolate`https://${healthCheckFqdn}${healthPath}`,
            certificateArn,
            logBucketName: logs.bucket.bucket,
            ecsClusterName: app.cluster.name,
            ecsClusterArn: app.cluster.arn,
            ecsServiceName: app.service.name,
            healthRuleArn: ports.health.arn,
            scalableTargetResourceId: scalable.resourceId,
            dataEndpoints: pulumi.output(dataEndpoints) as pulumi.Output<Record<string, string>>,
            alarmNames: pulumi.all(Object.values(alarms).map((a) => a.name)),
        };
        this.served = service;
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
            kmsKeyArn: this.kmsKeyArn,
            alarmTopicArn: this.alarmTopicArn,
            taskRoleArn: this.taskRoleArn,
            ...service,
        });
        return service;
    }
}

/** The context every part is built with: names, tags, the account and partition. */
function cellContext(
    name: string,
    parent: pulumi.ComponentResource,
    args: RegionalCellArgs,
): CellContext {
    const environment = args.environment ?? "prod";
    const tags = componentTags(environment, "cell", { [TAG.region]: args.region });
    const p = { parent };
    return {
        name,
        parent,
        region: args.region,
        environment,
        prefix: namePrefix(environment),
        tags,
        // Application logs, the alarm topic and the key that encrypts them may hold user data of
        // the users homed in this region: classify them with the region's residency zone.
        zoneTags: residencyTags(args.zone, tags),
        account: aws.getCallerIdentityOutput({}, p).accountId,
        partition: aws.getPartitionOutput({}, p).partition,
    };
}
