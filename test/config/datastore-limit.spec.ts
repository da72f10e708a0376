// Every secondary holding global data joins the primary's ElastiCache Global Datastore; AWS
// replicates a primary cluster "to a secondary cluster in up to two other AWS Regions"
// (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html).
// A topology that would put more there is refused by the topology rules, before anything is planned.

import { expect } from "chai";
import fc from "fast-check";
import {
    ConfigError,
    GLOBAL_DATASTORE_MAX_SECONDARIES,
    PlanConfigError,
    topologyIssues,
    validateAll,
    validateTopology,
} from "../../config";

const KEY = "taskflow:topology.regions[].globalData";
const CANDIDATES = ["us-east-1", "eu-west-1", "ap-northeast-3", "ap-southeast-2", "us-west-2"];

/** A literal topology: ap-northeast-1 primary, then `secondaries` with their globalData. */
function topology(secondaries: [string, boolean][]): Record<string, unknown> {
    const all = ["ap-northeast-1", ...secondaries.map(([r]) => r)];
    return {
        org: "acme",
        domain: "app.example.org",
        zones: Object.fromEntries(all.map((r, i) => [`z${i}`, [r]])),
        regions: all.map((region, i) => ({
            region,
            primary: i === 0,
            failover: i === 0 ? all[1] : all[0],
            zone: `z${i}`,
            vpcCidr: `10.${10 + i}.0.0/16`,
            ...(i === 0 ? {} : { globalData: secondaries[i - 1][1] }),
        })),
    };
}

const errorOf = (raw: unknown): ConfigError => {
    try {
        validateTopology(raw, "fixture");
    } catch (e) {
        if (e instanceof ConfigError) return e;
        throw e;
    }
    throw new Error("the topology was accepted");
};

describe("config: the ElastiCache Global Datastore's secondary limit", () => {
    it("is AWS's documented two secondary regions", () => {
        expect(GLOBAL_DATASTORE_MAX_SECONDARIES).to.equal(2);
    });

    it("accepts two secondaries holding global data and any number that hold none", () => {
        const raw = topology([
            ["us-east-1", true],
            ["eu-west-1", true],
            ["ap-northeast-3", false],
            ["ap-southeast-2", false],
        ]);
        const t = validateTopology(raw);
        expect(t.regions.filter((r) => r.globalData).map((r) => r.region)).to.deep.equal([
            "ap-northeast-1",
            "us-east-1",
            "eu-west-1",
        ]);
    });

    it("refuses a third, naming the key, every region that would join (as written) and the limit", () => {
        const err = errorOf(
            topology([
                ["us-east-1", true],
                ["ap-southeast-2", false],
                ["eu-west-1", true],
                ["ap-northeast-3", true],
            ]),
        );
        expect(err.issues.map((i) => i.key)).to.deep.equal([KEY]);
        const [issue] = err.issues;
        expect(issue.value).to.deep.equal(["us-east-1", "eu-west-1", "ap-northeast-3"]);
        expect(issue.allowed)
            .to.include("at most 2 secondary regions may hold global data")
            .and.include("ap-northeast-1's ElastiCache Global Datastore")
            .and.include(
                "us-east-1 (regions[1]), eu-west-1 (regions[3]), ap-northeast-3 (regions[4])",
            )
            .and.include("set globalData: false on all but 2 of them")
            .and.include("Redis-Global-Datastores-Getting-Started.html");
        expect(err.message)
            .to.include(KEY)
            .and.include('["us-east-1","eu-west-1","ap-northeast-3"]');
    });

    it("counts a secondary that leaves globalData unset as holding global data (its default)", () => {
        const raw = topology([
            ["us-east-1", true],
            ["eu-west-1", true],
            ["ap-northeast-3", true],
        ]) as { regions: Record<string, unknown>[] };
        delete raw.regions[3].globalData;
        expect(topologyIssues(raw).map((i) => i.key)).to.deep.equal([KEY]);
    });

    it("refuses exactly the topologies with more global-data secondaries than the limit (property)", () => {
        fc.assert(
            fc.property(
                fc.subarray(CANDIDATES, { minLength: 1 }),
                fc.array(fc.boolean(), {
                    minLength: CANDIDATES.length,
                    maxLength: CANDIDATES.length,
                }),
                (regions, flags) => {
                    const secondaries = regions.map((r, i): [string, boolean] => [r, flags[i]]);
                    const joining = secondaries.filter(([, g]) => g).length;
                    const keys = topologyIssues(topology(secondaries)).map((i) => i.key);
                    expect(keys).to.deep.equal(
                        joining > GLOBAL_DATASTORE_MAX_SECONDARIES ? [KEY] : [],
                    );
                },
            ),
        );
    });

    it("stops a whole project before any stack is planned", () => {
        const raw = topology([
            ["us-east-1", true],
            ["eu-west-1", true],
            ["ap-northeast-3", true],
        ]);
        const stack = (region: string, role: string) => ({
            "aws:region": region,
            "taskflow:role": role,
            "taskflow:topology": raw,
        });
        const files = {
            project: "taskflow",
            stacks: {
                "ap-northeast-1": stack("ap-northeast-1", "primary"),
                "us-east-1": stack("us-east-1", "secondary"),
                "eu-west-1": stack("eu-west-1", "secondary"),
                "ap-northeast-3": stack("ap-northeast-3", "secondary"),
                global: stack("us-east-1", "global"),
            },
        };
        expect(() => validateAll(files as never))
            .to.throw(PlanConfigError)
            .with.property("message")
            .that.includes(KEY)
            .and.includes("at most 2 secondary regions may hold global data");
    });
});
