import { expect } from "chai";
import fc from "fast-check";
import { evaluatePlans, PlanLike, PlannedResourceLike } from "../../policies/offline";
import {
    GLOBAL,
    parseResidencyName,
    readConfig,
    residencyName,
    T,
    ZoneMatrix,
} from "../../policies/residency";
import { ACCOUNT, res, tags } from "./util";

const REGIONS = ["ap-northeast-1", "us-east-1", "eu-west-1", "eu-central-1", "us-west-2"];
const ZONE_NAMES = ["eu", "us", "jp", "apac"];

/** A zone matrix: 1–4 zones, each allowed in a non-empty subset of the regions. */
const zonesArb: fc.Arbitrary<ZoneMatrix> = fc
    .uniqueArray(fc.constantFrom(...ZONE_NAMES), { minLength: 1, maxLength: 4 })
    .chain((names) =>
        fc
            .tuple(...names.map(() => fc.subarray(REGIONS, { minLength: 1 })))
            .map((sets) => Object.fromEntries(names.map((n, i) => [n, sets[i]]))),
    );

interface Store {
    classification: string;
    region: string;
}

/** A topology: zones, stores placed legally (zone stores in their zone), replication edges. */
const topologyArb = zonesArb.chain((zones) => {
    const classifications = [GLOBAL, ...Object.keys(zones)];
    const store: fc.Arbitrary<Store> = fc
        .constantFrom(...classifications)
        .chain((c) =>
            fc
                .constantFrom(...(c === GLOBAL ? REGIONS : zones[c]))
                .map((region) => ({ classification: c, region })),
        );
    return fc.record({
        zones: fc.constant(zones),
        buckets: fc.array(store, { minLength: 2, maxLength: 6 }),
        tables: fc.array(fc.tuple(store, fc.subarray(REGIONS)), { maxLength: 4 }),
        edges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
    });
});

describe("residency over random topologies", () => {
    it("reports exactly the replication paths that carry a zone's data out of the zone", () => {
        fc.assert(
            fc.property(topologyArb, ({ zones, buckets, tables, edges }) => {
                const byRegion = new Map<string, PlannedResourceLike[]>();
                const add = (region: string, r: PlannedResourceLike) =>
                    byRegion.set(region, [...(byRegion.get(region) ?? []), r]);
                const expected = new Set<string>();
                buckets.forEach((b, i) => {
                    const bucket = `bucket-${i}`;
                    add(
                        b.region,
                        res(
                            b.region,
                            b.region,
                            T.bucket,
                            bucket,
                            { bucket, tags: tags(b.classification) },
                            { id: bucket },
                        ),
                    );
                });
                tables.forEach(([t, replicaRegions], i) => {
                    const replicas = replicaRegions
                        .filter((r) => r !== t.region)
                        .map((regionName) => ({ regionName, kmsKeyArn: "k" }));
                    const r = res(t.region, t.region, T.table, `table-${i}`, {
                        name: `table-${i}`,
                        replicas,
                        tags: tags(t.classification),
                    });
                    add(t.region, r);
                    const zone = t.classification === GLOBAL ? undefined : zones[t.classification];
                    if (zone && replicas.some((x) => !zone.includes(x.regionName)))
                        expected.add(r.urn);
                });
                const wiring: PlannedResourceLike[] = [];
                edges.forEach(([a, b], i) => {
                    const src = buckets[a % buckets.length];
                    const dst = buckets[b % buckets.length];
                    const r = res("global", "us-east-1", T.bucketReplication, `replication-${i}`, {
                        region: src.region,
                        bucket: `bucket-${a % buckets.length}`,
                        rules: [
                            {
                                status: "Enabled",
                                destination: {
                                    bucket: `arn:aws:s3:::bucket-${b % buckets.length}`,
                                },
                            },
                        ],
                    });
                    wiring.push(r);
                    const zoned = src.classification !== GLOBAL || dst.classification !== GLOBAL;
                    const staysIn =
                        src.classification === dst.classification &&
                        (src.classification === GLOBAL ||
                            zones[src.classification].includes(dst.region));
                    if (zoned && !staysIn) expected.add(r.urn);
                });
                const plans: PlanLike[] = [...byRegion].map(([region, resources]) => ({
                    stack: region,
                    region,
                    resources,
                }));
                plans.push({ stack: "global", region: "us-east-1", resources: wiring });
                // Each stack is judged on its own: the global stack proves the buckets of the
                // region stacks through the pack's config, as a real deployment's would.
                const stores = Object.fromEntries(buckets.map((b, i) => [`bucket-${i}`, b]));
                const found = evaluatePlans(plans, { zones, account: ACCOUNT, stores })
                    .filter((v) => v.policy.startsWith("residency-"))
                    .map((v) => v.urn!);
                expect(new Set(found)).to.deep.equal(expected);
            }),
            { numRuns: 150 },
        );
    });

    it("parses every residency name back to its classification and region", () => {
        fc.assert(
            fc.property(
                zonesArb,
                fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/),
                fc.constantFrom(...REGIONS),
                fc.nat(),
                (zones, base, region, pick) => {
                    const classes = [GLOBAL, ...Object.keys(zones)];
                    const c = classes[pick % classes.length];
                    expect(
                        parseResidencyName(residencyName(base, c, region), readConfig({ zones })),
                    ).to.deep.equal({ classification: c, region });
                },
            ),
        );
    });
});
