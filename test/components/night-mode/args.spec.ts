/** NightMode built from a literal args object: the spec, the schedules, the controller. */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { NightMode, NightModeArgs } from "../../../components/night-mode";
import { NIGHT_MODE_DEFAULTS } from "../../../model/night-mode";
import { buildUnderMocks, valueOf } from "../../helpers/component";
import { T as TYPES } from "../../../policies/types";

/** Short names for the type tokens these specs read, from the pack's one table (policies/types.ts). */
const T = {
    fn: TYPES.lambda,
    schedule: TYPES.schedule,
    alarm: TYPES.metricAlarm,
};

const cell = (region: string) => ({
    clusterName: `c-${region}`,
    serviceName: "app",
    resourceId: `service/c-${region}/app`,
    minTasks: 3,
    maxTasks: 9,
    endpointGroupArn: `arn:aws:globalaccelerator::123456789012:accelerator/a/listener/l/endpoint-group/${region}`,
});

const BASE: NightModeArgs = {
    settings: {
        ...NIGHT_MODE_DEFAULTS,
        enabled: true,
        activeRegions: ["ap-northeast-1"],
    },
    topology: {
        zones: { jp: ["ap-northeast-1"], us: ["us-east-1", "ap-northeast-1"] },
        regions: [
            { region: "ap-northeast-1", zone: "jp", primary: true, failover: "us-east-1" },
            { region: "us-east-1", zone: "us", primary: false, failover: "ap-northeast-1" },
        ],
    },
    environment: "prod",
    cells: { "ap-northeast-1": cell("ap-northeast-1"), "us-east-1": cell("us-east-1") },
    controllerRegion: "ap-northeast-1",
};

describe("NightMode from literal args", function () {
    this.timeout(30000);

    it("drains the region its zone lets it drain, to the active region, down to nightTasks", async () => {
        let nm: NightMode | undefined;
        await buildUnderMocks("us-east-1", () => {
            nm = new NightMode("night-mode", BASE);
        });
        const spec = await valueOf(nm!.spec);
        const us = spec.cells.find((c) => c.region === "us-east-1")!;
        expect(us).to.include({ role: "drain", target: "ap-northeast-1" });
        expect(us.night).to.deep.equal({ min: 1, max: 9 });
        expect(spec).to.include({ holdRegion: "ap-northeast-1", gateRegion: "us-east-1" });
    });

    it("schedules the flips in the settings' time zone, times out after readiness plus a minute", async () => {
        const b = await buildUnderMocks("us-east-1", () => {
            new NightMode("night-mode", {
                ...BASE,
                settings: { ...BASE.settings, timezone: "Europe/Paris", nightStart: "23:30" },
            });
        });
        const night = b.named("night-mode-night");
        expect(night.inputs).to.include({
            scheduleExpression: "cron(30 23 * * ? *)",
            scheduleExpressionTimezone: "Europe/Paris",
        });
        expect(b.ofType(T.fn)[0].inputs).to.include({
            name: "taskflow-prod-night-mode",
            timeout: NIGHT_MODE_DEFAULTS.readinessTimeoutSeconds + 60,
        });
    });

    it("alarms notify nobody unless it is given a topic", async () => {
        const quiet = await buildUnderMocks("us-east-1", () => {
            new NightMode("night-mode", BASE);
        });
        for (const a of quiet.ofType(T.alarm))
            expect(a.inputs.alarmActions ?? []).to.deep.equal([]);
        const topic = "arn:aws:sns:ap-northeast-1:123456789012:alarms";
        const loud = await buildUnderMocks("us-east-1", () => {
            new NightMode("night-mode", { ...BASE, alarmTopicArn: pulumi.output(topic) });
        });
        const alarms = loud.ofType(T.alarm);
        expect(alarms).to.have.length(4);
        for (const a of alarms) expect(a.inputs.alarmActions).to.deep.equal([topic]);
    });

    it("refuses a topology region without its cell, before registering anything", async () => {
        let err: unknown;
        const b = await buildUnderMocks("us-east-1", () => {
            try {
                new NightMode("night-mode", {
                    ...BASE,
                    cells: { "ap-northeast-1": cell("ap-northeast-1") },
                });
            } catch (e) {
                err = e;
            }
        });
        expect(String(err)).to.match(/no cell outputs for region us-east-1/);
        expect(b.resources).to.deep.equal([]);
    });
});
