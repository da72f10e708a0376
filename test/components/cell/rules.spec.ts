/**
 * RegionalCell's pure rules: subnet sizes, ECR repositories, the Global Accelerator rule; and
 * the public entry points evaluated against the planned cells.
 */
import { expect } from "chai";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    GA_ENDPOINT_PORT,
    admitGlobalAccelerator,
    ecrRepositoryArn,
    subnetMasks,
} from "../../../components/cell";
import { RecordingMocks } from "../../../plan/mocks";
import { PlannedStack } from "../../../plan/run";
import { repoPlan } from "../../helpers/repo-plan";
import { repoRegions } from "../../helpers/repo-topology";
import { AlbRequest, albAnswer, certCovers } from "./alb-model";

describe("RegionalCell helpers", () => {
    it("sizes subnets so that three AZs fit in the VPC, and refuses blocks outside /16-/20", () => {
        for (const cidr of ["10.0.0.0/16", "10.0.0.0/18", "10.0.0.0/20"]) {
            const m = subnetMasks(cidr);
            const p = Number(cidr.split("/")[1]);
            const perAz = 2 ** (32 - m.public) + 2 ** (32 - m.private) + 2 ** (32 - m.isolated);
            expect(3 * perAz, cidr).to.be.at.most(2 ** (32 - p));
            expect(m.public).to.be.at.most(28); // AWS's smallest subnet is /28
        }
        expect(() => subnetMasks("10.0.0.0/8")).to.throw(
            /vpcCidr "10.0.0.0\/8" is not allowed; a \/16–\/20/,
        );
        expect(() => subnetMasks("10.0.0.1/16")).to.throw(/not allowed/);
    });

    it("scopes image pulls to the ECR repository of a private image, and grants none for public ones", () => {
        expect(
            ecrRepositoryArn("123456789012.dkr.ecr.eu-west-1.amazonaws.com/taskflow/app:1.2.3"),
        ).to.equal("arn:aws:ecr:eu-west-1:123456789012:repository/taskflow/app");
        expect(
            ecrRepositoryArn("123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc"),
        ).to.equal("arn:aws:ecr:us-east-1:123456789012:repository/app");
        expect(ecrRepositoryArn("public.ecr.aws/docker/library/nginx:1.27")).to.equal(undefined);
    });

    it(`admits Global Accelerator by the security group GA creates in the cell's VPC, on ${GA_ENDPOINT_PORT} only, in the cell's region, after the endpoint group`, async () => {
        const mocks = new RecordingMocks({
            project: "taskflow",
            stack: "global",
            awsRegion: "us-east-1",
        });
        await mocks.install("taskflow");
        const group = new aws.globalaccelerator.EndpointGroup("eg-eu-west-1", {
            listenerArn: "arn:aws:globalaccelerator::123456789012:accelerator/a/listener/l",
            endpointGroupRegion: "eu-west-1",
        });
        const rule = admitGlobalAccelerator("ga-in-eu-west-1", {
            region: "eu-west-1",
            vpcId: "vpc-0123456789abcdef0",
            securityGroupId: "sg-edge",
            endpointGroup: group,
        });
        await new Promise((res) => rule.id.apply(res));
        await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        expect(mocks.errors).to.deep.equal([]);
        const recorded = mocks.named("ga-in-eu-west-1");
        const gaSg = mocks.call({
            token: "aws:ec2/getSecurityGroup:getSecurityGroup",
            inputs: {
                name: "GlobalAccelerator",
                vpcId: "vpc-0123456789abcdef0",
                region: "eu-west-1",
            },
            provider: "",
        } as never);
        expect(recorded.region).to.equal("eu-west-1");
        expect(recorded.inputs).to.include({
            securityGroupId: "sg-edge",
            referencedSecurityGroupId: gaSg.id,
            ipProtocol: "tcp",
            fromPort: GA_ENDPOINT_PORT,
            toPort: GA_ENDPOINT_PORT,
        });
        expect(recorded.inputs).to.not.have.any.keys("cidrIpv4", "cidrIpv6", "prefixListId");
        const groupUrn = await new Promise<string>((res) => group.urn.apply(res));
        expect(recorded.options.dependsOn).to.include(groupUrn);
    });

    it("does not look the GA security group up while the endpoint group does not exist yet (first-deploy preview)", async () => {
        const invoked: string[] = [];
        const inputs: Record<string, Record<string, unknown>> = {};
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    inputs[a.name] = a.inputs;
                    // A resource to be created has no id during a preview.
                    const toCreate = a.type === "aws:globalaccelerator/endpointGroup:EndpointGroup";
                    return { id: toCreate ? "" : `${a.name}-id`, state: a.inputs };
                },
                call: (a) => {
                    invoked.push(a.token);
                    throw new Error(`no security group named GlobalAccelerator yet (${a.token})`);
                },
            },
            "taskflow",
            "global",
            true, // preview
            "taskflow",
        );
        const group = new aws.globalaccelerator.EndpointGroup("eg-us-east-1", {
            listenerArn: "arn:aws:globalaccelerator::123456789012:accelerator/a/listener/l",
            endpointGroupRegion: "us-east-1",
        });
        const rule = admitGlobalAccelerator("ga-in-us-east-1", {
            region: "us-east-1",
            vpcId: "vpc-0123456789abcdef0",
            securityGroupId: "sg-edge",
            endpointGroup: group,
        });
        await new Promise((res) => rule.urn.apply(res));
        await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        expect(invoked).to.deep.equal([]);
        expect(inputs["ga-in-us-east-1"]).to.include({
            securityGroupId: "sg-edge",
            fromPort: GA_ENDPOINT_PORT,
        });
        // Unknown until the update creates the group and GA its security group.
        expect(pulumi.isUnknown(inputs["ga-in-us-east-1"].referencedSecurityGroupId)).to.equal(
            true,
        );
    });
});

