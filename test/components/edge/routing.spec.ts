/** EdgeRouting's routing table, built alone under mocks from the committed and a four-region topology. */
import { expect } from "chai";
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import {
    EdgeRouting,
    EdgeRoutingArgs,
    MANAGED_CACHE_POLICY,
    ORIGIN_HEADER_NAME,
    WAF_MANAGED_RULE_GROUPS,
} from "../../../components/edge";
import { GA_ENDPOINT_PORT } from "../../../components/cell";
import { SHARED_VALIDATION_RECORD } from "../../../components/shared/acm";
import { Topology, validateTopology } from "../../../config";
import { bundleResidencyRouter } from "../../../edge/bundle";
import { GDPR_COUNTRIES } from "../../../edge/residency-router";
import { ALB_ZONE_IDS, RecordedResource, RecordingMocks } from "../../../plan/mocks";
import { baseRawTopology } from "../../helpers/base-topology";
import { repoPlan } from "../../helpers/repo-plan";
import { repoTopology } from "../../helpers/repo-topology";

const ZONE_ID = "Z0123456789ABCDEFGHIJ";

/**
 * The seed's topology (Pulumi.yaml's, cut down to its three regions: test/helpers/base-topology.ts):
 * the component is built from literal args, and its counts must not move when a user adds a region.
 */
function projectTopology(): Topology {
    return validateTopology(baseRawTopology(), "test");
}

/** Test-only fourth region: Sydney, serving Oceania, failing over to Tokyo. */
function fourRegionTopology(): Topology {
    const raw = baseRawTopology();
    raw.zones.au = ["ap-southeast-2"];
    raw.regions.push({
        region: "ap-southeast-2",
        failover: "ap-northeast-1",
        zone: "au",
        vpcCidr: "10.40.0.0/16",
        geolocation: { countries: ["AU", "NZ"], continents: ["OC"] },
        globalData: false,
    });
    return validateTopology(raw, "fixture");
}

/** ALB values as a region stack would export them. */
function albOf(region: string) {
    return {
        albDnsName: `taskflow-alb-${region}-123.${region}.elb.amazonaws.com`,
        albZoneId: ALB_ZONE_IDS[region],
        albArn: `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/app/taskflow-${region}/abc`,
        healthCheckFqdn: `taskflow-alb-${region}-123.${region}.elb.amazonaws.com`,
        healthCheckPath: "/health",
    };
}

const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

/** Where a child of the component was placed, as its parent's transformation saw it. */
interface Placement {
    type: string;
    name: string;
    parent: pulumi.Resource | undefined;
    provider: pulumi.ProviderResource | undefined;
}

interface Run {
    mocks: RecordingMocks;
    edge: EdgeRouting;
    topology: Topology;
    placements: Placement[];
    /** Region of each provider the component created, by provider object. */
    providerRegions: Map<pulumi.ProviderResource, string>;
}

const ORIGIN_SECRET = "secret-from-the-primary-stack";

type ArgsEdit = (a: EdgeRoutingArgs) => EdgeRoutingArgs;

/** Instantiates EdgeRouting alone under the recording mocks, as the global stack would. */
async function runEdge(topology: Topology, edit: ArgsEdit = (a) => a): Promise<Run> {
    const mocks = new RecordingMocks({
        project: "taskflow",
        stack: "global",
        awsRegion: "us-east-1",
    });
    await mocks.install("taskflow");
    const args = edit({
        topology,
        regions: Object.fromEntries(topology.regions.map((r) => [r.region, albOf(r.region)])),
        hostedZoneId: ZONE_ID,
        originHeaderSecret: ORIGIN_SECRET,
    });
    // A transformation on the component sees every child's provider object (the mocks only see
    // a provider reference string).
    const placements: Placement[] = [];
    const providerRegions = new Map<pulumi.ProviderResource, string>();
    const capture: pulumi.ResourceTransformation = (t) => {
        if (t.type === "pulumi:providers:aws")
            providerRegions.set(t.resource as pulumi.ProviderResource, String(t.props.region));
        placements.push({
            type: t.type,
            name: t.name,
            parent: t.opts.parent,
            provider: t.opts.provider,
        });
        return undefined;
    };
    const edge = new EdgeRouting("edge", args, { transformations: [capture] });
    await value(
        pulumi.all([
            edge.distributionId,
            edge.healthCheckIds,
            edge.acceleratorIps,
            edge.edgeFunctionArn,
        ]),
    );

    await (pulumi.runtime as any).waitForRPCs();
    if (mocks.errors.length > 0) throw mocks.errors[0];
    return { mocks, edge, topology, placements, providerRegions };
}

