/**
 * The preview `npm run plan` prints (plan/preview-display.ts, plan/preview-values.ts) and its
 * `--json` document (plan/preview-json.ts), built from literal plan results: nothing is planned.
 * The expected shapes are the Pulumi CLI's (github.com/pulumi/pulumi pkg/backend/display:
 * progress.go addIndentations for the tree, tableutil.go renderRow for the columns,
 * diff.go renderSummaryEvent for "Resources:", tokens.Type.DisplayName for the type).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../../policies/all";
import { parsePolicyConfig } from "../../policies/config";
import { PACK_NAME } from "../../policies/identity";
import { describePackRun, PackRun } from "../../plan/policy";
import {
    displayType,
    previewTree,
    renderPreview,
    renderStack,
    treeNodes,
    treeTable,
    useColor,
} from "../../plan/preview-display";
import { previewDocument } from "../../plan/preview-json";
import { outputLines } from "../../plan/preview-values";
import { PlannedResource, REPO_ROOT, StackPlan } from "../../plan/run";
import { countTotals, formatTotals } from "../../plan/totals";

const URN = "urn:pulumi:eu-west-1::taskflow::";

function resource(
    type: string,
    name: string,
    parent: string | null,
    extra: Partial<PlannedResource> = {},
): PlannedResource {
    const parentType = parent ? `${parent.split("::")[2]}$` : "";
    return {
        urn: `${URN}${parentType}${type}::${name}`,
        type,
        name,
        custom: !type.startsWith("taskflow:"),
        id: null,
        region: type.startsWith("taskflow:") ? null : "eu-west-1",
        providerRegion: null,
        parent,
        provider: null,
        remote: false,
        propertyDependencies: {},
        inputs: {},
        outputs: {},
        options: {
            protect: false,
            ignoreChanges: [],
            dependsOn: [],
            retainOnDelete: false,
            deleteBeforeReplace: false,
        },
        ...extra,
    };
}

const cellUrn = `${URN}taskflow:cell:RegionalCell::cell`;
const bucketUrn = `${URN}taskflow:cell:RegionalCell$aws:s3/bucket:Bucket::cell-logs`;

/** A small stack: a component with two children (one with a child), a top-level one, a read. */
function smallPlan(overrides: Partial<StackPlan> = {}): StackPlan {
    return {
        formatVersion: 1,
        project: "taskflow",
        stack: "eu-west-1",
        role: "secondary",
        region: "eu-west-1",
        resources: [
            resource("taskflow:cell:RegionalCell", "cell", null),
            resource("aws:s3/bucket:Bucket", "cell-logs", cellUrn),
            {
                ...resource("aws:s3/bucketPolicy:BucketPolicy", "cell-logs-policy", bucketUrn),
                region: "us-east-1",
            },
            resource("aws:kms/key:Key", "cell-kms", cellUrn),
            resource("random:index/randomPassword:RandomPassword", "secret", null),
        ],
        reads: [
            {
                urn: `${URN}pulumi:pulumi:StackReference::ref-ap-northeast-1`,
                type: "pulumi:pulumi:StackReference",
                name: "ref-ap-northeast-1",
                id: "taskflow/taskflow/ap-northeast-1",
                parent: null,
                inputs: { name: "taskflow/taskflow/ap-northeast-1" },
            },
        ],
        outputs: {},
        stackReferences: ["taskflow/taskflow/ap-northeast-1"],
        violations: [],
        ...overrides,
    };
}

const committedPack = (): PackRun =>
    describePackRun(path.join(REPO_ROOT, "policies", "policy-config.json"), { levels: {} });

