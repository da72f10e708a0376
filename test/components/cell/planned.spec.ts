/**
 * RegionalCell, checked on the offline plan of the real program: every region stack is planned
 * once (shared by every assertion), and the cell-mode tests plan copies of the stack files with
 * one stack's `taskflow:cellMode` changed and diff the plans.
 */
import { expect } from "chai";
import * as path from "path";
import { CellMode, StackConfig, cidrsOverlap, holdsGlobalData } from "../../../config";
import {
    CLOUDFRONT_PREFIX_LIST,
    DATA_PORTS,
    GA_ENDPOINT_PORT,
    ORIGIN_VERIFY_HEADER,
    RESIDENCY_HEADER,
    TLS_POLICY,
    subnetMasks,
} from "../../../components/cell";
import { SHARED_VALIDATION_RECORD } from "../../../components/shared/acm";
import { edgeResidencyOf } from "../../../config";
import { ALB_ZONE_IDS, RecordedResource, RecordingMocks } from "../../../plan/mocks";
import { PlannedStack, readProjectFiles, validateAll } from "../../../plan/run";
import { repoPlan } from "../../helpers/repo-plan";
import { taskVariables } from "../../helpers/task-variables";
import { AlbRequest, albAnswer as evaluateAlb } from "./alb-model";
import { T as TYPES } from "../../../policies/types";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const CONFIGS = validateAll(readProjectFiles(ROOT));
const REGION_STACKS = Object.values(CONFIGS)
    .filter((c) => c.role !== "global")
    .map((c) => c.stack);
const CELL = "taskflow:cell:RegionalCell";

/** One plan of every region stack, shared by every test here (a stack plan costs ~0.5-1 s). */
let basePlan: Promise<PlannedStack[]> | undefined;
const planRegionStacks = () =>
    (basePlan ??= repoPlan().then((ps) => ps.filter((p) => REGION_STACKS.includes(p.plan.stack))));

/** Short names for the type tokens these specs read, from the pack's one table (policies/types.ts). */
const T = {
    vpc: TYPES.vpc,
    sg: TYPES.securityGroup,
    ingress: TYPES.sgIngress,
    egress: TYPES.sgEgress,
    lb: TYPES.loadBalancer,
    listener: TYPES.lbListener,
    tg: TYPES.lbTargetGroup,
    cert: TYPES.certificate,
    certValidation: TYPES.certificateValidation,
    record: TYPES.route53Record,
    service: TYPES.ecsService,
    taskDef: TYPES.ecsTaskDefinition,
    parameter: "aws:ssm/parameter:Parameter",
    scalingTarget: TYPES.scalingTarget,
    scalingPolicy: TYPES.scalingPolicy,
    kmsKey: TYPES.kmsKey,
    logGroup: TYPES.logGroup,
    bucket: TYPES.bucket,
    bucketPolicy: TYPES.bucketPolicy,
    bucketSse: TYPES.bucketSse,
    bucketPab: TYPES.bucketPab,
    bucketLifecycle: TYPES.bucketLifecycle,
    alarm: TYPES.metricAlarm,
    topic: TYPES.topic,
    rolePolicy: TYPES.iamRolePolicy,
    listenerRule: TYPES.lbListenerRule,
} as const;

/** The resources of one planned stack inside its RegionalCell (direct children or deeper). */
class CellView {
    readonly cellUrn: string;
    constructor(readonly stack: PlannedStack) {
        const cells = stack.mocks.ofType(CELL);
        expect(cells, `${stack.plan.stack}: one RegionalCell`).to.have.length(1);
        this.cellUrn = cells[0].urn;
    }
    get config(): StackConfig {
        return this.stack.config;
    }
    /** Cell-owned resources of a type (children of the cell). */
    all(type: string): RecordedResource[] {
        return this.stack.mocks.ofType(type).filter((r) => r.parent === this.cellUrn);
    }
    one(type: string, name?: string): RecordedResource {
        const found = this.all(type).filter((r) => !name || r.name === name);
        expect(
            found,
            `${this.stack.plan.stack}: one ${type}${name ? ` named ${name}` : ""}`,
        ).to.have.length(1);
        return found[0];
    }
    out(r: RecordedResource, key: string): unknown {
        return r.outputs[key] ?? r.inputs[key];
    }
    /** The id the mocks returned for an invoke, asked the same way the program asked. */
    invoke(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
        return (this.stack.mocks as RecordingMocks).call({
            token,
            inputs,
            provider: "",
        } as never);
    }
}

const parseJson = (v: unknown) => JSON.parse(String(v)) as unknown;

/** What a cell's ALB does with a request, from its planned listeners and rules (alb-model.ts). */
const albAnswer = (v: CellView, req: AlbRequest): string =>
    evaluateAlb(v.all(T.listener), v.all(T.listenerRule), (r) => v.out(r, "arn"), req);