/**
 * The public entry points, end to end on the repository's planned stacks: the name a client
 * uses, the port and headers its request reaches a cell's ALB with, the certificate name that
 * must cover it, and what the ALB's listener rules answer (alb-model.ts). CloudFront's origin
 * names are not client names: without the edge's secret header, 443 refuses them.
 */
describe("the public entry points on every cell", function () {
    this.timeout(60000);
    let stacks: PlannedStack[];
    let global: PlannedStack;

    before(async () => {
        stacks = await repoPlan();
        global = stacks.find((s) => s.config.role === "global")!;
    });

    const cellsOf = () =>
        stacks
            .filter((s) => s.config.role !== "global")
            .map((s) => {
                const cell = s.mocks.ofType("taskflow:cell:RegionalCell")[0];
                const own = (type: string) =>
                    s.mocks.ofType(type).filter((r) => r.parent === cell.urn);
                const cert = own("aws:acm/certificate:Certificate")[0];
                return {
                    region: s.config.awsRegion,
                    names: [
                        cert.inputs.domainName as string,
                        ...(cert.inputs.subjectAlternativeNames as string[]),
                    ],
                    answer: (req: AlbRequest) =>
                        albAnswer(
                            own("aws:lb/listener:Listener"),
                            own("aws:lb/listenerRule:ListenerRule"),
                            (r) => r.outputs.arn ?? r.inputs.arn,
                            req,
                        ),
                };
            });

    it("gives each client name a record: app.<domain> to CloudFront, the accelerator name to Global Accelerator", () => {
        const records = global.mocks.ofType("aws:route53/record:Record");
        const domain = global.config.topology.domain;
        const app = records.find((r) => r.name === "edge-app-a")!;
        expect(app.inputs.name).to.equal(`app.${domain}`);
        const cdn = global.mocks.ofType("aws:cloudfront/distribution:Distribution")[0];
        expect((app.inputs.aliases as any[])[0].name).to.equal(cdn.outputs.domainName);
        const accel = records.find((r) => r.name === "edge-accelerator-api")!;
        expect(accel.inputs.name).to.equal(`accel.api.${domain}`);
        const ga = global.mocks.ofType("aws:globalaccelerator/accelerator:Accelerator")[0];
        expect((accel.inputs.aliases as any[])[0]).to.include({
            name: ga.outputs.dnsName,
            zoneId: ga.outputs.hostedZoneId,
        });
        expect(global.outputs.acceleratorHostname).to.equal(`accel.api.${domain}`);
        // Client names are never CloudFront origins.
        const origins = (cdn.inputs.origins as any[]).map((o) => o.domainName);
        expect(origins).to.not.include.members([`app.${domain}`, `accel.api.${domain}`]);
    });

    it("admits each entry point with a certificate that covers its name, and refuses clients on CloudFront's origin names", () => {
        const domain = global.config.topology.domain;
        const cdn = global.mocks.ofType("aws:cloudfront/distribution:Distribution")[0];
        const origin = (cdn.inputs.origins as any[])[0];
        const secret = origin.customHeaders[0];
        // Global Accelerator's client port 443 reaches the ALB on the endpoint group's override.
        const group = global.mocks.ofType("aws:globalaccelerator/endpointGroup:EndpointGroup")[0];
        const gaPort = (group.inputs.portOverrides as any[]).find(
            (o) => o.listenerPort === 443,
        ).endpointPort;
        const cells = cellsOf();
        // One cell per region of the topology (test/helpers/repo-topology.ts).
        expect(cells.map((c) => c.region)).to.have.members(repoRegions());
        for (const cell of cells) {
            const entryPoints: { who: string; host: string; req: AlbRequest; want: string }[] = [
                {
                    // CloudFront forwards the viewer's Host on the API paths; it connects to its origin name.
                    who: "browser or API client via app.<domain> (CloudFront)",
                    host: `app.${domain}`,
                    req: {
                        port: 443,
                        path: "/api/tasks",
                        headers: { host: `app.${domain}`, [secret.name]: secret.value },
                    },
                    want: "forward",
                },
                {
                    who: "direct API client via the accelerator name (Global Accelerator)",
                    host: `accel.api.${domain}`,
                    req: {
                        port: gaPort,
                        path: "/api/tasks",
                        headers: { host: `accel.api.${domain}` },
                    },
                    want: "forward",
                },
                {
                    who: "Route 53 health checker on the origin name",
                    host: `${cell.region}.origin.${domain}`,
                    req: {
                        port: 443,
                        path: "/health",
                        headers: { host: `${cell.region}.origin.${domain}` },
                    },
                    want: "forward",
                },
                {
                    who: "a client using CloudFront's origin name directly",
                    host: origin.domainName,
                    req: { port: 443, path: "/api/tasks", headers: { host: origin.domainName } },
                    want: "403 origin-verify",
                },
            ];
            for (const e of entryPoints) {
                expect(
                    certCovers(cell.names, e.host),
                    `${cell.region}: certificate for ${e.who}`,
                ).to.equal(true);
                expect(cell.answer(e.req), `${cell.region}: ${e.who}`).to.equal(e.want);
            }
            // CloudFront checks the origin's certificate against its origin name as well.
            expect(certCovers(cell.names, origin.domainName), cell.region).to.equal(true);
        }
    });

    it("models wildcard certificate names as one label only", () => {
        expect(certCovers(["*.api.example.org"], "accel.api.example.org")).to.equal(true);
        expect(certCovers(["*.api.example.org"], "a.b.api.example.org")).to.equal(false);
        expect(certCovers(["*.api.example.org"], "api.example.org")).to.equal(false);
    });
});
