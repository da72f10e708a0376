/**
 * Pulumi.yaml's config declarations, checked the way the Pulumi CLI checks them before it runs
 * the program (config/project-schema.ts), and the plan refusing what the CLI would refuse.
 *
 * The CLI's rules, from its source (github.com/pulumi/pulumi):
 * - sdk/go/common/workspace/project.go, `Project.Validate`: no declaration with both `default`
 *   and `value`; an `array` needs `items`; a default must be of the declared type; and
 *   `ValidateConfigValue`: `integer` accepts a whole number or text that parses as one
 *   (`strconv.Atoi`), `boolean` true/false or their text, `object` a map (type added in
 *   v3.186.0, pulumi/pulumi#20129), `array` a list of `items`;
 * - pkg/workspace/config.go, `mergeConfig`: a project-namespace key declared without default or
 *   value that a stack does not set -> "Stack '<s>' is missing configuration value '<k>'";
 *   `validateStackConfigValue`: a stack value not of the declared type -> "Stack '<s>' with
 *   configuration key '<k>' must be of type '<t>'"; a stack file's scalar is held as text.
 */
import { expect } from "chai";
import {
    declarationErrors,
    ofType,
    stackSchemaErrors,
    stackSchemaProblems,
} from "../../config/project-schema";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { readProjectFiles } from "../../config";
import { DEFAULTS, STACK_KEYS } from "../../config/keys";
import { REPO_ROOT } from "../../plan/run";
import { main as planMain } from "../../scripts/plan";
import { EXIT } from "../../scripts/cli";
import { inProcessAsync } from "../helpers/cli";
import { projectCopy } from "../helpers/project-copy";
import { removeTempDirs } from "../helpers/tmp";

