/**
 * A clean refresh: `pulumi refresh` of an untouched stack (Pulumi Deployments runs one every few
 * hours) must show no changes, and the `up` after it must not undo what runs at runtime. These
 * are the known perpetual-diff traps of the resources this program plans, each checked on the
 * planned resources and options of every stack. A trap whose subject resources are not planned
 * fails (it is not skipped): the component that owns them has not landed, or no longer builds
 * them, and the list must be revisited.
 */
import { expect } from "chai";
import { PlannedResource, PlannedStack } from "../../plan/run";
import { plannedWithDeployments } from "./planned";
import { RUNTIME_VARIABLES, parameterName } from "../../model/parameters";
import { repoDrainedRegions, repoStackOfRegion } from "../helpers/repo-topology";

interface Subject {
    stack: string;
    r: PlannedResource;
}

/** One known trap: which planned resources it concerns and what each must satisfy. */
interface Trap {
    title: string;
    /** Why it would drift, with the provider doc or issue. */
    why: string;
    subjects: (all: Subject[]) => Subject[];
    /** Problems of one subject (empty when it is safe). */
    check: (s: Subject, all: Subject[]) => string[];
    /** The trap only applies when such resources exist (runtime features not always built). */
    optional?: boolean;
}

const ofType = (type: string) => (all: Subject[]) => all.filter((s) => s.r.type === type);

/** The regions night mode's controller drains, from the spec it is deployed with. */
const drainedRegions = (all: Subject[]): string[] =>
    all
        .filter((s) => s.r.type === "aws:lambda/function:Function")
        .flatMap((s) => {
            const env = (s.r.inputs.environment as { variables?: Record<string, string> })
                ?.variables?.NIGHT_MODE_SPEC;
            if (!env) return [];
            const spec = JSON.parse(env) as { cells: { region: string; role: string }[] };
            return spec.cells.filter((c) => c.role === "drain").map((c) => c.region);
        });
const ignores = (s: Subject, ...fields: string[]) =>
    fields.filter((f) => !s.r.options.ignoreChanges.includes(f)).map((f) => `does not ignore ${f}`);
const setAndNotIgnored = (s: Subject, fields: string[]) =>
    fields
        .filter((f) => s.r.inputs[f] !== undefined && !s.r.options.ignoreChanges.includes(f))
        .map((f) => `sets ${f} without ignoring it`);

/** What an EventBridge Scheduler universal target changes, by SDK action: type → fields. */
const SCHEDULER_MUTATIONS: Record<string, { type: string; fields: string[] }> = {
    "ecs:updateService": { type: "aws:ecs/service:Service", fields: ["desiredCount"] },
    "applicationautoscaling:registerScalableTarget": {
        type: "aws:appautoscaling/target:Target",
        fields: ["minCapacity", "maxCapacity"],
    },
    "globalaccelerator:updateEndpointGroup": {
        type: "aws:globalaccelerator/endpointGroup:EndpointGroup",
        fields: ["trafficDialPercentage"],
    },
};

