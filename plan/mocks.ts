/**
 * The one mocks helper shared by the offline plan and the tests.
 *
 * It records every registered resource — type, name, inputs (Outputs resolved), effective region,
 * provider region, parent and resource options — and synthesizes realistic, deterministic
 * outputs (ids, ARNs, DNS names) so that two plans of the same sources are identical. It throws on
 * any provider function (invoke) it was not told about, so nothing passes on a silently faked call.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";

/** The account id every synthesized ARN uses. */
export const MOCK_ACCOUNT_ID = "123456789012";
/** Pulumi's marker for a value not known until the update (what the engine sends in previews). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Resource options as the engine receives them. */
export interface RecordedOptions {
    protect: boolean;
    ignoreChanges: string[];
    dependsOn: string[];
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
}

/** One registered resource, as the plan file shows it (see docs/plan-format.md). */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    id: string | null;
    /** Effective region; "global" for global services and non-AWS resources; null for components. */
    region: string | null;
    /** Region of the AWS provider used (explicit or default); null for non-AWS resources. */
    providerRegion: string | null;
    parent: string | null;
    /** URN of the explicit provider the resource is created with; null for the default provider. */
    provider: string | null;
    /** Whether a component is a remote component (constructed by a provider plugin, e.g. awsx). */
    remote: boolean;
    /** Top-level input → URNs of the resources its value came from (the engine's property dependencies). */
    propertyDependencies: Record<string, string[]>;
    /** Inputs with Outputs resolved and secrets unwrapped (see `secretPaths`). */
    inputs: Record<string, unknown>;
    /** Synthesized output properties that are not among the inputs. */
    outputs: Record<string, unknown>;
    options: RecordedOptions;
    /** Dotted paths of `inputs` whose values were secret (where the program made them secret). */
    secretPaths: string[];
    /** Dotted paths of `outputs` that are secret (additionalSecretOutputs, SECRET_OUTPUTS). */
    secretOutputPaths: string[];
}

/**
 * A resource the program read instead of registering: today only StackReferences (an existing
 * resource read by id). Planned resources' `dependsOn` may name their URNs.
 */
export interface RecordedRead {
    urn: string;
    type: string;
    name: string;
    /** The id it was read by (for a StackReference, the fully-qualified stack name). */
    id: string;
    parent: string | null;
    /** The read's inputs (for a StackReference, `name`); no outputs: they are the upstream's. */
    inputs: Record<string, unknown>;
}

/**
 * Output properties the provider marks secret (its schema's `secret: true`), by type. The real
 * engine masks them whatever the program says; under the mocks only the program's
 * `additionalSecretOutputs` reach us, so the plan applies this table too.
 */
export const SECRET_OUTPUTS: Record<string, readonly string[]> = {
    "random:index/randomPassword:RandomPassword": ["result", "bcryptHash"],
    "aws:iam/accessKey:AccessKey": ["secret", "sesSmtpPasswordV4", "encryptedSecret"],
    "aws:rds/cluster:Cluster": ["masterPassword"],
    "aws:elasticache/replicationGroup:ReplicationGroup": ["authToken"],
    "aws:secretsmanager/secretVersion:SecretVersion": ["secretString", "secretBinary"],
};

/** Context handed to a synthesizer. */
export interface SynthContext {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** Effective region (or "global"). */
    region: string;
    stack: string;
    /** Deterministic short hex digest of (stack, type, name, salt). */
    hash: (salt?: string, length?: number) => string;
    /** The physical name AWS would get: the input name field, else `<name>-<7 hex>`. */
    physicalName: string;
    /** A realistic ARN for this resource. */
    arn: (resourcePart?: string) => string;
}

/** Returns the id and extra output properties of a resource type. */
export type Synthesizer = (ctx: SynthContext) => { id?: string; outputs?: Record<string, unknown> };

