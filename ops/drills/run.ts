/**
 * One failure drill: find the region's FIS experiment template by its tags, refuse while the
 * region (or the partner that would take its traffic) is unhealthy, start one experiment, wait
 * for it to end, then watch the routing until the region answers its name again, and report who
 * answered and how long the traffic was away.
 *
 * FIS stops the experiment by itself when a stop condition (the region's composite alarm) goes
 * to ALARM; the runner stops it when it outlives `timeoutMinutes`.
 */
import { EDGE_REGION } from "../../model/aws";
import { cellAlarmName } from "../../model/cell";
import {
    DRILL_REGION_TAG,
    DRILL_TAG,
    type FisDrill,
    cellEcsNames,
    cellHealthCheckName,
    drillSpec,
} from "../../model/drills";
import { regionHealthAlarmName } from "../../model/observability";
import { TAG } from "../../model/tags";
import { StepResult, errorText } from "../../model/steps";
import { DrillPorts, ExperimentView, FINAL_STATUSES, TemplateView } from "./ports";
import { Point, RoutingInput, RoutingReport, analyseRouting, settled } from "./routing";

export interface DrillOptions {
    drill: FisDrill;
    region: string;
    /** The region's failover partner in the topology (the SECONDARY of its failover name). */
    partner: string;
    environment: string;
    /** How long the experiment may run before the runner stops it. Default 30. */
    timeoutMinutes?: number;
    /** How long to watch for the region to answer again after the experiment. Default 15. */
    recoveryMinutes?: number;
    /** Poll interval. Default 15 s. */
    pollSeconds?: number;
    /** Minutes of series before the start, as the baseline. Default 5. */
    baselineMinutes?: number;
}

export interface DrillReport {
    drill: FisDrill;
    region: string;
    partner: string;
    ok: boolean;
    steps: StepResult[];
    experiment?: ExperimentView & { templateId: string };
    routing?: RoutingReport;
}

/** Raised by a step that refused or failed; the drill stops there (the step is recorded). */
class Stop extends Error {}

const MINUTE = 60_000;
/** How long a stopped experiment may take to reach `stopped`. */
const STOP_GRACE = 5 * MINUTE;

/** Runs one drill (see the file's comment). */
export function runDrill(opts: DrillOptions, ports: DrillPorts): Promise<DrillReport> {
    return new DrillRun(opts, ports).run();
}

interface Watch {
    healthChecks: Record<string, string>;
    loadBalancers: Record<string, string>;
}

class DrillRun {
    private readonly steps: StepResult[] = [];
    private readonly report: DrillReport;

    constructor(
        private readonly opts: DrillOptions,
        private readonly ports: DrillPorts,
    ) {
        this.report = {
            drill: opts.drill,
            region: opts.region,
            partner: opts.partner,
            ok: false,
            steps: this.steps,
        };
    }

    async run(): Promise<DrillReport> {
        try {
            const template = await this.template();
            await this.guard(this.opts.region);
            await this.guard(this.opts.partner);
            const watch = await this.watch();
            await this.tasks("tasks-before");
            const exp = await this.start(template);
            const ended = await this.wait(exp);
            await this.observe(ended, watch);
            await this.tasks("tasks-after");
            this.verdict();
        } catch (e) {
            if (!(e instanceof Stop)) throw e;
        }
        this.report.ok = this.steps.every((s) => s.status !== "failed");
        return this.report;
    }

    private step(step: string, status: StepResult["status"], detail: string, region?: string) {
        this.steps.push({ region: region ?? this.opts.region, step, status, detail });
    }

    private fail(step: string, detail: string, region?: string): never {
        this.step(step, "failed", detail, region);
        throw new Stop(detail);
    }

    private async call<T>(step: string, fn: () => Promise<T>, region?: string): Promise<T> {
        try {
            return await fn();
        } catch (e) {
            return this.fail(step, errorText(e), region);
        }
    }

