/** EdgeRouting on the planned global stack, fed by the planned region stacks. */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ORIGIN_HEADER_NAME } from "../../../components/edge";
import { CLOUDFRONT_PREFIX_LIST, GA_ENDPOINT_PORT } from "../../../components/cell";
import { SHARED_VALIDATION_RECORD } from "../../../components/shared/acm";
import { Topology, validateTopology } from "../../../config";
import { RecordedResource } from "../../../plan/mocks";
import { ROUTER_ORIGIN_TAG, ROUTER_ZONE_TAG } from "../../../policies/edge";
import { repoPlan } from "../../helpers/repo-plan";
import { repoDrainedRegions, repoNightRoles } from "../../helpers/repo-topology";

const ROOT = path.resolve(__dirname, "..", "..", "..");
/** The committed topology, exactly as Pulumi.yaml declares it. */
function projectTopology(): Topology {
    const doc = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    return validateTopology(doc.config["taskflow:topology"].value, "test");
}

const RECORD = "aws:route53/record:Record";

describe("on the planned stacks", () => {
    type Planned = Awaited<ReturnType<typeof repoPlan>>;
    let planned: Planned;
    const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    before(async () => {
        planned = await repoPlan();
    });
    const stack = (name: string) => planned.find((p) => p.plan.stack === name)!;
    const global = () => planned.find((p) => p.config.role === "global")!;
    const regionStacks = () => planned.filter((p) => p.config.role !== "global");

    it("sends CloudFront the origin secret the primary stack generated, the one every ALB requires", () => {
        const primary = planned.find((p) => p.config.role === "primary")!;
        const secret = primary.outputs.originVerifySecret;
        expect(secret).to.be.a("string").and.not.empty;
        expect(primary.plan.outputs.originVerifySecret).to.equal("[secret]");
        const cdn = global().mocks.named("edge-cdn");
        expect((cdn.inputs.origins as any[])[0].customHeaders).to.deep.equal([
            { name: ORIGIN_HEADER_NAME, value: secret },
        ]);
        expect(cdn.secretPaths.some((p) => p.startsWith("origins"))).to.equal(true);
        expect(global().plan.outputs).to.not.have.any.keys("originHeaderSecret");
        expect(global().mocks.ofType("random:index/randomPassword:RandomPassword")).to.be.empty;
        for (const p of regionStacks()) {
            const rule = p.mocks.named("cell-https-origin-verify");
            expect(JSON.stringify(rule.inputs.conditions), p.plan.stack).to.contain(String(secret));
        }
    });

    it("admits each endpoint group's GA security group on 8443 in that region's ALB group, after the group", () => {
        const g = global();
        const groups = g.mocks.ofType("aws:globalaccelerator/endpointGroup:EndpointGroup");
        const rules = g.mocks.ofType(INGRESS);
        expect(groups).to.have.length(regionStacks().length);
        expect(rules).to.have.length(groups.length);
        for (const group of groups) {
            const region = String(group.inputs.endpointGroupRegion);
            const cell = regionStacks().find((p) => p.config.awsRegion === region)!;
            const out = cell.outputs as Record<string, string>;
            const matching = rules.filter((r) => r.region === region);
            expect(matching, region).to.have.length(1);
            const rule = matching[0];
            const gaSg = g.mocks.call({
                token: "aws:ec2/getSecurityGroup:getSecurityGroup",
                inputs: { name: "GlobalAccelerator", vpcId: out.vpcId, region },
                provider: "",
            } as never);
            expect(rule.inputs).to.include({
                securityGroupId: out.edgeSecurityGroupId,
                referencedSecurityGroupId: gaSg.id,
                ipProtocol: "tcp",
                fromPort: GA_ENDPOINT_PORT,
                toPort: GA_ENDPOINT_PORT,
            });
            expect(rule.options.dependsOn, region).to.include(group.urn);
            // The group sends 443 traffic to that port of that region's ALB.
            expect((group.inputs.endpointConfigurations as any[])[0].endpointId).to.equal(
                out.albArn,
            );
            expect(group.inputs.portOverrides).to.deep.equal([
                { listenerPort: 443, endpointPort: GA_ENDPOINT_PORT },
            ]);
        }
    });

    it("lets into the ALBs: 443 from CloudFront's prefix list and the health checkers only, 8443 from GA only, nothing from 0.0.0.0/0", () => {
        const gaRules = global().mocks.ofType(INGRESS);
        for (const p of regionStacks()) {
            const region = p.config.awsRegion;
            const lb = p.mocks.named("cell-alb");
            const albSgs = lb.inputs.securityGroups as string[];
            const rules = [...p.mocks.ofType(INGRESS), ...gaRules].filter((r) =>
                albSgs.includes(String(r.inputs.securityGroupId)),
            );
            const lists = (name: string) =>
                p.mocks.call({
                    token: "aws:ec2/getManagedPrefixList:getManagedPrefixList",
                    inputs: { name },
                    provider: "",
                } as never).id;
            const at = (port: number) => rules.filter((r) => r.inputs.fromPort === port);
            expect(at(443).map((r) => r.inputs.prefixListId)).to.have.members([
                lists(CLOUDFRONT_PREFIX_LIST),
                lists(`com.amazonaws.${region}.route53-healthchecks`),
            ]);
            expect(at(GA_ENDPOINT_PORT)).to.have.length(1);
            expect(at(GA_ENDPOINT_PORT)[0].inputs).to.not.have.any.keys(
                "prefixListId",
                "cidrIpv4",
                "cidrIpv6",
            );
            expect(rules.map((r) => r.inputs.fromPort).sort()).to.deep.equal(
                [443, 443, GA_ENDPOINT_PORT].sort(),
            );
            for (const r of rules) {
                expect(r.inputs.toPort, r.name).to.equal(r.inputs.fromPort);
                expect(r.inputs.cidrIpv4, r.name).to.equal(undefined);
                expect(r.inputs.cidrIpv6, r.name).to.equal(undefined);
            }
        }
    });

    it("writes every shared ACM validation record (app.<domain> in every cell and at the edge) identically, and keeps it on delete", () => {
        const domain = projectTopology().domain;
        const writers = planned.flatMap((p) =>
            p.mocks
                .ofType(RECORD)
                .filter((r) =>
                    new RegExp(`^_[0-9a-f]+\\.app\\.${domain.replace(/\./g, "\\.")}\\.$`).test(
                        String(r.inputs.name),
                    ),
                )
                .map((r) => ({ stack: p.plan.stack, r })),
        );
        // Three cells (their certificates cover app.<domain>) and the edge's certificate.
        expect(writers.map((w) => w.stack).sort()).to.deep.equal(
            planned.map((p) => p.plan.stack).sort(),
        );
        const shape = (r: RecordedResource) => ({
            type: r.inputs.type,
            ttl: r.inputs.ttl,
            allowOverwrite: r.inputs.allowOverwrite,
            retainOnDelete: r.options.retainOnDelete,
        });
        for (const w of writers)
            expect(shape(w.r), w.stack).to.deep.equal({
                type: "CNAME",
                ...SHARED_VALIDATION_RECORD,
            });
        // Where writers share a name (ACM: one CNAME per domain per account), they write
        // the same value.
        const byName = new Map<string, unknown[]>();
        for (const w of writers)
            byName.set(String(w.r.inputs.name), [
                ...(byName.get(String(w.r.inputs.name)) ?? []),
                w.r.inputs.records,
            ]);
        for (const [name, values] of byName)
            expect(new Set(values.map((v) => JSON.stringify(v))).size, name).to.equal(1);
    });

    it("notifies the primary's alarm topic, in its region, of S3 replication alarms", () => {
        const primary = planned.find((p) => p.config.role === "primary")!;
        const topic = (primary.outputs as Record<string, string>).alarmTopicArn;
        const alarms = global()
            .mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
            .filter((a) => a.name.startsWith("assets-replication"));
        expect(alarms).to.not.be.empty;
        for (const a of alarms) {
            expect(a.region, a.name).to.equal(primary.config.awsRegion);
            expect(a.inputs.alarmActions, a.name).to.deep.equal([topic]);
            expect(topic).to.contain(`:sns:${primary.config.awsRegion}:`);
        }
    });

    it("pins GDPR viewers to eu-west-1 on the real stacks: records, resident origin and the router's tags", () => {
        const g = global();
        const alias = (r: RecordedResource) => (r.inputs.aliases as { name: string }[])[0].name;
        const api = "api.taskflow.example.com";
        for (const n of ["edge-geo-continent-EU", "edge-geo-country-GB"])
            expect(alias(g.mocks.named(n)), n).to.equal(`eu-west-1.${api}`);
        expect(alias(g.mocks.named("edge-resident"))).to.match(/\.eu-west-1\.elb\.amazonaws\.com$/);
        const tags = g.mocks.named("edge-router").inputs.tags as Record<string, string>;
        expect(tags[ROUTER_ZONE_TAG]).to.equal("eu");
        expect(tags[ROUTER_ORIGIN_TAG]).to.equal(`eu-resident.${api}`);
        expect(g.plan.violations.filter((v) => v.policy === "residency-edge-pin")).to.deep.equal(
            [],
        );
    });

    it("routes night mode's drained regions (us-east-1 to Tokyo, any other to its night target) through a DNS gate, and no other region", () => {
        const g = global();
        const records = g.mocks.ofType("aws:route53/record:Record");
        const alias = (r: RecordedResource) => (r.inputs.aliases as { name: string }[])[0].name;
        const api = "api.taskflow.example.com";
        const gate = `us-east-1.gate.${api}`;
        expect(alias(g.mocks.named("edge-geo-country-US"))).to.equal(gate);
        expect(alias(g.mocks.named("edge-latency-us-east-1"))).to.equal(gate);
        // The other regions route as without night mode.
        expect(alias(g.mocks.named("edge-geo-continent-EU"))).to.equal(`eu-west-1.${api}`);
        expect(alias(g.mocks.named("edge-latency-eu-west-1"))).to.equal(`eu-west-1.${api}`);
        expect(alias(g.mocks.named("edge-geo-country-JP"))).to.equal(`ap-northeast-1.${api}`);
        const pair = records.filter((r) => r.inputs.name === gate);
        expect(
            pair.map((r) => [
                (r.inputs.failoverRoutingPolicies as { type: string }[])[0].type,
                alias(r),
            ]),
        ).to.have.deep.members([
            ["PRIMARY", `us-east-1.${api}`],
            ["SECONDARY", `ap-northeast-1.${api}`],
        ]);
        // a PRIMARY/SECONDARY pair per drained region, to the region its users go to at night
        const roles = repoNightRoles();
        const drained = repoDrainedRegions();
        expect(roles["us-east-1"]).to.deep.include({ role: "drain", target: "ap-northeast-1" });
        expect(drained).to.not.include("eu-west-1").and.not.include("ap-northeast-1");
        for (const region of drained) {
            const name = `${region}.gate.${api}`;
            expect(
                records
                    .filter((r) => r.inputs.name === name)
                    .map((r) => [
                        (r.inputs.failoverRoutingPolicies as { type: string }[])[0].type,
                        alias(r),
                    ]),
                region,
            ).to.have.deep.members([
                ["PRIMARY", `${region}.${api}`],
                ["SECONDARY", `${roles[region].target}.${api}`],
            ]);
        }
        expect(records.filter((r) => String(r.inputs.name).includes(".gate."))).to.have.length(
            2 * drained.length,
        );
        // The PRIMARY's health check is the controller's gate metric; between flips (no data) it
        // keeps its last known status, healthy before the first flip (night-gate.spec.ts).
        const primary = pair.find(
            (r) => (r.inputs.failoverRoutingPolicies as { type: string }[])[0].type === "PRIMARY",
        )!;
        const check = g.mocks
            .ofType("aws:route53/healthCheck:HealthCheck")
            .find((h) => h.id === primary.inputs.healthCheckId)!;
        expect(check.inputs).to.deep.include({
            type: "CLOUDWATCH_METRIC",
            cloudwatchAlarmRegion: "us-east-1",
            insufficientDataHealthStatus: "LastKnownStatus",
        });
        const alarm = g.mocks.named("edge-night-gate-us-east-1");
        expect(alarm.type).to.equal("aws:cloudwatch/metricAlarm:MetricAlarm");
        expect(check.inputs.cloudwatchAlarmName).to.equal(alarm.inputs.name);
        expect(alarm.inputs).to.deep.include({
            namespace: "TaskFlow/NightMode",
            metricName: "Drained",
            dimensions: { Environment: "prod", Region: "us-east-1" },
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            statistic: "Minimum",
            treatMissingData: "ignore",
        });
        // Only the drained region's traffic dial is left to the controller.
        const dialIgnored = g.mocks
            .ofType("aws:globalaccelerator/endpointGroup:EndpointGroup")
            .filter((e) => e.options.ignoreChanges.includes("trafficDialPercentage"))
            .map((e) => e.inputs.endpointGroupRegion);
        expect([...dialIgnored].sort()).to.deep.equal([...drained].sort());
    });

    it("exports the edge alarm topic, which every edge alarm notifies", () => {
        const g = global();
        const topic = g.plan.outputs.edgeAlarmTopicArn;
        expect(topic).to.match(/^arn:aws:sns:us-east-1:/);
        const alarms = g.mocks
            .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
            .filter((a) => a.name.startsWith("edge-"));
        // Night mode's gate alarms are switches, not incidents: they notify nobody.
        const gates = alarms.filter((a) => a.name.startsWith("edge-night-gate-"));
        const edgeAlarms = alarms.filter((a) => !gates.includes(a));
        expect(edgeAlarms).to.not.be.empty;
        for (const a of edgeAlarms) expect(a.inputs.alarmActions).to.deep.equal([topic]);
        for (const a of gates) expect(a.inputs.alarmActions ?? []).to.deep.equal([]);
        expect(stack(g.plan.stack).plan.violations).to.deep.equal([]);
    });
});
