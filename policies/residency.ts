// Residency model shared by every policy in the pack: the classification tag, the zone matrix
// (policy config), the data-bearing resource types, and the small readers that turn a resource's
// props into facts (classification, effective region) while treating unknown values as unknown.
//
// Nothing here may import from outside policies/: the pack is published on its own
// (`pulumi policy publish policies`).

import type { PolicyConfigSchema, PolicyResource, ResourceValidationArgs } from "@pulumi/policy";

/** Tag key carrying a resource's residency classification: `global` or a zone name. */
export const RESIDENCY_TAG = "data-residency";

/** Classification of data that may be stored and replicated anywhere. */
export const GLOBAL = "global";

/** The residency matrix: zone → regions where that zone's data may be stored. */
export type ZoneMatrix = Record<string, string[]>;

/** Policy configuration shared by the residency policies. */
export interface ResidencyConfig {
    /** Zone → allowed regions. Default: seed 000's `data_residency` table. */
    zones: ZoneMatrix;
}

/** Seed 000 `data_residency`: EU data only in eu-west-1; US in us-east-1 or Tokyo; JP in Tokyo. */
export const DEFAULT_ZONES: ZoneMatrix = {
    eu: ["eu-west-1"],
    us: ["us-east-1", "ap-northeast-1"],
    jp: ["ap-northeast-1"],
};

/** The `configSchema` every residency policy declares (the same matrix for all of them). */
export const residencyConfigSchema: PolicyConfigSchema = {
    properties: {
        zones: {
            type: "object",
            description:
                "Residency zone → AWS regions where that zone's data may be stored. `global` is reserved for data that may live anywhere.",
            additionalProperties: { type: "array", items: { type: "string" }, minItems: 1 },
            default: DEFAULT_ZONES,
        },
    },
};

/** Merges (possibly partial) policy config over the defaults and checks its shape. */
export function readConfig(raw: unknown): ResidencyConfig {
    const zones = (raw as { zones?: unknown } | undefined)?.zones;
    if (zones === undefined) return { zones: DEFAULT_ZONES };
    if (typeof zones !== "object" || zones === null || Array.isArray(zones)) {
        throw new Error(
            `policy config "zones" must be an object of zone → regions, got ${JSON.stringify(zones)}`,
        );
    }
    for (const [zone, regions] of Object.entries(zones)) {
        if (zone === GLOBAL)
            throw new Error(`policy config "zones": "${GLOBAL}" is reserved and cannot be a zone`);
        if (
            !Array.isArray(regions) ||
            regions.length === 0 ||
            !regions.every((r) => typeof r === "string")
        ) {
            throw new Error(
                `policy config "zones.${zone}" must be a non-empty list of regions, got ${JSON.stringify(regions)}`,
            );
        }
    }
    return { zones: zones as ZoneMatrix };
}

// ---- unknown values -------------------------------------------------------------------------

/**
 * Pulumi's preview sentinels for values not yet computed (`@pulumi/policy` proxy.js). The string
 * one is what plan files and `pulumi preview --json` carry; the others are accepted too.
 */
export const UNKNOWN_SENTINELS: readonly string[] = [
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
];

/** The string unknown sentinel (`04da6b54-…`). */
export const UNKNOWN = UNKNOWN_SENTINELS[0];

export function isUnknown(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.includes(v);
}

/**
 * The policy SDK wraps props in a proxy that throws on reading an unknown value, and the SDK turns
 * that throw into an *advisory* "can't run during preview" note: fail-open. Residency must fail
 * closed, so the policies read the raw object behind the proxy and test for unknowns themselves.
 */
export function rawProps(props: Record<string, unknown>): Record<string, unknown> {
    const target = (props as Record<string, unknown>)["__getSpecialProxyTarget"];
    return (target && typeof target === "object" ? target : props) as Record<string, unknown>;
}

// ---- resource types -------------------------------------------------------------------------

