// Classification policies: every data store carries a residency tag, and a zone-classified
// store lives in one of its zone's regions.

import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { classify } from "./classify";
import {
    effectiveRegion,
    GLOBAL,
    isDataBearing,
    isUnknown,
    label,
    parseResidencyName,
    readConfig,
    RegionFact,
    regionText,
    RESIDENCY_TAG,
    residencyConfigSchema,
    T,
    viewOfArgs,
    zoneAllows,
    zoneRule,
} from "./residency";

export const unclassifiedDataStore: ResourceValidationPolicy = {
    name: "residency-unclassified-data-store",
    description: `Every data-bearing resource (every type of any provider the pack does not know to hold no data) carries a '${RESIDENCY_TAG}' tag whose value is exactly '${GLOBAL}' or a residency zone.`,
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateResource: (args: ResourceValidationArgs, report) => {
        // The program's own components reach the analyzer without a provider; they hold nothing.
        if (!isDataBearing(args.type, args.provider === undefined)) return;
        const config = readConfig(args.getConfig());
        const r = viewOfArgs(args);
        const c = classify(r.props, config);
        const region = regionText(effectiveRegion(r));
        const allowed = `'${GLOBAL}' or one of the zones ${Object.keys(config.zones).join(", ")}`;
        if (c.kind === "missing") {
            const hint = c.hint ? ` (${c.hint})` : "";
            report(
                `${label(r)} in region ${region} has no '${RESIDENCY_TAG}' tag${hint} (zone: none); rule: every data store is classified ${allowed}`,
            );
        } else if (c.kind === "unknown") {
            report(
                `${label(r)} in region ${region} has a '${RESIDENCY_TAG}' tag not known until apply (zone: unknown); rule: the classification must be known at preview (${allowed})`,
            );
        } else if (c.kind === "invalid") {
            const why = c.hint ?? `zone: '${c.value}' does not exist`;
            report(
                `${label(r)} in region ${region} is classified '${c.value}' (${why}); rule: '${RESIDENCY_TAG}' must be exactly ${allowed}`,
            );
        }
    },
};

export const regionOutsideZone: ResourceValidationPolicy = {
    name: "residency-region-outside-zone",
    description: "A zone-classified resource is created in one of its zone's regions.",
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateResource: (args, report) => {
        const config = readConfig(args.getConfig());
        const r = viewOfArgs(args);
        const c = classify(r.props, config);
        if (c.kind !== "zone") return;
        const region = effectiveRegion(r);
        if (region.kind !== "known") {
            report(
                `${label(r)} (zone ${c.zone}) has no provable region: ${regionText(region)}; ${zoneRule(config, c.zone)}`,
            );
        } else if (!zoneAllows(config, c.zone, region.region)) {
            report(
                `${label(r)} (zone ${c.zone}) is in region ${region.region}; ${zoneRule(config, c.zone)}`,
            );
        }
    },
};

/** Where each store type keeps the name another stack would refer to it by. */
const NAME_KEYS: Record<string, string> = {
    [T.bucket]: "bucket",
    [T.bucketV2]: "bucket",
    [T.table]: "name",
    [T.rdsCluster]: "clusterIdentifier",
    [T.rdsInstance]: "identifier",
    [T.cacheGroup]: "replicationGroupId",
    [T.backupVault]: "name",
    [T.rdsSnapshot]: "dbSnapshotIdentifier",
    [T.rdsClusterSnapshot]: "dbClusterSnapshotIdentifier",
    [T.rdsSnapshotCopy]: "targetDbSnapshotIdentifier",
    [T.rdsClusterSnapshotCopy]: "targetDbClusterSnapshotIdentifier",
    [T.logGroup]: "name",
};

/** Snapshot copies land in their `destinationRegion` when set: that is where their name points. */
const LANDS_IN_DESTINATION: readonly string[] = [T.rdsSnapshotCopy, T.rdsClusterSnapshotCopy];

export const nameMatchesClassification: ResourceValidationPolicy = {
    name: "residency-name-matches-classification",
    description:
        "A store named by the residency convention `<base>-<classification>-<region>` is tagged and placed as its name says (other stacks prove residency from that name).",
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateResource: (args, report) => {
        const key = NAME_KEYS[args.type];
        if (!key) return;
        const config = readConfig(args.getConfig());
        const r = viewOfArgs(args);
        const name = r.props[key];
        if (typeof name !== "string") return;
        const parsed = parseResidencyName(name, config);
        if (!parsed) return;
        const c = classify(r.props, config);
        const tagged = c.kind === "zone" ? c.zone : c.kind === "global" ? GLOBAL : `(${c.kind})`;
        const dest = r.props["destinationRegion"];
        const region: RegionFact =
            LANDS_IN_DESTINATION.includes(r.type) && typeof dest === "string" && dest !== ""
                ? isUnknown(dest)
                    ? { kind: "unknown" }
                    : { kind: "known", region: dest }
                : effectiveRegion(r);
        if (
            tagged !== parsed.classification ||
            region.kind !== "known" ||
            region.region !== parsed.region
        ) {
            report(
                `${label(r)} is named '${name}' (zone ${parsed.classification}, region ${parsed.region}) but is tagged '${tagged}' in region ${regionText(region)}; rule: a residency name must match the store's '${RESIDENCY_TAG}' tag and region`,
            );
        }
    },
};

export const classificationPolicies: ResourceValidationPolicy[] = [
    unclassifiedDataStore,
    regionOutsideZone,
    nameMatchesClassification,
];
