/**
 * What a night-mode DNS gate answers, minute by minute, from the datapoints the controller
 * publishes: Route 53's documented rule for a `CLOUDWATCH_METRIC` health check, as a pure
 * function. The gate is a failover pair: its PRIMARY (the region's own name) carries the health
 * check, its SECONDARY is the night target, so an unhealthy check sends the region's users to
 * the target.
 *
 * The rule (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html,
 * "health checks that monitor CloudWatch alarms"; the InsufficientDataHealthStatus values:
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html):
 * - the health checkers read the data stream CloudWatch evaluates, not the alarm's state, so
 *   the alarm's `treatMissingData` does not keep a gate closed;
 * - data that says OK is healthy, data that says ALARM is unhealthy;
 * - no data in the evaluation window is "insufficient data": `Healthy`, `Unhealthy`, or
 *   `LastKnownStatus` (the status from the last time there was enough data; healthy for a new
 *   check that never had any).
 */

/** The alarm settings that decide a gate (the gate alarm's inputs). */
export interface GateAlarm {
    statistic: "Maximum" | "Minimum" | "Average" | "Sum" | "SampleCount";
    periodSeconds: number;
    evaluationPeriods: number;
    /** Breaching periods that make ALARM; default `evaluationPeriods`. */
    datapointsToAlarm?: number;
    threshold: number;
    comparisonOperator:
        | "GreaterThanOrEqualToThreshold"
        | "GreaterThanThreshold"
        | "LessThanThreshold"
        | "LessThanOrEqualToThreshold";
}

export type InsufficientDataHealthStatus = "Healthy" | "Unhealthy" | "LastKnownStatus";

/** One published value of the gate metric. */
export interface GateDatapoint {
    at: Date;
    value: number;
}

/** What the gate answers in one period. */
export interface GateMinute {
    /** Start of the period. */
    at: Date;
    /** What the data stream says for the evaluation window ending with this period. */
    data: "OK" | "ALARM" | "INSUFFICIENT_DATA";
    healthy: boolean;
    /** `region` (the PRIMARY, the region's own cell) or `target` (the SECONDARY). */
    answers: "region" | "target";
}

function aggregate(statistic: GateAlarm["statistic"], values: number[]): number {
    switch (statistic) {
        case "Maximum":
            return Math.max(...values);
        case "Minimum":
            return Math.min(...values);
        case "Sum":
            return values.reduce((a, b) => a + b, 0);
        case "SampleCount":
            return values.length;
        case "Average":
            return values.reduce((a, b) => a + b, 0) / values.length;
    }
}

function breaches(alarm: GateAlarm, v: number): boolean {
    switch (alarm.comparisonOperator) {
        case "GreaterThanOrEqualToThreshold":
            return v >= alarm.threshold;
        case "GreaterThanThreshold":
            return v > alarm.threshold;
        case "LessThanThreshold":
            return v < alarm.threshold;
        case "LessThanOrEqualToThreshold":
            return v <= alarm.threshold;
    }
}

/**
 * The gate's answer for each of `periods` periods from `from` (aligned down to the period).
 * Each period's datapoints are aggregated with the alarm's statistic; a window of
 * `evaluationPeriods` periods with no datapoint at all is insufficient data; otherwise it is
 * ALARM when at least `datapointsToAlarm` of its periods with data breach. Pure.
 */
export function gateAnswers(
    alarm: GateAlarm,
    insufficient: InsufficientDataHealthStatus,
    points: readonly GateDatapoint[],
    from: Date,
    periods: number,
): GateMinute[] {
    const p = alarm.periodSeconds * 1000;
    const bucketOf = (t: Date) => Math.floor(t.getTime() / p);
    const buckets = new Map<number, number[]>();
    for (const d of points) {
        const b = bucketOf(d.at);
        buckets.set(b, [...(buckets.get(b) ?? []), d.value]);
    }
    const first = bucketOf(from);
    const toAlarm = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
    let lastKnown = true; // a new check with no last known status is healthy
    const out: GateMinute[] = [];
    for (let b = first; b < first + periods; b++) {
        const window: number[] = [];
        for (let w = b - alarm.evaluationPeriods + 1; w <= b; w++) {
            const vs = buckets.get(w);
            if (vs) window.push(aggregate(alarm.statistic, vs));
        }
        let data: GateMinute["data"];
        let healthy: boolean;
        if (window.length === 0) {
            data = "INSUFFICIENT_DATA";
            healthy =
                insufficient === "Healthy"
                    ? true
                    : insufficient === "Unhealthy"
                      ? false
                      : lastKnown;
        } else {
            data = window.filter((v) => breaches(alarm, v)).length >= toAlarm ? "ALARM" : "OK";
            healthy = data === "OK";
            lastKnown = healthy;
        }
        out.push({ at: new Date(b * p), data, healthy, answers: healthy ? "region" : "target" });
    }
    return out;
}

/**
 * The gate alarm's settings. `Minimum`: when a night flip and an emergency restore publish in the
 * same minute, the restore (0, open) wins that period instead of leaving the gate closed.
 */
export const GATE_ALARM: GateAlarm = {
    statistic: "Minimum",
    periodSeconds: 60,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
};

/**
 * The controller publishes once per flip, so every period between flips has no data: the gate
 * must keep the status the last flip gave it (`Healthy` here reopens it a minute after 22:00).
 */
export const GATE_INSUFFICIENT_DATA: InsufficientDataHealthStatus = "LastKnownStatus";
