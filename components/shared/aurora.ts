/** Facts about Aurora PostgreSQL every cluster of the program uses. */

/**
 * The log group Aurora PostgreSQL exports a cluster's `postgresql` log to. The program creates it
 * before the cluster (with its CMK, retention and residency tag); RDS writes into an existing
 * group of that name (Aurora User Guide, "Publishing Aurora PostgreSQL logs to Amazon CloudWatch
 * Logs").
 */
export function auroraLogGroupName(clusterIdentifier: string): string {
    return `/aws/rds/cluster/${clusterIdentifier}/postgresql`;
}
