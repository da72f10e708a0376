/**
 * The AWS figures the resilience report uses, each with the page it comes from. A figure AWS
 * documents only as typical behaviour is `typical` (never a promise); a figure AWS commits to
 * (an SLA, or a setting the service enforces) is `promised`. Where AWS states nothing, the
 * field is null and the report says "not promised by AWS".
 *
 * Nothing here is derived from the plan: these are the service behaviours the plan's resources
 * are judged by. The resources themselves (which mechanism, which settings) come from the plan.
 */

/** A documented figure: its value, the words AWS uses, the page. */
export interface Fact {
    /** Seconds (times) or percent (availability). */
    value: number;
    /** What AWS says, briefly. */
    text: string;
    source: string;
    /** false: the figure was not confirmed through the project's search tool (README lists it). */
    confirmed: boolean;
}

// ---- Route 53 -------------------------------------------------------------------------------

/**
 * How a Route 53 endpoint health check decides: every checker sends a request each
 * `requestInterval` (10 or 30 s) and an endpoint changes status after `failureThreshold`
 * consecutive failures; Route 53 calls it unhealthy when 18 % or fewer of the checkers report it
 * healthy. An HTTP(S) checker must connect within 4 s and get a 2xx/3xx within 2 s more, a TCP
 * checker connect within 10 s: the last failing check can take that long to fail.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 */
export const ROUTE53_CHECK_TIMEOUT_SECONDS: Readonly<Record<string, number>> = {
    HTTP: 6,
    HTTPS: 6,
    HTTP_STR_MATCH: 8,
    HTTPS_STR_MATCH: 8,
    TCP: 10,
};
export const ROUTE53_HEALTH_SOURCE =
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html";

/**
 * An alias record to an ELB load balancer has a fixed TTL of 60 s (Route 53 FAQ: "To configure DNS
 * failover for ELB and S3 website endpoints, you need to use alias records which have fixed TTL
 * of 60 seconds"); an alias to another record in the zone takes that record's TTL.
 * https://aws.amazon.com/route53/faqs/ ; https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias.html
 */
export const ALIAS_TTL_SECONDS: Fact = {
    value: 60,
    text: "alias records to ELB load balancers have a fixed TTL of 60 s",
    source: "https://aws.amazon.com/route53/faqs/",
    confirmed: true,
};
/** CloudFront and Global Accelerator alias targets: Route 53 uses the resource's default TTL, not published as a figure. */
export const ALIAS_TTL_OTHER_SECONDS = 60;

/**
 * Time the report allows for resolvers and clients that keep an answer past its TTL (some
 * resolvers enforce a minimum TTL, browsers and JVMs cache lookups). An assumption of this
 * report, not an AWS figure: AWS promises nothing about third-party resolvers.
 */
export const RESOLVER_ALLOWANCE_SECONDS = 60;

/**
 * How Route 53 chooses among records with health checking: it picks by routing policy, and if the
 * chosen record is unhealthy it picks another (for geolocation, the record of the larger
 * geographic area, then the default); when no record of a group is healthy it treats them all as
 * healthy; of a failover pair whose records are both unhealthy it answers with the primary.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
 * (the fallback details beyond "chooses another healthy record" were not confirmed through the
 * search tool: README, "What this program does not do (yet)").
 */
export const ROUTE53_CHOOSING_SOURCE =
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html";

/**
 * Geolocation priority: the smallest region that matches (US state, country, continent, then
 * the default record). https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-geo.html
 */
export const ROUTE53_GEO_SOURCE =
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-geo.html";

// ---- Global Accelerator ---------------------------------------------------------------------

/**
 * For ALB endpoints Global Accelerator uses the load balancer's own health (its target groups'
 * health checks, configured on ELB), not the endpoint group's settings.
 * https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoint-groups.html
 * Failover: with no healthy endpoint (weight > 0) in a group, GA tries the three closest other
 * groups, ignoring traffic dials; finding none it fails open to a random endpoint of the closest
 * group. Recovery returns traffic in about 30 s. How fast GA acts on a newly unhealthy endpoint
 * is not documented.
 * https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints-endpoint-weights.unhealthy-endpoints.html
 */
