/**
 * The policy pack served the way the Pulumi CLI serves it, and an engine-side client for it.
 *
 * The CLI starts a Node.js pack as the `pulumi-analyzer-policy` plugin, a shim that runs
 * `node @pulumi/pulumi/cmd/run-policy-pack <engine-address> .` with the pack directory as its
 * working directory (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go,
 * NewPolicyAnalyzer); run-policy-pack registers ts-node with type checking and requires the pack,
 * whose `new PolicyPack(...)` serves the Analyzer gRPC service and prints its port. The engine
 * then calls GetAnalyzerInfo, ConfigureStack, Configure (the policy config reconciled from the
 * schema defaults and `--policy-pack-config`, pkg/resource/analyzer/config.go
 * ReconcilePolicyPackConfig), Analyze for each resource with its inputs and provider, and
 * AnalyzeStack with every resource's state, provider, parent and dependencies.
 *
 * The pack runs in a child process: constructing a second PolicyPack in one process exits it
 * (TOOLCHAIN.md), and mocha would never exit with its server running.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { EngineResource, PlanLike } from "../../policies/engine";
import { engineView } from "../../policies/engine";
import { Violation } from "../../policies/offline";

const LEVEL: Record<number, Violation["level"] | "disabled" | "remediate"> = {
    [pb.EnforcementLevel.ADVISORY]: "advisory",
    [pb.EnforcementLevel.MANDATORY]: "mandatory",
    [pb.EnforcementLevel.DISABLED]: "disabled",
    [pb.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_OF: Record<string, pb.EnforcementLevel> = {
    advisory: pb.EnforcementLevel.ADVISORY,
    mandatory: pb.EnforcementLevel.MANDATORY,
    disabled: pb.EnforcementLevel.DISABLED,
    remediate: pb.EnforcementLevel.REMEDIATE,
};

type Obj = Record<string, unknown>;

/** Plain JSON (the engine marshals no `undefined`). */
const json = (v: unknown): Obj => JSON.parse(JSON.stringify(v ?? {})) as Obj;
const struct = (v: unknown): Struct => Struct.fromJavaScript(json(v) as never);

function call<Req, Res>(
    client: grpc.Client,
    method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
    req: Req,
): Promise<Res> {
    return new Promise((resolve, reject) =>
        method.call(client, req, (err: grpc.ServiceError | null, res: Res) =>
            err ? reject(err) : resolve(res),
        ),
    );
}

export interface PolicyInfo {
    name: string;
    enforcementLevel: string;
    configSchema?: { properties: Record<string, Obj>; required: string[] };
}

export class Analyzer {
    private readonly child: ChildProcess;
    private client?: analyzerGrpc.AnalyzerClient;
    private stderr = "";
    private readonly cache = new Map<string, Violation[]>();
    private readonly stackResources = new Map<string, Buffer>();
    private description = new Map<string, string>();

    private constructor(child: ChildProcess) {
        this.child = child;
        child.stderr?.on("data", (d: Buffer) => (this.stderr += d.toString()));
    }

    /** Starts the pack in `packDir` as the CLI does and connects to it. */
    static async start(packDir: string, timeoutMs = 180000): Promise<Analyzer> {
        const runPolicyPack = path.dirname(
            require.resolve("@pulumi/pulumi/cmd/run-policy-pack/index.js", { paths: [packDir] }),
        );
        if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml")))
            throw new Error(`${packDir} is not a policy pack (no PulumiPolicy.yaml)`);
        // The engine address is not dialled by a pack that logs nothing; the CLI passes its own.
        const env = { ...process.env };
        delete env.TS_NODE_TRANSPILE_ONLY;
        const child = spawn(process.execPath, [runPolicyPack, "127.0.0.1:1", "."], {
            cwd: packDir,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const a = new Analyzer(child);
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(
                () =>
                    reject(
                        new Error(`the pack did not serve within ${timeoutMs} ms:\n${a.stderr}`),
                    ),
                timeoutMs,
            );
            child.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            child.once("exit", (code) => {
                clearTimeout(timer);
                reject(
                    new Error(`the pack exited with ${code} before serving:\n${out}\n${a.stderr}`),
                );
            });
        });
        a.client = new analyzerGrpc.AnalyzerClient(
            `127.0.0.1:${port}`,
            grpc.credentials.createInsecure(),
            { "grpc.max_receive_message_length": 400 * 1024 * 1024 },
        );
        return a;
    }

