/**
 * The failure matrix: for every user geography the planned routing names and every scenario
 * (all healthy, each region down, the primary's data tier down, night mode on), where each entry
 * point serves the geography's sample viewers, whether residency requests stay in their zone, and
 * the physical lower bound on their round trip against the latency target.
 */
import type { Targets } from "../../config/targets";
import { Scenario } from "./dns";
import { PLACES, Place, rttToRegionMs } from "./geo";
import { Obj, PlanIndex, T, byKey, inp } from "./model";
import { EntryPoint, Route, Routing } from "./routing";

/** A user geography as a geolocation record names it. */
export interface Geography {
    /** `country:JP`, `continent:EU`, or `default`. */
    id: string;
    label: string;
    /** The sample viewers Route 53 would match to it. */
    places: Place[];
}

/** The scenarios of the matrix, from the planned regions (and night mode when planned). */
export function scenarios(
    regions: string[],
    primary: string | undefined,
    night: boolean,
): Scenario[] {
    const out: Scenario[] = [
        { id: "healthy", title: "all regions healthy", down: [], night: false },
    ];
    for (const r of regions)
        out.push({ id: `down:${r}`, title: `${r} down`, down: [r], night: false });
    if (primary) {
        out.push({
            id: `data-down:${primary}`,
            title: `${primary} data tier down (writer region)`,
            down: [],
            dataDown: primary,
            night: false,
        });
    }
    if (night) out.push({ id: "night", title: "night mode on", down: [], night: true });
    return out;
}

/** Geographies named by the planned geolocation records (each country, continent, the default). */
export function geographies(routing: Routing): Geography[] {
    const geos = routing.dns.records.filter((r) => r.policy.kind === "geo");
    const countries = new Set<string>();
    const continents = new Set<string>();
    let hasDefault = false;
    for (const r of geos) {
        const p = r.policy as { country?: string; continent?: string };
        if (p.country === "*") hasDefault = true;
        else if (p.country) countries.add(p.country);
        else if (p.continent) continents.add(p.continent);
    }
    const out: Geography[] = [];
    for (const c of [...countries].sort()) {
        out.push({
            id: `country:${c}`,
            label: `country ${c}`,
            places: PLACES.filter((p) => p.country === c),
        });
    }
    for (const c of [...continents].sort()) {
        out.push({
            id: `continent:${c}`,
            label: `continent ${c}`,
            places: PLACES.filter((p) => p.continent === c && !countries.has(p.country)),
        });
    }
    if (hasDefault || geos.length === 0) {
        out.push({
            id: "default",
            label: "default (everywhere else)",
            places: PLACES.filter((p) => !countries.has(p.country) && !continents.has(p.continent)),
        });
    }
    return out;
}

export type ResidencyStatus = "in-zone" | "fails-closed" | "served-outside";

export interface PlaceOutcome {
    place: string;
    country: string;
    region: string | null;
    rttMs: number | null;
    path: string[];
    /** Seconds a resolver caches the answer that sent the viewer there (DNS entries). */
    ttl: number;
    resident: boolean;
    residency?: ResidencyStatus;
    /** Who refuses a residency request served outside its zone: the ALB rule or the application. */
    enforcedBy?: "edge" | "alb" | "application";
    note?: string;
}

export interface MatrixRow {
    scenario: string;
    entry: string;
    entryKind: string;
    geography: string;
    /** Regions serving the geography's viewers (null: requests fail). */
    servedBy: (string | null)[];
    /** Worst round-trip lower bound among served viewers, with the viewer. */
    worstRttMs: number | null;
    worstPlace: string | null;
    latencyOk: boolean | null;
    /** Residency outcome for the geography's residency viewers (undefined: none). */
    residency?: ResidencyStatus;
    enforcedBy?: string;
    places: PlaceOutcome[];
}

/** Whether the serving region's ALB refuses requests the router tagged for `region`. */
function albRefusesTagged(idx: PlanIndex, servingRegion: string, residencyRegion: string): boolean {
    return idx.ofType(T.listenerRule).some((r) => {
        if (r.region !== servingRegion) return false;
        const i = inp(r);
        const header = ((i.conditions as Obj[]) ?? []).some((c) => {
            const h = c.httpHeader as Obj | undefined;
            return (
                h &&
                String(h.httpHeaderName).toLowerCase() === "x-data-residency" &&
                ((h.values as string[]) ?? []).includes(residencyRegion)
            );
        });
        const refuse = ((i.actions as Obj[]) ?? []).some(
            (a) =>
                a.type === "fixed-response" &&
                String((a.fixedResponse as Obj)?.statusCode).startsWith("4"),
        );
        return header && refuse;
    });
}

