/**
 * The error every config rule throws: each problem names the key, the value found and what is
 * allowed. Defined here, with the pure models, because rules that components also run (the
 * edge's residency zone) throw it too; config/errors.ts is where the config takes it from.
 */

/** Config namespace of this project (the project name in Pulumi.yaml): keys are `taskflow:<key>`. */
export const NS = "taskflow";

/** One problem in the config: the key, the value found, and what is allowed. */
export interface ConfigIssue {
    key: string;
    value: unknown;
    allowed: string;
}

/**
 * One problem as a line: a key with no value is said to be missing, with the file it goes in
 * (the stack's own file, or Pulumi.yaml for config every stack shares); any other value is
 * quoted with what is allowed instead.
 */
function describeIssue(stack: string, i: ConfigIssue): string {
    if (i.value === undefined) {
        const file = stack === "(all)" ? "Pulumi.yaml" : `Pulumi.${stack}.yaml`;
        // a field of an object value: say which key's value it goes in
        const top = /^[^.[]+/.exec(i.key)?.[0] ?? i.key;
        const inside = top === i.key ? "" : `, inside ${top}`;
        return `${i.key}: missing (it goes under \`config:\` in ${file}${inside}); ${i.allowed}`;
    }
    return `${i.key}: ${JSON.stringify(i.value)} is not allowed; ${i.allowed}`;
}

/** Thrown before any resource is registered when the config is invalid. */
export class ConfigError extends Error {
    /**
     * @param stack the stack whose config is wrong ("(all)" for config every stack shares).
     * @param scope what the heading names instead of `stack "<stack>"`, e.g. "the command line".
     */
    constructor(
        public readonly stack: string,
        public readonly issues: ConfigIssue[],
        scope?: string,
    ) {
        super(
            `invalid configuration for ${scope ?? `stack "${stack}"`}:\n` +
                issues.map((i) => `  - ${describeIssue(stack, i)}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}
