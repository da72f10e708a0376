/**
 * What `npm run deploy` observes before it runs: the Pulumi CLI on PATH and its version, a
 * Pulumi backend login, AWS credential files. delivery/prerequisites.ts judges the observation.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Observed, findOnPath } from "./prerequisites";

function pulumiVersion(pulumiPath: string): Promise<{ version?: string; error?: string }> {
    return new Promise((resolve) => {
        execFile(
            pulumiPath,
            ["version"],
            { timeout: 20_000, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } },
            (err, stdout, stderr) => {
                if (err) resolve({ error: (stderr || err.message).trim().split("\n")[0] });
                else resolve({ version: stdout.trim() });
            },
        );
    });
}

/** Whether `pulumi login` has run: credentials.json in PULUMI_HOME (default ~/.pulumi). */
function pulumiLoggedIn(home: string): boolean {
    const pulumiHome = process.env.PULUMI_HOME?.trim() || path.join(home, ".pulumi");
    try {
        const creds = JSON.parse(
            fs.readFileSync(path.join(pulumiHome, "credentials.json"), "utf8"),
        ) as {
            current?: string;
        };
        return typeof creds.current === "string" && creds.current !== "";
    } catch {
        return false;
    }
}

/** What `npm run deploy` finds on this machine: the CLI, a Pulumi login, AWS credential files. */
export async function observePrerequisites(): Promise<Observed> {
    const env = process.env;
    const home = env.HOME ?? os.homedir();
    const pulumiPath = findOnPath(process.platform === "win32" ? "pulumi.exe" : "pulumi", env.PATH);
    const ran = pulumiPath ? await pulumiVersion(pulumiPath) : {};
    return {
        ...(pulumiPath ? { pulumiPath } : {}),
        ...(ran.version !== undefined ? { pulumiVersion: ran.version } : {}),
        ...(ran.error !== undefined ? { pulumiError: ran.error } : {}),
        env,
        pulumiLoggedIn: pulumiLoggedIn(home),
        awsFiles: ["credentials", "config"].some((f) => fs.existsSync(path.join(home, ".aws", f))),
    };
}
