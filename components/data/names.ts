/**
 * GlobalData's physical names, from the one naming prefix (model/naming.ts): deterministic, so
 * other stacks can refer to them and the policy pack can prove them. A rename replaces the store.
 */
import {
    ANY_ACCOUNT,
    assetsBucketName,
    checkBucketNameLength,
    namePrefix,
} from "../../model/naming";

export const names = {
    base: (environment: string) => namePrefix(environment),
    globalCluster: (environment: string) => `${namePrefix(environment)}-aurora`,
    /** `<base>-<classification>-<region>`: the residency-name convention of policies/residency.ts. */
    auroraCluster: (environment: string, region: string) =>
        `${namePrefix(environment)}-aurora-global-${region}`,
    table: (environment: string, table: string) => `${namePrefix(environment)}-${table}`,
    /** ElastiCache replication group ids are at most 40 characters. */
    cacheGroup: (environment: string, region: string) => {
        const id = `${namePrefix(environment)}-cache-${region}`;
        if (id.length > 40) {
            throw new Error(
                `GlobalData: ElastiCache replication group id "${id}" is ${id.length} characters; ` +
                    `taskflow:environment "${environment}" is too long (AWS allows 40 characters, so at most ${40 - (id.length - environment.length)} for the environment in ${region})`,
            );
        }
        return id;
    },
    globalDatastoreSuffix: (environment: string) => `${namePrefix(environment)}-cache`,
    /**
     * Residency name with the account in its base (bucket names are global across accounts):
     * `taskflow-prod-assets-123456789012-global-eu-west-1`, at most 63 characters.
     */
    assetsBucket: (environment: string, account: string, region: string) => {
        const name = assetsBucketName(environment, account, region);
        checkBucketNameLength("GlobalData", name, environment);
        return name;
    },
    /** Throws now if the assets bucket's name cannot fit, whatever the account. */
    checkAssetsBucket: (environment: string, region: string) =>
        void names.assetsBucket(environment, ANY_ACCOUNT, region),
    keyAlias: (environment: string) => `alias/${namePrefix(environment)}-global-data`,
};