/** Canonical hosted zone ids of Application Load Balancers, per region (AWS docs, "Elastic Load Balancing endpoints and quotas"). */
export const ALB_ZONE_IDS: Record<string, string> = {
    "ap-northeast-1": "Z14GRHDCWA56QT",
    "ap-northeast-2": "ZWKZPGTI48KDX",
    "ap-southeast-1": "Z1LMS91P8CMLE5",
    "ap-southeast-2": "Z1GM3OXH4ZPM65",
    "eu-central-1": "Z215JYRZR1TBD5",
    "eu-west-1": "Z32O12XQLNTSW2",
    "eu-west-2": "ZHURV8PSTC4K8",
    "us-east-1": "Z35SXDOTRQ7X7K",
    "us-east-2": "Z3AADJGX6KTTL2",
    "us-west-2": "Z1H1FL5HABSF5",
};
/** CloudFront's fixed alias hosted zone id. */
export const CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2";
/** Global Accelerator's fixed alias hosted zone id. */
export const GLOBAL_ACCELERATOR_ZONE_ID = "Z2BJ6XQ5FK7U4H";
/** ELB log-delivery account per region (for ALB access-log bucket policies in older regions). */
export const ELB_ACCOUNT_IDS: Record<string, string> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-2": "797873946194",
    "eu-west-1": "156460612806",
    "eu-central-1": "054676820928",
    "ap-northeast-1": "582318560864",
    "ap-southeast-2": "783225319266",
};

const GLOBAL_TYPE_PREFIXES = [
    "aws:iam/",
    "aws:route53/",
    "aws:cloudfront/",
    "aws:globalaccelerator/",
    "aws:organizations/",
];

const first = (inputs: Record<string, unknown>, ...keys: string[]): string | undefined => {
    for (const k of keys)
        if (typeof inputs[k] === "string" && inputs[k] !== "") return inputs[k] as string;
    return undefined;
};

/**
 * Type-specific outputs. Components extend this table with small, targeted entries for the types
 * whose outputs they read; anything absent gets a generic id and ARN.
 */
