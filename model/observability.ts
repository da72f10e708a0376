/**
 * Names of the health roll-ups: the composite alarm of each region ("region unhealthy") and the
 * global one. Stable (not auto-named) because the drills' stop conditions, the drill runner and
 * docs/operations.md name the same alarms.
 */
import { namePrefix } from "./naming";

/** `taskflow-<env>-region-<region>-unhealthy`: the region's composite alarm. */
export function regionHealthAlarmName(environment: string, region: string): string {
    return `${namePrefix(environment)}-region-${region}-unhealthy`;
}

/** `taskflow-<env>-global-unhealthy`: the global stack's composite alarm. */
export function globalHealthAlarmName(environment: string): string {
    return `${namePrefix(environment)}-global-unhealthy`;
}

/**
 * A composite alarm's most underlying alarms.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html
 */
export const MAX_COMPOSITE_ALARMS = 100;

/** `ALARM("a") OR ALARM("b") ...`: in ALARM while any of `names` is. */
export function anyInAlarmRule(names: readonly string[]): string {
    if (names.length === 0) throw new Error("a composite alarm needs at least one alarm");
    if (names.length > MAX_COMPOSITE_ALARMS) {
        throw new Error(
            `a composite alarm takes at most ${MAX_COMPOSITE_ALARMS} alarms, got ${names.length}`,
        );
    }
    return [...new Set(names)].map((n) => `ALARM(${JSON.stringify(n)})`).join(" OR ");
}

/** The alarm names an `anyInAlarmRule` rule references. */
export function alarmsInRule(rule: string): string[] {
    return [...rule.matchAll(/ALARM\(("(?:[^"\\]|\\.)*")\)/g)].map(
        (m) => JSON.parse(m[1]) as string,
    );
}
