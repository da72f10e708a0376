/** The boundary key's policy (pure): single-Region, usable only through the zone's services. */
import { keyPolicy, logsServicePrincipal } from "../shared/kms-policy";

/** Services that use the boundary key in its region (`kms:ViaService` short names). */
export const BOUNDARY_KEY_SERVICES = ["dynamodb", "s3", "rds", "secretsmanager"];

/**
 * Key policy of a boundary key (components/shared/kms-policy.ts): the account administers the
 * key, its principals use it only through `services` in `region`, and CloudWatch Logs in `region`
 * may use it for the given log groups. Single-Region: no ReplicateKey, no UpdatePrimaryRegion.
 */
export function boundaryKeyPolicy(
    partition: string,
    accountId: string,
    region: string,
    logGroupNames: string[] = [],
    services: string[] = BOUNDARY_KEY_SERVICES,
): string {
    return keyPolicy({
        partition,
        accountId,
        services,
        regions: [region],
        multiRegion: false,
        servicePrincipals:
            logGroupNames.length > 0
                ? [logsServicePrincipal(partition, accountId, region, logGroupNames)]
                : [],
    });
}