/** Type tokens the pack reasons about (AWS provider v7; legacy aliases included). */
export const T = {
    table: "aws:dynamodb/table:Table",
    tableReplica: "aws:dynamodb/tableReplica:TableReplica",
    globalTable: "aws:dynamodb/globalTable:GlobalTable",
    tableExport: "aws:dynamodb/tableExport:TableExport",
    tableKinesis: "aws:dynamodb/kinesisStreamingDestination:KinesisStreamingDestination",
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    bucketInventory: "aws:s3/inventory:Inventory",
    bucketAnalytics: "aws:s3/analyticsConfiguration:AnalyticsConfiguration",
    bucketPab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketSse:
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketSseV2:
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsInstance: "aws:rds/instance:Instance",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    rdsGlobalCluster: "aws:rds/globalCluster:GlobalCluster",
    rdsBackupReplication:
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    rdsSnapshot: "aws:rds/snapshot:Snapshot",
    rdsClusterSnapshot: "aws:rds/clusterSnapshot:ClusterSnapshot",
    rdsSnapshotCopy: "aws:rds/snapshotCopy:SnapshotCopy",
    rdsClusterSnapshotCopy: "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy",
    cacheGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheCluster: "aws:elasticache/cluster:Cluster",
    cacheServerless: "aws:elasticache/serverlessCache:ServerlessCache",
    cacheGlobal: "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
    kmsKey: "aws:kms/key:Key",
    kmsExternalKey: "aws:kms/externalKey:ExternalKey",
    kmsReplicaKey: "aws:kms/replicaKey:ReplicaKey",
    kmsReplicaExternalKey: "aws:kms/replicaExternalKey:ReplicaExternalKey",
    backupVault: "aws:backup/vault:Vault",
    backupPlan: "aws:backup/plan:Plan",
    backupSelection: "aws:backup/selection:Selection",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    logSubscription: "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
    secret: "aws:secretsmanager/secret:Secret",
    kinesisStream: "aws:kinesis/stream:Stream",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
    lbListener: "aws:lb/listener:Listener",
    albListener: "aws:alb/listener:Listener",
    iamRole: "aws:iam/role:Role",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;

/**
 * Resource types that hold (or are the key to) user data and so must carry a residency tag:
 * DynamoDB tables and replicas, S3 buckets, RDS/Aurora clusters, instances and global clusters,
 * RDS instance/cluster snapshots and their copies, ElastiCache groups/clusters/serverless
 * caches, KMS keys (incl. imported-material ExternalKeys) and replica keys, backup vaults, and
 * CloudWatch log groups (application logs may hold user data).
 */
export const DATA_BEARING_TYPES: readonly string[] = [
    T.table,
    T.tableReplica,
    T.bucket,
    T.bucketV2,
    T.rdsCluster,
    T.rdsInstance,
    T.rdsClusterInstance,
    T.rdsGlobalCluster,
    T.rdsSnapshot,
    T.rdsClusterSnapshot,
    T.rdsSnapshotCopy,
    T.rdsClusterSnapshotCopy,
    T.cacheGroup,
    T.cacheCluster,
    T.cacheServerless,
    T.kmsKey,
    T.kmsExternalKey,
    T.kmsReplicaKey,
    T.kmsReplicaExternalKey,
    T.backupVault,
    T.logGroup,
];

export const BUCKET_TYPES: readonly string[] = [T.bucket, T.bucketV2];

// ---- reading a resource ---------------------------------------------------------------------

/** A resource as the residency rules see it, whichever way it was handed to a policy. */
export interface ResourceView {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    /** The region of the resource's provider (`provider.props.region`), if any. */
    providerRegion: unknown;
    /**
     * URNs of the resources each top-level property depends on (stack policies only). During a
     * real preview a reference to a resource created in the same stack is unknown, but the
     * engine still says which resource it comes from.
     */
    deps?: Record<string, string[]>;
}

export function viewOfArgs(args: ResourceValidationArgs): ResourceView {
    return {
        type: args.type,
        name: args.name,
        urn: args.urn,
        props: rawProps(args.props),
        providerRegion: args.provider ? rawProps(args.provider.props ?? {})["region"] : undefined,
    };
}

export function viewOfPolicyResource(r: PolicyResource): ResourceView {
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: rawProps(r.props),
        providerRegion: r.provider ? rawProps(r.provider.props ?? {})["region"] : undefined,
        deps: Object.fromEntries(
            Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map((d) => d.urn)]),
        ),
    };
}

/** The classification of a resource: a tag value, missing, or not yet known. */
export type Classification =
    | { kind: "missing" }
    | { kind: "unknown" }
    | { kind: "global" }
    | { kind: "zone"; zone: string }
    | { kind: "invalid"; value: string };

