/**
 * EdgeRouting: how a user reaches the nearest healthy cell (global stack).
 *
 * Built from the topology alone, so a region joins by config (seed 000 section 6,
 * `routing-strategy.yaml`; seed 003: one stable endpoint, failover by health check):
 *
 * ```text
 * app.<domain>  ── CloudFront (WAF, Lambda@Edge residency router, ACM cert in us-east-1)
 *                    └─ origin api.<domain>:443 (HTTPS only, TLSv1.2, x-origin-verify header)
 * api.<domain>  ── geolocation: each topology country/continent → <region>.api.<domain>
 *                               default (*)                     → latency.api.<domain>
 * latency.api.<domain>  ── latency set, one member per region  → <region>.api.<domain>
 * <region>.api.<domain> ── failover: PRIMARY   → the region's ALB (its health check)
 *                                    SECONDARY → the topology `failover` partner's ALB
 * <zone>-resident.api.<domain> ── simple alias to the residency region's ALB, NO failover
 * Global Accelerator (static IPs) ── TCP 443 → one endpoint group per region → its ALB on 8443
 * ```
 *
 * ## Residency and failover
 * Seed 000's failover order sends eu-west-1's users to us-east-1 when eu-west-1 is unhealthy. That
 * is kept for *global* features: `eu-west-1.api.<domain>` fails over to us-east-1 like any other
 * region name. Requests that need EU-resident data do not use it: the Lambda@Edge residency router
 * (`edge/residency-router.ts`) pins every GDPR viewer (EU-27 with its outermost regions and Åland,
 * EEA IS/LI/NO, GB) to `eu-resident.api.<domain>`, which has no failover, and rejects with 403 any
 * GDPR request aimed at an origin it cannot prove is in eu-west-1. When eu-west-1 is down those
 * requests fail closed; there is no EU RTO other than eu-west-1's own recovery, and the reports
 * must say so.
 *
 * Second line, at the cells: every ALB outside the residency region refuses (403) a request the
 * router tagged `x-data-residency: <residency region>`, on both of its HTTPS listeners
 * (RegionalCell). That covers requests that passed the router. It cannot cover direct API or
 * accelerator clients, which carry no such tag: refusing their EU-resident data outside eu-west-1
 * is the application's job (the tasks get `TASKFLOW_RESIDENT_ZONE`/`TASKFLOW_RESIDENT_REGION`), and
 * this program does not ship or test the application.
 *
 * The residency zone is the one config names (`taskflow:topology.gdprZone`, {@link edgeResidencyOf});
 * its region is the zone's one region of the topology. Geolocation never moves the pin: config
 * validation refuses a geolocation that routes GDPR locations out of the zone, in every stack,
 * before anything is planned, and the policy pack's `residency-edge-pin` refuses the records and
 * the router (tagged with the zone and origin it pins) even if that validation were bypassed.
 *
 * ## Regions
 * Lambda@Edge functions, CloudFront certificates and CLOUDFRONT-scope WAF ACLs exist only in
 * us-east-1, and Global Accelerator's API only in us-west-2. The component creates its own two
 * providers (children of the component) from those region names, refuses any other placement a
 * caller asks for before registering anything, and also pins the regional children with the v7
 * per-resource `region` input.
 *
 * ## Origin protection
 * CloudFront sends `x-origin-verify: <secret>`. The secret is generated in the primary stack (the
 * first to deploy) and read by every other stack through StackReferences, so each ALB's 443
 * listener can forward only requests that carry it (RegionalCell). Global Accelerator reaches the
 * ALBs on 8443, admitted only from GA's own security group, without the header. ALB certificates
 * cover `api.<domain>`, `*.api.<domain>` and `app.<domain>` (CloudFront checks the origin
 * certificate against the forwarded Host header on API paths).
 *
 * Rotation: replace the primary's `origin-verify-secret` (`pulumi up --replace <its urn>` on the
 * primary stack), then update the secondaries and the global stack, in the deploy order. Each ALB
 * accepts one value, so from the moment a region stack's update changes its rule until the
 * global stack's distribution has deployed the new header, CloudFront requests to that region get
 * 403 (Global Accelerator and health checks are unaffected). Keep the window short by running the
 * three waves back to back; avoiding it entirely needs the listener rule to accept the previous
 * value too for one deploy cycle (an ALB header condition takes several values), which needs a
 * config key for it: not implemented.
 */
import * as crypto from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    CONTINENTS,
    ConfigError,
    gdprClaims,
    DEFAULTS,
    EDGE_REGION,
    EdgeConfig,
    GLOBAL_ACCELERATOR_API_REGION,
    NS,
    Topology,
} from "../config";
import { bundleResidencyRouter } from "../edge/bundle";
import { GATE_METRIC, GATE_NAMESPACE } from "../ops/night-mode";
import { keyPolicy, snsPublisherPrincipal } from "./kms-policy";
import {
    GDPR_COUNTRIES,
    ResidencyRouterConfig,
    validateRouterConfig,
} from "../edge/residency-router";
import { GA_ENDPOINT_PORT, ORIGIN_VERIFY_HEADER, acmValidationRecord } from "./regional-cell";
import { ROUTER_ORIGIN_TAG, ROUTER_ZONE_TAG } from "../policies/edge";
import { GLOBAL, residencyTags, residencyTransformation } from "./residency";

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

