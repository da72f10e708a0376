/**
 * The stack's `aws:*` provider settings the edge's explicit providers carry over. An explicit
 * provider reads no `aws:*` stack config (by design, https://github.com/pulumi/pulumi-aws/issues/1307
 * and https://github.com/pulumi/pulumi-aws/issues/3259), so these settings must be validated and
 * handed to it; `aws:assumeRole` is refused because @pulumi/aws v7 reads only `aws:assumeRoles`
 * (its config module, node_modules/@pulumi/aws/config/vars.d.ts, has no `assumeRole`).
 */
import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { configErrorOf, repoRaw } from "../helpers/config";

const ROLE = "arn:aws:iam::123456789012:role/deployer";

describe("the stack's aws provider settings", () => {
    it("reads profile, assumeRoles, defaultTags, allowed account ids and parses scalars", () => {
        const raw = {
            ...repoRaw("global"),
            "aws:profile": "taskflow-prod",
            "aws:assumeRoles": [{ roleArn: ROLE, sessionName: "pulumi" }],
            "aws:defaultTags": { tags: { owner: "platform" } },
            "aws:allowedAccountIds": ["123456789012"],
            "aws:skipMetadataApiCheck": "false",
            "aws:maxRetries": "5",
            "aws:someFutureKey": "left to the provider",
        };
        const cfg = validateStackConfig("global", raw);
        expect(cfg.awsProvider).to.deep.equal({
            profile: "taskflow-prod",
            assumeRoles: [{ roleArn: ROLE, sessionName: "pulumi" }],
            defaultTags: { tags: { owner: "platform" } },
            allowedAccountIds: ["123456789012"],
            skipMetadataApiCheck: false,
            maxRetries: 5,
        });
    });

    it("is empty when the stack sets none (the repository's stacks)", () => {
        expect(validateStackConfig("global", repoRaw("global")).awsProvider).to.deep.equal({});
    });

    it("refuses the v6 key aws:assumeRole, which v7 would silently ignore", () => {
        const e = configErrorOf("global", {
            ...repoRaw("global"),
            "aws:assumeRole": { roleArn: ROLE },
        });
        expect(e.issues.map((i) => i.key)).to.deep.equal(["aws:assumeRole"]);
        expect(e.issues[0].allowed).to.contain("aws:assumeRoles");
    });

    for (const [key, value, allowed] of [
        ["aws:allowedAccountIds", ["12345"], "12-digit account ids"],
        ["aws:assumeRoles", [{ roleArn: "deployer" }], "roleArn"],
        ["aws:assumeRoles", [{ roleArn: ROLE, rolearn: ROLE }], "roleArn"],
        ["aws:defaultTags", { owner: "platform" }, '{"tags"'],
        ["aws:skipCredentialsValidation", "yes", "true or false"],
        ["aws:profile", "", "non-empty string"],
    ] as const) {
        it(`names ${key} = ${JSON.stringify(value)} and what is allowed`, () => {
            const e = configErrorOf("global", { ...repoRaw("global"), [key]: value });
            expect(e.issues).to.have.length(1);
            expect(e.issues[0]).to.include({ key });
            expect(e.issues[0].allowed).to.contain(allowed);
        });
    }

    it("refuses allowed and forbidden account ids together", () => {
        const e = configErrorOf("global", {
            ...repoRaw("global"),
            "aws:allowedAccountIds": ["123456789012"],
            "aws:forbiddenAccountIds": ["210987654321"],
        });
        expect(e.issues.map((i) => i.key)).to.deep.equal(["aws:forbiddenAccountIds"]);
    });
});
