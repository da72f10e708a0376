// Policy documents as the data-flow model reads them: who a statement lets in (principals, with
// the conditions that pin them to an account or a region), whether its actions can read data, and
// the resources it names. Identity documents give their grantees access to the resources they
// name; resource policies say who may reach the resource they govern; trust policies say who may
// assume a role.

import { elbLogDeliveryRegion, putObjectsOnly } from "./log-delivery";
import { arnAccount, arnRegion, isAccountId } from "./residency";
import { asArray, isUnknown, obj, parseDocument } from "./values";

/** A principal of an Allow statement, classified. */
export type Principal =
    | { kind: "public" }
    | { kind: "account"; account: string; arn?: string }
    | { kind: "service"; service: string; region?: string }
    | { kind: "external"; what: string }
    | { kind: "unknown" };

export interface Statement {
    index: number;
    sid: string;
    principals: Principal[];
    /** An Allow with NotPrincipal: everyone but the listed principals. */
    notPrincipal: boolean;
    /** Whether the actions can return data (anything but writes, encryption and metadata). */
    reads: boolean;
    /** Whether it only lets its principals put objects (s3:PutObject on object ARNs). */
    putsObjectsOnly?: boolean;
    /** The Resource entries (strings as written), or "any" for NotResource / `*`. */
    resources: string[] | "any";
    /** Accounts the conditions pin callers or sources to (aws:SourceAccount, kms:CallerAccount, …). */
    accounts: string[];
    /** Regions the conditions pin the call to (kms:ViaService, aws:RequestedRegion, SourceArn). */
    regions: string[];
}

export type Document =
    { kind: "statements"; statements: Statement[] } | { kind: "unknown" } | { kind: "invalid" };

/**
 * Actions that return no stored data: writes (Put/Send/Publish/Create/Abort), encryption and
 * metadata reads. Everything else, wildcards included, may read (fail closed).
 */
const NON_READING =
    /^[a-z0-9-]+:(Put|Send|Publish|Create|Abort|Encrypt|GenerateDataKey|Describe|ListTags)/i;

const ACCOUNT_KEYS = [
    "aws:sourceaccount",
    "aws:principalaccount",
    "aws:sourceowner",
    "aws:resourceaccount",
    "kms:calleraccount",
];
const ARN_KEYS = ["aws:sourcearn", "aws:principalarn"];

function principalsOf(p: unknown): Principal[] {
    if (p === "*") return [{ kind: "public" }];
    if (isUnknown(p)) return [{ kind: "unknown" }];
    const out: Principal[] = [];
    for (const [k, v] of Object.entries(obj(p))) {
        for (const x of asArray(v)) {
            if (isUnknown(x) || typeof x !== "string") {
                out.push({ kind: "unknown" });
            } else if (k === "AWS") {
                if (x === "*") out.push({ kind: "public" });
                else if (isAccountId(x)) out.push({ kind: "account", account: x });
                else {
                    const acct = arnAccount(x);
                    out.push(
                        acct ? { kind: "account", account: acct, arn: x } : { kind: "unknown" },
                    );
                }
            } else if (k === "Service") {
                const m = /^([a-z0-9-]+)\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com$/.exec(x);
                out.push({ kind: "service", service: x, region: m ? m[2] : undefined });
            } else {
                out.push({ kind: "external", what: `${k} ${x}` });
            }
        }
    }
    return out.length > 0 ? out : [{ kind: "unknown" }];
}

function conditionValues(cond: unknown, keys: string[]): string[] {
    const out: string[] = [];
    for (const ops of Object.values(obj(cond))) {
        for (const [k, v] of Object.entries(obj(ops))) {
            if (!keys.includes(k.toLowerCase())) continue;
            for (const x of asArray(v)) if (typeof x === "string" && !isUnknown(x)) out.push(x);
        }
    }
    return out;
}

