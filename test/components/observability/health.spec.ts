/**
 * Health roll-ups on the planned stacks: every region of the topology has its "region unhealthy"
 * composite alarm over alarms that exist in that stack and region, and the global stack has one
 * over the edge's health-check alarms. Composite alarms watch alarms by name in their own
 * account and Region, and notify SNS topics
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
 */
import { expect } from "chai";
import { RecordedResource } from "../../../plan/mocks";
import {
    alarmsInRule,
    anyInAlarmRule,
    globalHealthAlarmName,
    regionHealthAlarmName,
} from "../../../model/observability";
import { repoPlan } from "../../helpers/repo-plan";

const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const METRIC = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";

/** An alarm's physical name: given, or the one the plan synthesized. */
const alarmName = (r: RecordedResource) => String(r.inputs.name ?? r.outputs.name);

describe("health roll-ups (composite alarms)", () => {
    type Planned = Awaited<ReturnType<typeof repoPlan>>;
    let planned: Planned;
    before(async () => {
        planned = await repoPlan();
    });

    it("gives every region of the topology a composite alarm over alarms of its own stack and region", () => {
        const topology = planned[0].config.topology;
        expect(topology.regions.length).to.be.greaterThan(0);
        for (const { region, stack } of topology.regions) {
            const p = planned.find((s) => s.plan.stack === stack)!;
            const composites = p.mocks.ofType(COMPOSITE);
            expect(composites, stack).to.have.length(1);
            const c = composites[0];
            expect(c.inputs.alarmName).to.equal(
                regionHealthAlarmName(p.config.environment, region),
            );
            expect(c.region).to.equal(region);
            // Every alarm of the stack and region but the log archive's: a log replication
            // failure says nothing about serving, and would stop every drill (stop condition).
            const local = p.mocks
                .ofType(METRIC)
                .filter((a) => a.region === region)
                .filter((a) => !a.urn.includes("taskflow:logs:LogArchive$"));
            expect(
                p.mocks.ofType(METRIC).filter((a) => a.urn.includes("taskflow:logs:LogArchive$")),
                `${stack}: the log archive's alarm exists`,
            ).to.have.length(1);
            const watched = alarmsInRule(String(c.inputs.alarmRule));
            // The cell's three alarms at least, and every lag alarm of the data tier.
            expect(watched.length, stack).to.be.at.least(3);
            expect(local.map(alarmName)).to.include.members(watched);
            expect(watched).to.include.members(local.map(alarmName));
            const topic = p.mocks.named("cell-alarms", TOPIC);
            expect(c.inputs.alarmActions).to.deep.equal([topic.outputs.arn]);
            expect(c.inputs.okActions).to.deep.equal([topic.outputs.arn]);
        }
    });

    it("rolls the edge's health-check alarms into one global composite alarm in us-east-1", () => {
        const g = planned.find((p) => p.config.role === "global")!;
        const [c, ...more] = g.mocks.ofType(COMPOSITE);
        expect(more).to.be.empty;
        expect(c.inputs.alarmName).to.equal(globalHealthAlarmName(g.config.environment));
        expect(c.region).to.equal("us-east-1");
        const hcAlarms = g.mocks
            .ofType(METRIC)
            .filter((a) => a.inputs.metricName === "HealthCheckStatus");
        expect(hcAlarms).to.have.length(g.config.topology.regions.length);
        expect(alarmsInRule(String(c.inputs.alarmRule))).to.have.members(hcAlarms.map(alarmName));
        expect(hcAlarms.every((a) => a.region === c.region)).to.equal(true);
        const topic = g.mocks.ofType(TOPIC).find((t) => t.region === "us-east-1")!;
        expect(c.inputs.alarmActions).to.deep.equal([topic.outputs.arn]);
    });

    it("builds the rule as an OR of ALARM() terms, quoting names, and refuses an empty or oversized one", () => {
        const rule = anyInAlarmRule(["a", 'b"c', "a"]);
        expect(rule).to.equal('ALARM("a") OR ALARM("b\\"c")');
        expect(alarmsInRule(rule)).to.deep.equal(["a", 'b"c']);
        expect(() => anyInAlarmRule([])).to.throw(/at least one/);
        const many = Array.from({ length: 101 }, (_, i) => `alarm-${i}`);
        expect(() => anyInAlarmRule(many)).to.throw(/at most 100 alarms, got 101/);
    });
});
