/**
 * EdgeRouting built from a literal args object: a two-region topology written here (not read
 * from Pulumi.yaml), each region's endpoint given as plain strings.
 */
import { expect } from "chai";
import { EdgeRouting, EdgeRoutingArgs, planEdgeRouting } from "../../../components/edge";
import { Topology } from "../../../model/topology";
import { buildUnderMocks } from "../../helpers/component";
import { T as TYPES } from "../../../policies/types";

/** Short names for the type tokens these specs read, from the pack's one table (policies/types.ts). */
const T = {
    hc: TYPES.healthCheck,
    record: TYPES.route53Record,
    group: TYPES.gaEndpointGroup,
    provider: TYPES.awsProvider,
    fn: TYPES.lambda,
    cdn: TYPES.cloudfront,
    alarm: TYPES.metricAlarm,
};

const TOPOLOGY: Topology = {
    org: "acme",
    project: "taskflow",
    globalStack: "edge",
    domain: "example.org",
    zones: { eu: ["eu-west-1"], us: ["us-east-1"] },
    gdprZone: "eu",
    regions: [
        {
            region: "us-east-1",
            stack: "use1",
            primary: true,
            failover: "eu-west-1",
            zone: "us",
            vpcCidr: "10.1.0.0/16",
            geolocation: { countries: ["US"], continents: [] },
            globalData: true,
        },
        {
            region: "eu-west-1",
            stack: "euw1",
            primary: false,
            failover: "us-east-1",
            zone: "eu",
            vpcCidr: "10.2.0.0/16",
            geolocation: { countries: [], continents: ["EU"] },
            globalData: true,
        },
    ],
};

const endpoint = (region: string) => ({
    albDnsName: `alb.${region}.elb.amazonaws.com`,
    albZoneId: "ZALB",
    albArn: `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/app/a/1`,
    healthCheckFqdn: `${region}.origin.example.org`,
    healthCheckPath: "/health",
});

const BASE: EdgeRoutingArgs = {
    topology: TOPOLOGY,
    regions: { "us-east-1": endpoint("us-east-1"), "eu-west-1": endpoint("eu-west-1") },
    hostedZoneId: "ZLITERAL0001",
    originHeaderSecret: "literal-secret",
};

const build = (args: EdgeRoutingArgs) =>
    buildUnderMocks("us-east-1", () => {
        new EdgeRouting("edge", args);
    });

describe("EdgeRouting from literal args", function () {
    this.timeout(30000);

    it("checks every region's health URL with the default interval, threshold and checkers", async () => {
        const b = await build(BASE);
        const checks = b.ofType(T.hc);
        expect(checks.map((c) => c.inputs.fqdn).sort()).to.deep.equal([
            "eu-west-1.origin.example.org",
            "us-east-1.origin.example.org",
        ]);
        for (const c of checks) {
            expect(c.inputs).to.include({ requestInterval: 10, failureThreshold: 2 });
            expect(c.inputs.regions).to.deep.equal(["us-east-1", "eu-west-1", "ap-northeast-1"]);
        }
    });

    it("derives the resident name from the topology's EU zone when no zone is given", async () => {
        const b = await build(BASE);
        const resident = b.named("edge-resident");
        expect(resident.inputs.name).to.equal("eu-resident.api.example.org");
        expect((resident.inputs.aliases as { name: string }[])[0].name).to.equal(
            "alb.eu-west-1.elb.amazonaws.com",
        );
    });

    it("fails each region over to its topology partner", async () => {
        const b = await build(BASE);
        const secondary = b.named("edge-failover-us-east-1-secondary");
        expect((secondary.inputs.aliases as { name: string }[])[0].name).to.equal(
            "alb.eu-west-1.elb.amazonaws.com",
        );
    });

    it("makes its own us-east-1 and us-west-2 providers and names from prefix taskflow-<env>", async () => {
        const b = await build({ ...BASE, environment: "stage" });
        expect(
            b
                .ofType(T.provider)
                .map((p) => p.inputs.region)
                .sort(),
        ).to.deep.equal(["us-east-1", "us-west-2"]);
        expect(b.named("edge-accelerator").inputs.name).to.equal("taskflow-stage");
        expect(b.named("edge-alarms").inputs.name).to.equal("taskflow-stage-edge-alarms");
    });

    it("takes the health settings, labels and night gates it is given", async () => {
        const b = await build({
            ...BASE,
            edge: { healthCheckIntervalSeconds: 30, healthCheckFailureThreshold: 3 },
            apiLabel: "svc",
            appLabel: "web",
            nightGates: {},
        });
        for (const c of b.ofType(T.hc))
            expect(c.inputs).to.include({ requestInterval: 30, failureThreshold: 3 });
        expect(b.ofType(T.cdn)[0].inputs.aliases).to.deep.equal(["web.example.org"]);
        expect(b.named("edge-resident").inputs.name).to.equal("eu-resident.svc.example.org");
        // No gate without a night target in the zone: eu has only eu-west-1.
        expect(b.ofType(T.group).every((g) => g.options.ignoreChanges.length === 0)).to.equal(true);
    });

    it("refuses a night gate out of the drained region's zone, before registering anything", async () => {
        let err: unknown;
        const b = await buildUnderMocks("us-east-1", () => {
            try {
                new EdgeRouting("edge", { ...BASE, nightGates: { "eu-west-1": "us-east-1" } });
            } catch (e) {
                err = e;
            }
        });
        expect(String(err)).to.match(/nightGates would send eu-west-1's users \(zone eu\)/);
        expect(b.resources).to.deep.equal([]);
    });

    it("names the direct API clients' entry point under the API name, and refuses a label the routing table uses", async () => {
        const b = await build({ ...BASE, apiLabel: "svc", acceleratorLabel: "direct" });
        expect(b.named("edge-accelerator-api").inputs.name).to.equal("direct.svc.example.org");
        for (const taken of ["latency", "eu-west-1", "eu-resident", "Bad_Label"])
            expect(
                () => planEdgeRouting("edge", { ...BASE, acceleratorLabel: taken }),
                taken,
            ).to.throw(/acceleratorLabel .* is not allowed/);
    });
});
