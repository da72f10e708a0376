import { expect } from "chai";
import * as fc from "fast-check";
import { stacksInOrder } from "../../config";
import {
    UnknownStackError,
    deployWaves,
    destroyWaves,
    qualifiedStackName,
    wavesAsGithubOutputs,
} from "../../delivery/order";
import { fiveRegionTopology, fourRegionTopology, projectTopology } from "./fixtures";

describe("delivery: deploy order", () => {
    const topology = projectTopology();
    // The project's waves, from Pulumi.yaml's region entries: its primary, every other region
    // stack (the seed's us-east-1 and eu-west-1 first, then any region a user added), the edge.
    const primaries = topology.regions.filter((r) => r.primary).map((r) => r.stack);
    const secondaries = topology.regions.filter((r) => !r.primary).map((r) => r.stack);

    it("deploys the project's primary first, every secondary together, the edge last", () => {
        expect(primaries).to.deep.equal(["ap-northeast-1"]);
        expect(secondaries.slice(0, 2)).to.deep.equal(["us-east-1", "eu-west-1"]);
        expect(deployWaves(topology)).to.deep.equal([
            { role: "primary", stacks: primaries },
            { role: "secondary", stacks: secondaries },
            { role: "global", stacks: [topology.globalStack] },
        ]);
        expect(topology.globalStack).to.equal("global");
    });

    it("covers exactly the stacks config.ts knows, in its order", () => {
        expect(deployWaves(topology).flatMap((w) => w.stacks)).to.deep.equal(
            stacksInOrder(topology),
        );
    });

    it("destroys in reverse: the edge, then the secondaries, then the primary", () => {
        expect(destroyWaves(topology)).to.deep.equal([
            { role: "global", stacks: ["global"] },
            { role: "secondary", stacks: secondaries },
            { role: "primary", stacks: ["ap-northeast-1"] },
        ]);
    });

    it("runs a new region as one more parallel secondary, with no code change", () => {
        expect(deployWaves(fourRegionTopology())).to.deep.equal([
            { role: "primary", stacks: ["ap-northeast-1"] },
            { role: "secondary", stacks: ["us-east-1", "eu-west-1", "ap-southeast-2"] },
            { role: "global", stacks: ["global"] },
        ]);
    });

    it("follows the topology when the primary moves and stacks are renamed", () => {
        const t = fiveRegionTopology();
        expect(deployWaves(t)).to.deep.equal([
            { role: "primary", stacks: ["us-east-1"] },
            {
                role: "secondary",
                stacks: ["ap-northeast-1", "eu-west-1", "sydney", "eu-central-1"],
            },
            { role: "global", stacks: ["edge"] },
        ]);
        expect(destroyWaves(t).map((w) => w.stacks[0])).to.deep.equal([
            "edge",
            "ap-northeast-1",
            "us-east-1",
        ]);
    });

    it("keeps only the --stacks subset, in wave order whatever order it was given in", () => {
        expect(deployWaves(topology, ["global", "eu-west-1"])).to.deep.equal([
            { role: "secondary", stacks: ["eu-west-1"] },
            { role: "global", stacks: ["global"] },
        ]);
        expect(destroyWaves(topology, ["eu-west-1", "ap-northeast-1"])).to.deep.equal([
            { role: "secondary", stacks: ["eu-west-1"] },
            { role: "primary", stacks: ["ap-northeast-1"] },
        ]);
    });

    it("rejects an unknown stack naming it and the allowed ones", () => {
        expect(() => deployWaves(topology, ["eu-west-1", "eu-west-2"]))
            .to.throw(UnknownStackError)
            .with.property("message")
            .that.matches(/"eu-west-2"/)
            .and.includes(`allowed: ${stacksInOrder(topology).join(", ")}`);
        expect(() => destroyWaves(fourRegionTopology(), ["sydney"])).to.throw(/ap-southeast-2/);
    });

    it("never reorders or invents stacks for any subset (property)", () => {
        const t = fiveRegionTopology();
        const all = stacksInOrder(t);
        fc.assert(
            fc.property(
                fc.subarray(all).chain((s) => fc.shuffledSubarray(s, { minLength: s.length })),
                (subset) => {
                    const flat = deployWaves(t, subset).flatMap((w) => w.stacks);
                    expect(flat).to.deep.equal(all.filter((s) => subset.includes(s)));
                    expect(destroyWaves(t, subset).flatMap((w) => w.stacks)).to.have.members(flat);
                    for (const w of deployWaves(t, subset)) expect(w.stacks).to.not.be.empty;
                },
            ),
        );
    });

    it("qualifies stack names with the topology's org for the Automation API", () => {
        expect(qualifiedStackName(topology, "eu-west-1")).to.equal("taskflow/eu-west-1");
    });

    it("prints the waves as GitHub Actions outputs, one JSON list per role", () => {
        expect(wavesAsGithubOutputs(fourRegionTopology()).split("\n")).to.deep.equal([
            "org=taskflow",
            'stacks=["ap-northeast-1","us-east-1","eu-west-1","ap-southeast-2","global"]',
            'primary=["ap-northeast-1"]',
            'secondary=["us-east-1","eu-west-1","ap-southeast-2"]',
            'global=["global"]',
        ]);
        expect(wavesAsGithubOutputs(topology, ["global"])).to.include(
            'primary=[]\nsecondary=[]\nglobal=["global"]',
        );
    });
});
