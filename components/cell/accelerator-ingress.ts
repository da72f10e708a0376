/**
 * The Global Accelerator rule of a cell's ALB edge security group, made by the global stack: the
 * only stack that knows the endpoint group, hence the security group GA creates for it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GA_ENDPOINT_PORT } from "./constants";

/**
 * Admits the Global Accelerator path to a cell's ALB, on {@link GA_ENDPOINT_PORT} only. For the
 * global stack (regions/global.ts), once per region, after that region's endpoint group.
 *
 * With client IP preservation (on for the ALB endpoints) packets reach the ALB from the elastic
 * network interfaces Global Accelerator creates in the ALB's subnets, carrying the *client's*
 * source address, so no CIDR rule can tell them apart from the internet; the only tight rule
 * references the security group GA creates for those ENIs, named `GlobalAccelerator`, one per VPC,
 * which exists only once an endpoint group targets the ALB. Hence this rule lives in the stack
 * that owns the endpoint group, not in the region stack that deploys first.
 * https://docs.aws.amazon.com/global-accelerator/latest/dg/best-practices-aga.html
 *
 * The lookup is an Output-form invoke with `dependsOn` the endpoint group: while the group's id is
 * unknown (a first-deploy preview) the SDK skips the call and yields an unknown id instead of
 * failing on a group that does not exist yet (@pulumi/pulumi 3.248 `runtime/invoke.js`,
 * `checkDependencies`); during the update it runs after the group is created.
 */
export function admitGlobalAccelerator(
    name: string,
    args: {
        /** Region of the cell (the rule and the lookup are made there). */
        region: string;
        vpcId: pulumi.Input<string>;
        /** The cell's `edgeSecurityGroupId`. */
        securityGroupId: pulumi.Input<string>;
        /** The endpoint group that makes GA create its ENIs and security group. */
        endpointGroup: pulumi.Resource;
    },
    opts?: Omit<pulumi.CustomResourceOptions, "dependsOn">,
): aws.vpc.SecurityGroupIngressRule {
    const gaSg = aws.ec2.getSecurityGroupOutput(
        { name: "GlobalAccelerator", vpcId: args.vpcId, region: args.region },
        { parent: opts?.parent, dependsOn: [args.endpointGroup] },
    );
    return new aws.vpc.SecurityGroupIngressRule(
        name,
        {
            region: args.region,
            securityGroupId: args.securityGroupId,
            referencedSecurityGroupId: gaSg.id,
            ipProtocol: "tcp",
            fromPort: GA_ENDPOINT_PORT,
            toPort: GA_ENDPOINT_PORT,
            description: `HTTPS ${GA_ENDPOINT_PORT} from Global Accelerator (client IP preservation ENIs)`,
        },
        { ...opts, dependsOn: [args.endpointGroup] },
    );
}
