/**
 * The cell's internet-facing ALB, only reachable from the edge, its target group, and the
 * certificate its HTTPS listeners serve (DNS-validated in the hosted zone).
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { acmValidationRecord } from "../shared/acm";
import { ACCESS_LOG_PREFIX, AccessLogs } from "./access-logs";
import { CellContext, childOf } from "./context";
import { CellSecurityGroups } from "./network";

export interface LoadBalancer {
    alb: aws.lb.LoadBalancer;
    targetGroup: aws.lb.TargetGroup;
}

/** The ALB (both ALB groups, access logs on) and the tasks' target group. */
export function loadBalancer(
    ctx: CellContext,
    vpc: awsx.ec2.Vpc,
    groups: CellSecurityGroups,
    logs: AccessLogs,
    health: { containerPort: number; path: string },
): LoadBalancer {
    const alb = new aws.lb.LoadBalancer(
        `${ctx.name}-alb`,
        {
            loadBalancerType: "application",
            internal: false,
            ipAddressType: "ipv4",
            subnets: vpc.publicSubnetIds,
            securityGroups: [groups.alb.id, groups.edge.id],
            enableDeletionProtection: true,
            dropInvalidHeaderFields: true,
            enableHttp2: true,
            idleTimeout: 60,
            accessLogs: { bucket: logs.bucket.id, prefix: ACCESS_LOG_PREFIX, enabled: true },
            tags: ctx.tags,
        },
        // ELB checks that it can write to the bucket when access logs are enabled.
        { parent: ctx.parent, dependsOn: [logs.policy] },
    );
    const targetGroup = new aws.lb.TargetGroup(
        `${ctx.name}-tg`,
        {
            targetType: "ip",
            protocol: "HTTP",
            port: health.containerPort,
            vpcId: vpc.vpcId,
            // Fast drain and fast health verdicts keep a regional failover inside the RTO.
            deregistrationDelay: 30,
            healthCheck: {
                enabled: true,
                protocol: "HTTP",
                path: health.path,
                port: "traffic-port",
                matcher: "200",
                interval: 10,
                timeout: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 2,
            },
            tags: ctx.tags,
        },
        childOf(ctx),
    );
    return { alb, targetGroup };
}

/**
 * The certificate names the origin (`<region>.origin.<domain>`, what CloudFront's health checks
 * and the Route 53 checks use) plus the public names clients reach this ALB by through the edge
 * (EdgeRouting forwards Host and checks the origin certificate against it; Global Accelerator
 * terminates nothing, so TLS ends here). Returns the validated certificate's ARN.
 */
export function originCertificate(
    ctx: CellContext,
    fqdn: string,
    aliases: string[],
    hostedZoneId: pulumi.Input<string>,
): pulumi.Output<string> {
    const p = childOf(ctx);
    const cert = new aws.acm.Certificate(
        `${ctx.name}-cert`,
        {
            domainName: fqdn,
            subjectAlternativeNames: aliases,
            validationMethod: "DNS",
            keyAlgorithm: "RSA_2048",
            tags: ctx.tags,
        },
        p,
    );
    // One validation record per name; a wildcard shares its base name's record (ACM uses the
    // same CNAME for both). The shared names' records are also written by the other region
    // stacks and by the edge's certificate for app.<domain> (same account, same CNAME): every
    // writer uses SHARED_VALIDATION_RECORD, see there.
    const validated = [
        fqdn,
        ...aliases.filter((a) => !a.startsWith("*.") || !aliases.includes(a.slice(2))),
    ].filter((d, i, all) => all.indexOf(d) === i);
    const validationFqdns = validated.map(
        (domain) =>
            acmValidationRecord(
                domain === fqdn
                    ? `${ctx.name}-cert-validation`
                    : `${ctx.name}-cert-validation-${domain.split(".")[0]}`,
                { certificate: cert, domain, zoneId: hostedZoneId, shared: domain !== fqdn },
                p,
            ).fqdn,
    );
    const validation = new aws.acm.CertificateValidation(
        `${ctx.name}-cert-validated`,
        { certificateArn: cert.arn, validationRecordFqdns: validationFqdns },
        p,
    );
    return validation.certificateArn;
}

/**
 * The name the certificate covers, pointing at the ALB: CloudFront and the Route 53 health
 * checks reach the origin by it.
 */
export function originRecord(
    ctx: CellContext,
    fqdn: string,
    alb: aws.lb.LoadBalancer,
    hostedZoneId: pulumi.Input<string>,
): aws.route53.Record {
    return new aws.route53.Record(
        `${ctx.name}-origin-record`,
        {
            zoneId: hostedZoneId,
            name: fqdn,
            type: "A",
            aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
        },
        childOf(ctx),
    );
}