const RECORD = "aws:route53/record:Record";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const ENDPOINT_GROUP = "aws:globalaccelerator/endpointGroup:EndpointGroup";

type Alias = { name: string; zoneId: string; evaluateTargetHealth: boolean };
const aliasOf = (r: RecordedResource): Alias => {
    const a = r.inputs.aliases as Alias[];
    expect(a, `${r.name} has one alias`).to.have.length(1);
    return a[0];
};
const recordsNamed = (m: RecordingMocks, name: string) =>
    m.ofType(RECORD).filter((r) => r.inputs.name === name);

/** Follows alias records inside the zone to the ALB a name finally reaches (healthy case: PRIMARY). */
function healthCheckRegion(m: RecordingMocks, id: unknown): string {
    const hc = m.ofType(HEALTH_CHECK).find((h) => h.id === id);
    expect(hc, `health check ${String(id)} exists`).to.not.equal(undefined);
    return String((hc!.inputs.tags as Record<string, string>)["taskflow:region"]);
}

function routingAssertions(
    label: string,
    get: () => Run,
    expectedInterval: number,
    expectedThreshold: number,
) {
    describe(label, () => {
        it("routes each geolocation code on api.<domain> to its region's failover name", () => {
            const { mocks, topology } = get();
            const geo = recordsNamed(mocks, "api.taskflow.example.com");
            let codes = 0;
            for (const r of topology.regions) {
                const locations = [
                    ...r.geolocation.countries.map((country) => ({ country })),
                    ...r.geolocation.continents.map((continent) => ({ continent })),
                ];
                for (const loc of locations) {
                    codes++;
                    const rec = geo.find(
                        (g) =>
                            JSON.stringify(g.inputs.geolocationRoutingPolicies) ===
                            JSON.stringify([loc]),
                    );
                    expect(rec, `record for ${JSON.stringify(loc)}`).to.not.equal(undefined);
                    expect(aliasOf(rec!).name).to.equal(`${r.region}.api.taskflow.example.com`);
                    expect(aliasOf(rec!).zoneId).to.equal(ZONE_ID);
                    expect(aliasOf(rec!).evaluateTargetHealth).to.equal(true);
                }
            }
            // Every record on the API name is geolocation: the codes plus the default.
            expect(geo).to.have.length(codes + 1);
            expect(geo.every((g) => Array.isArray(g.inputs.geolocationRoutingPolicies))).to.equal(
                true,
            );
        });

        it("sends the default location (*) to a latency set over every region's failover name", () => {
            const { mocks, topology } = get();
            const dflt = recordsNamed(mocks, "api.taskflow.example.com").filter(
                (g) =>
                    JSON.stringify(g.inputs.geolocationRoutingPolicies) ===
                    JSON.stringify([{ country: "*" }]),
            );
            expect(dflt).to.have.length(1);
            const latencyName = aliasOf(dflt[0]).name;
            const latency = recordsNamed(mocks, latencyName);
            expect(
                latency
                    .map((l) => (l.inputs.latencyRoutingPolicies as { region: string }[])[0].region)
                    .sort(),
            ).to.deep.equal(topology.regions.map((r) => r.region).sort());
            for (const l of latency) {
                const region = (l.inputs.latencyRoutingPolicies as { region: string }[])[0].region;
                expect(aliasOf(l).name).to.equal(`${region}.api.taskflow.example.com`);
                expect(
                    l.options.dependsOn.length,
                    "latency records wait for their alias targets",
                ).to.be.greaterThan(0);
            }
        });

        it("gives each region's failover name PRIMARY = its own ALB and SECONDARY = the topology partner's", () => {
            const { mocks, topology } = get();
            for (const r of topology.regions) {
                const recs = recordsNamed(mocks, `${r.region}.api.taskflow.example.com`);
                expect(recs).to.have.length(2);
                const byRole = (role: string) =>
                    recs.find(
                        (x) =>
                            (x.inputs.failoverRoutingPolicies as { type: string }[])[0].type ===
                            role,
                    )!;
                const primary = byRole("PRIMARY");
                const secondary = byRole("SECONDARY");
                expect(aliasOf(primary).name).to.equal(albOf(r.region).albDnsName);
                expect(aliasOf(primary).zoneId).to.equal(ALB_ZONE_IDS[r.region]);
                expect(aliasOf(primary).evaluateTargetHealth).to.equal(true);
                expect(healthCheckRegion(mocks, primary.inputs.healthCheckId)).to.equal(r.region);
                expect(aliasOf(secondary).name).to.equal(albOf(r.failover).albDnsName);
                expect(healthCheckRegion(mocks, secondary.inputs.healthCheckId)).to.equal(
                    r.failover,
                );
            }
        });

        it(`checks every region's /health over HTTPS with SNI every ${expectedInterval}s, unhealthy after ${expectedThreshold} failures, from 3+ checker regions`, async () => {
            const { mocks, topology, edge } = get();
            const ids = await value(edge.healthCheckIds);
            expect(Object.keys(ids).sort()).to.deep.equal(
                topology.regions.map((r) => r.region).sort(),
            );
            for (const r of topology.regions) {
                const hc = mocks.ofType(HEALTH_CHECK).find((h) => h.id === ids[r.region])!;
                expect(hc.inputs).to.include({
                    type: "HTTPS",
                    fqdn: albOf(r.region).healthCheckFqdn,
                    port: 443,
                    resourcePath: "/health",
                    enableSni: true,
                    requestInterval: expectedInterval,
                    failureThreshold: expectedThreshold,
                });
                expect((hc.inputs.regions as string[]).length).to.be.at.least(3);
                const alarm = mocks.named(`edge-hc-${r.region}-alarm`);
                expect(alarm.region, "Route 53 metrics exist only in us-east-1").to.equal(
                    "us-east-1",
                );
                expect(alarm.inputs).to.include({
                    namespace: "AWS/Route53",
                    metricName: "HealthCheckStatus",
                });
                expect(alarm.inputs.dimensions).to.deep.equal({ HealthCheckId: ids[r.region] });
                // Somebody hears it: the component's own (CMK-encrypted) edge alarm topic.
                const topicArn = await value(edge.alarmTopicArn);
                expect(alarm.inputs.alarmActions).to.deep.equal([topicArn]);
                expect(alarm.inputs.okActions).to.deep.equal([topicArn]);
            }
        });

        it(`puts one Global Accelerator endpoint group per region on its ALB's port ${GA_ENDPOINT_PORT}, via the us-west-2 API, dial ignored`, () => {
            const { mocks, topology } = get();
            const groups = mocks.ofType(ENDPOINT_GROUP);
            expect(groups.map((g) => g.inputs.endpointGroupRegion).sort()).to.deep.equal(
                topology.regions.map((r) => r.region).sort(),
            );
            for (const g of groups) {
                const region = String(g.inputs.endpointGroupRegion);
                expect(g.providerRegion).to.equal("us-west-2");
                expect(g.inputs.endpointConfigurations).to.deep.equal([
                    {
                        endpointId: albOf(region).albArn,
                        weight: 100,
                        clientIpPreservationEnabled: true,
                    },
                ]);
                // Clients connect to 443; the ALB serves GA on its own port (own trust domain).
                expect(g.inputs.portOverrides).to.deep.equal([
                    { listenerPort: 443, endpointPort: GA_ENDPOINT_PORT },
                ]);
                // For ALB endpoints GA ignores endpoint-group health-check settings and uses the
                // ALB's target health, so none is set (setting one would suggest a check that
                // never runs).
                expect(g.inputs).to.not.have.any.keys(
                    "healthCheckPath",
                    "healthCheckPort",
                    "healthCheckProtocol",
                    "healthCheckIntervalSeconds",
                    "thresholdCount",
                );
                // Without night mode nothing moves the dial at runtime: the program owns it.
                expect(g.options.ignoreChanges).to.not.include("trafficDialPercentage");
            }
        });
    });
}