const residentRegionsOfTasks = new WeakMap<PlanIndex, Map<string, string[]>>();

/** Whether the serving region's tasks are told the resident region (the app's refusal). */
function appKnowsResidency(idx: PlanIndex, servingRegion: string, dataRegions: string[]): boolean {
    let byRegion = residentRegionsOfTasks.get(idx);
    if (!byRegion) {
        byRegion = new Map();
        for (const td of idx.ofType(T.taskDefinition)) {
            const defs = JSON.parse(String(inp(td).containerDefinitions ?? "[]")) as {
                environment?: { name: string; value: string }[];
            }[];
            const values = defs.flatMap((d) =>
                (d.environment ?? [])
                    .filter((e) => e.name === "TASKFLOW_RESIDENT_REGION")
                    .map((e) => e.value),
            );
            byRegion.set(String(td.region), [
                ...(byRegion.get(String(td.region)) ?? []),
                ...values,
            ]);
        }
        residentRegionsOfTasks.set(idx, byRegion);
    }
    return (byRegion.get(servingRegion) ?? []).some((v) => dataRegions.includes(v));
}

function outcome(routing: Routing, entry: EntryPoint, place: Place, sc: Scenario): PlaceOutcome {
    const route: Route = routing.route(entry, place, sc);
    const router = routing.router;
    const resident = !!router && router.countries.includes(place.country);
    const o: PlaceOutcome = {
        place: place.name,
        country: place.country,
        region: route.region,
        rttMs: route.region ? rttToRegionMs(place, route.region) : null,
        path: route.path,
        ttl: route.ttl,
        resident,
        ...(route.note ? { note: route.note } : {}),
    };
    if (!resident) return o;
    if (route.region === null) {
        o.residency = "fails-closed";
        o.enforcedBy = route.pinned ? "edge" : undefined;
    } else if (router!.dataRegions.includes(route.region)) {
        o.residency = "in-zone";
    } else if (
        route.pinned &&
        albRefusesTagged(routing.idx, route.region, router!.dataRegions[0])
    ) {
        o.residency = "fails-closed";
        o.enforcedBy = "alb";
    } else if (appKnowsResidency(routing.idx, route.region, router!.dataRegions)) {
        // Untagged (direct API / accelerator) requests: only the application can refuse the
        // resident data outside its zone; its tasks are told where that data lives.
        o.residency = "fails-closed";
        o.enforcedBy = "application";
    } else {
        o.residency = "served-outside";
    }
    return o;
}

const SEVERITY: Record<ResidencyStatus, number> = {
    "in-zone": 0,
    "fails-closed": 1,
    "served-outside": 2,
};

/** The whole matrix. Latency is judged in operating scenarios only (all healthy, night mode). */
export function failureMatrix(
    routing: Routing,
    scs: Scenario[],
    geos: Geography[],
    targets: Targets,
): MatrixRow[] {
    const rows: MatrixRow[] = [];
    for (const sc of scs) {
        for (const entry of routing.entries) {
            for (const geo of geos) {
                const places = geo.places.map((p) => outcome(routing, entry, p, sc));
                const served = places.filter((p) => p.rttMs !== null);
                const worst = [...served].sort((a, b) => b.rttMs! - a.rttMs!)[0];
                const residents = places.filter((p) => p.residency);
                const res = residents.sort(
                    (a, b) => SEVERITY[b.residency!] - SEVERITY[a.residency!],
                )[0];
                const operating = sc.id === "healthy" || sc.id === "night";
                rows.push({
                    scenario: sc.id,
                    entry: entry.name,
                    entryKind: entry.kind,
                    geography: geo.id,
                    servedBy: [...new Set(places.map((p) => p.region))].sort((a, b) =>
                        String(a) < String(b) ? -1 : 1,
                    ),
                    worstRttMs: worst?.rttMs ?? null,
                    worstPlace: worst?.place ?? null,
                    latencyOk: operating && worst ? worst.rttMs! <= targets.latencyMs : null,
                    ...(res
                        ? {
                              residency: res.residency,
                              ...(res.enforcedBy ? { enforcedBy: res.enforcedBy } : {}),
                          }
                        : {}),
                    places: places.sort(byKey((p) => p.place)),
                });
            }
        }
    }
    return rows;
}