export const GA_FAILOVER_SOURCE =
    "https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints-endpoint-weights.unhealthy-endpoints.html";
export const GA_HEALTH_SOURCE =
    "https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoint-groups.html";
/** An ALB target health check can take its `timeout` to fail (ELB target group settings). */
export const ELB_TARGET_HEALTH_SOURCE =
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html";

// ---- Replication (RPO) ----------------------------------------------------------------------

/** What one replication mechanism lets the report say about its RPO. */
export interface ReplicationFact {
    mechanism: string;
    /** Seconds AWS commits to (SLA or an enforced setting), or null: not promised. */
    promisedSeconds: number | null;
    promisedText: string;
    /** Seconds AWS documents as typical, or null: no typical figure documented. */
    typicalSeconds: number | null;
    typicalText: string;
    source: string;
    confirmed: boolean;
}

/**
 * Aurora Global Database: asynchronous storage-level replication "with typical latency of under
 * a second" (ja: 通常 1 秒未満のレイテンシー); no SLA on the lag. Aurora PostgreSQL can enforce an
 * RPO with the cluster parameter `rds.global_db_rpo` (seconds): the primary blocks commits when
 * no secondary is within it; the report treats a planned value as promised (the parameter's
 * behaviour was not confirmed through the search tool: README).
 */
export const AURORA_GLOBAL: ReplicationFact = {
    mechanism: "Aurora Global Database (storage-level, asynchronous)",
    promisedSeconds: null,
    promisedText: "no SLA on replication lag (rds.global_db_rpo not set)",
    typicalSeconds: 1,
    typicalText: "typical latency under 1 s",
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html",
    confirmed: true,
};
export const AURORA_MANAGED_RPO_SOURCE =
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html";

/**
 * DynamoDB global tables, multi-Region eventual consistency (the default): item changes are
 * "typically replicated ... within one second or less"; "there is no SLA for this latency"
 * (prescriptive guidance). Multi-Region strong consistency (MRSC) gives an RPO of zero.
 */
export const DYNAMODB_MREC: ReplicationFact = {
    mechanism: "DynamoDB global tables (MREC, asynchronous)",
    promisedSeconds: null,
    promisedText: "no SLA on ReplicationLatency",
    typicalSeconds: 1,
    typicalText: "typically replicated within 1 s",
    source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html ; https://docs.aws.amazon.com/prescriptive-guidance/latest/dynamodb-global-tables/overview.html",
    confirmed: true,
};
export const DYNAMODB_MRSC: ReplicationFact = {
    mechanism: "DynamoDB global tables (MRSC, synchronous)",
    promisedSeconds: 0,
    promisedText: "strongly consistent writes: RPO 0",
    typicalSeconds: 0,
    typicalText: "RPO 0",
    source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html",
    confirmed: true,
};

/**
 * ElastiCache Global Datastore: "automatic, asynchronous replication"; AWS's disaster-recovery
 * workshop gives an RPO of "generally less than 1 second". No SLA on the lag.
 */
export const ELASTICACHE_GLOBAL: ReplicationFact = {
    mechanism: "ElastiCache Global Datastore (asynchronous)",
    promisedSeconds: null,
    promisedText: "no SLA on replication lag",
    typicalSeconds: 1,
    typicalText: "generally under 1 s (AWS DR workshop)",
    source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html ; https://disaster-recovery.workshop.aws/en/services/databases/elasticache/global-datastore.html",
    confirmed: true,
};

/**
 * S3 Replication Time Control: "replicates most objects ... in seconds, and 99.99 % of those
 * objects within 15 minutes", backed by the S3 SLA; 15 is the only valid ReplicationTime value.
 * The report reads "in seconds" as under 60 s.
 */
export const S3_RTC: ReplicationFact = {
    mechanism: "S3 replication with Replication Time Control",
    promisedSeconds: 900,
    promisedText: "99.99 % of objects within 15 min (S3 RTC SLA)",
    typicalSeconds: 60,
    typicalText: "most objects within seconds (read as < 60 s)",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html",
    confirmed: true,
};
/**
 * S3 replication without RTC: asynchronous, with no time commitment and no typical figure the
 * report could hold it to (the RTC page exists because plain replication promises none).
 */
