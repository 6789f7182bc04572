// What this ACME server will do: which names it validates, for how long it signs, how hard one account may push.
import os from 'node:os';
import type { AcmeSettings } from '../../certs/contract.ts';
import type { Permits } from '../constraints.ts';
import { forbiddenNames, permitText } from '../constraints.ts';
import { ipBytes, ipDisplay, parseName } from '../names.ts';
import type { Identifier } from './store.ts';

/** The server's settings (documented in the contract) without the on/off switch. */
export type AcmeConfig = Omit<AcmeSettings, 'enabled'>;

export const defaultAcmeConfig: AcmeConfig = {
  port: 14000,
  bind: '127.0.0.1',
  validityHours: 7 * 24,
  names: ['localhost', '*.localhost', '*.test', '*.internal', 'local-ips'],
  resolveLocal: false,
  httpPort: 80,
  tlsPort: 443,
  dnsServer: null,
  ordersPerHour: 300,
};

export const minValidityHours = 1;

/** "7d", "36h", "90m" or a bare number of days → hours; refuses under 1 hour. */
export function parseValidity(text: string): number {
  const match = /^(\d{1,6})([dhm]?)$/.exec(text.trim());
  if (!match) throw new Error(`--validity "${text}": give a number with d, h or m (7d, 36h, 90m).`);
  const n = Number(match[1]);
  const hours = match[2] === 'h' ? n : match[2] === 'm' ? n / 60 : n * 24;
  if (hours < minValidityHours) throw new Error(`--validity "${text}": the shortest is 1 hour.`);
  return hours;
}

/** --dns-server: an IP address with an optional port (53 when left out; IPv6 with a port in brackets), as the resolver takes it. */
export function parseDnsServer(text: string): string {
  const value = text.trim();
  let host = value;
  let portText = '53';
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    host = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (close < 0 || (rest !== '' && !rest.startsWith(':'))) host = '';
    else if (rest) portText = rest.slice(1);
  } else if (value.split(':').length === 2) [host, portText] = value.split(':') as [string, string];
  const bytes = ipBytes(host);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : 0;
  if (!bytes || port < 1 || port > 65535)
    throw new Error(`--dns-server "${text}": give the DNS server's IP address and port, like 127.0.0.1:5353 or [::1]:5353.`);
  const ip = ipDisplay(bytes);
  return bytes.length === 16 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Addresses on this machine's interfaces, as parseName writes them. */
export function localAddresses(): Set<string> {
  const all = Object.values(os.networkInterfaces()).flatMap((list) => list ?? []);
  return new Set(all.map((a) => ipDisplay(ipBytes(a.address.split('%')[0]!) ?? new Uint8Array(4))));
}

function allowedByPattern(value: string, kind: 'dns' | 'ip', patterns: readonly string[], locals: () => Set<string>): boolean {
  return patterns.some((p) => {
    if (kind === 'ip') return p === 'local-ips' ? locals().has(value) : p === value;
    if (p.startsWith('*.')) return value.endsWith(p.slice(1));
    return p === value;
  });
}

/**
 * Why this server refuses an identifier (the text of a rejectedIdentifier), or null when it will validate it:
 * it must be a host name or IP, on the allowed list, not a wildcard (those need dns-01, not offered), and inside
 * the CA's name constraints.
 */
export function refusal(identifier: Identifier, config: AcmeConfig, permits: Permits | null, locals = localAddresses): string | null {
  let name: ReturnType<typeof parseName>;
  try {
    name = parseName(identifier.value);
  } catch (error) {
    return (error as Error).message;
  }
  if (name.kind === 'ip' && identifier.type === 'dns')
    return `"${identifier.value}" is an IP address sent as a "dns" identifier; RFC 8738 asks for type "ip" (lego 4.9 cannot ask for IP addresses).`;
  if (name.kind !== identifier.type) return `"${identifier.value}" is not an IP address.`;
  if (name.value !== identifier.value) return `"${identifier.value}" must be sent in its normal form, "${name.value}".`;
  if (name.kind === 'dns' && name.value.startsWith('*.'))
    return `"${name.value}" is a wildcard; wildcards need dns-01 and this server does not issue them (its dns-01 covers named hosts only). Ask for the names themselves.`;
  let cached: Set<string> | null = null;
  if (!allowedByPattern(name.value, identifier.type, config.names, () => (cached ??= locals())))
    return `"${name.value}" is not among the names this server validates (${config.names.join(', ')}). Add it in the ACME settings or with --names.`;
  if (permits && forbiddenNames([name], permits).length > 0)
    return `"${name.value}" is outside the CA's name constraints, so no certificate this CA signs for it would be trusted. It may only sign names under: ${permitText(permits).join(', ')}.`;
  return null;
}
