/**
 * The edge's alarm topic and its key, in us-east-1 where Route 53 and CloudFront metrics and
 * alarms live. Alarm payloads name health checks, hosts and regions, no user data: classified
 * global.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { keyWithAlias } from "../shared/kms-key";
import { keyPolicy, cloudWatchAlarmsPrincipal } from "../shared/kms-policy";
import { GLOBAL, residencyTags } from "../shared/residency";
import { EdgeContext } from "./context";

export function edgeAlarmTopic(ctx: EdgeContext): aws.sns.Topic {
    const region = ctx.plan.edgeRegion;
    const { key } = keyWithAlias(
        `${ctx.name}-alarms-kms`,
        {
            region,
            description: `TaskFlow ${ctx.environment} edge: alarm topic`,
            multiRegion: false,
            // The project's least-privilege key policy: the account administers the key and may
            // use it only through SNS in us-east-1; the account's CloudWatch alarms in us-east-1
            // may have their notifications encrypted with it (AWS's documented statement).
            policy: pulumi.all([ctx.partition, ctx.account]).apply(([part, accountId]) =>
                keyPolicy({
                    partition: part,
                    accountId,
                    services: ["sns"],
                    regions: [region],
                    servicePrincipals: [cloudWatchAlarmsPrincipal(part, accountId, region)],
                }),
            ),
            tags: residencyTags(GLOBAL, ctx.tags),
            alias: {
                resourceName: `${ctx.name}-alarms-kms-alias`,
                name: `alias/${ctx.prefix}-edge-alarms`,
            },
        },
        ctx.edge,
    );
    return new aws.sns.Topic(
        `${ctx.name}-alarms`,
        {
            region,
            name: `${ctx.prefix}-edge-alarms`,
            kmsMasterKeyId: key.arn,
            tags: residencyTags(GLOBAL, ctx.tags),
        },
        ctx.edge,
    );
}
