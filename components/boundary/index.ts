/**
 * ResidencyBoundary: the data stores of one residency zone in one of its regions (eu-west-1 for
 * `eu`): a single-Region KMS key, a DynamoDB table with no replicas, a bucket with no replication
 * and, optionally, an Aurora cluster outside every global cluster. Everything is tagged with the
 * zone, encrypted with the zone's own key, deletion-protected (in AWS and `protect`ed in Pulumi),
 * and backed up in-region only (DynamoDB PITR, Aurora automated backups; no backup replication,
 * no copy actions), so the policy pack can prove the zone's data never leaves it.
 *
 * `replicaRegions` gives the zone table replicas in other regions OF THE SAME ZONE, each
 * encrypted with a single-Region key of its own there. The component only checks those regions
 * against the zone's regions it is given; the policy pack checks them against its own zone
 * matrix, so a topology widened by mistake still cannot replicate the zone's data out of it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { componentTags } from "../../model/tags";
import { residencyTags, withResidencyCheck } from "../shared/residency";
import { ResidencyBoundaryArgs, validateBoundaryArgs } from "./args";
import { zoneAurora } from "./aurora";
import { BoundaryContext, boundaryName } from "./context";
import { boundaryKeys } from "./keys";
import { zoneBucket, zoneTable } from "./stores";

export * from "./args";
export * from "./key-policy";

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
        // Every data store below must be classified; a forgotten tag fails here, not in review.
        super(
            "taskflow:residency:ResidencyBoundary",
            name,
            {},
            withResidencyCheck(opts, [args.zone], true),
        );
        const ctx = boundaryContext(name, this, args);
        const replicaRegions = args.replicaRegions ?? [];
        const auroraIdentifier = args.aurora ? boundaryName(ctx, "db") : undefined;

        const keys = boundaryKeys(ctx, { auroraIdentifier, replicaRegions });
        const table = zoneTable(ctx, keys);
        const bucket = zoneBucket(ctx, keys.key);
        const endpoint = auroraIdentifier
            ? zoneAurora(ctx, keys.key, {
                  identifier: auroraIdentifier,
                  // validateBoundaryArgs requires both when `aurora` is true.
                  subnetIds: args.subnetIds ?? [],
                  securityGroupIds: args.securityGroupIds ?? [],
                  engineVersion: args.auroraEngineVersion ?? "16.6",
                  instanceClass: args.dbInstanceClass ?? "db.r7g.large",
                  instances: args.dbInstances ?? 2,
                  backupRetentionDays: args.backupRetentionDays ?? 14,
              })
            : pulumi.output(undefined);

        this.zone = pulumi.output(args.zone);
        this.tableName = table.name;
        this.tableArn = table.arn;
        this.bucketName = bucket.bucket;
        this.kmsKeyArn = keys.key;
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

function boundaryContext(
    name: string,
    parent: pulumi.ComponentResource,
    args: ResidencyBoundaryArgs,
): BoundaryContext {
    const p = { parent };
    return {
        name,
        parent,
        zone: args.zone,
        region: args.region,
        environment: args.environment ?? "prod",
        tags: residencyTags(
            args.zone,
            componentTags(args.environment ?? "prod", "residency-boundary"),
        ),
        accountId: aws.getCallerIdentityOutput({}, p).accountId,
        partition: aws.getPartitionOutput({}, p).partition,
    };
}