describe("components/edge-routing", () => {});

describe("with the committed three-region topology", () => {
    let run: Run;
    before(async () => {
        run = await runEdge(projectTopology());
    });
    routingAssertions("routing table", () => run, 10, 2);

    it("maps JP → ap-northeast-1, US → us-east-1, EU and GB → eu-west-1 (seed 000)", () => {
        const geo = recordsNamed(run.mocks, "api.taskflow.example.com");
        const target = (loc: object) =>
            aliasOf(
                geo.find(
                    (g) =>
                        JSON.stringify(g.inputs.geolocationRoutingPolicies) ===
                        JSON.stringify([loc]),
                )!,
            ).name;
        expect(target({ country: "JP" })).to.equal("ap-northeast-1.api.taskflow.example.com");
        expect(target({ country: "US" })).to.equal("us-east-1.api.taskflow.example.com");
        expect(target({ continent: "EU" })).to.equal("eu-west-1.api.taskflow.example.com");
        expect(target({ country: "GB" })).to.equal("eu-west-1.api.taskflow.example.com");
    });

    it("fails over ap→us, us→eu, eu→us for global traffic", () => {
        const secondaryOf = (region: string) =>
            aliasOf(
                recordsNamed(run.mocks, `${region}.api.taskflow.example.com`).find(
                    (x) =>
                        (x.inputs.failoverRoutingPolicies as { type: string }[])[0].type ===
                        "SECONDARY",
                )!,
            ).name;
        expect(secondaryOf("ap-northeast-1")).to.equal(albOf("us-east-1").albDnsName);
        expect(secondaryOf("us-east-1")).to.equal(albOf("eu-west-1").albDnsName);
        expect(secondaryOf("eu-west-1")).to.equal(albOf("us-east-1").albDnsName);
    });

    it("keeps the EU-only origin name on eu-west-1's ALB with no failover", () => {
        const recs = recordsNamed(run.mocks, "eu-resident.api.taskflow.example.com");
        expect(recs).to.have.length(1);
        expect(aliasOf(recs[0]).name).to.equal(albOf("eu-west-1").albDnsName);
        expect(recs[0].inputs.failoverRoutingPolicies).to.equal(undefined);
        expect(recs[0].inputs.setIdentifier).to.equal(undefined);
        // No name that can answer with a non-EU ALB is the resident name.
        const nonEuAlbs = ["us-east-1", "ap-northeast-1"].map((r) => albOf(r).albDnsName);
        expect(nonEuAlbs).to.not.include(aliasOf(recs[0]).name);
    });

    it("creates the Lambda@Edge router in us-east-1: published, x86_64, auto-named, skipped and retained on delete, config baked", () => {
        const fn = run.mocks.named("edge-router");
        expect(fn.region).to.equal("us-east-1");
        expect(fn.providerRegion).to.equal("us-east-1");
        expect(fn.inputs).to.include({
            publish: true,
            skipDestroy: true,
            handler: "index.handler",
        });
        // No fixed name: a function left behind by a destroy (retained) cannot block the
        // next create.
        expect(fn.inputs.name).to.equal(undefined);
        expect((fn.inputs.tags as Record<string, string>).Name).to.equal(
            "taskflow-prod-residency-router",
        );
        expect(fn.inputs.environment).to.equal(undefined);
        expect(fn.options.retainOnDelete).to.equal(true);
        // The mocks cannot see archive contents; the code hash tag identifies the bundle.
        expect(run.edge.routerConfig).to.deep.equal({
            residencyRegion: "eu-west-1",
            residentOrigin: "eu-resident.api.taskflow.example.com",
            routedOrigins: ["api.taskflow.example.com"],
            countries: [...GDPR_COUNTRIES],
        });
        const expected = crypto
            .createHash("sha256")
            .update(bundleResidencyRouter(run.edge.routerConfig))
            .digest("hex");
        expect((fn.inputs.tags as Record<string, string>)["taskflow:code-sha256"]).to.equal(
            expected,
        );
    });

    it("trusts the router role to lambda and edgelambda only and scopes its logging to its own log groups", () => {
        const role = run.mocks.named("edge-router-role");
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
        expect(trust.Statement[0].Principal.Service).to.have.members([
            "lambda.amazonaws.com",
            "edgelambda.amazonaws.com",
        ]);
        const policy = JSON.parse(String(run.mocks.named("edge-router-logs").inputs.policy));
        const fnName = String(run.mocks.named("edge-router").id);
        for (const s of policy.Statement) {
            for (const a of [s.Action].flat()) expect(a).to.not.contain("*");
            for (const r of [s.Resource].flat()) expect(r).to.contain(`/aws/lambda/`);
            for (const r of [s.Resource].flat())
                expect(r).to.match(new RegExp(`${fnName}(:\\*)?$`));
        }
    });

    it("issues the app certificate in us-east-1, DNS-validated in the existing zone", () => {
        const cert = run.mocks.named("edge-app-cert", "aws:acm/certificate:Certificate");
        expect(cert.region).to.equal("us-east-1");
        expect(cert.inputs).to.include({
            domainName: "app.taskflow.example.com",
            validationMethod: "DNS",
        });
        const rec = run.mocks.named("edge-app-cert-validation", RECORD);
        expect(rec.inputs.zoneId).to.equal(ZONE_ID);
        expect(String(rec.inputs.name)).to.match(/^_[0-9a-f]+\.app\.taskflow\.example\.com\.$/);
        // The cells' certificates use the same CNAME: written like they write it, kept on delete.
        expect(rec.inputs).to.include({
            ttl: SHARED_VALIDATION_RECORD.ttl,
            allowOverwrite: SHARED_VALIDATION_RECORD.allowOverwrite,
        });
        expect(rec.options.retainOnDelete).to.equal(SHARED_VALIDATION_RECORD.retainOnDelete);
        const validation = run.mocks.named(
            "edge-app-cert-validation",
            "aws:acm/certificateValidation:CertificateValidation",
        );
        expect(validation.region).to.equal("us-east-1");
        expect(validation.inputs.validationRecordFqdns).to.deep.equal([rec.inputs.name]);
    });

    it("fronts app.<domain> with CloudFront: HTTPS-only TLSv1.2 origin api.<domain>, secret origin header, WAF, router on origin requests", async () => {
        const cdn = run.mocks.named("edge-cdn");
        const i = cdn.inputs as Record<string, any>;
        expect(i.aliases).to.deep.equal(["app.taskflow.example.com"]);
        expect(i.origins).to.have.length(1);
        expect(i.origins[0].domainName).to.equal("api.taskflow.example.com");
        expect(i.origins[0].customOriginConfig).to.include({
            originProtocolPolicy: "https-only",
        });
        expect(i.origins[0].customOriginConfig.originSslProtocols).to.deep.equal(["TLSv1.2"]);
        expect(i.origins[0].customOriginConfig.httpsPort).to.equal(443);
        expect(i.origins[0].customHeaders).to.deep.equal([
            { name: ORIGIN_HEADER_NAME, value: ORIGIN_SECRET },
        ]);
        expect(cdn.secretPaths.some((p) => p.startsWith("origins"))).to.equal(true);
        expect(await pulumi.isSecret(run.edge.originHeaderSecret)).to.equal(true);
        const fnArn = await value(run.edge.edgeFunctionArn);
        expect(fnArn).to.match(/:function:edge-router-[0-9a-f]+:\d+$/);
        expect(i.defaultCacheBehavior.cachePolicyId).to.equal(MANAGED_CACHE_POLICY.CachingDisabled);
        expect(i.defaultCacheBehavior.lambdaFunctionAssociations).to.deep.equal([
            { eventType: "origin-request", lambdaArn: fnArn, includeBody: false },
        ]);
        // Static paths cache per viewer country, the router's input (cache-residency.spec.ts).
        const staticCache = run.mocks.named("edge-static-cache").id;
        expect(i.orderedCacheBehaviors.map((b: any) => b.cachePolicyId)).to.deep.equal([
            staticCache,
            staticCache,
        ]);
        expect(i.viewerCertificate.acmCertificateArn).to.equal(
            run.mocks.named("edge-app-cert", "aws:acm/certificate:Certificate").id,
        );
        expect(i.viewerCertificate.minimumProtocolVersion).to.equal("TLSv1.2_2021");
        const waf = run.mocks.named("edge-waf");
        expect(waf.region).to.equal("us-east-1");
        expect(waf.inputs.scope).to.equal("CLOUDFRONT");
        expect(i.webAclId).to.equal(waf.outputs.arn ?? waf.inputs.arn);
        const groups = (waf.inputs.rules as any[])
            .map((r) => r.statement.managedRuleGroupStatement?.name)
            .filter(Boolean);
        expect(groups).to.deep.equal([...WAF_MANAGED_RULE_GROUPS]);
    });

    it("forwards the viewer country to the origin so the router can read it", () => {
        // API: through its origin request policy; static paths: through the cache key, whose
        // headers CloudFront forwards to the origin.
        const api = run.mocks.named("edge-api-origin").inputs as Record<string, any>;
        expect(api.headersConfig.headers.items).to.include("CloudFront-Viewer-Country");
        const key = run.mocks.named("edge-static-cache").inputs as Record<string, any>;
        expect(key.parametersInCacheKeyAndForwardedToOrigin.headersConfig.headers.items).to.include(
            "CloudFront-Viewer-Country",
        );
    });

    it("exports the hostnames, accelerator DNS name and static IPs; the accelerator listens on TCP 443 only", async () => {
        expect(await value(run.edge.appHostname)).to.equal("app.taskflow.example.com");
        expect(await value(run.edge.apiHostname)).to.equal("api.taskflow.example.com");
        expect(await value(run.edge.acceleratorDnsName)).to.match(/\.awsglobalaccelerator\.com$/);
        const ips = await value(run.edge.acceleratorIps);
        expect(ips).to.have.length(2);
        for (const ip of ips) expect(ip).to.match(/^\d+\.\d+\.\d+\.\d+$/);
        const listener = run.mocks.named("edge-accelerator-tcp");
        expect(listener.providerRegion).to.equal("us-west-2");
        expect(listener.inputs.protocol).to.equal("TCP");
        expect(listener.inputs.portRanges).to.deep.equal([{ fromPort: 443, toPort: 443 }]);
    });
});

