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
                issues
                    .map(
                        (i) =>
                            `  - ${i.key}: ${JSON.stringify(i.value)} is not allowed; ${i.allowed}`,
                    )
                    .join("\n"),
        );
        this.name = "ConfigError";
    }
}