describe("config: Pulumi.yaml's declarations, checked as the Pulumi CLI checks them", function () {
    this.timeout(60_000);
    after(removeTempDirs);

    describe("values against a declared type", () => {
        it("reads a stack file's scalars as text, as the CLI does", () => {
            expect(ofType("integer", undefined, "42", true)).to.equal(true);
            expect(ofType("integer", undefined, 42, true)).to.equal(true);
            expect(ofType("integer", undefined, 4.5, true)).to.equal(false);
            expect(ofType("integer", undefined, "four", true)).to.equal(false);
            expect(ofType("string", undefined, 42, true)).to.equal(true);
            expect(ofType("string", undefined, 42, false)).to.equal(false);
            expect(ofType("string", undefined, { a: 1 }, true)).to.equal(false);
            expect(ofType("boolean", undefined, "true", true)).to.equal(true);
            expect(ofType("boolean", undefined, "yes", true)).to.equal(false);
        });

        it("checks objects as maps and arrays item by item", () => {
            expect(ofType("object", undefined, {}, true)).to.equal(true);
            expect(ofType("object", undefined, [], true)).to.equal(false);
            expect(ofType("object", undefined, "x", true)).to.equal(false);
            const strings = { type: "string" };
            expect(ofType("array", strings, ["a", "b"], true)).to.equal(true);
            expect(ofType("array", strings, ["a", 2], true)).to.equal(false);
            expect(ofType("array", undefined, ["a"], true)).to.equal(false);
        });
    });

    describe("declarations", () => {
        it("accepts the repository's Pulumi.yaml, objects declared with type object", () => {
            const files = readProjectFiles(REPO_ROOT);
            expect(files.schemaProblems).to.deep.equal([]);
        });

        it("refuses what Project.Validate refuses, naming each key", () => {
            const [err] = declarationErrors("taskflow", {
                "taskflow:a": { type: "string", default: "x", value: "y" },
                "taskflow:b": { type: "array" },
                "taskflow:c": { type: "integer", default: "three" },
                "taskflow:d": { type: "map" },
                "aws:region": { type: "string", value: "us-east-1" },
            });
            expect(err.message).to.match(
                /^Pulumi\.yaml: config declarations the Pulumi CLI refuses/,
            );
            expect(err.message).to.include("taskflow:a has both a default and a value");
            expect(err.message).to.include(
                "taskflow:b declares an array without the type of its items",
            );
            expect(err.message).to.include(
                `taskflow:c's default "three" is not of its type integer`,
            );
            expect(err.message).to.include(`taskflow:d declares type "map"`);
            expect(err.message).to.include("aws:region is not in the project's namespace");
            expect(
                declarationErrors("taskflow", { "taskflow:ok": { type: "object", default: {} } }),
            ).to.deep.equal([]);
        });
    });

    describe("stacks against the declarations", () => {
        const config = {
            "taskflow:owner": { type: "string", description: "required: no default" },
            "taskflow:size": { type: "integer", default: 2 },
            "taskflow:rollout": { type: "object", default: {} },
        };

        it("names a required key a stack does not set, and a value of the wrong type", () => {
            const own = { a: { "taskflow:owner": "ops", "taskflow:size": "big" }, b: {} };
            const merged = {
                a: { "taskflow:owner": "ops", "taskflow:size": "big", "taskflow:rollout": {} },
                b: { "taskflow:size": 2, "taskflow:rollout": {} },
            };
            const problems = stackSchemaProblems("taskflow", config, own, merged);
            expect(problems.map((p) => [p.stack, p.key, p.kind])).to.deep.equal([
                ["a", "taskflow:size", "type"],
                ["b", "taskflow:owner", "missing"],
            ]);
            const errors = stackSchemaErrors(problems).map((e) => e.message);
            expect(errors).to.have.length(2);
            expect(errors[0]).to.match(/^Pulumi\.a\.yaml: /);
            expect(errors[0]).to.include(
                `taskflow:size: "big" is not of the type Pulumi.yaml declares, integer (the Pulumi CLI stops with "Stack 'a' with configuration key 'taskflow:size' must be of type 'integer'")`,
            );
            expect(errors[1]).to.include(
                "taskflow:owner: missing (it goes under `config:` in Pulumi.b.yaml)",
            );
        });

        it("reports a key every stack lacks once, as Pulumi.yaml's", () => {
            const own = { a: {}, b: {} };
            const merged = { a: { "taskflow:size": 2 }, b: { "taskflow:size": 2 } };
            const errors = stackSchemaErrors(stackSchemaProblems("taskflow", config, own, merged));
            expect(errors).to.have.length(1);
            expect(errors[0].message).to.match(/^Pulumi\.yaml \(declares, for a, b\): /);
            expect(errors[0].message).to.include(
                "taskflow:owner: missing in Pulumi.a.yaml, Pulumi.b.yaml",
            );
        });
    });

    describe("the plan", () => {
        async function planRefuses(edit: Parameters<typeof projectCopy>[1]): Promise<string> {
            const dir = projectCopy("project-schema-", edit);
            const r = await inProcessAsync(planMain, ["--dir", dir, "--quiet"]);
            expect(r.code, r.stderr).to.equal(EXIT.INPUT);
            expect(r.stdout, "nothing planned").to.not.include("== stack");
            expect(r.stderr.split("\n")[0]).to.equal(
                "plan: configuration error; nothing was planned.",
            );
            return r.stderr;
        }

        it("refuses a key Pulumi.yaml requires that no stack sets, once", async () => {
            const err = await planRefuses((docs) => {
                docs["Pulumi.yaml"].config["taskflow:costCentre"] = {
                    type: "string",
                    description: "a new required key",
                };
            });
            expect(err.split("\n").filter((l) => l.includes("taskflow:costCentre"))).to.have.length(
                1,
            );
            expect(err).to.include("taskflow:costCentre: missing in Pulumi.ap-northeast-1.yaml");
        });

        it("reports a mistyped value the program checks too once, with the program's words", async () => {
            const err = await planRefuses((docs) => {
                docs["Pulumi.us-east-1.yaml"].config["taskflow:minTasks"] = { many: true };
            });
            const lines = err.split("\n").filter((l) => l.includes("taskflow:minTasks"));
            expect(lines, err).to.have.length(1);
            expect(lines[0]).to.not.include("the Pulumi CLI stops");
        });
    });
    describe("every key the program reads, in Pulumi.yaml", () => {
        const text = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8");
        const declared = (YAML.parse(text) as { config: Record<string, { default?: unknown }> })
            .config;
        const undeclared = STACK_KEYS.filter((k) => !(`taskflow:${k}` in declared));

        it("declares each key with the program's default, or documents it in a comment", () => {
            for (const [key, value] of Object.entries(DEFAULTS).filter(
                ([k]) => k !== "project" && k !== "globalStack",
            ))
                expect(declared[`taskflow:${key}`]?.default, key).to.deep.equal(value);
            for (const key of undeclared)
                expect(text, `a comment documenting taskflow:${key}`).to.match(
                    new RegExp(`^ *# taskflow:${key} \\(`, "m"),
                );
        });

        it("names the undeclared keys where Pulumi.yaml and the README say why", () => {
            const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
            const claim = /optional keys (?:that have|with) no default of their own \(([^)]*)\)/;
            const list = (m: RegExpExecArray | null) =>
                (m?.[1] ?? "").split(",").map((k) => k.replace(/[`\s]/g, ""));
            expect(list(claim.exec(text.replace(/\n# /g, " ")))).to.have.members(undeclared);
            expect(list(claim.exec(readme.replace(/\n/g, " ")))).to.have.members(undeclared);
        });
    });
});
