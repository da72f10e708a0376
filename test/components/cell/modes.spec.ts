/**
 * RegionalCell cell modes: each region stack planned again with its `taskflow:cellMode` changed,
 * and the plans diffed: a mode changes capacity only (task counts, NAT gateways, instances).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CellMode, StackConfig, holdsGlobalData, stackRefName } from "../../../config";
import { RecordedResource, RecordingMocks } from "../../../plan/mocks";
import {
    PlannedStack,
    planStack,
    readProjectFiles,
    upstreamOf,
    validateAll,
} from "../../../plan/run";
import { repoPlan } from "../../helpers/repo-plan";
import { tempDir } from "../../helpers/tmp";
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

// ---- cell modes: a mode switch changes capacity only --------------------------------------

/** Copies Pulumi.yaml and the stack files to a temp dir with one stack's cell mode changed. */
function stackFilesWithMode(stack: string, mode: CellMode): string {
    const dir = tempDir("taskflow-cell-");
    for (const f of fs.readdirSync(ROOT).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) {
        const doc = YAML.parse(fs.readFileSync(path.join(ROOT, f), "utf8")) as {
            config?: Record<string, unknown>;
        };
        if (f === `Pulumi.${stack}.yaml`) doc.config = { ...doc.config, "taskflow:cellMode": mode };
        fs.writeFileSync(path.join(dir, f), YAML.stringify(doc));
    }
    return dir;
}

