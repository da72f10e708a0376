// Six stacks planned end to end, once: the repository's four plus Osaka in zone jp and Sydney in
// a new zone au, added as docs/operations.md says (six-regions.fixture.ts). Every expectation is
// read from the fixture's topology and stack config, not from the numbers of this fixture.

import { expect } from "chai";
import {
    GLOBAL_CLASSIFICATION,
    GLOBAL_DATASTORE_MAX_SECONDARIES,
    RegionSpec,
    Topology,
    stacksInOrder,
} from "../../config";
import { allPolicies } from "../../policies/all";
import { COMMITTED_PACK_CONFIG, loadPolicyConfig } from "../../policies/config";
import { evaluatePlan, PlanLike } from "../../policies/offline";
import { RESIDENCY_TAG } from "../../policies/residency";
import { defaultPackConfig, evaluatorFor } from "../../plan/policy";
import { PlannedResource, PlannedStack, planAll } from "../../plan/run";
import { removeTempDirs } from "../helpers/tmp";
import { ADDED, sixRegionProject } from "./six-regions.fixture";

type Obj = Record<string, any>;
/** A planned resource whose inputs a test reads freely. */
type Res = Omit<PlannedResource, "inputs"> & { inputs: Obj };

describe("six region stacks planned end to end (Osaka in jp, Sydney in a new zone au)", function () {
    this.timeout(120000);
    let dir: string;
    let planned: PlannedStack[];
    let topology: Topology;

    before(async () => {
        dir = sixRegionProject();
        planned = await planAll({ dir, evaluate: evaluatorFor(defaultPackConfig(dir)) });
        topology = planned[0].config.topology;
    });
    after(removeTempDirs);

    const stack = (name: string): PlannedStack => {
        const s = planned.find((p) => p.plan.stack === name);
        if (!s) throw new Error(`no planned stack ${name}`);
        return s;
    };
    const global = () => stack(topology.globalStack);
    const regionStack = (r: RegionSpec) => stack(r.stack);
    const out = (r: RegionSpec, key: string) => regionStack(r).outputs[key] as any;
    const ofType = (s: PlannedStack, type: string): Res[] =>
        s.plan.resources.filter((r) => r.type === type) as Res[];
    const everywhere = (type: string) =>
        planned.flatMap((s) => ofType(s, type).map((r) => ({ stack: s, r })));
    const primary = () => topology.regions.find((r) => r.primary)!;
    const globalData = () => topology.regions.filter((r) => r.globalData);
    const secondariesWithGlobalData = () => globalData().filter((r) => !r.primary);
    const apiName = () => String(global().outputs.apiHostname);
    const records = () => ofType(global(), "aws:route53/record:Record");

    it("plans every stack of the topology, the two added regions in their own regions", () => {
        expect(planned.map((p) => p.plan.stack)).to.deep.equal(stacksInOrder(topology));
        for (const added of Object.values(ADDED)) {
            const r = topology.regions.find((x) => x.region === added.region)!;
            expect(r, added.region).to.include({ zone: added.zone, failover: added.failover });
            expect(regionStack(r).plan.region).to.equal(added.region);
        }
        expect(topology.zones.au).to.deep.equal([ADDED.sydney.region]);
    });

    describe("routing (the global stack)", () => {
        it("gives every region a health check and a failover pair: its own ALB, then its partner's", () => {
            const checks = ofType(global(), "aws:route53/healthCheck:HealthCheck");
            for (const r of topology.regions) {
                const check = checks.find(
                    (c) => c.inputs.tags?.["taskflow:region"] === r.region && !/gate/.test(c.name),
                );
                expect(check, `health check of ${r.region}`).to.not.equal(undefined);
                const pair = records().filter(
                    (x) =>
                        x.inputs.name === `${r.region}.${apiName()}` &&
                        x.inputs.failoverRoutingPolicies,
                );
                const role = (t: string) =>
                    pair.find((x) => x.inputs.failoverRoutingPolicies[0].type === t)!;
                expect(pair, r.region).to.have.length(2);
                expect(role("PRIMARY").inputs.aliases[0].name).to.equal(out(r, "albDnsName"));
                expect(role("PRIMARY").inputs.healthCheckId).to.equal(check!.id);
                const partner = topology.regions.find((x) => x.region === r.failover)!;
                expect(role("SECONDARY").inputs.aliases[0].name).to.equal(
                    out(partner, "albDnsName"),
                );
            }
        });

        it("routes each geolocation to its region (AU and NZ to Sydney), the rest by latency to every region", () => {
            const geo = records().filter((x) => x.inputs.geolocationRoutingPolicies);
            const target = (loc: Obj) =>
                geo.find(
                    (x) =>
                        JSON.stringify(x.inputs.geolocationRoutingPolicies[0]) ===
                        JSON.stringify(loc),
                )?.inputs.aliases[0].name;
            for (const r of topology.regions) {
                const routed = new RegExp(
                    `^${r.region}\\.(gate\\.)?${apiName().replace(/\./g, "\\.")}$`,
                );
                for (const country of r.geolocation.countries)
                    expect(target({ country }), country).to.match(routed);
                for (const continent of r.geolocation.continents)
                    expect(target({ continent }), continent).to.match(routed);
            }
            const sydney = topology.regions.find((r) => r.zone === "au")!;
            expect(sydney.geolocation.countries).to.have.members(["AU", "NZ"]);
            const latency = records().filter((x) => x.inputs.latencyRoutingPolicies);
            expect(latency.map((x) => x.inputs.latencyRoutingPolicies[0].region)).to.have.members(
                topology.regions.map((r) => r.region),
            );
            expect(target({ country: "*" })).to.equal(latency[0].inputs.name);
        });

        it("gives Global Accelerator one endpoint group per region, on that region's ALB at 8443", () => {
            const groups = ofType(global(), "aws:globalaccelerator/endpointGroup:EndpointGroup");
            expect(groups.map((g) => g.inputs.endpointGroupRegion)).to.have.members(
                topology.regions.map((r) => r.region),
            );
            for (const r of topology.regions) {
                const g = groups.find((x) => x.inputs.endpointGroupRegion === r.region)!;
                expect(g.inputs.endpointConfigurations.map((e: Obj) => e.endpointId)).to.deep.equal(
                    [out(r, "albArn")],
                );
                expect(g.inputs.portOverrides).to.deep.include({
                    listenerPort: 443,
                    endpointPort: 8443,
                });
            }
        });

        it("keeps the edge router's pin on the GDPR zone: au viewers are routed by geolocation, never pinned", () => {
            const gdpr = topology.gdprZone!;
            const [gdprRegion] = topology.zones[gdpr];
            const router = ofType(global(), "aws:lambda/function:Function").find(
                (f) => f.inputs.tags?.["taskflow:resident-origin"],
            )!;
            expect(router.inputs.tags["taskflow:residency-zone"]).to.equal(gdpr);
            expect(router.inputs.tags["taskflow:resident-origin"]).to.equal(
                `${gdpr}-resident.${apiName()}`,
            );
            const resident = records().filter((x) => /-resident\./.test(x.inputs.name));
            expect(resident.map((x) => x.inputs.name)).to.deep.equal([
                `${gdpr}-resident.${apiName()}`,
            ]);
            const gdprSpec = topology.regions.find((r) => r.region === gdprRegion)!;
            expect(resident[0].inputs.aliases[0].name).to.equal(out(gdprSpec, "albDnsName"));
            const cdn = ofType(global(), "aws:cloudfront/distribution:Distribution")[0];
            const assoc = cdn.inputs.defaultCacheBehavior.lambdaFunctionAssociations;
            expect(assoc.map((a: Obj) => a.eventType)).to.deep.equal(["origin-request"]);
        });
    });

    describe("data replication", () => {
        it("puts an Aurora member of the global cluster in every global-data region and nowhere else", () => {
            const [gc] = everywhere("aws:rds/globalCluster:GlobalCluster");
            expect(gc.stack.plan.stack).to.equal(primary().stack);
            const members = everywhere("aws:rds/cluster:Cluster").filter(
                (x) => x.r.inputs.globalClusterIdentifier === gc.r.inputs.globalClusterIdentifier,
            );
            expect(members.map((m) => m.r.region)).to.have.members(
                globalData().map((r) => r.region),
            );
            for (const added of Object.values(ADDED))
                expect(members.map((m) => m.r.region)).to.not.include(added.region);
        });

        it("replicates the global tables to the global-data secondaries and each zone table only inside its zone", () => {
            const tables = everywhere("aws:dynamodb/table:Table");
            const zoneOf = (r: Res) => r.inputs.tags?.[RESIDENCY_TAG] as string;
            const replicas = (r: Res) =>
                ((r.inputs.replicas ?? []) as Obj[]).map((x) => x.regionName as string);
            const globals = tables.filter((t) => zoneOf(t.r) === GLOBAL_CLASSIFICATION);
            expect(globals.length).to.be.greaterThan(0);
            for (const t of globals) {
                expect(t.stack.plan.stack).to.equal(primary().stack);
                expect(replicas(t.r)).to.have.members(
                    secondariesWithGlobalData().map((r) => r.region),
                );
            }
            const zoned = tables.filter((t) => zoneOf(t.r) !== GLOBAL_CLASSIFICATION);
            expect(zoned.map((t) => t.stack.plan.stack)).to.include.members(
                Object.values(ADDED).map((a) => a.region),
            );
            for (const t of zoned) {
                const boundary = t.stack.config.boundary!;
                expect(zoneOf(t.r)).to.equal(boundary.zone);
                expect(replicas(t.r), t.r.urn).to.have.members(boundary.replicaRegions);
                for (const region of [t.r.region, ...replicas(t.r)])
                    expect(topology.zones[boundary.zone], t.r.urn).to.include(region);
            }
            const au = zoned.find((t) => zoneOf(t.r) === "au")!;
            expect(replicas(au.r)).to.deep.equal(
                topology.zones.au.filter((r) => r !== au.r.region),
            );
        });

        it("joins the ElastiCache Global Datastore from exactly the global-data secondaries, within AWS's limit", () => {
            const [datastore] = everywhere(
                "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
            );
            expect(datastore.stack.plan.stack).to.equal(primary().stack);
            const id = out(primary(), "globalDatastoreId");
            const joined = everywhere("aws:elasticache/replicationGroup:ReplicationGroup").filter(
                (x) => x.r.inputs.globalReplicationGroupId === id,
            );
            expect(joined.map((j) => j.r.region)).to.have.members(
                secondariesWithGlobalData().map((r) => r.region),
            );
            // Two secondary regions at most: config/region-rules.ts refuses more.
            expect(joined.length).to.be.at.most(GLOBAL_DATASTORE_MAX_SECONDARIES);
            for (const added of Object.values(ADDED))
                expect(joined.map((j) => j.r.region)).to.not.include(added.region);
        });

        it("replicates the source assets bucket to each global-data secondary's bucket, and no zone bucket", () => {
            // The log landing buckets (and the edge's log bucket) replicate into their own
            // Region's log archive; the log-archive spec covers those. Cross-Region: assets only.
            const configs = everywhere(
                "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            ).filter((c) => !/-alb-logs-|^aws-waf-logs-/.test(String(c.r.inputs.bucket)));
            expect(configs.map((c) => c.r.inputs.bucket)).to.deep.equal([
                out(primary(), "assetsBucketName"),
            ]);
            const destinations = configs[0].r.inputs.rules.map((x: Obj) => x.destination.bucket);
            expect(destinations).to.have.members(
                secondariesWithGlobalData().map((r) => out(r, "assetsBucketArn")),
            );
            const zoneBuckets = topology.regions
                .map((r) => out(r, "residency")?.bucketName)
                .filter(Boolean);
            expect(zoneBuckets.length).to.be.greaterThan(0);
            for (const b of zoneBuckets)
                expect(configs.map((c) => c.r.inputs.bucket)).to.not.include(b);
        });
    });

    describe("residency (the pack over every stack, with the widened config)", () => {
        const settings = () => loadPolicyConfig(defaultPackConfig(dir), allPolicies);
        const sydneyPlan = (): PlanLike =>
            JSON.parse(JSON.stringify(stack(ADDED.sydney.region).plan)) as PlanLike;

        it("judges all six stacks clean: no mandatory violation", () => {
            for (const p of planned)
                expect(
                    p.plan.violations.filter((v) => v.level === "mandatory"),
                    p.plan.stack,
                ).to.deep.equal([]);
        });

        it("fails Sydney's stack closed under the repository's unwidened pack config: zone au is unknown to it", () => {
            const plan = sydneyPlan();
            const found = evaluatePlan(plan, loadPolicyConfig(COMMITTED_PACK_CONFIG, allPolicies));
            const au = (plan.resources as Res[]).filter(
                (r) => r.inputs.tags?.[RESIDENCY_TAG] === "au",
            );
            const stores = au.filter((r) =>
                /dynamodb\/table|s3\/bucket:Bucket|rds\/cluster:Cluster/.test(r.type),
            );
            expect(stores.length).to.be.greaterThan(0);
            // Unclassified au stores, and the landing bucket's replication into the au archive,
            // which the unwidened config cannot prove in-zone.
            expect([...new Set(found.map((v) => `${v.policy} ${v.level}`))].sort()).to.deep.equal([
                "residency-data-flow mandatory",
                "residency-unclassified-data-store mandatory",
            ]);
            expect(found.map((v) => v.urn)).to.include.members(stores.map((r) => r.urn));
            expect(au.map((r) => r.urn)).to.include.members(
                found.filter((v) => v.policy !== "residency-data-flow").map((v) => v.urn),
            );
        });

        it("catches an au table replica outside au as one violation of residency-replication-out-of-zone on that table", () => {
            const plan = sydneyPlan();
            const table = (plan.resources as Res[]).find(
                (r) =>
                    r.type === "aws:dynamodb/table:Table" &&
                    r.inputs.tags?.[RESIDENCY_TAG] === "au",
            )!;
            const outside = topology.regions.find(
                (r) => !topology.zones.au.includes(r.region),
            )!.region;
            table.inputs.replicas = [
                {
                    regionName: outside,
                    kmsKeyArn: `arn:aws:kms:${outside}:123456789012:key/replica`,
                    deletionProtectionEnabled: true,
                    pointInTimeRecovery: true,
                    propagateTags: true,
                },
            ];
            const found = evaluatePlan(plan, settings());
            expect(found.map((v) => [v.policy, v.urn])).to.deep.equal([
                ["residency-replication-out-of-zone", table.urn],
            ]);
            expect(found[0].message)
                .to.contain(outside)
                .and.to.match(/\bau\b/);
        });
    });

    describe("night mode", () => {
        const spec = () => global().outputs.nightModeSpec as Obj;
        /** A region's role derived from the topology: a zone served by an active region drains. */
        const expectedRole = (r: RegionSpec, active: string[]) => {
            if (active.includes(r.region)) return { role: "active" };
            const targets = topology.zones[r.zone].filter(
                (x) => x !== r.region && active.includes(x),
            );
            return targets.length > 0 ? { role: "drain", targets } : { role: "keep" };
        };

        it("gives the controller every region: drains a region whose zone an active region serves, keeps the others", () => {
            const nm = global().config.nightMode;
            expect(nm.enabled).to.equal(true);
            const controller = ofType(global(), "aws:lambda/function:Function").find(
                (f) => f.inputs.environment?.variables?.NIGHT_MODE_SPEC,
            )!;
            expect(
                JSON.parse(controller.inputs.environment.variables.NIGHT_MODE_SPEC),
            ).to.deep.equal(spec());
            const cells = spec().cells as Obj[];
            expect(cells.map((c) => c.region)).to.have.members(
                topology.regions.map((r) => r.region),
            );
            for (const r of topology.regions) {
                const cell = cells.find((c) => c.region === r.region)!;
                const want = expectedRole(r, nm.activeRegions);
                expect(cell.role, r.region).to.equal(want.role);
                const day = out(r, "dayCapacity");
                if (want.role === "drain") {
                    expect(want.targets).to.include(cell.target);
                    expect(cell.night.min).to.equal(nm.nightTasks);
                } else {
                    expect(cell.night, r.region).to.deep.equal(cell.day);
                }
                expect(cell.day, r.region).to.deep.equal({ min: day.minTasks, max: day.maxTasks });
            }
            const sydney = cells.find((c) => c.region === ADDED.sydney.region)!;
            expect(sydney.role).to.equal(
                topology.zones.au.some((x) => nm.activeRegions.includes(x)) ? "active" : "keep",
            );
        });

        it("gates exactly the drained regions in DNS and schedules both flips in the configured time zone", () => {
            const drained = (spec().cells as Obj[])
                .filter((c) => c.role === "drain")
                .map((c) => c.region);
            const gates = records()
                .filter((x) => /\.gate\./.test(x.inputs.name) && x.inputs.failoverRoutingPolicies)
                .map((x) => x.inputs.name.split(".")[0]);
            expect([...new Set(gates)]).to.have.members(drained);
            const nm = global().config.nightMode;
            const schedules = ofType(global(), "aws:scheduler/schedule:Schedule");
            expect(schedules).to.have.length(2);
            for (const s of schedules) {
                expect(s.inputs.scheduleExpressionTimezone).to.equal(nm.timezone);
                expect(s.region).to.equal(primary().region);
            }
        });
    });
});
