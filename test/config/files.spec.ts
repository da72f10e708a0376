/**
 * Mistakes in the files themselves, as `npm run plan -- --dir <copy>` reports them (the command's
 * main in this process): each under the "configuration error; nothing was planned" heading,
 * naming the file and, where there is one, the key, the line and the value; nothing planned.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { main as planMain } from "../../scripts/plan";
import { EXIT } from "../../scripts/cli";
import { inProcessAsync } from "../helpers/cli";
import { projectCopy, topologyOf } from "../helpers/project-copy";
import { removeTempDirs } from "../helpers/tmp";

const HEADER = "plan: configuration error; nothing was planned.";

async function plan(dir: string) {
    const r = await inProcessAsync(planMain, ["--dir", dir, "--quiet"]);
    expect(r.stdout, "nothing planned").to.not.include("== stack");
    expect(r.code, r.stderr).to.equal(EXIT.INPUT);
    expect(r.stderr.split("\n")[0]).to.equal(HEADER);
    return r.stderr;
}

/** A copy of the stack files with one file's text replaced (or appended to). */
function withText(file: string, text: (original: string) => string): string {
    const dir = projectCopy("config-files-", () => undefined);
    const p = path.join(dir, file);
    fs.writeFileSync(p, text(fs.readFileSync(p, "utf8")));
    return dir;
}

describe("config: mistakes in the files, named by file, key and line", function () {
    this.timeout(60_000);
    after(removeTempDirs);

    it("names the stack file, line and column of a YAML syntax error", async () => {
        const dir = withText(
            "Pulumi.us-east-1.yaml",
            () => "config:\n  aws:region: us-east-1\n  taskflow:role: [secondary\n",
        );
        const err = await plan(dir);
        expect(err).to.match(
            /^Pulumi\.us-east-1\.yaml: not valid YAML at line \d+, column \d+: Flow sequence/m,
        );
    });

    it("points at the line and column where the YAML breaks, in the file as written", async () => {
        // the repo's own file with one bad line after its third: line 4, at the second `:`
        const dir = withText("Pulumi.us-east-1.yaml", (t) => {
            const lines = t.split("\n");
            lines.splice(3, 0, "  taskflow:bad: a: b");
            return lines.join("\n");
        });
        expect(await plan(dir)).to.match(
            /^Pulumi\.us-east-1\.yaml: not valid YAML at line 4, column 17: Nested mappings/m,
        );
    });

    it("names Pulumi.yaml when the project file does not parse", async () => {
        const dir = withText("Pulumi.yaml", (t) => `${t}\n  bad: [unclosed\n`);
        expect(await plan(dir)).to.match(/^Pulumi\.yaml: not valid YAML at line \d+, column \d+/m);
    });

    it("says a required key is missing and which file it goes in", async () => {
        const dir = projectCopy("config-files-", (docs) => {
            delete docs["Pulumi.eu-west-1.yaml"].config["taskflow:role"];
        });
        const err = await plan(dir);
        expect(err).to.include(
            "taskflow:role: missing (it goes under `config:` in Pulumi.eu-west-1.yaml)",
        );
        expect(err).to.not.include("undefined");
    });

    it("says a missing field of an object value is missing, in which file and inside which key", async () => {
        const dir = projectCopy("config-files-", (docs) => {
            delete (topologyOf(docs) as Record<string, unknown>).domain;
        });
        expect(await plan(dir)).to.include(
            "taskflow:topology.domain: missing (it goes under `config:` in Pulumi.yaml, inside taskflow:topology)",
        );
    });

    it("names the stack file and the keys where its topology differs", async () => {
        const dir = projectCopy("config-files-", (docs) => {
            const own = JSON.parse(JSON.stringify(topologyOf(docs))) as ReturnType<
                typeof topologyOf
            >;
            own.regions[1].vpcCidr = "10.99.0.0/16";
            docs["Pulumi.eu-west-1.yaml"].config["taskflow:topology"] = own;
        });
        const err = await plan(dir);
        expect(err).to.match(/^Pulumi\.eu-west-1\.yaml: taskflow:topology differs between stacks/m);
        expect(err).to.match(
            /Pulumi\.eu-west-1\.yaml sets its own: regions\[1\]\.vpcCidr: "10\.99\.0\.0\/16" vs "10\.\d+\.0\.0\/16"/,
        );
    });

    it("refuses a secure: value by name: the offline plan cannot decrypt it", async () => {
        const dir = withText(
            "Pulumi.us-east-1.yaml",
            (t) => `${t}  taskflow:appImage:\n    secure: v1:c2VjcmV0\n`,
        );
        const err = await plan(dir);
        expect(err).to.match(
            /^Pulumi\.us-east-1\.yaml: taskflow:appImage is a secret \(`secure:`/m,
        );
        expect(err).to.include("cannot decrypt it");
    });

    it("refuses a secure: value in Pulumi.yaml by name, once: project config holds no secret", async () => {
        const dir = projectCopy("config-files-", (docs) => {
            docs["Pulumi.yaml"].config["taskflow:appImage"] = {
                type: "string",
                value: { secure: "v1:c2VjcmV0" },
            };
        });
        const err = await plan(dir);
        expect(err).to.match(
            /^Pulumi\.yaml: taskflow:appImage\.value is a secret \(`secure:`\), which project config cannot hold/m,
        );
        // not also as a value of the wrong type, nor per stack
        expect(err.split("\n").filter((l) => l.includes("taskflow:appImage"))).to.have.length(1);
    });

    it("refuses an ESC environment import by name: the offline plan cannot open it", async () => {
        const dir = withText(
            "Pulumi.eu-west-1.yaml",
            (t) => `${t}environment:\n  - taskflow/prod\n`,
        );
        const err = await plan(dir);
        expect(err).to.match(
            /^Pulumi\.eu-west-1\.yaml: imports the Pulumi ESC environment\(s\) \["taskflow\/prod"\]/m,
        );
    });

    it("refuses an ESC environment import in Pulumi.yaml, saying where Pulumi reads one", async () => {
        const dir = withText("Pulumi.yaml", (t) => `${t}\nenvironment:\n  - taskflow/prod\n`);
        const err = await plan(dir);
        expect(err).to.match(
            /^Pulumi\.yaml: imports the Pulumi ESC environment\(s\) \["taskflow\/prod"\], but Pulumi reads an `environment:` block from a stack's own file/m,
        );
    });

    it("reports a bad value every stack inherits from Pulumi.yaml once, as Pulumi.yaml's", async () => {
        const dir = projectCopy("config-files-", (docs) => {
            docs["Pulumi.yaml"].config["taskflow:rpoSeconds"] = { value: -5 };
        });
        const err = await plan(dir);
        expect(err.split("\n").filter((l) => l.includes("taskflow:rpoSeconds"))).to.deep.equal([
            "  - taskflow:rpoSeconds: -5 is not allowed; an integer from 1 to 300 is required",
        ]);
        expect(err).to.match(
            /invalid configuration for Pulumi\.yaml \(inherited by [a-z0-9-, ]+\)/,
        );
    });

    it("keeps a stack's own mistake with its stack", async () => {
        const dir = projectCopy("config-files-", (docs) => {
            docs["Pulumi.us-east-1.yaml"].config["taskflow:rpoSeconds"] = 0;
        });
        const err = await plan(dir);
        expect(err).to.include('invalid configuration for stack "us-east-1"');
        expect(err.split("\n").filter((l) => l.includes("taskflow:rpoSeconds"))).to.have.length(1);
    });
});
