/**
 * `npm run deploy`'s Lambda concurrency preflight: a reservation on the night-mode controller
 * fails CreateFunction when it would leave the account fewer than 100 unreserved executions in
 * the controller's region (new accounts often have 10 in all). Pure over a small port; the SDK
 * adapter is ops/aws/lambda-quota.ts.
 */
import type { StackConfig } from "../config/types";
import { LAMBDA_MIN_UNRESERVED_CONCURRENCY } from "../model/night-mode";
import { namePrefix } from "../model/naming";
import { primaryRegion } from "../model/topology";

/** What the preflight reads in AWS. */
export interface LambdaQuotaPort {
    /** Lambda GetAccountSettings of a region. */
    accountSettings(region: string): Promise<{ total: number; unreserved: number }>;
    /** The function's current reservation (GetFunctionConcurrency); undefined when none or no function. */
    reservation(region: string, functionName: string): Promise<number | undefined>;
}

export interface QuotaCheck {
    ok: boolean;
    line: string;
}

/** The controller's name and region, and what it reserves, from the global stack's config. */
export function controllerReservation(
    configs: Record<string, StackConfig>,
): { region: string; functionName: string; reserve: number | undefined } | undefined {
    const cfg = Object.values(configs).find((c) => c.role === "global");
    if (!cfg || !cfg.nightMode.enabled) return undefined;
    return {
        region: primaryRegion(cfg.topology).region,
        functionName: `${namePrefix(cfg.environment)}-night-mode`,
        reserve: cfg.nightMode.reservedConcurrency,
    };
}

/** Whether the account can take the controller's reservation (with what it already reserves). */
export async function lambdaQuotaPreflight(
    configs: Record<string, StackConfig>,
    port: LambdaQuotaPort,
): Promise<QuotaCheck> {
    const c = controllerReservation(configs);
    if (!c) return { ok: true, line: "Lambda concurrency: night mode is off, nothing reserved" };
    if (c.reserve === undefined) {
        return {
            ok: true,
            line: `Lambda concurrency: the night-mode controller reserves none (taskflow:nightMode.reservedConcurrency unset)`,
        };
    }
    const key = "taskflow:nightMode.reservedConcurrency";
    let settings: { total: number; unreserved: number };
    let current: number | undefined;
    try {
        settings = await port.accountSettings(c.region);
        current = await port.reservation(c.region, c.functionName);
    } catch (e) {
        return {
            ok: false,
            line: `Lambda concurrency: cannot read the quota in ${c.region} (the deploy role needs lambda:GetAccountSettings and lambda:GetFunctionConcurrency): ${e instanceof Error ? e.message : String(e)}; unset ${key} or grant them`,
        };
    }
    // The controller's own reservation is already out of the unreserved pool.
    const spare = settings.unreserved + (current ?? 0) - LAMBDA_MIN_UNRESERVED_CONCURRENCY;
    if (c.reserve > spare) {
        return {
            ok: false,
            line:
                `Lambda concurrency: ${key} = ${c.reserve} would leave ${settings.unreserved + (current ?? 0) - c.reserve} of ${settings.total} unreserved in ${c.region}; ` +
                `Lambda keeps at least ${LAMBDA_MIN_UNRESERVED_CONCURRENCY} (CreateFunction would fail). Allowed: at most ${Math.max(spare, 0)} here; ` +
                `unset the key (flips are serialized by the lock either way) or raise the "Concurrent executions" quota (Service Quotas, Lambda)`,
        };
    }
    return {
        ok: true,
        line: `Lambda concurrency: ${c.reserve} reserved for ${c.functionName} in ${c.region}, ${settings.unreserved + (current ?? 0) - c.reserve} of ${settings.total} stay unreserved`,
    };
}
