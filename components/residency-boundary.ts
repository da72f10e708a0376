/**
 * ResidencyBoundary — the data stores of one residency zone in one of its regions (eu-west-1 for
 * `eu`): a single-Region KMS key, a DynamoDB table with no replicas, a bucket with no replication
 * and, optionally, an Aurora cluster outside every global cluster. Everything is tagged with the
 * zone, encrypted with the zone's own key, deletion-protected (in AWS and `protect`ed in Pulumi),
 * and backed up in-region only (DynamoDB PITR, Aurora automated backups; no backup replication,
 * no copy actions), so the policy pack can prove the zone's data never leaves it.
 *
 * `replicaRegions` (config `residencyBoundary.replicaRegions`, default none) gives the zone table
 * replicas in other regions OF THE SAME ZONE, each encrypted with a single-Region key of its own
 * in that region. The program only checks those regions against the topology's zone; the policy
 * pack checks them against its own zone matrix, so a topology widened by mistake (eu →
 * [eu-west-1, us-east-1]) still cannot replicate EU data to us-east-1.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config";
import { keyPolicy, logsServicePrincipal } from "./kms-policy";
import { residencyName, residencyTags, residencyTransformation } from "./residency";

/** Aurora engine of the zone-resident cluster. */
export const BOUNDARY_AURORA_ENGINE = "aurora-postgresql";

