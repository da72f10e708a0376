/**
 * The real program's first `pulumi preview --policy-pack policies` of brand-new stacks, as far as
 * it can be reproduced offline: each stack runs under the mocks in preview mode, with its
 * upstream stacks already deployed (their StackReference outputs known, as when the stacks are
 * deployed in order) and nothing of its own created yet, so every output of its own resources (a
 * KMS key's ARN included) is unknown. What the SDK sends the engine for each resource (inputs
 * carrying the unknown sentinel, and the property dependencies) is what the policies judge,
 * behind the policy SDK's unknown-checking proxy.
 *
 * Approximations: stack policies see each resource's inputs (the engine hands them the planned
 * state, which for a resource being created is its inputs plus unknown computed outputs), and
 * each stack's default AWS provider is added by hand (the engine creates it, not the program).
 */
import { expect } from "chai";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
    unknownCheckingProxy,
} from "@pulumi/policy";
import { stackRefName } from "../../config";
import { RecordingMocks } from "../../plan/mocks";
import { planOrder, readProjectFiles, REPO_ROOT, validateAll } from "../../plan/run";
import { allPolicies } from "../../policies/all";
import { COMMITTED_PACK_CONFIG, loadPolicyConfig } from "../../policies/config";
import { getConfigFor } from "../../policies/offline";
import { encryptionAtRestCmk, s3EncryptionCmk } from "../../policies/guardrails";
import { isUnknown } from "../../policies/residency";
import { repoPlan } from "../helpers/repo-plan";

/** What the SDK sent the engine for one registered custom resource. */
interface Registration {
    urn: string;
    type: string;
    name: string;
    props: Record<string, unknown>;
    propertyDependencies: Record<string, string[]>;
    /** The region of the AWS provider it is registered with (the stack's default if none). */
    providerRegion: string;
}

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** The wire form with secrets unwrapped (the policy SDK hands policies plain values). */
function plain(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) return plain(o["value"]);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
    }
    return v;
}

/**
 * The offline plan's mocks (invokes, StackReferences to the upstream stacks' planned outputs),
 * except that the stack's own resources get no state: they do not exist yet.
 */
class FirstPreviewMocks extends RecordingMocks {
    readonly registrations: Registration[] = [];

    /** Preview mode (`isDryRun()`), and a tap on what the SDK sends the engine. */
    async install(org?: string): Promise<void> {
        await pulumi.runtime.setMocks(this, this.options.project, this.options.stack, true, org);
        const monitor = (pulumi.runtime as any).getMonitor();
        const original = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) => {
            original(req, (err: unknown, resp: any) => {
                if (!err && resp && req.getCustom())
                    this.registrations.push(this.registration(req, resp));
                callback(err, resp);
            });
        };
    }

    private registration(req: any, resp: any): Registration {
        const deps: Record<string, string[]> = {};
        for (const [k, v] of req.getPropertydependenciesMap().entries())
            deps[k] = [...v.getUrnsList()];
        const ref: string = req.getProvider();
        const provider = ref.slice(0, ref.lastIndexOf("::"));
        const region = this.registrations.find((p) => p.urn === provider)?.props["region"];
        return {
            urn: resp.getUrn(),
            type: req.getType(),
            name: req.getName(),
            props: plain(req.getObject().toJavaScript()) as Record<string, unknown>,
            propertyDependencies: deps,
            providerRegion: typeof region === "string" ? region : this.options.awsRegion,
        };
    }

    newResource(args: pulumi.runtime.MockResourceArgs) {
        const planned = super.newResource(args);
        // StackReferences are read during preview; providers are configured from their inputs.
        if (
            args.type === "pulumi:pulumi:StackReference" ||
            args.type.startsWith("pulumi:providers:")
        )
            return planned;
        return { id: undefined, state: {} };
    }
}

/** One stack's first preview: what it registered, and its `aws:region`. */
interface Preview {
    region: string;
    registrations: Registration[];
}

async function previewStack(
    stack: string,
    upstream: {
        outputs: Record<string, Record<string, unknown>>;
        secret: Record<string, string[]>;
    },
): Promise<Preview> {
    const files = readProjectFiles(REPO_ROOT);
    const config = validateAll(files)[stack];
    const mocks = new FirstPreviewMocks({
        project: files.project,
        stack,
        awsRegion: config.awsRegion,
        stackOutputs: upstream.outputs,
        stackSecretOutputs: upstream.secret,
    });
    await mocks.install(config.topology.org);
    pulumi.runtime.setAllConfig(
        Object.fromEntries(
            Object.entries(files.stacks[stack]).map(([k, v]) => [
                k,
                typeof v === "string" ? v : JSON.stringify(v),
            ]),
        ),
        [],
    );
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = require(path.join(REPO_ROOT, "index.ts"));
        await (program.default ?? program)();
        // waitForRPCs is exported by the runtime but marked internal in its typings.
        await (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
        await new Promise((r) => setImmediate(r));
    } finally {
        process.off("unhandledRejection", onRejection);
        pulumi.runtime.resetOptions("", "", -1, "", "", false, "");
    }
    const problems = [...failures, ...mocks.errors];
    if (problems.length > 0) throw new Error(`stack ${stack}: ${problems.map(String).join("; ")}`);
    return { region: config.awsRegion, registrations: mocks.registrations };
}

/** Top-level inputs that hold a store's KMS key (directly or nested). */
const KEY_INPUTS = [
    "kmsKeyId",
    "kmsKeyArn",
    "serverSideEncryption",
    "replicas",
    "rules",
    "serverSideEncryptionConfiguration",
    "serverSideEncryptionConfigurations",
];

