/**
 * The night-mode DNS gate through a whole night, minute by minute: the controller runs its real
 * flips (ops/night-mode) against in-memory ports on a fake clock, what it publishes is the gate
 * metric's datapoint timeline, and Route 53's documented rule for a CLOUDWATCH_METRIC health
 * check (model/night-gate.ts) turns that timeline into the gate's answer, with the alarm and
 * health-check settings of the planned global stack.
 *
 * Route 53 reads the data stream, not the alarm state; insufficient data follows
 * InsufficientDataHealthStatus (Healthy | Unhealthy | LastKnownStatus, healthy for a new check):
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
 * treatMissingData only decides the alarm's own state ("ignore" keeps it):
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsData.html#alarms-and-missing-data
 */
import { expect } from "chai";
import {
    GateAlarm,
    GateDatapoint,
    GateMinute,
    InsufficientDataHealthStatus,
    gateAnswers,
} from "../../../model/night-gate";
import { NightModeSpec } from "../../../model/night-mode";
import { NightModePorts, runNightMode } from "../../../ops/night-mode";
import { repoPlan } from "../../helpers/repo-plan";

const DRAINED = "us-east-1";
/** 21:50 Asia/Tokyo (UTC+9, no DST). */
const START = new Date("2026-06-01T12:50:00Z");
const tokyo = (hhmm: string, nextDay = false) =>
    new Date(`2026-06-0${nextDay ? 2 : 1}T${hhmm}:00+09:00`);

/** In-memory AWS behind the controller's ports, on a clock the test moves. */
class FakeAws {
    clock = START.getTime();
    points: GateDatapoint[] = [];
    hold: Date | undefined;
    lock: { owner: string; until: Date } | undefined;
    capacity: Record<string, { min: number; max: number }> = {};
    desired: Record<string, number> = {};
    dials: Record<string, number> = {};

    constructor(spec: NightModeSpec) {
        for (const c of spec.cells) {
            this.capacity[c.region] = { ...c.day };
            this.desired[c.region] = c.day.min;
            if (c.endpointGroupArn) this.dials[c.endpointGroupArn] = 100;
        }
    }

    ports(): NightModePorts {
        const tick = () => (this.clock += 1000); // every call takes a second
        return {
            getCapacity: async (r) => (tick(), { ...this.capacity[r] }),
            setCapacity: async (r, _id, min, max) => {
                tick();
                this.capacity[r] = { min, max };
                this.desired[r] = Math.max(min, Math.min(max, this.desired[r]));
            },
            getService: async (r) => (
                tick(),
                { desired: this.desired[r], running: this.desired[r] }
            ),
            setDesired: async (r, _c, _s, d) => void (tick(), (this.desired[r] = d)),
            getDial: async (arn) => (tick(), this.dials[arn]),
            setDial: async (arn, pct) => void (tick(), (this.dials[arn] = pct)),
            setGate: async (region, drained) => {
                tick();
                if (region === DRAINED) {
                    this.points.push({ at: new Date(this.clock), value: drained ? 1 : 0 });
                }
            },
            getHold: async () => this.hold,
            setHold: async (until) => void (this.hold = until),
            clearHold: async () => void (this.hold = undefined),
            tryLock: async (owner, until) => {
                if (this.lock && this.lock.until > this.now()) return false;
                this.lock = { owner, until };
                return true;
            },
            unlock: async () => void (this.lock = undefined),
            now: () => this.now(),
            sleep: async (ms) => void (this.clock += ms),
        };
    }

    now(): Date {
        return new Date(this.clock);
    }

    /** Runs an action at a local time, as the schedule or an operator would. */
    async at(when: Date, spec: NightModeSpec, action: "night" | "day" | "emergency") {
        this.clock = Math.max(this.clock, when.getTime());
        const report = await runNightMode(spec, action, this.ports(), `t-${action}`);
        expect(report.ok, JSON.stringify(report.results)).to.equal(true);
    }
}

/** The minutes in which the gate answers with the night target, as local HH:MM ranges. */
function drainedRanges(minutes: GateMinute[]): string[] {
    const hhmm = (d: Date) => new Date(d.getTime() + 9 * 3600_000).toISOString().slice(11, 16);
    const ranges: string[] = [];
    let from: Date | undefined;
    minutes.forEach((m, i) => {
        if (m.answers === "target" && !from) from = m.at;
        const last = i === minutes.length - 1;
        if (from && (m.answers === "region" || last)) {
            ranges.push(
                `${hhmm(from)}-${hhmm(m.answers === "region" ? m.at : new Date(m.at.getTime() + 60_000))}`,
            );
            from = undefined;
        }
    });
    return ranges;
}