const TRAPS: Trap[] = [
    {
        title: "the writer and cache-writer parameters of every region ignore their value",
        why: "the Aurora runbook rewrites them after a switchover (ops/aurora-parameters.ts)",
        subjects: (all) =>
            ofType("aws:ssm/parameter:Parameter")(all).filter((s) =>
                RUNTIME_VARIABLES.map(parameterName).some((n) =>
                    String(s.r.inputs.name).endsWith(`/${n}`),
                ),
            ),
        check: (s) => ignores(s, "value"),
    },
    {
        title: "ECS services ignore desiredCount",
        why: "autoscaling and night mode change the running count (ecs/service.d.ts, ignoreChanges example)",
        subjects: ofType("aws:ecs/service:Service"),
        check: (s) => ignores(s, "desiredCount"),
    },
    {
        title: "Global Accelerator endpoint groups of drained regions ignore trafficDialPercentage",
        why: "night mode's controller turns a drained region's dial at runtime (ops/night-mode/)",
        subjects: (all) =>
            ofType("aws:globalaccelerator/endpointGroup:EndpointGroup")(all).filter((s) =>
                drainedRegions(all).includes(String(s.r.inputs.endpointGroupRegion)),
            ),
        check: (s) => ignores(s, "trafficDialPercentage"),
    },
    {
        title: "Aurora clusters in the global cluster ignore globalClusterIdentifier and replicationSourceIdentifier",
        why: "a managed switchover/failover rewrites both on every member (rds/globalCluster.d.ts examples)",
        subjects: (all) =>
            ofType("aws:rds/cluster:Cluster")(all).filter(
                (s) =>
                    s.r.inputs.globalClusterIdentifier !== undefined ||
                    s.r.inputs.replicationSourceIdentifier !== undefined,
            ),
        check: (s) => ignores(s, "globalClusterIdentifier", "replicationSourceIdentifier"),
    },
    {
        title: "Aurora members leave engine upgrades to the global cluster",
        why: "upgrading the GlobalCluster upgrades every member in place; a member's own engineVersion then diffs (rds/globalCluster.d.ts, 'Upgrading Engine Versions')",
        subjects: (all) =>
            ofType("aws:rds/cluster:Cluster")(all).filter(
                (s) => s.r.inputs.globalClusterIdentifier !== undefined,
            ),
        check: (s) => setAndNotIgnored(s, ["engineVersion"]),
    },
    {
        title: "Aurora secondary members carry no credentials or database name",
        why: "a secondary inherits them from the primary; the provider rejects them or reports a diff forever",
        subjects: (all) =>
            ofType("aws:rds/cluster:Cluster")(all).filter(
                (s) =>
                    s.r.inputs.globalClusterIdentifier !== undefined &&
                    all.some(
                        (p) =>
                            p.stack !== s.stack &&
                            p.r.type === "aws:rds/globalCluster:GlobalCluster" &&
                            p.r.inputs.globalClusterIdentifier ===
                                s.r.inputs.globalClusterIdentifier,
                    ),
            ),
        check: (s) =>
            ["masterUsername", "masterPassword", "databaseName", "manageMasterUserPassword"]
                .filter((f) => s.r.inputs[f] !== undefined)
                .map((f) => `sets ${f}`),
    },
    {
        title: "The Aurora global cluster is not created from a source cluster",
        why: "sourceDbClusterIdentifier cannot be read back, so it always shows a difference (rds/globalCluster.d.ts, import note)",
        subjects: ofType("aws:rds/globalCluster:GlobalCluster"),
        check: (s) => setAndNotIgnored(s, ["sourceDbClusterIdentifier"]),
    },
    {
        title: "The ElastiCache Global Datastore ignores primaryReplicationGroupId",
        why: "promoting a secondary (regional failover) changes it, and a change forces a new global datastore (elasticache/globalReplicationGroup.d.ts; terraform-provider-aws#46121)",
        subjects: ofType("aws:elasticache/globalReplicationGroup:GlobalReplicationGroup"),
        check: (s) => ignores(s, "primaryReplicationGroupId"),
    },
    {
        title: "ElastiCache secondary members leave the Global Datastore's settings to it",
        why: "a member inherits engine, version, node type, shards, parameter group and encryption from the global datastore; setting them on a secondary diffs or is rejected",
        subjects: (all) =>
            ofType("aws:elasticache/replicationGroup:ReplicationGroup")(all).filter(
                (s) => s.r.inputs.globalReplicationGroupId !== undefined,
            ),
        check: (s) =>
            setAndNotIgnored(s, [
                "engine",
                "engineVersion",
                "nodeType",
                "numNodeGroups",
                "parameterGroupName",
                "atRestEncryptionEnabled",
                "transitEncryptionEnabled",
            ]),
    },
    {
        title: "DynamoDB tables with replicas have no capacity settings",
        why: "replicas are PAY_PER_REQUEST only in this design; provisioned capacity on a global table is rewritten by autoscaling in every replica (dynamodb/table.d.ts note)",
        subjects: (all) =>
            ofType("aws:dynamodb/table:Table")(all).filter(
                (s) =>
                    Array.isArray(s.r.inputs.replicas) &&
                    (s.r.inputs.replicas as unknown[]).length > 0,
            ),
        check: (s) => {
            const problems: string[] = [];
            if (s.r.inputs.billingMode !== "PAY_PER_REQUEST")
                problems.push(`billingMode is ${String(s.r.inputs.billingMode)}`);
            for (const f of ["readCapacity", "writeCapacity"])
                if (s.r.inputs[f] !== undefined) problems.push(`sets ${f}`);
            for (const g of (s.r.inputs.globalSecondaryIndexes as
                Record<string, unknown>[] | undefined) ?? []) {
                if (g.readCapacity !== undefined || g.writeCapacity !== undefined)
                    problems.push(`index ${String(g.name)} sets capacity`);
            }
            return problems;
        },
    },
    {
        title: "DynamoDB global tables declare the stream their replicas need",
        why: "global tables (2019.11.21) run on NEW_AND_OLD_IMAGES streams; a table that omits them drifts once replicas exist",
        subjects: (all) =>
            ofType("aws:dynamodb/table:Table")(all).filter(
                (s) =>
                    Array.isArray(s.r.inputs.replicas) &&
                    (s.r.inputs.replicas as unknown[]).length > 0,
            ),
        check: (s) =>
            s.r.inputs.streamEnabled === true && s.r.inputs.streamViewType === "NEW_AND_OLD_IMAGES"
                ? []
                : [
                      `stream ${String(s.r.inputs.streamEnabled)}/${String(s.r.inputs.streamViewType)}`,
                  ],
    },
    {
        title: "DynamoDB replicas are managed in one place",
        why: "a TableReplica next to a table that lists replicas fights it on every update (dynamodb/table.d.ts note)",
        subjects: ofType("aws:dynamodb/table:Table"),
        check: (s, all) =>
            all.some((x) => x.r.type === "aws:dynamodb/tableReplica:TableReplica")
                ? ignores(s, "replicas")
                : [],
    },
    {
        title: "Aurora clusters outside a global cluster leave minor upgrades to AWS",
        why: "RDS applies minor upgrades itself; a pinned engineVersion then plans a downgrade RDS refuses, and the provider suppresses no minor-version diff on clusters (hashicorp/terraform-provider-aws#20086; cloudposse/terraform-aws-rds-cluster#139)",
        subjects: (all) =>
            ofType("aws:rds/cluster:Cluster")(all).filter(
                (s) => s.r.inputs.globalClusterIdentifier === undefined,
            ),
        check: (s) => setAndNotIgnored(s, ["engineVersion"]),
    },
    {
        title: "Aurora instances leave their engine version to their cluster",
        why: "the cluster upgrades its instances; an instance's own engineVersion then diffs (hashicorp/terraform-provider-aws#14709: ignore it on instances when the cluster manages it)",
        subjects: ofType("aws:rds/clusterInstance:ClusterInstance"),
        check: (s) => ignores(s, "engineVersion"),
    },
    {
        title: "the Global Datastore owns its primary member's node type and engine version",
        why: "once a group is a member, ModifyGlobalReplicationGroup scales and upgrades every member (ElastiCache API reference, ModifyGlobalReplicationGroup) and a direct change of the member is rejected ('is part of a global cluster. Request rejected': hashicorp/terraform-provider-aws#22528; aws-cloudformation/cloudformation-coverage-roadmap#1965); the member ignores both and the datastore sets them (elasticache/globalReplicationGroup.d.ts, 'Managing Redis OOS/Valkey Engine Versions')",
        subjects: (all) =>
            ofType("aws:elasticache/replicationGroup:ReplicationGroup")(all).filter((s) =>
                all.some(
                    (g) =>
                        g.r.type ===
                            "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup" &&
                        g.r.inputs.primaryReplicationGroupId === s.r.id,
                ),
            ),
        check: (s, all) => {
            const g = all.find(
                (x) =>
                    x.r.type === "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup" &&
                    x.r.inputs.primaryReplicationGroupId === s.r.id,
            )!;
            const problems = ignores(s, "engineVersion", "nodeType");
            if (g.r.inputs.cacheNodeType !== s.r.inputs.nodeType)
                problems.push(
                    `node type ${String(s.r.inputs.nodeType)}, datastore ${String(g.r.inputs.cacheNodeType)}`,
                );
            if (g.r.inputs.engineVersion !== s.r.inputs.engineVersion)
                problems.push(
                    `engine ${String(s.r.inputs.engineVersion)}, datastore ${String(g.r.inputs.engineVersion)}`,
                );
            return problems;
        },
    },
    {
        title: "DynamoDB replicas under a customer-managed key cannot change key or PITR by accident",
        why: "with a replica kmsKeyArn set, a change of replicas[].kmsKeyArn or replicas[].pointInTimeRecovery deletes and recreates the replica (hashicorp/terraform-provider-aws#29102, #29222), which its deletion protection then blocks mid-update: PITR is explicit and equal to the table's, and each key is a protected key of the replica's region (a replacement of the key stops at preview)",
        subjects: (all) =>
            ofType("aws:dynamodb/table:Table")(all).filter(
                (s) =>
                    Array.isArray(s.r.inputs.replicas) &&
                    (s.r.inputs.replicas as unknown[]).length > 0,
            ),
        check: (s, all) => {
            const tablePitr =
                (s.r.inputs.pointInTimeRecovery as { enabled?: boolean } | undefined)?.enabled ===
                true;
            return (s.r.inputs.replicas as Record<string, unknown>[]).flatMap((rep) => {
                const at = `replica ${String(rep.regionName)}`;
                const problems: string[] = [];
                if (rep.pointInTimeRecovery !== tablePitr)
                    problems.push(
                        `${at} pointInTimeRecovery ${String(rep.pointInTimeRecovery)}, table ${tablePitr}`,
                    );
                const key = all.find(
                    (k) =>
                        (k.r.type === "aws:kms/key:Key" ||
                            k.r.type === "aws:kms/replicaKey:ReplicaKey") &&
                        k.r.outputs.arn !== undefined &&
                        k.r.outputs.arn === rep.kmsKeyArn,
                );
                if (!key) problems.push(`${at} kmsKeyArn is no planned key`);
                else if (key.r.region !== rep.regionName)
                    problems.push(`${at} key is in ${String(key.r.region)}`);
                else if (!key.r.options.protect) problems.push(`${at} key is not protected`);
                return problems;
            });
        },
    },
    {
        title: "S3 lifecycle rules name exactly one filter field",
        why: "an empty filter {} makes the provider warn that it will become an error (hashicorp/terraform-provider-aws#42714, #42126); the whole bucket is an empty prefix",
        subjects: ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
        check: (s) =>
            ((s.r.inputs.rules as Record<string, unknown>[] | undefined) ?? []).flatMap((rule) => {
                const filter = rule.filter as Record<string, unknown> | undefined;
                const set = Object.keys(filter ?? {}).filter((k) => filter![k] !== undefined);
                return set.length === 1
                    ? []
                    : [
                          `rule ${String(rule.id)} filter sets ${set.length ? set.join(", ") : "nothing"}`,
                      ];
            }),
    },
    {
        title: "Lambda@Edge functions are never deleted by an update",
        why: "CloudFront keeps edge replicas for hours after disassociation; a delete fails, so the old version is kept (skipDestroy / retainOnDelete)",
        subjects: (all) =>
            ofType("aws:lambda/function:Function")(all).filter(
                (s) =>
                    s.r.inputs.publish === true &&
                    s.stack === "global" &&
                    s.r.region === "us-east-1",
            ),
        check: (s) =>
            s.r.inputs.skipDestroy === true || s.r.options.retainOnDelete
                ? []
                : ["neither skipDestroy nor retainOnDelete"],
    },
    {
        title: "the scalable targets the night-mode controller moves ignore minCapacity and maxCapacity",
        why: "at every night and day flip (and every sync) the controller registers new min/max on each drained cell's target (ops/night-mode/); the refresh after it must show nothing",
        subjects: (all) =>
            ofType("aws:appautoscaling/target:Target")(all).filter((s) =>
                drainedRegions(all).includes(String(s.r.region)),
            ),
        check: (s) => ignores(s, "minCapacity", "maxCapacity"),
    },
    {
        title: "what an EventBridge schedule changes at runtime is ignored by the program",
        why: "a Scheduler universal target (arn:aws:scheduler:::aws-sdk:...) changes the resources it calls at runtime; none is used today (night mode invokes its controller Lambda), and any added later must be listed here",
        optional: true,
        subjects: ofType("aws:scheduler/schedule:Schedule"),
        check: (s, all) => {
            const arn = String(
                (s.r.inputs.target as Record<string, unknown> | undefined)?.arn ?? "",
            );
            const m = /^arn:aws:scheduler:::aws-sdk:([a-z0-9]+:[A-Za-z0-9]+)$/.exec(arn);
            if (!m) return [];
            const mutation = SCHEDULER_MUTATIONS[m[1]];
            if (!mutation)
                return [
                    `invokes ${m[1]}, which this spec does not know: add what it changes to SCHEDULER_MUTATIONS`,
                ];
            const targets = all.filter((x) => x.stack === s.stack && x.r.type === mutation.type);
            if (targets.length === 0)
                return [`changes ${mutation.type}, none planned in ${s.stack}`];
            return targets.flatMap((t) =>
                ignores(t, ...mutation.fields).map((p) => `${t.r.name} ${p}`),
            );
        },
    },
];