const plain = { color: false };
const ESC = /\x1b\[/;

describe("the preview display (plan/preview-display.ts)", () => {
    it("shortens a type token the way the Pulumi CLI does, and only when the file matches", () => {
        expect(displayType("aws:lb/loadBalancer:LoadBalancer")).to.equal("aws:lb:LoadBalancer");
        expect(displayType("random:index/randomPassword:RandomPassword")).to.equal(
            "random:index:RandomPassword",
        );
        expect(displayType("aws:ec2/vpc:DefaultVpc")).to.equal("aws:ec2/vpc:DefaultVpc");
        expect(displayType("taskflow:cell:RegionalCell")).to.equal("taskflow:cell:RegionalCell");
        expect(displayType("pulumi:providers:aws")).to.equal("pulumi:providers:aws");
    });

    it("hangs each resource under its parent, reads and orphans under the stack", () => {
        const orphan = resource("aws:sns/topic:Topic", "lost", `${URN}taskflow:x:Gone::gone`);
        const root = previewTree(smallPlan({ resources: [...smallPlan().resources, orphan] }));
        expect(root.type).to.equal("pulumi:pulumi:Stack");
        expect(root.name).to.equal("taskflow-eu-west-1");
        expect(root.children.map((c) => c.name)).to.deep.equal([
            "cell",
            "secret",
            "lost",
            "ref-ap-northeast-1",
        ]);
        const cell = root.children[0];
        expect(cell.children.map((c) => c.name)).to.deep.equal(["cell-logs", "cell-kms"]);
        expect(cell.children[0].children.map((c) => c.name)).to.deep.equal(["cell-logs-policy"]);
        const ops = treeNodes(root).map((n) => n.op);
        expect(ops.filter((o) => o === "create")).to.have.length(6);
        expect(ops.filter((o) => o === "read")).to.have.length(1);
    });

    it("draws the tree with the CLI's markers, branches and aligned columns", () => {
        const lines = treeTable(previewTree(smallPlan()), (_s, t) => t);
        expect(lines).to.deep.equal([
            "     Type                             Name                Plan    Info",
            "     pulumi:pulumi:Stack              taskflow-eu-west-1",
            " +   ├─ taskflow:cell:RegionalCell    cell                create",
            " +   │  ├─ aws:s3:Bucket              cell-logs           create",
            " +   │  │  └─ aws:s3:BucketPolicy     cell-logs-policy    create  region us-east-1",
            " +   │  └─ aws:kms:Key                cell-kms            create",
            " +   ├─ random:index:RandomPassword   secret              create",
            " >   └─ pulumi:pulumi:StackReference  ref-ap-northeast-1  read",
        ]);
    });

    it("drops the Info column when no row has any", () => {
        const resources = smallPlan().resources.map((r) => ({
            ...r,
            region: r.region && "eu-west-1",
        }));
        const [header] = treeTable(previewTree(smallPlan({ resources })), (_s, t) => t);
        expect(header).to.match(/Plan$/);
    });

    it("counts `+ N to create` as policy:check does: every planned resource, reads and the stack apart", () => {
        const plan = smallPlan();
        const text = renderStack(plan, committedPack(), plain);
        const totals = countTotals([plan], []);
        expect(totals.resources).to.equal(5);
        expect(text).to.include(`Resources:\n    + ${totals.resources} to create`);
        expect(text.split("\n")[0]).to.equal(
            "== stack eu-west-1 (role secondary, aws:region eu-west-1)",
        );
    });

    it("prints the outputs whole, keys sorted and aligned, nested values one level deeper", () => {
        const long = `arn:aws:s3:::${"x".repeat(300)}`;
        const lines = outputLines({
            zone: "eu",
            bucketArn: long,
            ips: ["a", "b"],
            token: "[secret]",
            n: { b: 1, aa: true },
        });
        expect(lines).to.deep.equal([
            `    bucketArn: ${JSON.stringify(long)}`,
            "    ips      : [",
            '        [0]: "a"',
            '        [1]: "b"',
            "    ]",
            "    n        : {",
            "        aa: true",
            "        b : 1",
            "    }",
            "    token    : [secret]",
            '    zone     : "eu"',
        ]);
        const text = renderStack(
            smallPlan({ outputs: { bucketArn: long } }),
            committedPack(),
            plain,
        );
        expect(text).to.include(`Outputs:\n    bucketArn: "${long}"`);
    });

    it("names the pack with its package.json version, its config, and a clean pass", () => {
        const version = (
            JSON.parse(
                fs.readFileSync(path.join(REPO_ROOT, "policies", "package.json"), "utf8"),
            ) as {
                version: string;
            }
        ).version;
        const text = renderStack(smallPlan(), committedPack(), plain);
        expect(text).to.include(
            `Policies:\n    ✅ ${PACK_NAME}@v${version} (local: policies)\n` +
                `        config policies/policy-config.json; all ${allPolicies.length} policies at their default level; no policy disabled`,
        );
    });

    it("shows the levels a config changes, the policies it disables, and each violation", () => {
        const settings = parsePolicyConfig(
            { "alb-https-only": "disabled", "iam-no-wildcard-actions": "advisory" },
            allPolicies,
        );
        const pack = describePackRun("/tmp/pc.json", settings);
        expect(pack.disabled).to.deep.equal(["alb-https-only"]);
        const plan = smallPlan({
            violations: [
                {
                    policy: "s3-encryption-cmk",
                    level: "mandatory",
                    urn: bucketUrn,
                    message: "no CMK\nsecond line",
                },
                { policy: "iam-no-wildcard-actions", level: "advisory", urn: null, message: "w" },
            ],
        });
        const text = renderStack(plan, pack, plain);
        expect(text).to.include(
            "config /tmp/pc.json; levels set: alb-https-only disabled (default mandatory), iam-no-wildcard-actions advisory (default mandatory); disabled: alb-https-only",
        );
        expect(text).to.include("    ❌ taskflow-residency@v");
        expect(text).to.include(
            "        - [mandatory]  s3-encryption-cmk  (aws:s3:Bucket: cell-logs)\n          no CMK\n          second line",
        );
        expect(text).to.include("        - [advisory]  iam-no-wildcard-actions\n          w");
    });

    it("ends with one line of totals for every stack, the same line policy:check prints", () => {
        const a = smallPlan();
        const b = smallPlan({
            stack: "us-east-1",
            violations: [{ policy: "p", level: "advisory", urn: null, message: "m" }],
        });
        const text = renderPreview([a, b], committedPack(), plain);
        const last = text.split("\n").at(-1)!;
        expect(last).to.equal(
            `== all stacks: ${formatTotals(countTotals([a, b], b.violations))} (taskflow-residency@v${committedPack().version})`,
        );
        expect(last).to.include("2 stack(s), 10 resource(s): 0 mandatory, 1 advisory violation(s)");
    });

    it("colours markers and headlines only when asked to", () => {
        const coloured = renderPreview([smallPlan()], committedPack(), { color: true });
        expect(coloured).to.include("\x1b[32m+ \x1b[0m").and.include("\x1b[95m\x1b[1mResources:");
        expect(renderPreview([smallPlan()], committedPack(), plain)).to.not.match(ESC);
    });

    it("decides colour from --color, then NO_COLOR, then FORCE_COLOR, then the terminal", () => {
        expect(useColor("auto", true, {})).to.equal(true);
        expect(useColor("auto", false, {})).to.equal(false);
        expect(useColor("auto", undefined, {})).to.equal(false);
        expect(useColor("auto", true, { NO_COLOR: "1" })).to.equal(false);
        expect(useColor("auto", true, { NO_COLOR: "" })).to.equal(true);
        expect(useColor("auto", false, { FORCE_COLOR: "1" })).to.equal(true);
        expect(useColor("auto", false, { FORCE_COLOR: "0" })).to.equal(false);
        expect(useColor("auto", false, { FORCE_COLOR: "1", NO_COLOR: "1" })).to.equal(false);
        expect(useColor("always", false, { NO_COLOR: "1" })).to.equal(true);
        expect(useColor("never", true, { FORCE_COLOR: "1" })).to.equal(false);
    });
});

describe("the preview document (plan/preview-json.ts)", () => {
    it("lists every resource with urn, type, name and parent, and the totals per stack", () => {
        const plan = smallPlan({ outputs: { zone: "eu" } });
        const doc = previewDocument([plan], committedPack());
        const [stack] = doc.stacks;
        expect(stack.resources.map((r) => [r.urn, r.type, r.name, r.parent])).to.deep.equal(
            plan.resources.map((r) => [r.urn, r.type, r.name, r.parent]),
        );
        expect(stack.resources[1].displayType).to.equal("aws:s3:Bucket");
        expect(stack.reads.map((r) => r.id)).to.deep.equal(["taskflow/taskflow/ap-northeast-1"]);
        expect(stack.changeSummary).to.deep.equal({ create: plan.resources.length });
        expect(stack.outputs).to.deep.equal({ zone: "eu" });
        expect(doc.totals).to.deep.equal(countTotals([plan], []));
        expect(doc.policyPack.name).to.equal(PACK_NAME);
        expect(JSON.parse(JSON.stringify(doc))).to.deep.equal(doc);
    });
});

describe("the pack's identity (policies/identity.ts)", () => {
    it("is the name index.ts builds the PolicyPack with, and package.json's name", () => {
        const index = fs.readFileSync(path.join(REPO_ROOT, "policies", "index.ts"), "utf8");
        expect(index).to.match(/new PolicyPack\(PACK_NAME,/);
        const pkg = JSON.parse(
            fs.readFileSync(path.join(REPO_ROOT, "policies", "package.json"), "utf8"),
        ) as { name: string };
        expect(pkg.name).to.equal(PACK_NAME);
    });
});