describe("with a four-region test topology and non-default health-check settings", () => {
    let run: Run;
    before(async () => {
        run = await runEdge(fourRegionTopology(), (a) => ({
            ...a,
            edge: { healthCheckIntervalSeconds: 30, healthCheckFailureThreshold: 3 },
            originHeaderSecret: "secret-from-the-primary-stack",
        }));
    });
    routingAssertions("routing table", () => run, 30, 3);

    it("sends the origin secret given from upstream, never one of its own, as a secret", async () => {
        expect(run.mocks.ofType("random:index/randomPassword:RandomPassword")).to.deep.equal([]);
        const headers = (run.mocks.named("edge-cdn").inputs.origins as any[])[0].customHeaders;
        expect(headers).to.deep.equal([
            { name: ORIGIN_HEADER_NAME, value: "secret-from-the-primary-stack" },
        ]);
        expect(await pulumi.isSecret(run.edge.originHeaderSecret)).to.equal(true);
    });

    it("adds the new region's health check, failover name, latency record and endpoint group", () => {
        const m = run.mocks;
        expect(m.ofType(HEALTH_CHECK)).to.have.length(4);
        expect(m.named("edge-hc-ap-southeast-2").inputs.fqdn).to.equal(
            albOf("ap-southeast-2").healthCheckFqdn,
        );
        expect(recordsNamed(m, "ap-southeast-2.api.taskflow.example.com")).to.have.length(2);
        expect(m.named("edge-latency-ap-southeast-2").inputs.latencyRoutingPolicies).to.deep.equal([
            { region: "ap-southeast-2" },
        ]);
        expect(m.named("edge-accelerator-ap-southeast-2").inputs.endpointGroupRegion).to.equal(
            "ap-southeast-2",
        );
    });
});

it("is wired into the global stack's offline plan, fed by every region stack's planned ALB outputs", async () => {
    const planned = await repoPlan();
    const global = planned.find((p) => p.plan.stack === "global")!.plan;
    const component = global.resources.filter((r) => r.type === "taskflow:edge:EdgeRouting");
    expect(component).to.have.length(1);
    for (const r of repoTopology().regions) {
        const region = planned.find((p) => p.plan.stack === r.stack)!.outputs as Record<
            string,
            string
        >;
        const primary = global.resources.find(
            (x) => x.name === `edge-failover-${r.region}-primary`,
        )!;
        expect((primary.inputs.aliases as Alias[])[0].name).to.equal(region.albDnsName);
        expect(primary.parent).to.equal(component[0].urn);
        const group = global.resources.find((x) => x.name === `edge-accelerator-${r.region}`)!;
        expect((group.inputs.endpointConfigurations as any[])[0].endpointId).to.equal(
            region.albArn,
        );
    }
    expect(global.outputs.originHeaderName).to.equal(ORIGIN_HEADER_NAME);
    expect(global.outputs.appHostname).to.equal("app.taskflow.example.com");
});