export const SYNTHESIZERS: Record<string, Synthesizer> = {
    "random:index/randomPassword:RandomPassword": (c) => ({
        outputs: { result: `mock-${c.hash("pw", 24)}`, bcryptHash: `$2a$10$${c.hash("bc", 22)}` },
    }),
    "random:index/randomId:RandomId": (c) => ({
        outputs: {
            hex: c.hash("hex", 16),
            b64Url: c.hash("b64", 11),
            dec: String(parseInt(c.hash("d", 8), 16)),
        },
    }),
    "random:index/randomString:RandomString": (c) => ({
        outputs: { result: c.hash("str", Number(c.inputs.length ?? 16)) },
    }),
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
    "aws:lb/loadBalancer:LoadBalancer": (c) => {
        const lbName = (
            first(c.inputs, "name") ?? `${c.name.slice(0, 24)}-${c.hash("lb", 7)}`
        ).slice(0, 32);
        const suffix = `app/${lbName}/${c.hash("lbid", 16)}`;
        return {
            id: c.arn(`loadbalancer/${suffix}`),
            outputs: {
                arn: c.arn(`loadbalancer/${suffix}`),
                arnSuffix: suffix,
                dnsName: `${lbName}-${parseInt(c.hash("dns", 8), 16)}.${c.region}.elb.amazonaws.com`,
                zoneId: ALB_ZONE_IDS[c.region] ?? `Z${c.hash("zone", 13).toUpperCase()}`,
                name: lbName,
            },
        };
    },
    "aws:lb/targetGroup:TargetGroup": (c) => {
        const suffix = `targetgroup/${c.physicalName.slice(0, 32)}/${c.hash("tg", 16)}`;
        return { id: c.arn(suffix), outputs: { arn: c.arn(suffix), arnSuffix: suffix } };
    },
    "aws:rds/globalCluster:GlobalCluster": (c) => {
        const id = first(c.inputs, "globalClusterIdentifier") ?? c.physicalName;
        return {
            id,
            outputs: {
                arn: `arn:aws:rds::${MOCK_ACCOUNT_ID}:global-cluster:${id}`,
                globalClusterResourceId: `cluster-${c.hash("gc", 26)}`,
            },
        };
    },
    "aws:rds/cluster:Cluster": (c) => {
        const id = first(c.inputs, "clusterIdentifier") ?? c.physicalName;
        const host = `${id}.cluster-${c.hash("host", 12)}.${c.region}.rds.amazonaws.com`;
        return {
            id,
            outputs: {
                arn: c.arn(`cluster:${id}`),
                clusterIdentifier: id,
                endpoint: host,
                readerEndpoint: host.replace(".cluster-", ".cluster-ro-"),
                clusterResourceId: `cluster-${c.hash("res", 26).toUpperCase()}`,
                port: c.inputs.port ?? 5432,
            },
        };
    },
    "aws:rds/clusterInstance:ClusterInstance": (c) => {
        const id = first(c.inputs, "identifier") ?? c.physicalName;
        return {
            id,
            outputs: {
                arn: c.arn(`db:${id}`),
                endpoint: `${id}.${c.hash("host", 12)}.${c.region}.rds.amazonaws.com`,
            },
        };
    },
    "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup": (c) => {
        // AWS prefixes the suffix with a fixed per-account prefix (e.g. "ldgnf-").
        const id = `${c.hash("prefix", 5)}-${first(c.inputs, "globalReplicationGroupIdSuffix") ?? c.name}`;
        return {
            id,
            outputs: {
                globalReplicationGroupId: id,
                arn: `arn:aws:elasticache::${MOCK_ACCOUNT_ID}:globalreplicationgroup:${id}`,
            },
        };
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": (c) => {
        const id = first(c.inputs, "replicationGroupId") ?? c.physicalName;
        return {
            id,
            outputs: {
                arn: c.arn(`replicationgroup:${id}`),
                primaryEndpointAddress: `master.${id}.${c.hash("ec", 6)}.${c.region === "us-east-1" ? "use1" : c.region}.cache.amazonaws.com`,
                readerEndpointAddress: `replica.${id}.${c.hash("ec", 6)}.cache.amazonaws.com`,
            },
        };
    },
    "aws:dynamodb/table:Table": (c) => {
        const n = first(c.inputs, "name") ?? c.physicalName;
        return {
            id: n,
            outputs: {
                arn: c.arn(`table/${n}`),
                streamArn: c.inputs.streamEnabled
                    ? c.arn(`table/${n}/stream/2026-01-01T00:00:00.000`)
                    : undefined,
            },
        };
    },
    "aws:kms/key:Key": (c) => {
        const keyId = `${c.inputs.multiRegion ? "mrk-" : ""}${c.hash("key", 32)}`;
        return { id: keyId, outputs: { keyId, arn: c.arn(`key/${keyId}`) } };
    },
    "aws:kms/replicaKey:ReplicaKey": (c) => {
        const src = String(c.inputs.primaryKeyArn ?? "");
        const keyId = src.includes("/")
            ? src.slice(src.lastIndexOf("/") + 1)
            : `mrk-${c.hash("key", 32)}`;
        return { id: keyId, outputs: { keyId, arn: c.arn(`key/${keyId}`) } };
    },
    "aws:kms/alias:Alias": (c) => ({
        id: first(c.inputs, "name") ?? `alias/${c.name}`,
        outputs: { arn: c.arn(String(first(c.inputs, "name") ?? `alias/${c.name}`)) },
    }),
    "aws:route53/healthCheck:HealthCheck": (c) => ({
        id: `${c.hash("hc", 8)}-${c.hash("hc2", 4)}-${c.hash("hc3", 4)}-${c.hash("hc4", 4)}-${c.hash("hc5", 12)}`,
    }),
    "aws:route53/record:Record": (c) => ({
        id: `${c.inputs.zoneId}_${c.inputs.name}_${c.inputs.type}${c.inputs.setIdentifier ? `_${c.inputs.setIdentifier}` : ""}`,
        outputs: { fqdn: c.inputs.name },
    }),
    "aws:acm/certificate:Certificate": (c) => {
        const names = [
            c.inputs.domainName,
            ...((c.inputs.subjectAlternativeNames as string[] | undefined) ?? []),
        ].filter(Boolean) as string[];
        // ACM gives one validation CNAME per domain name per account, whichever certificate (or
        // stack, or region) asks, and a wildcard the same one as its base name:
        // https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
        const record = (d: string) => {
            const base = d.replace(/^\*\./, "");
            const h = (salt: string) => digest("acm-validation", MOCK_ACCOUNT_ID, base, salt);
            return {
                domainName: d,
                resourceRecordName: `_${h("name").slice(0, 32)}.${base}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${h("value").slice(0, 32)}.${h("target").slice(0, 10)}.acm-validations.aws.`,
            };
        };
        return {
            id: c.arn(
                `certificate/${c.hash("cert", 8)}-${c.hash("c2", 4)}-${c.hash("c3", 4)}-${c.hash("c4", 4)}-${c.hash("c5", 12)}`,
            ),
            outputs: {
                arn: c.arn(
                    `certificate/${c.hash("cert", 8)}-${c.hash("c2", 4)}-${c.hash("c3", 4)}-${c.hash("c4", 4)}-${c.hash("c5", 12)}`,
                ),
                domainValidationOptions: names.map(record),
            },
        };
    },
    "aws:cloudfront/distribution:Distribution": (c) => {
        const id = `E${c.hash("cf", 13).toUpperCase()}`;
        return {
            id,
            outputs: {
                arn: `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/${id}`,
                domainName: `d${c.hash("cfd", 13)}.cloudfront.net`,
                hostedZoneId: CLOUDFRONT_ZONE_ID,
            },
        };
    },
    "aws:globalaccelerator/accelerator:Accelerator": (c) => {
        const id = `arn:aws:globalaccelerator::${MOCK_ACCOUNT_ID}:accelerator/${c.hash("ga", 8)}-${c.hash("ga2", 4)}-${c.hash("ga3", 4)}-${c.hash("ga4", 4)}-${c.hash("ga5", 12)}`;
        const ip = (salt: string) =>
            `${75 + (parseInt(c.hash(salt, 2), 16) % 25)}.2.${parseInt(c.hash(`${salt}a`, 2), 16)}.${parseInt(c.hash(`${salt}b`, 2), 16)}`;
        return {
            id,
            outputs: {
                dnsName: `a${c.hash("gadns", 16)}.awsglobalaccelerator.com`,
                hostedZoneId: GLOBAL_ACCELERATOR_ZONE_ID,
                ipSets: [{ ipFamily: "IPv4", ipAddresses: [ip("ip1"), ip("ip2")] }],
            },
        };
    },
    // Global Accelerator ARNs nest: accelerator/<id>/listener/<id>/endpoint-group/<id>.
    "aws:globalaccelerator/listener:Listener": (c) => {
        const acc =
            first(c.inputs, "acceleratorArn") ??
            `arn:aws:globalaccelerator::${MOCK_ACCOUNT_ID}:accelerator/${c.hash("acc", 8)}`;
        const id = `${acc}/listener/${c.hash("lis", 8)}`;
        return { id, outputs: { arn: id } };
    },
    "aws:globalaccelerator/endpointGroup:EndpointGroup": (c) => {
        const lis =
            first(c.inputs, "listenerArn") ??
            `arn:aws:globalaccelerator::${MOCK_ACCOUNT_ID}:accelerator/${c.hash("acc", 8)}/listener/${c.hash("lis", 8)}`;
        const id = `${lis}/endpoint-group/${c.hash("eg", 12)}`;
        return { id, outputs: { arn: id } };
    },
    "aws:lambda/function:Function": (c) => {
        const fn = first(c.inputs, "name") ?? c.physicalName;
        const arn = c.arn(`function:${fn}`);
        return {
            id: fn,
            outputs: {
                arn,
                name: fn,
                version: c.inputs.publish ? "1" : "$LATEST",
                qualifiedArn: `${arn}:${c.inputs.publish ? "1" : "$LATEST"}`,
                invokeArn: `arn:aws:apigateway:${c.region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
            },
        };
    },
    "aws:s3/bucket:Bucket": (c) => {
        const b = first(c.inputs, "bucket") ?? `${c.name.slice(0, 40)}-${c.hash("b", 7)}`;
        return {
            id: b,
            outputs: {
                bucket: b,
                arn: `arn:aws:s3:::${b}`,
                bucketRegionalDomainName: `${b}.s3.${c.region}.amazonaws.com`,
                region: c.region,
            },
        };
    },
    "aws:iam/role:Role": (c) => {
        const n = first(c.inputs, "name") ?? c.physicalName;
        return {
            id: n,
            outputs: {
                arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${n}`,
                name: n,
                uniqueId: `AROA${c.hash("role", 17).toUpperCase()}`,
            },
        };
    },
    "aws:iam/policy:Policy": (c) => {
        const n = first(c.inputs, "name") ?? c.physicalName;
        return {
            id: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${n}`,
            outputs: { arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${n}`, name: n },
        };
    },
    "aws:ec2/securityGroup:SecurityGroup": (c) => ({
        id: `sg-${c.hash("sg", 17)}`,
        outputs: { arn: c.arn(`security-group/sg-${c.hash("sg", 17)}`) },
    }),
    "aws:ecs/cluster:Cluster": (c) => ({
        id: c.arn(`cluster/${first(c.inputs, "name") ?? c.physicalName}`),
        outputs: {
            arn: c.arn(`cluster/${first(c.inputs, "name") ?? c.physicalName}`),
            name: first(c.inputs, "name") ?? c.physicalName,
        },
    }),
    "aws:ecs/service:Service": (c) => ({
        id: c.arn(`service/${first(c.inputs, "name") ?? c.physicalName}`),
        outputs: { name: first(c.inputs, "name") ?? c.physicalName },
    }),
    "aws:ecs/taskDefinition:TaskDefinition": (c) => {
        const fam = first(c.inputs, "family") ?? c.physicalName;
        return {
            id: fam,
            outputs: {
                arn: c.arn(`task-definition/${fam}:1`),
                revision: 1,
                arnWithoutRevision: c.arn(`task-definition/${fam}`),
            },
        };
    },
    "aws:cloudwatch/logGroup:LogGroup": (c) => {
        const n = first(c.inputs, "name") ?? c.physicalName;
        return { id: n, outputs: { arn: c.arn(`log-group:${n}`), name: n } };
    },
    "aws:sns/topic:Topic": (c) => {
        const n = first(c.inputs, "name") ?? c.physicalName;
        return { id: c.arn(n), outputs: { arn: c.arn(n), name: n } };
    },
    // GlobalData (issue #4): auto-named groups are read by name; secret ARNs carry a 6-char suffix.
    "aws:rds/subnetGroup:SubnetGroup": (c) => {
        const n = (first(c.inputs, "name") ?? c.physicalName).toLowerCase();
        return { id: n, outputs: { name: n, arn: c.arn(`subgrp:${n}`) } };
    },
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": (c) => {
        const n = (first(c.inputs, "name") ?? c.physicalName).toLowerCase();
        return { id: n, outputs: { name: n, arn: c.arn(`cluster-pg:${n}`) } };
    },
    "aws:elasticache/subnetGroup:SubnetGroup": (c) => {
        const n = (first(c.inputs, "name") ?? c.physicalName).toLowerCase();
        return { id: n, outputs: { name: n, arn: c.arn(`subnetgroup:${n}`) } };
    },
    "aws:secretsmanager/secret:Secret": (c) => {
        const n = first(c.inputs, "name") ?? c.physicalName;
        const arn = c.arn(`secret:${n}-${c.hash("sec", 6)}`);
        return { id: arn, outputs: { arn, name: n } };
    },
};