/** Flattens a value to dotted paths; JSON documents held in strings are flattened too (`#`). */
export function flatten(value: unknown, prefix = "", out: Record<string, unknown> = {}) {
    if (typeof value === "string" && /^\s*[[{]/.test(value)) {
        try {
            return flatten(JSON.parse(value), `${prefix}#`, out);
        } catch {
            /* not JSON: a plain string */
        }
    }
    if (Array.isArray(value)) {
        if (value.length === 0) out[prefix] = [];
        value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
    } else if (value && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 0) out[prefix] = {};
        for (const [k, v] of entries)
            flatten(v, prefix && !prefix.endsWith("#") ? `${prefix}.${k}` : `${prefix}${k}`, out);
    } else {
        out[prefix] = value;
    }
    return out;
}

export interface PlanDiff {
    added: string[];
    removed: string[];
    /** "<type> <name>: <path>: <before> -> <after>" */
    changed: { type: string; name: string; path: string; before: unknown; after: unknown }[];
}

/** Differences between two plans of the same stack, by URN → inputs and options. */
export function diffPlans(a: PlannedStack, b: PlannedStack): PlanDiff {
    const index = (p: PlannedStack) => new Map(p.plan.resources.map((r) => [r.urn, r]));
    const ia = index(a);
    const ib = index(b);
    const diff: PlanDiff = { added: [], removed: [], changed: [] };
    for (const urn of ia.keys()) if (!ib.has(urn)) diff.removed.push(urn);
    for (const urn of ib.keys()) if (!ia.has(urn)) diff.added.push(urn);
    for (const [urn, ra] of ia) {
        const rb = ib.get(urn);
        if (!rb) continue;
        const fa = flatten({ inputs: ra.inputs, options: ra.options, region: ra.region });
        const fb = flatten({ inputs: rb.inputs, options: rb.options, region: rb.region });
        for (const k of new Set([...Object.keys(fa), ...Object.keys(fb)])) {
            if (JSON.stringify(fa[k]) !== JSON.stringify(fb[k]))
                diff.changed.push({
                    type: ra.type,
                    name: ra.name,
                    path: k,
                    before: fa[k],
                    after: fb[k],
                });
        }
    }
    return diff;
}

/** Inputs a cell mode may change: capacity and what a node count forces. */
export const CAPACITY_PATHS: Record<string, RegExp> = {
    "aws:ecs/service:Service": /^inputs\.desiredCount$/,
    // Who owns min/max follows the capacity too: night mode's controller owns a passive cell's
    // (ignoreChanges), except in pilot-light, where there is nothing for it to scale.
    "aws:appautoscaling/target:Target":
        /^(inputs\.(minCapacity|maxCapacity)|options\.ignoreChanges(\[\d+\])?)$/,
    "awsx:ec2:Vpc": /^inputs\.natGateways\.strategy$/,
    // Node count; a single node cannot fail over nor span AZs, so those two follow it.
    "aws:elasticache/replicationGroup:ReplicationGroup":
        /^inputs\.(numCacheClusters|replicasPerNodeGroup|automaticFailoverEnabled|multiAzEnabled)$/,
};
/** Resource types a cell mode may add or remove (instance counts). */
export const CAPACITY_TYPES = ["aws:rds/clusterInstance:ClusterInstance"];

function describeDiff(d: PlanDiff): string {
    return [
        ...d.added.map((u) => `+ ${u}`),
        ...d.removed.map((u) => `- ${u}`),
        ...d.changed.map(
            (c) =>
                `~ ${c.type} ${c.name}: ${c.path}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`,
        ),
    ].join("\n");
}

const typeOfUrn = (urn: string) => urn.split("::")[2].split("$").pop()!;

// The switched stacks: every region stack, the primary first (its mode also sizes the Aurora
// writer cluster and the ElastiCache primary group). Each is planned alone in the other modes, fed
// the base plan's outputs of the stacks it references (nothing upstream reads a region's mode, so
// re-planning them would prove nothing).
const MODE_STACKS = [
    ...REGION_STACKS.filter((s) => CONFIGS[s].role === "primary"),
    ...REGION_STACKS.filter((s) => CONFIGS[s].role !== "primary"),
];

for (const stack of MODE_STACKS)
    describe(`RegionalCell cell modes (${CONFIGS[stack].role} ${stack})`, () => {
        const baseMode = CONFIGS[stack].cell!.mode;
        const others = (["active", "warm-standby", "pilot-light"] as CellMode[]).filter(
            (m) => m !== baseMode,
        );
        const plans: Partial<Record<CellMode, PlannedStack>> = {};
        const of = (mode: CellMode) => plans[mode]!;

        before(async () => {
            const base = await planRegionStacks();
            plans[baseMode] = base.find((p) => p.plan.stack === stack)!;
            const topology = CONFIGS[stack].topology;
            const stackOutputs = Object.fromEntries(
                upstreamOf(topology, stack).map((s) => [
                    stackRefName(topology, s),
                    base.find((p) => p.plan.stack === s)!.outputs,
                ]),
            );
            for (const m of others) {
                const files = readProjectFiles(stackFilesWithMode(stack, m));
                const configs = validateAll(files);
                plans[m] = await planStack(
                    configs[stack],
                    files.stacks[stack],
                    files.project,
                    stackOutputs,
                );
            }
        });

        it("plans the switched stack in every mode", () => {
            for (const m of [baseMode, ...others]) expect(of(m).config.cell!.mode).to.equal(m);
        });

        for (const mode of ["active", "warm-standby", "pilot-light"] as CellMode[]) {
            it(`gives ${mode} its capacity: task floor/ceiling, initial desired count, NAT gateways`, () => {
                const v = new CellView(of(mode));
                const e = expectedCapacity(mode, v.config.cell!);
                expect(v.one(T.scalingTarget).inputs).to.include({
                    minCapacity: e.min,
                    maxCapacity: e.max,
                });
                expect(v.one(T.service).inputs.desiredCount).to.equal(e.min);
                expect((v.one(T.vpc).inputs.natGateways as { strategy: string }).strategy).to.equal(
                    e.nat,
                );
                // The service, its load balancer, listeners and rules exist in every mode
                // (pilot-light is scaled to zero, not torn down).
                expect(v.all(T.listener)).to.have.length(3);
                expect(v.all(T.listenerRule).length).to.equal(
                    new CellView(of(baseMode)).all(T.listenerRule).length,
                );
            });
        }

        it("keeps pilot-light at zero tasks with a zero ceiling, so autoscaling cannot start any", () => {
            const v = new CellView(of("pilot-light"));
            expect(v.one(T.scalingTarget).inputs).to.include({ minCapacity: 0, maxCapacity: 0 });
        });

        for (const mode of others) {
            it(`switching ${stack} from ${baseMode} to ${mode} changes only capacity inputs`, () => {
                const d = diffPlans(of(baseMode), of(mode));
                const shown = describeDiff(d);
                // The diff is not empty: the switch did change capacity.
                const changedPaths = d.changed.map((c) => `${c.type} ${c.path}`);
                expect(changedPaths, `capacity did not change:\n${shown}`).to.include.members([
                    "aws:ecs/service:Service inputs.desiredCount",
                    "aws:appautoscaling/target:Target inputs.minCapacity",
                    "awsx:ec2:Vpc inputs.natGateways.strategy",
                ]);
                const stray = {
                    added: d.added.filter((u) => !CAPACITY_TYPES.includes(typeOfUrn(u))),
                    removed: d.removed.filter((u) => !CAPACITY_TYPES.includes(typeOfUrn(u))),
                    changed: d.changed.filter((c) => !CAPACITY_PATHS[c.type]?.test(c.path)),
                };
                expect(
                    describeDiff(stray),
                    `non-capacity changes when switching ${stack} ${baseMode} -> ${mode}; full diff:\n${shown}\n`,
                ).to.equal("");
            });
        }

        it("changes the Aurora instance count of the region with the mode (none where it holds no global data)", () => {
            const instances = (m: CellMode) =>
                of(m).mocks.ofType("aws:rds/clusterInstance:ClusterInstance").length;
            const counts = Object.fromEntries(
                (["active", "warm-standby", "pilot-light"] as CellMode[]).map((m) => [
                    m,
                    instances(m),
                ]),
            );
            if (!holdsGlobalData(CONFIGS[stack])) {
                // globalData: false: no member of the global cluster in any mode, so the mode
                // changes no instance count (a ResidencyBoundary's zone cluster keeps its own).
                const members = (m: CellMode) =>
                    of(m)
                        .mocks.ofType("aws:rds/clusterInstance:ClusterInstance")
                        .filter((r) => /::taskflow:data:GlobalData::/.test(r.parent ?? "")).length;
                for (const m of ["active", "warm-standby", "pilot-light"] as CellMode[])
                    expect(members(m), m).to.equal(0);
                expect(new Set(Object.values(counts)).size, JSON.stringify(counts)).to.equal(1);
                return;
            }
            expect(counts.active, JSON.stringify(counts)).to.be.greaterThan(counts["warm-standby"]);
            // The primary keeps a writer in every mode; a secondary may go headless.
            if (CONFIGS[stack].role === "primary")
                expect(counts["pilot-light"], JSON.stringify(counts)).to.be.at.least(1);
        });
    });
