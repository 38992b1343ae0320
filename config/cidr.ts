/** Small IPv4 CIDR arithmetic for settings validation (no dependency, no network). */

export interface Ipv4Cidr {
  readonly text: string;
  /** First address as an unsigned 32-bit number. */
  readonly network: number;
  readonly prefix: number;
  /** Number of addresses in the block. */
  readonly size: number;
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const CIDR_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/(3[0-2]|[12]?\\d)$`);

/** Parses `a.b.c.d/n`; returns undefined when the text is not a canonical IPv4 CIDR (host bits must be zero). */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined;
  return { text, network: address, prefix, size };
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.network >= outer.network && inner.network + inner.size <= outer.network + outer.size;
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network < b.network + b.size && b.network < a.network + a.size;
}

/** Addresses AWS lets you use in a subnet: it reserves 5 in every subnet. */
export function usableSubnetAddresses(cidr: Ipv4Cidr): number {
  return cidr.size - 5;
}
