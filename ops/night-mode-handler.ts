/**
 * Lambda entry of the night-mode controller. EventBridge Scheduler invokes it with
 * `{"action":"night"}` at the start of the night and `{"action":"day"}` in the morning; an
 * operator invokes it with `{"action":"emergency"}` (or runs `npm run ops -- night-mode
 * emergency`) to restore every region at once. The spec (which cells, their capacities and
 * endpoint groups) is the `NIGHT_MODE_SPEC` environment variable written by the program.
 *
 * The function throws when any step failed, so its `Errors` metric (and the alarm the program
 * puts on it) reports a flip that did not complete. Every step is idempotent, so the retry
 * Lambda makes of a failed asynchronous invocation is safe.
 */
import { AwsClients } from "./aws/clients";
import { nightModePortsFor } from "./aws/night-mode";
import type { NightModeSpec } from "../model/night-mode";
import { NIGHT_ACTIONS, NightAction, formatReport, runNightMode } from "./night-mode";

let clients: AwsClients | undefined;

/** A scheduled flip delivered this late (retries, a backlog) is dropped: the next one is due. */
export const STALE_AFTER_MINUTES = 30;

/**
 * The event: `{"action": ...}` from the schedules and operators; the schedules add
 * `scheduledTime` (`<aws.scheduler.scheduled-time>`); the program's sync invocation
 * (`aws.lambda.Invocation`, lifecycle scope CRUD) adds `tf.action` = create/update/delete, and a
 * delete — night mode being removed from the program — restores every cell.
 */
export interface NightModeEvent {
    action?: string;
    scheduledTime?: string;
    tf?: { action?: string };
}

export async function handler(event: NightModeEvent) {
    const action = (event?.tf?.action === "delete" ? "restore" : event?.action) as NightAction;
    if (!NIGHT_ACTIONS.includes(action)) {
        throw new Error(
            `night mode: action ${JSON.stringify(event?.action)} is not one of ${NIGHT_ACTIONS.join(", ")}`,
        );
    }
    if (event.scheduledTime) {
        const late = (Date.now() - new Date(event.scheduledTime).getTime()) / 60_000;
        if (late > STALE_AFTER_MINUTES) {
            console.log(
                `night mode ${action}: scheduled for ${event.scheduledTime}, ${Math.round(late)} min ago; dropped as stale`,
            );
            return { action, ok: true, stale: true };
        }
    }
    const raw = process.env.NIGHT_MODE_SPEC;
    if (!raw) throw new Error("night mode: NIGHT_MODE_SPEC is not set");
    const spec = JSON.parse(raw) as NightModeSpec;
    clients ??= new AwsClients();
    const report = await runNightMode(spec, action, nightModePortsFor(clients, spec));
    console.log(formatReport(report));
    console.log(JSON.stringify(report));
    if (!report.ok) throw new Error(`night mode ${action} did not complete: see the steps above`);
    return report;
}
