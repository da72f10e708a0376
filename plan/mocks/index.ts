/**
 * The one mocks helper shared by the offline plan and the tests.
 *
 * It records every registered resource — type, name, inputs (Outputs resolved), effective region,
 * provider region, parent and resource options — and synthesizes realistic, deterministic
 * outputs (ids, ARNs, DNS names) so that two plans of the same sources are identical. It throws on
 * any provider function (invoke) it was not told about, so nothing passes on a silently faked call.
 *
 * | module | what it holds |
 * |---|---|
 * | services/<service>.ts | the ids, ARNs and outputs of that service's resource types, and its secret outputs |
 * | invokes.ts | the provider functions the program may call, with their results |
 * | stack-references.ts | what a StackReference reads: the upstream stack's planned outputs |
 * | secrets.ts | Pulumi's wire wrappers (secrets, resource references), unwrapped |
 * | context.ts | what a synthesizer is given |
 */
import * as pulumi from "@pulumi/pulumi";
import { MOCK_ACCOUNT_ID, SynthContext, digest } from "./context";
import { INVOKES } from "./invokes";
import { secretPathsOf, unwrap } from "./secrets";
import { GLOBAL_TYPE_PREFIXES, SECRET_OUTPUTS, SYNTHESIZERS, arnServiceOf } from "./services";
import { STACK_REFERENCE, stackReferenceState } from "./stack-references";
import { skipPromiseStacks } from "./promise-stacks";
import { propertyDependenciesOf, providerUrnOf } from "./registration";

export { MOCK_ACCOUNT_ID, type ServiceMocks, type SynthContext, type Synthesizer } from "./context";
export { ELB_ACCOUNT_IDS, INVOKES, type InvokeHandler } from "./invokes";
export { UNKNOWN, secretPathsOf, unwrap } from "./secrets";
export {
    ALB_ZONE_IDS,
    CLOUDFRONT_ZONE_ID,
    GLOBAL_ACCELERATOR_ZONE_ID,
    SECRET_OUTPUTS,
    SYNTHESIZERS,
} from "./services";

/** Resource options as the engine receives them. */
export interface RecordedOptions {
    protect: boolean;
    ignoreChanges: string[];
    dependsOn: string[];
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
}

/** One registered resource, as the plan file shows it (see docs/plan-format.md). */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    id: string | null;
    /** Effective region; "global" for global services and non-AWS resources; null for components. */
    region: string | null;
    /** Region of the AWS provider used (explicit or default); null for non-AWS resources. */
    providerRegion: string | null;
    parent: string | null;
    /** URN of the explicit provider the resource is created with; null for the default provider. */
    provider: string | null;
    /** Whether a component is a remote component (constructed by a provider plugin, e.g. awsx). */
    remote: boolean;
    /** Top-level input → URNs of the resources its value came from (the engine's property dependencies). */
    propertyDependencies: Record<string, string[]>;
    /** Inputs with Outputs resolved and secrets unwrapped (see `secretPaths`). */
    inputs: Record<string, unknown>;
    /** Synthesized output properties that are not among the inputs. */
    outputs: Record<string, unknown>;
    options: RecordedOptions;
    /** Dotted paths of `inputs` whose values were secret (where the program made them secret). */
    secretPaths: string[];
    /** Dotted paths of `outputs` that are secret (additionalSecretOutputs, SECRET_OUTPUTS). */
    secretOutputPaths: string[];
}

/**
 * A resource the program read instead of registering: today only StackReferences (an existing
 * resource read by id). Planned resources' `dependsOn` may name their URNs.
 */
export interface RecordedRead {
    urn: string;
    type: string;
    name: string;
    /** The id it was read by (for a StackReference, the fully-qualified stack name). */
    id: string;
    parent: string | null;
    /** The read's inputs (for a StackReference, `name`); no outputs: they are the upstream's. */
    inputs: Record<string, unknown>;
}

/** Options for one mocked program run. */
export interface RecordingMocksOptions {
    project: string;
    stack: string;
    /** The stack's `aws:region`: the default provider's region. */
    awsRegion: string;
    /** Outputs of other stacks, by fully-qualified name (org/project/stack), for StackReferences. */
    stackOutputs?: Record<string, Record<string, unknown>>;
    /** Names of those stacks' secret outputs: a StackReference reports them as secret. */
    stackSecretOutputs?: Record<string, string[]>;
}

/**
 * Records and synthesizes resources for one mocked program run. Install with `install()`, which
 * calls `pulumi.runtime.setMocks` and taps the mock monitor so resource options are recorded too.
 */