    /** Stops the pack (by its PID) and closes the connection. */
    stop(): void {
        this.client?.close();
        if (this.child.exitCode === null && this.child.pid) process.kill(this.child.pid);
    }

    get logs(): string {
        return this.stderr;
    }

    private get c(): analyzerGrpc.AnalyzerClient {
        if (!this.client) throw new Error("analyzer not started");
        return this.client;
    }

    async info(): Promise<{ name: string; supportsConfig: boolean; policies: PolicyInfo[] }> {
        const res = await call<Empty, pb.AnalyzerInfo>(this.c, this.c.getAnalyzerInfo, new Empty());
        const policies = res.getPoliciesList().map((p) => {
            const schema = p.getConfigschema();
            return {
                name: p.getName(),
                enforcementLevel: LEVEL[p.getEnforcementlevel()],
                configSchema: schema
                    ? {
                          properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<
                              string,
                              Obj
                          >,
                          required: schema.getRequiredList(),
                      }
                    : undefined,
            };
        });
        for (const p of res.getPoliciesList())
            this.description.set(p.getName(), p.getDescription());
        return { name: res.getName(), supportsConfig: res.getSupportsconfig(), policies };
    }

    async configureStack(stack: string, project: string, organization: string): Promise<void> {
        const req = new pb.AnalyzerStackConfigureRequest();
        req.setStack(stack);
        req.setProject(project);
        req.setOrganization(organization);
        req.setDryRun(true);
        await call(this.c, this.c.configureStack, req);
    }

