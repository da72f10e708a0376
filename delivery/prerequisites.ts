/**
 * What `npm run deploy` needs before it touches any stack: the Pulumi CLI, a Pulumi backend
 * login and AWS credentials. The check is a pure function of what the script observed, so the
 * message for every missing piece is unit-tested; scripts/deploy.ts gathers the observations.
 */
import * as fs from "fs";
import * as path from "path";

/** What the script found on this machine. */
export interface Observed {
    /** Absolute path of the `pulumi` executable on PATH, if any. */
    pulumiPath?: string;
    /** `pulumi version` output when the CLI ran, e.g. `v3.248.0`. */
    pulumiVersion?: string;
    /** Error from running `pulumi version`, when it failed. */
    pulumiError?: string;
    /** The environment (process.env). */
    env: Record<string, string | undefined>;
    /** ~/.pulumi/credentials.json names a current backend (`pulumi login` was run). */
    pulumiLoggedIn: boolean;
    /** ~/.aws/credentials or ~/.aws/config exists. */
    awsFiles: boolean;
}

/** The oldest Pulumi CLI this repository is tested against (the SDK's minor, 3.248). */
export const MIN_PULUMI_VERSION = "3.248.0";

export const INSTALL_HINT =
    `install the Pulumi CLI ${MIN_PULUMI_VERSION} or later: ` +
    `\`curl -fsSL https://get.pulumi.com | sh -s -- --version ${MIN_PULUMI_VERSION}\` ` +
    "(or `brew install pulumi/tap/pulumi`), then make sure `pulumi version` works in this shell";

/** Compares dotted versions (`v` prefix and pre-release suffix ignored). */
export function versionAtLeast(version: string, min: string): boolean {
    const parse = (v: string) =>
        v
            .trim()
            .replace(/^v/, "")
            .split(/[-+]/)[0]
            .split(".")
            .map((n) => parseInt(n, 10) || 0);
    const a = parse(version);
    const b = parse(min);
    for (let i = 0; i < 3; i++) {
        if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    }
    return true;
}

const set = (env: Observed["env"], k: string) => (env[k] ?? "").trim() !== "";

/** Every missing prerequisite, each as one sentence saying what is missing and how to fix it. */
export function missingPrerequisites(o: Observed): string[] {
    const missing: string[] = [];
    if (!o.pulumiPath) {
        missing.push(`the \`pulumi\` CLI was not found on PATH; ${INSTALL_HINT}`);
    } else if (o.pulumiError !== undefined) {
        missing.push(`\`${o.pulumiPath} version\` failed (${o.pulumiError}); ${INSTALL_HINT}`);
    } else if (
        o.pulumiVersion !== undefined &&
        !versionAtLeast(o.pulumiVersion, MIN_PULUMI_VERSION)
    ) {
        missing.push(
            `the Pulumi CLI at ${o.pulumiPath} is ${o.pulumiVersion.trim()}, older than ${MIN_PULUMI_VERSION}; ${INSTALL_HINT}`,
        );
    }
    const e = o.env;
    if (!set(e, "PULUMI_ACCESS_TOKEN") && !set(e, "PULUMI_BACKEND_URL") && !o.pulumiLoggedIn) {
        missing.push(
            "Pulumi backend credentials: set PULUMI_ACCESS_TOKEN (Pulumi Cloud), or PULUMI_BACKEND_URL, " +
                "or run `pulumi login` (`pulumi login --local` for a trial, see docs/operations.md)",
        );
    }
    const staticKeys = set(e, "AWS_ACCESS_KEY_ID") && set(e, "AWS_SECRET_ACCESS_KEY");
    if (set(e, "AWS_ACCESS_KEY_ID") !== set(e, "AWS_SECRET_ACCESS_KEY")) {
        missing.push(
            `AWS credentials: ${set(e, "AWS_ACCESS_KEY_ID") ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"} is not set ` +
                "while its partner is; set both (and AWS_SESSION_TOKEN for temporary credentials)",
        );
    } else if (
        !staticKeys &&
        !set(e, "AWS_PROFILE") &&
        !(set(e, "AWS_WEB_IDENTITY_TOKEN_FILE") && set(e, "AWS_ROLE_ARN")) &&
        !set(e, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") &&
        !set(e, "AWS_CONTAINER_CREDENTIALS_FULL_URI") &&
        !o.awsFiles
    ) {
        missing.push(
            "AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN), " +
                "or AWS_PROFILE, or AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (OIDC), or configure ~/.aws",
        );
    }
    return missing;
}

/** The `pulumi` executable on a PATH string, or undefined. */
export function findOnPath(name: string, pathVar: string | undefined): string | undefined {
    for (const dir of (pathVar ?? "").split(path.delimiter)) {
        if (!dir) continue;
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) return candidate;
        } catch {
            // not here
        }
    }
    return undefined;
}
