/**
 * The edge's own providers (us-east-1 for the CloudFront certificate, Lambda@Edge and the WAF;
 * us-west-2 for Global Accelerator) carry the stack's `aws:*` settings: an explicit provider
 * reads no `aws:*` stack config (https://github.com/pulumi/pulumi-aws/issues/1307,
 * https://github.com/pulumi/pulumi-aws/issues/3259: "it will silently use those [other
 * credentials] and deploy to the wrong account"). From a literal config through the config
 * validation and regions/args.ts to the registered providers.
 */
import { expect } from "chai";
import { validateStackConfig } from "../../../config";
import { EdgeRouting } from "../../../components/edge";
import { edgeRoutingArgs } from "../../../regions/args";
import { T } from "../../../policies/types";
import { buildUnderMocks } from "../../helpers/component";
import { repoRaw } from "../../helpers/config";

const ROLE = "arn:aws:iam::123456789012:role/deployer";

/** A provider's inputs as the engine gets them: object, list and boolean values JSON-encoded. */
const decoded = (inputs: Record<string, unknown>) =>
    Object.fromEntries(
        Object.entries(inputs).map(([k, v]) => [
            k,
            typeof v === "string" && /^([[{]|true$|false$)/.test(v)
                ? (JSON.parse(v) as unknown)
                : v,
        ]),
    );
/** Inputs the SDK itself sets on every aws provider (its defaults), not carried settings. */
const SDK_DEFAULTS = ["version", "skipCredentialsValidation", "skipRegionValidation"];

const endpoint = (region: string) => ({
    albDnsName: `alb.${region}.elb.amazonaws.com`,
    albZoneId: "ZALB",
    albArn: `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/app/a/1`,
    healthCheckFqdn: `${region}.origin.example.org`,
    healthCheckPath: "/health",
});

function buildFrom(extra: Record<string, unknown>) {
    const cfg = validateStackConfig("global", { ...repoRaw("global"), ...extra });
    const regions = Object.fromEntries(
        cfg.topology.regions.map((r) => [r.region, endpoint(r.region)]),
    );
    return buildUnderMocks("us-east-1", () => {
        new EdgeRouting(
            "edge",
            edgeRoutingArgs(cfg, regions, {
                hostedZoneId: "ZLITERAL0001",
                originHeaderSecret: "literal-secret",
            }),
        );
    });
}

describe("EdgeRouting's providers and the stack's aws settings", function () {
    this.timeout(30000);

    it("give each edge provider the stack's profile, roles, default tags and account ids", async () => {
        const b = await buildFrom({
            "aws:profile": "taskflow-prod",
            "aws:assumeRoles": [{ roleArn: ROLE, sessionName: "pulumi", externalId: "x1" }],
            "aws:defaultTags": { tags: { owner: "platform", "cost-center": "42" } },
            "aws:allowedAccountIds": ["123456789012"],
            "aws:skipMetadataApiCheck": "false",
        });
        const providers = b.ofType(T.awsProvider);
        expect(providers.map((p) => p.inputs.region).sort()).to.deep.equal([
            "us-east-1",
            "us-west-2",
        ]);
        for (const p of providers) {
            expect(decoded(p.inputs), p.name).to.deep.include({
                profile: "taskflow-prod",
                assumeRoles: [{ roleArn: ROLE, sessionName: "pulumi", externalId: "x1" }],
                defaultTags: { tags: { owner: "platform", "cost-center": "42" } },
                allowedAccountIds: ["123456789012"],
                skipMetadataApiCheck: false,
            });
        }
    });

    it("keep static credentials secret on both providers", async () => {
        const b = await buildFrom({ "aws:accessKey": "AKIAEXAMPLE", "aws:secretKey": "s3cr3t" });
        for (const p of b.ofType(T.awsProvider)) {
            expect(p.inputs, p.name).to.include({ accessKey: "AKIAEXAMPLE", secretKey: "s3cr3t" });
            expect(p.secretPaths, p.name).to.include.members(["accessKey", "secretKey"]);
        }
    });

    it("are built from their region alone when the stack sets no aws settings", async () => {
        const b = await buildFrom({});
        for (const p of b.ofType(T.awsProvider)) {
            expect(
                Object.keys(p.inputs).filter((k) => !SDK_DEFAULTS.includes(k)),
                p.name,
            ).to.deep.equal(["region"]);
        }
    });
});

describe("EdgeRouting's web ACL from the stack config", function () {
    this.timeout(30000);

    it("carries taskflow:wafBodyLimits as block rules and raises the inspection limit to cover them", async () => {
        const b = await buildFrom({ "taskflow:wafBodyLimits": { "/api/imports/": 49152 } });
        const waf = b.named("edge-waf").inputs as Record<string, any>;
        const sizes = (waf.rules as any[])
            .filter((r) => r.name.startsWith("body-limit-"))
            .map((r) => {
                const parts = r.statement.andStatement?.statements ?? [r.statement];
                const size = parts.find(
                    (s: any) => s.sizeConstraintStatement,
                ).sizeConstraintStatement;
                const path = parts.find((s: any) => s.byteMatchStatement)?.byteMatchStatement;
                return [path?.searchString ?? "/", size.size, r.action];
            });
        expect(sizes).to.have.deep.members([
            ["/api/imports/", 49152, { block: {} }],
            ["/", 16384, { block: {} }],
        ]);
        expect(waf.associationConfig).to.deep.equal({
            requestBodies: [{ cloudfront: { defaultSizeInspectionLimit: "KB_48" } }],
        });
    });
});
