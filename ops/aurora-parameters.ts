/**
 * The Aurora runbooks' last step: the writer parameters of every member region
 * (`/taskflow/<environment>/<region>/database-host`, `database-write-forwarding`,
 * `writer-region`; model/parameters.ts) are rewritten for the new writer, so the tasks follow
 * it without a new image or task definition. ECS resolves a task's parameters when the task
 * starts, so running tasks keep the old values until they are replaced:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html
 * Only parameters the stacks published are overwritten; a missing one is reported, never created
 * (the stack owns it).
 */
import { WRITER_VARIABLES, parameterPath, writerParameterValues } from "../model/parameters";
import { StepResult, errorText } from "../model/steps";

/** What the step needs from AWS. */
export interface ParameterPorts {
    /** The cluster's writer (cluster) and reader endpoints. */
    clusterEndpoints(region: string, arn: string): Promise<{ writer: string; reader: string }>;
    getParameter(region: string, name: string): Promise<string | undefined>;
    putParameter(region: string, name: string, value: string): Promise<void>;
}

/** One step per member region: its writer parameters set for `writerRegion`. */
export async function updateWriterParameters(
    ports: ParameterPorts,
    environment: string,
    writerRegion: string,
    members: { arn: string; region: string }[],
): Promise<StepResult[]> {
    const steps: StepResult[] = [];
    for (const m of [...members].sort((a, b) => a.region.localeCompare(b.region))) {
        const step = "writer-parameters";
        try {
            const values = writerParameterValues(
                m.region,
                writerRegion,
                await ports.clusterEndpoints(m.region, m.arn),
            );
            const changed: string[] = [];
            const missing: string[] = [];
            for (const v of WRITER_VARIABLES) {
                const name = parameterPath(environment, m.region, v);
                const now = await ports.getParameter(m.region, name);
                if (now === undefined) missing.push(name);
                else if (now !== values[v]) {
                    await ports.putParameter(m.region, name, values[v]);
                    changed.push(`${name}=${values[v]}`);
                }
            }
            if (missing.length > 0) {
                steps.push({
                    region: m.region,
                    step,
                    status: "failed",
                    detail: `not published by the stack: ${missing.join(", ")}`,
                });
                continue;
            }
            steps.push({
                region: m.region,
                step,
                status: changed.length > 0 ? "changed" : "unchanged",
                detail:
                    changed.length > 0
                        ? `${changed.join(", ")}; new tasks read them (force a new deployment of the service to replace the running ones)`
                        : "already set for the writer",
            });
        } catch (e) {
            steps.push({ region: m.region, step, status: "failed", detail: errorText(e) });
        }
    }
    return steps;
}