    /** 1. The one template tagged for this drill and region (and environment, when tagged). */
    private async template(): Promise<TemplateView> {
        const { drill, region, environment } = this.opts;
        const all = await this.call("template", () => this.ports.listTemplates(region));
        const found = all.filter(
            (t) =>
                t.tags[DRILL_TAG] === drill &&
                t.tags[DRILL_REGION_TAG] === region &&
                (t.tags[TAG.environment] ?? environment) === environment,
        );
        const where = `${DRILL_TAG}=${drill}, ${DRILL_REGION_TAG}=${region}`;
        if (found.length === 0) {
            this.fail(
                "template",
                `no FIS experiment template tagged ${where} in ${region} (environment ${environment}): drills are off by default; enable them in the stack's config and deploy it (docs/operations.md, "Failure drills")`,
            );
        }
        if (found.length > 1) {
            this.fail(
                "template",
                `${found.length} templates tagged ${where}: ${found.map((t) => t.id).join(", ")}; expected one`,
            );
        }
        this.step(
            "template",
            "info",
            `${found[0].id}${found[0].description ? ` (${found[0].description})` : ""}`,
        );
        return found[0];
    }

    /** 2. Never drill a region (or load a partner) that is already unhealthy. */
    private async guard(region: string): Promise<void> {
        const name = regionHealthAlarmName(this.opts.environment, region);
        const state = await this.call("guard", () => this.ports.alarmState(region, name), region);
        const role = region === this.opts.region ? "the drilled region" : "its failover partner";
        if (state === undefined) {
            this.fail(
                "guard",
                `no composite alarm ${name} in ${region} (${role}): the drill's stop condition is missing; refusing`,
                region,
            );
        }
        if (state === "ALARM") {
            this.fail("guard", `${name} is in ALARM (${role}): refusing to start a drill`, region);
        }
        this.step("guard", "info", `${name} is ${state} (${role})`, region);
    }

    /** 3. What the routing report reads: the health checks, and the ALBs (optional). */
    private async watch(): Promise<Watch> {
        const env = this.opts.environment;
        const w: Watch = { healthChecks: {}, loadBalancers: {} };
        for (const region of [this.opts.region, this.opts.partner]) {
            const hc = cellHealthCheckName(env, region);
            const id = await this.call("watch", () => this.ports.healthCheckId(hc), region);
            if (!id)
                this.fail(
                    "watch",
                    `no Route 53 health check named ${hc}: nothing to observe the routing with; refusing`,
                    region,
                );
            w.healthChecks[region] = id;
            const alarm = cellAlarmName(env, region, "latency-p99");
            const lb = await this.call(
                "watch",
                () => this.ports.alarmLoadBalancer(region, alarm),
                region,
            );
            if (lb) w.loadBalancers[region] = lb;
            this.step(
                "watch",
                "info",
                `health check ${id}; ALB ${lb ?? `not found (no LoadBalancer on ${alarm}): no request counts`}`,
                region,
            );
        }
        return w;
    }

    private async tasks(step: string): Promise<void> {
        const { cluster, service } = cellEcsNames(this.opts.environment, this.opts.region);
        const s = await this.call(step, () =>
            this.ports.service(this.opts.region, cluster, service),
        );
        this.step(
            step,
            "info",
            s
                ? `${cluster}/${service}: ${s.running} running of ${s.desired} desired`
                : `no ECS service ${cluster}/${service}`,
        );
    }

    /** 4. One experiment, tagged like its template. */
    private async start(t: TemplateView): Promise<ExperimentView> {
        const { drill, region, environment } = this.opts;
        const token = `drill-${drill}-${region}-${this.ports.now().getTime()}`;
        const tags = {
            [DRILL_TAG]: drill,
            [DRILL_REGION_TAG]: region,
            [TAG.environment]: environment,
        };
        const exp = await this.call("start", () =>
            this.ports.startExperiment(region, t.id, token, tags),
        );
        this.report.experiment = { ...exp, templateId: t.id };
        this.step("start", "changed", `experiment ${exp.id} from ${t.id}: ${exp.status}`);
        return exp;
    }

