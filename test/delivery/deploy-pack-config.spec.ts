// `npm run deploy` runs every preview and update with the policy pack and the committed pack
// config, the same file `npm run plan` and the workflows use. The Pulumi CLI is replaced by a
// recording stand-in on PATH: the Automation API's command lines are what the test reads. A wave
// deploy first reads the rollout state from SSM; a local endpoint answers that there is none
// (ParameterNotFound, the AWS JSON 1.1 error shape).

import { spawn } from "child_process";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { expect } from "chai";
import { REPO_ROOT } from "./fixtures";
import { tempDir } from "../helpers/tmp";
import { fakePulumiBin, recordedCalls } from "./fake-pulumi";

describe("delivery: npm run deploy passes the committed pack config", function () {
    this.timeout(120000);
    // Made in `before`: a spec's removeTempDirs in another file may run between definition and use.
    let bin: string;
    let home: string;

    let ssm: http.Server;
    before(async () => {
        bin = fakePulumiBin();
        home = tempDir("deploy-home-");
        ssm = http.createServer((req, res) => {
            req.resume();
            req.on("end", () => {
                res.writeHead(400, {
                    "content-type": "application/x-amz-json-1.1",
                    "x-amzn-errortype": "ParameterNotFound",
                });
                res.end(JSON.stringify({ __type: "ParameterNotFound", message: "none" }));
            });
        });
        await new Promise<void>((resolve) => ssm.listen(0, "127.0.0.1", resolve));
    });
    after(() => new Promise<void>((resolve) => ssm.close(() => resolve())));

    async function deploy(...args: string[]): Promise<string[][]> {
        const log = path.join(tempDir("fake-pulumi-log-"), "calls.jsonl");
        const env: NodeJS.ProcessEnv = {};
        for (const [k, v] of Object.entries(process.env))
            if (!/^(AWS_|PULUMI_)/.test(k) && v !== undefined) env[k] = v;
        Object.assign(env, {
            PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
            HOME: home,
            FAKE_PULUMI_LOG: log,
            PULUMI_ACCESS_TOKEN: "fake",
            AWS_ACCESS_KEY_ID: "fake",
            AWS_SECRET_ACCESS_KEY: "fake",
            AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${(ssm.address() as AddressInfo).port}`,
        });
        const child = spawn(
            process.execPath,
            ["-r", "./scripts/register.js", "scripts/deploy.ts", ...args],
            { cwd: REPO_ROOT, env },
        );
        let out = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (out += d.toString()));
        const status = await new Promise<number | null>((resolve) => child.on("exit", resolve));
        expect(status, out).to.equal(0);
        return recordedCalls(log);
    }

    const pack = path.join(REPO_ROOT, "policies");
    const config = path.join(pack, "policy-config.json");
    const passesPack = (call: string[]) => {
        const i = call.indexOf("--policy-pack");
        const j = call.indexOf("--policy-pack-config");
        return i >= 0 && call[i + 1] === pack && j >= 0 && call[j + 1] === config;
    };

    it("previews with --policy-pack policies --policy-pack-config policies/policy-config.json", async () => {
        const calls = await deploy("--preview", "--stacks", "eu-west-1");
        const previews = calls.filter((c) => c[0] === "preview");
        expect(previews).to.have.length(1);
        expect(passesPack(previews[0]), JSON.stringify(previews[0])).to.equal(true);
    });

    it("gates and updates with the same pack and config", async () => {
        const calls = await deploy("--stacks", "eu-west-1");
        const ops = calls.filter((c) => c[0] === "preview" || c[0] === "up");
        expect(ops.map((c) => c[0])).to.deep.equal(["preview", "up"]);
        for (const c of ops) expect(passesPack(c), JSON.stringify(c)).to.equal(true);
    });
});
