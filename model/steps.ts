/** What the runbooks (night mode, Aurora switchover/failover) report, step by step. */

export type StepStatus = "changed" | "unchanged" | "skipped" | "failed" | "info";

/** One step of a runbook: where, what, and how it went. */
export interface StepResult {
    region: string;
    step: string;
    status: StepStatus;
    detail: string;
}

/** One line for a failed AWS call: the error's name, HTTP status and first line of message. */
export function errorText(e: unknown): string {
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = err?.$metadata?.httpStatusCode;
    const msg = (err?.message ?? String(e)).split("\n")[0].slice(0, 200);
    return `${err?.name ?? "Error"}${status ? ` (HTTP ${status})` : ""}: ${msg}`;
}
