/**
 * One stack's config: the topology decides its role and region; the keys it may set follow from
 * that role. `validateStackConfig` is the pure function `loadStackConfig` and the offline plan
 * both run; it throws ConfigError naming every bad key, its value and what is allowed.
 */
import { EDGE_REGION } from "../model/aws";
import { RegionSpec, Role, Topology, roleOf, stacksInOrder } from "../model/topology";
import { checkAwsProvider } from "./aws-provider";
import { checkBoundary } from "./boundary";
import { checkBucketNames } from "./bucket-names";
import { checkCell } from "./cell";
import { checkDrills } from "./drills";
import { deploymentsIssues } from "./deployments";
import { checkEdge } from "./edge";
import { Collector, ConfigError, ConfigIssue } from "./errors";
import { CELL_KEYS, DEFAULTS, NS, PROJECT_ONLY_KEYS, STACK_KEYS, checkKeys } from "./keys";
import { checkNightMode, checkWriterRegion } from "./night-mode";
import { checkRollout } from "./rollout";
import { targetsIssues, validateTargets } from "./targets";
import { checkTopology } from "./topology";
import { BoundaryConfig, CellConfig, RawConfig, StackConfig, ValidateOptions } from "./types";
import { intIn, isObject } from "./values";

const k = (key: string) => `${NS}:${key}`;

/**
 * The problems of a stack's `taskflow:*` keys that do not depend on the topology: unknown
 * (misspelled) keys, with a "did you mean" when a known key is close.
 */
export function stackKeyIssues(raw: RawConfig): ConfigIssue[] {
    const c = new Collector();
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (key.startsWith(`${NS}:`)) own[key.slice(NS.length + 1)] = value;
    }
    checkKeys(c, own, STACK_KEYS, `${NS}:`, `${NS}:`);
    return c.issues;
}

/**
 * Validates one stack's raw config (project config merged with the stack's own) and returns the
 * typed value. Throws ConfigError naming every bad key, its value and what is allowed.
 */
export function validateStackConfig(
    stack: string,
    raw: RawConfig,
    options: ValidateOptions = {},
): StackConfig {
    const c = new Collector();
    const topology = options.topology ?? checkTopology(c, raw[k("topology")], options.project);
    c.issues.push(...stackKeyIssues(raw));
    if (!topology) throw new ConfigError(stack, c.issues);

    const role = checkRole(c, raw, topology, stack);
    const regionSpec = topology.regions.find((r) => r.stack === stack);
    const awsRegion = checkAwsRegion(c, raw, stack, role, regionSpec);
    const scalars = checkScalars(c, raw);
    const awsProvider = checkAwsProvider(c, raw);
    const edge = checkEdge(c, raw);
    const { cell, boundary } = regionSpec
        ? {
              cell: checkCell(c, raw),
              boundary: checkBoundary(c, raw[k("residencyBoundary")], topology, regionSpec),
          }
        : refuseRegionKeys(c, raw, role, options);
    if (typeof scalars.environment === "string")
        checkBucketNames(c, scalars.environment, topology, regionSpec, boundary);
    const drills = checkDrills(c, raw, regionSpec !== undefined);
    const deployments = raw[k("deployments")];
    if (deployments !== undefined && role !== "global") {
        c.add(
            k("deployments"),
            deployments,
            "only the global stack manages Pulumi Deployments settings",
        );
    } else if (deployments !== undefined) {
        // Validated here, with the rest of the config, so that a bad value stops the offline plan
        // before any stack is planned (regions/global.ts reads the same value again).
        c.issues.push(...deploymentsIssues(deployments));
    }
    c.issues.push(...targetsIssues(raw[k("targets")]));
    const targets = validateTargets(raw[k("targets")]);
    const { nightMode, writerRegion, rollout } = checkProjectLevel(c, raw, topology, options, {
        regionSpec,
        cell,
    });

    if (c.issues.length > 0) throw new ConfigError(stack, c.issues);
    return {
        stack,
        role,
        awsRegion: awsRegion as string,
        awsProvider,
        environment: scalars.environment as string,
        topology,
        rpoSeconds: scalars.rpoSeconds,
        logArchiveRetentionDays: scalars.logArchiveRetentionDays,
        auroraEngineVersion: scalars.auroraEngineVersion as string,
        ...(regionSpec ? { regionSpec } : {}),
        ...(cell ? { cell } : {}),
        ...(boundary ? { boundary } : {}),
        edge,
        drills,
        ...(isObject(deployments) ? { deployments } : {}),
        nightMode,
        writerRegion,
        rollout,
        targets,
    };
}

/** The role the topology gives the stack; throws when the stack is not in the topology. */
function checkRole(c: Collector, raw: RawConfig, topology: Topology, stack: string): Role {
    const role = roleOf(topology, stack);
    if (!role) {
        const known = stacksInOrder(topology);
        throw new ConfigError(stack, [
            {
                key: "stack",
                value: stack,
                allowed: `one of the topology's stacks: ${known.join(", ")}`,
            },
        ]);
    }
    const declaredRole = raw[k("role")];
    if (declaredRole !== undefined && declaredRole !== role) {
        c.add(k("role"), declaredRole, `the topology makes stack ${stack} "${role}"`);
    } else if (declaredRole === undefined) {
        c.add(
            k("role"),
            declaredRole,
            `set it to "${role}" (the topology's role for stack ${stack})`,
        );
    }
    return role;
}

