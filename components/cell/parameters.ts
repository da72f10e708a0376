/**
 * The region's task parameters: what a task needs at start (data-tier endpoints, table names,
 * the region's role, zone and writer region), one SSM String parameter each under
 * `/taskflow/<environment>/<region>/<name>` (model/parameters.ts). The task definition reads
 * them as container secrets, so a switchover or a writer-region change rewrites parameters,
 * never an image or a task definition. ECS resolves them when a task starts:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RUNTIME_VARIABLES, parameterPath } from "../../model/parameters";
import { GLOBAL_CLASSIFICATION } from "../../model/residency";
import { TAG } from "../../model/tags";
import { residencyTags } from "../shared/residency";
import { CellContext } from "./context";

/** One parameter per task variable. */
export type TaskParameters = Record<string, aws.ssm.Parameter>;

const RUNTIME: ReadonlySet<string> = new Set(RUNTIME_VARIABLES);

/**
 * The parameters of `values` (variable → value). The writer and cache-writer parameters' values
 * are rewritten by the Aurora runbook after a switchover: ignored in diffs, so a refresh stays
 * clean.
 */
export function taskParameters(
    ctx: CellContext,
    values: Record<string, pulumi.Input<string>>,
): TaskParameters {
    const out: TaskParameters = {};
    for (const variable of Object.keys(values).sort()) {
        const path = parameterPath(ctx.environment, ctx.region, variable);
        out[variable] = new aws.ssm.Parameter(
            `${ctx.name}-param-${path.split("/").pop()}`,
            {
                name: path,
                type: "String",
                value: values[variable],
                // Endpoints, names and the region's identity: configuration, no user data.
                tags: residencyTags(GLOBAL_CLASSIFICATION, {
                    ...ctx.tags,
                    [TAG.purpose]: "task-parameter",
                }),
            },
            { parent: ctx.parent, ...(RUNTIME.has(variable) ? { ignoreChanges: ["value"] } : {}) },
        );
    }
    return out;
}

/** The container's `secrets`: each variable read from its parameter's ARN. */
export function parameterSecrets(
    params: TaskParameters,
): { name: string; valueFrom: pulumi.Output<string> }[] {
    return Object.keys(params)
        .sort()
        .map((name) => ({ name, valueFrom: params[name].arn }));
}