describe("delivery: a clean refresh (no perpetual diffs)", () => {
    let all: Subject[];
    before(async () => {
        const planned: PlannedStack[] = await plannedWithDeployments();
        all = planned.flatMap((p) => p.plan.resources.map((r) => ({ stack: p.plan.stack, r })));
    });

    for (const trap of TRAPS) {
        it(trap.title, () => {
            const subjects = trap.subjects(all);
            if (!trap.optional) {
                expect(subjects, `no resource this trap concerns is planned (${trap.why})`).to.not
                    .be.empty;
            }
            const problems = subjects.flatMap((s) =>
                trap.check(s, all).map((p) => `${s.stack}: ${s.r.type} ${s.r.name} ${p}`),
            );
            expect(problems, trap.why).to.deep.equal([]);
        });
    }

    it("the trap checks catch a planted perpetual diff", () => {
        const byTitle = (t: string) => TRAPS.find((x) => x.title.startsWith(t))!;
        const service = all.find((s) => s.r.type === "aws:ecs/service:Service")!;
        const planted = {
            ...service,
            r: { ...service.r, options: { ...service.r.options, ignoreChanges: [] } },
        };
        expect(byTitle("ECS services").check(planted, all)).to.deep.equal([
            "does not ignore desiredCount",
        ]);
        const target = all.find(
            (s) => s.r.type === "aws:appautoscaling/target:Target" && s.stack === "us-east-1",
        )!;
        const nightTrap = byTitle("the scalable targets the night-mode controller");
        const drained = repoDrainedRegions().map((r) => repoStackOfRegion(r).stack);
        expect(drained).to.include("us-east-1");
        expect(nightTrap.subjects(all).map((s) => s.stack)).to.deep.equal(drained);
        const unignored = {
            ...target,
            r: { ...target.r, options: { ...target.r.options, ignoreChanges: [] } },
        };
        expect(nightTrap.check(unignored, all)).to.deep.equal([
            "does not ignore minCapacity",
            "does not ignore maxCapacity",
        ]);
        const table = all.find(
            (s) => s.r.type === "aws:dynamodb/table:Table" && Array.isArray(s.r.inputs.replicas),
        )!;
        const provisioned = {
            ...table,
            r: {
                ...table.r,
                inputs: { ...table.r.inputs, billingMode: "PROVISIONED", readCapacity: 5 },
            },
        };
        expect(byTitle("DynamoDB tables with replicas").check(provisioned, all)).to.deep.equal([
            "billingMode is PROVISIONED",
            "sets readCapacity",
        ]);
        // Day-two traps: a pinned boundary cluster, a primary member that owns its node type,
        // a replica whose PITR differs, an empty lifecycle filter.
        const zoneDb = all.find(
            (s) =>
                s.r.type === "aws:rds/cluster:Cluster" &&
                s.r.inputs.globalClusterIdentifier === undefined,
        )!;
        expect(
            byTitle("Aurora clusters outside").check(
                {
                    ...zoneDb,
                    r: { ...zoneDb.r, options: { ...zoneDb.r.options, ignoreChanges: [] } },
                },
                all,
            ),
        ).to.deep.equal(["sets engineVersion without ignoring it"]);
        const member = byTitle("the Global Datastore owns").subjects(all);
        expect(member.map((s) => s.stack)).to.deep.equal(["ap-northeast-1"]);
        expect(
            byTitle("the Global Datastore owns").check(
                {
                    ...member[0],
                    r: {
                        ...member[0].r,
                        inputs: { ...member[0].r.inputs, nodeType: "cache.r7g.xlarge" },
                        options: { ...member[0].r.options, ignoreChanges: ["engineVersion"] },
                    },
                },
                all,
            ),
        ).to.deep.equal([
            "does not ignore nodeType",
            "node type cache.r7g.xlarge, datastore cache.r7g.large",
        ]);
        const replicas = table.r.inputs.replicas as Record<string, unknown>[];
        const offPitr = {
            ...table,
            r: {
                ...table.r,
                inputs: {
                    ...table.r.inputs,
                    replicas: [
                        { ...replicas[0], pointInTimeRecovery: undefined },
                        ...replicas.slice(1),
                    ],
                },
            },
        };
        expect(byTitle("DynamoDB replicas under").check(offPitr, all)).to.deep.equal([
            `replica ${String(replicas[0].regionName)} pointInTimeRecovery undefined, table true`,
        ]);
        const unprotected = all.map((s) =>
            s.r.type === "aws:kms/replicaKey:ReplicaKey"
                ? { ...s, r: { ...s.r, options: { ...s.r.options, protect: false } } }
                : s,
        );
        expect(byTitle("DynamoDB replicas under").check(table, unprotected)).to.have.length(
            replicas.length,
        );
        const lifecycle = all.find(
            (s) => s.r.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        )!;
        const rules = lifecycle.r.inputs.rules as Record<string, unknown>[];
        expect(
            byTitle("S3 lifecycle rules").check(
                {
                    ...lifecycle,
                    r: {
                        ...lifecycle.r,
                        inputs: { ...lifecycle.r.inputs, rules: [{ ...rules[0], filter: {} }] },
                    },
                },
                all,
            ),
        ).to.deep.equal([`rule ${String(rules[0].id)} filter sets nothing`]);
        const schedule: Subject = {
            stack: service.stack,
            r: {
                ...service.r,
                type: "aws:scheduler/schedule:Schedule",
                inputs: { target: { arn: "arn:aws:scheduler:::aws-sdk:ecs:updateService" } },
            },
        };
        const withUnignored = all.map((s) => (s === service ? planted : s));
        expect(byTitle("what an EventBridge").check(schedule, withUnignored)).to.deep.equal([
            `${service.r.name} does not ignore desiredCount`,
        ]);
    });
});