/** `aws:region`: the topology's region for a region stack, the edge region for the global one. */
function checkAwsRegion(
    c: Collector,
    raw: RawConfig,
    stack: string,
    role: Role,
    regionSpec: RegionSpec | undefined,
): unknown {
    const awsRegion = raw["aws:region"];
    const expectedRegion = regionSpec ? regionSpec.region : EDGE_REGION;
    if (awsRegion !== expectedRegion) {
        c.add(
            "aws:region",
            awsRegion,
            regionSpec
                ? `the topology places stack ${stack} in ${expectedRegion}`
                : `the ${role} stack must run in ${EDGE_REGION} (CloudFront certificates and Lambda@Edge live there)`,
        );
    }
    return awsRegion;
}

/** The keys every stack reads: environment, RPO, Aurora engine version. */
function checkScalars(c: Collector, raw: RawConfig) {
    const environment = raw[k("environment")] ?? DEFAULTS.environment;
    if (typeof environment !== "string" || !/^[a-z][a-z0-9-]{0,15}$/.test(environment)) {
        c.add(k("environment"), environment, "a short lower-case name such as prod");
    }
    const rpoSeconds = intIn(c, k("rpoSeconds"), raw[k("rpoSeconds")], DEFAULTS.rpoSeconds, 1, 300);
    const auroraEngineVersion = raw[k("auroraEngineVersion")] ?? DEFAULTS.auroraEngineVersion;
    if (typeof auroraEngineVersion !== "string" || !/^1[3-7]\.\d+$/.test(auroraEngineVersion)) {
        c.add(
            k("auroraEngineVersion"),
            auroraEngineVersion,
            "an Aurora PostgreSQL version with global database support, 13.x to 17.x",
        );
    }
    // Days the zone log archives keep ALB, S3, CloudFront and WAF logs (1 to 10 years).
    const logArchiveRetentionDays = intIn(
        c,
        k("logArchiveRetentionDays"),
        raw[k("logArchiveRetentionDays")],
        DEFAULTS.logArchiveRetentionDays,
        1,
        3653,
    );
    return { environment, rpoSeconds, auroraEngineVersion, logArchiveRetentionDays };
}

/** The global stack has no cell and stores no data: its own config may set neither. */
function refuseRegionKeys(
    c: Collector,
    raw: RawConfig,
    role: Role,
    options: ValidateOptions,
): { cell?: CellConfig; boundary?: BoundaryConfig } {
    if (raw[k("residencyBoundary")] !== undefined) {
        c.add(
            k("residencyBoundary"),
            raw[k("residencyBoundary")],
            `not allowed on the ${role} stack (it stores no data)`,
        );
    }
    // Cell keys have project-level defaults in Pulumi.yaml, which every stack inherits; only a
    // value the global stack sets itself is refused (see ValidateOptions.stackKeys).
    for (const key of CELL_KEYS) {
        const value = raw[k(key)];
        const own = options.stackKeys
            ? options.stackKeys.includes(k(key))
            : value !== undefined &&
              String(value) !== String((DEFAULTS as Record<string, unknown>)[key]);
        if (own) {
            c.add(
                k(key),
                value,
                `not allowed in the ${role} stack's own config: it has no regional cell (set cell sizes in Pulumi.<region>.yaml, defaults in Pulumi.yaml)`,
            );
        }
    }
    return {};
}

/** Night mode, the writer region, the rollout: project-level keys every stack reads alike. */
function checkProjectLevel(
    c: Collector,
    raw: RawConfig,
    topology: Topology,
    options: ValidateOptions,
    stack: { regionSpec?: RegionSpec; cell?: CellConfig },
) {
    const nightMode = checkNightMode(c, raw[k("nightMode")], topology);
    const writerRegion = checkWriterRegion(c, raw[k("writerRegion")], topology);
    if (nightMode.enabled && !nightMode.activeRegions.includes(writerRegion)) {
        c.add(
            `${NS}:nightMode.activeRegions`,
            nightMode.activeRegions,
            `a list including the writer region ${writerRegion} (taskflow:writerRegion): night mode must not drain the region that takes the writes`,
        );
    }
    const rollout = checkRollout(
        c,
        raw[k("rollout")],
        topology,
        stack.regionSpec,
        stack.cell?.mode,
    );
    for (const key of PROJECT_ONLY_KEYS) {
        if (options.stackKeys?.includes(k(key))) {
            c.add(
                k(key),
                raw[k(key)],
                "only in Pulumi.yaml: every stack must read the same value (the region stacks and the global stack act on it together)",
            );
        }
    }
    return { nightMode, writerRegion, rollout };
}

/** Whether a region stack holds global data (the primary always does). */
export function holdsGlobalData(cfg: Pick<StackConfig, "role" | "regionSpec">): boolean {
    return cfg.role === "primary" || (cfg.regionSpec?.globalData ?? false);
}
