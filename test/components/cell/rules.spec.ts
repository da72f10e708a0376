/** RegionalCell's pure rules: subnet sizes, ECR repositories, the Global Accelerator rule. */
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