export const S3_NO_RTC: ReplicationFact = {
    mechanism: "S3 replication without Replication Time Control",
    promisedSeconds: null,
    promisedText: "no replication time promised without RTC (no SLA)",
    typicalSeconds: null,
    typicalText: "no documented replication time",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html",
    confirmed: true,
};

// ---- Availability (SLAs) -----------------------------------------------------------------

/**
 * Monthly uptime commitments. An SLA is a service-credit threshold, not a measured availability:
 * the composite built from them is what AWS commits to, a floor, under an independence assumption.
 */
export const SLA: Readonly<Record<string, Fact>> = {
    route53: {
        value: 100,
        text: "Route 53: 100 % (DNS queries)",
        source: "https://aws.amazon.com/route53/sla/",
        confirmed: true,
    },
    elb: {
        value: 99.99,
        text: "Elastic Load Balancing: 99.99 %",
        source: "https://aws.amazon.com/elasticloadbalancing/sla/ (via cloudonaut.io SLA table)",
        confirmed: true,
    },
    ecs: {
        value: 99.99,
        text: "Amazon ECS / Fargate: 99.99 % per Region",
        source: "https://aws.amazon.com/compute/sla/",
        confirmed: true,
    },
    rds: {
        value: 99.95,
        text: "Amazon RDS (Multi-AZ): 99.95 %",
        source: "https://aws.amazon.com/rds/sla/ (via cloudonaut.io SLA table)",
        confirmed: true,
    },
    elasticache: {
        value: 99.99,
        text: "ElastiCache (Multi-AZ with automatic failover): 99.99 %",
        source: "https://aws.amazon.com/elasticache/sla/",
        confirmed: false,
    },
    dynamodb: {
        value: 99.99,
        text: "DynamoDB single-Region table: 99.99 %",
        source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html",
        confirmed: true,
    },
    dynamodbGlobal: {
        value: 99.999,
        text: "DynamoDB global tables: 99.999 %",
        source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html",
        confirmed: true,
    },
    cloudfront: {
        value: 99.9,
        text: "CloudFront: 99.9 %",
        source: "https://aws.amazon.com/cloudfront/sla/ (via cloudonaut.io SLA table)",
        confirmed: true,
    },
    globalAccelerator: {
        value: 99.99,
        text: "Global Accelerator (multi-AZ accelerators): 99.99 %",
        source: "https://aws.amazon.com/global-accelerator/sla/",
        confirmed: true,
    },
};

// ---- Physics --------------------------------------------------------------------------------

/** Speed of light in vacuum, km/s (SI definition of the metre). */
export const C_VACUUM_KM_S = 299_792.458;
/**
 * Group index of standard single-mode fibre (ITU-T G.652, ~1.468 at 1550 nm): light in fibre
 * covers about 204,000 km/s. Real paths are longer than great circles and add switching and
 * queueing, so a round trip is never faster than 2 × distance / this speed.
 */
export const FIBRE_GROUP_INDEX = 1.468;
/** Mean Earth radius, km (IUGG). */
export const EARTH_RADIUS_KM = 6371.0088;

// ---- Write-path recovery (the writer region's data tier down) --------------------------------

/**
 * Promoting an Aurora global secondary: "you can promote one of the AWS secondary regions to
 * perform full read/write workloads in less than a minute" (RTO 1 minute), an operation someone
 * has to start (this program's runbook: `npm run ops -- aurora failover`).
 */
export const AURORA_PROMOTION: Fact = {
    value: 60,
    text: "promotion of a secondary region in under a minute (AWS DR workshop)",
    source: "https://disaster-recovery.workshop.aws/en/services/databases/aurora/global-database.html",
    confirmed: true,
};
/** Promoting an ElastiCache Global Datastore secondary: RTO 1 minute (AWS DR workshop). */
export const ELASTICACHE_PROMOTION: Fact = {
    value: 60,
    text: "promotion of a secondary cluster, RTO about 1 minute (AWS DR workshop)",
    source: "https://disaster-recovery.workshop.aws/en/services/databases/elasticache/global-datastore.html",
    confirmed: true,
};