export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    /** Resources read rather than registered (StackReferences). */
    readonly reads: RecordedRead[] = [];
    readonly stackReferences: string[] = [];
    /** Errors raised inside the mocks (unknown invokes, missing stack outputs). */
    readonly errors: Error[] = [];
    private readonly providerRegions = new Map<string, string>();

    constructor(readonly options: RecordingMocksOptions) {}

    /** Configures the Pulumi runtime to use these mocks (call before importing/running the program). */
    async install(org?: string): Promise<void> {
        skipPromiseStacks();
        await pulumi.runtime.setMocks(this, this.options.project, this.options.stack, false, org);
        // The mock monitor passes only type/name/inputs/provider to `newResource`; tap it to see
        // the whole request (parent, protect, ignoreChanges, dependencies, retainOnDelete).
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const monitor = (pulumi.runtime as any).getMonitor();
        const original = monitor.registerResource.bind(monitor);
        /* eslint-disable @typescript-eslint/no-explicit-any */
        monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) => {
            original(req, (err: unknown, resp: any) => {
                if (!err && resp) this.record(req, resp);
                callback(err, resp);
            });
        };
        const originalRead = monitor.readResource.bind(monitor);
        monitor.readResource = (req: any, callback: (err: unknown, resp: any) => void) => {
            originalRead(req, (err: unknown, resp: any) => {
                /* eslint-enable @typescript-eslint/no-explicit-any */
                if (!err && resp) {
                    const inputs = unwrap(
                        pulumi.runtime.deserializeProperties(req.getProperties()),
                    ) as Record<string, unknown>;
                    for (const k of Object.keys(inputs))
                        if (inputs[k] === undefined) delete inputs[k];
                    this.reads.push({
                        urn: resp.getUrn(),
                        type: req.getType(),
                        name: req.getName(),
                        id: req.getId(),
                        parent: req.getParent() || null,
                        inputs,
                    });
                }
                callback(err, resp);
            });
        };
    }

    private hashFor(type: string, name: string) {
        return (salt = "", length = 8) => {
            let h = digest(this.options.stack, type, name, salt);
            while (h.length < length) h += digest(h);
            return h.slice(0, length);
        };
    }

    private regionOf(
        type: string,
        custom: boolean,
        providerRegion: string | null,
        inputs: Record<string, unknown>,
    ): string | null {
        if (!custom) return null;
        if (type.startsWith("pulumi:providers:"))
            return typeof inputs.region === "string" ? inputs.region : null;
        if (type === STACK_REFERENCE) return null;
        if (!type.startsWith("aws:")) return "global";
        if (GLOBAL_TYPE_PREFIXES.some((p) => type.startsWith(p))) return "global";
        if (typeof inputs.region === "string" && inputs.region !== "") return inputs.region;
        return providerRegion;
    }

    private providerRegionOf(type: string, providerRef: string): string | null {
        if (!type.startsWith("aws:")) return null;
        if (!providerRef) return this.options.awsRegion;
        const urn = providerRef.slice(0, providerRef.lastIndexOf("::"));
        return this.providerRegions.get(urn) ?? this.options.awsRegion;
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private record(req: any, resp: any): void {
        const type: string = req.getType();
        const name: string = req.getName();
        const custom: boolean = req.getCustom();
        const urn: string = resp.getUrn();
        const secretPaths = secretPathsOf(req.getObject().toJavaScript());
        const inputs = unwrap(pulumi.runtime.deserializeProperties(req.getObject())) as Record<
            string,
            unknown
        >;
        const state = unwrap(pulumi.runtime.deserializeProperties(resp.getObject())) as Record<
            string,
            unknown
        >;
        const providerRegion = this.providerRegionOf(type, req.getProvider());
        if (type.startsWith("pulumi:providers:") && typeof inputs.region === "string") {
            this.providerRegions.set(urn, inputs.region);
        }
        const outputs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(state)) {
            if (v !== undefined && JSON.stringify(inputs[k]) !== JSON.stringify(v)) outputs[k] = v;
        }
        const secretOutputs = new Set<string>([
            ...req.getAdditionalsecretoutputsList(),
            ...(SECRET_OUTPUTS[type] ?? []),
        ]);
        const secretOutputPaths = [
            ...Object.keys(outputs).filter((k) => secretOutputs.has(k)),
            ...secretPathsOf(resp.getObject().toJavaScript()).filter(
                (p) => !secretOutputs.has(p.split(/[.[]/)[0]) && p.split(/[.[]/)[0] in outputs,
            ),
        ];
        this.resources.push({
            urn,
            type,
            name,
            custom,
            id: resp.getId() || null,
            region: this.regionOf(type, custom, providerRegion, inputs),
            providerRegion: custom ? providerRegion : null,
            parent: req.getParent() || null,
            provider: providerUrnOf(req.getProvider()),
            remote: req.getRemote() === true,
            propertyDependencies: propertyDependenciesOf(req),
            inputs,
            outputs,
            options: {
                protect: req.getProtect() === true,
                ignoreChanges: [...req.getIgnorechangesList()],
                dependsOn: [...req.getDependenciesList()],
                retainOnDelete: req.getRetainondelete() === true,
                deleteBeforeReplace: req.getDeletebeforereplace() === true,
            },
            secretPaths,
            secretOutputPaths,
        });
    }

    newResource(args: pulumi.runtime.MockResourceArgs): {
        id: string | undefined;
        state: Record<string, unknown>;
    } {
        const inputs = unwrap(args.inputs) as Record<string, unknown>;
        if (args.id && args.type !== STACK_REFERENCE) {
            // Resource.get() (or the `import` option): the state would come from the cloud, and a
            // synthesized one would let the plan pass on values nobody looked up.
            this.fail(
                `unexpected read of an existing resource ${args.type} "${args.name}" (id ${JSON.stringify(args.id)}): the offline plan cannot read cloud state (Resource.get, the import option); look it up with an invoke the mocks answer (plan/mocks/invokes.ts) or pass the value in config`,
            );
        }
        if (args.type === STACK_REFERENCE) {
            const ref = String(inputs.name);
            const state = stackReferenceState(ref, args.inputs, this.options);
            if ("error" in state) this.fail(state.error);
            if (!this.stackReferences.includes(ref)) this.stackReferences.push(ref);
            return { id: ref, state: state.state };
        }
        if (args.type.startsWith("pulumi:providers:")) {
            return {
                id: `prov-${typeof inputs.region === "string" ? inputs.region : "default"}`,
                state: args.inputs,
            };
        }
        return this.synthesize(args, inputs);
    }

    /** Records an error raised inside the mocks and throws it (the run fails naming it). */
    private fail(message: string): never {
        const err = new Error(message);
        this.errors.push(err);
        throw err;
    }

    /** The id and state of a resource: its service's synthesizer, else a generic id and ARN. */
    private synthesize(
        args: pulumi.runtime.MockResourceArgs,
        inputs: Record<string, unknown>,
    ): { id: string | undefined; state: Record<string, unknown> } {
        const providerRegion = this.providerRegionOf(args.type, args.provider ?? "");
        const region =
            this.regionOf(args.type, args.custom !== false, providerRegion, inputs) ??
            this.options.awsRegion;
        const hash = this.hashFor(args.type, args.name);
        const physicalName = `${args.name}-${hash("name", 7)}`;
        const synthRegion =
            region === "global" ? (providerRegion ?? this.options.awsRegion) : region;
        const ctx: SynthContext = {
            type: args.type,
            name: args.name,
            inputs,
            region: synthRegion,
            stack: this.options.stack,
            hash,
            physicalName,
            arn: (part?: string) => {
                const svc = arnServiceOf(args.type);
                const r = region === "global" ? "" : synthRegion;
                const m = /:([A-Za-z0-9]+)$/.exec(args.type);
                return `arn:aws:${svc}:${r}:${MOCK_ACCOUNT_ID}:${part ?? `${(m ? m[1] : "resource").toLowerCase()}/${physicalName}`}`;
            },
        };
        const synth = SYNTHESIZERS[args.type];
        const extra = synth ? synth(ctx) : {};
        const generic: Record<string, unknown> = args.type.startsWith("aws:")
            ? { arn: ctx.arn() }
            : {};
        const id =
            args.custom === false
                ? undefined
                : (extra.id ??
                  (args.type.startsWith("aws:") ? physicalName : `${args.name}-${hash("id", 8)}`));
        return { id, state: { ...args.inputs, ...generic, ...(extra.outputs ?? {}) } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const handler = INVOKES[args.token];
        if (!handler) {
            this.fail(
                `unexpected invoke ${args.token}(${JSON.stringify(unwrap(args.inputs))}): the offline plan only answers ${Object.keys(INVOKES).join(", ")}; add a realistic handler to plan/mocks/invokes.ts`,
            );
        }
        const inputs = unwrap(args.inputs) as Record<string, unknown>;
        const region =
            (typeof inputs.region === "string" && inputs.region) ||
            this.providerRegionOf("aws:x", args.provider ?? "") ||
            this.options.awsRegion;
        return handler(inputs, {
            stack: this.options.stack,
            region,
            hash: (salt, n = 8) => digest(salt).slice(0, n),
        });
    }

    // ---- queries used by tests -----------------------------------------------------------

    /** Resources of a type token (e.g. "aws:lb/listener:Listener"). */
    ofType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource with this logical name (throws when absent or ambiguous). */
    named(name: string, type?: string): RecordedResource {
        const found = this.resources.filter((r) => r.name === name && (!type || r.type === type));
        if (found.length !== 1)
            throw new Error(
                `expected one resource named ${name}${type ? ` of type ${type}` : ""}, found ${found.length}`,
            );
        return found[0];
    }
}
