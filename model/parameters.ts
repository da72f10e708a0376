/**
 * The per-region parameter scheme: what a region's tasks need at start (data-tier endpoints,
 * table names, the region's role, zone and the writer region) is published to SSM Parameter
 * Store in that region under `/taskflow/<environment>/<region>/<name>`, `<name>` being the
 * task's environment variable in lower kebab case (`DATABASE_HOST` → `database-host`). The
 * task definition reads them as container secrets; the Aurora runbook rewrites the writer
 * parameters (and, when it moved the Global Datastore's primary, the cache's) after a
 * switchover (docs/operations.md, "Per-region parameters").
 */

/** Root of every TaskFlow parameter. */
export const PARAMETER_ROOT = "/taskflow";

/** `DATABASE_HOST` → `database-host`. */
export function parameterName(variable: string): string {
    if (!/^[A-Z][A-Z0-9_]*$/.test(variable))
        throw new Error(`parameter variable ${JSON.stringify(variable)}: UPPER_SNAKE_CASE only`);
    return variable.toLowerCase().replace(/_/g, "-");
}

/** `/taskflow/<environment>/<region>/<name>` of a task variable. */
export function parameterPath(environment: string, region: string, variable: string): string {
    return `${PARAMETER_ROOT}/${environment}/${region}/${parameterName(variable)}`;
}

/**
 * The variables whose parameters follow the writer region: the Aurora runbook rewrites them in
 * every region after a switchover or failover, so the program ignores their values in diffs.
 */
export const WRITER_VARIABLES = [
    "DATABASE_HOST",
    "DATABASE_WRITE_FORWARDING",
    "TASKFLOW_WRITER_REGION",
] as const;
export type WriterVariable = (typeof WRITER_VARIABLES)[number];

/**
 * The writer parameters' values of one region once `writerRegion` takes the writes: its
 * cluster endpoint where it is the writer, else its reader endpoint (whose instances forward
 * writes to the writer; Aurora global write forwarding).
 */
export function writerParameterValues(
    region: string,
    writerRegion: string,
    endpoints: { writer: string; reader: string },
): Record<WriterVariable, string> {
    const isWriter = region === writerRegion;
    return {
        DATABASE_HOST: isWriter ? endpoints.writer : endpoints.reader,
        DATABASE_WRITE_FORWARDING: isWriter ? "false" : "true",
        TASKFLOW_WRITER_REGION: writerRegion,
    };
}

/**
 * The cache's write path: a Global Datastore secondary rejects writes, so the tasks write to the
 * cache only where its primary is. The Aurora runbook rewrites it when it moved the Global
 * Datastore's primary with the writer.
 */
export const CACHE_WRITER_VARIABLES = ["CACHE_READ_ONLY"] as const;
export type CacheWriterVariable = (typeof CACHE_WRITER_VARIABLES)[number];

/** Every variable whose parameter the runbooks own once created: ignored in diffs. */
export const RUNTIME_VARIABLES: readonly string[] = [
    ...WRITER_VARIABLES,
    ...CACHE_WRITER_VARIABLES,
];

/** The cache parameters' values of one region once the Global Datastore's primary is in `cacheRegion`. */
export function cacheWriterParameterValues(
    region: string,
    cacheRegion: string,
): Record<CacheWriterVariable, string> {
    return { CACHE_READ_ONLY: region === cacheRegion ? "false" : "true" };
}