/** Arguments of {@link EdgeRouting}. */
export interface EdgeRoutingArgs {
    /** The validated topology (regions, failover partners, geolocation, zones, domain). Required. */
    topology: Topology;
    /** Health-check settings. Default: interval 10 s, failure threshold 2 (`DEFAULTS`). */
    edge?: Partial<EdgeConfig>;
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
    /** Label of the CloudFront host name under the domain. Default: `app`. */
    appLabel?: string;
    /** Label of the routed API host name under the domain. Default: `api`. */
    apiLabel?: string;
    /**
     * Residency pinning at the edge: the zone whose users are pinned (it must have exactly one
     * region in `topology.zones`) and the viewer countries that count as its users.
     * Default: the zone {@link edgeResidencyOf} derives from the topology, countries
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
    /** CloudFront price class. Default: `PriceClass_All` (every user gets a nearby edge). */
    priceClass?: string;
    /** WAF rate limit: requests per 5 minutes per client IP before blocking. Default: 2000. */
    wafRateLimit?: number;
    /**
     * Value of the `x-origin-verify` header CloudFront sends. It must be the value the ALBs
     * require, so it comes from upstream of them: the primary stack's `originVerifySecret`, read
     * through a StackReference. Treated as a secret. Required.
     */
    originHeaderSecret: pulumi.Input<string>;
    /**
     * Night mode's DNS gates: drained region → the region serving its users at night
     * (ops/night-mode.ts nightRoles). For each, the region's geolocation and latency records go
     * through `<region>.gate.<api>`, a failover pair whose PRIMARY (the region's failover name)
     * carries a health check on a CloudWatch alarm of the controller's gate metric and whose
     * SECONDARY is the night target's failover name; and its Global Accelerator endpoint
     * group's traffic dial is left to the controller. Default: none (no night mode).
     */
    nightGates?: Record<string, string>;
}

/** Route 53 health-checker regions (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html). */
export const HEALTH_CHECKER_REGIONS: readonly string[] = [
    "us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1",
]; // prettier-ignore

/** AWS managed cache policies (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html). */
export const MANAGED_CACHE_POLICY = {
    CachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
    CachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
} as const;

/** Header CloudFront adds to every origin request; the ALBs' 443 listeners require it. */
export const ORIGIN_HEADER_NAME = ORIGIN_VERIFY_HEADER;

/** AWS managed WAF rule groups on the distribution, in priority order. */
export const WAF_MANAGED_RULE_GROUPS: readonly string[] = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
];

/** One geolocation record on the API name. */
export interface GeoRoute {
    /** Route 53 set identifier. */
    setIdentifier: string;
    /** `country`, `continent` or the default location `*`. */
    location: { country: string } | { continent: string };
    /** Record name the alias points at. */
    target: string;
}

/** The routing table derived from the topology (pure; what the records implement). */
export interface EdgeRoutingPlan {
    /** Region of the CloudFront-side resources (us-east-1). */
    edgeRegion: string;
    /** Region of the Global Accelerator API (us-west-2). */
    acceleratorRegion: string;
    appName: string;
    apiName: string;
    latencyName: string;
    residentName: string;
    /** The zone GDPR viewers are pinned to (`taskflow:topology.gdprZone`) and its one region. */
    residencyZone: string;
    residencyRegion: string;
    /** What the Lambda@Edge residency router is built with. */
    routerConfig: ResidencyRouterConfig;
    /** Region → its stable failover name. */
    failoverNames: Record<string, string>;
    /** Region → [primary region, secondary region]. */
    failoverPairs: Record<string, [string, string]>;
    /** Night mode's gated regions → [gate name, night target region]. */
    gates: Record<string, [string, string]>;
    /** Region → the name its geolocation and latency records point at (gate or failover name). */
    routedNames: Record<string, string>;
    geo: GeoRoute[];
}

const ROUTE53_DEFAULT_LOCATION = "*";

/** The zone the edge pins GDPR viewers to, and its one region. */
export interface EdgeResidency {
    zone: string;
    region: string;
}

/**
 * The residency zone of the edge and its one region, from the zone GDPR viewers belong to as
 * config names it (`taskflow:topology.gdprZone`), never from whichever region's geolocation claims
 * the EU; its region is the zone's one region of the topology. Pure; every stack calls it so that
 * a wrong zone fails before anything is planned, not only at the global stack.
 *
 * Throws a ConfigError naming the key when no zone is named, when the zone does not allow exactly
 * one region of the topology (the edge pins GDPR viewers to that region with no failover), when a
 * region's geolocation routes a GDPR location (continent EU or one of `countries`, default
 * {@link GDPR_COUNTRIES}) anywhere but that region, or when no region routes one there.
 */
export function edgeResidencyOf(
    topology: Topology,
    stack = "(all)",
    countries: readonly string[] = GDPR_COUNTRIES,
): EdgeResidency {
    const K = `${NS}:topology`;
    const zone = topology.gdprZone;
    if (zone === undefined) {
        throw new ConfigError(stack, [
            {
                key: `${K}.gdprZone`,
                value: undefined,
                allowed: `the zone GDPR viewers belong to (one of ${Object.keys(topology.zones).join(", ")}): the edge pins them to that zone's region`,
            },
        ]);
    }
    const known = topology.regions.map((r) => r.region);
    // Only the zone's regions that have a stack count: the edge pins GDPR viewers to the one
    // region that serves them. A zone may list more regions (a second EU region for its data,
    // say), which the policy pack's own matrix then judges.
    const allowed = (topology.zones[zone] ?? []).filter((r) => known.includes(r));
    if (allowed.length !== 1) {
        throw new ConfigError(stack, [
            {
                key: `${K}.zones.${zone}`,
                value: allowed,
                allowed: `exactly one region of the topology (${known.join(", ")}): zone ${zone} is the zone GDPR viewers belong to (taskflow:topology.gdprZone), and its viewers are pinned to one region with no failover`,
            },
        ]);
    }
    const region = allowed[0];
    const astray = topology.regions.filter(
        (r) => r.region !== region && gdprClaims(r, countries).length > 0,
    );
    if (astray.length > 0) {
        throw new ConfigError(stack, [
            {
                key: `${K}.regions[].geolocation`,
                value: Object.fromEntries(astray.map((r) => [r.region, gdprClaims(r, countries)])),
                allowed: `GDPR locations route to ${region} only, the region of zone ${zone} (taskflow:topology.gdprZone); geolocation never moves the pin`,
            },
        ]);
    }
    if (!topology.regions.some((r) => r.region === region && gdprClaims(r, countries).length > 0)) {
        throw new ConfigError(stack, [
            {
                key: `${K}.regions[].geolocation`,
                value: topology.regions.map((r) => ({ [r.region]: r.geolocation })),
                allowed: `${region}'s geolocation must claim continent EU (or GDPR countries): GDPR viewers belong to zone ${zone}, and geolocation is how Route 53 sends them there`,
            },
        ]);
    }
    return { zone, region };
}