export interface ResidencyBoundaryArgs {
    /** Residency zone whose data this boundary keeps (a key of the topology's `zones`). Required. */
    zone: string;
    /** Regions where the zone's data may be stored (`topology.zones[zone]`). Required. */
    zoneRegions: string[];
    /** The stack's AWS region; every store is created here. Must be one of `zoneRegions`. Required. */
    region: string;
    /** Environment name used in physical names. Default `prod`. */
    environment?: string;
    /** Also create an Aurora PostgreSQL cluster outside any global cluster. Default false. */
    aurora?: boolean;
    /** Isolated subnets of the cell's VPC for the Aurora subnet group. Required when `aurora`. */
    subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups of the Aurora cluster (the cell's data security group). Required when `aurora`. */
    securityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Aurora PostgreSQL engine version. Default `16.6`. */
    auroraEngineVersion?: string;
    /** Aurora instance class. Default `db.r7g.large`. */
    dbInstanceClass?: string;
    /** Aurora instances (writer + readers), 1–15. Default 2 (a writer and a reader in another AZ). */
    dbInstances?: number;
    /** Days of Aurora automated backups, 1–35 (kept in-region). Default 14. */
    backupRetentionDays?: number;
    /**
     * Other regions of the zone that get a replica of the zone table (a DynamoDB global table),
     * each with its own single-Region key there. Each must be in `zoneRegions` and differ from
     * `region`. Default `[]` (no replica: the table stays in `region`).
     */
    replicaRegions?: string[];
}

/** Days of the boundary's Aurora PostgreSQL log kept in CloudWatch Logs. */
export const BOUNDARY_DB_LOG_RETENTION_DAYS = 30;

/** Log group Aurora PostgreSQL exports the cluster's `postgresql` log to. */
export function boundaryLogGroupName(clusterIdentifier: string): string {
    return `/aws/rds/cluster/${clusterIdentifier}/postgresql`;
}

/** The boundary's arguments from a validated stack config (undefined when it has no boundary). */
export function boundaryArgsFromConfig(
    cfg: StackConfig,
    network?: {
        isolatedSubnetIds: pulumi.Input<string[]>;
        dataSecurityGroupId: pulumi.Input<string>;
    },
): ResidencyBoundaryArgs | undefined {
    if (!cfg.boundary) return undefined;
    return {
        zone: cfg.boundary.zone,
        zoneRegions: cfg.topology.zones[cfg.boundary.zone] ?? [],
        region: cfg.awsRegion,
        environment: cfg.environment,
        aurora: cfg.boundary.aurora,
        subnetIds: network?.isolatedSubnetIds,
        securityGroupIds: network ? [network.dataSecurityGroupId] : undefined,
        auroraEngineVersion: cfg.auroraEngineVersion,
        dbInstanceClass: cfg.cell?.dbInstanceClass,
        replicaRegions: cfg.boundary.replicaRegions ?? [],
    };
}

/** Checks the arguments before anything is registered; throws naming the argument and value. */
export function validateBoundaryArgs(name: string, args: ResidencyBoundaryArgs): void {
    const bad = (key: string, value: unknown, allowed: string) => {
        throw new Error(
            `ResidencyBoundary '${name}': ${key} ${JSON.stringify(value)} is not allowed; ${allowed}`,
        );
    };
    if (!/^[a-z][a-z0-9]*$/.test(args.zone ?? "") || args.zone === "global") {
        bad("zone", args.zone, `a residency zone name (lower-case identifier, not "global")`);
    }
    if (!Array.isArray(args.zoneRegions) || !args.zoneRegions.includes(args.region)) {
        bad(
            "region",
            args.region,
            `zone ${args.zone} data may only be stored in ${(args.zoneRegions ?? []).join(", ") || "(no regions)"}`,
        );
    }
    if (args.aurora && (args.subnetIds === undefined || args.securityGroupIds === undefined)) {
        bad(
            "subnetIds/securityGroupIds",
            null,
            "both are required when aurora is true (the cell's isolated subnets and data security group)",
        );
    }
    const replicas = args.replicaRegions ?? [];
    if (!Array.isArray(replicas)) bad("replicaRegions", replicas, "a list of regions");
    for (const r of replicas) {
        if (r === args.region)
            bad("replicaRegions", r, `a region other than the boundary's own (${args.region})`);
        else if (!args.zoneRegions.includes(r))
            bad(
                "replicaRegions",
                r,
                `zone ${args.zone} data may only be stored in ${args.zoneRegions.join(", ")}`,
            );
    }
    if (new Set(replicas).size !== replicas.length)
        bad("replicaRegions", replicas, "each region at most once");
    const n = args.dbInstances ?? 2;
    if (!Number.isInteger(n) || n < 1 || n > 15) bad("dbInstances", n, "an integer 1–15");
    const days = args.backupRetentionDays ?? 14;
    if (!Number.isInteger(days) || days < 1 || days > 35)
        bad("backupRetentionDays", days, "an integer 1–35");
    const longest = residencyName(
        `taskflow-${args.environment ?? "prod"}-userdata`,
        args.zone,
        args.region,
    );
    if (longest.length > 63)
        bad(
            "environment",
            args.environment,
            `names must fit 63 characters ("${longest}" does not)`,
        );
}

/** Services that use the boundary key in its region (`kms:ViaService` short names). */
export const BOUNDARY_KEY_SERVICES = ["dynamodb", "s3", "rds", "secretsmanager"];

/**
 * Key policy of a boundary key (components/kms-policy.ts): the account administers the key, its
 * principals use it only through `services` in `region`, and CloudWatch Logs in `region` may use
 * it for the given log groups. Single-Region: no ReplicateKey, no UpdatePrimaryRegion.
 */
export function boundaryKeyPolicy(
    partition: string,
    accountId: string,
    region: string,
    logGroupNames: string[] = [],
    services: string[] = BOUNDARY_KEY_SERVICES,
): string {
    return keyPolicy({
        partition,
        accountId,
        services,
        regions: [region],
        multiRegion: false,
        servicePrincipals:
            logGroupNames.length > 0
                ? [logsServicePrincipal(partition, accountId, region, logGroupNames)]
                : [],
    });
}

/** Bucket policy: refuse every request not made over TLS. */
export function boundaryTlsOnlyPolicy(bucketArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    });
}

export class ResidencyBoundary extends pulumi.ComponentResource {
    public readonly zone: pulumi.Output<string>;
    public readonly tableName: pulumi.Output<string>;
    public readonly tableArn: pulumi.Output<string>;
    public readonly bucketName: pulumi.Output<string>;
    public readonly kmsKeyArn: pulumi.Output<string>;
    /** Writer endpoint of the zone's Aurora cluster; undefined when `aurora` is false. */
    public readonly auroraEndpoint: pulumi.Output<string | undefined>;
    /** Regions holding a replica of the zone table (empty by default). */
    public readonly replicaRegions: string[];

