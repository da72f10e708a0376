import { expect } from "chai";
import fc from "fast-check";
import {
    AWS_REGIONS,
    ConfigError,
    cidrsOverlap,
    parseCidr,
    stacksInOrder,
    validateTopology,
} from "../../config";

/**
 * A random valid topology: 2–6 distinct regions, one primary, disjoint /16s, zones that allow them,
 * at most two secondaries holding global data.
 */
const validTopology = fc
    .record({
        regions: fc.uniqueArray(fc.constantFrom(...AWS_REGIONS), { minLength: 2, maxLength: 6 }),
        primaryIndex: fc.nat(),
        partnerShift: fc.integer({ min: 1, max: 5 }),
        secondOctets: fc.uniqueArray(fc.integer({ min: 0, max: 255 }), {
            minLength: 6,
            maxLength: 6,
        }),
    })
    .map(({ regions, primaryIndex, partnerShift, secondOctets }) => {
        const n = regions.length;
        const p = primaryIndex % n;
        return {
            org: "acme",
            domain: "app.example.org",
            zones: Object.fromEntries(regions.map((r, i) => [`z${i}`, [r]])),
            regions: regions.map((region, i) => ({
                region,
                primary: i === p,
                failover: regions[(i + 1 + (partnerShift % (n - 1))) % n],
                zone: `z${i}`,
                vpcCidr: `10.${secondOctets[i]}.0.0/16`,
                // The first two secondaries hold global data: AWS's Global Datastore takes no more.
                globalData: i === p || regions.slice(0, i).filter((_, j) => j !== p).length < 2,
            })),
        };
    });

describe("config: topology rules hold over random topologies (fast-check)", () => {
    it("accepts every well-formed topology and orders its stacks primary → secondaries → global", () => {
        fc.assert(
            fc.property(validTopology, (raw) => {
                const t = validateTopology(raw);
                const order = stacksInOrder(t);
                expect(order).to.have.length(raw.regions.length + 1);
                expect(order[0]).to.equal(raw.regions.find((r) => r.primary)!.region);
                expect(order[order.length - 1]).to.equal("global");
            }),
        );
    });

    it("refuses any region that fails over to itself, naming that region's key", () => {
        fc.assert(
            fc.property(validTopology, fc.nat(), (raw, k) => {
                const i = k % raw.regions.length;
                raw.regions[i].failover = raw.regions[i].region;
                expect(() => validateTopology(raw)).to.throw(ConfigError, `regions[${i}].failover`);
            }),
        );
    });

    it("refuses any second primary", () => {
        fc.assert(
            fc.property(validTopology, fc.nat(), (raw, k) => {
                const others = raw.regions.filter((r) => !r.primary);
                others[k % others.length].primary = true;
                expect(() => validateTopology(raw)).to.throw(
                    ConfigError,
                    "exactly one region must have primary",
                );
            }),
        );
    });

    it("refuses any region moved into a zone that does not list it", () => {
        fc.assert(
            fc.property(validTopology, fc.nat(), (raw, k) => {
                const i = k % raw.regions.length;
                const j = (i + 1) % raw.regions.length;
                raw.regions[i].zone = `z${j}`; // zone z<j> allows only region j
                expect(() => validateTopology(raw)).to.throw(ConfigError, `regions[${i}].zone`);
            }),
        );
    });

    it("refuses any VPC CIDR that overlaps another region's", () => {
        fc.assert(
            fc.property(
                validTopology,
                fc.nat(),
                fc.integer({ min: 17, max: 20 }),
                (raw, k, prefix) => {
                    const i = k % raw.regions.length;
                    const j = (i + 1) % raw.regions.length;
                    const [addr] = parseCidr(raw.regions[j].vpcCidr)!;
                    const second = (addr >>> 16) & 0xff;
                    raw.regions[i].vpcCidr = `10.${second}.0.0/${prefix}`;
                    expect(() => validateTopology(raw)).to.throw(ConfigError, "does not overlap");
                },
            ),
        );
    });

    it("computes CIDR overlap symmetrically and exactly as interval intersection", () => {
        const cidr = fc
            .record({
                a: fc.integer({ min: 0, max: 0xffffffff }),
                p: fc.integer({ min: 8, max: 28 }),
            })
            .map(({ a, p }) => {
                const mask = (0xffffffff << (32 - p)) >>> 0;
                const n = (a & mask) >>> 0;
                return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${p}`;
            });
        fc.assert(
            fc.property(cidr, cidr, (x, y) => {
                const [ax, px] = parseCidr(x)!;
                const [ay, py] = parseCidr(y)!;
                const endX = ax + 2 ** (32 - px) - 1;
                const endY = ay + 2 ** (32 - py) - 1;
                const intersects = ax <= endY && ay <= endX;
                expect(cidrsOverlap(x, y)).to.equal(intersects);
                expect(cidrsOverlap(y, x)).to.equal(intersects);
            }),
        );
    });
});