/** Checks the arguments and derives the routing table. Throws before anything is registered. */
export function planEdgeRouting(name: string, args: EdgeRoutingArgs): EdgeRoutingPlan {
    const where = `EdgeRouting "${name}"`;
    const edgeRegion = args.edgeRegion ?? EDGE_REGION;
    if (edgeRegion !== EDGE_REGION) {
        throw new Error(
            `${where}: edgeRegion is ${JSON.stringify(edgeRegion)}, but the CloudFront certificate and the Lambda@Edge function can only be created in ${EDGE_REGION}`,
        );
    }
    const acceleratorRegion = args.acceleratorRegion ?? GLOBAL_ACCELERATOR_API_REGION;
    if (acceleratorRegion !== GLOBAL_ACCELERATOR_API_REGION) {
        throw new Error(
            `${where}: acceleratorRegion is ${JSON.stringify(acceleratorRegion)}, but the Global Accelerator API is only served from ${GLOBAL_ACCELERATOR_API_REGION}`,
        );
    }
    const t = args.topology;
    const topologyRegions = t.regions.map((r) => r.region);
    const given = Object.keys(args.regions);
    const missing = topologyRegions.filter((r) => !given.includes(r));
    const extra = given.filter((r) => !topologyRegions.includes(r));
    if (missing.length > 0 || extra.length > 0) {
        throw new Error(
            `${where}: regions must have one entry per topology region (${topologyRegions.join(", ")}); missing: ${missing.join(", ") || "none"}; not in the topology: ${extra.join(", ") || "none"}`,
        );
    }
    const checkers = args.healthCheckerRegions ?? ["us-east-1", "eu-west-1", "ap-northeast-1"];
    const badChecker = checkers.filter((r) => !HEALTH_CHECKER_REGIONS.includes(r));
    if (
        checkers.length < 3 ||
        badChecker.length > 0 ||
        new Set(checkers).size !== checkers.length
    ) {
        throw new Error(
            `${where}: healthCheckerRegions ${JSON.stringify(checkers)} is not allowed; at least 3 distinct of ${HEALTH_CHECKER_REGIONS.join(", ")}`,
        );
    }
    const zone =
        args.residency?.zone ?? edgeResidencyOf(t, undefined, args.residency?.countries).zone;
    const zoneRegions = (t.zones[zone] ?? []).filter((r) => topologyRegions.includes(r));
    if (zoneRegions.length !== 1) {
        throw new Error(
            `${where}: residency.zone ${JSON.stringify(zone)} must name a topology zone with exactly one region that is in the topology (zones: ${JSON.stringify(t.zones)})`,
        );
    }
    const label = (v: string | undefined, dflt: string, key: string) => {
        const s = v ?? dflt;
        if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(s)) {
            throw new Error(
                `${where}: ${key} ${JSON.stringify(s)} is not allowed; a single lower-case DNS label`,
            );
        }
        return s;
    };
    const app = label(args.appLabel, "app", "appLabel");
    const api = label(args.apiLabel, "api", "apiLabel");
    if (app === api)
        throw new Error(
            `${where}: appLabel and apiLabel must differ (both ${JSON.stringify(app)})`,
        );

    const apiName = `${api}.${t.domain}`;
    const failoverNames: Record<string, string> = {};
    const failoverPairs: Record<string, [string, string]> = {};
    for (const r of t.regions) {
        failoverNames[r.region] = `${r.region}.${apiName}`;
        failoverPairs[r.region] = [r.region, r.failover];
    }
    const gates: Record<string, [string, string]> = {};
    for (const [region, target] of Object.entries(args.nightGates ?? {})) {
        const r = t.regions.find((x) => x.region === region);
        if (!r || !topologyRegions.includes(target) || target === region) {
            throw new Error(
                `${where}: nightGates ${JSON.stringify({ [region]: target })} must map a topology region to another (${topologyRegions.join(", ")})`,
            );
        }
        if (!(t.zones[r.zone] ?? []).includes(target)) {
            throw new Error(
                `${where}: nightGates would send ${region}'s users (zone ${r.zone}) to ${target}, which zone ${r.zone} does not allow (${(t.zones[r.zone] ?? []).join(", ")})`,
            );
        }
        gates[region] = [`${region}.gate.${apiName}`, target];
    }
    const routedNames: Record<string, string> = Object.fromEntries(
        t.regions.map((r) => [r.region, gates[r.region]?.[0] ?? failoverNames[r.region]]),
    );
    const latencyName = `latency.${apiName}`;
    const geo: GeoRoute[] = [];
    for (const r of t.regions) {
        for (const c of r.geolocation.countries) {
            geo.push({
                setIdentifier: `geo-country-${c}`,
                location: { country: c },
                target: routedNames[r.region],
            });
        }
        for (const c of r.geolocation.continents) {
            if (!CONTINENTS.includes(c))
                throw new Error(`${where}: continent ${c} is not one of ${CONTINENTS.join(", ")}`);
            geo.push({
                setIdentifier: `geo-continent-${c}`,
                location: { continent: c },
                target: routedNames[r.region],
            });
        }
    }
    geo.push({
        setIdentifier: "geo-default",
        location: { country: ROUTE53_DEFAULT_LOCATION },
        target: latencyName,
    });
    const residentName = `${zone}-resident.${apiName}`;
    const routerConfig: ResidencyRouterConfig = {
        residencyRegion: zoneRegions[0],
        residentOrigin: residentName,
        routedOrigins: [apiName],
        countries: args.residency?.countries ?? [...GDPR_COUNTRIES],
    };
    try {
        validateRouterConfig(routerConfig);
    } catch (e) {
        throw new Error(`${where}: residency: ${(e as Error).message}`);
    }
    return {
        edgeRegion,
        acceleratorRegion,
        appName: `${app}.${t.domain}`,
        apiName,
        latencyName,
        residentName,
        residencyZone: zone,
        residencyRegion: zoneRegions[0],
        routerConfig,
        failoverNames,
        failoverPairs,
        gates,
        routedNames,
        geo,
    };
}

