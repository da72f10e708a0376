/**
 * The edge WAF's rules (components/edge/waf-rules.ts), judged by a model of how AWS WAF
 * evaluates them:
 * - rules run in priority order; the first Block ends evaluation; a managed group's rule
 *   overridden to Count only counts (ruleActionOverrides:
 *   https://docs.aws.amazon.com/waf/latest/APIReference/API_ManagedRuleGroupStatement.html);
 * - `AWSManagedRulesCommonRuleSet`'s `SizeRestrictions_BODY` blocks a body over 8 KB (8,192
 *   bytes): https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html,
 *   https://repost.aws/knowledge-center/waf-http-request-body-inspection;
 * - WAF sees at most the web ACL's inspection limit of a CloudFront body (16 KB unless raised to
 *   32/48/64 KB); a larger body takes the statement's oversize handling:
 *   https://docs.aws.amazon.com/waf/latest/APIReference/API_Body.html,
 *   https://docs.aws.amazon.com/waf/latest/APIReference/API_RequestBodyAssociatedResourceTypeConfig.html;
 * - URL_DECODE then NORMALIZE_PATH turn `/a/%2e%2e/b` into `/b`:
 *   https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html.
 * The model covers only what these rules use and throws on anything else.
 */
import { expect } from "chai";
import {
    BODY_LIMIT_FIRST_PRIORITY,
    bodyLimitsOf,
    wafRuleSet,
} from "../../../components/edge/waf-rules";
import { validateStackConfig } from "../../../config";
import { repoRaw, configErrorOf } from "../../helpers/config";

type Any = Record<string, any>;
interface Req {
    path: string;
    body: number;
}
const KB = 1024;
const INSPECTION: Record<string, number> = {
    KB_16: 16 * KB,
    KB_32: 32 * KB,
    KB_48: 48 * KB,
    KB_64: 64 * KB,
};

function normalise(path: string, transforms: Any[]): string {
    let p = path;
    for (const t of [...transforms].sort((a, b) => a.priority - b.priority)) {
        if (t.type === "URL_DECODE") p = decodeURIComponent(p);
        else if (t.type === "NORMALIZE_PATH") {
            const out: string[] = [];
            for (const seg of p.split("/").slice(1)) {
                if (seg === "..") out.pop();
                else if (seg !== "." && seg !== "") out.push(seg);
            }
            p = "/" + out.join("/") + (p.endsWith("/") && out.length > 0 ? "/" : "");
        } else if (t.type !== "NONE") throw new Error(`transformation ${t.type} not modelled`);
    }
    return p;
}

function matches(st: Any, req: Req, inspection: number): boolean {
    if (st.andStatement)
        return st.andStatement.statements.every((s: Any) => matches(s, req, inspection));
    if (st.notStatement) return !matches(st.notStatement.statement, req, inspection);
    if (st.byteMatchStatement) {
        const b = st.byteMatchStatement;
        if (!b.fieldToMatch.uriPath || b.positionalConstraint !== "STARTS_WITH")
            throw new Error("byte match not modelled");
        return normalise(req.path, b.textTransformations).startsWith(b.searchString);
    }
    if (st.sizeConstraintStatement) {
        const s = st.sizeConstraintStatement;
        if (!s.fieldToMatch.body || s.comparisonOperator !== "GT")
            throw new Error("size constraint not modelled");
        if (req.body > inspection) {
            const h = s.fieldToMatch.body.oversizeHandling ?? "CONTINUE";
            if (h === "MATCH") return true;
            if (h === "NO_MATCH") return false;
            return inspection > s.size; // CONTINUE: only the inspected bytes are measured
        }
        return req.body > s.size;
    }
    throw new Error(`statement ${Object.keys(st).join()} not modelled`);
}