describe("night mode's DNS gate, minute by minute (Route 53's rule for CLOUDWATCH_METRIC checks)", () => {
    let spec: NightModeSpec;
    let alarm: GateAlarm;
    let insufficient: InsufficientDataHealthStatus;
    before(async () => {
        const global = (await repoPlan()).find((p) => p.config.role === "global")!;
        spec = global.outputs.nightModeSpec as NightModeSpec;
        const a = global.mocks.named(`edge-night-gate-${DRAINED}`).inputs;
        const check = global.mocks
            .ofType("aws:route53/healthCheck:HealthCheck")
            .find((h) => h.inputs.cloudwatchAlarmName === a.name)!;
        alarm = {
            statistic: a.statistic as GateAlarm["statistic"],
            periodSeconds: Number(a.period),
            evaluationPeriods: Number(a.evaluationPeriods),
            ...(a.datapointsToAlarm !== undefined
                ? { datapointsToAlarm: Number(a.datapointsToAlarm) }
                : {}),
            threshold: Number(a.threshold),
            comparisonOperator: a.comparisonOperator as GateAlarm["comparisonOperator"],
        };
        insufficient = check.inputs.insufficientDataHealthStatus as InsufficientDataHealthStatus;
        expect(spec.cells.find((c) => c.region === DRAINED)?.role).to.equal("drain");
    });

    const nightOf = (aws: FakeAws, setting = insufficient) =>
        gateAnswers(alarm, setting, aws.points, START, 11 * 60);

    it("stays closed from the night flip to the day flip, every minute of the night", async () => {
        const aws = new FakeAws(spec);
        await aws.at(tokyo("22:00"), spec, "night");
        await aws.at(tokyo("08:00", true), spec, "day");
        // Once per flip: two datapoints in ten hours, every other minute has no data.
        expect(aws.points.map((p) => p.value)).to.deep.equal([1, 0]);
        const minutes = nightOf(aws);
        expect(drainedRanges(minutes)).to.deep.equal(["22:00-08:00"]);
        expect(minutes.filter((m) => m.data === "INSUFFICIENT_DATA").length).to.be.greaterThan(590);
        // Before the first flip the check has no last known status: healthy, the gate is open.
        expect(minutes[0]).to.include({ data: "INSUFFICIENT_DATA", answers: "region" });
    });

    it("reopens at an emergency restore and stays open for the rest of the night", async () => {
        const aws = new FakeAws(spec);
        await aws.at(tokyo("22:00"), spec, "night");
        await aws.at(tokyo("02:30", true), spec, "emergency");
        // The 08:00 flip finds the cells at day capacity; the gate is published open again.
        await aws.at(tokyo("08:00", true), spec, "day");
        expect(drainedRanges(nightOf(aws))).to.deep.equal(["22:00-02:30"]);
    });

    it("lets a restore win a minute it shares with the night flip", async () => {
        const aws = new FakeAws(spec);
        await aws.at(tokyo("22:00"), spec, "night");
        await aws.at(new Date(aws.clock + 5000), spec, "emergency");
        expect(aws.points.map((p) => p.value)).to.deep.equal([1, 0]);
        expect(Math.floor(aws.points[0].at.getTime() / 60_000)).to.equal(
            Math.floor(aws.points[1].at.getTime() / 60_000),
        );
        expect(drainedRanges(nightOf(aws))).to.deep.equal([]);
        // With Maximum the close would win that minute and hold all night.
        const max = gateAnswers(
            { ...alarm, statistic: "Maximum" },
            insufficient,
            aws.points,
            START,
            660,
        );
        expect(drainedRanges(max)).to.deep.equal(["22:00-08:50"]);
    });

    it("with insufficient data counted as Healthy (the old setting) reopens a minute after the flip", async () => {
        const aws = new FakeAws(spec);
        await aws.at(tokyo("22:00"), spec, "night");
        await aws.at(tokyo("08:00", true), spec, "day");
        expect(drainedRanges(nightOf(aws, "Healthy"))).to.deep.equal(["22:00-22:01"]);
        // Unhealthy would close the gate before the first night ever came.
        expect(nightOf(aws, "Unhealthy")[0].answers).to.equal("target");
    });
});
