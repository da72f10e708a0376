/** The repository's stack config for the config specs: copies to break, and the error they get. */
import { expect } from "chai";
import { ConfigError, RawConfig, ValidateOptions, validateStackConfig } from "../../config";
import { REPO_ROOT, readProjectFiles } from "../../plan/run";

const files = readProjectFiles(REPO_ROOT);

/** A deep copy of a repo stack's raw config (project config merged with the stack file). */
export function repoRaw(stack: string): RawConfig {
    return JSON.parse(JSON.stringify(files.stacks[stack])) as RawConfig;
}

/** The ConfigError thrown by validating `raw` as `stack`; fails when none is thrown. */
export function configErrorOf(
    stack: string,
    raw: RawConfig,
    options?: ValidateOptions,
): ConfigError {
    try {
        validateStackConfig(stack, raw, options);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return e as ConfigError;
    }
    throw new Error("expected a ConfigError");
}
