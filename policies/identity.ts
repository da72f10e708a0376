// The pack's identity as the engine reports it (`pulumi preview` prints `<name>@v<version>`): the
// name the PolicyPack is constructed with (index.ts) and the version the policy SDK reads from
// the pack's package.json (@pulumi/policy's PolicyPack constructor: `require(cwd/package.json)`).

import * as fs from "fs";
import * as path from "path";
import type { EnforcementLevel } from "@pulumi/policy";

/** The name `new PolicyPack(...)` is given in index.ts. */
export const PACK_NAME = "taskflow-residency";

/** The pack's own enforcement level (index.ts): a policy without its own level gets this one. */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "mandatory";

/** The pack's folder (where `pulumi preview --policy-pack <dir>` points). */
export const PACK_DIR = __dirname;

/** The version in the pack's package.json, as the policy SDK reads it. */
export function packVersion(dir: string = PACK_DIR): string {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
        version?: string;
    };
    if (!pkg.version)
        throw new Error(`${dir}/package.json: no "version" (the policy SDK needs one)`);
    return pkg.version;
}