/** Capacity each mode should give, stated from the config keys rather than from capacityFor. */
function expectedCapacity(
    mode: CellMode,
    cell: { minTasks: number; maxTasks: number; standbyTasks: number },
): { min: number; max: number; nat: string } {
    switch (mode) {
        case "active":
            return { min: cell.minTasks, max: cell.maxTasks, nat: "OnePerAz" };
        case "warm-standby":
            return { min: cell.standbyTasks, max: cell.maxTasks, nat: "Single" };
        case "pilot-light":
            return { min: 0, max: 0, nat: "Single" };
    }
}

describe("RegionalCell on every region stack's plan", () => {
    let planned: PlannedStack[];
    const view = (stack: string) => new CellView(planned.find((p) => p.plan.stack === stack)!);

    before(async () => {
        planned = await planRegionStacks();
    });

    it("runs on every region stack of the topology and not on the global stack", () => {
        expect(REGION_STACKS).to.have.length.greaterThan(1);
        expect(planned.map((p) => p.plan.stack)).to.have.members(REGION_STACKS);
        for (const s of REGION_STACKS) expect(view(s).cellUrn).to.match(/RegionalCell::cell$/);
    });

    it("gives the regions VPC blocks from the topology that do not overlap", () => {
        const cidrs = REGION_STACKS.map((s) => {
            const v = view(s);
            const cidr = v.one(T.vpc).inputs.cidrBlock as string;
            expect(cidr, s).to.equal(v.config.regionSpec!.vpcCidr);
            return cidr;
        });
        for (let i = 0; i < cidrs.length; i++)
            for (let j = i + 1; j < cidrs.length; j++)
                expect(cidrsOverlap(cidrs[i], cidrs[j]), `${cidrs[i]} vs ${cidrs[j]}`).to.equal(
                    false,
                );
    });

    for (const stack of REGION_STACKS) {
        describe(`stack ${stack}`, () => {
            let v: CellView;
            let region: string;
            let domain: string;
            before(() => {
                v = view(stack);
                region = v.config.awsRegion;
                domain = v.config.topology.domain;
            });

            it("lets the account administer the cell key but use it only through SNS here, and CloudWatch Logs only for the app log group", () => {
                const key = v.all("aws:kms/key:Key").find((k) => k.name === "cell-kms")!;
                const doc = JSON.parse(String(key.inputs.policy)) as {
                    Statement: {
                        Sid: string;
                        Principal: { AWS?: string; Service?: string };
                        Action: string[];
                        Condition?: Record<string, Record<string, unknown>>;
                    }[];
                };
                const root = doc.Statement.filter((x) => x.Principal.AWS?.endsWith(":root"));
                const unconditioned = root.filter((x) => !x.Condition).flatMap((x) => x.Action);
                expect(unconditioned).to.not.include.members(["kms:Decrypt"]);
                expect(unconditioned.filter((a) => a.includes("*"))).to.deep.equal([]);
                const data = root.find((x) => x.Action.includes("kms:Decrypt"))!;
                expect(data.Condition!.StringEquals["kms:ViaService"]).to.deep.equal([
                    `sns.${region}.amazonaws.com`,
                ]);
                const logs = doc.Statement.find(
                    (x) => x.Principal.Service === `logs.${region}.amazonaws.com`,
                )!;
                const group = v
                    .all("aws:cloudwatch/logGroup:LogGroup")
                    .find((g) => g.name === "cell-app-logs")!;
                expect(logs.Condition).to.deep.equal({
                    ArnEquals: {
                        "kms:EncryptionContext:aws:logs:arn": [
                            `arn:aws:logs:${region}:123456789012:log-group:${group.inputs.name}`,
                        ],
                    },
                });
            });

            it("spreads the VPC over three AZs with public, private and isolated subnets", () => {
                const vpc = v.one(T.vpc);
                expect(vpc.inputs.numberOfAvailabilityZones).to.equal(3);
                const specs = vpc.inputs.subnetSpecs as { type: string; cidrMask: number }[];
                expect(specs.map((s) => s.type)).to.have.members(["Public", "Private", "Isolated"]);
                const masks = subnetMasks(vpc.inputs.cidrBlock as string);
                for (const s of specs)
                    expect(s.cidrMask).to.equal(masks[s.type.toLowerCase() as keyof typeof masks]);
                for (const tier of ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"])
                    expect(vpc.outputs[tier], tier).to.have.length(3);
            });

            it("serves HTTPS on 443 and 8443 with one DNS-validated regional certificate and the forward-secret TLS policy", () => {
                expect(TLS_POLICY).to.equal("ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
                const lb = v.one(T.lb);
                const https = v.all(T.listener).filter((l) => l.inputs.protocol === "HTTPS");
                expect(https.map((l) => l.inputs.port).sort()).to.deep.equal([
                    443,
                    GA_ENDPOINT_PORT,
                ]);
                const cert = v.one(T.cert);
                expect(cert.inputs.domainName).to.equal(`${region}.origin.${domain}`);
                expect(cert.inputs.validationMethod).to.equal("DNS");
                expect(cert.region).to.equal(region);
                // The listeners use the certificate only once validated (CertificateValidation).
                const validated = v.one(T.certValidation);
                expect(validated.inputs.certificateArn).to.equal(v.out(cert, "arn"));
                for (const l of https) {
                    expect(l.inputs.sslPolicy, String(l.inputs.port)).to.equal(TLS_POLICY);
                    expect(l.inputs.loadBalancerArn).to.equal(v.out(lb, "arn"));
                    expect(l.inputs.certificateArn).to.equal(validated.inputs.certificateArn);
                }
                // It also covers the public names the edge forwards as Host.
                expect(cert.inputs.subjectAlternativeNames).to.have.members([
                    `api.${domain}`,
                    `*.api.${domain}`,
                    `app.${domain}`,
                ]);
                // Each name is validated by its record in the zone (the wildcard shares its
                // base name's); the origin's record is this stack's own, the shared ones are
                // written exactly like every other writer writes them (SHARED_VALIDATION_RECORD).
                const dvos = cert.outputs.domainValidationOptions as Record<string, string>[];
                const records = v
                    .all(T.record)
                    .filter((r) => r.name.startsWith("cell-cert-validation"));
                const byDomain = (d: string) => {
                    const o = dvos.find((x) => x.domainName === d)!;
                    return records.find((r) => r.inputs.name === o.resourceRecordName);
                };
                for (const d of [`${region}.origin.${domain}`, `api.${domain}`, `app.${domain}`]) {
                    const o = dvos.find((x) => x.domainName === d)!;
                    const rec = byDomain(d);
                    expect(rec, d).to.not.equal(undefined);
                    expect(rec!.inputs.type).to.equal(o.resourceRecordType);
                    expect(rec!.inputs.records).to.deep.equal([o.resourceRecordValue]);
                    expect(rec!.inputs.ttl, d).to.equal(SHARED_VALIDATION_RECORD.ttl);
                    const shared = d !== `${region}.origin.${domain}`;
                    expect(rec!.options.retainOnDelete, d).to.equal(shared);
                    expect(Boolean(rec!.inputs.allowOverwrite), d).to.equal(shared);
                }
                expect(records).to.have.length(3);
                expect(validated.inputs.validationRecordFqdns).to.have.members(
                    records.map((r) => v.out(r, "fqdn")),
                );
            });

            it("answers HTTP only with a permanent redirect to HTTPS, and admits nobody on 80", () => {
                const http = v.all(T.listener).filter((l) => l.inputs.protocol === "HTTP");
                expect(http).to.have.length(1);
                expect(http[0].inputs.port).to.equal(80);
                expect(http[0].inputs.defaultActions).to.deep.equal([
                    {
                        type: "redirect",
                        redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
                    },
                ]);
                expect(v.all(T.listener)).to.have.length(3);
                for (const r of v.all(T.ingress))
                    expect([r.inputs.fromPort, r.inputs.toPort], r.name).to.not.include(80);
            });

            it("refuses on 443 what is neither the health path nor signed with the primary's origin secret", () => {
                const tg = v.one(T.tg);
                const forward = [{ type: "forward", targetGroupArn: v.out(tg, "arn") }];
                const https = v.all(T.listener).find((l) => l.inputs.port === 443)!;
                const dflt = (https.inputs.defaultActions as Record<string, any>[])[0];
                expect(dflt.type).to.equal("fixed-response");
                expect(dflt.fixedResponse.statusCode).to.equal("403");
                const rules = v
                    .all(T.listenerRule)
                    .filter((r) => r.inputs.listenerArn === v.out(https, "arn"));
                const health = rules.find((r) => r.name === "cell-https-health")!;
                expect(health.inputs.conditions).to.deep.equal([
                    { pathPattern: { values: ["/health"] } },
                ]);
                expect(health.inputs.actions).to.deep.equal(forward);
                const verify = rules.find((r) => r.name === "cell-https-origin-verify")!;
                // The primary stack generated the value; every region's ALB requires that one.
                const primary = planned.find((p) => p.config.role === "primary")!;
                const secret = primary.outputs.originVerifySecret as string;
                expect(secret).to.be.a("string").and.not.empty;
                expect(primary.plan.outputs.originVerifySecret).to.equal("[secret]");
                expect(verify.inputs.conditions).to.deep.equal([
                    { httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: [secret] } },
                ]);
                expect(verify.secretPaths.some((p) => p.startsWith("conditions"))).to.equal(true);
                expect(verify.inputs.actions).to.deep.equal(forward);
                // The forwarding rules of 443 are exactly these two (besides the residency refusal).
                expect(
                    rules
                        .filter((r) => !r.name.endsWith("-residency"))
                        .map((r) => r.name)
                        .sort(),
                ).to.deep.equal(["cell-https-health", "cell-https-origin-verify"]);
            });

            it("forwards 8443 (Global Accelerator's port) to the target group without a header", () => {
                const tg = v.one(T.tg);
                const ga = v.all(T.listener).find((l) => l.inputs.port === GA_ENDPOINT_PORT)!;
                expect(ga.inputs.defaultActions).to.deep.equal([
                    { type: "forward", targetGroupArn: v.out(tg, "arn") },
                ]);
                const rules = v
                    .all(T.listenerRule)
                    .filter((r) => r.inputs.listenerArn === v.out(ga, "arn"));
                expect(rules.every((r) => r.name.endsWith("-residency"))).to.equal(true);
            });

            it("fails closed on residency: outside the edge's residency region both HTTPS listeners refuse tagged requests first; inside, they forward them", () => {
                const resident = edgeResidencyOf(v.config.topology);
                const listeners = v.all(T.listener).filter((l) => l.inputs.protocol === "HTTPS");
                for (const l of listeners) {
                    const rules = v
                        .all(T.listenerRule)
                        .filter((r) => r.inputs.listenerArn === v.out(l, "arn"));
                    const refusing = rules.filter((r) =>
                        JSON.stringify(r.inputs.conditions).includes(RESIDENCY_HEADER),
                    );
                    if (region === resident.region) {
                        expect(refusing, `${l.inputs.port}`).to.deep.equal([]);
                        continue;
                    }
                    expect(refusing, `${l.inputs.port}`).to.have.length(1);
                    const rule = refusing[0];
                    expect(rule.inputs.conditions).to.deep.equal([
                        {
                            httpHeader: {
                                httpHeaderName: RESIDENCY_HEADER,
                                values: [resident.region],
                            },
                        },
                    ]);
                    const [action] = rule.inputs.actions as Record<string, any>[];
                    expect(action.type).to.equal("fixed-response");
                    expect(action.fixedResponse).to.include({
                        statusCode: "403",
                        contentType: "application/json",
                    });
                    const body = JSON.parse(action.fixedResponse.messageBody);
                    expect(body).to.include({
                        error: "data_residency_violation",
                        rule: "data-residency-fail-closed",
                        requiredRegion: resident.region,
                        region,
                    });
                    // Evaluated before every forwarding rule of the listener.
                    for (const other of rules.filter((r) => r !== rule))
                        expect(rule.inputs.priority as number).to.be.lessThan(
                            other.inputs.priority as number,
                        );
                }
            });

            it("answers as designed: 443 needs the secret (or the health path), 8443 forwards, residency-tagged requests fail closed outside the residency region", () => {
                const resident = edgeResidencyOf(v.config.topology);
                const primary = planned.find((p) => p.config.role === "primary")!;
                const secret = String(primary.outputs.originVerifySecret);
                const tagged = { [RESIDENCY_HEADER]: resident.region };
                const signed = { [ORIGIN_VERIFY_HEADER]: secret };
                const at = (port: number, path: string, headers: Record<string, string> = {}) =>
                    albAnswer(v, { port, path, headers });
                const refused =
                    region === resident.region ? "forward" : "403 data-residency-fail-closed";
                // CloudFront (signed), the health checkers (health path), strangers (neither).
                expect(at(443, "/api/v1/projects", signed)).to.equal("forward");
                expect(at(443, "/health")).to.equal("forward");
                expect(at(443, "/api/v1/projects")).to.equal("403 origin-verify");
                expect(at(443, "/api/v1/projects", { [ORIGIN_VERIFY_HEADER]: "guess" })).to.equal(
                    "403 origin-verify",
                );
                // Global Accelerator, no header.
                expect(at(GA_ENDPOINT_PORT, "/api/v1/projects")).to.equal("forward");
                // A request the edge router pinned to the residency region.
                expect(at(443, "/api/v1/projects", { ...signed, ...tagged })).to.equal(refused);
                expect(at(443, "/health", tagged)).to.equal(refused);
                expect(at(GA_ENDPOINT_PORT, "/api/v1/projects", tagged)).to.equal(refused);
                expect(
                    at(GA_ENDPOINT_PORT, "/x", {
                        [RESIDENCY_HEADER]: resident.region.toUpperCase(),
                    }),
                ).to.equal(refused);
                // Port 80 only redirects.
                expect(at(80, "/")).to.equal("redirect");
            });

            it("serves an ip target group checked on /health", () => {
                const tg = v.one(T.tg);
                expect(tg.inputs.targetType).to.equal("ip");
                expect(tg.inputs.protocol).to.equal("HTTP");
                expect(tg.inputs.healthCheck).to.include({ path: "/health", matcher: "200" });
            });

            it("names the origin <region>.origin.<domain> in the hosted zone, aliased to the ALB", () => {
                const lb = v.one(T.lb);
                const rec = v.one(T.record, "cell-origin-record");
                expect(rec.inputs.name).to.equal(`${region}.origin.${domain}`);
                expect(rec.inputs.type).to.equal("A");
                expect(rec.inputs.aliases).to.deep.equal([
                    {
                        name: v.out(lb, "dnsName"),
                        zoneId: v.out(lb, "zoneId"),
                        evaluateTargetHealth: true,
                    },
                ]);
                expect(rec.inputs.zoneId).to.equal(
                    v.one(T.record, "cell-cert-validation").inputs.zoneId,
                );
            });

            it("protects the ALB and logs its access to a locked-down bucket in the region", () => {
                const lb = v.one(T.lb).inputs;
                expect(lb).to.include({
                    loadBalancerType: "application",
                    internal: false,
                    enableDeletionProtection: true,
                    dropInvalidHeaderFields: true,
                });
                const bucket = v.one(T.bucket);
                expect(bucket.region).to.equal(region);
                expect(lb.accessLogs).to.deep.include({ bucket: bucket.id, enabled: true });
                // Request metadata of the region's users: classified like the zone the region
                // hosts (eu-west-1: eu), else global.
                expect((bucket.inputs.tags as Record<string, string>)["data-residency"]).to.equal(
                    v.config.boundary?.zone ?? "global",
                );
                const pab = v.one(T.bucketPab).inputs;
                expect(pab).to.include({
                    bucket: bucket.id,
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                });
                // ELB writes access logs only to SSE-S3 buckets.
                expect(v.one(T.bucketSse).inputs.rules).to.deep.equal([
                    { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                ]);
                const rules = v.one(T.bucketLifecycle).inputs.rules as {
                    expiration: { days: number };
                }[];
                expect(rules[0].expiration.days).to.be.greaterThan(0);
                const policy = parseJson(v.one(T.bucketPolicy).inputs.policy) as {
                    Statement: Record<string, unknown>[];
                };
                const deny = policy.Statement.find((s) => s.Effect === "Deny")!;
                expect(deny.Condition).to.deep.equal({
                    Bool: { "aws:SecureTransport": "false" },
                });
                const writer = policy.Statement.find((s) => s.Action === "s3:PutObject")!;
                const elb = v.invoke("aws:elb/getServiceAccount:getServiceAccount", { region });
                expect(writer.Principal).to.deep.equal({ AWS: elb.arn });
            });

            it("admits only the edge to the ALB: CloudFront's prefix list and Route 53 health checkers on 443", () => {
                const lb = v.one(T.lb);
                const sgs = lb.inputs.securityGroups as string[];
                expect(sgs).to.have.length(2);
                const ingress = v
                    .all(T.ingress)
                    .filter((r) => sgs.includes(r.inputs.securityGroupId as string));
                const cloudFront = v.invoke("aws:ec2/getManagedPrefixList:getManagedPrefixList", {
                    name: CLOUDFRONT_PREFIX_LIST,
                });
                const checkers = v.invoke("aws:ec2/getManagedPrefixList:getManagedPrefixList", {
                    name: `com.amazonaws.${region}.route53-healthchecks`,
                });
                expect(
                    ingress.map((r) => [r.inputs.prefixListId, r.inputs.fromPort, r.inputs.toPort]),
                ).to.have.deep.members([
                    [cloudFront.id, 443, 443],
                    [checkers.id, 443, 443],
                ]);
                for (const r of ingress) {
                    expect(r.inputs, r.name).to.not.have.any.keys(
                        "cidrIpv4",
                        "cidrIpv6",
                        "referencedSecurityGroupId",
                    );
                }
                // The CloudFront rule weighs 55 of 60 rules: it has a group of its own.
                const cfRule = ingress.find((r) => r.inputs.prefixListId === cloudFront.id)!;
                expect(
                    ingress.filter(
                        (r) => r.inputs.securityGroupId === cfRule.inputs.securityGroupId,
                    ),
                ).to.have.length(1);
            });

            it("lets nothing from 0.0.0.0/0 or ::/0 into any security group", () => {
                const open = (x: unknown) => x === "0.0.0.0/0" || x === "::/0";
                for (const r of v.all(T.ingress)) {
                    expect(open(r.inputs.cidrIpv4) || open(r.inputs.cidrIpv6), r.name).to.equal(
                        false,
                    );
                }
                for (const sg of v.all(T.sg)) {
                    for (const rule of (sg.inputs.ingress as Record<string, unknown>[]) ?? []) {
                        const blocks = [
                            ...((rule.cidrBlocks as string[]) ?? []),
                            ...((rule.ipv6CidrBlocks as string[]) ?? []),
                        ];
                        expect(blocks.some(open), sg.name).to.equal(false);
                    }
                }
            });

            it("admits the ALB only to the tasks, and the tasks only to the data tier's ports", () => {
                const lb = v.one(T.lb);
                const [albSg] = lb.inputs.securityGroups as string[];
                const svc = v.one(T.service);
                const net = svc.inputs.networkConfiguration as Record<string, unknown>;
                const [tasksSg] = net.securityGroups as string[];
                const dataSg = v.one(T.sg, "cell-data-sg").id;
                const port = (v.one(T.tg).inputs.port as number) ?? 0;
                const into = (sg: string) =>
                    v
                        .all(T.ingress)
                        .filter((r) => r.inputs.securityGroupId === sg)
                        .map((r) => [
                            r.inputs.referencedSecurityGroupId,
                            r.inputs.fromPort,
                            r.inputs.toPort,
                        ]);
                expect(into(tasksSg)).to.deep.equal([[albSg, port, port]]);
                expect(into(dataSg!)).to.have.deep.members(
                    Object.values(DATA_PORTS).map((p) => [tasksSg, p, p]),
                );
                const outOf = (sg: string) =>
                    v
                        .all(T.egress)
                        .filter((r) => r.inputs.securityGroupId === sg)
                        .map((r) => [
                            r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4,
                            r.inputs.fromPort,
                        ]);
                expect(outOf(albSg)).to.deep.equal([[tasksSg, port]]);
                expect(outOf(tasksSg)).to.have.deep.members([
                    ["0.0.0.0/0", 443],
                    ...Object.values(DATA_PORTS).map((p) => [dataSg, p]),
                ]);
                expect(outOf(dataSg!)).to.deep.equal([]);
            });

            it("runs the service on Fargate in private subnets behind the target group, rolling back failed deployments", () => {
                const svc = v.one(T.service);
                const vpc = v.one(T.vpc);
                const net = svc.inputs.networkConfiguration as Record<string, unknown>;
                expect(net.subnets).to.deep.equal(vpc.outputs.privateSubnetIds);
                expect(net.assignPublicIp).to.equal(false);
                expect(svc.inputs.launchType).to.equal("FARGATE");
                expect(svc.inputs.loadBalancers).to.deep.equal([
                    {
                        targetGroupArn: v.out(v.one(T.tg), "arn"),
                        containerName: "app",
                        containerPort: v.one(T.tg).inputs.port,
                    },
                ]);
                expect(svc.inputs.deploymentCircuitBreaker).to.deep.equal({
                    enable: true,
                    rollback: true,
                });
                // ...once the target group is attached to the ALB (8443 forwards to it by default).
                const ga = v.all(T.listener).find((l) => l.inputs.port === GA_ENDPOINT_PORT)!;
                expect(svc.options.dependsOn).to.include(ga.urn);
            });

            it("rolls a failed deployment back on its circuit breaker and on its 5xx and unhealthy-host alarms, rolling 100-200% (issue 16)", () => {
                const svc = v.one(T.service);
                const env = v.config.environment;
                expect(svc.inputs.deploymentCircuitBreaker).to.deep.equal({
                    enable: true,
                    rollback: true,
                });
                // The named alarms the service watches are this cell's own, planned alarms.
                const alarm = (n: string) => v.one(T.alarm, `cell-alarm-${n}`);
                expect(svc.inputs.alarms).to.deep.equal({
                    enable: true,
                    rollback: true,
                    alarmNames: [
                        `taskflow-${env}-cell-${region}-5xx-rate`,
                        `taskflow-${env}-cell-${region}-unhealthy-hosts`,
                    ],
                });
                expect((svc.inputs.alarms as { alarmNames: string[] }).alarmNames).to.deep.equal([
                    alarm("5xx-rate").inputs.name,
                    alarm("unhealthy-hosts").inputs.name,
                ]);
                expect(alarm("latency-p99").inputs.name).to.equal(
                    `taskflow-${env}-cell-${region}-latency-p99`,
                );
                expect(svc.options.dependsOn).to.include.members([
                    alarm("5xx-rate").urn,
                    alarm("unhealthy-hosts").urn,
                ]);
                expect(svc.inputs).to.include({
                    deploymentMinimumHealthyPercent: 100,
                    deploymentMaximumPercent: 200,
                });
                // ECS's rolling update: no blue/green (docs/operations.md, "Why not ECS
                // blue/green"), no second target group, no external deployment controller.
                expect(svc.inputs.deploymentConfiguration).to.equal(undefined);
                expect(svc.inputs.deploymentController).to.equal(undefined);
                for (const lb of svc.inputs.loadBalancers as Record<string, unknown>[])
                    expect(lb).to.not.have.property("advancedConfiguration");
                expect(v.all(T.tg)).to.have.length(1);
            });

            it("keeps desiredCount out of diffs (autoscaling and night mode own it at runtime)", () => {
                expect(v.one(T.service).options.ignoreChanges).to.include("desiredCount");
            });

            it("sizes the service and the NAT gateways from the stack's cell mode", () => {
                const cell = v.config.cell!;
                const expected = expectedCapacity(cell.mode, cell);
                const target = v.one(T.scalingTarget).inputs;
                expect(target).to.include({
                    minCapacity: expected.min,
                    maxCapacity: expected.max,
                    serviceNamespace: "ecs",
                    scalableDimension: "ecs:service:DesiredCount",
                });
                expect(target.resourceId).to.equal(
                    `service/${v.out(v.one("aws:ecs/cluster:Cluster"), "name")}/${v.out(v.one(T.service), "name")}`,
                );
                expect(v.one(T.service).inputs.desiredCount).to.equal(expected.min);
                expect((v.one(T.vpc).inputs.natGateways as { strategy: string }).strategy).to.equal(
                    expected.nat,
                );
            });

            it("scales on CPU and on requests per target with target tracking", () => {
                const target = v.one(T.scalingTarget).inputs;
                const metrics = v.all(T.scalingPolicy).map((pol) => {
                    expect(pol.inputs.policyType).to.equal("TargetTrackingScaling");
                    expect(pol.inputs.resourceId).to.equal(target.resourceId);
                    const c = pol.inputs.targetTrackingScalingPolicyConfiguration as {
                        predefinedMetricSpecification: Record<string, string>;
                    };
                    return c.predefinedMetricSpecification;
                });
                const lb = v.one(T.lb);
                const tg = v.one(T.tg);
                expect(metrics).to.have.deep.members([
                    { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                    {
                        predefinedMetricType: "ALBRequestCountPerTarget",
                        resourceLabel: `${lb.outputs.arnSuffix}/${tg.outputs.arnSuffix}`,
                    },
                ]);
            });

            it("gives the tasks the config's image, their region, role and residency zone, and the edge's residency pinning", () => {
                const td = v.one(T.taskDef);
                const [c] = parseJson(td.inputs.containerDefinitions) as {
                    image: string;
                    logConfiguration: { options: Record<string, string> };
                }[];
                expect(c.image).to.equal(v.config.cell!.image);
                const env = taskVariables(td, v.stack.mocks.ofType(T.parameter));
                const resident = edgeResidencyOf(v.config.topology);
                expect(env).to.include({
                    AWS_REGION: region,
                    TASKFLOW_REGION: region,
                    TASKFLOW_ROLE: v.config.role,
                    TASKFLOW_RESIDENCY_ZONE: v.config.regionSpec!.zone,
                    TASKFLOW_RESIDENT_ZONE: resident.zone,
                    TASKFLOW_RESIDENT_REGION: resident.region,
                    TASKFLOW_RESIDENCY_HEADER: RESIDENCY_HEADER,
                });
                expect(td.inputs).to.include({
                    cpu: String(v.config.cell!.taskCpu),
                    memory: String(v.config.cell!.taskMemory),
                    networkMode: "awsvpc",
                });
                const lg = v.one(T.logGroup);
                expect(c.logConfiguration.options["awslogs-group"]).to.equal(lg.inputs.name);
                expect(lg.inputs.kmsKeyId).to.equal(v.out(v.one(T.kmsKey), "arn"));
                expect(lg.inputs.retentionInDays).to.be.greaterThan(0);
            });

            it("passes the data tier's endpoints to the tasks, none where the region holds no global data", () => {
                const env = taskVariables(v.one(T.taskDef), v.stack.mocks.ofType(T.parameter));
                // Whatever the data tier returned is in the env: an endpoint (writer or reader,
                // the data tier's choice) of this region's Aurora member (GlobalData), as the mocks
                // synthesized it, proves the wiring.
                const data = v.stack.mocks.ofType("taskflow:data:GlobalData").map((r) => r.urn);
                const clusters = v.stack.mocks
                    .ofType("aws:rds/cluster:Cluster")
                    .filter((r) => data.includes(r.parent ?? ""));
                if (!holdsGlobalData(v.config)) {
                    // globalData: false: no member of the data tier, so no endpoint, table,
                    // bucket or secret of it reaches the tasks.
                    expect(clusters, "an Aurora member in a no-global-data stack").to.be.empty;
                    const dataTier = Object.keys(env).filter((k) =>
                        /^(DATABASE|CACHE|ASSETS|SESSIONS|USER_PREFERENCES)_/.test(k),
                    );
                    expect(dataTier, "data-tier variables").to.be.empty;
                    expect(env).to.include({ TASKFLOW_ROLE: v.config.role });
                    return;
                }
                expect(clusters, "an Aurora member in the stack").to.not.be.empty;
                const endpoints = clusters.flatMap((r) => [
                    r.outputs.endpoint,
                    r.outputs.readerEndpoint,
                ]);
                expect(
                    Object.values(env).filter((e) => endpoints.includes(e)),
                    JSON.stringify(endpoints),
                ).to.not.be.empty;
            });

            it("grants the task roles no wildcard action", () => {
                for (const rp of v.all(T.rolePolicy)) {
                    const doc = parseJson(rp.inputs.policy) as { Statement: { Action: unknown }[] };
                    for (const s of doc.Statement) {
                        for (const a of ([] as unknown[]).concat(s.Action)) {
                            expect(String(a), rp.name).to.not.match(/(^\*$|:\*$)/);
                        }
                    }
                }
            });

            it("encrypts logs and alarms with a rotating regional key scoped to this region's services", () => {
                const key = v.one(T.kmsKey);
                expect(key.region).to.equal(region);
                expect(key.inputs).to.include({ enableKeyRotation: true, multiRegion: false });
                const doc = parseJson(key.inputs.policy) as {
                    Statement: { Principal: Record<string, string> }[];
                };
                const services = doc.Statement.map((s) => s.Principal.Service).filter(Boolean);
                expect(services).to.have.members([
                    `logs.${region}.amazonaws.com`,
                    "cloudwatch.amazonaws.com",
                ]);
                const topic = v.one(T.topic);
                expect(topic.inputs.kmsMasterKeyId).to.equal(v.out(key, "arn"));
            });

            it("alarms on 5xx rate, unhealthy hosts and p99 latency to the cell's topic", () => {
                const topicArn = v.out(v.one(T.topic), "arn");
                const alarms = v.all(T.alarm);
                for (const a of alarms)
                    expect(a.inputs.alarmActions, a.name).to.deep.equal([topicArn]);
                const byName = (n: string) => alarms.find((a) => a.name === n)!.inputs;
                const rate = byName("cell-alarm-5xx-rate");
                const queries = rate.metricQueries as {
                    expression?: string;
                    metric?: { metricName: string };
                }[];
                expect(queries.map((q) => q.metric?.metricName).filter(Boolean)).to.have.members([
                    "RequestCount",
                    "HTTPCode_Target_5XX_Count",
                    "HTTPCode_ELB_5XX_Count",
                ]);
                expect(queries.find((q) => q.expression)!.expression).to.contain("/ requests");
                expect(byName("cell-alarm-unhealthy-hosts").metricName).to.equal(
                    "UnHealthyHostCount",
                );
                expect(byName("cell-alarm-latency-p99")).to.include({
                    metricName: "TargetResponseTime",
                    extendedStatistic: "p99",
                });
            });

            it("places every regional resource of the cell in the stack's region", () => {
                const regional = v.stack.mocks.resources.filter(
                    (r) => r.parent === v.cellUrn && r.custom && r.region !== "global",
                );
                expect(regional.length).to.be.greaterThan(20);
                for (const r of regional) expect(r.region, `${r.type} ${r.name}`).to.equal(region);
                for (const t of [T.lb, T.listener, T.tg, T.service, T.scalingTarget]) {
                    expect(v.all(t), t).to.not.be.empty;
                    for (const r of v.all(t)) expect(r.region, t).to.equal(region);
                }
            });

            it("exports what the global stack reads", () => {
                const out = v.stack.plan.outputs;
                const lb = v.one(T.lb);
                expect(out).to.include({
                    albDnsName: lb.outputs.dnsName,
                    albZoneId: ALB_ZONE_IDS[region],
                    albArn: lb.outputs.arn,
                    healthCheckFqdn: `${region}.origin.${domain}`,
                    healthCheckPath: "/health",
                    healthUrl: `https://${region}.origin.${domain}/health`,
                    cellMode: v.config.cell!.mode,
                    edgeSecurityGroupId: (lb.inputs.securityGroups as string[])[1],
                    vpcCidr: v.config.regionSpec!.vpcCidr,
                });
                for (const k of ["kmsKeyArn", "alarmTopicArn", "ecsClusterName", "ecsServiceName"])
                    expect(out[k], k).to.be.a("string").and.not.empty;
            });
        });
    }
});
