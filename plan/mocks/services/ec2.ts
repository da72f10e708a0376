/** EC2 and VPC: awsx VPCs (a remote component: every output it returns is read) and security groups. */
import { ServiceMocks } from "../context";

export const ec2: ServiceMocks = {
    synthesizers: {
        "awsx:ec2:Vpc": (c) => {
            const sub = (tier: string, n: number) =>
                Array.from({ length: n }, (_, i) => `subnet-${c.hash(`${tier}${i}`, 17)}`);
            const azs = Number(c.inputs.numberOfAvailabilityZones ?? 3);
            return {
                id: undefined,
                outputs: {
                    vpcId: `vpc-${c.hash("vpc", 17)}`,
                    publicSubnetIds: sub("public", azs),
                    privateSubnetIds: sub("private", azs),
                    isolatedSubnetIds: sub("isolated", azs),
                },
            };
        },
        "aws:ec2/securityGroup:SecurityGroup": (c) => ({
            id: `sg-${c.hash("sg", 17)}`,
            outputs: { arn: c.arn(`security-group/sg-${c.hash("sg", 17)}`) },
        }),
    },
};