/** Block or allow, and by which rule. */
function evaluate(rules: Any[], inspectionLimit: string, req: Req): string {
    const inspection = INSPECTION[inspectionLimit];
    for (const rule of [...rules].sort((a, b) => a.priority - b.priority)) {
        const st = rule.statement;
        if (st.managedRuleGroupStatement) {
            const g = st.managedRuleGroupStatement;
            if (g.name !== "AWSManagedRulesCommonRuleSet") continue; // nothing else matches these requests
            const counted = (g.ruleActionOverrides ?? []).some(
                (o: Any) => o.name === "SizeRestrictions_BODY" && o.actionToUse.count,
            );
            // SizeRestrictions_BODY: body over 8 KB (WAF knows a body over the inspection limit is).
            if (req.body > 8 * KB && !counted) return `block ${rule.name}`;
            continue;
        }
        if (st.rateBasedStatement) continue; // one request, under any rate
        if (matches(st, req, inspection))
            return rule.action.block ? `block ${rule.name}` : `allow ${rule.name}`;
    }
    return "allow default";
}

const LIMITS = {
    "/": 16 * KB,
    "/api/imports/": 64 * KB,
    "/api/imports/csv/": 32 * KB,
    "/auth/": 2 * KB,
};

describe("the edge WAF's rules", () => {
    it("without the override, the common rule set alone blocks a 12 KB task update (the model sees it)", () => {
        const { rules, inspectionLimit } = wafRuleSet({ rateLimit: 2000 });
        const crs = rules.find((r) => r.name === "AWSManagedRulesCommonRuleSet") as Any;
        const bare = {
            ...crs,
            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: crs.name } },
        };
        const without = rules.map((r) => (r === crs ? bare : r));
        expect(
            evaluate(without, inspectionLimit, { path: "/api/tasks/1", body: 12 * KB }),
        ).to.equal("block AWSManagedRulesCommonRuleSet");
        expect(evaluate(rules, inspectionLimit, { path: "/api/tasks/1", body: 12 * KB })).to.equal(
            "allow default",
        );
    });

    it("keeps the three managed groups whole, counting only SizeRestrictions_BODY", () => {
        const { rules } = wafRuleSet({ rateLimit: 2000 });
        const groups = rules.filter((r) => (r.statement as Any).managedRuleGroupStatement) as Any[];
        expect(groups.map((g) => g.name)).to.deep.equal([
            "AWSManagedRulesAmazonIpReputationList",
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
        ]);
        for (const g of groups) {
            expect(g.overrideAction, g.name).to.deep.equal({ none: {} });
            expect(
                g.statement.managedRuleGroupStatement.ruleActionOverrides ?? [],
                g.name,
            ).to.deep.equal(
                g.name === "AWSManagedRulesCommonRuleSet"
                    ? [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]
                    : [],
            );
        }
    });

    it("by default limits every body to 16 KB, the free CloudFront inspection limit", () => {
        const { rules, inspectionLimit } = wafRuleSet({ rateLimit: 2000 });
        expect(inspectionLimit).to.equal("KB_16");
        const body = rules.filter((r) => Number(r.priority) >= BODY_LIMIT_FIRST_PRIORITY) as Any[];
        expect(body).to.have.length(1);
        expect(body[0].action).to.deep.equal({ block: {} });
        expect(body[0].statement).to.deep.equal({
            sizeConstraintStatement: {
                fieldToMatch: { body: { oversizeHandling: "MATCH" } },
                comparisonOperator: "GT",
                size: 16384,
                textTransformations: [{ priority: 0, type: "NONE" }],
            },
        });
        expect(evaluate(rules, inspectionLimit, { path: "/api/tasks", body: 16 * KB })).to.equal(
            "allow default",
        );
        expect(
            evaluate(rules, inspectionLimit, { path: "/api/tasks", body: 16 * KB + 1 }),
        ).to.match(/^block body-limit/);
    });

    it("gives every rule a unique priority and name, and keeps the existing ones where they were", () => {
        const { rules } = wafRuleSet({ rateLimit: 2000, bodyLimits: LIMITS });
        expect(new Set(rules.map((r) => r.priority)).size).to.equal(rules.length);
        expect(new Set(rules.map((r) => r.name)).size).to.equal(rules.length);
        expect(rules.slice(0, 4).map((r) => [r.name, r.priority])).to.deep.equal([
            ["AWSManagedRulesAmazonIpReputationList", 10],
            ["AWSManagedRulesCommonRuleSet", 20],
            ["AWSManagedRulesKnownBadInputsRuleSet", 30],
            ["rate-limit-per-ip", 40],
        ]);
    });

    it("lets the longest configured prefix decide, after URL decoding and path normalisation", () => {
        const { rules, inspectionLimit } = wafRuleSet({ rateLimit: 2000, bodyLimits: LIMITS });
        expect(inspectionLimit).to.equal("KB_64");
        const verdict = (path: string, body: number) =>
            evaluate(rules, inspectionLimit, { path, body }).split(" ")[0];
        const cases: [string, number, string][] = [
            ["/api/tasks/1", 16 * KB, "allow"],
            ["/api/tasks/1", 17 * KB, "block"],
            ["/api/imports/jira", 64 * KB, "allow"],
            ["/api/imports/jira", 64 * KB + 1, "block"], // over the inspection limit: MATCH
            ["/api/imports/csv/1", 32 * KB, "allow"],
            ["/api/imports/csv/1", 40 * KB, "block"],
            ["/auth/login", 2 * KB, "allow"],
            ["/auth/login", 3 * KB, "block"],
            ["/api/imports/../tasks/1", 40 * KB, "block"],
            ["/api/imports/%2e%2e/tasks/1", 40 * KB, "block"],
            ["//auth/login", 3 * KB, "block"],
            ["/api/importsX", 40 * KB, "block"],
        ];
        for (const [path, body, want] of cases)
            expect(verdict(path, body), `${path} ${body}`).to.equal(want);
    });

    it("refuses a literal limit WAF could not enforce, and a prefix that is not a plain path", () => {
        expect(() => bodyLimitsOf({ "/upload/": 70000 })).to.throw(/1 to 65536/);
        expect(() => bodyLimitsOf({ "api/": 1000 })).to.throw(/path prefix/);
        expect(() => bodyLimitsOf({ "/a/*": 1000 })).to.throw(/path prefix/);
    });
});

