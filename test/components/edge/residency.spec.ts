/** The edge's residency zone, derived from the topology (model/edge-residency.ts). */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { EdgeRouting, edgeResidencyOf } from "../../../components/edge";
import { ConfigError, Topology, validateTopology } from "../../../config";
import { ALB_ZONE_IDS, RecordingMocks } from "../../../plan/mocks";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const ZONE_ID = "Z0123456789ABCDEFGHIJ";

/** The committed topology, exactly as Pulumi.yaml declares it. */
function projectTopology(): Topology {
    const doc = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    return validateTopology(doc.config["taskflow:topology"].value, "test");
}

/** ALB values as a region stack would export them. */
function albOf(region: string) {
    return {
        albDnsName: `taskflow-alb-${region}-123.${region}.elb.amazonaws.com`,
        albZoneId: ALB_ZONE_IDS[region],
        albArn: `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/app/taskflow-${region}/abc`,
        healthCheckFqdn: `taskflow-alb-${region}-123.${region}.elb.amazonaws.com`,
        healthCheckPath: "/health",
    };
}

const ORIGIN_SECRET = "secret-from-the-primary-stack";

describe("edgeResidencyOf (pure)", () => {
    const raw = () =>
        YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")).config[
            "taskflow:topology"
        ].value;
    const topo = (edit: (r: any) => void) => {
        const r = raw();
        edit(r);
        return validateTopology(r, "fixture");
    };
    const configError = (f: () => unknown): ConfigError => {
        try {
            f();
        } catch (e) {
            expect(e).to.be.instanceOf(ConfigError);
            return e as ConfigError;
        }
        throw new Error("expected a ConfigError");
    };

    it("finds the zone of the region that claims continent EU: eu → eu-west-1", () => {
        expect(edgeResidencyOf(projectTopology())).to.deep.equal({
            zone: "eu",
            region: "eu-west-1",
        });
    });

    it("follows a renamed zone without code changes", () => {
        const t = topo((r) => {
            r.zones.gdpr = r.zones.eu;
            delete r.zones.eu;
            r.regions.find((x: any) => x.region === "eu-west-1").zone = "gdpr";
        });
        expect(edgeResidencyOf(t)).to.deep.equal({ zone: "gdpr", region: "eu-west-1" });
    });

    it("refuses a widened zone, naming taskflow:topology.zones.<zone>", () => {
        const t = topo((r) => r.zones.eu.push("us-east-1"));
        const e = configError(() => edgeResidencyOf(t, "eu-west-1"));
        expect(e.issues).to.have.length(1);
        expect(e.issues[0].key).to.equal("taskflow:topology.zones.eu");
        expect(e.message).to.match(/stack "eu-west-1"/);
        expect(e.message).to.match(/exactly one region/);
    });

    it("pins to the zone's one stack region when the zone also lists regions without a stack", () => {
        // A second EU region for EU data (the policy pack's own matrix judges that); the edge
        // still has exactly one EU region to send GDPR viewers to.
        const t = topo((r) => (r.zones.eu = ["eu-west-1", "eu-central-1"]));
        expect(edgeResidencyOf(t)).to.deep.equal({ zone: "eu", region: "eu-west-1" });
    });

    it("refuses a topology where no region claims the EU, or regions of two zones do", () => {
        const none = topo((r) => {
            const eu = r.regions.find((x: any) => x.region === "eu-west-1");
            eu.geolocation = { countries: [], continents: [] };
        });
        expect(configError(() => edgeResidencyOf(none)).issues[0].key).to.equal(
            "taskflow:topology.regions[].geolocation",
        );
        const split = topo((r) =>
            r.regions.find((x: any) => x.region === "us-east-1").geolocation.countries.push("DE"),
        );
        expect(configError(() => edgeResidencyOf(split)).message).to.match(
            /one residency zone.*eu, us|one residency zone.*us, eu/,
        );
    });

    it("is what EdgeRouting pins to when no zone is given, checked before registration", async () => {
        const t = topo((r) => r.zones.eu.push("us-east-1"));
        const mocks = new RecordingMocks({
            project: "taskflow",
            stack: "global",
            awsRegion: "us-east-1",
        });
        await mocks.install("taskflow");
        expect(
            () =>
                new EdgeRouting("bad", {
                    topology: t,
                    regions: Object.fromEntries(t.regions.map((r) => [r.region, albOf(r.region)])),
                    hostedZoneId: ZONE_ID,
                    originHeaderSecret: ORIGIN_SECRET,
                }),
        ).to.throw(ConfigError, /taskflow:topology\.zones\.eu/);
        await (pulumi.runtime as any).waitForRPCs();
        expect(mocks.resources).to.deep.equal([]);
    });
});
