/**
 * The Lambda@Edge residency router (us-east-1, replicated to every edge): its role, the function
 * with the router's bundle (configuration baked in), and its log permissions.
 */
import * as crypto from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleResidencyRouter } from "../../edge/bundle";
import { TAG } from "../../model/tags";
import { EdgeContext, childOf } from "./context";

export interface ResidencyRouter {
    fn: aws.lambda.Function;
    /** The role's log policy: the router may log from its first request on. */
    logs: aws.iam.RolePolicy;
    /** SHA-256 of the deployed bundle; also the function's `taskflow:code-sha256` tag. */
    codeSha256: string;
}

export function residencyRouter(ctx: EdgeContext): ResidencyRouter {
    const region = ctx.plan.edgeRegion;
    const role = new aws.iam.Role(
        `${ctx.name}-router-role`,
        {
            description: "Lambda@Edge residency router execution role",
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: {
                            Service: ["lambda.amazonaws.com", "edgelambda.amazonaws.com"],
                        },
                        Action: "sts:AssumeRole",
                    },
                ],
            }),
            tags: ctx.tags,
        },
        childOf(ctx),
    );
    const code = bundleResidencyRouter(ctx.plan.routerConfig);
    // The plan and `pulumi preview` cannot show archive contents; the tag makes a change to the
    // router's code or baked config visible as a diff.
    const codeSha256 = crypto.createHash("sha256").update(code).digest("hex");
    // Auto-named on purpose. Replicated functions cannot be deleted for hours after CloudFront
    // lets go of them, so the function is never deleted by Pulumi (skipDestroy and
    // retainOnDelete) and outlives a `pulumi destroy`. With a fixed name the next `pulumi up`
    // would then fail with "Function already exist" until someone imported the old function;
    // with a generated name it creates a fresh one and the old one is left to be deleted by hand
    // once its replicas are gone (tags identify it). Same for a replacement.
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-edge-delete-replicas.html
    const fn = new aws.lambda.Function(
        `${ctx.name}-router`,
        {
            region,
            description: `Pins GDPR viewers to ${ctx.plan.residentName}; rejects them elsewhere (fail closed)`,
            runtime: aws.lambda.Runtime.NodeJS22dX,
            architectures: ["x86_64"], // Lambda@Edge runs x86_64 only
            handler: "index.handler",
            code: new pulumi.asset.AssetArchive({
                "index.js": new pulumi.asset.StringAsset(code),
            }),
            role: role.arn,
            memorySize: 128,
            timeout: 5,
            publish: true, // CloudFront needs a numbered version, never $LATEST
            skipDestroy: true,
            tags: {
                ...ctx.tags,
                Name: `${ctx.prefix}-residency-router`,
                [TAG.codeSha256]: codeSha256,
                // What the pack's residency-edge-pin checks the router against: the zone it pins
                // and the origin it pins to (followed through the stack's records).
                [TAG.residencyZone]: ctx.plan.residencyZone,
                [TAG.residentOrigin]: ctx.plan.residentName,
            },
        },
        { ...ctx.edge, retainOnDelete: true },
    );
    // Replicas log to `/aws/lambda/us-east-1.<function>` in the region of the edge that ran
    // them, so the region is a wildcard; the account and the log group are not.
    const logs = new aws.iam.RolePolicy(
        `${ctx.name}-router-logs`,
        {
            role: role.id,
            // A Lambda function's id is its (generated) name.
            policy: pulumi.all([ctx.account, fn.id]).apply(([acct, fnName]) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "EdgeReplicaLogs",
                            Effect: "Allow",
                            Action: [
                                "logs:CreateLogGroup",
                                "logs:CreateLogStream",
                                "logs:PutLogEvents",
                            ],
                            Resource: [
                                `arn:aws:logs:*:${acct}:log-group:/aws/lambda/${region}.${fnName}`,
                                `arn:aws:logs:*:${acct}:log-group:/aws/lambda/${region}.${fnName}:*`,
                                `arn:aws:logs:${region}:${acct}:log-group:/aws/lambda/${fnName}`,
                                `arn:aws:logs:${region}:${acct}:log-group:/aws/lambda/${fnName}:*`,
                            ],
                        },
                    ],
                }),
            ),
        },
        childOf(ctx),
    );
    return { fn, logs, codeSha256 };
}
