/** The drill report as an operator reads it. */
import type { DrillReport } from "./run";

const hhmm = (d: Date) => d.toISOString().slice(11, 16);
const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

/** Steps, then the routing: who answered when, the ALBs' requests, and the durations. */
export function formatDrillReport(r: DrillReport): string {
    const lines = [`drill ${r.drill} in ${r.region} (failover partner ${r.partner})`];
    for (const s of r.steps) lines.push(`  [${s.status}] ${s.region} ${s.step}: ${s.detail}`);
    const routing = r.routing;
    const exp = r.experiment;
    if (routing && exp?.startTime) {
        lines.push(`routing of ${r.region}'s failover name (1-minute resolution, UTC):`);
        for (const seg of routing.segments) {
            const reqs = Object.entries(seg.requests)
                .map(([region, n]) => `${region} ${n}`)
                .join(", ");
            lines.push(
                `  ${hhmm(seg.from)}-${hhmm(seg.to)} answered by ${seg.answered}${reqs ? `; ALB requests: ${reqs}` : ""}`,
            );
        }
        const start = exp.startTime.getTime();
        const end = (exp.endTime ?? exp.startTime).getTime();
        lines.push(
            `  experiment ${hhmm(exp.startTime)}-${hhmm(new Date(end))} (${minutes(end - start)})`,
        );
        if (routing.movedAt) {
            const moved = routing.movedAt.getTime();
            lines.push(
                `  traffic moved to ${routing.movedTo} ${minutes(Math.max(0, moved - start))} after the start`,
            );
            if (routing.backAt) {
                const back = routing.backAt.getTime();
                const after = back - end;
                lines.push(
                    `  came back to ${r.region} ${after >= 0 ? `${minutes(after)} after the experiment ended` : `${minutes(-after)} before the experiment ended`} (away ${minutes(back - moved)})`,
                );
            } else lines.push(`  not back to ${r.region} when the watch ended`);
        } else lines.push(`  traffic did not move: ${r.region} answered throughout`);
    }
    lines.push(r.ok ? "drill: ok" : "drill: FAILED");
    return lines.join("\n");
}
