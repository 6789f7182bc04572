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
  /** rfc822Name subtrees as RFC 5280 §4.2.1.10 writes them: a mailbox, a host (its mailboxes) or ".domain" (mailboxes on hosts under it). */
  email: string[];
  /** uniformResourceIdentifier subtrees: a host, or ".domain" for the hosts under it. */
  uri: string[];
}

/**
 * RFC 5280 leaves a name type with no permitted subtree unconstrained. A CA given no domain permits (IP ranges
 * only) permits this reserved name (RFC 6761 §6.4: never a real host) instead, so host names, emails and URIs
 * stay closed in the certificate itself and not just in Lanyard's own check.
 */
const closedDomain = 'invalid';

/** What the UI proposes: special-use and home-network names, and the private and loopback ranges. */
export const proposedPermits = [
  'localhost',
  'test',
  'internal',
  'home.arpa',
  'local',
  'lan',
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::1/128',
  'fc00::/7',
];

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

/** Each domain permits mailboxes and URIs on it and on every host under it: the host itself and ".domain". */
function hostSubtrees(domains: readonly string[]): string[] {
  return domains.flatMap((d) => [d, `.${d}`]);
}

export function parsePermits(inputs: readonly string[]): Permits {
  const permits: Permits = { dns: [], ip: [], email: [], uri: [] };
  for (const input of inputs) {
    const permit = parsePermit(input);
    if ('dns' in permit) {
      if (!permits.dns.includes(permit.dns)) permits.dns.push(permit.dns);
    } else if (!permits.ip.some((r) => r.prefix === permit.ip.prefix && ipDisplay(r.address) === ipDisplay(permit.ip.address))) {
      permits.ip.push(permit.ip);
    }
  }
  if (permits.dns.length === 0 && permits.ip.length === 0)
    throw new ServiceError('invalid-argument', 'A constrained CA needs at least one --permit NAME or CIDR.', { field: 'permit' });
  if (permits.dns.length === 0) permits.dns.push(closedDomain);
  permits.email = hostSubtrees(permits.dns);
  permits.uri = hostSubtrees(permits.dns);
  return permits;
}

export function permitText(permits: Permits): string[] {
  // The closed domain is how an IP-only CA says "no host names", not a permit anyone asked for.
  return [...permits.dns.filter((d) => d !== closedDomain), ...permits.ip.map((r) => `${ipDisplay(r.address)}/${r.prefix}`)];
}

function dnsPermitted(name: string, domains: readonly string[]): boolean {
  const host = name.startsWith('*.') ? name.slice(2) : name;
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

/** A host against host / ".domain" subtrees, case-insensitively (the rule for both email and URI subtrees). */
function hostPermitted(host: string, subtrees: readonly string[]): boolean {
  const h = host.toLowerCase();
  return subtrees.some((s) => {
    const base = s.toLowerCase();
    return base.startsWith('.') ? h.length > base.length && h.endsWith(base) : h === base;
  });
}

function emailPermitted(address: string, subtrees: readonly string[]): boolean {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const host = address.slice(at + 1);
  return subtrees.some((s) => {
    const sAt = s.lastIndexOf('@');
    // A mailbox subtree matches that mailbox only: its local part exactly ("@host" any), its host in any case.
    if (sAt >= 0) return (sAt === 0 || s.slice(0, sAt) === local) && s.slice(sAt + 1).toLowerCase() === host.toLowerCase();
    return hostPermitted(host, [s]);
  });
}

/**
 * The host a URI is judged by. OpenSSL 3.0 takes what follows "://" up to the first ':' or '/'; where that is not
 * the URI's real host (user info, a bracketed IPv6 address, a query right after the host) there is none, and no
 * subtree permits it, rather than letting either side judge it by the wrong host.
 */
function uriHost(uri: string): string | null {
  const rest = uri.slice(uri.indexOf('://') + 3);
  const host = rest.slice(0, rest.search(/[:/]|$/));
  return host.toLowerCase() === new URL(uri).hostname.toLowerCase() ? host : null;
}

function ipPermitted(address: Uint8Array, ranges: readonly IpRange[]): boolean {
  return ranges.some((r) => r.address.length === address.length && maskRange(address, r.prefix).every((b, i) => b === r.address[i]));
}

/**
 * Names a CA with these permits cannot sign: the same judgement OpenSSL makes from the CA's extension. A kind
 * with no permitted subtree at all is refused rather than left open: IPs because such a CA excludes every
 * address, and emails and URIs because CAs made before Lanyard encoded them carry no constraint for them.
 */
export function forbiddenNames(names: readonly CertName[], permits: Permits): string[] {
  return names
    .filter((n) => {
      if (n.kind === 'dns') return !dnsPermitted(n.value, permits.dns);
      if (n.kind === 'ip') return !ipPermitted(ipBytes(n.value)!, permits.ip);
      if (n.kind === 'email') return !emailPermitted(n.value, permits.email);
      const host = uriHost(n.value);
      return host === null || !hostPermitted(host, permits.uri);
    })
    .map((n) => n.value);
}
