/**
 * A loopback stand-in for AWS Fault Injection Service (moto has none): an HTTP server on
 * 127.0.0.1, on a free port, speaking FIS's REST-JSON protocol for the calls the drill runner
 * makes. Shapes from the FIS API reference:
 * - ListExperimentTemplates: `GET /experimentTemplates?maxResults=&nextToken=`, answers
 *   `{experimentTemplates: [{id, description, tags, ...}], nextToken}`
 *   (https://boto3.amazonaws.com/v1/documentation/api/1.28.24/reference/services/fis/client/list_experiment_templates.html);
 * - StartExperiment: `POST /experiments` with `{clientToken, experimentTemplateId, tags}`,
 *   answers `{experiment}` (https://docs.aws.amazon.com/goto/WebAPI/fis/StartExperiment);
 * - GetExperiment: `GET /experiments/{id}`, answers `{experiment}`
 *   (https://docs.aws.amazon.com/fis/latest/APIReference/API_GetExperiment.html);
 * - StopExperiment: `DELETE /experiments/{id}` (the path of @aws-sdk/client-fis's serializer;
 *   the API reference page was not found by the search tool).
 * Times are epoch seconds; statuses those of ExperimentState
 * (https://docs.aws.amazon.com/fis/latest/APIReference/API_ExperimentState.html). Errors carry
 * the `x-amzn-ErrorType` header, as REST-JSON services send them.
 */
import * as http from "http";
import type { AddressInfo } from "net";

export interface FakeTemplate {
    id: string;
    description?: string;
    tags: Record<string, string>;
}

export interface SeenRequest {
    method: string;
    path: string;
    query: Record<string, string>;
    body: unknown;
    authorization: string;
}

interface Run {
    id: string;
    templateId: string;
    clientToken: string;
    tags: Record<string, string>;
    status: string;
    reason?: string;
    startTime: number;
    endTime?: number;
    /** The statuses the next GetExperiment calls return, in order; the last one stays. */
    script: string[];
}

export interface FakeFis {
    endpoint: string;
    templates: FakeTemplate[];
    requests: SeenRequest[];
    /** What the next started experiment goes through, one GetExperiment call per entry. */
    script: { status: string; reason?: string }[];
    /** Page size of ListExperimentTemplates (FIS pages too; small here to exercise it). */
    pageSize: number;
    /** Forgets every experiment and request (a new test). */
    reset(): void;
    close(): Promise<void>;
}

/** Starts the server; `clock` stamps the experiments' start and end times. */
export async function startFakeFis(clock: () => Date): Promise<FakeFis> {
    const runs = new Map<string, Run>();
    const fis: FakeFis = {
        endpoint: "",
        templates: [],
        requests: [],
        script: [],
        pageSize: 2,
        reset() {
            runs.clear();
            reasons.clear();
            fis.requests.length = 0;
        },
        close: () =>
            new Promise((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
    const seconds = () => clock().getTime() / 1000;
    const experiment = (r: Run) => ({
        id: r.id,
        arn: `arn:aws:fis:eu-west-1:123456789012:experiment/${r.id}`,
        experimentTemplateId: r.templateId,
        state: { status: r.status, ...(r.reason ? { reason: r.reason } : {}) },
        creationTime: r.startTime,
        startTime: r.startTime,
        ...(r.endTime !== undefined ? { endTime: r.endTime } : {}),
        tags: r.tags,
    });
    const reasons = new Map<string, string | undefined>();
    const handle = (req: SeenRequest): [number, unknown, string?] => {
        if (req.method === "GET" && req.path === "/experimentTemplates") {
            const from = Number(req.query.nextToken ?? "0");
            const size = Math.min(Number(req.query.maxResults ?? "100"), fis.pageSize);
            const page = fis.templates.slice(from, from + size);
            const next = from + size < fis.templates.length ? String(from + size) : undefined;
            return [200, { experimentTemplates: page, ...(next ? { nextToken: next } : {}) }];
        }
        if (req.method === "POST" && req.path === "/experiments") {
            const body = req.body as {
                clientToken?: string;
                experimentTemplateId?: string;
                tags?: Record<string, string>;
            };
            if (!body.clientToken || body.clientToken.length > 1024 || !body.experimentTemplateId) {
                return [
                    400,
                    { message: "clientToken and experimentTemplateId are required" },
                    "ValidationException",
                ];
            }
            const same = [...runs.values()].find((r) => r.clientToken === body.clientToken);
            if (same) return [200, { experiment: experiment(same) }];
            if (!fis.templates.some((t) => t.id === body.experimentTemplateId)) {
                return [
                    404,
                    { message: `template ${body.experimentTemplateId} not found` },
                    "ResourceNotFoundException",
                ];
            }
            const id = `EXP${runs.size + 1}`;
            const script = fis.script.map((s) => s.status);
            fis.script.forEach((s) => reasons.set(`${id}:${s.status}`, s.reason));
            const run: Run = {
                id,
                templateId: body.experimentTemplateId,
                clientToken: body.clientToken,
                tags: body.tags ?? {},
                status: "initiating",
                startTime: seconds(),
                script,
            };
            runs.set(id, run);
            return [200, { experiment: experiment(run) }];
        }
        const m = /^\/experiments\/([^/]+)$/.exec(req.path);
        const run = m ? runs.get(decodeURIComponent(m[1])) : undefined;
        if (m && !run)
            return [404, { message: "experiment not found" }, "ResourceNotFoundException"];
        if (run && req.method === "GET") {
            const next = run.script.length > 1 ? run.script.shift()! : run.script[0];
            if (next && next !== run.status) {
                run.status = next;
                run.reason = reasons.get(`${run.id}:${next}`);
                if (["completed", "stopped", "failed", "cancelled"].includes(next))
                    run.endTime = seconds();
            }
            return [200, { experiment: experiment(run) }];
        }
        if (run && req.method === "DELETE") {
            run.status = "stopping";
            run.script = ["stopped"];
            reasons.set(`${run.id}:stopped`, "Experiment stopped by the user");
            return [200, { experiment: experiment(run) }];
        }
        return [
            404,
            { message: `no route ${req.method} ${req.path}` },
            "UnknownOperationException",
        ];
    };
    const server = http.createServer((incoming, res) => {
        let raw = "";
        incoming.on("data", (d) => (raw += String(d)));
        incoming.on("end", () => {
            const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
            const req: SeenRequest = {
                method: incoming.method ?? "",
                path: url.pathname,
                query: Object.fromEntries(url.searchParams),
                body: raw ? (JSON.parse(raw) as unknown) : undefined,
                authorization: String(incoming.headers.authorization ?? ""),
            };
            fis.requests.push(req);
            const [status, body, errorType] = handle(req);
            res.writeHead(status, {
                "content-type": "application/json",
                ...(errorType ? { "x-amzn-errortype": errorType } : {}),
            });
            res.end(JSON.stringify(body));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fis.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fis;
}