    /** 5. Poll until the experiment ends; stop it when it outlives the timeout. */
    private async wait(started: ExperimentView): Promise<ExperimentView> {
        const { region } = this.opts;
        const began = this.ports.now().getTime();
        const deadline = began + (this.opts.timeoutMinutes ?? 30) * MINUTE;
        let exp = started;
        let timedOut = false;
        while (!FINAL_STATUSES.includes(exp.status)) {
            if (!timedOut && this.ports.now().getTime() >= deadline) {
                timedOut = true;
                const was = exp.status;
                exp = await this.call("wait", () => this.ports.stopExperiment(region, started.id));
                this.step(
                    "wait",
                    "failed",
                    `still ${was} after ${this.opts.timeoutMinutes ?? 30} min: StopExperiment sent (${exp.status})`,
                );
                if (FINAL_STATUSES.includes(exp.status)) break;
            }
            if (timedOut && this.ports.now().getTime() >= deadline + STOP_GRACE) {
                this.fail(
                    "wait",
                    `experiment ${started.id} still ${exp.status} ${STOP_GRACE / MINUTE} min after StopExperiment: stop it in the FIS console`,
                );
            }
            await this.ports.sleep(this.poll());
            exp = await this.call("wait", () => this.ports.getExperiment(region, started.id));
        }
        this.report.experiment = { ...exp, templateId: this.report.experiment!.templateId };
        const why = exp.reason ? `: ${exp.reason}` : "";
        if (exp.status === "completed") this.step("wait", "info", `experiment ${exp.id} completed`);
        else if (!timedOut) this.step("wait", "failed", `experiment ${exp.id} ${exp.status}${why}`);
        return {
            ...exp,
            startTime: exp.startTime ?? new Date(began),
            endTime: exp.endTime ?? this.ports.now(),
        };
    }

    private poll(): number {
        return (this.opts.pollSeconds ?? 15) * 1000;
    }

    /** 6. Watch the series until the region answers again (or the recovery time is up). */
    private async observe(exp: ExperimentView, w: Watch): Promise<void> {
        const input: RoutingInput = {
            region: this.opts.region,
            partner: this.opts.partner,
            start: exp.startTime!,
            end: exp.endTime!,
            windowStart: new Date(
                exp.startTime!.getTime() - (this.opts.baselineMinutes ?? 5) * MINUTE,
            ),
            health: {},
            requests: {},
        };
        const deadline = this.ports.now().getTime() + (this.opts.recoveryMinutes ?? 15) * MINUTE;
        let routing: RoutingReport;
        for (;;) {
            await this.read(input, w);
            routing = analyseRouting(input);
            if (settled(routing, input) || this.ports.now().getTime() >= deadline) break;
            await this.ports.sleep(this.poll());
        }
        this.report.routing = routing;
    }

    private async read(input: RoutingInput, w: Watch): Promise<void> {
        const end = new Date(this.ports.now().getTime() + MINUTE);
        for (const [region, id] of Object.entries(w.healthChecks)) {
            // Route 53's metrics are in us-east-1 only
            // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html).
            input.health[region] = await this.series(
                EDGE_REGION,
                "AWS/Route53",
                "HealthCheckStatus",
                { HealthCheckId: id },
                "Minimum",
                input.windowStart,
                end,
            );
        }
        for (const [region, lb] of Object.entries(w.loadBalancers)) {
            input.requests[region] = await this.series(
                region,
                "AWS/ApplicationELB",
                "RequestCount",
                { LoadBalancer: lb },
                "Sum",
                input.windowStart,
                end,
            );
        }
    }

    private series(
        region: string,
        namespace: string,
        name: string,
        dimensions: Record<string, string>,
        stat: "Minimum" | "Sum",
        start: Date,
        end: Date,
    ): Promise<Point[]> {
        return this.call("routing", () =>
            this.ports.series(region, { namespace, name, dimensions, stat }, start, end),
        );
    }

    /** 7. What the routing did, against what the drill must do. */
    private verdict(): void {
        const r = this.report.routing!;
        const { region, partner } = this.opts;
        if (!r.movedAt) {
            const must = drillSpec(this.opts.drill)?.expectsFailover === true;
            this.step(
                "routing",
                must ? "failed" : "info",
                `${region} answered its name throughout${must ? `: the drill must move it to ${partner}` : ""}`,
            );
            return;
        }
        if (!r.backAt) {
            this.step(
                "routing",
                "failed",
                `traffic moved to ${r.movedTo} and had not come back when the watch ended (last answer: ${r.lastAnswered ?? "none"})`,
            );
            return;
        }
        this.step("routing", "info", `traffic moved to ${r.movedTo} and came back to ${region}`);
    }
}
