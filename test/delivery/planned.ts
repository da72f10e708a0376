/**
 * One offline plan of every stack, shared by the delivery specs (mocha runs them in one process):
 * the project's own Pulumi.yaml and stack files, plus `taskflow:deployments` enabled on the
 * global stack. Region stacks are planned exactly as the repository configures them.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PlannedStack, planAll } from "../../plan/run";
import { REPO_ROOT } from "./fixtures";
import { tempDir } from "../helpers/tmp";

/** The `taskflow:deployments` value the shared plan uses. */
export const TEST_DEPLOYMENTS = {
    enabled: true,
    repo: "acme/taskflow-infra",
    awsRoleArn: "arn:aws:iam::123456789012:role/pulumi-deployments",
    autoRemediateGlobal: true,
};

/** Copies the project's Pulumi files to a temp dir and enables Deployments on the global stack. */
export function projectDirWithDeployments(
    deployments: Record<string, unknown> = TEST_DEPLOYMENTS,
): string {
    const dir = tempDir("taskflow-delivery-");
    for (const f of fs.readdirSync(REPO_ROOT).filter((x) => /^Pulumi(\..+)?\.ya?ml$/.test(x))) {
        fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
    }
    const globalFile = path.join(dir, "Pulumi.global.yaml");
    const doc = YAML.parse(fs.readFileSync(globalFile, "utf8")) as {
        config: Record<string, unknown>;
    };
    doc.config["taskflow:deployments"] = deployments;
    fs.writeFileSync(globalFile, YAML.stringify(doc));
    return dir;
}

let shared: Promise<PlannedStack[]> | undefined;

/** The shared plan (planned once per process). */
export function plannedWithDeployments(): Promise<PlannedStack[]> {
    shared ??= planAll({ dir: projectDirWithDeployments() });
    return shared;
}
