/**
 * A recording stand-in for the Pulumi CLI, put first on PATH for specs that run
 * `npm run deploy`: it logs every command line to FAKE_PULUMI_LOG and answers `version`,
 * `stack history` and `stack output`. `stack output --stack <org>/<stack>` answers from
 * FAKE_PULUMI_STACKS (JSON: qualified name → its outputs, or null for a stack that does not
 * exist, which the real CLI reports as `error: no stack named '<name>' found`,
 * https://github.com/pulumi/actions/issues/777); a stack it does not list exists and exports
 * every output any stack reads (everyReadOutput).
 * FAKE_PULUMI_OUTPUT_ERROR makes `stack output` fail with that message instead.
 */
import * as fs from "fs";
import * as path from "path";
import {
    GLOBAL_READS_OF_DATA_REGION,
    GLOBAL_READS_OF_EDGE_REGION,
    GLOBAL_READS_OF_PRIMARY,
    GLOBAL_READS_OF_REGION,
    SECONDARY_READS_OF_PRIMARY,
} from "../../regions/contract";
import { tempDir } from "../helpers/tmp";

/** Every output name some stack reads of another (regions/contract.ts), once. */
export const everyReadOutput = (): string[] => [
    ...new Set<string>([
        ...SECONDARY_READS_OF_PRIMARY,
        ...GLOBAL_READS_OF_REGION,
        ...GLOBAL_READS_OF_DATA_REGION,
        ...GLOBAL_READS_OF_EDGE_REGION,
        ...GLOBAL_READS_OF_PRIMARY,
    ]),
];

const fake = (deployed: Record<string, string>) => `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_PULUMI_LOG, JSON.stringify(args) + "\\n");
if (args[0] === "version") { console.log("v3.248.0"); process.exit(0); }
if (args[0] === "stack" && args[1] === "output") {
  if (process.env.FAKE_PULUMI_OUTPUT_ERROR) {
    console.error("error: " + process.env.FAKE_PULUMI_OUTPUT_ERROR); process.exit(255);
  }
  const name = args[args.indexOf("--stack") + 1];
  const stacks = JSON.parse(process.env.FAKE_PULUMI_STACKS || "{}");
  if (stacks[name] === null) { console.error("error: no stack named '" + name + "' found"); process.exit(255); }
  console.log(JSON.stringify(name in stacks ? stacks[name] : ${JSON.stringify(deployed)}));
  process.exit(0);
}
if (args[0] === "stack" && args[1] === "history") {
  console.log(JSON.stringify([{ version: 1, kind: "update", startTime: "2026-01-01T00:00:00Z",
    endTime: "2026-01-01T00:00:01Z", message: "", environment: {}, config: {},
    result: "succeeded", resourceChanges: { same: 1 } }]));
  process.exit(0);
}
console.log("recorded: " + args.join(" "));
`;

/** A directory holding the fake `pulumi` executable. */
export function fakePulumiBin(): string {
    const bin = tempDir("fake-pulumi-");
    const deployed = Object.fromEntries(everyReadOutput().map((n) => [n, "fake"]));
    fs.writeFileSync(path.join(bin, "pulumi"), fake(deployed), { mode: 0o755 });
    return bin;
}

/** The command lines the fake recorded in `log`. */
export function recordedCalls(log: string): string[][] {
    if (!fs.existsSync(log)) return [];
    return fs
        .readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as string[]);
}
