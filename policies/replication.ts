// Replication policies: no path carries a zone's data out of its zone.
//
// `residency-replication-out-of-zone` judges what a resource says about itself (a zone table's
// replica list, a zone cluster's global-cluster membership, a zone key's multiRegion flag, a zone
// secret's replicas).
// `residency-replication-wiring` judges resources that connect two stores (TableReplica,
// GlobalCluster, S3 replication, replica keys, backup copies and selections, table restores and
// exports, RDS snapshots and their copies, log subscriptions, S3 inventory/analytics exports,
// ...): it finds both ends among the stack's resources (offline: among every planned stack's) or
// proves them by residency name, and fails closed when an end cannot be proven.
// `residency-stack-outside-zone` rejects a stack whose region is outside a zone creating anything
// classified in that zone.

import type {
    ReportViolation,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { PlanContextArgs, Proof, ResourceIndex, stackRegionOf } from "./lookup";
import {
    arnRegion,
    BUCKET_TYPES,
    classify,
    DATA_BEARING_TYPES,
    effectiveRegion,
    GLOBAL,
    isTrue,
    isUnknown,
    label,
    readConfig,
    RegionFact,
    regionText,
    RESIDENCY_TAG,
    ResidencyConfig,
    residencyConfigSchema,
    ResourceView,
    T,
    viewOfArgs,
    zoneAllows,
    zoneRule,
} from "./residency";

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== "" && v !== false;

function asArray(v: unknown): unknown[] {
    return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

function obj(v: unknown): Record<string, unknown> {
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Self-contained replication paths of one zone-classified resource. */
export function selfReplicationFindings(r: ResourceView, config: ResidencyConfig): string[] {
    const c = classify(r.props, config);
    if (c.kind !== "zone") return [];
    const zone = c.zone;
    const where = `${label(r)} (zone ${zone}, region ${regionText(effectiveRegion(r))})`;
    const rule = zoneRule(config, zone);
    const out: string[] = [];
    const p = r.props;
    switch (r.type) {
        case T.table: {
            const replicas = p["replicas"];
            if (isUnknown(replicas)) {
                out.push(`${where} has DynamoDB replicas not known until apply; ${rule}`);
                break;
            }
            for (const rep of asArray(replicas)) {
                const region = obj(rep)["regionName"];
                if (typeof region !== "string" || isUnknown(region)) {
                    out.push(
                        `${where} has a DynamoDB replica in a region not known until apply; ${rule}`,
                    );
                } else if (!zoneAllows(config, zone, region)) {
                    out.push(`${where} has a DynamoDB replica in ${region}; ${rule}`);
                }
            }
            break;
        }
        case T.rdsCluster: {
            const g = p["globalClusterIdentifier"];
            if (present(g)) {
                const id = isUnknown(g) ? "(unknown until apply)" : String(g);
                out.push(`${where} is a member of Aurora global cluster ${id}; ${rule}`);
            }
            break;
        }
        case T.cacheGroup: {
            const g = p["globalReplicationGroupId"];
            if (present(g)) {
                const id = isUnknown(g) ? "(unknown until apply)" : String(g);
                out.push(`${where} is a member of ElastiCache global datastore ${id}; ${rule}`);
            }
            break;
        }
        case T.secret: {
            const replicas = p["replicas"];
            if (isUnknown(replicas)) {
                out.push(`${where} has Secrets Manager replicas not known until apply; ${rule}`);
                break;
            }
            for (const rep of asArray(replicas)) {
                const region = obj(rep)["region"];
                if (typeof region !== "string" || isUnknown(region)) {
                    out.push(
                        `${where} has a Secrets Manager replica in a region not known until apply; ${rule}`,
                    );
                } else if (!zoneAllows(config, zone, region)) {
                    out.push(`${where} has a Secrets Manager replica in ${region}; ${rule}`);
                }
            }
            break;
        }
        case T.kmsKey:
        case T.kmsExternalKey: {
            const m = p["multiRegion"];
            if (isUnknown(m)) out.push(`${where} has multiRegion not known until apply; ${rule}`);
            else if (isTrue(m))
                out.push(`${where} is a multi-Region KMS key (multiRegion: true); ${rule}`);
            break;
        }
        default:
            break;
    }
    return out;
}

export const replicationOutOfZone: ResourceValidationPolicy = {
    name: "residency-replication-out-of-zone",
    description:
        "A zone-classified store has no replica, global membership or multi-Region key material outside its zone (DynamoDB replicas, Aurora/ElastiCache global membership, multi-Region KMS keys incl. ExternalKeys, Secrets Manager replicas).",
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateResource: (args, report) => {
        const config = readConfig(args.getConfig());
        for (const m of selfReplicationFindings(viewOfArgs(args), config)) report(m);
    },
};

// ---- wiring ---------------------------------------------------------------------------------

const TABLES = [T.table];
const CLUSTERS = [T.rdsCluster];
const INSTANCES = [T.rdsInstance];
const CACHE_GROUPS = [T.cacheGroup];
const KEYS = [T.kmsKey, T.kmsExternalKey];
const SNAPSHOTS = [T.rdsSnapshot, T.rdsSnapshotCopy];
const CLUSTER_SNAPSHOTS = [T.rdsClusterSnapshot, T.rdsClusterSnapshotCopy];
const LOG_GROUPS = [T.logGroup];
/** What a CloudWatch Logs subscription filter can deliver to. */
const LOG_DESTINATIONS = [
    T.kinesisStream,
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    "aws:lambda/function:Function",
    "aws:cloudwatch/logDestination:LogDestination",
];
const VAULTS = [T.backupVault];

function describe(p: Proof): string {
    const c =
        p.classification.kind === "zone"
            ? `zone ${p.classification.zone}`
            : p.classification.kind === "global"
              ? "global"
              : `classification ${p.classification.kind}`;
    return `${p.source} (${c}, region ${regionText(p.region)})`;
}

/**
 * How much an edge's destination must prove:
 * - `region`: a zone source's data may only land in one of the zone's regions;
 * - `zone`: a zone source's data may only land in a store classified in that zone and in one of
 *   its regions (else the copy could be re-replicated as something else);
 * - `strict`: as `zone`, and a global source may not write into a zone store or an unprovable one
 *   (S3 replication: the destination's classification must stay true).
 */
type EdgeMode = "region" | "zone" | "strict";

/**
 * Judges one replication edge `from → to` (either end may be unprovable). A zone's data may
 * only move between two ends proven to be classified in that zone and located in its regions.
 */
function judgeEdge(
    config: ResidencyConfig,
    where: string,
    what: string,
    from: { ref: string; proof: Proof | undefined },
    to: { ref: string; proof: Proof | undefined; regionOnly?: string },
    mode: EdgeMode,
): string | undefined {
    const fromC = from.proof?.classification;
    if (
        !from.proof ||
        !fromC ||
        fromC.kind === "missing" ||
        fromC.kind === "unknown" ||
        fromC.kind === "invalid"
    ) {
        return `${where}: ${what} from ${from.ref}, whose residency cannot be proven (zone: unknown, region: ${from.proof ? regionText(from.proof.region) : "unknown"}); rule: replication wiring must prove both ends stay in their zone (fail closed)`;
    }
    const toC = to.proof?.classification;
    const toRegion = to.proof
        ? to.proof.region
        : to.regionOnly
          ? { kind: "known" as const, region: to.regionOnly }
          : undefined;
    if (fromC.kind === "zone") {
        const zone = fromC.zone;
        if (!toRegion || toRegion.kind !== "known") {
            return `${where}: ${what} from ${describe(from.proof)} to ${to.ref}, whose region cannot be proven; ${zoneRule(config, zone)}`;
        }
        if (!zoneAllows(config, zone, toRegion.region)) {
            const dest =
                to.proof && to.proof.source !== to.ref ? `${to.proof.source} (${to.ref})` : to.ref;
            return `${where}: ${what} from ${describe(from.proof)} to ${dest} in region ${toRegion.region}; ${zoneRule(config, zone)}`;
        }
        if (mode !== "region" && !(toC && toC.kind === "zone" && toC.zone === zone)) {
            return `${where}: ${what} from ${describe(from.proof)} to ${to.proof ? describe(to.proof) : to.ref}, not proven to be classified in zone ${zone}; ${zoneRule(config, zone)}`;
        }
        return undefined;
    }
    // The source is global: only a zone-resident destination is a concern (strict mode).
    if (mode === "strict") {
        if (
            !to.proof ||
            !toC ||
            toC.kind === "missing" ||
            toC.kind === "unknown" ||
            toC.kind === "invalid"
        ) {
            return `${where}: ${what} from ${describe(from.proof)} to ${to.ref}, whose residency cannot be proven (zone: unknown); rule: replication wiring must prove both ends stay in their zone (fail closed)`;
        }
        if (toC.kind === "zone") {
            return `${where}: ${what} from ${describe(from.proof)} into ${describe(to.proof)}; ${zoneRule(config, toC.zone)}`;
        }
    }
    return undefined;
}

/** A nested input (`dig(p, "a", "b")` = p.a.b): unknown if any level is, undefined if absent. */
function dig(v: unknown, ...keys: string[]): unknown {
    let cur = v;
    for (const k of keys) {
        if (isUnknown(cur)) return cur;
        if (cur === undefined || cur === null) return undefined;
        cur = obj(cur)[k];
    }
    return cur;
}

/** A region input (`destinationRegion`): the given region, unknown, or else `fallback`. */
function regionInput(v: unknown, fallback: RegionFact): RegionFact {
    if (isUnknown(v)) return { kind: "unknown" };
    if (typeof v === "string" && v !== "") return { kind: "known", region: v };
    return fallback;
}

function refText(v: unknown): string {
    return isUnknown(v)
        ? "(unknown until apply)"
        : typeof v === "string" && v !== ""
          ? v
          : "(not set)";
}

/** The input holding S3 replication rules, per resource type (and so its dependency key). */
const S3_REPLICATION_INPUT: Record<string, string> = {
    [T.bucketReplication]: "rules",
    [T.bucket]: "replicationConfiguration",
    [T.bucketV2]: "replicationConfigurations",
};

/** S3 replication rules of a bucket or a BucketReplicationConfig: destination bucket ARNs. */
function s3Destinations(r: ResourceView): unknown[] {
    const p = r.props;
    if (r.type === T.bucketReplication) {
        if (isUnknown(p["rules"])) return [p["rules"]];
        return asArray(p["rules"]).map((rule) =>
            isUnknown(rule) ? rule : obj(obj(rule)["destination"])["bucket"],
        );
    }
    if (r.type === T.bucket) {
        const cfg = p["replicationConfiguration"];
        if (cfg === undefined || cfg === null) return [];
        if (isUnknown(cfg)) return [cfg];
        return asArray(obj(cfg)["rules"]).map((rule) => obj(obj(rule)["destination"])["bucket"]);
    }
    if (r.type === T.bucketV2) {
        const out: unknown[] = [];
        for (const cfg of asArray(p["replicationConfigurations"])) {
            if (isUnknown(cfg)) out.push(cfg);
            for (const rule of asArray(obj(cfg)["rules"])) {
                for (const d of asArray(obj(rule)["destinations"])) out.push(obj(d)["bucket"]);
            }
        }
        return out;
    }
    return [];
}

/** Replication wiring findings of one resource, judged against an index of visible resources. */
export function wiringFindings(r: ResourceView, index: ResourceIndex): string[] {
    const config = index.config;
    const p = r.props;
    const here = effectiveRegion(r);
    const where = `${label(r)} (region ${regionText(here)})`;
    const hereRegion = here.kind === "known" ? here.region : undefined;
    const out: string[] = [];
    const push = (m: string | undefined): void => {
        if (m) out.push(m);
    };
    const toHere = { ref: `${label(r)}`, proof: undefined, regionOnly: hereRegion };
    /** This resource as the receiving end, with its own classification and region. */
    const toSelf = (region: RegionFact = here) => ({
        ref: label(r),
        proof: { source: label(r), classification: classify(p, config), region },
    });
    switch (r.type) {
        case T.table: {
            // A restore copies a table's data into this one: by ARN from any region (a
            // cross-region restore), by name from a table of this region.
            const key = present(p["restoreSourceTableArn"])
                ? "restoreSourceTableArn"
                : present(p["restoreSourceName"])
                  ? "restoreSourceName"
                  : undefined;
            if (!key) break;
            const ref = p[key];
            const sameRegion = key === "restoreSourceName" ? hereRegion : undefined;
            push(
                judgeEdge(
                    config,
                    where,
                    `DynamoDB restore (${key})`,
                    {
                        ref: refText(ref),
                        proof: index.prove(ref, TABLES, r.deps?.[key], sameRegion),
                    },
                    toSelf(),
                    "zone",
                ),
            );
            break;
        }
        case T.tableExport: {
            const src = p["tableArn"];
            const dst = p["s3Bucket"];
            push(
                judgeEdge(
                    config,
                    where,
                    "DynamoDB table export",
                    { ref: refText(src), proof: index.prove(src, TABLES, r.deps?.["tableArn"]) },
                    {
                        ref: refText(dst),
                        proof: index.prove(dst, BUCKET_TYPES, r.deps?.["s3Bucket"]),
                    },
                    "zone",
                ),
            );
            break;
        }
        case T.tableKinesis: {
            const src = p["tableName"];
            const dst = p["streamArn"];
            push(
                judgeEdge(
                    config,
                    where,
                    "DynamoDB Kinesis streaming destination",
                    {
                        ref: refText(src),
                        proof: index.prove(src, TABLES, r.deps?.["tableName"], hereRegion),
                    },
                    {
                        ref: refText(dst),
                        proof: index.prove(dst, [T.kinesisStream], r.deps?.["streamArn"]),
                        regionOnly: arnRegion(dst),
                    },
                    "region",
                ),
            );
            break;
        }
        case T.rdsSnapshot:
        case T.rdsClusterSnapshot: {
            // A snapshot holds its database's data: it must be classified in the database's zone,
            // or a copy of it could leave the zone as something else.
            const cluster = r.type === T.rdsClusterSnapshot;
            const key = cluster ? "dbClusterIdentifier" : "dbInstanceIdentifier";
            const ref = p[key];
            push(
                judgeEdge(
                    config,
                    where,
                    "RDS snapshot",
                    {
                        ref: refText(ref),
                        proof: index.prove(
                            ref,
                            cluster ? CLUSTERS : INSTANCES,
                            r.deps?.[key],
                            hereRegion,
                        ),
                    },
                    toSelf(),
                    "zone",
                ),
            );
            break;
        }
        case T.rdsSnapshotCopy:
        case T.rdsClusterSnapshotCopy: {
            // The copy lands in `destinationRegion` when set, else in the resource's region.
            const cluster = r.type === T.rdsClusterSnapshotCopy;
            const key = cluster
                ? "sourceDbClusterSnapshotIdentifier"
                : "sourceDbSnapshotIdentifier";
            const ref = p[key];
            const landsIn = regionInput(p["destinationRegion"], here);
            push(
                judgeEdge(
                    config,
                    where,
                    "RDS snapshot copy",
                    {
                        ref: refText(ref),
                        proof: index.prove(
                            ref,
                            cluster ? CLUSTER_SNAPSHOTS : SNAPSHOTS,
                            r.deps?.[key],
                        ),
                    },
                    toSelf(landsIn),
                    "zone",
                ),
            );
            break;
        }
        case T.logSubscription: {
            const src = p["logGroup"];
            const dst = p["destinationArn"];
            push(
                judgeEdge(
                    config,
                    where,
                    "CloudWatch Logs subscription",
                    {
                        ref: refText(src),
                        proof: index.prove(src, LOG_GROUPS, r.deps?.["logGroup"], hereRegion),
                    },
                    {
                        ref: refText(dst),
                        proof: index.prove(dst, LOG_DESTINATIONS, r.deps?.["destinationArn"]),
                        regionOnly: arnRegion(dst),
                    },
                    "region",
                ),
            );
            break;
        }
        case T.bucketInventory:
        case T.bucketAnalytics: {
            const inventory = r.type === T.bucketInventory;
            const depKey = inventory ? "destination" : "storageClassAnalysis";
            if (!inventory && !present(p[depKey])) break; // no data export configured
            const dst = inventory
                ? dig(p, "destination", "bucket", "bucketArn")
                : dig(p, depKey, "dataExport", "destination", "s3BucketDestination", "bucketArn");
            const src = p["bucket"];
            push(
                judgeEdge(
                    config,
                    where,
                    inventory ? "S3 inventory report" : "S3 analytics export",
                    {
                        ref: refText(src),
                        proof: index.prove(src, BUCKET_TYPES, r.deps?.["bucket"]),
                    },
                    { ref: refText(dst), proof: index.prove(dst, BUCKET_TYPES, r.deps?.[depKey]) },
                    "zone",
                ),
            );
            break;
        }
        case T.tableReplica: {
            const ref = p["globalTableArn"];
            push(
                judgeEdge(
                    config,
                    where,
                    "DynamoDB table replica",
                    {
                        ref: refText(ref),
                        proof: index.prove(ref, TABLES, r.deps?.["globalTableArn"]),
                    },
                    toHere,
                    "region",
                ),
            );
            break;
        }
        case T.globalTable: {
            const ref = p["name"];
            const proof = index.prove(ref, TABLES, r.deps?.["name"]);
            for (const rep of asArray(p["replicas"])) {
                const region = obj(rep)["regionName"];
                push(
                    judgeEdge(
                        config,
                        where,
                        "DynamoDB global table replica",
                        { ref: refText(ref), proof },
                        {
                            ref: `replica in ${refText(region)}`,
                            proof: undefined,
                            regionOnly:
                                typeof region === "string" && !isUnknown(region)
                                    ? region
                                    : undefined,
                        },
                        "region",
                    ),
                );
            }
            break;
        }
        case T.rdsGlobalCluster: {
            const ref = p["sourceDbClusterIdentifier"];
            if (!present(ref)) break;
            const proof = index.prove(ref, CLUSTERS, r.deps?.["sourceDbClusterIdentifier"]);
            if (!proof || proof.classification.kind !== "global") {
                const zone =
                    proof?.classification.kind === "zone" ? proof.classification.zone : undefined;
                out.push(
                    zone
                        ? `${where}: Aurora global cluster built from ${describe(proof!)}; ${zoneRule(config, zone)}`
                        : `${where}: Aurora global cluster built from ${refText(ref)}, whose residency cannot be proven (zone: unknown); rule: replication wiring must prove both ends stay in their zone (fail closed)`,
                );
            }
            break;
        }
        case T.rdsBackupReplication: {
            const ref = p["sourceDbInstanceArn"];
            push(
                judgeEdge(
                    config,
                    where,
                    "RDS automated-backup replication",
                    {
                        ref: refText(ref),
                        proof: index.prove(ref, INSTANCES, r.deps?.["sourceDbInstanceArn"]),
                    },
                    toHere,
                    "region",
                ),
            );
            break;
        }
        case T.rdsCluster:
        case T.rdsInstance: {
            const key =
                r.type === T.rdsCluster ? "replicationSourceIdentifier" : "replicateSourceDb";
            const ref = p[key];
            if (!present(ref)) break;
            push(
                judgeEdge(
                    config,
                    where,
                    `read replica (${key})`,
                    {
                        ref: refText(ref),
                        proof: index.prove(
                            ref,
                            r.type === T.rdsCluster ? CLUSTERS : INSTANCES,
                            r.deps?.[key],
                        ),
                    },
                    toHere,
                    "region",
                ),
            );
            break;
        }
        case T.cacheGlobal: {
            const ref = p["primaryReplicationGroupId"];
            const proof = index.prove(ref, CACHE_GROUPS, r.deps?.["primaryReplicationGroupId"]);
            if (!proof || proof.classification.kind !== "global") {
                const zone =
                    proof?.classification.kind === "zone" ? proof.classification.zone : undefined;
                out.push(
                    zone
                        ? `${where}: ElastiCache global datastore whose primary is ${describe(proof!)}; ${zoneRule(config, zone)}`
                        : `${where}: ElastiCache global datastore whose primary ${refText(ref)} cannot be proven (zone: unknown); rule: replication wiring must prove both ends stay in their zone (fail closed)`,
                );
            }
            break;
        }
        case T.kmsReplicaKey:
        case T.kmsReplicaExternalKey: {
            const ref = p["primaryKeyArn"];
            push(
                judgeEdge(
                    config,
                    where,
                    "KMS replica key",
                    { ref: refText(ref), proof: index.prove(ref, KEYS, r.deps?.["primaryKeyArn"]) },
                    toHere,
                    "region",
                ),
            );
            break;
        }
        case T.bucketReplication:
        case T.bucket:
        case T.bucketV2: {
            const dests = s3Destinations(r);
            if (dests.length === 0) break;
            let from: { ref: string; proof: Proof | undefined };
            if (r.type === T.bucketReplication) {
                const ref = p["bucket"];
                from = {
                    ref: refText(ref),
                    proof: index.prove(ref, BUCKET_TYPES, r.deps?.["bucket"]),
                };
            } else {
                from = {
                    ref: label(r),
                    proof: { source: label(r), classification: classify(p, config), region: here },
                };
            }
            // The engine's property dependencies are keyed by the top-level input that holds the
            // destination: `rules` on a BucketReplicationConfig, the inline configuration on a
            // Bucket (`replicationConfiguration`) or BucketV2 (`replicationConfigurations`).
            const depKey = S3_REPLICATION_INPUT[r.type];
            for (const d of dests) {
                push(
                    judgeEdge(
                        config,
                        where,
                        "S3 replication",
                        from,
                        { ref: refText(d), proof: index.prove(d, BUCKET_TYPES, r.deps?.[depKey]) },
                        "strict",
                    ),
                );
            }
            break;
        }
        case T.backupSelection:
            out.push(...selectionFindings(r, index, where, here));
            break;
        case T.backupPlan: {
            const own = classify(p, config);
            for (const rule of asArray(p["rules"])) {
                const copies = asArray(obj(rule)["copyActions"]);
                if (copies.length === 0) continue;
                const vault = obj(rule)["targetVaultName"];
                const vaultProof = index.prove(vault, VAULTS, r.deps?.["rules"]);
                // A plan tagged with a zone copies that zone's data whatever its vault says.
                const from =
                    own.kind === "zone"
                        ? {
                              ref: label(r),
                              proof: { source: label(r), classification: own, region: here },
                          }
                        : { ref: `vault ${refText(vault)}`, proof: vaultProof };
                for (const c of copies) {
                    const dest = obj(c)["destinationVaultArn"];
                    const destProof = index.prove(dest, VAULTS, r.deps?.["rules"]);
                    const region = arnRegion(dest);
                    push(
                        judgeEdge(
                            config,
                            where,
                            "AWS Backup copy action",
                            from,
                            { ref: refText(dest), proof: destProof, regionOnly: region },
                            "region",
                        ),
                    );
                }
            }
            break;
        }
        default:
            break;
    }
    return out;
}

// ---- AWS Backup selections ------------------------------------------------------------------

/** The condition key AWS Backup uses for a resource tag (`aws:ResourceTag/<key>`). */
const RESIDENCY_CONDITION_KEYS = [`aws:ResourceTag/${RESIDENCY_TAG}`, RESIDENCY_TAG];

/**
 * What an AWS Backup selection may assign to its plan: zones it certainly picks (zone → what
 * picks it) and, in `open`, the reasons it may pick anything of its region (wildcards, other
 * tags, conditions only, unknown or unprovable ARNs): those fail closed.
 */
interface SelectionPicks {
    zones: Map<string, string>;
    open: string[];
}

function selectionPicks(r: ResourceView, index: ResourceIndex): SelectionPicks {
    const config = index.config;
    const p = r.props;
    const fromResources: SelectionPicks = { zones: new Map(), open: [] };
    const picks: SelectionPicks = { zones: new Map(), open: [] };
    const addProof = (into: SelectionPicks, what: string, proof: Proof | undefined): void => {
        const c = proof?.classification;
        if (c?.kind === "zone") into.zones.set(c.zone, `${proof!.source} (${what})`);
        else if (c?.kind !== "global") into.open.push(`${what}, whose residency cannot be proven`);
    };
    const resources = p["resources"];
    if (isUnknown(resources)) fromResources.open.push("resources not known until apply");
    const list = isUnknown(resources) ? [] : asArray(resources);
    if (list.some(isUnknown)) {
        // During preview the ARNs of this stack's stores are unknown; the engine still names the
        // resources they come from. Each must be a classified store, else fail closed.
        const deps = r.deps?.["resources"] ?? [];
        if (deps.length === 0) fromResources.open.push("a resource ARN not known until apply");
        for (const urn of deps) {
            const v = index.get(urn);
            if (!v || !DATA_BEARING_TYPES.includes(v.type)) {
                fromResources.open.push(`a resource ARN not known until apply (from ${urn})`);
                continue;
            }
            addProof(fromResources, "an ARN not known until apply", {
                source: label(v),
                classification: classify(v.props, config),
                region: effectiveRegion(v),
            });
        }
    }
    for (const arn of list) {
        if (isUnknown(arn)) continue;
        if (typeof arn !== "string" || arn.includes("*")) {
            fromResources.open.push(`resources by wildcard ${JSON.stringify(arn)}`);
            continue;
        }
        addProof(fromResources, arn, index.prove(arn, DATA_BEARING_TYPES));
    }
    // Conditions (AND) narrow what `resources` picks; only a StringEquals on the residency tag
    // narrows provably. Without `resources` or tags, conditions alone pick from every resource.
    const conditions = p["conditions"];
    const hasConditions = isUnknown(conditions) || asArray(conditions).length > 0;
    const tagsList = p["selectionTags"];
    const hasTags = isUnknown(tagsList) || asArray(tagsList).length > 0;
    if (list.length === 0 && !isUnknown(resources) && hasConditions && !hasTags) {
        fromResources.open.push("conditions over every resource");
    }
    const narrowTo = new Set<string>();
    let narrowed = false;
    if (!isUnknown(conditions)) {
        for (const c of asArray(conditions)) {
            const eq = obj(c)["stringEquals"];
            if (isUnknown(eq)) continue;
            for (const e of asArray(eq)) {
                const k = obj(e)["key"];
                const v = obj(e)["value"];
                if (typeof k !== "string" || !RESIDENCY_CONDITION_KEYS.includes(k)) continue;
                if (typeof v !== "string" || isUnknown(v)) continue;
                narrowed = true;
                narrowTo.add(v);
            }
        }
    }
    if (narrowed) {
        for (const [zone, why] of fromResources.zones) {
            if (narrowTo.has(zone)) picks.zones.set(zone, why);
        }
        // What was open is now known to be classified as one of the condition's values.
        if (fromResources.open.length > 0) {
            for (const v of narrowTo) {
                if (v !== GLOBAL && Object.prototype.hasOwnProperty.call(config.zones, v)) {
                    picks.zones.set(
                        v,
                        `${fromResources.open.join(", ")} narrowed by condition ${RESIDENCY_TAG}=${v}`,
                    );
                }
            }
        }
    } else {
        for (const [zone, why] of fromResources.zones) picks.zones.set(zone, why);
        picks.open.push(...fromResources.open);
    }
    // Selection tags (OR) pick every resource carrying the tag.
    if (isUnknown(tagsList)) picks.open.push("selection tags not known until apply");
    for (const t of isUnknown(tagsList) ? [] : asArray(tagsList)) {
        const k = obj(t)["key"];
        const v = obj(t)["value"];
        if (typeof k !== "string" || isUnknown(k) || typeof v !== "string" || isUnknown(v)) {
            picks.open.push("a selection tag not known until apply");
        } else if (k === RESIDENCY_TAG) {
            if (Object.prototype.hasOwnProperty.call(config.zones, v))
                picks.zones.set(v, `selection tag ${k}=${v}`);
        } else {
            picks.open.push(`selection tag ${k}=${v}`);
        }
    }
    return picks;
}

/** The copy-action destinations of a backup plan (unknown rules yield one unknown entry). */
function copyDestinations(plan: ResourceView): unknown[] {
    const rules = plan.props["rules"];
    if (isUnknown(rules)) return [rules];
    return asArray(rules).flatMap((rule) => {
        const copies = obj(rule)["copyActions"];
        if (isUnknown(copies)) return [copies];
        return asArray(copies).map((c) => (isUnknown(c) ? c : obj(c)["destinationVaultArn"]));
    });
}

/**
 * A selection assigns resources to a plan (`planId`): if it can pick a zone's resources, every
 * copy action of that plan carries the zone's data, whatever the plan's own tag or vault says.
 */
function selectionFindings(
    r: ResourceView,
    index: ResourceIndex,
    where: string,
    here: RegionFact,
): string[] {
    const config = index.config;
    const picks = selectionPicks(r, index);
    if (picks.zones.size === 0 && picks.open.length === 0) return [];
    const planRef = r.props["planId"];
    const plan = index.resolve(planRef, [T.backupPlan], r.deps?.["planId"]);
    // AWS Backup backs up resources of the plan's own region only: an open selection may pick
    // data of every zone that allows that region (of every zone, if the region is not known).
    const planRegion = here.kind === "known" ? here : plan ? effectiveRegion(plan) : here;
    const openZones = Object.keys(config.zones).filter(
        (z) => planRegion.kind !== "known" || zoneAllows(config, z, planRegion.region),
    );
    const atRisk = new Map<string, string>(picks.zones);
    for (const z of picks.open.length > 0 ? openZones : []) {
        if (!atRisk.has(z)) {
            atRisk.set(
                z,
                `${picks.open.join(", ")}, which may include zone ${z} data in region ${regionText(planRegion)} (fail closed)`,
            );
        }
    }
    if (atRisk.size === 0) return [];
    if (!plan) {
        const what = [...atRisk].map(([z, why]) => `${why} (zone ${z})`).join("; ");
        return [
            `${where}: AWS Backup selection for plan ${refText(planRef)}, which cannot be found to prove where its copy actions send recovery points, picks ${what}; rule: replication wiring must prove both ends stay in their zone (fail closed)`,
        ];
    }
    const out: string[] = [];
    for (const dest of copyDestinations(plan)) {
        const destProof = index.prove(dest, [T.backupVault]);
        const destRegion =
            destProof?.region.kind === "known" ? destProof.region.region : arnRegion(dest);
        for (const [zone, why] of atRisk) {
            if (destRegion !== undefined && zoneAllows(config, zone, destRegion)) continue;
            const at = destRegion ?? "a region that cannot be proven";
            out.push(
                `${where}: AWS Backup selection picks ${why} (zone ${zone}) for ${label(plan)}, whose copy action sends recovery points to ${refText(dest)} in ${destRegion ? `region ${at}` : at}; ${zoneRule(config, zone)}`,
            );
        }
    }
    return out;
}

export const replicationWiring: StackValidationPolicy = {
    name: "residency-replication-wiring",
    description:
        "Every replication path (table replicas, global tables/clusters/datastores, read replicas, backup replication, copies and selections, S3 replication, replica keys, table restores/exports/Kinesis streaming, RDS snapshots and snapshot copies, log subscriptions, S3 inventory/analytics exports) has both ends proven to stay in their zone; unprovable ends fail closed.",
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateStack: (args, report: ReportViolation) => {
        const config = readConfig(args.getConfig());
        const ctx = args as PlanContextArgs;
        const index = new ResourceIndex(
            [...args.resources, ...(ctx.otherStackResources ?? [])],
            config,
        );
        args.resources.forEach((res, i) => {
            for (const m of wiringFindings(index.views[i], index)) report(m, res.urn);
        });
    },
};

export const stackOutsideZone: StackValidationPolicy = {
    name: "residency-stack-outside-zone",
    description: "A stack whose region is outside a zone creates nothing classified in that zone.",
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateStack: (args, report) => {
        const config = readConfig(args.getConfig());
        const stackRegion = stackRegionOf(args as PlanContextArgs);
        if (!stackRegion)
            args.notApplicable("the stack's region is not known (no default AWS provider)");
        const index = new ResourceIndex(args.resources, config);
        args.resources.forEach((res, i) => {
            const v = index.views[i];
            const c = classify(v.props, config);
            if (c.kind === "zone" && !zoneAllows(config, c.zone, stackRegion!)) {
                report(
                    `${label(v)} (zone ${c.zone}, region ${regionText(effectiveRegion(v))}) is created by a stack in region ${stackRegion}; ${zoneRule(config, c.zone)} and only be managed from a stack in the zone`,
                    res.urn,
                );
            }
        });
    },
};

export const replicationPolicies = { replicationOutOfZone, replicationWiring, stackOutsideZone };
