/** RegionalCell's ECS deployment settings follow taskflow:rollout (a stack re-planned with other settings). */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { StackConfig, stackRefName } from "../../../config";
import { RecordedResource, RecordingMocks } from "../../../plan/mocks";
import {
    PlannedStack,
    planStack,
    readProjectFiles,
    upstreamOf,
    validateAll,
} from "../../../plan/run";
import { repoPlan } from "../../helpers/repo-plan";
import { tempDir } from "../../helpers/tmp";
import { T as TYPES } from "../../../policies/types";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const CONFIGS = validateAll(readProjectFiles(ROOT));
const REGION_STACKS = Object.values(CONFIGS)
    .filter((c) => c.role !== "global")
    .map((c) => c.stack);
const CELL = "taskflow:cell:RegionalCell";

/** One plan of every region stack, shared by every test here (a stack plan costs ~0.5-1 s). */
let basePlan: Promise<PlannedStack[]> | undefined;
const planRegionStacks = () =>
    (basePlan ??= repoPlan().then((ps) => ps.filter((p) => REGION_STACKS.includes(p.plan.stack))));

/** Short names for the type tokens these specs read, from the pack's one table (policies/types.ts). */
const T = {
    vpc: TYPES.vpc,
    sg: TYPES.securityGroup,
    ingress: TYPES.sgIngress,
    egress: TYPES.sgEgress,
    lb: TYPES.loadBalancer,
    listener: TYPES.lbListener,
    tg: TYPES.lbTargetGroup,
    cert: TYPES.certificate,
    certValidation: TYPES.certificateValidation,
    record: TYPES.route53Record,
    service: TYPES.ecsService,
    taskDef: TYPES.ecsTaskDefinition,
    scalingTarget: TYPES.scalingTarget,
    scalingPolicy: TYPES.scalingPolicy,
    kmsKey: TYPES.kmsKey,
    logGroup: TYPES.logGroup,
    bucket: TYPES.bucket,
    bucketPolicy: TYPES.bucketPolicy,
    bucketSse: TYPES.bucketSse,
    bucketPab: TYPES.bucketPab,
    bucketLifecycle: TYPES.bucketLifecycle,
    alarm: TYPES.metricAlarm,
    topic: TYPES.topic,
    rolePolicy: TYPES.iamRolePolicy,
    listenerRule: TYPES.lbListenerRule,
} as const;

/** The resources of one planned stack inside its RegionalCell (direct children or deeper). */
class CellView {
    readonly cellUrn: string;
    constructor(readonly stack: PlannedStack) {
        const cells = stack.mocks.ofType(CELL);
        expect(cells, `${stack.plan.stack}: one RegionalCell`).to.have.length(1);
        this.cellUrn = cells[0].urn;
    }
    get config(): StackConfig {
        return this.stack.config;
    }
    /** Cell-owned resources of a type (children of the cell). */
    all(type: string): RecordedResource[] {
        return this.stack.mocks.ofType(type).filter((r) => r.parent === this.cellUrn);
    }
    one(type: string, name?: string): RecordedResource {
        const found = this.all(type).filter((r) => !name || r.name === name);
        expect(
            found,
            `${this.stack.plan.stack}: one ${type}${name ? ` named ${name}` : ""}`,
        ).to.have.length(1);
        return found[0];
    }
    out(r: RecordedResource, key: string): unknown {
        return r.outputs[key] ?? r.inputs[key];
    }
    /** The id the mocks returned for an invoke, asked the same way the program asked. */
    invoke(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
        return (this.stack.mocks as RecordingMocks).call({
            token,
            inputs,
            provider: "",
        } as never);
    }
}

describe("RegionalCell deployment settings follow taskflow:rollout (issue 16)", () => {
    const stack = REGION_STACKS.find((s) => CONFIGS[s].role === "secondary")!;
    let v: CellView;
    before(async () => {
        const base = await planRegionStacks();
        const dir = tempDir("taskflow-cell-");
        for (const f of fs.readdirSync(ROOT).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) {
            const doc = YAML.parse(fs.readFileSync(path.join(ROOT, f), "utf8")) as {
                config: Record<string, unknown>;
            };
            if (f === "Pulumi.yaml") {
                doc.config["taskflow:rollout"] = {
                    value: {
                        rollbackAlarms: ["5xx-rate", "latency-p99"],
                        minimumHealthyPercent: 50,
                        maximumPercent: 150,
                    },
                };
            }
            fs.writeFileSync(path.join(dir, f), YAML.stringify(doc));
        }
        const files = readProjectFiles(dir);
        const configs = validateAll(files);
        const topology = configs[stack].topology;
        const outputs = Object.fromEntries(
            upstreamOf(topology, stack).map((s) => [
                stackRefName(topology, s),
                base.find((p) => p.plan.stack === s)!.outputs,
            ]),
        );
        v = new CellView(
            await planStack(configs[stack], files.stacks[stack], files.project, outputs),
        );
    });

    it("watches the alarms the config names and rolls within its bounds", () => {
        const svc = v.one(T.service);
        const region = v.config.awsRegion;
        expect(svc.inputs).to.include({
            deploymentMinimumHealthyPercent: 50,
            deploymentMaximumPercent: 150,
        });
        expect((svc.inputs.alarms as { alarmNames: string[] }).alarmNames).to.deep.equal([
            `taskflow-prod-cell-${region}-5xx-rate`,
            `taskflow-prod-cell-${region}-latency-p99`,
        ]);
        expect(svc.options.dependsOn).to.include(v.one(T.alarm, "cell-alarm-latency-p99").urn);
        expect(svc.options.dependsOn).to.not.include(
            v.one(T.alarm, "cell-alarm-unhealthy-hosts").urn,
        );
        expect(svc.inputs.deploymentCircuitBreaker).to.deep.equal({ enable: true, rollback: true });
        expect(svc.options.ignoreChanges).to.deep.equal(["desiredCount"]);
    });
});