/**
 * Route 53 routing (geolocation → latency → failover, with health checks), Global Accelerator,
 * CloudFront with WAF and the Lambda@Edge residency router, and the ACM certificate in us-east-1.
 */
export class EdgeRouting extends pulumi.ComponentResource {
    /** `app.<domain>`: the CloudFront host name. */
    public readonly appHostname: pulumi.Output<string>;
    /** `api.<domain>`: the geolocation-routed API name. */
    public readonly apiHostname: pulumi.Output<string>;
    /** Region → its stable failover name (`<region>.api.<domain>`). */
    public readonly failoverHostnames: pulumi.Output<Record<string, string>>;
    /** The EU-only (resident) origin name, which never fails over. */
    public readonly residentHostname: pulumi.Output<string>;
    public readonly acceleratorDnsName: pulumi.Output<string>;
    /** The accelerator's static anycast IPv4 addresses. */
    public readonly acceleratorIps: pulumi.Output<string[]>;
    public readonly distributionId: pulumi.Output<string>;
    public readonly distributionDomainName: pulumi.Output<string>;
    /** Region → Route 53 health-check id. */
    public readonly healthCheckIds: pulumi.Output<Record<string, string>>;
    /** Name of the header CloudFront sends to the origins. */
    public readonly originHeaderName: pulumi.Output<string>;
    /** Value of that header (secret). */
    public readonly originHeaderSecret: pulumi.Output<string>;
    /** Qualified ARN (numbered version) of the Lambda@Edge function. */
    public readonly edgeFunctionArn: pulumi.Output<string>;
    /** The edge alarms' SNS topic (us-east-1, CMK-encrypted); subscribe operators to it. */
    public readonly alarmTopicArn: pulumi.Output<string>;
    /**
     * Region → its Global Accelerator endpoint group. The ALB rule admitting GA
     * (`admitGlobalAccelerator`) must be created after the region's group: GA creates the
     * security group that rule references when the group is created.
     */
    public readonly endpointGroups: Readonly<Record<string, aws.globalaccelerator.EndpointGroup>>;
    /** The configuration baked into the Lambda@Edge bundle (known at construction). */
    public readonly routerConfig: ResidencyRouterConfig;
    /** SHA-256 of the deployed bundle; also the function's `taskflow:code-sha256` tag. */
    public readonly routerCodeSha256: string;

