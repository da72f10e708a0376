/**
 * The Lambda concurrency preflight's port on the AWS SDK v3 (delivery/lambda-quota.ts). Its own
 * client, not one of AwsClients: the night-mode Lambda bundle never carries the Lambda SDK.
 */
import {
    GetAccountSettingsCommand,
    GetFunctionConcurrencyCommand,
    LambdaClient,
} from "@aws-sdk/client-lambda";
import type { LambdaQuotaPort } from "../../delivery/lambda-quota";
import type { ClientOptions } from "./clients";

export function lambdaQuotaPort(opts: ClientOptions = {}): LambdaQuotaPort & { destroy(): void } {
    const clients = new Map<string, LambdaClient>();
    const client = (region: string) => {
        let c = clients.get(region);
        if (!c) {
            c = new LambdaClient({
                region,
                maxAttempts: opts.maxAttempts ?? (opts.endpoint ? 1 : 3),
                ...(opts.endpoint
                    ? {
                          endpoint: opts.endpoint,
                          credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
                      }
                    : {}),
            });
            clients.set(region, c);
        }
        return c;
    };
    return {
        async accountSettings(region) {
            const out = await client(region).send(new GetAccountSettingsCommand({}));
            const limit = out.AccountLimit;
            if (limit?.ConcurrentExecutions === undefined) {
                throw new Error("GetAccountSettings returned no AccountLimit");
            }
            return {
                total: limit.ConcurrentExecutions,
                unreserved: limit.UnreservedConcurrentExecutions ?? limit.ConcurrentExecutions,
            };
        },
        async reservation(region, functionName) {
            try {
                const out = await client(region).send(
                    new GetFunctionConcurrencyCommand({ FunctionName: functionName }),
                );
                return out.ReservedConcurrentExecutions;
            } catch (e) {
                if ((e as { name?: string }).name === "ResourceNotFoundException") return undefined;
                throw e;
            }
        },
        destroy() {
            for (const c of clients.values()) c.destroy();
            clients.clear();
        },
    };
}