export function classify(props: Record<string, unknown>, config: ResidencyConfig): Classification {
    const tags = props["tags"];
    if (isUnknown(tags)) return { kind: "unknown" };
    if (tags === undefined || tags === null || typeof tags !== "object") return { kind: "missing" };
    const v = (tags as Record<string, unknown>)[RESIDENCY_TAG];
    if (v === undefined || v === null || v === "") return { kind: "missing" };
    if (isUnknown(v)) return { kind: "unknown" };
    if (v === GLOBAL) return { kind: "global" };
    if (typeof v === "string" && Object.prototype.hasOwnProperty.call(config.zones, v))
        return { kind: "zone", zone: v };
    return { kind: "invalid", value: String(v) };
}

/** Effective region: the resource's own `region` input, else its provider's region. */
export type RegionFact =
    { kind: "known"; region: string } | { kind: "unknown" } | { kind: "missing" };

export function effectiveRegion(r: ResourceView): RegionFact {
    const own = r.props["region"];
    if (isUnknown(own)) return { kind: "unknown" };
    if (typeof own === "string" && own !== "") return { kind: "known", region: own };
    if (isUnknown(r.providerRegion)) return { kind: "unknown" };
    if (typeof r.providerRegion === "string" && r.providerRegion !== "") {
        return { kind: "known", region: r.providerRegion };
    }
    return { kind: "missing" };
}

export function regionText(f: RegionFact): string {
    return f.kind === "known"
        ? f.region
        : f.kind === "unknown"
          ? "(unknown until apply)"
          : "(no region)";
}

export function zoneAllows(config: ResidencyConfig, zone: string, region: string): boolean {
    return (config.zones[zone] ?? []).includes(region);
}

/** `aws:dynamodb/table:Table 'eu-users'` */
export function label(r: { type: string; name: string }): string {
    return `${r.type} '${r.name}'`;
}

/** The standard message tail: the rule broken and what it allows. */
export function zoneRule(config: ResidencyConfig, zone: string): string {
    return `rule: zone '${zone}' data may only be stored in ${(config.zones[zone] ?? []).join(", ")} and must not replicate elsewhere`;
}

/** Truthy boolean-ish config value (`true` or "true"), with unknowns reported separately. */
export function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

/** A region parsed out of an ARN (`arn:aws:<svc>:<region>:…`); undefined if none or not an ARN. */
export function arnRegion(arn: unknown): string | undefined {
    if (typeof arn !== "string" || !arn.startsWith("arn:")) return undefined;
    const parts = arn.split(":");
    return parts.length > 3 && parts[3] !== "" ? parts[3] : undefined;
}

/** The last resource segment of an ARN (`…:table/NAME` → NAME, `…:db:NAME` → NAME). */
export function arnResourceName(arn: string): string {
    const tail = arn.split(":").slice(5).join(":");
    const slash = tail.lastIndexOf("/");
    const colon = tail.lastIndexOf(":");
    return tail.slice(Math.max(slash, colon) + 1);
}

/**
 * Buckets, tables and other stores that another stack wires up (e.g. the global stack's S3
 * replication configuration) cannot be seen by that stack's policies. Their classification and
 * region are then proven by name: `<base>-<classification>-<region>`, e.g.
 * `taskflow-prod-assets-global-eu-west-1` or `taskflow-prod-users-eu-eu-west-1`. The policy
 * `residency-name-matches-classification` checks, where the store is created, that such a name
 * agrees with its tag and region, so the claim a name makes is verified at its source.
 */
export function residencyName(base: string, classification: string, region: string): string {
    return `${base}-${classification}-${region}`;
}

/** Parses a residency name; undefined when the name does not follow the convention. */
export function parseResidencyName(
    name: string,
    config: ResidencyConfig,
): { classification: string; region: string } | undefined {
    const m = /^(.+)-([a-z]+)-([a-z]{2}(?:-gov)?-[a-z]+-\d)$/.exec(name);
    if (!m) return undefined;
    const classification = m[2];
    if (
        classification !== GLOBAL &&
        !Object.prototype.hasOwnProperty.call(config.zones, classification)
    ) {
        return undefined;
    }
    return { classification, region: m[3] };
}
