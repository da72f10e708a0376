/**
 * The config's error types: ConfigError (every problem names the key, the value found and what
 * is allowed), the collector that gathers every problem of one validation, and PlanConfigError
 * (the problems of a whole project).
 */
import { ConfigError, ConfigIssue } from "../model/config-error";

export { ConfigError, type ConfigIssue } from "../model/config-error";

/** Collects the problems of one validation, so all of them are reported at once. */
export class Collector {
    readonly issues: ConfigIssue[] = [];
    add(key: string, value: unknown, allowed: string): void {
        this.issues.push({ key, value, allowed });
    }
}

/** Config errors of one or more stacks (a project validated as a whole, `validateAll`). */
export class PlanConfigError extends Error {
    constructor(readonly errors: ConfigError[]) {
        super(errors.map((e) => e.message).join("\n"));
        this.name = "PlanConfigError";
    }
}
