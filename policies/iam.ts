// Least privilege: no policy document the program writes allows a wildcard action.
//
// Checked wherever the program writes a policy document: IAM roles (trust and inline policies),
// role/user/group policies, managed policies, and the resource policies of buckets, keys, topics,
// queues and secrets. `Deny` statements may use wildcards (a TLS-only bucket policy denies
// `s3:*`); an `Allow` may not, with one exception: the account-root statement of AWS's default
// key policy (`kms:*` to `arn:<partition>:iam::<account>:root`), which delegates a key's
// administration to IAM and without which a key can become unmanageable
// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
//
// A document not known until apply cannot be judged at preview; the same policy runs again at
// `pulumi up`, when every document is known, so an unknown document is skipped here rather than
// failed (unlike residency, nothing irreversible happens before the update's check).

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { label, T, viewOfArgs } from "./residency";
import { asArray, isUnknown, obj } from "./values";

/** Resource types → the inputs that hold a policy document (a JSON string or an object). */
export const POLICY_DOCUMENT_INPUTS: Readonly<Record<string, readonly string[]>> = {
    [T.iamRole]: ["assumeRolePolicy", "inlinePolicies[].policy"],
    [T.iamRolePolicy]: ["policy"],
    "aws:iam/userPolicy:UserPolicy": ["policy"],
    "aws:iam/groupPolicy:GroupPolicy": ["policy"],
    [T.iamPolicy]: ["policy"],
    [T.bucketPolicy]: ["policy"],
    [T.kmsKey]: ["policy"],
    [T.kmsReplicaKey]: ["policy"],
    [T.topic]: ["policy"],
    [T.topicPolicy]: ["policy"],
    [T.queuePolicy]: ["policy"],
    [T.secretPolicy]: ["policy"],
};

const KEY_TYPES: readonly string[] = [T.kmsKey, T.kmsReplicaKey];
const ACCOUNT_ROOT = /^arn:aws[a-z-]*:iam::\d{12}:root$/;

/** The documents of one resource, with where each came from (`policy`, `inlinePolicies[0].policy`). */
function documents(type: string, props: Record<string, unknown>): [string, unknown][] {
    const out: [string, unknown][] = [];
    for (const path of POLICY_DOCUMENT_INPUTS[type] ?? []) {
        const m = /^(\w+)\[\]\.(\w+)$/.exec(path);
        if (!m) {
            if (props[path] !== undefined && props[path] !== null) out.push([path, props[path]]);
            continue;
        }
        if (isUnknown(props[m[1]])) continue;
        asArray(props[m[1]]).forEach((item, i) => {
            const doc = obj(item)[m[2]];
            if (doc !== undefined && doc !== null) out.push([`${m[1]}[${i}].${m[2]}`, doc]);
        });
    }
    return out;
}

/** Whether an Allow statement is the account-root delegation of a key policy. */
function isKeyRootDelegation(type: string, s: Record<string, unknown>): boolean {
    if (!KEY_TYPES.includes(type)) return false;
    const principals = asArray(obj(s["Principal"])["AWS"]);
    const actions = asArray(s["Action"]);
    return (
        principals.length > 0 &&
        principals.every((p) => typeof p === "string" && ACCOUNT_ROOT.test(p)) &&
        actions.every((a) => a === "kms:*")
    );
}

/** Findings for one resource's documents: a message per offending statement. */
export function wildcardActionFindings(
    type: string,
    name: string,
    props: Record<string, unknown>,
): string[] {
    const r = label({ type, name });
    const rule = "rule: least privilege, no Allow statement grants a wildcard action";
    const out: string[] = [];
    for (const [where, raw] of documents(type, props)) {
        if (isUnknown(raw)) continue;
        let doc: unknown = raw;
        if (typeof raw === "string") {
            try {
                doc = JSON.parse(raw);
            } catch {
                out.push(`${r} has a ${where} that is not valid JSON; ${rule}`);
                continue;
            }
        }
        asArray(obj(doc)["Statement"]).forEach((st, i) => {
            const s = obj(st);
            if (s["Effect"] !== "Allow") return;
            const sid = typeof s["Sid"] === "string" ? `'${s["Sid"]}'` : `#${i}`;
            if (s["NotAction"] !== undefined) {
                out.push(
                    `${r} ${where} statement ${sid} allows NotAction (everything but a list); ${rule}`,
                );
                return;
            }
            if (isKeyRootDelegation(type, s)) return;
            const wild = asArray(s["Action"]).filter(
                (a) => typeof a === "string" && a.includes("*"),
            );
            if (wild.length > 0) {
                out.push(
                    `${r} ${where} statement ${sid} allows ${wild.map((a) => JSON.stringify(a)).join(", ")}; ${rule}`,
                );
            }
        });
    }
    return out;
}

export const iamNoWildcardActions: ResourceValidationPolicy = {
    name: "iam-no-wildcard-actions",
    description:
        "Policy documents (IAM roles and policies, bucket/key/topic/queue/secret policies) allow no wildcard or NotAction; a key policy's account-root delegation is the one exception.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!POLICY_DOCUMENT_INPUTS[args.type]) return;
        const v = viewOfArgs(args);
        for (const m of wildcardActionFindings(v.type, v.name, v.props)) report(m);
    },
};
