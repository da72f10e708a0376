/**
 * The Aurora runbooks' last step: the writer parameters of every member region
 * (`/taskflow/<environment>/<region>/database-host`, `database-write-forwarding`,
 * `writer-region`; model/parameters.ts) are rewritten for the new writer, `cache-read-only` too
 * where the runbook moved the Global Datastore's primary with it, and `writer-region` of the
 * topology's regions that hold no global data (they have no member but publish it), so the tasks
 * follow it without a new image or task definition. ECS resolves a task's parameters when the
 * task starts, so running tasks keep the old values until they are replaced:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html
 * Only parameters the stacks published are overwritten; a missing one is reported, never created
 * (the stack owns it).
 */
import {
    CACHE_WRITER_VARIABLES,
    WRITER_VARIABLES,
    cacheWriterParameterValues,
    parameterPath,
    writerParameterValues,
} from "../model/parameters";
import { StepResult, errorText } from "../model/steps";

/** What the step needs from AWS. */
export interface ParameterPorts {
    /** The cluster's writer (cluster) and reader endpoints. */
    clusterEndpoints(region: string, arn: string): Promise<{ writer: string; reader: string }>;
    getParameter(region: string, name: string): Promise<string | undefined>;
    putParameter(region: string, name: string, value: string): Promise<void>;
}

/** What else moved, beyond the Aurora writer. */
export interface ParameterScope {
    /** The Global Datastore's primary moved to the writer region: rewrite `cache-read-only`. */
    cacheMoved?: boolean;
    /** Regions of the topology without an Aurora member: their `writer-region` only. */
    otherRegions?: string[];
}

const STEP = "writer-parameters";

/**
 * One step per member region (its writer parameters set for `writerRegion`), then one per other
 * region of `scope.otherRegions` (its writer region only).
 */
export async function updateWriterParameters(
    ports: ParameterPorts,
    environment: string,
    writerRegion: string,
    members: { arn: string; region: string }[],
    scope: ParameterScope = {},
): Promise<StepResult[]> {
    const steps: StepResult[] = [];
    for (const m of [...members].sort((a, b) => a.region.localeCompare(b.region))) {
        try {
            const values: Record<string, string> = {
                ...writerParameterValues(
                    m.region,
                    writerRegion,
                    await ports.clusterEndpoints(m.region, m.arn),
                ),
                ...(scope.cacheMoved ? cacheWriterParameterValues(m.region, writerRegion) : {}),
            };
            const vars = [...WRITER_VARIABLES, ...(scope.cacheMoved ? CACHE_WRITER_VARIABLES : [])];
            steps.push(await rewrite(ports, environment, m.region, vars, values));
        } catch (e) {
            steps.push({ region: m.region, step: STEP, status: "failed", detail: errorText(e) });
        }
    }
    const memberRegions = new Set(members.map((m) => m.region));
    for (const region of [...new Set(scope.otherRegions ?? [])].sort()) {
        if (memberRegions.has(region)) continue;
        try {
            const values = { TASKFLOW_WRITER_REGION: writerRegion };
            steps.push(await rewrite(ports, environment, region, Object.keys(values), values));
        } catch (e) {
            steps.push({ region, step: STEP, status: "failed", detail: errorText(e) });
        }
    }
    return steps;
}

/** Overwrites the region's published parameters of `vars` that differ from `values`. */
async function rewrite(
    ports: ParameterPorts,
    environment: string,
    region: string,
    vars: readonly string[],
    values: Record<string, string>,
): Promise<StepResult> {
    const changed: string[] = [];
    const missing: string[] = [];
    for (const v of vars) {
        const name = parameterPath(environment, region, v);
        const now = await ports.getParameter(region, name);
        if (now === undefined) missing.push(name);
        else if (now !== values[v]) {
            await ports.putParameter(region, name, values[v]);
            changed.push(`${name}=${values[v]}`);
        }
    }
    if (missing.length > 0)
        return {
            region,
            step: STEP,
            status: "failed",
            detail: `not published by the stack: ${missing.join(", ")}`,
        };
    return {
        region,
        step: STEP,
        status: changed.length > 0 ? "changed" : "unchanged",
        detail:
            changed.length > 0
                ? `${changed.join(", ")}; new tasks read them (force a new deployment of the service to replace the running ones)`
                : "already set for the writer",
    };
}