    constructor(name: string, args: ResidencyBoundaryArgs, opts?: pulumi.ComponentResourceOptions) {
        validateBoundaryArgs(name, args);
        super(
            "taskflow:residency:ResidencyBoundary",
            name,
            {},
            {
                ...opts,
                // Every data store below must be classified; a forgotten tag fails here, not in review.
                transformations: [
                    residencyTransformation([args.zone]),
                    ...(opts?.transformations ?? []),
                ],
            },
        );
        const zone = args.zone;
        const region = args.region;
        const env = args.environment ?? "prod";
        const tags = residencyTags(zone);
        const parent = { parent: this };

        // ---- KMS: single-Region, rotated, usable only through this region's data services ----
        const identity = aws.getCallerIdentityOutput({}, parent);
        const partition = aws.getPartitionOutput({}, parent);
        const dbIdentifier = residencyName(`taskflow-${env}-db`, zone, region);
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `TaskFlow ${env} zone ${zone} resident data (single-Region, ${region})`,
                multiRegion: false,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([partition.partition, identity.accountId])
                    .apply(([p, account]) =>
                        boundaryKeyPolicy(
                            p,
                            account,
                            region,
                            args.aurora ? [boundaryLogGroupName(dbIdentifier)] : [],
                        ),
                    ),
                tags,
            },
            { parent: this, protect: true },
        );
        new aws.kms.Alias(
            `${name}-key-alias`,
            { name: `alias/taskflow-${env}-residency-${zone}`, targetKeyId: key.keyId },
            parent,
        );

        // Replica regions (same zone only; validated above): a single-Region key of their own in
        // each, created from this stack with the v7 per-resource `region` input. Not a replica of
        // `key`: a multi-Region key would itself be a replication path of key material.
        const replicaRegions = args.replicaRegions ?? [];
        const replicaKeys = replicaRegions.map((r) => {
            const k = new aws.kms.Key(
                `${name}-key-${r}`,
                {
                    region: r,
                    description: `TaskFlow ${env} zone ${zone} resident data (single-Region, replica table in ${r})`,
                    multiRegion: false,
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: pulumi
                        .all([partition.partition, identity.accountId])
                        .apply(([p, account]) =>
                            boundaryKeyPolicy(p, account, r, [], ["dynamodb"]),
                        ),
                    tags,
                },
                { parent: this, protect: true },
            );
            new aws.kms.Alias(
                `${name}-key-alias-${r}`,
                {
                    region: r,
                    name: `alias/taskflow-${env}-residency-${zone}`,
                    targetKeyId: k.keyId,
                },
                parent,
            );
            return { region: r, arn: k.arn };
        });

        // ---- DynamoDB: zone-resident user data, replicas only inside the zone ------------------
        const table = new aws.dynamodb.Table(
            `${name}-table`,
            {
                name: residencyName(`taskflow-${env}-users`, zone, region),
                billingMode: "PAY_PER_REQUEST",
                hashKey: "userId",
                attributes: [{ name: "userId", type: "S" }],
                pointInTimeRecovery: { enabled: true },
                deletionProtectionEnabled: true,
                serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
                ...(replicaKeys.length > 0
                    ? {
                          // Global tables (2019.11.21) replicate through the table's stream.
                          streamEnabled: true,
                          streamViewType: "NEW_AND_OLD_IMAGES",
                          replicas: replicaKeys.map((k) => ({
                              regionName: k.region,
                              kmsKeyArn: k.arn,
                              // Explicit, or the provider diffs them on every preview
                              // (hashicorp/terraform-provider-aws#25812).
                              pointInTimeRecovery: true,
                              deletionProtectionEnabled: true,
                              // The replica carries the zone's residency tag too.
                              propagateTags: true,
                          })),
                      }
                    : {}),
                tags,
            },
            { parent: this, protect: true },
        );

        // ---- S3: zone-resident objects, no replication ----------------------------------------
        // protect, not retainOnDelete: Pulumi refuses to delete it at all until it is
        // unprotected on purpose (and AWS refuses while it holds objects: forceDestroy false).
        // retainOnDelete would instead let a removal from the program or a `destroy` silently drop
        // the bucket from the state and leave EU personal data behind, unmanaged, under a key
        // scheduled for deletion: erasure of zone data must be a deliberate step, not a side effect.
        const userDataBucketName = residencyName(`taskflow-${env}-userdata`, zone, region);
        const bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            {
                bucket: userDataBucketName,
                forceDestroy: false,
                tags,
            },
            { parent: this, protect: true },
        );
        new aws.s3.BucketOwnershipControls(
            `${name}-bucket-ownership`,
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            parent,
        );
        const pab = new aws.s3.BucketPublicAccessBlock(
            `${name}-bucket-pab`,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            parent,
        );
        new aws.s3.BucketVersioning(
            `${name}-bucket-versioning`,
            { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            parent,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-bucket-sse`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: key.arn,
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            },
            parent,
        );
        // After the public access block, so the policy is never evaluated on an unblocked bucket.
        new aws.s3.BucketPolicy(
            `${name}-bucket-policy`,
            {
                bucket: bucket.id,
                // From the bucket's literal name, not its ARN output: at a first preview the ARN is
                // unknown, and the pack fails closed on a resource policy it cannot read.
                policy: pulumi
                    .output(partition.partition)
                    .apply((p) => boundaryTlsOnlyPolicy(`arn:${p}:s3:::${userDataBucketName}`)),
            },
            { parent: this, dependsOn: [pab] },
        );

        // ---- Aurora (optional): outside every global cluster, backups in-region --------------
        let endpoint: pulumi.Output<string | undefined> = pulumi.output(undefined);
        if (args.aurora) {
            const subnets = new aws.rds.SubnetGroup(
                `${name}-db-subnets`,
                {
                    subnetIds: args.subnetIds!,
                    description: `TaskFlow ${env} zone ${zone} resident cluster`,
                    tags,
                },
                parent,
            );
            const identifier = dbIdentifier;
            // Pre-created so RDS does not create it without CMK, retention or residency tag (RDS
            // exports into an existing group of this name; see GlobalData for the same).
            const dbLogs = new aws.cloudwatch.LogGroup(
                `${name}-db-logs`,
                {
                    name: boundaryLogGroupName(identifier),
                    kmsKeyId: key.arn,
                    retentionInDays: BOUNDARY_DB_LOG_RETENTION_DAYS,
                    tags,
                },
                parent,
            );
            const cluster = new aws.rds.Cluster(
                `${name}-db`,
                {
                    clusterIdentifier: identifier,
                    engine: BOUNDARY_AURORA_ENGINE,
                    engineVersion: args.auroraEngineVersion ?? "16.6",
                    databaseName: "taskflow",
                    masterUsername: "taskflow_admin",
                    manageMasterUserPassword: true,
                    masterUserSecretKmsKeyId: key.arn,
                    storageEncrypted: true,
                    kmsKeyId: key.arn,
                    deletionProtection: true,
                    backupRetentionPeriod: args.backupRetentionDays ?? 14,
                    copyTagsToSnapshot: true,
                    skipFinalSnapshot: false,
                    finalSnapshotIdentifier: `${identifier}-final`,
                    dbSubnetGroupName: subnets.name,
                    vpcSecurityGroupIds: args.securityGroupIds!,
                    iamDatabaseAuthenticationEnabled: true,
                    enabledCloudwatchLogsExports: ["postgresql"],
                    tags,
                },
                { parent: this, protect: true, dependsOn: [dbLogs] },
            );
            for (let i = 0; i < (args.dbInstances ?? 2); i++) {
                new aws.rds.ClusterInstance(
                    `${name}-db-${i + 1}`,
                    {
                        clusterIdentifier: cluster.id,
                        engine: BOUNDARY_AURORA_ENGINE,
                        engineVersion: cluster.engineVersion,
                        instanceClass: args.dbInstanceClass ?? "db.r7g.large",
                        dbSubnetGroupName: subnets.name,
                        publiclyAccessible: false,
                        tags,
                    },
                    parent,
                );
            }
            endpoint = cluster.endpoint;
        }

        this.zone = pulumi.output(zone);
        this.tableName = table.name;
        this.tableArn = table.arn;
        this.bucketName = bucket.bucket;
        this.kmsKeyArn = key.arn;
        this.auroraEndpoint = endpoint;
        this.replicaRegions = replicaRegions;
        this.registerOutputs({
            zone: this.zone,
            tableName: this.tableName,
            tableArn: this.tableArn,
            bucketName: this.bucketName,
            kmsKeyArn: this.kmsKeyArn,
            auroraEndpoint: this.auroraEndpoint,
        });
    }
}

/**
 * Builds the stack's boundary when its config has `taskflow:residencyBoundary`, and returns the
 * stack outputs to export under `residency` (empty when the stack has no boundary).
 */
export function residencyBoundaryFor(
    cfg: StackConfig,
    network: {
        isolatedSubnetIds: pulumi.Input<string[]>;
        dataSecurityGroupId: pulumi.Input<string>;
    },
    opts?: pulumi.ComponentResourceOptions,
): { residency?: Record<string, pulumi.Output<string | undefined>> } {
    const args = boundaryArgsFromConfig(cfg, network);
    if (!args) return {};
    const b = new ResidencyBoundary("residency", args, opts);
    return {
        residency: {
            zone: b.zone,
            tableName: b.tableName,
            tableArn: b.tableArn,
            bucketName: b.bucketName,
            kmsKeyArn: b.kmsKeyArn,
            ...(args.aurora ? { auroraEndpoint: b.auroraEndpoint } : {}),
        },
    };
}
