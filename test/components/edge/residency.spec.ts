/**
 * The edge's residency pin (model/edge-residency.ts): the zone config names
 * (`taskflow:topology.gdprZone`) and its one region, never derived from geolocation.
 */
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

    it("pins GDPR viewers to the zone config names (taskflow:topology.gdprZone): eu → eu-west-1", () => {
        expect(projectTopology().gdprZone).to.equal("eu");
        expect(edgeResidencyOf(projectTopology())).to.deep.equal({
            zone: "eu",
            region: "eu-west-1",
        });
    });

    it("follows a renamed zone when config names it, and refuses to guess it otherwise", () => {
        const rename = (r: any) => {
            r.zones.gdpr = r.zones.eu;
            delete r.zones.eu;
            r.regions.find((x: any) => x.region === "eu-west-1").zone = "gdpr";
        };
        const t = topo((r) => {
            rename(r);
            r.gdprZone = "gdpr";
        });
        expect(edgeResidencyOf(t)).to.deep.equal({ zone: "gdpr", region: "eu-west-1" });
        // Still naming the old zone: refused at validation, naming the key.
        const r = raw();
        rename(r);
        expect(() => validateTopology(r, "fixture")).to.throw(
            ConfigError,
            /taskflow:topology\.gdprZone: "eu" is not allowed; one of the zones: us, jp, gdpr/,
        );
        // Without any zone named (and no zone eu): nothing is derived from geolocation.
        delete r.gdprZone;
        const unnamed = validateTopology(r, "fixture");
        expect(unnamed.gdprZone).to.equal(undefined);
        expect(configError(() => edgeResidencyOf(unnamed)).issues[0].key).to.equal(
            "taskflow:topology.gdprZone",
        );
    });

    it("refuses moving the EU geolocation to another region: the pin never follows geolocation", () => {
        // What used to re-pin GDPR viewers to us-east-1 (the zone of whichever region claimed
        // the EU) and plan clean: continent EU and GB moved to us-east-1.
        const r = raw();
        const eu = r.regions.find((x: any) => x.region === "eu-west-1");
        const us = r.regions.find((x: any) => x.region === "us-east-1");
        us.geolocation.continents.push(...eu.geolocation.continents);
        us.geolocation.countries.push(...eu.geolocation.countries);
        eu.geolocation = { countries: [], continents: [] };
        let e: ConfigError | undefined;
        try {
            validateTopology(r, "fixture");
        } catch (x) {
            e = x as ConfigError;
        }
        expect(e).to.be.instanceOf(ConfigError);
        expect(e!.issues.map((i) => i.key)).to.deep.equal([
            "taskflow:topology.regions[1].geolocation",
        ]);
        expect(e!.issues[0].value).to.deep.equal(["continent EU", "country GB"]);
        expect(e!.message).to.include(
            "GDPR viewers belong to zone eu (taskflow:topology.gdprZone: eu-west-1); routing them to us-east-1 would send them out of their zone",
        );
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

    it("refuses a topology where the zone's region claims no GDPR location, or another zone's region claims one", () => {
        const none = topo((r) => {
            const eu = r.regions.find((x: any) => x.region === "eu-west-1");
            eu.geolocation = { countries: [], continents: [] };
        });
        const e = configError(() => edgeResidencyOf(none));
        expect(e.issues[0].key).to.equal("taskflow:topology.regions[].geolocation");
        expect(e.message).to.match(/eu-west-1's geolocation must claim continent EU/);
        // One GDPR country routed to us-east-1: refused by validation, naming the entry.
        const split = raw();
        split.regions.find((x: any) => x.region === "us-east-1").geolocation.countries.push("DE");
        expect(() => validateTopology(split, "fixture")).to.throw(
            ConfigError,
            /taskflow:topology\.regions\[1\]\.geolocation: \["country DE"\] is not allowed; GDPR viewers belong to zone eu/,
        );
    });

    it("refuses, in the component too, a topology whose validation was bypassed", () => {
        // A Topology built by hand (no validateTopology): EdgeRouting still refuses it.
        const t = projectTopology();
        const bypassed: Topology = {
            ...t,
            regions: t.regions.map((r) =>
                r.region === "us-east-1"
                    ? { ...r, geolocation: { countries: ["US", "DE"], continents: [] } }
                    : r,
            ),
        };
        const e = configError(() => edgeResidencyOf(bypassed, "global"));
        expect(e.issues[0].key).to.equal("taskflow:topology.regions[].geolocation");
        expect(e.issues[0].value).to.deep.equal({ "us-east-1": ["country DE"] });
        expect(e.message).to.include("GDPR locations route to eu-west-1 only");
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
