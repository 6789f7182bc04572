// Name constraints for a CA: what --permit accepts, and the same check OpenSSL and Chrome make,
// run before issuing so a leaf outside the constraints fails with a clear error instead of being rejected later.
import { domainToASCII } from 'node:url';
import { ServiceError } from '../contract/errors.ts';
import { ipBytes, ipDisplay, type CertName } from './names.ts';

export interface IpRange {
  address: Uint8Array;
  prefix: number;
}

export interface Permits {
  /** DNS subtrees without a leading dot: "test" permits test and every name under it. */
  dns: string[];
  ip: IpRange[];
}

/** What the UI proposes: special-use and home-network names, and the private and loopback ranges. */
export const proposedPermits = ['localhost', 'test', 'internal', 'home.arpa', 'local', 'lan', '127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '::1/128', 'fc00::/7'];

/**
 * The user's own domains, offered (not preselected) as further permits: a wildcard's base, a host's parent
 * domain (or the name itself when it has two labels), skipping what the proposed names already cover.
 */
export function ownDomains(hostNames: readonly string[]): string[] {
  const covered = (d: string) => proposedPermits.some((p) => d === p || d.endsWith(`.${p}`));
  const own = new Set<string>();
  for (const name of hostNames) {
    if (ipBytes(name)) continue;
    const wildcard = name.startsWith('*.');
    const labels = (wildcard ? name.slice(2) : name).toLowerCase().split('.');
    if (labels.length < 2) continue;
    const domain = (wildcard || labels.length === 2 ? labels : labels.slice(1)).join('.');
    if (!covered(domain)) own.add(domain);
  }
  return [...own].sort();
}

function badPermit(input: string, why: string): ServiceError {
  return new ServiceError('invalid-argument', `--permit "${input}": ${why}.`, { field: 'permit' });
}

/** The address with every bit after the prefix cleared (of all-ones bytes: the netmask). */
export function maskRange(address: Uint8Array, prefix: number): Uint8Array {
  return address.map((byte, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
}

export function parsePermit(input: string): { dns: string } | { ip: IpRange } {
  const text = input.trim();
  const slash = text.lastIndexOf('/');
  const address = ipBytes(slash >= 0 ? text.slice(0, slash) : text);
  if (address) {
    const bits = address.length * 8;
    const prefix = slash >= 0 ? Number(text.slice(slash + 1)) : bits;
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) throw badPermit(input, `the prefix length must be 0–${bits}`);
    return { ip: { address: maskRange(address, prefix), prefix } };
  }
  const domain = text.replace(/^\*?\./, '').replace(/\.$/, '');
  const ascii = domain ? domainToASCII(domain.toLowerCase()) : '';
  if (!ascii || !/^[0-9a-z_-]+(\.[0-9a-z_-]+)*$/.test(ascii)) throw badPermit(input, 'not a domain name or an IP range (CIDR)');
  return { dns: ascii };
}

export function parsePermits(inputs: readonly string[]): Permits {
  const permits: Permits = { dns: [], ip: [] };
  for (const input of inputs) {
    const permit = parsePermit(input);
    if ('dns' in permit) {
      if (!permits.dns.includes(permit.dns)) permits.dns.push(permit.dns);
    } else if (!permits.ip.some((r) => r.prefix === permit.ip.prefix && ipDisplay(r.address) === ipDisplay(permit.ip.address))) {
      permits.ip.push(permit.ip);
    }
  }
  if (permits.dns.length === 0 && permits.ip.length === 0) throw new ServiceError('invalid-argument', 'A constrained CA needs at least one --permit NAME or CIDR.', { field: 'permit' });
  return permits;
}

export function permitText(permits: Permits): string[] {
  return [...permits.dns, ...permits.ip.map((r) => `${ipDisplay(r.address)}/${r.prefix}`)];
}

function dnsPermitted(name: string, domains: readonly string[]): boolean {
  const host = name.startsWith('*.') ? name.slice(2) : name;
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

function ipPermitted(address: Uint8Array, ranges: readonly IpRange[]): boolean {
  return ranges.some((r) => r.address.length === address.length && maskRange(address, r.prefix).every((b, i) => b === r.address[i]));
}

/**
 * Names a CA with these permits cannot sign. IPs are refused unless a range permits them (the CA excludes
 * every address outside its ranges); emails and URIs are refused outright because the CA carries no
 * constraints for them and an unconstrained form would let it vouch for any mailbox or URL.
 */
export function forbiddenNames(names: readonly CertName[], permits: Permits): string[] {
  return names
    .filter((n) => {
      if (n.kind === 'dns') return !dnsPermitted(n.value, permits.dns);
      if (n.kind === 'ip') return !ipPermitted(ipBytes(n.value)!, permits.ip);
      return true;
    })
    .map((n) => n.value);
}
