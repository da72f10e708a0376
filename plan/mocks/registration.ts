/**
 * What a RegisterResource request says besides its inputs, recorded for the engine's view of a
 * planned stack (policies/engine.ts): the explicit provider and the property dependencies.
 */

/** The URN part of a provider reference (`<urn>::<id>`); null for the default provider (""). */
export function providerUrnOf(ref: string): string | null {
    return ref ? ref.slice(0, ref.lastIndexOf("::")) : null;
}

/** The property dependencies a registration carries, without empty lists (as the engine keeps them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function propertyDependenciesOf(req: any): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [k, v] of req.getPropertydependenciesMap().entries()) {
        const urns = [...new Set<string>(v.getUrnsList())].sort();
        if (urns.length > 0) out[k as string] = urns;
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
