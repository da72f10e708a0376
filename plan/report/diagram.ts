/**
 * architecture.md: a Mermaid diagram generated from the planned stacks — the edge and its entry
 * points, one box per region stack with its cell and data stores, the residency boundary, the
 * routing and the replication arrows — so a reviewer sees what a change does to the picture.
 */
import { geographies } from "./matrix";
import { Obj, PlanIndex, Res, T, classification, inp } from "./model";
import { RpoLine } from "./resilience";
import { Routing } from "./routing";

const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, "_");
const label = (s: string) => s.replace(/"/g, "'");

export function architectureMarkdown(idx: PlanIndex, routing: Routing, rpo: RpoLine[]): string {
    const lines: string[] = ["flowchart LR"];
    const edgeStacks = [...new Set(routing.entries.map((e) => e.stack))].sort();
    lines.push(`  users(("users"))`);
    // ---- Edge: entry points ----
    for (const stack of edgeStacks) {
        const region = idx.plan(stack)?.region;
        lines.push(`  subgraph ${id(`stack_${stack}`)}["stack ${label(stack)} (${region}): edge"]`);
        for (const e of routing.entries.filter((x) => x.stack === stack)) {
            const what =
                e.kind === "cloudfront"
                    ? `CloudFront${routing.router ? " + Lambda@Edge residency router" : ""}`
                    : e.kind === "accelerator"
                      ? "Global Accelerator"
                      : "Route 53 routing";
            lines.push(`    ${id(`entry_${e.name}`)}["${label(e.name)}<br/>${what}"]`);
        }
        lines.push("  end");
    }
    // ---- Region stacks ----
    const regionStacks = idx.plans.filter((p) =>
        idx.all.some((r) => r.stack === p.stack && r.type === T.lb),
    );
    const zoneOf = (region: string) =>
        Object.entries(residentOf(idx)).find(([, regions]) => regions.includes(region))?.[0];
    for (const p of regionStacks) {
        const mine = idx.all.filter((r) => r.stack === p.stack);
        const service = mine.find((r) => r.type === T.ecsService);
        const scaling = mine.find((r) => r.type === T.scalingTarget);
        const tasks = scaling
            ? `${inp(scaling).minCapacity}–${inp(scaling).maxCapacity} tasks`
            : `${inp(service ?? ({ inputs: {} } as Res)).desiredCount ?? 0} tasks`;
        lines.push(
            `  subgraph ${id(`stack_${p.stack}`)}["stack ${label(p.stack)}: ${p.role} (${p.region})"]`,
        );
        lines.push(
            `    ${id(`alb_${p.region}`)}["ALB"] --> ${id(`ecs_${p.region}`)}["ECS Fargate<br/>${tasks}"]`,
        );
        const global = mine.filter((r) => classification(r) === "global" && isStore(r));
        const aurora = global.find((r) => r.type === T.rdsCluster);
        if (aurora)
            lines.push(
                `    ${id(`aurora_${p.region}`)}[("Aurora ${inp(aurora).globalClusterIdentifier ? (idx.ofType(T.globalCluster).some((g) => g.stack === p.stack) ? "global writer" : "global secondary") : ""}")]`,
            );
        const cache = mine.find((r) => r.type === T.cacheGroup && classification(r) === "global");
        if (cache)
            lines.push(
                `    ${id(`cache_${p.region}`)}[("ElastiCache ${inp(cache).globalReplicationGroupId ? "secondary" : "primary"}")]`,
            );
        const tables = idx
            .ofType(T.table)
            .filter(
                (t) =>
                    classification(t) === "global" &&
                    (t.region === p.region ||
                        ((inp(t).replicas as Obj[]) ?? []).some((r) => r.regionName === p.region)),
            );
        if (tables.length)
            lines.push(
                `    ${id(`ddb_${p.region}`)}[("DynamoDB global tables ×${tables.length}")]`,
            );
        const buckets = mine.filter((r) => r.type === T.bucket && classification(r) === "global");
        if (buckets.length) lines.push(`    ${id(`s3_${p.region}`)}[("S3 assets")]`);
        lines.push(
            `    ${id(`ecs_${p.region}`)} --> ${
                [
                    aurora && `aurora_${p.region}`,
                    cache && `cache_${p.region}`,
                    tables.length && `ddb_${p.region}`,
                ]
                    .filter(Boolean)
                    .map((x) => id(String(x)))
                    .join(" & ") || id(`alb_${p.region}`)
            }`,
        );
        const zone = zoneOf(String(p.region));
        const resident = mine.filter((r) => isStore(r) && classification(r) === zone && zone);
        if (zone && resident.length) {
            lines.push(
                `    subgraph ${id(`boundary_${p.region}`)}["residency boundary: zone ${zone} data, ${p.region} only"]`,
            );
            for (const r of resident.sort((a, b) => (a.urn < b.urn ? -1 : 1))) {
                lines.push(
                    `      ${id(`res_${r.name}_${p.region}`)}[("${label(r.type.split(":").pop()!)} ${label(String(inp(r).name ?? inp(r).bucket ?? inp(r).clusterIdentifier ?? r.name))}")]`,
                );
            }
            lines.push("    end");
            lines.push(`    ${id(`ecs_${p.region}`)} --> ${id(`boundary_${p.region}`)}`);
        }
        lines.push("  end");
    }
    // ---- Routing: entry point → region, all healthy ----
    const healthy = { id: "healthy", title: "", down: [], night: false };
    for (const e of routing.entries) lines.push(`  users --> ${id(`entry_${e.name}`)}`);
    const edges = new Set<string>();
    for (const e of routing.entries) {
        if (e.kind === "accelerator") {
            for (const g of routing.endpointGroups(e.urn))
                edges.add(
                    `  ${id(`entry_${e.name}`)} -. "TCP 443 → ${g.region}" .-> ${id(`alb_${g.region}`)}`,
                );
            continue;
        }
        for (const geo of geographies(routing)) {
            const short = geo.id.replace(/^(country|continent):/, "");
            const regions = new Set<string>();
            for (const place of geo.places) {
                const r = routing.route(e, place, healthy);
                if (r.region && !r.pinned) regions.add(r.region);
            }
            for (const region of regions) {
                edges.add(
                    `  ${id(`entry_${e.name}`)} -->|"${label(short === "default" ? "default (latency)" : short)}"| ${id(`alb_${region}`)}`,
                );
            }
        }
        if (e.kind === "cloudfront" && routing.router) {
            const r = routing.router;
            edges.add(
                `  ${id(`entry_${e.name}`)} ==>|"zone ${label(r.zone)} residents: pinned to ${label(r.residentOrigin)}, no failover"| ${id(`alb_${r.dataRegions[0]}`)}`,
            );
        }
    }
    lines.push(...[...edges].sort());
    // ---- Failover pairs ----
    for (const rec of routing.dns.records.filter(
        (r) =>
            r.policy.kind === "failover" &&
            (r.policy as { role: string }).role === "SECONDARY" &&
            r.alias,
    )) {
        const primary = routing.dns
            .recordsNamed(rec.name)
            .find(
                (r) =>
                    r.policy.kind === "failover" &&
                    (r.policy as { role: string }).role === "PRIMARY",
            );
        const a = primary?.alias && routing.dns.target(primary.alias.name);
        const b = routing.dns.target(rec.alias!.name);
        if (a?.kind === "alb" && b.kind === "alb" && a.region !== b.region) {
            lines.push(
                `  ${id(`alb_${a.region}`)} -. "failover (${label(rec.name)})" .-> ${id(`alb_${b.region}`)}`,
            );
        }
    }
    // ---- Replication ----
    const node: Record<string, string> = {
        aurora: "aurora",
        dynamodb: "ddb",
        elasticache: "cache",
        s3: "s3",
    };
    const repl = new Set<string>();
    for (const l of rpo.filter((x) => x.tier !== "resident")) {
        const [src, ...dst] = l.tier === "s3" ? l.regions : orderWriterFirst(idx, l);
        for (const d of dst) {
            if (d === src || d === "?") continue;
            repl.add(
                `  ${id(`${node[l.tier]}_${src}`)} == "${label(l.tier)}: ${label(l.typical)}" ==> ${id(`${node[l.tier]}_${d}`)}`,
            );
        }
    }
    lines.push(...[...repl].sort());
    return [
        "# Architecture (generated by `npm run plan -- --out`)",
        "",
        "Generated from the planned stacks: every box, arrow and label comes from a planned resource",
        "(entry points, Route 53 routing with every region healthy, failover pairs, replication",
        "mechanisms, residency-classified stores). Do not edit; re-run the plan.",
        "",
        "```mermaid",
        ...lines,
        "```",
        "",
    ].join("\n");
}

function isStore(r: Res): boolean {
    return [T.table, T.rdsCluster, T.bucket, T.cacheGroup].includes(r.type as never);
}

function residentOf(idx: PlanIndex): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const r of idx.all) {
        const z = classification(r);
        if (!z || z === "global" || !isStore(r)) continue;
        const list = (out[z] ??= []);
        if (!list.includes(String(r.region))) list.push(String(r.region));
    }
    return out;
}

/** Writer region first (Aurora: the global cluster's stack; cache: the group without a global id). */
function orderWriterFirst(idx: PlanIndex, l: RpoLine): string[] {
    if (l.tier === "aurora") {
        const gc = idx.ofType(T.globalCluster)[0];
        const w = String(gc?.region);
        return [w, ...l.regions.filter((r) => r !== w)];
    }
    if (l.tier === "elasticache") {
        const primary = idx
            .ofType(T.cacheGroup)
            .find((c) => !inp(c).globalReplicationGroupId && classification(c) === "global");
        const w = String(primary?.region);
        return [w, ...l.regions.filter((r) => r !== w)];
    }
    const t = idx.ofType(T.table).find((x) => l.subject.includes(String(inp(x).name)));
    const w = String(t?.region ?? l.regions[0]);
    return [w, ...l.regions.filter((r) => r !== w)];
}
