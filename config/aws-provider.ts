/**
 * The stack's `aws:*` provider settings that the program's explicit providers (the edge's
 * us-east-1 and us-west-2 providers) must carry over, validated: an explicit provider reads no
 * `aws:*` config (model/aws-provider.ts), so a setting dropped here would send edge resources to
 * another account, or with another identity, than the rest of the stack.
 */
import {
    AWS_BOOLEAN_SETTINGS,
    AWS_INTEGER_SETTINGS,
    AWS_LIST_SETTINGS,
    AWS_STRING_SETTINGS,
    AwsAssumeRole,
    AwsProviderSettings,
} from "../model/aws-provider";
import { Collector } from "./errors";
import { checkKeys } from "./keys";
import { asBool, asInt, isObject } from "./values";

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
const ASSUME_ROLE_KEYS: readonly string[] = [
    "roleArn",
    "sessionName",
    "externalId",
    "duration",
    "policy",
    "policyArns",
    "sourceIdentity",
    "tags",
    "transitiveTagKeys",
];
const WEB_IDENTITY_KEYS: readonly string[] = [
    "roleArn",
    "sessionName",
    "webIdentityToken",
    "webIdentityTokenFile",
    "duration",
    "policy",
    "policyArns",
];

const isStringList = (v: unknown): v is string[] =>
    Array.isArray(v) && v.every((x) => typeof x === "string" && x !== "");
const isStringMap = (v: unknown): v is Record<string, string> =>
    isObject(v) && Object.values(v).every((x) => typeof x === "string");

/** The carried `aws:*` settings of a raw config map; every bad value is reported on `c`. */
export function checkAwsProvider(c: Collector, raw: Record<string, unknown>): AwsProviderSettings {
    const out: Record<string, unknown> = {};
    if (raw["aws:assumeRole"] !== undefined) {
        c.add(
            "aws:assumeRole",
            raw["aws:assumeRole"],
            "not read by @pulumi/aws v7 (the stack would run as the caller, not the role); set aws:assumeRoles, a list of {roleArn, sessionName, externalId, ...}",
        );
    }
    for (const key of AWS_STRING_SETTINGS) {
        const v = raw[`aws:${key}`];
        if (v === undefined) continue;
        if (typeof v === "string" && v !== "") out[key] = v;
        else c.add(`aws:${key}`, v, "a non-empty string");
    }
    for (const key of AWS_BOOLEAN_SETTINGS) {
        const v = asBool(raw[`aws:${key}`]);
        if (v === undefined) continue;
        if (typeof v === "boolean") out[key] = v;
        else c.add(`aws:${key}`, raw[`aws:${key}`], "true or false");
    }
    for (const key of AWS_INTEGER_SETTINGS) {
        const v = asInt(raw[`aws:${key}`]);
        if (v === undefined) continue;
        if (!Number.isNaN(v) && v >= 0) out[key] = v;
        else c.add(`aws:${key}`, raw[`aws:${key}`], "a non-negative integer");
    }
    for (const key of AWS_LIST_SETTINGS) {
        const v = raw[`aws:${key}`];
        if (v === undefined) continue;
        const accounts = key === "allowedAccountIds" || key === "forbiddenAccountIds";
        if (isStringList(v) && (!accounts || v.every((a) => ACCOUNT_ID.test(a)))) out[key] = v;
        else
            c.add(
                `aws:${key}`,
                v,
                accounts ? "a list of 12-digit account ids" : "a list of strings",
            );
    }
    if (out.allowedAccountIds && out.forbiddenAccountIds) {
        c.add(
            "aws:forbiddenAccountIds",
            out.forbiddenAccountIds,
            "not together with aws:allowedAccountIds (the provider accepts one of the two)",
        );
    }
    checkObjects(c, raw, out);
    return out as AwsProviderSettings;
}

/** `aws:assumeRoles`, `aws:assumeRoleWithWebIdentity`, `aws:defaultTags`, `aws:ignoreTags`, `aws:endpoints`. */
function checkObjects(c: Collector, raw: Record<string, unknown>, out: Record<string, unknown>) {
    const roles = raw["aws:assumeRoles"];
    if (roles !== undefined) {
        const ok = Array.isArray(roles) && roles.length > 0 && roles.every(assumeRoleOk);
        if (ok) out.assumeRoles = roles as AwsAssumeRole[];
        else {
            c.add(
                "aws:assumeRoles",
                roles,
                "a non-empty list of {roleArn: arn:aws:iam::<account>:role/<name>, sessionName?, externalId?, duration?, policy?, policyArns?, sourceIdentity?, tags?, transitiveTagKeys?}",
            );
        }
    }
    const web = raw["aws:assumeRoleWithWebIdentity"];
    if (web !== undefined) {
        const inner = new Collector();
        if (isObject(web)) checkKeys(inner, web, WEB_IDENTITY_KEYS, "");
        if (isObject(web) && inner.issues.length === 0) out.assumeRoleWithWebIdentity = web;
        else {
            c.add(
                "aws:assumeRoleWithWebIdentity",
                web,
                `an object with keys among ${WEB_IDENTITY_KEYS.join(", ")}`,
            );
        }
    }
    const tags = raw["aws:defaultTags"];
    if (tags !== undefined) {
        if (
            isObject(tags) &&
            Object.keys(tags).every((k) => k === "tags") &&
            isStringMap(tags.tags ?? {})
        )
            out.defaultTags = tags;
        else c.add("aws:defaultTags", tags, 'an object {"tags": {<key>: <string value>}}');
    }
    const ignore = raw["aws:ignoreTags"];
    if (ignore !== undefined) {
        const ok =
            isObject(ignore) &&
            Object.entries(ignore).every(
                ([k, v]) => (k === "keys" || k === "keyPrefixes") && isStringList(v),
            );
        if (ok) out.ignoreTags = ignore;
        else c.add("aws:ignoreTags", ignore, 'an object {"keys"?: [...], "keyPrefixes"?: [...]}');
    }
    const endpoints = raw["aws:endpoints"];
    if (endpoints !== undefined) {
        if (Array.isArray(endpoints) && endpoints.every(isStringMap)) out.endpoints = endpoints;
        else c.add("aws:endpoints", endpoints, "a list of {<service>: <endpoint URL>} objects");
    }
}

/** One assume-role entry: a role ARN and only the provider's fields. */
function assumeRoleOk(role: unknown): boolean {
    if (!isObject(role) || typeof role.roleArn !== "string" || !ROLE_ARN.test(role.roleArn)) {
        return false;
    }
    const inner = new Collector();
    checkKeys(inner, role, ASSUME_ROLE_KEYS, "");
    return inner.issues.length === 0;
}
