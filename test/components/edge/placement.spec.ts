/** EdgeRouting places its children with its own providers, and refuses bad placement or input before registering anything. */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { EdgeRouting, EdgeRoutingArgs } from "../../../components/edge";
import { Topology, validateTopology } from "../../../config";
import { ALB_ZONE_IDS, RecordingMocks } from "../../../plan/mocks";
import { baseRawTopology } from "../../helpers/base-topology";

const ZONE_ID = "Z0123456789ABCDEFGHIJ";

/**
 * The seed's topology (Pulumi.yaml's, cut down to its three regions: test/helpers/base-topology.ts),
 * so the counts below do not move when a user adds a region.
 */
function projectTopology(): Topology {
    return validateTopology(baseRawTopology(), "test");
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

describe("places every child with the component's own providers", () => {
    let run: Run;
    before(async () => {
        run = await runEdge(projectTopology());
    });
    const placed = (type: string) => run.placements.filter((p) => p.type === type);
    const regionOf = (p: Placement) =>
        p.provider ? run.providerRegions.get(p.provider) : undefined;

    it("creates exactly two providers, us-east-1 and us-west-2, as children of the component", () => {
        const providers = placed("pulumi:providers:aws");
        expect(providers).to.have.length(2);
        expect([...run.providerRegions.values()].sort()).to.deep.equal(["us-east-1", "us-west-2"]);
        for (const p of providers) expect(p.parent).to.equal(run.edge);
        // The mocks agree: both are children of the component, with those regions.
        const component = run.mocks.ofType("taskflow:edge:EdgeRouting")[0].urn;
        const recorded = run.mocks.ofType("pulumi:providers:aws");
        expect(recorded.map((r) => [r.parent, r.inputs.region]).sort()).to.deep.equal([
            [component, "us-east-1"],
            [component, "us-west-2"],
        ]);
    });

    it("puts every Global Accelerator resource on the us-west-2 provider", () => {
        const ga = run.placements.filter((p) => p.type.startsWith("aws:globalaccelerator/"));
        expect(ga.map((p) => p.type).sort()).to.deep.equal([
            "aws:globalaccelerator/accelerator:Accelerator",
            ...Array(3).fill("aws:globalaccelerator/endpointGroup:EndpointGroup"),
            "aws:globalaccelerator/listener:Listener",
        ]);
        for (const p of ga) expect(regionOf(p), p.name).to.equal("us-west-2");
    });

    it("puts ACM, Lambda@Edge, WAF, the alarms and their topic and key on the us-east-1 provider, pinned by region too", () => {
        const types = [
            "aws:acm/certificate:Certificate",
            "aws:acm/certificateValidation:CertificateValidation",
            "aws:lambda/function:Function",
            "aws:wafv2/webAcl:WebAcl",
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "aws:sns/topic:Topic",
            "aws:kms/key:Key",
        ];
        for (const type of types) {
            const ps = placed(type);
            expect(ps, type).to.not.be.empty;
            for (const p of ps) expect(regionOf(p), `${type} ${p.name}`).to.equal("us-east-1");
            for (const r of run.mocks.ofType(type)) {
                expect(r.inputs.region, `${type} ${r.name}`).to.equal("us-east-1");
                expect(r.region, `${type} ${r.name}`).to.equal("us-east-1");
            }
        }
    });

    it("sends the edge alarms to an SNS topic encrypted with a rotating, globally classified CMK that CloudWatch alarms of this account and region may use", () => {
        const key = run.mocks.named("edge-alarms-kms");
        expect(key.inputs).to.include({ enableKeyRotation: true, multiRegion: false });
        expect((key.inputs.tags as Record<string, string>)["data-residency"]).to.equal("global");
        const policy = JSON.parse(String(key.inputs.policy));
        const cw = policy.Statement.find(
            (s: any) => s.Principal?.Service === "cloudwatch.amazonaws.com",
        );
        expect(cw.Action).to.have.members(["kms:Decrypt", "kms:GenerateDataKey"]);
        const account = String(key.outputs.arn).split(":")[4];
        // AWS's documented statement: no kms:ViaService, narrowed to the account's alarms
        // (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
        expect(cw.Condition).to.deep.equal({
            StringEquals: { "aws:SourceAccount": account },
            ArnLike: {
                "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${account}:alarm:*`,
            },
        });
        // The account uses the key only through SNS, here; no statement allows kms:*.
        const actions = policy.Statement.flatMap((st: any) => [st.Action].flat());
        expect(actions).to.not.include("kms:*");
        const use = policy.Statement.find((st: any) => st.Sid === "UseOnlyThroughServices");
        expect(use.Condition.StringEquals["kms:ViaService"]).to.deep.equal([
            "sns.us-east-1.amazonaws.com",
        ]);
        const topic = run.mocks.named("edge-alarms", "aws:sns/topic:Topic");
        expect(topic.inputs.kmsMasterKeyId).to.equal(key.outputs.arn);
        const alarms = run.mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
        expect(alarms).to.have.length(3);
        for (const a of alarms)
            expect(a.inputs.alarmActions, a.name).to.deep.equal([topic.outputs.arn]);
    });
});

describe("refuses a bad placement or input before registering anything", () => {
    let mocks: RecordingMocks;
    const base = (topology: Topology): EdgeRoutingArgs => ({
        topology,
        regions: Object.fromEntries(topology.regions.map((r) => [r.region, albOf(r.region)])),
        hostedZoneId: ZONE_ID,
        originHeaderSecret: ORIGIN_SECRET,
    });
    before(async () => {
        mocks = new RecordingMocks({
            project: "taskflow",
            stack: "global",
            awsRegion: "us-east-1",
        });
        await mocks.install("taskflow");
    });
    const refuses = (label: string, edit: ArgsEdit, message: RegExp) =>
        it(label, async () => {
            const args = edit(base(projectTopology()));

            await (pulumi.runtime as any).waitForRPCs();
            const before = mocks.resources.length;
            expect(() => new EdgeRouting("bad", args)).to.throw(message);

            await (pulumi.runtime as any).waitForRPCs();
            expect(mocks.resources.slice(before).map((r) => r.type)).to.deep.equal([]);
        });

    refuses(
        "puts the Lambda@Edge function and the CloudFront certificate nowhere but us-east-1",
        (a) => ({ ...a, edgeRegion: "eu-west-1" }),
        /edgeRegion is "eu-west-1".*Lambda@Edge.*only be created in us-east-1/,
    );
    refuses(
        "uses the Global Accelerator API in us-west-2 only",
        (a) => ({ ...a, acceleratorRegion: "us-east-1" }),
        /acceleratorRegion is "us-east-1".*only served from us-west-2/,
    );
    refuses(
        "needs ALB values for every topology region",
        (a) => ({
            ...a,
            regions: { "us-east-1": albOf("us-east-1"), "eu-west-1": albOf("eu-west-1") },
        }),
        /missing: ap-northeast-1/,
    );
    refuses(
        "pins residency only to a zone with exactly one region",
        (a) => ({ ...a, residency: { zone: "us" } }),
        /residency.zone "us" must name a topology zone with exactly one region/,
    );
    refuses(
        "refuses a residency country list that is not ISO codes",
        (a) => ({ ...a, residency: { countries: ["DE", "Germany"] } }),
        /residency: invalid residency router config: countries/,
    );
    refuses(
        "never gates a region's users to a region their zone does not allow",
        (a) => ({ ...a, nightGates: { "eu-west-1": "us-east-1" } }),
        /nightGates would send eu-west-1's users \(zone eu\) to us-east-1, which zone eu does not allow/,
    );
    refuses(
        "needs at least three health-checker regions",
        (a) => ({ ...a, healthCheckerRegions: ["us-east-1", "eu-central-1"] }),
        /healthCheckerRegions .* at least 3 distinct/,
    );
});
