/** What an EdgeRouting is built from. */
import * as pulumi from "@pulumi/pulumi";
import type { AwsProviderSettings } from "../../model/aws-provider";
import { Topology } from "../../model/topology";

/** What the global stack knows about one region's cell (read from that stack's outputs). */
export interface EdgeRegionEndpoint {
    /** DNS name of the region's public ALB. */
    albDnsName: pulumi.Input<string>;
    /** Canonical hosted zone id of the ALB (for alias records). */
    albZoneId: pulumi.Input<string>;
    /** ARN of the ALB (Global Accelerator endpoint). */
    albArn: pulumi.Input<string>;
    /** Host name the Route 53 health check probes over HTTPS (with SNI). */
    healthCheckFqdn: pulumi.Input<string>;
    /** Path of the cell's health endpoint, normally `/health`. */
    healthCheckPath: pulumi.Input<string>;
}

/** The log archive the edge's logs are replicated into (same Region). */
export interface EdgeLogArchiveRef {
    /** ARN of the archive bucket (in the edge region, classified global). */
    bucketArn: pulumi.Input<string>;
    /** ARN of the archive's key (in the edge region). */
    kmsKeyArn: pulumi.Input<string>;
}

/** The log landing bucket the edge's log bucket sends its S3 server access logs to. */
export interface EdgeAccessLogTarget {
    /** Name of the landing bucket (SSE-S3, in the edge region and the edge's account). */
    bucketName: pulumi.Input<string>;
    /**
     * Names of the buckets whose S3 server access logs the landing bucket's policy admits; the
     * edge's log bucket must be among them, else the update fails naming both.
     */
    s3LogSources: pulumi.Input<string[]>;
}

/** Route 53 health-check settings of the regions' failover checks. */
export interface EdgeHealthChecks {
    /** Request interval, 10 or 30 seconds. Default 10. */
    healthCheckIntervalSeconds?: number;
    /** Consecutive failures before a region is unhealthy, 1–10. Default 2. */
    healthCheckFailureThreshold?: number;
}

/** Arguments of {@link EdgeRouting}. */
export interface EdgeRoutingArgs {
    /** The validated topology (regions, failover partners, geolocation, zones, domain). Required. */
    topology: Topology;
    /** Route 53 health-check settings. Default: interval 10 s, failure threshold 2. */
    edge?: EdgeHealthChecks;
    /** Environment name used in physical names and tags. Default: `prod`. */
    environment?: string;
    /** One entry per topology region, keyed by region name; no more, no fewer. Required. */
    regions: Record<string, EdgeRegionEndpoint>;
    /** Id of the pre-existing public hosted zone of `topology.domain`. Required. */
    hostedZoneId: pulumi.Input<string>;
    /**
     * Region of the CloudFront-side resources (ACM certificate, Lambda@Edge, WAF, alarms, alarm
     * topic). Only `us-east-1` is accepted; anything else throws before registration. The
     * component creates its own provider for it. Default: `us-east-1`.
     */
    edgeRegion?: string;
    /**
     * Region of the Global Accelerator API. Only `us-west-2` is accepted; anything else throws
     * before registration. The component creates its own provider for it. Default: `us-west-2`.
     */
    acceleratorRegion?: string;
    /**
     * The stack's `aws:*` provider settings (profile, assumeRoles, defaultTags, allowed account
     * ids, ...) for the component's own two providers, which read no stack config themselves;
     * credentials among them are kept secret. Default: none (the environment's credentials).
     */
    providerSettings?: AwsProviderSettings;
    /** Label of the CloudFront host name under the domain. Default: `app`. */
    appLabel?: string;
    /** Label of the routed API host name under the domain. Default: `api`. */
    apiLabel?: string;
    /**
     * Label of the direct API clients' name under the API name: `<label>.<api>.<domain>`, an
     * alias to Global Accelerator (inside the cells' `*.<api>.<domain>` certificate name).
     * Default: `accel`.
     */
    acceleratorLabel?: string;
    /**
     * Residency pinning at the edge: the zone whose users are pinned (it must have exactly one
     * region in `topology.zones`) and the viewer countries that count as its users.
     * Default: the zone model/edge-residency.ts edgeResidencyOf derives from the topology, countries
     * `GDPR_COUNTRIES` (EU-27 and its territories with their own codes, IS, LI, NO, GB).
     */
    residency?: { zone?: string; countries?: string[] };
    /** Route 53 checker regions (at least 3). Default: us-east-1, eu-west-1, ap-northeast-1. */
    healthCheckerRegions?: string[];
    /** Path patterns cached as static content. Default: `/static/*`, `/assets/*`. */
    staticPathPatterns?: string[];
    /**
     * Further alarm actions (SNS topic ARNs in us-east-1) for the edge's alarms, besides the
     * component's own CMK-encrypted topic (`alarmTopicArn`), which every edge alarm notifies.
     * Default: none.
     */
    alarmActions?: pulumi.Input<string>[];
    /**
     * The edge region's log archive (the us-east-1 region stack's LogArchive, classified global):
     * the edge's log bucket replicates every object into it (components/edge/log-replication.ts).
     * Default: none (the edge's own bucket, global zone, us-east-1, is the only copy).
     */
    logArchive?: EdgeLogArchiveRef;
    /**
     * The edge region's log landing bucket (the us-east-1 region stack's, classified global): the
     * edge's log bucket sends its S3 server access logs there under `s3/edge-logs/`
     * (components/edge/log-access.ts). Default: none (the bucket's access is not logged).
     */
    accessLogs?: EdgeAccessLogTarget;
    /**
     * Days the edge's log bucket (us-east-1, global zone) keeps CloudFront's standard logs and the
     * WAF's logs, 1 to 3650. Default: 7 when `logArchive` is given (the archive keeps its copy for
     * its own retention), else 90.
     */
    logRetentionDays?: number;
    /** CloudFront price class. Default: `PriceClass_All` (every user gets a nearby edge). */
    priceClass?: string;
    /** WAF rate limit: requests per 5 minutes per client IP before blocking. Default: 2000. */
    wafRateLimit?: number;
    /**
     * WAF request-body limits: path prefix → max body bytes (1 to 65536), the longest matching
     * prefix deciding; merged over the default, so `/` always has one. The managed common rule
     * set's fixed 8 KB body rule is counted instead (components/edge/waf-rules.ts).
     * Default: `{ "/": 16384 }`.
     */
    wafBodyLimits?: Record<string, number>;
    /**
     * Value of the `x-origin-verify` header CloudFront sends. It must be the value the ALBs
     * require, so it comes from upstream of them: the primary stack's `originVerifySecret`, read
     * through a StackReference. Treated as a secret. Required.
     */
    originHeaderSecret: pulumi.Input<string>;
    /**
     * Night mode's DNS gates: drained region → the region serving its users at night
     * (model/night-mode.ts nightRoles). For each, the region's geolocation and latency records go
     * through `<region>.gate.<api>`, a failover pair whose PRIMARY (the region's failover name)
     * carries a health check on a CloudWatch alarm of the controller's gate metric and whose
     * SECONDARY is the night target's failover name; and its Global Accelerator endpoint
     * group's traffic dial is left to the controller. Default: none (no night mode).
     */
    nightGates?: Record<string, string>;
}
