// The access findings of the data-flow model: principals a resource grants access to zone data
// (a Lambda permission, a KMS grant), and resource and trust policies that let someone outside
// the stack's account or the zone's regions reach it.

import { principalProblem, readDocument, trustProblem } from "./documents";
import type { Carry, DataFlow } from "./flow";
import { Node } from "./graph";
import { Judge, kindOf } from "./judges";
import { read } from "./paths";
import { regionText, zoneRule } from "./residency";
import { isUnknown } from "./values";

export function zoneText(z: string, c: Carry): string {
    const hops = c.via.length > 0 ? ` through ${c.via.join(" → ")}` : "";
    return `zone '${z}' data of ${c.origin.label}${hops}`;
}

export function where(n: Node): string {
    return `${n.label} (region ${regionText(n.region)})`;
}

export /** Principals a resource grants access to what it governs (a Lambda permission, a KMS grant). */
function principals(f: DataFlow, n: Node, j: Judge): void {
    if (!j.principals) return;
    const governed = f.graph
        .refsOf(n)
        .filter((r) => kindOf(j, r) === "attach")
        .map((r) => r.target);
    const none = {
        index: 0,
        sid: "",
        principals: [],
        notPrincipal: false,
        reads: true,
        resources: "any" as const,
        accounts: [],
        regions: [],
    };
    for (const g of governed) {
        for (const [z, c] of f.carries.get(g) ?? []) {
            for (const pattern of j.principals) {
                for (const x of read(n.view!.props, pattern)) {
                    const p = String(x.value);
                    const principal = isUnknown(x.value)
                        ? { kind: "unknown" as const }
                        : /^\d{12}$/.test(p)
                          ? { kind: "account" as const, account: p }
                          : p.startsWith("arn:")
                            ? { kind: "account" as const, account: p.split(":")[4] ?? "", arn: p }
                            : p === "*"
                              ? { kind: "public" as const }
                              : { kind: "service" as const, service: p };
                    const why = principalProblem(
                        principal,
                        none,
                        f.graph.stackAccount,
                        f.config.zones[z] ?? [],
                    );
                    if (why)
                        f.report(
                            n,
                            `${where(n)} grants ${why} access to ${zoneText(z, c)} (${x.path}); ${zoneRule(f.config, z)} and stay in the stack's account`,
                        );
                }
            }
        }
    }
}

export /** Resource policies of zone data and trust policies of roles that can read it. */
function documents(f: DataFlow, n: Node, j: Judge): void {
    for (const d of j.docs ?? []) {
        if (d.kind === "identity") continue;
        const target = d.kind === "trust" ? n : f.governed(n, d);
        const zones = target ? f.carries.get(target) : undefined;
        if (!zones) continue;
        for (const x of read(n.view!.props, d.path)) {
            const doc = readDocument(x.value);
            for (const [z, c] of zones) {
                const rule = `${zoneRule(f.config, z)} and stay in the stack's account`;
                if (doc.kind !== "statements") {
                    const state =
                        doc.kind === "unknown"
                            ? "not known until apply"
                            : "that is not a valid policy document";
                    f.report(
                        n,
                        `${where(n)} has a ${d.kind} policy (${x.path}) ${state}, so who may reach ${zoneText(z, c)} cannot be proven (fail closed); ${rule}`,
                    );
                    continue;
                }
                for (const st of doc.statements) {
                    for (const p of st.principals) {
                        const why =
                            d.kind === "trust"
                                ? trustProblem(p, st, f.graph.stackAccount)
                                : principalProblem(
                                      p,
                                      st,
                                      f.graph.stackAccount,
                                      f.config.zones[z] ?? [],
                                  );
                        if (!why) continue;
                        const verb =
                            d.kind === "trust"
                                ? `lets ${why} assume a role that can read`
                                : `grants ${why} access to`;
                        f.report(
                            n,
                            `${where(n)} ${verb} ${zoneText(z, c)} (${x.path} statement ${st.sid}); ${rule}`,
                        );
                    }
                }
            }
        }
    }
}