const providerIn = (region: string) => ({
    type: "pulumi:providers:aws",
    name: "default",
    urn: "urn:pulumi:default-provider",
    props: unknownCheckingProxy({ region }),
});

/**
 * The stack as the policy SDK hands it to a stack policy during preview, with the default AWS
 * provider the engine adds; `keyDependencies: false` drops the property dependencies of the
 * inputs holding KMS keys.
 */
function asPolicyStack(preview: Preview, keyDependencies = true): PolicyResource[] {
    const regs = preview.registrations;
    const byUrn = new Map<string, PolicyResource>();
    const resources = regs.map((r) => {
        const resource = {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: unknownCheckingProxy(r.props),
            opts: {},
            provider: providerIn(r.providerRegion),
            dependencies: [],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
            isType: () => false,
            asType: () => undefined,
        } as unknown as PolicyResource;
        byUrn.set(r.urn, resource);
        return resource;
    });
    regs.forEach((r, i) => {
        for (const [k, urns] of Object.entries(r.propertyDependencies)) {
            if (!keyDependencies && KEY_INPUTS.includes(k)) continue;
            resources[i].propertyDependencies[k] = urns
                .map((u) => byUrn.get(u))
                .filter((d): d is PolicyResource => d !== undefined);
        }
    });
    const defaultProvider = {
        ...providerIn(preview.region),
        name: "default_7_0_0",
        opts: {},
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    } as unknown as PolicyResource;
    return [...resources, defaultProvider];
}

/** The committed pack config, as `--policy-pack-config policies/policy-config.json` hands it. */
const SETTINGS = loadPolicyConfig(COMMITTED_PACK_CONFIG, allPolicies);

function runStack(policy: StackValidationPolicy, resources: PolicyResource[]): string[] {
    const out: string[] = [];
    void policy.validateStack(
        {
            resources,
            stackTags: new Map(),
            getConfig: getConfigFor(policy, SETTINGS),
            notApplicable: () => undefined as never,
        },
        (m) => out.push(`${policy.name}: ${m}`),
    );
    return out;
}

class NotApplicable extends Error {}

/** A resource policy over every resource, as the engine calls it during preview (inputs). */
function runResource(policy: ResourceValidationPolicy, resources: PolicyResource[]): string[] {
    const out: string[] = [];
    const validations = policy.validateResource ? [policy.validateResource].flat() : [];
    for (const r of resources) {
        const args = {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.props,
            opts: r.opts,
            provider: r.provider,
            stackTags: new Map(),
            isType: () => false,
            asType: () => undefined,
            getConfig: getConfigFor(policy, SETTINGS),
            notApplicable: () => {
                throw new NotApplicable();
            },
        } as unknown as ResourceValidationArgs;
        for (const v of validations) {
            try {
                void v(args, (m) => out.push(`${policy.name}: ${m}`));
            } catch (e) {
                if (!(e instanceof NotApplicable)) throw e;
            }
        }
    }
    return out;
}

describe("a first preview of the real stacks (KMS keys created in the same update)", function () {
    this.timeout(120000);
    const previews: Record<string, Preview> = {};

    before(async () => {
        const planned = await repoPlan();
        const topology = Object.values(validateAll(readProjectFiles(REPO_ROOT)))[0].topology;
        // Each stack previews with its upstream stacks deployed (their outputs known).
        const outputs: Record<string, Record<string, unknown>> = {};
        const secret: Record<string, string[]> = {};
        for (const p of planned) {
            outputs[stackRefName(topology, p.plan.stack)] = p.outputs;
            secret[stackRefName(topology, p.plan.stack)] = p.secretOutputs;
        }
        for (const stack of planOrder(topology)) {
            previews[stack] = await previewStack(stack, { outputs, secret });
        }
    });

    it("leaves the keys of the stores unknown, with the key among their property dependencies", () => {
        const regs = Object.values(previews).flatMap((p) => p.registrations);
        const unknownKeys = regs.filter(
            (r) => isUnknown(r.props["kmsKeyId"]) || isUnknown(r.props["kmsKeyArn"]),
        );
        expect(unknownKeys.length).to.be.greaterThan(5);
        for (const r of unknownKeys) {
            const deps = r.propertyDependencies["kmsKeyId"] ?? r.propertyDependencies["kmsKeyArn"];
            const types = deps.map((u) => regs.find((x) => x.urn === u)?.type);
            expect(types, r.urn).to.include.oneOf([
                "aws:kms/key:Key",
                "aws:kms/replicaKey:ReplicaKey",
            ]);
        }
    });

    for (const policy of [encryptionAtRestCmk, s3EncryptionCmk]) {
        it(`passes ${policy.name} on every stack, proving unknown keys by their dependencies`, () => {
            for (const [stack, p] of Object.entries(previews))
                expect(runStack(policy, asPolicyStack(p)), stack).to.deep.equal([]);
        });
    }

    it("fails closed on each of those stores without its key's property dependencies", () => {
        const found = Object.values(previews).flatMap((p) => [
            ...runStack(encryptionAtRestCmk, asPolicyStack(p, false)),
            ...runStack(s3EncryptionCmk, asPolicyStack(p, false)),
        ]);
        expect(found.length).to.be.greaterThan(5);
        for (const m of found)
            expect(m).to.include("could not be proven to be a customer-managed KMS key at preview");
    });

    it("passes the whole pack on every stack", () => {
        for (const [stack, p] of Object.entries(previews)) {
            const resources = asPolicyStack(p);
            const found = allPolicies.flatMap((policy) =>
                "validateStack" in policy
                    ? runStack(policy, resources)
                    : runResource(policy, resources),
            );
            expect(found, stack).to.deep.equal([]);
        }
    });
});
