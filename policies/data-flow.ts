// The data-flow model over one stack (`residency-data-flow`): the graph of references
// (graph.ts), who holds which zone's data (flow.ts), and the findings of each resource (checks.ts).

import { judgeResource } from "./checks";
import { DataFlow, Finding } from "./flow";
import { StackGraph, topKey } from "./graph";
import { judgeOf } from "./judges";
import { ResidencyConfig, ResourceView } from "./residency";

const referenceKeyCache = new Map<string, readonly string[]>();

/** The top-level inputs a type's judge reads as references (`arn` of an EventBridge target). */
function referenceKeys(type: string): readonly string[] {
    let keys = referenceKeyCache.get(type);
    if (!keys) {
        const refs = Object.keys(judgeOf(type)?.refs ?? {});
        keys = [...new Set(refs.filter((k) => k !== "*").map(topKey))];
        referenceKeyCache.set(type, keys);
    }
    return keys;
}

/** The data-flow findings of one stack, in the order of its resources. */
export function dataFlowFindings(
    views: readonly ResourceView[],
    config: ResidencyConfig,
    stackAccount: string | undefined,
): Finding[] {
    const graph = new StackGraph(views, config, stackAccount, referenceKeys);
    const flow = new DataFlow(graph, config).propagate();
    for (const n of graph.nodes) judgeResource(flow, n);
    return flow.finish();
}