/** What a provider function (invoke) returns, by token. */
export type InvokeHandler = (
    args: Record<string, unknown>,
    ctx: { stack: string; region: string; hash: (salt: string, n?: number) => string },
) => Record<string, unknown>;

/** Invokes the program is allowed to make offline, with realistic results. Anything else throws. */
export const INVOKES: Record<string, InvokeHandler> = {
    "aws:route53/getZone:getZone": (args, ctx) => {
        const zid = `Z${ctx.hash(`zone:${args.name}`, 20).toUpperCase()}`;
        return {
            id: zid,
            zoneId: zid,
            name: String(args.name ?? "").replace(/\.$/, ""),
            privateZone: false,
            nameServers: [],
        };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/offline-plan`,
        userId: "AIDAOFFLINEPLAN",
        id: MOCK_ACCOUNT_ID,
    }),
    "aws:index/getPartition:getPartition": () => ({
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        id: "aws",
    }),
    "aws:index/getRegion:getRegion": (_a, ctx) => ({
        name: ctx.region,
        region: ctx.region,
        id: ctx.region,
        endpoint: `ec2.${ctx.region}.amazonaws.com`,
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_a, ctx) => ({
        names: ["a", "b", "c"].map((s) => `${ctx.region}${s}`),
        zoneIds: [1, 2, 4].map((n) => `${ctx.region.replace(/-(\w)\w+-/, "$1")}-az${n}`),
        id: ctx.region,
    }),
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": (args, ctx) => ({
        id: `pl-${ctx.hash(`pl:${args.name}`, 8)}`,
        name: args.name,
        arn: `arn:aws:ec2:${ctx.region}:aws:prefix-list/pl-${ctx.hash(`pl:${args.name}`, 8)}`,
        addressFamily: "IPv4",
        maxEntries: 55,
    }),
    "aws:elb/getServiceAccount:getServiceAccount": (_a, ctx) => ({
        id: ELB_ACCOUNT_IDS[ctx.region] ?? MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${ELB_ACCOUNT_IDS[ctx.region] ?? MOCK_ACCOUNT_ID}:root`,
    }),
    // A security group looked up by name in a VPC (e.g. the `GlobalAccelerator` group GA creates
    // once an endpoint group targets an ALB in that VPC). Same name+VPC → same id.
    "aws:ec2/getSecurityGroup:getSecurityGroup": (args, ctx) => {
        const sg = `sg-${ctx.hash(`sg:${args.vpcId}:${args.name}`, 17)}`;
        return {
            id: sg,
            name: args.name,
            vpcId: args.vpcId,
            arn: `arn:aws:ec2:${ctx.region}:${MOCK_ACCOUNT_ID}:security-group/${sg}`,
            description: `${args.name} security group`,
            tags: {},
        };
    },
};

