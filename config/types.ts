/** The typed value config validation returns, one per stack. */
import type { AwsProviderSettings } from "../model/aws-provider";
import type { FisDrill } from "../model/drills";
import { CellMode } from "../model/cell";
import { NightModeConfig } from "../model/night-mode";
import { RegionSpec, Role, Topology } from "../model/topology";
import type { RolloutConfig } from "./rollout";
import type { Targets } from "./targets";

/** Capacity and sizing of a regional cell (stack-level keys). */
export interface CellConfig {
    mode: CellMode;
    /** Minimum ECS tasks in `active` mode. Default 2. */
    minTasks: number;
    /** Maximum ECS tasks (autoscaling ceiling) in `active` and `warm-standby`. Default 12. */
    maxTasks: number;
    /** Tasks kept running in `warm-standby`. Default 1. */
    standbyTasks: number;
    /** Fargate CPU units. Default 512. */
    taskCpu: number;
    /** Fargate memory (MiB). Default 1024. */
    taskMemory: number;
    /** Container image of the app. */
    image: string;
    /** Aurora instance class. Default db.r7g.large. */
    dbInstanceClass: string;
    /** ElastiCache node type. Default cache.r7g.large. */
    cacheNodeType: string;
}

/** EU-only (or any zone-only) data stores built by the ResidencyBoundary. */
export interface BoundaryConfig {
    /** Residency zone whose user data this stack stores. */
    zone: string;
    /** Also create an Aurora cluster outside the global cluster. Default false. */
    aurora: boolean;
    /**
     * Regions that may hold replicas of the zone's data (e.g. a second `us` region). Each must be
     * one of the zone's allowed regions and not this stack's own region. Default: none.
     */
    replicaRegions: string[];
}

/** Edge settings (global stack). */
export interface EdgeConfig {
    /** Route 53 health-check request interval, 10 or 30 seconds. Default 10. */
    healthCheckIntervalSeconds: number;
    /** Consecutive failures before unhealthy, 1–10. Default 2. */
    healthCheckFailureThreshold: number;
    /**
     * WAF request-body limits: path prefix → max body bytes (1 to 64 KB), the longest matching
     * prefix deciding (`taskflow:wafBodyLimits`). Default `{ "/": 16384 }`.
     */
    wafBodyLimits: Record<string, number>;
}

/** The validated configuration of one stack. */
export interface StackConfig {
    stack: string;
    role: Role;
    /** The stack's `aws:region`. */
    awsRegion: string;
    /**
     * The stack's other `aws:*` provider settings (profile, assumeRoles, defaultTags, allowed
     * account ids, ...; config/aws-provider.ts), for the explicit providers the program creates.
     * Default: none set.
     */
    awsProvider: AwsProviderSettings;
    environment: string;
    topology: Topology;
    /** RPO target in seconds; replication-lag alarm thresholds derive from it. Default 5. */
    rpoSeconds: number;
    /** Days the log landing buckets and the zone log archives keep logs. Default 365. */
    logArchiveRetentionDays: number;
    /** Aurora PostgreSQL engine version. */
    auroraEngineVersion: string;
    /** The region this stack deploys (region stacks only). */
    regionSpec?: RegionSpec;
    /** Cell sizing (region stacks only). */
    cell?: CellConfig;
    /** Zone-resident data stores (region stacks that host a zone's data). */
    boundary?: BoundaryConfig;
    /** Edge settings (global stack). */
    edge: EdgeConfig;
    /** Failure drills whose FIS templates the stack builds (`taskflow:drills`). Default: none. */
    drills: FisDrill[];
    /** Raw `taskflow:deployments` object for the Pulumi Deployments settings (global stack). */
    deployments?: Record<string, unknown>;
    /** Night mode (`taskflow:nightMode`, project-level). Disabled by default. */
    nightMode: NightModeConfig;
    /**
     * Region whose Aurora member and cache group take writes (`taskflow:writerRegion`,
     * project-level). Default: the primary. Set after a switchover (docs/operations.md).
     */
    writerRegion: string;
    /**
     * How app changes reach the cells (`taskflow:rollout`, project-level): ECS deployment alarms
     * and bounds, canary region, bake (config/rollout.ts). Every field has a default.
     */
    rollout: RolloutConfig;
    /**
     * What the design must promise (`taskflow:targets`, project-level; config/targets.ts):
     * the resilience report's targets. Default: the required ones (docs/requirements.md).
     */
    targets: Targets;
}

/** Raw config of one stack: `"<ns>:<key>"` → value (objects parsed, scalars as written). */
export type RawConfig = Record<string, unknown>;

/** What validateStackConfig knows beyond the merged config map. */
export interface ValidateOptions {
    /**
     * The Pulumi project's name (Pulumi.yaml `name`, or `pulumi.getProject()`): `topology.project`
     * must equal it. Not checked when absent.
     */
    project?: string;
    /**
     * The `taskflow:*` keys the stack's own Pulumi.<stack>.yaml sets, as opposed to project-level
     * values from Pulumi.yaml. The merged map cannot tell them apart, so without this list a cell
     * key on the global stack is refused only when its value differs from the project default.
     */
    stackKeys?: readonly string[];
    /**
     * The topology, already validated (validateAll validates it once for every stack and reports
     * its problems once). When absent, `taskflow:topology` is validated here.
     */
    topology?: Topology;
}
