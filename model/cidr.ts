/** CIDR arithmetic for the topology's VPC blocks. */

/** Parses `a.b.c.d/n` into [network, prefix]; undefined when malformed or not a network address. */
export function parseCidr(cidr: string): [number, number] | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const addr = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if ((addr & mask) >>> 0 !== addr) return undefined;
    return [addr, prefix];
}

/** True when two valid CIDR blocks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
    const pa = parseCidr(a);
    const pb = parseCidr(b);
    if (!pa || !pb) return false;
    const prefix = Math.min(pa[1], pb[1]);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return (pa[0] & mask) >>> 0 === (pb[0] & mask) >>> 0;
}