/** Options for one mocked program run. */
export interface RecordingMocksOptions {
    project: string;
    stack: string;
    /** The stack's `aws:region`: the default provider's region. */
    awsRegion: string;
    /** Outputs of other stacks, by fully-qualified name (org/project/stack), for StackReferences. */
    stackOutputs?: Record<string, Record<string, unknown>>;
    /** Names of those stacks' secret outputs: a StackReference reports them as secret. */
    stackSecretOutputs?: Record<string, string[]>;
}

/**
 * Where the secrets are in a serialized property map (the gRPC struct as JavaScript), as dotted
 * paths with [i]. The SDK wraps a secret where the program made it secret — a leaf such as
 * `origins[0].customHeaders[0].value` — but `deserializeProperties` lifts the mark to the
 * top-level property holding it, so the paths are read from the struct itself.
 */
export function secretPathsOf(serialized: unknown, path = "", out: string[] = []): string[] {
    if (Array.isArray(serialized)) {
        serialized.forEach((v, i) => secretPathsOf(v, `${path}[${i}]`, out));
    } else if (serialized && typeof serialized === "object") {
        const o = serialized as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) {
            out.push(path);
        } else if (o[SIG_KEY] === undefined) {
            for (const [k, v] of Object.entries(o))
                secretPathsOf(v, path ? `${path}.${k}` : k, out);
        }
    }
    return out;
}

