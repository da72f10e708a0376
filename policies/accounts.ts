// The account a resource is created in, when its provider says which.

import { arnAccount, ResourceView } from "./residency";
import { parseDocument } from "./values";

/**
 * A resource's account, when its provider says which: the account of the role it assumes
 * (`assumeRoles[].roleArn` / `assumeRole.roleArn`), else its only `allowedAccountIds`.
 */
export function resourceAccount(v: ResourceView): string | undefined {
    return providerAccount(v.provider?.props);
}

export function providerAccount(raw: Record<string, unknown> | undefined): string | undefined {
    if (!raw) return undefined;
    // Provider inputs may hold complex values as JSON text.
    const p = Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [
            k,
            typeof v === "string" ? (parseDocument(v) ?? v) : v,
        ]),
    );
    const roles = [p["assumeRoles"], p["assumeRole"]].flatMap((x) =>
        Array.isArray(x) ? x : x && typeof x === "object" ? [x] : [],
    );
    for (const r of roles) {
        const acct = arnAccount((r as Record<string, unknown>)["roleArn"]);
        if (acct) return acct;
    }
    const allowed = p["allowedAccountIds"];
    if (Array.isArray(allowed) && allowed.length === 1 && typeof allowed[0] === "string")
        return allowed[0];
    return undefined;
}
