/**
 * `npm run deploy`'s Lambda concurrency preflight. AWS refuses a reservation that leaves an
 * account fewer than 100 unreserved executions in the region
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html,
 * https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html); moto_server
 * models that rule when MOTO_LAMBDA_CONCURRENCY_QUOTA is set, but has no GetAccountSettings
 * (HTTP 404), so the quota itself comes from a loopback server speaking Lambda's REST protocol.
 */
import * as http from "http";
import { AddressInfo } from "net";
import {
    CreateFunctionCommand,
    LambdaClient,
    PutFunctionConcurrencyCommand,
} from "@aws-sdk/client-lambda";
import { expect } from "chai";
import type { StackConfig } from "../../config/types";
import { lambdaQuotaPreflight } from "../../delivery/lambda-quota";
import { lambdaQuotaPort } from "../../ops/aws/lambda-quota";
import { REPO_ROOT, readProjectFiles, validateAll } from "../../plan/run";
import { Moto, startMoto } from "../ops/moto";

const REGION = "ap-northeast-1";
const FN = "taskflow-prod-night-mode";

/** The repository's configs, the global stack's night mode reserving `reserve`. */
function configsWith(reserve: number | undefined): Record<string, StackConfig> {
    const configs = validateAll(readProjectFiles(REPO_ROOT));
    const global = Object.values(configs).find((c) => c.role === "global")!;
    global.nightMode = { ...global.nightMode, reservedConcurrency: reserve };
    if (reserve === undefined) delete global.nightMode.reservedConcurrency;
    return configs;
}

describe("delivery: the Lambda concurrency preflight", function () {
    this.timeout(30000);

    describe("against moto_server (a 10-execution account)", () => {
        let moto: Moto;
        before(async () => {
            moto = await startMoto({ MOTO_LAMBDA_CONCURRENCY_QUOTA: "10" });
            const form = new URLSearchParams({
                Action: "CreateRole",
                Version: "2010-05-08",
                RoleName: "controller",
                AssumeRolePolicyDocument: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "lambda.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
            });
            const res = await fetch(`${moto.endpoint}/`, {
                method: "POST",
                headers: {
                    "content-type": "application/x-www-form-urlencoded",
                    authorization:
                        "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x",
                },
                body: form.toString(),
            });
            expect(res.status, await res.text()).to.equal(200);
        });
        after(async () => moto?.stop());

        it("refuses a reservation that leaves fewer than 100 unreserved, as AWS does", async () => {
            const lambda = new LambdaClient({
                region: REGION,
                endpoint: moto.endpoint,
                credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
                maxAttempts: 1,
            });
            try {
                await lambda.send(
                    new CreateFunctionCommand({
                        FunctionName: FN,
                        Runtime: "nodejs22.x",
                        Handler: "index.handler",
                        Role: "arn:aws:iam::123456789012:role/controller",
                        // An empty zip archive (end-of-central-directory record only).
                        Code: {
                            ZipFile: Buffer.concat([Buffer.from("PK\x05\x06"), Buffer.alloc(18)]),
                        },
                    }),
                );
                const err = await lambda
                    .send(
                        new PutFunctionConcurrencyCommand({
                            FunctionName: FN,
                            ReservedConcurrentExecutions: 1,
                        }),
                    )
                    .then(
                        () => undefined,
                        (e: Error) => e,
                    );
                expect(err?.message).to.match(/below its minimum value of \[100\]/);
            } finally {
                lambda.destroy();
            }
        });

        it("reads the function's reservation, and fails closed when the quota cannot be read", async () => {
            const port = lambdaQuotaPort({ endpoint: moto.endpoint });
            try {
                expect(await port.reservation(REGION, FN)).to.equal(undefined);
                expect(await port.reservation(REGION, "no-such-function")).to.equal(undefined);
                const r = await lambdaQuotaPreflight(configsWith(1), port);
                expect(r.ok).to.equal(false);
                expect(r.line).to.include("cannot read the quota in ap-northeast-1");
                expect(r.line).to.include("lambda:GetAccountSettings");
            } finally {
                port.destroy();
            }
        });
    });

    describe("against Lambda's REST protocol on loopback", () => {
        let server: http.Server;
        let limit = { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 };
        let reserved: number | undefined;
        const paths: string[] = [];
        let endpoint = "";
        before(async () => {
            server = http.createServer((req, res) => {
                req.resume();
                paths.push(`${req.method} ${req.url}`);
                res.setHeader("content-type", "application/json");
                if (req.url === "/2016-08-19/account-settings") {
                    res.end(JSON.stringify({ AccountLimit: limit, AccountUsage: {} }));
                } else if (req.url === `/2019-09-30/functions/${FN}/concurrency`) {
                    if (reserved === undefined) {
                        res.writeHead(404, { "x-amzn-errortype": "ResourceNotFoundException" });
                        res.end(JSON.stringify({ message: `Function not found: ${FN}` }));
                    } else res.end(JSON.stringify({ ReservedConcurrentExecutions: reserved }));
                } else {
                    res.writeHead(400);
                    res.end("{}");
                }
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        });
        after(() => new Promise<void>((resolve) => server.close(() => resolve())));
        beforeEach(() => {
            paths.length = 0;
            reserved = undefined;
        });

        const check = async (reserve: number | undefined) => {
            const port = lambdaQuotaPort({ endpoint });
            try {
                return await lambdaQuotaPreflight(configsWith(reserve), port);
            } finally {
                port.destroy();
            }
        };

        it("asks AWS nothing when no reservation is configured (the default)", async () => {
            const r = await check(undefined);
            expect(r).to.deep.equal({
                ok: true,
                line: "Lambda concurrency: the night-mode controller reserves none (taskflow:nightMode.reservedConcurrency unset)",
            });
            expect(paths).to.deep.equal([]);
        });

        it("refuses a reservation in a new account (10 in all), naming the key and what is allowed", async () => {
            limit = { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 };
            const r = await check(1);
            expect(r.ok).to.equal(false);
            expect(r.line).to.include("taskflow:nightMode.reservedConcurrency = 1");
            expect(r.line).to.include("at most 0 here");
            expect(paths).to.deep.equal([
                "GET /2016-08-19/account-settings",
                `GET /2019-09-30/functions/${FN}/concurrency`,
            ]);
        });

        it("accepts it where 100 stay unreserved, counting the controller's own reservation", async () => {
            limit = { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 };
            expect((await check(2)).ok).to.equal(true);
            // 101 in all, 1 already reserved by the controller: 100 unreserved stay.
            limit = { ConcurrentExecutions: 101, UnreservedConcurrentExecutions: 100 };
            reserved = 1;
            expect(await check(1)).to.deep.include({ ok: true });
            // Raising it to 2 would leave 99.
            expect((await check(2)).ok).to.equal(false);
        });
    });
});