/** Strips Pulumi's wire wrappers (secrets, resource references) and notes where secrets were. */
export function unwrap(value: unknown, path = "", secrets: string[] = []): unknown {
    if (Array.isArray(value)) return value.map((v, i) => unwrap(v, `${path}[${i}]`, secrets));
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) {
            secrets.push(path);
            return unwrap(o.value, path, secrets);
        }
        if (o[SIG_KEY] === RESOURCE_SIG) return o.urn;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(o))
            out[k] = unwrap(v, path ? `${path}.${k}` : k, secrets);
        return out;
    }
    return value;
}

function digest(...parts: string[]): string {
    return crypto.createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

function awsService(type: string): string {
    const m = /^aws:([a-z0-9]+)\//.exec(type);
    const mod = m ? m[1] : "unknown";
    const map: Record<string, string> = {
        lb: "elasticloadbalancing",
        alb: "elasticloadbalancing",
        cloudwatch: "logs",
        ec2: "ec2",
        ecs: "ecs",
        appautoscaling: "application-autoscaling",
    };
    return map[mod] ?? mod;
}

/**
 * Records and synthesizes resources for one mocked program run. Install with `install()`, which
 * calls `pulumi.runtime.setMocks` and taps the mock monitor so resource options are recorded too.
 */
/** The URN part of a provider reference (`<urn>::<id>`); null for the default provider (""). */
function providerUrnOf(ref: string): string | null {
    return ref ? ref.slice(0, ref.lastIndexOf("::")) : null;
}

/** The property dependencies a registration carries, without empty lists (as the engine keeps them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function propertyDependenciesOf(req: any): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [k, v] of req.getPropertydependenciesMap().entries()) {
        const urns = [...new Set<string>(v.getUrnsList())].sort();
        if (urns.length > 0) out[k] = urns;
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    /** Resources read rather than registered (StackReferences). */
    readonly reads: RecordedRead[] = [];
    readonly stackReferences: string[] = [];
    /** Errors raised inside the mocks (unknown invokes, missing stack outputs). */
    readonly errors: Error[] = [];
    private readonly providerRegions = new Map<string, string>();

    constructor(readonly options: RecordingMocksOptions) {}

    /** Configures the Pulumi runtime to use these mocks (call before importing/running the program). */
    async install(org?: string): Promise<void> {
        await pulumi.runtime.setMocks(this, this.options.project, this.options.stack, false, org);
        // The mock monitor passes only type/name/inputs/provider to `newResource`; tap it to see
        // the whole request (parent, protect, ignoreChanges, dependencies, retainOnDelete).
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const monitor = (pulumi.runtime as any).getMonitor();
        const original = monitor.registerResource.bind(monitor);
        /* eslint-disable @typescript-eslint/no-explicit-any */
        monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) => {
            original(req, (err: unknown, resp: any) => {
                if (!err && resp) this.record(req, resp);
                callback(err, resp);
            });
        };
        const originalRead = monitor.readResource.bind(monitor);
        monitor.readResource = (req: any, callback: (err: unknown, resp: any) => void) => {
            originalRead(req, (err: unknown, resp: any) => {
                /* eslint-enable @typescript-eslint/no-explicit-any */
                if (!err && resp) {
                    const inputs = unwrap(
                        pulumi.runtime.deserializeProperties(req.getProperties()),
                    ) as Record<string, unknown>;
                    for (const k of Object.keys(inputs))
                        if (inputs[k] === undefined) delete inputs[k];
                    this.reads.push({
                        urn: resp.getUrn(),
                        type: req.getType(),
                        name: req.getName(),
                        id: req.getId(),
                        parent: req.getParent() || null,
                        inputs,
                    });
                }
                callback(err, resp);
            });
        };
    }

    private hashFor(type: string, name: string) {
        return (salt = "", length = 8) => {
            let h = digest(this.options.stack, type, name, salt);
            while (h.length < length) h += digest(h);
            return h.slice(0, length);
        };
    }

    private regionOf(
        type: string,
        custom: boolean,
        providerRegion: string | null,
        inputs: Record<string, unknown>,
    ): string | null {
        if (!custom) return null;
        if (type.startsWith("pulumi:providers:"))
            return typeof inputs.region === "string" ? inputs.region : null;
        if (type === "pulumi:pulumi:StackReference") return null;
        if (!type.startsWith("aws:")) return "global";
        if (GLOBAL_TYPE_PREFIXES.some((p) => type.startsWith(p))) return "global";
        if (typeof inputs.region === "string" && inputs.region !== "") return inputs.region;
        return providerRegion;
    }

    private providerRegionOf(type: string, providerRef: string): string | null {
        if (!type.startsWith("aws:")) return null;
        if (!providerRef) return this.options.awsRegion;
        const urn = providerRef.slice(0, providerRef.lastIndexOf("::"));
        return this.providerRegions.get(urn) ?? this.options.awsRegion;
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private record(req: any, resp: any): void {
        const type: string = req.getType();
        const name: string = req.getName();
        const custom: boolean = req.getCustom();
        const urn: string = resp.getUrn();
        const secretPaths = secretPathsOf(req.getObject().toJavaScript());
        const inputs = unwrap(pulumi.runtime.deserializeProperties(req.getObject())) as Record<
            string,
            unknown
        >;
        const state = unwrap(pulumi.runtime.deserializeProperties(resp.getObject())) as Record<
            string,
            unknown
        >;
        const providerRegion = this.providerRegionOf(type, req.getProvider());
        if (type.startsWith("pulumi:providers:") && typeof inputs.region === "string") {
            this.providerRegions.set(urn, inputs.region);
        }
        const outputs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(state)) {
            if (v !== undefined && JSON.stringify(inputs[k]) !== JSON.stringify(v)) outputs[k] = v;
        }
        const secretOutputs = new Set<string>([
            ...req.getAdditionalsecretoutputsList(),
            ...(SECRET_OUTPUTS[type] ?? []),
        ]);
        const secretOutputPaths = [
            ...Object.keys(outputs).filter((k) => secretOutputs.has(k)),
            ...secretPathsOf(resp.getObject().toJavaScript()).filter(
                (p) => !secretOutputs.has(p.split(/[.[]/)[0]) && p.split(/[.[]/)[0] in outputs,
            ),
        ];
        this.resources.push({
            urn,
            type,
            name,
            custom,
            id: resp.getId() || null,
            region: this.regionOf(type, custom, providerRegion, inputs),
            providerRegion: custom ? providerRegion : null,
            parent: req.getParent() || null,
            provider: providerUrnOf(req.getProvider()),
            remote: req.getRemote() === true,
            propertyDependencies: propertyDependenciesOf(req),
            inputs,
            outputs,
            options: {
                protect: req.getProtect() === true,
                ignoreChanges: [...req.getIgnorechangesList()],
                dependsOn: [...req.getDependenciesList()],
                retainOnDelete: req.getRetainondelete() === true,
                deleteBeforeReplace: req.getDeletebeforereplace() === true,
            },
            secretPaths,
            secretOutputPaths,
        });
    }

    newResource(args: pulumi.runtime.MockResourceArgs): {
        id: string | undefined;
        state: Record<string, unknown>;
    } {
        const inputs = unwrap(args.inputs) as Record<string, unknown>;
        if (args.id && args.type !== "pulumi:pulumi:StackReference") {
            // Resource.get() (or the `import` option): the state would come from the cloud, and a
            // synthesized one would let the plan pass on values nobody looked up.
            const err = new Error(
                `unexpected read of an existing resource ${args.type} "${args.name}" (id ${JSON.stringify(args.id)}): the offline plan cannot read cloud state (Resource.get, the import option); look it up with an invoke the mocks answer (INVOKES in plan/mocks.ts) or pass the value in config`,
            );
            this.errors.push(err);
            throw err;
        }
        if (args.type === "pulumi:pulumi:StackReference") {
            const ref = String(inputs.name);
            const outputs = this.options.stackOutputs?.[ref];
            if (!outputs) {
                const err = new Error(
                    `StackReference "${ref}": no outputs for that stack (known: ${Object.keys(this.options.stackOutputs ?? {}).join(", ") || "none"}); plan it first or give a fixture`,
                );
                this.errors.push(err);
                throw err;
            }
            if (!this.stackReferences.includes(ref)) this.stackReferences.push(ref);
            // The engine reports which outputs are secret; getOutput/requireOutput then return
            // secret Outputs, as with a real backend.
            const secretOutputNames = [...(this.options.stackSecretOutputs?.[ref] ?? [])];
            return { id: ref, state: { ...args.inputs, outputs, secretOutputNames } };
        }
        if (args.type.startsWith("pulumi:providers:")) {
            return {
                id: `prov-${typeof inputs.region === "string" ? inputs.region : "default"}`,
                state: args.inputs,
            };
        }
        const providerRegion = this.providerRegionOf(args.type, args.provider ?? "");
        const region =
            this.regionOf(args.type, args.custom !== false, providerRegion, inputs) ??
            this.options.awsRegion;
        const hash = this.hashFor(args.type, args.name);
        const physicalName = `${args.name}-${hash("name", 7)}`;
        const synthRegion =
            region === "global" ? (providerRegion ?? this.options.awsRegion) : region;
        const ctx: SynthContext = {
            type: args.type,
            name: args.name,
            inputs,
            region: synthRegion,
            stack: this.options.stack,
            hash,
            physicalName,
            arn: (part?: string) => {
                const svc = awsService(args.type);
                const r = region === "global" ? "" : synthRegion;
                const m = /:([A-Za-z0-9]+)$/.exec(args.type);
                return `arn:aws:${svc}:${r}:${MOCK_ACCOUNT_ID}:${part ?? `${(m ? m[1] : "resource").toLowerCase()}/${physicalName}`}`;
            },
        };
        const synth = SYNTHESIZERS[args.type];
        const extra = synth ? synth(ctx) : {};
        const generic: Record<string, unknown> = args.type.startsWith("aws:")
            ? { arn: ctx.arn() }
            : {};
        const id =
            args.custom === false
                ? undefined
                : (extra.id ??
                  (args.type.startsWith("aws:") ? physicalName : `${args.name}-${hash("id", 8)}`));
        return { id, state: { ...args.inputs, ...generic, ...(extra.outputs ?? {}) } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const handler = INVOKES[args.token];
        if (!handler) {
            const err = new Error(
                `unexpected invoke ${args.token}(${JSON.stringify(unwrap(args.inputs))}): the offline plan only answers ${Object.keys(INVOKES).join(", ")}; add a realistic handler to INVOKES in plan/mocks.ts`,
            );
            this.errors.push(err);
            throw err;
        }
        const inputs = unwrap(args.inputs) as Record<string, unknown>;
        const region =
            (typeof inputs.region === "string" && inputs.region) ||
            this.providerRegionOf("aws:x", args.provider ?? "") ||
            this.options.awsRegion;
        return handler(inputs, {
            stack: this.options.stack,
            region,
            hash: (salt, n = 8) => digest(salt).slice(0, n),
        });
    }

    // ---- queries used by tests -----------------------------------------------------------

    /** Resources of a type token (e.g. "aws:lb/listener:Listener"). */
    ofType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource with this logical name (throws when absent or ambiguous). */
    named(name: string, type?: string): RecordedResource {
        const found = this.resources.filter((r) => r.name === name && (!type || r.type === type));
        if (found.length !== 1)
            throw new Error(
                `expected one resource named ${name}${type ? ` of type ${type}` : ""}, found ${found.length}`,
            );
        return found[0];
    }
}