    constructor(name: string, args: EdgeRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate before the component itself is registered: bad input registers nothing.
        const plan = planEdgeRouting(name, args);
        // The alarm key is a data store (residency-tagged); forgetting the tag fails at registration.
        super(
            "taskflow:edge:EdgeRouting",
            name,
            {},
            {
                ...opts,
                transformations: [
                    ...(opts?.transformations ?? []),
                    residencyTransformation(Object.keys(args.topology.zones)),
                ],
            },
        );

        const t = args.topology;
        const env = args.environment ?? DEFAULTS.environment;
        const checkers = args.healthCheckerRegions ?? ["us-east-1", "eu-west-1", "ap-northeast-1"];
        const edgeRegion = plan.edgeRegion;
        // The component's own providers, built from the validated region names: a provider
        // handed in could carry any region whatever its label said.
        const usEast1 = new aws.Provider(
            `${name}-${plan.edgeRegion}`,
            { region: plan.edgeRegion },
            { parent: this },
        );
        const usWest2 = new aws.Provider(
            `${name}-${plan.acceleratorRegion}`,
            { region: plan.acceleratorRegion },
            { parent: this },
        );
        const edge = { parent: this, provider: usEast1 };
        const accel = { parent: this, provider: usWest2 };
        const zoneId = args.hostedZoneId;
        const tags = { project: t.project, environment: env, component: "edge-routing" };
        const ep = (region: string) => args.regions[region];
        const interval =
            args.edge?.healthCheckIntervalSeconds ?? DEFAULTS.healthCheckIntervalSeconds;
        const threshold =
            args.edge?.healthCheckFailureThreshold ?? DEFAULTS.healthCheckFailureThreshold;
        const account = aws.getCallerIdentityOutput({}, edge).accountId;
        const partition = aws.getPartitionOutput({}, edge).partition;

        // ---- Alarm topic (us-east-1, where Route 53 and CloudFront metrics and alarms live) ----
        // Alarm payloads name health checks, hosts and regions, no user data: classified global.
        const alarmKey = new aws.kms.Key(
            `${name}-alarms-kms`,
            {
                region: edgeRegion,
                description: `TaskFlow ${env} edge: alarm topic`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                multiRegion: false,
                // The project's least-privilege key policy (components/kms-policy.ts): the account
                // administers the key and may use it only through SNS in us-east-1; CloudWatch
                // alarms may have SNS encrypt their notifications with it.
                policy: pulumi.all([partition, account]).apply(([part, accountId]) =>
                    keyPolicy({
                        partition: part,
                        accountId,
                        services: ["sns"],
                        regions: [edgeRegion],
                        servicePrincipals: [
                            snsPublisherPrincipal("cloudwatch.amazonaws.com", edgeRegion),
                        ],
                    }),
                ),
                tags: residencyTags(GLOBAL, tags),
            },
            edge,
        );
        new aws.kms.Alias(
            `${name}-alarms-kms-alias`,
            {
                region: edgeRegion,
                name: `alias/${t.project}-${env}-edge-alarms`,
                targetKeyId: alarmKey.keyId,
            },
            edge,
        );
        const alarmTopic = new aws.sns.Topic(
            `${name}-alarms`,
            {
                region: edgeRegion,
                name: `${t.project}-${env}-edge-alarms`,
                kmsMasterKeyId: alarmKey.arn,
                tags: residencyTags(GLOBAL, tags),
            },
            edge,
        );
        const alarmActions = [alarmTopic.arn, ...(args.alarmActions ?? [])];

        // ---- Health checks (Route 53 metrics live in us-east-1, so do their alarms) ----------
        const healthChecks: Record<string, aws.route53.HealthCheck> = {};
        for (const r of t.regions) {
            const hc = new aws.route53.HealthCheck(
                `${name}-hc-${r.region}`,
                {
                    type: "HTTPS",
                    fqdn: ep(r.region).healthCheckFqdn,
                    port: 443,
                    resourcePath: ep(r.region).healthCheckPath,
                    enableSni: true,
                    requestInterval: interval,
                    failureThreshold: threshold,
                    regions: checkers,
                    measureLatency: true,
                    tags: {
                        ...tags,
                        region: r.region,
                        Name: `${t.project}-${env}-${r.region}-health`,
                    },
                },
                { parent: this },
            );
            healthChecks[r.region] = hc;
            new aws.cloudwatch.MetricAlarm(
                `${name}-hc-${r.region}-alarm`,
                {
                    region: edgeRegion,
                    alarmDescription: `${r.region} cell unhealthy from Route 53 checkers (${plan.failoverNames[r.region]} is failing over to ${r.failover})`,
                    namespace: "AWS/Route53",
                    metricName: "HealthCheckStatus",
                    dimensions: { HealthCheckId: hc.id },
                    statistic: "Minimum",
                    period: 60,
                    evaluationPeriods: 1,
                    threshold: 1,
                    comparisonOperator: "LessThanThreshold",
                    treatMissingData: "breaching",
                    alarmActions,
                    okActions: alarmActions,
                    tags: { ...tags, region: r.region },
                },
                edge,
            );
        }

        // ---- Per-region failover names ---------------------------------------------------------
        const alb = (region: string, evaluateTargetHealth = true) => [
            { name: ep(region).albDnsName, zoneId: ep(region).albZoneId, evaluateTargetHealth },
        ];
        const failoverRecords: aws.route53.Record[] = [];
        for (const r of t.regions) {
            const [primary, secondary] = plan.failoverPairs[r.region];
            for (const [role, target] of [
                ["PRIMARY", primary],
                ["SECONDARY", secondary],
            ] as const) {
                failoverRecords.push(
                    new aws.route53.Record(
                        `${name}-failover-${r.region}-${role.toLowerCase()}`,
                        {
                            zoneId,
                            name: plan.failoverNames[r.region],
                            type: "A",
                            setIdentifier: `${r.region}-${role.toLowerCase()}`,
                            failoverRoutingPolicies: [{ type: role }],
                            healthCheckId: healthChecks[target].id,
                            aliases: alb(target),
                        },
                        { parent: this },
                    ),
                );
            }
        }

        // ---- Night mode's DNS gates -------------------------------------------------------------
        // The controller publishes TaskFlow/NightMode Drained (1 at night, 0 by day) for each
        // drained region; the alarm turns it into a Route 53 health check on the gate's PRIMARY.
        // Missing data keeps the alarm's state (a metric published once per flip is enough), and
        // an alarm without data yet counts as healthy: the gate is open until a night flip.
        const gateRecords: aws.route53.Record[] = [];
        for (const [region, [gateName, target]] of Object.entries(plan.gates)) {
            const gateAlarm = new aws.cloudwatch.MetricAlarm(
                `${name}-night-gate-${region}`,
                {
                    region: edgeRegion,
                    name: `${t.project}-${env}-night-gate-${region}`,
                    alarmDescription: `Night mode: ${region} is drained (its DNS names answer with ${target}) while in ALARM. Not an incident; the controller sets it.`,
                    namespace: GATE_NAMESPACE,
                    metricName: GATE_METRIC,
                    dimensions: { Environment: env, Region: region },
                    statistic: "Maximum",
                    period: 60,
                    evaluationPeriods: 1,
                    threshold: 1,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    treatMissingData: "ignore",
                    tags: { ...tags, region },
                },
                edge,
            );
            const gateCheck = new aws.route53.HealthCheck(
                `${name}-night-gate-${region}-check`,
                {
                    type: "CLOUDWATCH_METRIC",
                    cloudwatchAlarmName: gateAlarm.name,
                    cloudwatchAlarmRegion: edgeRegion,
                    insufficientDataHealthStatus: "Healthy",
                    tags: { ...tags, region, Name: `${t.project}-${env}-${region}-night-gate` },
                },
                { parent: this },
            );
            for (const [role, alias, check] of [
                ["PRIMARY", plan.failoverNames[region], gateCheck.id],
                ["SECONDARY", plan.failoverNames[target], undefined],
            ] as const) {
                gateRecords.push(
                    new aws.route53.Record(
                        `${name}-gate-${region}-${role.toLowerCase()}`,
                        {
                            zoneId,
                            name: gateName,
                            type: "A",
                            setIdentifier: `${region}-gate-${role.toLowerCase()}`,
                            failoverRoutingPolicies: [{ type: role }],
                            ...(check ? { healthCheckId: check } : {}),
                            aliases: [{ name: alias, zoneId, evaluateTargetHealth: true }],
                        },
                        { parent: this, dependsOn: failoverRecords },
                    ),
                );
            }
        }

        // ---- Resident (EU-only) origin: a simple record, deliberately without failover ----------
        const resident = new aws.route53.Record(
            `${name}-resident`,
            {
                zoneId,
                name: plan.residentName,
                type: "A",
                // No alternative answer exists, so evaluating target health would change nothing:
                // when the residency region is down these requests fail, by design.
                aliases: alb(plan.residencyRegion, false),
            },
            { parent: this },
        );

        // ---- Latency set over every region's failover name ------------------------------------
        const latencyRecords = t.regions.map(
            (r) =>
                new aws.route53.Record(
                    `${name}-latency-${r.region}`,
                    {
                        zoneId,
                        name: plan.latencyName,
                        type: "A",
                        setIdentifier: `latency-${r.region}`,
                        latencyRoutingPolicies: [{ region: r.region }],
                        aliases: [
                            {
                                name: plan.routedNames[r.region],
                                zoneId,
                                evaluateTargetHealth: true,
                            },
                        ],
                    },
                    { parent: this, dependsOn: [...failoverRecords, ...gateRecords] },
                ),
        );

        // ---- Geolocation on the API name -------------------------------------------------------
        for (const g of plan.geo) {
            new aws.route53.Record(
                `${name}-${g.setIdentifier}`,
                {
                    zoneId,
                    name: plan.apiName,
                    type: "A",
                    setIdentifier: g.setIdentifier,
                    geolocationRoutingPolicies: [g.location],
                    aliases: [{ name: g.target, zoneId, evaluateTargetHealth: true }],
                },
                {
                    parent: this,
                    dependsOn: [...failoverRecords, ...gateRecords, ...latencyRecords],
                },
            );
        }

        // ---- Global Accelerator (API in us-west-2) --------------------------------------------
        const accelerator = new aws.globalaccelerator.Accelerator(
            `${name}-accelerator`,
            { name: `${t.project}-${env}`, ipAddressType: "IPV4", enabled: true, tags },
            accel,
        );
        // TCP 443 only. Port 80 is not offered: the ALBs admit GA on 8443 only, so their HTTP
        // redirect listener would be unreachable through the accelerator anyway.
        const listener = new aws.globalaccelerator.Listener(
            `${name}-accelerator-tcp`,
            {
                acceleratorArn: accelerator.id,
                protocol: "TCP",
                clientAffinity: "NONE",
                portRanges: [{ fromPort: 443, toPort: 443 }],
            },
            accel,
        );
        const endpointGroups: Record<string, aws.globalaccelerator.EndpointGroup> = {};
        for (const r of t.regions) {
            endpointGroups[r.region] = new aws.globalaccelerator.EndpointGroup(
                `${name}-accelerator-${r.region}`,
                {
                    listenerArn: listener.id,
                    endpointGroupRegion: r.region,
                    // Clients connect to 443; the ALB serves GA on its own listener, 8443, which
                    // only GA's security group may reach (separate trust domain from CloudFront's 443).
                    portOverrides: [{ listenerPort: 443, endpointPort: GA_ENDPOINT_PORT }],
                    // No health-check settings: for ALB endpoints Global Accelerator ignores them
                    // and uses the load balancer's own target health (the target group's /health
                    // check), so setting them here would only suggest a check that never runs.
                    // https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoint-groups-health-check-options.html
                    trafficDialPercentage: 100,
                    endpointConfigurations: [
                        {
                            endpointId: ep(r.region).albArn,
                            weight: 100,
                            clientIpPreservationEnabled: true,
                        },
                    ],
                },
                // Night mode's controller turns a drained region's dial at runtime; the program
                // must not turn it back. Every other dial is the program's (100): when a region
                // stops being drained, the controller's day flip and its `restore` (night mode
                // removed) reopen the dial, and `pulumi up --refresh` would too.
                plan.gates[r.region]
                    ? { ...accel, ignoreChanges: ["trafficDialPercentage"] }
                    : accel,
            );
        }

        // ---- Certificate for the app name, in us-east-1 ----------------------------------------
        const certificate = new aws.acm.Certificate(
            `${name}-app-cert`,
            {
                region: edgeRegion,
                domainName: plan.appName,
                validationMethod: "DNS",
                keyAlgorithm: "RSA_2048",
                tags,
            },
            edge,
        );
        // ACM's CNAME for app.<domain> is the one the cells' certificates (which also cover
        // app.<domain>) use: written exactly as they write it, and never deleted by this stack.
        const validationRecord = acmValidationRecord(
            `${name}-app-cert-validation`,
            { certificate, domain: plan.appName, zoneId, shared: true },
            { parent: this },
        );
        const validation = new aws.acm.CertificateValidation(
            `${name}-app-cert-validation`,
            {
                region: edgeRegion,
                certificateArn: certificate.arn,
                validationRecordFqdns: [validationRecord.fqdn],
            },
            edge,
        );

        // ---- WAF (CLOUDFRONT scope lives in us-east-1) ----------------------------------------
        const visibility = (metric: string) => ({
            cloudwatchMetricsEnabled: true,
            metricName: metric,
            sampledRequestsEnabled: true,
        });
        const webAcl = new aws.wafv2.WebAcl(
            `${name}-waf`,
            {
                region: edgeRegion,
                scope: "CLOUDFRONT",
                description: `TaskFlow ${env} edge: AWS managed rule groups and a per-IP rate limit`,
                defaultAction: { allow: {} },
                rules: [
                    ...WAF_MANAGED_RULE_GROUPS.map((group, i) => ({
                        name: group,
                        priority: (i + 1) * 10,
                        overrideAction: { none: {} },
                        statement: {
                            managedRuleGroupStatement: { vendorName: "AWS", name: group },
                        },
                        visibilityConfig: visibility(group),
                    })),
                    {
                        name: "rate-limit-per-ip",
                        priority: (WAF_MANAGED_RULE_GROUPS.length + 1) * 10,
                        action: { block: {} },
                        statement: {
                            rateBasedStatement: {
                                limit: args.wafRateLimit ?? 2000,
                                aggregateKeyType: "IP",
                            },
                        },
                        visibilityConfig: visibility("rate-limit-per-ip"),
                    },
                ],
                visibilityConfig: visibility(`${t.project}-${env}-edge`),
                tags,
            },
            edge,
        );

        // ---- Lambda@Edge residency router (us-east-1, replicated to every edge) ---------------
        const role = new aws.iam.Role(
            `${name}-router-role`,
            {
                description: "Lambda@Edge residency router execution role",
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: {
                                Service: ["lambda.amazonaws.com", "edgelambda.amazonaws.com"],
                            },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
                tags,
            },
            { parent: this },
        );
        this.routerConfig = plan.routerConfig;
        const code = bundleResidencyRouter(this.routerConfig);
        // The plan and `pulumi preview` cannot show archive contents; the tag makes a change to the
        // router's code or baked config visible as a diff.
        this.routerCodeSha256 = crypto.createHash("sha256").update(code).digest("hex");
        // Auto-named on purpose. Replicated functions cannot be deleted for hours after CloudFront
        // lets go of them, so the function is never deleted by Pulumi (skipDestroy and
        // retainOnDelete) and outlives a `pulumi destroy`. With a fixed name the next `pulumi up`
        // would then fail with "Function already exist" until someone imported the old function;
        // with a generated name it creates a fresh one and the old one is left to be deleted by
        // hand once its replicas are gone (tags identify it). Same for a replacement.
        // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-edge-delete-replicas.html
        const router = new aws.lambda.Function(
            `${name}-router`,
            {
                region: edgeRegion,
                description: `Pins GDPR viewers to ${plan.residentName}; rejects them elsewhere (fail closed)`,
                runtime: aws.lambda.Runtime.NodeJS22dX,
                architectures: ["x86_64"], // Lambda@Edge runs x86_64 only
                handler: "index.handler",
                code: new pulumi.asset.AssetArchive({
                    "index.js": new pulumi.asset.StringAsset(code),
                }),
                role: role.arn,
                memorySize: 128,
                timeout: 5,
                publish: true, // CloudFront needs a numbered version, never $LATEST
                skipDestroy: true,
                tags: {
                    ...tags,
                    Name: `${t.project}-${env}-residency-router`,
                    "taskflow:code-sha256": this.routerCodeSha256,
                    // What the pack's residency-edge-pin checks the router against: the zone it
                    // pins and the origin it pins to (followed through the stack's records).
                    [ROUTER_ZONE_TAG]: plan.residencyZone,
                    [ROUTER_ORIGIN_TAG]: plan.residentName,
                },
            },
            { ...edge, retainOnDelete: true },
        );
        // Replicas log to `/aws/lambda/us-east-1.<function>` in the region of the edge that ran them,
        // so the region is a wildcard; the account and the log group are not.
        const routerLogs = new aws.iam.RolePolicy(
            `${name}-router-logs`,
            {
                role: role.id,
                // A Lambda function's id is its (generated) name.
                policy: pulumi.all([account, router.id]).apply(([acct, fnName]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "EdgeReplicaLogs",
                                Effect: "Allow",
                                Action: [
                                    "logs:CreateLogGroup",
                                    "logs:CreateLogStream",
                                    "logs:PutLogEvents",
                                ],
                                Resource: [
                                    `arn:aws:logs:*:${acct}:log-group:/aws/lambda/${edgeRegion}.${fnName}`,
                                    `arn:aws:logs:*:${acct}:log-group:/aws/lambda/${edgeRegion}.${fnName}:*`,
                                    `arn:aws:logs:${edgeRegion}:${acct}:log-group:/aws/lambda/${fnName}`,
                                    `arn:aws:logs:${edgeRegion}:${acct}:log-group:/aws/lambda/${fnName}:*`,
                                ],
                            },
                        ],
                    }),
                ),
            },
            { parent: this },
        );

        // ---- CloudFront -------------------------------------------------------------------------
        const originSecret = pulumi.secret(args.originHeaderSecret);
        const apiOriginPolicy = new aws.cloudfront.OriginRequestPolicy(
            `${name}-api-origin`,
            {
                name: `${t.project}-${env}-api-origin`,
                comment:
                    "API: every viewer header, cookie and query string, plus the viewer country",
                headersConfig: {
                    headerBehavior: "allViewerAndWhitelistCloudFront",
                    headers: { items: ["CloudFront-Viewer-Country"] },
                },
                cookiesConfig: { cookieBehavior: "all" },
                queryStringsConfig: { queryStringBehavior: "all" },
            },
            { parent: this },
        );
        const staticOriginPolicy = new aws.cloudfront.OriginRequestPolicy(
            `${name}-static-origin`,
            {
                name: `${t.project}-${env}-static-origin`,
                comment: "Static assets: only the viewer country (for the residency router)",
                headersConfig: {
                    headerBehavior: "whitelist",
                    headers: { items: ["CloudFront-Viewer-Country"] },
                },
                cookiesConfig: { cookieBehavior: "none" },
                queryStringsConfig: { queryStringBehavior: "none" },
            },
            { parent: this },
        );
        const routerAssociation = [
            { eventType: "origin-request", lambdaArn: router.qualifiedArn, includeBody: false },
        ];
        const originId = "api";
        const distribution = new aws.cloudfront.Distribution(
            `${name}-cdn`,
            {
                enabled: true,
                comment: `TaskFlow ${env}: ${plan.appName}`,
                aliases: [plan.appName],
                isIpv6Enabled: true,
                httpVersion: "http2and3",
                priceClass: args.priceClass ?? "PriceClass_All",
                webAclId: webAcl.arn,
                origins: [
                    {
                        originId,
                        domainName: plan.apiName,
                        customOriginConfig: {
                            httpPort: 80,
                            httpsPort: 443,
                            originProtocolPolicy: "https-only",
                            originSslProtocols: ["TLSv1.2"],
                            originReadTimeout: 30,
                            originKeepaliveTimeout: 5,
                        },
                        customHeaders: [{ name: ORIGIN_HEADER_NAME, value: originSecret }],
                    },
                ],
                defaultCacheBehavior: {
                    targetOriginId: originId,
                    viewerProtocolPolicy: "redirect-to-https",
                    allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                    cachedMethods: ["GET", "HEAD"],
                    compress: true,
                    cachePolicyId: MANAGED_CACHE_POLICY.CachingDisabled,
                    originRequestPolicyId: apiOriginPolicy.id,
                    lambdaFunctionAssociations: routerAssociation,
                },
                orderedCacheBehaviors: (args.staticPathPatterns ?? ["/static/*", "/assets/*"]).map(
                    (pathPattern) => ({
                        pathPattern,
                        targetOriginId: originId,
                        viewerProtocolPolicy: "redirect-to-https",
                        allowedMethods: ["GET", "HEAD", "OPTIONS"],
                        cachedMethods: ["GET", "HEAD"],
                        compress: true,
                        cachePolicyId: MANAGED_CACHE_POLICY.CachingOptimized,
                        originRequestPolicyId: staticOriginPolicy.id,
                        lambdaFunctionAssociations: routerAssociation,
                    }),
                ),
                restrictions: { geoRestriction: { restrictionType: "none" } },
                viewerCertificate: {
                    acmCertificateArn: validation.certificateArn,
                    sslSupportMethod: "sni-only",
                    minimumProtocolVersion: "TLSv1.2_2021",
                },
                tags,
            },
            // The router may log from its first request on.
            { parent: this, dependsOn: [routerLogs] },
        );
        for (const type of ["A", "AAAA"]) {
            new aws.route53.Record(
                `${name}-app-${type.toLowerCase()}`,
                {
                    zoneId,
                    name: plan.appName,
                    type,
                    aliases: [
                        {
                            name: distribution.domainName,
                            zoneId: distribution.hostedZoneId,
                            evaluateTargetHealth: false,
                        },
                    ],
                },
                { parent: this },
            );
        }

        this.appHostname = pulumi.output(plan.appName);
        this.apiHostname = pulumi.output(plan.apiName);
        this.failoverHostnames = pulumi.output(plan.failoverNames);
        this.residentHostname = resident.name;
        this.acceleratorDnsName = accelerator.dnsName;
        this.acceleratorIps = accelerator.ipSets.apply((sets) =>
            sets.flatMap((s) => s.ipAddresses ?? []),
        );
        this.distributionId = distribution.id;
        this.distributionDomainName = distribution.domainName;
        this.healthCheckIds = pulumi.all(
            Object.fromEntries(Object.entries(healthChecks).map(([region, hc]) => [region, hc.id])),
        );
        this.originHeaderName = pulumi.output(ORIGIN_HEADER_NAME);
        this.originHeaderSecret = originSecret;
        this.edgeFunctionArn = router.qualifiedArn;
        this.alarmTopicArn = alarmTopic.arn;
        this.endpointGroups = endpointGroups;
        this.registerOutputs({
            appHostname: this.appHostname,
            apiHostname: this.apiHostname,
            failoverHostnames: this.failoverHostnames,
            residentHostname: this.residentHostname,
            acceleratorDnsName: this.acceleratorDnsName,
            acceleratorIps: this.acceleratorIps,
            distributionId: this.distributionId,
            distributionDomainName: this.distributionDomainName,
            healthCheckIds: this.healthCheckIds,
            originHeaderName: this.originHeaderName,
            originHeaderSecret: this.originHeaderSecret,
            edgeFunctionArn: this.edgeFunctionArn,
            alarmTopicArn: this.alarmTopicArn,
            endpointGroupArns: pulumi.all(
                Object.fromEntries(
                    Object.entries(endpointGroups).map(([region, g]) => [region, g.arn]),
                ),
            ),
        });
    }
}
