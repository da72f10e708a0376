/**
 * The trust policy of a role a service assumes: `service` may assume it on behalf of `account`
 * only. The `aws:SourceAccount` condition is the confused-deputy guard: without it, a resource of
 * another account could make the service act with this role.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
import * as pulumi from "@pulumi/pulumi";

export function serviceTrustPolicy(
    service: string,
    account: pulumi.Input<string>,
): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": account } },
            },
        ],
    });
}