describe("taskflow:wafBodyLimits", () => {
    it("defaults to 16 KB on / and merges a stack's prefixes over it", () => {
        expect(validateStackConfig("global", repoRaw("global")).edge.wafBodyLimits).to.deep.equal({
            "/": 16384,
        });
        const raw = {
            ...repoRaw("global"),
            "taskflow:wafBodyLimits": { "/api/imports/": "65536" },
        };
        expect(validateStackConfig("global", raw).edge.wafBodyLimits).to.deep.equal({
            "/": 16384,
            "/api/imports/": 65536,
        });
    });

    for (const [value, key, allowed] of [
        [{ "/upload/": 1048576 }, "taskflow:wafBodyLimits./upload/", "1 to 65536"],
        [{ "/upload/": 0 }, "taskflow:wafBodyLimits./upload/", "1 to 65536"],
        [{ "upload/": 1024 }, "taskflow:wafBodyLimits.upload/", 'starting with "/"'],
        [{ "/a/../b": 1024 }, "taskflow:wafBodyLimits./a/../b", 'no ".."'],
        [16384, "taskflow:wafBodyLimits", "path prefix"],
    ] as const) {
        it(`names ${key} = ${JSON.stringify(value)} and what is allowed`, () => {
            const e = configErrorOf("global", {
                ...repoRaw("global"),
                "taskflow:wafBodyLimits": value,
            });
            expect(e.issues).to.have.length(1);
            expect(e.issues[0].key).to.equal(key);
            expect(e.issues[0].allowed).to.contain(allowed);
        });
    }

    it("refuses more than 10 prefixes", () => {
        const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`/p${i}/`, 1024]));
        const e = configErrorOf("global", { ...repoRaw("global"), "taskflow:wafBodyLimits": many });
        expect(e.issues.map((i) => i.key)).to.deep.equal(["taskflow:wafBodyLimits"]);
    });
});
