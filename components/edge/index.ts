/**
 * EdgeRouting: how a user reaches the nearest healthy cell (global stack). Route 53 routing
 * (geolocation → latency → failover, with health checks), Global Accelerator, CloudFront with WAF
 * and the Lambda@Edge residency router, and the ACM certificate in us-east-1, all built from the
 * topology alone (plan.ts draws the routing table). Residency and failover, origin protection
 * and the secret's rotation: docs/architecture.md, "EdgeRouting".
 *
 * Lambda@Edge functions, CloudFront certificates and CLOUDFRONT-scope WAF ACLs exist only in
 * us-east-1, and Global Accelerator's API only in us-west-2. The component creates its own two
 * providers (children of the component) from those region names, refuses any other placement a
 * caller asks for before registering anything, and also pins the regional children with the v7
 * per-resource `region` input.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResidencyRouterConfig } from "../../edge/residency-router";
import { namePrefix } from "../../model/naming";
import { componentTags } from "../../model/tags";
import { withResidencyCheck } from "../shared/residency";
import { accelerator } from "./accelerator";
import { edgeAlarmTopic } from "./alarm-topic";
import { EdgeRoutingArgs } from "./args";
import { appCertificate, distribution, webAcl } from "./cdn";
import { ORIGIN_HEADER_NAME } from "./constants";
import { EdgeContext, edgeProviders } from "./context";
import { apiRecords } from "./dns";
import { healthChecks } from "./health-checks";
import { planEdgeRouting } from "./plan";
import { edgeLogs } from "./logs";
import { residencyRouter } from "./router";

export * from "./args";
export * from "./constants";
export * from "./plan";
export { edgeResidencyOf, type EdgeResidency } from "../../model/edge-residency";

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
    /** `accel.api.<domain>`: the direct API clients' name (Global Accelerator's static IPs). */
    public readonly acceleratorHostname: pulumi.Output<string>;
    /** The accelerator's static anycast IPv4 addresses. */
    public readonly acceleratorIps: pulumi.Output<string[]>;
    public readonly distributionId: pulumi.Output<string>;
    public readonly distributionDomainName: pulumi.Output<string>;
    /** Region → Route 53 health-check id. */
    public readonly healthCheckIds: pulumi.Output<Record<string, string>>;
    /** Night mode's gated regions → their gate's Route 53 health-check id. */
    public readonly gateHealthCheckIds: pulumi.Output<Record<string, string>>;
    /** Name of the header CloudFront sends to the origins. */
    public readonly originHeaderName: pulumi.Output<string>;
    /** Value of that header (secret). */
    public readonly originHeaderSecret: pulumi.Output<string>;
    /** Qualified ARN (numbered version) of the Lambda@Edge function. */
    public readonly edgeFunctionArn: pulumi.Output<string>;
    /** The edge alarms' SNS topic (us-east-1, CMK-encrypted); subscribe operators to it. */
    public readonly alarmTopicArn: pulumi.Output<string>;
    /** Names of the health-check alarms (edge region), by region. */
    public readonly healthAlarmNames: pulumi.Output<Record<string, string>>;
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
            withResidencyCheck(opts, Object.keys(args.topology.zones)),
        );
        const ctx = edgeContext(name, this, args, plan);

        const topic = edgeAlarmTopic(ctx);
        const { checks, alarmNames } = healthChecks(ctx, [topic.arn, ...(args.alarmActions ?? [])]);
        const records = apiRecords(ctx, checks);
        const ga = accelerator(ctx);
        const certificateArn = appCertificate(ctx);
        const acl = webAcl(ctx);
        const router = residencyRouter(ctx);
        const originSecret = pulumi.secret(args.originHeaderSecret);
        const cdn = distribution(ctx, { certificateArn, webAcl: acl, router, originSecret });
        edgeLogs(ctx, { distribution: cdn, webAcl: acl, alarmTopicArn: topic.arn });

        this.appHostname = pulumi.output(plan.appName);
        this.apiHostname = pulumi.output(plan.apiName);
        this.failoverHostnames = pulumi.output(plan.failoverNames);
        this.residentHostname = records.resident.name;
        this.acceleratorDnsName = ga.accelerator.dnsName;
        this.acceleratorHostname = pulumi.output(plan.acceleratorApiName);
        this.acceleratorIps = ga.accelerator.ipSets.apply((sets) =>
            sets.flatMap((s) => s.ipAddresses ?? []),
        );
        this.distributionId = cdn.id;
        this.distributionDomainName = cdn.domainName;
        this.healthCheckIds = pulumi.all(
            Object.fromEntries(Object.entries(checks).map(([region, hc]) => [region, hc.id])),
        );
        this.gateHealthCheckIds = pulumi.all(
            Object.fromEntries(
                Object.entries(records.gateChecks).map(([region, hc]) => [region, hc.id]),
            ),
        );
        this.originHeaderName = pulumi.output(ORIGIN_HEADER_NAME);
        this.originHeaderSecret = originSecret;
        this.edgeFunctionArn = router.fn.qualifiedArn;
        this.alarmTopicArn = topic.arn;
        this.healthAlarmNames = alarmNames;
        this.endpointGroups = ga.endpointGroups;
        this.routerConfig = plan.routerConfig;
        this.routerCodeSha256 = router.codeSha256;
        this.registerOutputs({
            appHostname: this.appHostname,
            apiHostname: this.apiHostname,
            failoverHostnames: this.failoverHostnames,
            residentHostname: this.residentHostname,
            acceleratorDnsName: this.acceleratorDnsName,
            acceleratorHostname: this.acceleratorHostname,
            acceleratorIps: this.acceleratorIps,
            distributionId: this.distributionId,
            distributionDomainName: this.distributionDomainName,
            healthCheckIds: this.healthCheckIds,
            gateHealthCheckIds: this.gateHealthCheckIds,
            originHeaderName: this.originHeaderName,
            originHeaderSecret: this.originHeaderSecret,
            edgeFunctionArn: this.edgeFunctionArn,
            alarmTopicArn: this.alarmTopicArn,
            healthAlarmNames: this.healthAlarmNames,
            endpointGroupArns: pulumi.all(
                Object.fromEntries(
                    Object.entries(ga.endpointGroups).map(([region, g]) => [region, g.arn]),
                ),
            ),
        });
    }
}

function edgeContext(
    name: string,
    parent: pulumi.ComponentResource,
    args: EdgeRoutingArgs,
    plan: ReturnType<typeof planEdgeRouting>,
): EdgeContext {
    const environment = args.environment ?? "prod";
    const providers = edgeProviders(name, parent, plan, args.providerSettings);
    return {
        name,
        parent,
        args,
        plan,
        environment,
        prefix: namePrefix(environment),
        tags: componentTags(environment, "edge-routing"),
        ...providers,
        zoneId: args.hostedZoneId,
        account: aws.getCallerIdentityOutput({}, providers.edge).accountId,
        partition: aws.getPartitionOutput({}, providers.edge).partition,
    };
}