function statementOf(raw: unknown, index: number): Statement | undefined {
    const s = obj(raw);
    if (s["Effect"] !== "Allow") return undefined;
    const actions = [...asArray(s["Action"]), ...asArray(s["NotAction"])];
    const reads =
        s["NotAction"] !== undefined ||
        actions.length === 0 ||
        actions.some((a) => typeof a !== "string" || a.includes("*") || !NON_READING.test(a));
    const res = s["NotResource"] !== undefined ? "any" : asArray(s["Resource"]);
    const resources =
        res === "any" || res.some((r) => r === "*" || isUnknown(r))
            ? ("any" as const)
            : res.filter((r): r is string => typeof r === "string");
    const cond = s["Condition"];
    const arns = conditionValues(cond, ARN_KEYS);
    const via = conditionValues(cond, ["kms:viaservice"]);
    return {
        index,
        sid: typeof s["Sid"] === "string" ? `'${s["Sid"]}'` : `#${index}`,
        principals:
            s["NotPrincipal"] !== undefined ? [{ kind: "public" }] : principalsOf(s["Principal"]),
        notPrincipal: s["NotPrincipal"] !== undefined,
        reads,
        putsObjectsOnly: s["NotAction"] === undefined && putObjectsOnly(actions, resources),
        resources,
        accounts: [
            ...conditionValues(cond, ACCOUNT_KEYS),
            ...arns.map(arnAccount).filter((a): a is string => a !== undefined),
        ],
        regions: [
            ...via.map((v) => /\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com$/.exec(v)?.[1]),
            ...conditionValues(cond, ["aws:requestedregion"]),
            ...arns.map(arnRegion),
        ].filter((r): r is string => r !== undefined),
    };
}

/** Parses a policy document given as JSON text or an object. */
export function readDocument(v: unknown): Document {
    if (isUnknown(v)) return { kind: "unknown" };
    const doc = parseDocument(v);
    if (doc === undefined || typeof doc !== "object") return { kind: "invalid" };
    const statements = asArray(obj(doc)["Statement"])
        .map((s, i) => (isUnknown(s) ? "unknown" : statementOf(s, i)))
        .filter((s) => s !== undefined);
    if (statements.includes("unknown")) return { kind: "unknown" };
    return { kind: "statements", statements: statements as Statement[] };
}

/**
 * Why a principal of a resource policy reaches beyond the stack's account or the zone's regions,
 * or undefined when it does not. `zoneRegions`: the regions the governed data may be in.
 */
export function principalProblem(
    p: Principal,
    st: Statement,
    stackAccount: string | undefined,
    zoneRegions: readonly string[],
): string | undefined {
    const pinned =
        stackAccount !== undefined &&
        st.accounts.length > 0 &&
        st.accounts.every((a) => a === stackAccount);
    const inZone = st.regions.length > 0 && st.regions.every((r) => zoneRegions.includes(r));
    switch (p.kind) {
        case "public":
            return pinned
                ? undefined
                : `${st.notPrincipal ? "every principal but those listed (NotPrincipal)" : "any principal ('*')"}, not pinned to the stack's account`;
        case "unknown":
            return "a principal not known until apply";
        case "external":
            return `${p.what}, an identity outside the account`;
        case "account":
            if (stackAccount === undefined)
                return `account ${p.account}, which cannot be compared with the stack's account (not configured: set the pack config 'account')`;
            if (p.account === stackAccount) return undefined;
            // ELB access-log delivery of a zone Region: it only puts that Region's logs in.
            if (st.putsObjectsOnly && zoneRegions.includes(elbLogDeliveryRegion(p.account) ?? ""))
                return undefined;
            return `account ${p.account}, not the stack's account ${stackAccount}`;
        case "service":
            if (p.service === "cloudfront.amazonaws.com")
                return `${p.service}, which serves the data from edge locations worldwide`;
            if (p.region !== undefined)
                return zoneRegions.includes(p.region)
                    ? undefined
                    : `${p.service}, a service principal of region ${p.region}`;
            return pinned || inZone
                ? undefined
                : `${p.service}, a service principal not pinned to the stack's account or the zone's regions (aws:SourceAccount, aws:SourceArn, kms:ViaService)`;
    }
}

/** Principals of a trust policy that let someone outside the account assume the role. */
export function trustProblem(
    p: Principal,
    st: Statement,
    stackAccount: string | undefined,
): string | undefined {
    if (p.kind === "service") return undefined;
    return principalProblem(p, st, stackAccount, []);
}
