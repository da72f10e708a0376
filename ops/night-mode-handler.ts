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
import { AwsClients, nightModePorts } from "./aws";
import {
    NIGHT_ACTIONS,
    NightAction,
    NightModeSpec,
    formatReport,
    runNightMode,
} from "./night-mode";

let clients: AwsClients | undefined;

export async function handler(event: { action?: string }) {
    const action = event?.action as NightAction;
    if (!NIGHT_ACTIONS.includes(action)) {
        throw new Error(
            `night mode: action ${JSON.stringify(event?.action)} is not one of ${NIGHT_ACTIONS.join(", ")}`,
        );
    }
    const raw = process.env.NIGHT_MODE_SPEC;
    if (!raw) throw new Error("night mode: NIGHT_MODE_SPEC is not set");
    const spec = JSON.parse(raw) as NightModeSpec;
    clients ??= new AwsClients();
    const report = await runNightMode(
        spec,
        action,
        nightModePorts(clients, { parameter: spec.holdParameter, region: spec.holdRegion }),
    );
    console.log(formatReport(report));
    console.log(JSON.stringify(report));
    if (!report.ok) throw new Error(`night mode ${action} did not complete: see the steps above`);
    return report;
}