    /**
     * Configures the pack as the CLI does for `--policy-pack-config <file>`: every policy gets its
     * schema defaults and its own enforcement level, then the file's entries ("all" first, then
     * per policy: a level, or an object of properties with an optional `enforcementLevel`).
     */
    async configure(policies: PolicyInfo[], file: Obj): Promise<void> {
        const result = new Map<string, { level: string; props?: Obj }>();
        for (const p of policies) {
            const defaults = Object.entries(p.configSchema?.properties ?? {})
                .filter(([, s]) => "default" in s)
                .map(([k, s]) => [k, s["default"]]);
            result.set(p.name, {
                level: p.enforcementLevel,
                props: defaults.length > 0 ? Object.fromEntries(defaults) : undefined,
            });
        }
        const given = new Map<string, { level?: string; props?: Obj }>();
        for (const [k, v] of Object.entries(file)) {
            if (typeof v === "string") given.set(k, { level: v });
            else {
                const { enforcementLevel, ...props } = v as Obj;
                given.set(k, {
                    level: enforcementLevel as string | undefined,
                    props: Object.keys(props).length > 0 ? props : undefined,
                });
            }
        }
        const all = given.get("all");
        if (all?.level) for (const [k, v] of result) result.set(k, { ...v, level: all.level });
        for (const [k, g] of given) {
            const r = result.get(k) ?? { level: "" };
            result.set(k, {
                level: g.level ?? r.level,
                props: g.props ? { ...(r.props ?? {}), ...g.props } : r.props,
            });
        }
        this.cache.clear();
        const req = new pb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [k, v] of result) {
            const pc = new pb.PolicyConfig();
            pc.setEnforcementlevel(LEVEL_OF[v.level]);
            pc.setProperties(struct(v.props ?? {}));
            map.set(k, pc);
        }
        await call(this.c, this.c.configure, req);
    }

    private diagnostics(res: pb.AnalyzeResponse, fallbackUrn: string | null): Violation[] {
        return res.getDiagnosticsList().map((d) => {
            const description = d.getDescription();
            const msg = d.getMessage();
            // The SDK prefixes a reported message with the policy's description and a newline.
            const message =
                description && msg.startsWith(`${description}\n`)
                    ? msg.slice(description.length + 1)
                    : msg;
            return {
                policy: d.getPolicyname(),
                level: LEVEL[d.getEnforcementlevel()] as Violation["level"],
                urn: d.getUrn() || fallbackUrn,
                message,
            };
        });
    }

    private provider(r: EngineResource): pb.AnalyzerProviderResource | undefined {
        if (!r.provider) return undefined;
        const p = new pb.AnalyzerProviderResource();
        p.setType(r.provider.type);
        p.setUrn(r.provider.urn);
        p.setName(r.provider.name);
        p.setProperties(struct(r.provider.inputs));
        return p;
    }

    private options(r: EngineResource): pb.AnalyzerResourceOptions {
        const o = new pb.AnalyzerResourceOptions();
        o.setProtect(r.protect);
        o.setIgnorechangesList(r.ignoreChanges);
        if (r.parent) o.setParent(r.parent);
        return o;
    }

    /**
     * `Analyze` of one resource (inputs); identical requests are answered from a cache. The key is
     * the JSON of every field the request is built from (equal keys, equal bytes on the wire), so
     * a hit builds no protobuf message: the catalogue's cases send each stack's unchanged
     * resources again and again.
     */
    async analyze(r: EngineResource): Promise<Violation[]> {
        const key = JSON.stringify([
            r.type,
            r.name,
            r.urn,
            r.inputs,
            r.protect,
            r.ignoreChanges,
            r.parent,
            r.provider && [r.provider.type, r.provider.urn, r.provider.name, r.provider.inputs],
        ]);
        const hit = this.cache.get(key);
        if (hit) return hit;
        const req = new pb.AnalyzeRequest();
        req.setType(r.type);
        req.setName(r.name);
        req.setUrn(r.urn);
        req.setProperties(struct(r.inputs));
        req.setOptions(this.options(r));
        const provider = this.provider(r);
        if (provider) req.setProvider(provider);
        const res = await call<pb.AnalyzeRequest, pb.AnalyzeResponse>(this.c, this.c.analyze, req);
        const out = this.diagnostics(res, r.urn);
        this.cache.set(key, out);
        return out;
    }

    /** `AnalyzeStack` of every resource of the stack (state, provider, parent, dependencies). */
    async analyzeStack(resources: EngineResource[]): Promise<Violation[]> {
        const req = new pb.AnalyzeStackRequest();
        // The request's only field is `repeated AnalyzerResource resources = 1`, whose wire format
        // is each resource's field key, length and bytes one after the other: the bytes protobuf
        // would write, from the bytes of each resource, serialized once.
        const bytes = Buffer.concat(resources.map((r) => this.stackResource(r)));
        req.serializeBinary = () => bytes;
        const res = await call<pb.AnalyzeStackRequest, pb.AnalyzeResponse>(
            this.c,
            this.c.analyzeStack,
            req,
        );
        return this.diagnostics(res, null);
    }

    /**
     * One resource of an AnalyzeStack request. The catalogue's cases edit one or two resources of
     * a stack, so the message of every unchanged resource is built once (identical bytes on the
     * wire; building the protobuf Structs is most of this process's time).
     */
    private stackResource(r: EngineResource): Buffer {
        const key = JSON.stringify(r);
        const hit = this.stackResources.get(key);
        if (hit) return hit;
        const body = this.buildStackResource(r).serializeBinary();
        // Field 1, wire type 2 (length-delimited): key byte 0x0a, then the length as a varint.
        const head = [0x0a];
        for (let n = body.length; ; n >>>= 7) {
            if (n < 0x80) {
                head.push(n);
                break;
            }
            head.push((n & 0x7f) | 0x80);
        }
        const built = Buffer.concat([Buffer.from(head), body]);
        this.stackResources.set(key, built);
        return built;
    }

    private buildStackResource(r: EngineResource): pb.AnalyzerResource {
        const a = new pb.AnalyzerResource();
        a.setType(r.type);
        a.setName(r.name);
        a.setUrn(r.urn);
        a.setProperties(struct(r.state));
        a.setOptions(this.options(r));
        const provider = this.provider(r);
        if (provider) a.setProvider(provider);
        if (r.parent) a.setParent(r.parent);
        a.setDependenciesList(r.dependencies);
        const deps = a.getPropertydependenciesMap();
        for (const [k, urns] of Object.entries(r.propertyDependencies)) {
            if (urns.length === 0) continue;
            const d = new pb.AnalyzerPropertyDependencies();
            d.setUrnsList(urns);
            deps.set(k, d);
        }
        return a;
    }

    /**
     * The verdicts on one planned stack, as `pulumi preview` of it gets them: Analyze for every
     * registered resource, then AnalyzeStack over the whole deployment.
     */
    async verdicts(plan: PlanLike): Promise<Violation[]> {
        const view = engineView(plan);
        const out: Violation[] = [];
        const results = await Promise.all(
            view.filter((r) => r.registered).map((r) => this.analyze(r)),
        );
        for (const r of results) out.push(...r);
        out.push(...(await this.analyzeStack(view)));
        return out;
    }
}
