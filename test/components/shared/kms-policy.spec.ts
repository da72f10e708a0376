/** The project's key policy (components/shared/kms-policy.ts), judged request by request. */
import { expect } from "chai";
import {
    KEY_ADMIN_ACTIONS,
    KEY_DATA_ACTIONS,
    keyPolicy,
    logsServicePrincipal,
    cloudWatchAlarmsPrincipal,
} from "../../../components/shared/kms-policy";
import { wildcardActionFindings } from "../../../policies/iam";

type Stmt = {
    Sid?: string;
    Effect: string;
    Principal?: unknown;
    Action: string | string[];
    Resource?: unknown;
    Condition?: unknown;
};
const statements = (policy: unknown): Stmt[] =>
    (JSON.parse(String(policy)) as { Statement: Stmt[] }).Statement;
const actions = (s: Stmt): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v ?? {}) as Obj;

/** A KMS request, as far as these key policies look at it. */
interface KmsRequest {
    principal: { AWS?: string; Service?: string };
    action: string;
    /** Condition keys of the request (kms:ViaService, kms:CallerAccount, ...). */
    context?: Record<string, string>;
}

/**
 * Whether some Allow statement of a key policy admits the request: principal, exact action, and
 * every condition (StringEquals / ArnEquals / Bool, ArnLike with `*` and `?` wildcards; a key
 * absent from the request fails, as in IAM). Throws on an operator it does not model, so a
 * policy change cannot pass unexamined.
 */
function allows(policy: string, req: KmsRequest): boolean {
    return statements(policy).some((st) => {
        if (st.Effect !== "Allow") return false;
        const p = obj(st.Principal);
        if (
            req.principal.AWS !== undefined
                ? p.AWS !== req.principal.AWS
                : p.Service !== req.principal.Service
        )
            return false;
        if (!actions(st).includes(req.action)) return false;
        for (const [op, kv] of Object.entries(obj(st.Condition))) {
            if (!["StringEquals", "ArnEquals", "ArnLike", "Bool"].includes(op))
                throw new Error(`allows(): condition operator ${op} not modelled`);
            for (const [k, v] of Object.entries(obj(kv))) {
                const got = req.context?.[k];
                const want = (Array.isArray(v) ? v : [v]).map(String);
                const match = (w: string) =>
                    op === "ArnLike" ? globMatch(w, got ?? "") : w === got;
                if (got === undefined || !want.some(match)) return false;
            }
        }
        return true;
    });
}

