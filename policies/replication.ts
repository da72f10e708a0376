// Residency policies about where a zone's data goes:
//
// - `residency-replication-out-of-zone` judges what a zone-classified resource says about itself
//   (a table's replica list, a cluster's global membership, a key's multiRegion flag, a secret's
//   replicas);
// - `residency-data-flow` is the closed-world data-flow model (flow.ts): every reference to zone
//   data, every receiver of it and every destination of it, hop after hop, in one stack;
// - `residency-stack-outside-zone` rejects a stack outside a zone creating anything classified in
//   that zone.

import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { dataFlowFindings } from "./data-flow";
import { classify } from "./classify";
import {
    effectiveRegion,
    label,
    readConfig,
    regionText,
    ResidencyConfig,
    residencyConfigSchema,
    ResourceView,
    T,
    viewOfArgs,
    viewOfPolicyResource,
    zoneAllows,
    zoneRule,
} from "./residency";
import { providerRegions, stackAccount, stackRegion } from "./stack";
import { asArray, isSet, isTrue, isUnknown, obj } from "./values";

type SelfCheck = (
    r: ResourceView,
    where: string,
    rule: string,
    zone: string,
    config: ResidencyConfig,
) => string[];

/** Replica regions listed on the resource itself (`list[].key`), judged against the zone. */
function replicaRegions(what: string, list: string, key: string): SelfCheck {
    return (r, where, rule, zone, config) => {
        const replicas = r.props[list];
        if (isUnknown(replicas))
            return [`${where} has ${what} replicas not known until apply; ${rule}`];
        return asArray(replicas).flatMap((rep) => {
            const region = obj(rep)[key];
            if (typeof region !== "string" || isUnknown(region))
                return [
                    `${where} has a ${what} replica in a region not known until apply; ${rule}`,
                ];
            return zoneAllows(config, zone, region)
                ? []
                : [`${where} has a ${what} replica in ${region}; ${rule}`];
        });
    };
}

/** Membership of a global cluster / datastore: any membership replicates out of the zone. */
function membership(what: string, key: string): SelfCheck {
    return (r, where, rule) => {
        const g = r.props[key];
        if (!isSet(g)) return [];
        const id = isUnknown(g) ? "(unknown until apply)" : String(g);
        return [`${where} is a member of ${what} ${id}; ${rule}`];
    };
}

const multiRegionKey: SelfCheck = (r, where, rule) => {
    const m = r.props["multiRegion"];
    if (isUnknown(m)) return [`${where} has multiRegion not known until apply; ${rule}`];
    return isTrue(m) ? [`${where} is a multi-Region KMS key (multiRegion: true); ${rule}`] : [];
};

/** Per type: what a zone-classified resource says about its own replicas. */
const SELF_CHECKS: Readonly<Record<string, SelfCheck>> = {
    [T.table]: replicaRegions("DynamoDB", "replicas", "regionName"),
    [T.secret]: replicaRegions("Secrets Manager", "replicas", "region"),
    [T.rdsCluster]: membership("Aurora global cluster", "globalClusterIdentifier"),
    [T.cacheGroup]: membership("ElastiCache global datastore", "globalReplicationGroupId"),
    [T.kmsKey]: multiRegionKey,
    [T.kmsExternalKey]: multiRegionKey,
};

/** Self-contained replication paths of one zone-classified resource. */
export function selfReplicationFindings(r: ResourceView, config: ResidencyConfig): string[] {
    const c = classify(r.props, config);
    const check = SELF_CHECKS[r.type];
    if (c.kind !== "zone" || !check) return [];
    const where = `${label(r)} (zone ${c.zone}, region ${regionText(effectiveRegion(r))})`;
    return check(r, where, zoneRule(config, c.zone), c.zone, config);
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

export const dataFlow: StackValidationPolicy = {
    name: "residency-data-flow",
    description:
        "Closed-world residency: every reference to zone data (ARN, name, id, URL or property dependency, at any depth, inside policy documents too) is one the pack knows to keep it in the zone and the stack's account; whatever receives zone data (copies, exports, restores, streams, subscribers, roles allowed to read it and what runs as them, CDNs, access points) is judged in turn, hop after hop; destinations must be proven stores; unknown types, paths, values and names fail closed.",
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateStack: (args, report) => {
        const config = readConfig(args.getConfig());
        const views = args.resources.map(viewOfPolicyResource);
        for (const f of dataFlowFindings(views, config, stackAccount(args.resources, config)))
            report(f.message, f.urn);
    },
};

export const stackOutsideZone: StackValidationPolicy = {
    name: "residency-stack-outside-zone",
    description:
        "A stack whose region is outside a zone creates nothing classified in that zone. The stack's region is its default AWS provider's; a stack without one must have every AWS provider it uses in the zone.",
    enforcementLevel: "mandatory",
    configSchema: residencyConfigSchema,
    validateStack: (args, report) => {
        const config = readConfig(args.getConfig());
        const home = stackRegion(args.resources);
        const regions = home ? [home] : providerRegions(args.resources);
        const what = home
            ? `a stack in region ${home}`
            : regions.length > 0
              ? `a stack without a default AWS provider, whose providers are in ${regions.join(", ")}`
              : "a stack whose region cannot be established (no AWS provider with a known region)";
        for (const res of args.resources) {
            const v = viewOfPolicyResource(res);
            const c = classify(v.props, config);
            if (c.kind !== "zone") continue;
            if (regions.length > 0 && regions.every((r) => zoneAllows(config, c.zone, r))) continue;
            report(
                `${label(v)} (zone ${c.zone}, region ${regionText(effectiveRegion(v))}) is created by ${what}; ${zoneRule(config, c.zone)} and only be managed from a stack in the zone`,
                res.urn,
            );
        }
    },
};

export const replicationPolicies = { replicationOutOfZone, dataFlow, stackOutsideZone };
