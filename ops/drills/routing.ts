/**
 * What the routing did during a drill, from per-minute CloudWatch series: the Route 53 health
 * checks of the drilled region and of its failover partner (`HealthCheckStatus`, Minimum: 1
 * healthy, 0 unhealthy) and each region's ALB `RequestCount` (Sum).
 *
 * The region's failover name (`<region>.api.<domain>`) is a PRIMARY record on the region's ALB
 * with the region's check and a SECONDARY on the partner's ALB with the partner's check. Route 53
 * answers with the primary while its check is healthy and with the secondary once it is not and
 * the secondary's is ("Active-passive failover",
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html). The
 * request counts show what the ALBs actually served in each stretch (resolvers cache the answer
 * for the record's TTL, so requests follow the DNS answer with a delay).
 *
 * Resolution is one minute, the metrics' period: "moved after 2 min" means within that minute.
 */

/** One datapoint of a 60 s series. */
export interface Point {
    t: Date;
    v: number;
}

export interface RoutingInput {
    region: string;
    partner: string;
    /** When the series start (a few minutes before the experiment: the baseline). */
    windowStart: Date;
    /** The experiment's start and end (end: when it stopped, or now while it runs). */
    start: Date;
    end: Date;
    /** HealthCheckStatus per minute, by region (the region and its partner). */
    health: Record<string, Point[]>;
    /** ALB RequestCount per minute, by region (absent: no ALB found). */
    requests: Record<string, Point[]>;
}

/** Who answered the region's failover name: a region, or `none` (neither check healthy). */
export type Answer = string;
export const NONE_HEALTHY = "none";

/** A stretch of minutes during which the same region answered. */
export interface Segment {
    from: Date;
    /** Exclusive: the next stretch's start, or one minute past the last datapoint. */
    to: Date;
    answered: Answer;
    /** Requests served by each region's ALB in the stretch. */
    requests: Record<string, number>;
}

export interface RoutingReport {
    segments: Segment[];
    /** First minute (from the experiment's start) in which another region answered. */
    movedAt?: Date;
    movedTo?: Answer;
    /** First minute after that in which the region answered again. */
    backAt?: Date;
    /** The last minute with a verdict, and who answered then. */
    lastMinute?: Date;
    lastAnswered?: Answer;
}

const MINUTE = 60_000;
const floorMinute = (d: Date) => Math.floor(d.getTime() / MINUTE) * MINUTE;

function byMinute(points: Point[] | undefined): Map<number, number> {
    const m = new Map<number, number>();
    for (const p of points ?? []) {
        const k = floorMinute(p.t);
        // Several points in one minute (a partial period): the worse health counts.
        m.set(k, Math.min(m.get(k) ?? Infinity, p.v));
    }
    return m;
}

/** Who answered in minute `k`, or undefined when the region's check has no datapoint. */
function answerAt(
    k: number,
    input: RoutingInput,
    health: Map<number, number>,
    partner: Map<number, number>,
): Answer | undefined {
    const own = health.get(k);
    if (own === undefined) return undefined;
    if (own >= 1) return input.region;
    const other = partner.get(k);
    if (other === undefined) return undefined;
    return other >= 1 ? input.partner : NONE_HEALTHY;
}

/** The stretches, and when the traffic moved away and came back. */
export function analyseRouting(input: RoutingInput): RoutingReport {
    const health = byMinute(input.health[input.region]);
    const partner = byMinute(input.health[input.partner]);
    const minutes = [...health.keys()]
        .filter((k) => k >= floorMinute(input.windowStart))
        .sort((a, b) => a - b);
    const answers: [number, Answer][] = [];
    for (const k of minutes) {
        const a = answerAt(k, input, health, partner);
        if (a !== undefined) answers.push([k, a]);
    }
    const report: RoutingReport = { segments: segments(answers, input.requests) };
    const startMinute = floorMinute(input.start);
    const moved = answers.find(([k, a]) => k >= startMinute && a !== input.region);
    if (moved) {
        report.movedAt = new Date(moved[0]);
        report.movedTo = moved[1];
        const back = answers.find(([k, a]) => k > moved[0] && a === input.region);
        if (back) report.backAt = new Date(back[0]);
    }
    const last = answers[answers.length - 1];
    if (last) {
        report.lastMinute = new Date(last[0]);
        report.lastAnswered = last[1];
    }
    return report;
}

function segments(answers: [number, Answer][], requests: Record<string, Point[]>): Segment[] {
    const out: Segment[] = [];
    for (const [k, a] of answers) {
        const cur = out[out.length - 1];
        if (cur && cur.answered === a) cur.to = new Date(k + MINUTE);
        else {
            if (cur) cur.to = new Date(k);
            out.push({ from: new Date(k), to: new Date(k + MINUTE), answered: a, requests: {} });
        }
    }
    for (const s of out) {
        for (const [region, points] of Object.entries(requests)) {
            s.requests[region] = points
                .filter((p) => p.t.getTime() >= s.from.getTime() && p.t.getTime() < s.to.getTime())
                .reduce((sum, p) => sum + p.v, 0);
        }
    }
    return out;
}

/**
 * True when the drill's observation can end: the series reach the experiment's end and the
 * region answers its name again (or never stopped answering).
 */
export function settled(
    report: RoutingReport,
    input: Pick<RoutingInput, "region" | "end">,
): boolean {
    if (!report.lastMinute || report.lastMinute.getTime() < floorMinute(input.end)) return false;
    if (report.lastAnswered !== input.region) return false;
    return report.movedAt === undefined || report.backAt !== undefined;
}
