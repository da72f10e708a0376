/** What the drill runner needs from AWS (ops/aws/drills.ts implements it on the SDK). */
import type { Point } from "./routing";

/** An FIS experiment template, as ListExperimentTemplates summarises it. */
export interface TemplateView {
    id: string;
    description?: string;
    tags: Record<string, string>;
}

/**
 * An FIS experiment's state. Statuses: pending, initiating, running, completed, stopping,
 * stopped, failed, cancelled (https://docs.aws.amazon.com/fis/latest/APIReference/API_ExperimentState.html).
 */
export interface ExperimentView {
    id: string;
    status: string;
    reason?: string;
    startTime?: Date;
    endTime?: Date;
}

/** The statuses after which an experiment does nothing more. */
export const FINAL_STATUSES: readonly string[] = ["completed", "stopped", "failed", "cancelled"];

export interface DrillPorts {
    /** Every experiment template of the account in `region` (all pages). */
    listTemplates(region: string): Promise<TemplateView[]>;
    startExperiment(
        region: string,
        templateId: string,
        clientToken: string,
        tags: Record<string, string>,
    ): Promise<ExperimentView>;
    getExperiment(region: string, id: string): Promise<ExperimentView>;
    stopExperiment(region: string, id: string): Promise<ExperimentView>;
    /** State of a CloudWatch alarm (composite or metric) in `region`; undefined if none. */
    alarmState(region: string, name: string): Promise<string | undefined>;
    /** The Route 53 health check whose `Name` tag is `name`; undefined if none. */
    healthCheckId(name: string): Promise<string | undefined>;
    /** The `LoadBalancer` dimension (ALB ARN suffix) a metric alarm in `region` watches. */
    alarmLoadBalancer(region: string, alarmName: string): Promise<string | undefined>;
    /** A 60 s series of one statistic of one metric, [start, end). */
    series(
        region: string,
        metric: {
            namespace: string;
            name: string;
            dimensions: Record<string, string>;
            stat: "Minimum" | "Sum";
        },
        start: Date,
        end: Date,
    ): Promise<Point[]>;
    /** The ECS service's desired and running task counts; undefined if none. */
    service(
        region: string,
        cluster: string,
        service: string,
    ): Promise<{ desired: number; running: number } | undefined>;
    now(): Date;
    sleep(ms: number): Promise<void>;
}
