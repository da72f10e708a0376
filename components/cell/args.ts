/** What a RegionalCell is built from, and the typed values its parts hand to each other. */
import * as pulumi from "@pulumi/pulumi";
import { CellCapacity, CellMode } from "../../model/cell";
import type { CellDeploymentArgs } from "./deployment";

/** Arguments of {@link RegionalCell}. */
export interface RegionalCellArgs {
    /** AWS region of the cell: the region of the provider its resources use. Required. */
    region: string;
    /** Role of the cell's stack (`TASKFLOW_ROLE` of the tasks). Required. */
    role: "primary" | "secondary";
    /**
     * Residency zone of the users homed in this region: the classification of the app's logs,
     * the alarm topic and the key that encrypts them (`TASKFLOW_RESIDENCY_ZONE`). Required.
     */
    zone: string;
    /**
     * Every residency zone of the topology: a data store of the cell classified in any other
     * zone is refused at registration. Required.
     */
    zones: string[];
    /**
     * Region whose Aurora member and cache take the writes (`TASKFLOW_WRITER_REGION`; its
     * parameter is rewritten by the Aurora runbook after a switchover). Default: `region`.
     */
    writerRegion?: string;
    /** Environment name in physical names, tags and the tasks' environment. Default `prod`. */
    environment?: string;
    /** Apex domain; the ALB certificate names `<region>.origin.<domain>`. Required. */
    domain: string;
    /** VPC CIDR, a /16 to /20 network. Required. */
    vpcCidr: string;
    /** DR mode of the cell (an output; the capacity below is what the mode changes). Required. */
    mode: CellMode;
    /** Capacity in that mode: task floor and ceiling, NAT gateways. Required. */
    capacity: CellCapacity;
    /** Container image of the app. Required. */
    image: string;
    /** Fargate CPU units of a task. Default 512. */
    taskCpu?: number;
    /** Fargate memory of a task (MiB). Default 1024. */
    taskMemory?: number;
    /**
     * Night mode's controller moves the scalable target's min/max at runtime (a region drained
     * at night): the program then ignores them in diffs and hands the day capacity to the
     * controller instead. Default false.
     */
    capacityManagedAtRuntime?: boolean;
    /**
     * How the ECS service rolls out a new task definition: the alarms it rolls back on and the
     * rolling bounds (components/cell/deployment.ts). Default: roll back on the 5xx-rate and
     * unhealthy-hosts alarms, 100–200 %.
     */
    deployment?: CellDeploymentArgs;
    /** Id of the pre-existing public hosted zone (certificate validation, regional names). Required. */
    hostedZoneId: pulumi.Input<string>;
    /** Port the app container listens on (HTTP, behind the ALB). Default 8080. */
    containerPort?: number;
    /** Health-check path of the app, used by the target group and the edge. Default `/health`. */
    healthCheckPath?: string;
    /** Days the app's CloudWatch log group keeps events. Default 90. */
    logRetentionDays?: number;
    /**
     * Classification of the region's log landing bucket (ALB and S3 server access logs): the
     * zone of the region's residency boundary, where it has one. Default `global`.
     */
    logClassification?: string;
    /**
     * The buckets whose S3 server access logs may land in the landing bucket, given the account
     * id: the `aws:SourceArn` its policy admits for `logging.s3.amazonaws.com` (S3 logs only
     * within one Region and account). The landing bucket itself is always admitted. Default: the
     * landing bucket only.
     */
    s3LogSources?: (account: string) => string[];
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
     * The edge's residency pinning (config/edge.ts edgeResidencyOf): the zone whose viewers the
     * Lambda@Edge router pins, and its one region. A cell in any other region refuses requests
     * tagged `x-data-residency: <region>`. Required.
     */
    edgeResidency: { zone: string; region: string };
}

/** What the data tier of a cell gets from it (RegionalCell.network). */
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

/** The cell's serving half, built by RegionalCell.serve once the data tier exists. */
export interface CellService {
    albDnsName: pulumi.Output<string>;
    albZoneId: pulumi.Output<string>;
    albArn: pulumi.Output<string>;
    albArnSuffix: pulumi.Output<string>;
    targetGroupArn: pulumi.Output<string>;
    /** `<region>.origin.<domain>`: the name the certificate covers and the edge probes. */
    healthCheckFqdn: pulumi.Output<string>;
    healthCheckPath: pulumi.Output<string>;
    healthUrl: pulumi.Output<string>;
    certificateArn: pulumi.Output<string>;
    logBucketName: pulumi.Output<string>;
    ecsClusterName: pulumi.Output<string>;
    ecsClusterArn: pulumi.Output<string>;
    ecsServiceName: pulumi.Output<string>;
    /** The 443 listener's rule that answers the Route 53 health checkers' path. */
    healthRuleArn: pulumi.Output<string>;
    /** Application Auto Scaling resource id of the service (`service/<cluster>/<service>`). */
    scalableTargetResourceId: pulumi.Output<string>;
    /** The data tier's endpoints, as the tasks see them. */
    dataEndpoints: pulumi.Output<Record<string, string>>;
    /** Names of the cell's alarms (5xx rate, unhealthy hosts, p99 latency), once they exist. */
    alarmNames: pulumi.Output<string[]>;
}