/** IAM's ArnLike: `*` any run of characters, `?` one character, everything else literal. */
function globMatch(pattern: string, value: string): boolean {
    const re = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${re}$`).test(value);
}

describe("keyPolicy (components/shared/kms-policy.ts)", () => {
    const root = { AWS: "arn:aws:iam::111122223333:root" };
    const base = {
        partition: "aws",
        accountId: "111122223333",
        services: ["rds", "dynamodb"],
        regions: ["eu-west-1"],
    };
    const via = (svc: string, region = "eu-west-1", account = "111122223333") => ({
        "kms:ViaService": `${svc}.${region}.amazonaws.com`,
        "kms:CallerAccount": account,
    });

    it("gives the account root key administration only: it cannot encrypt, decrypt or grant directly", () => {
        const policy = keyPolicy(base);
        for (const action of KEY_DATA_ACTIONS.filter((a) => a !== "kms:DescribeKey"))
            expect(allows(policy, { principal: root, action }), action).to.equal(false);
        expect(allows(policy, { principal: root, action: "kms:CreateGrant" })).to.equal(false);
        // Everything the deployer and a break-glass admin need, so the key cannot be locked out.
        for (const action of [
            "kms:PutKeyPolicy",
            "kms:GetKeyPolicy",
            "kms:DescribeKey",
            "kms:EnableKeyRotation",
            "kms:GetKeyRotationStatus",
            "kms:ListResourceTags",
            "kms:TagResource",
            "kms:UntagResource",
            "kms:CreateAlias",
            "kms:DeleteAlias",
            "kms:UpdateKeyDescription",
            "kms:EnableKey",
            "kms:DisableKey",
            "kms:ScheduleKeyDeletion",
            "kms:CancelKeyDeletion",
            "kms:ListGrants",
            "kms:RevokeGrant",
        ])
            expect(allows(policy, { principal: root, action }), action).to.equal(true);
        // Multi-Region administration only on multi-Region keys.
        expect(allows(policy, { principal: root, action: "kms:ReplicateKey" })).to.equal(false);
        const mrk = keyPolicy({ ...base, multiRegion: true });
        for (const action of ["kms:ReplicateKey", "kms:UpdatePrimaryRegion"])
            expect(allows(mrk, { principal: root, action }), action).to.equal(true);
        expect(KEY_ADMIN_ACTIONS).to.not.include("kms:CreateGrant");
    });

    it("allows data use only through the named services, in the named regions, by the account", () => {
        const policy = keyPolicy({ ...base, regions: ["eu-west-1", "eu-central-1"] });
        for (const action of KEY_DATA_ACTIONS) {
            expect(
                allows(policy, { principal: root, action, context: via("rds") }),
                action,
            ).to.equal(true);
            expect(
                allows(policy, {
                    principal: root,
                    action,
                    context: via("dynamodb", "eu-central-1"),
                }),
            ).to.equal(true);
        }
        expect(
            allows(policy, { principal: root, action: "kms:Decrypt", context: via("s3") }),
        ).to.equal(false);
        expect(
            allows(policy, {
                principal: root,
                action: "kms:Decrypt",
                context: via("rds", "us-east-1"),
            }),
        ).to.equal(false);
        expect(
            allows(policy, {
                principal: root,
                action: "kms:Decrypt",
                context: via("rds", "eu-west-1", "444455556666"),
            }),
        ).to.equal(false);
        const grant = (g?: string) => ({
            principal: root,
            action: "kms:CreateGrant",
            context: { ...via("rds"), ...(g ? { "kms:GrantIsForAWSResource": g } : {}) },
        });
        expect(allows(policy, grant("true"))).to.equal(true);
        expect(allows(policy, grant("false"))).to.equal(false);
        expect(allows(policy, grant())).to.equal(false);
    });

    it("adds service principals under their own conditions: CloudWatch Logs per log group", () => {
        const policy = keyPolicy({
            ...base,
            services: ["sns"],
            servicePrincipals: [
                logsServicePrincipal("aws", "111122223333", "eu-west-1", ["/app/logs"]),
            ],
        });
        const logs = { Service: "logs.eu-west-1.amazonaws.com" };
        const ctx = (g: string) => ({
            "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:111122223333:log-group:${g}`,
        });
        expect(
            allows(policy, {
                principal: logs,
                action: "kms:GenerateDataKey",
                context: ctx("/app/logs"),
            }),
        ).to.equal(true);
        expect(
            allows(policy, { principal: logs, action: "kms:Decrypt", context: ctx("/other") }),
        ).to.equal(false);
        expect(allows(policy, { principal: logs, action: "kms:Decrypt" })).to.equal(false);
    });

    // AWS's documented statement for an event source publishing to an SSE-KMS topic: the service
    // principal with kms:GenerateDataKey* and kms:Decrypt, narrowed by aws:SourceAccount and
    // aws:SourceArn, and no kms:ViaService:
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    // https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns
    describe("CloudWatch alarms publishing to a topic encrypted with the key", () => {
        const policy = keyPolicy({
            ...base,
            services: ["sns"],
            servicePrincipals: [cloudWatchAlarmsPrincipal("aws", "111122223333", "eu-west-1")],
        });
        const cw = { Service: "cloudwatch.amazonaws.com" };
        /** The request KMS sees for an alarm's notification: the CloudWatch principal, its source. */
        const alarmRequest = (action: string, account = "111122223333", region = "eu-west-1") => ({
            principal: cw,
            action,
            context: {
                "aws:SourceAccount": account,
                "aws:SourceArn": `arn:aws:cloudwatch:${region}:${account}:alarm:cell-5xx-rate`,
            },
        });

        it("admits the documented request, which carries no kms:ViaService", () => {
            for (const action of ["kms:GenerateDataKey", "kms:Decrypt"])
                expect(allows(policy, alarmRequest(action)), action).to.equal(true);
        });

        it("demands no kms:ViaService of the CloudWatch principal", () => {
            const st = statements(policy).find((s) => obj(s.Principal).Service === cw.Service)!;
            expect(JSON.stringify(st.Condition ?? {})).to.not.contain("kms:ViaService");
            expect(st.Resource).to.equal("*");
        });

        it("refuses alarms of another account or region (confused deputy), and other actions", () => {
            expect(allows(policy, alarmRequest("kms:Decrypt", "999988887777"))).to.equal(false);
            expect(
                allows(policy, alarmRequest("kms:Decrypt", "111122223333", "us-east-1")),
            ).to.equal(false);
            expect(allows(policy, { principal: cw, action: "kms:GenerateDataKey" })).to.equal(
                false,
            );
            expect(allows(policy, alarmRequest("kms:Encrypt"))).to.equal(false);
            expect(allows(policy, alarmRequest("kms:ReEncryptFrom"))).to.equal(false);
        });
    });

    it("has no wildcard action in any statement, so the pack's iam-no-wildcard-actions accepts it", () => {
        const policy = keyPolicy({
            ...base,
            multiRegion: true,
            servicePrincipals: [logsServicePrincipal("aws", "111122223333", "eu-west-1", ["/g"])],
        });
        for (const st of statements(policy))
            expect(
                actions(st).some((a) => a.includes("*")),
                JSON.stringify(st),
            ).to.equal(false);
        expect(wildcardActionFindings("aws:kms/key:Key", "k", { policy })).to.deep.equal([]);
        expect(
            wildcardActionFindings("aws:kms/replicaKey:ReplicaKey", "k", { policy }),
        ).to.deep.equal([]);
    });

    it("refuses arguments that would widen it, naming them", () => {
        expect(() => keyPolicy({ ...base, services: [] })).to.throw(/services \[\] is not allowed/);
        expect(() => keyPolicy({ ...base, services: ["rds.eu-west-1.amazonaws.com"] })).to.throw(
            /service "rds.eu-west-1.amazonaws.com" is not allowed/,
        );
        expect(() => keyPolicy({ ...base, regions: ["*"] })).to.throw(/region "\*" is not allowed/);
        expect(() => keyPolicy({ ...base, accountId: "*" })).to.throw(/accountId/);
        expect(() =>
            keyPolicy({
                ...base,
                servicePrincipals: [
                    { sid: "X", service: "logs.eu-west-1.amazonaws.com", actions: ["kms:*"] },
                ],
            }),
        ).to.throw(/no wildcard/);
    });
});
