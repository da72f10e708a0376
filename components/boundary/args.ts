/** What a ResidencyBoundary is built from, and the checks its arguments must pass. */
import * as pulumi from "@pulumi/pulumi";
import { ANY_ACCOUNT, zoneBucketName } from "../../model/naming";

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
    // The zone bucket's name, the longest, with a 12-digit stand-in for the account.
    const longest = zoneBucketName(args.environment ?? "prod", ANY_ACCOUNT, args.zone, args.region);
    if (longest.length > 63)
        bad(
            "environment",
            args.environment,
            `names must fit 63 characters ("${longest}" does not)`,
        );
}
