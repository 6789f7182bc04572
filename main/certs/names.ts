// What a user typed as a certificate name, classified the way mkcert does (IP, email, URI, else a host name),
// with IDNs converted to ASCII, plus mkcert's file naming.
import { domainToASCII } from 'node:url';
import { ServiceError } from '../contract/errors.ts';
import { safeBasename } from './safe-name.ts';

export type NameKind = 'dns' | 'ip' | 'email' | 'uri';

export interface CertName {
  kind: NameKind;
  /** The value that goes into the certificate (ASCII, IPs canonical, IPv6 compressed). */
  value: string;
}

// mkcert's hostname rule, applied after IDN → ASCII.
const hostname = /^(\*\.)?[0-9a-z_-]([0-9a-z_-]*[0-9a-z_-])?(\.[0-9a-z_-]([0-9a-z_-]*[0-9a-z_-])?)*$/;
const email = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/;

function invalid(input: string, why = ''): ServiceError {
  return new ServiceError(
    'invalid-argument',
    `"${input}" is not a valid host name, IP address, URI or email address${why ? `: ${why}` : ''}.`,
    { field: 'names' },
  );
}

const ipv4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * 4, 6 or 0, as net.isIP answers, without loading node:net and its streams into every `lanyard cert`. IPv6 is
 * left to the URL parser, which also refuses a zone id ("fe80::1%eth0" names an interface, not an address).
 */
function ipFamily(text: string): 0 | 4 | 6 {
  if (ipv4.test(text)) return 4;
  return /^[0-9a-f:.]+$/i.test(text) && text.includes(':') && URL.canParse(`http://[${text}]/`) ? 6 : 0;
}

/** IPv4 / IPv6 (brackets allowed) → its 4 or 16 bytes; null when the text is not an address. */
export function ipBytes(text: string): Uint8Array | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const family = ipFamily(bare);
  if (family === 4) return Uint8Array.from(bare.split('.').map(Number));
  if (family !== 6) return null;
  let tail: number[] = [];
  let body = bare;
  // The last group, anchored both ends: unanchored, `\d+…$` retries from every digit of a long run.
  const v4 = /^(\d+\.\d+\.\d+\.\d+)$/.exec(bare.slice(bare.lastIndexOf(':') + 1));
  if (v4) {
    tail = v4[1]!.split('.').map(Number);
    body = `${bare.slice(0, -v4[1]!.length)}0:0`;
  }
  const [left, right] = body.includes('::') ? body.split('::') : [body, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').filter((g) => g !== '') : []);
  const l = groups(left);
  const r = groups(right);
  const all = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  if (tail.length === 4) bytes.set(tail, 12);
  return bytes;
}

/** Bytes → text: dotted IPv4, or IPv6 as eight full groups (the form every ASN.1 encoder here parses). */
export function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}

/** IPv6 in its short, conventional form (for display and file names). */
export function ipDisplay(bytes: Uint8Array): string {
  if (bytes.length === 4) return ipText(bytes);
  return new URL(`http://[${ipText(bytes)}]/`).hostname.slice(1, -1);
}

function toAsciiDomain(input: string, domain: string): string {
  // domainToASCII parses like a URL host and would quietly cut "a/b" down to "a": refuse URL syntax first.
  if (/[\s/\\?#@:%<>[\]^|]/.test(domain)) throw invalid(input);
  const ascii = domainToASCII(domain.toLowerCase());
  if (!ascii) throw invalid(input, 'not a valid internationalised domain name');
  return ascii;
}

/** Longest name read (host names stop at 253 anyway): URIs and emails from a request are outside input too. */
export const maxNameLength = 1024;

/** Classify and normalise one name. Throws a ServiceError naming the bad input. */
export function parseName(input: string): CertName {
  if (input.length > maxNameLength) throw invalid(`${input.slice(0, 40)}…`, `longer than ${maxNameLength} characters`);
  const text = input.trim();
  if (!text) throw invalid(input, 'empty');
  const ip = ipBytes(text);
  if (ip) return { kind: 'ip', value: ipDisplay(ip) };
  if (email.test(text) && !text.includes('://')) {
    const at = text.lastIndexOf('@');
    // An rfc822Name is ASCII; an internationalised mailbox needs SmtpUTF8Mailbox (RFC 9598), which Lanyard does not write.
    if (!/^[\x21-\x7e]+$/.test(text.slice(0, at))) throw invalid(input, 'the part before @ must be ASCII');
    return { kind: 'email', value: `${text.slice(0, at)}@${toAsciiDomain(input, text.slice(at + 1))}` };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw invalid(input, 'not a valid URI');
    }
    if (!url.host) throw invalid(input, 'a URI needs a host');
    return { kind: 'uri', value: url.href };
  }
  const wildcard = text.startsWith('*.');
  const ascii = (wildcard ? '*.' : '') + toAsciiDomain(input, wildcard ? text.slice(2) : text);
  const dns = ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
  if (!hostname.test(dns) || dns.length > 253) throw invalid(input);
  return { kind: 'dns', value: dns };
}

/** Parse every name, dropping exact duplicates; at least one is required. */
export function parseNames(inputs: readonly string[]): CertName[] {
  if (inputs.length === 0)
    throw new ServiceError('invalid-argument', 'Give at least one name (host name, IP address, URI or email).', { field: 'names' });
  const seen = new Set<string>();
  const names: CertName[] = [];
  for (const input of inputs) {
    const name = parseName(input);
    const key = `${name.kind}:${name.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    names.push(name);
  }
  return names;
}

/** Warnings mkcert users know: second-level wildcards and names browsers treat specially. */
export function nameWarnings(names: readonly CertName[]): string[] {
  const warnings: string[] = [];
  for (const name of names) {
    if (name.kind === 'dns' && name.value.startsWith('*.') && name.value.split('.').length === 2) {
      warnings.push(`Many browsers don't support second-level wildcards like "${name.value}".`);
    }
    if (name.kind === 'dns' && name.value.startsWith('*.')) {
      warnings.push(`X.509 wildcards only go one level deep, so "${name.value}" won't match a.b.${name.value.slice(2)}.`);
    }
  }
  return warnings;
}

/** The first name's share of a file stem (the rest is at most "+NNN-client" and "-key.pem"). */
const maxStemName = 100;

/**
 * mkcert's default file stem: first name with '*' → '_wildcard', '+N' for the others, '-client'. The name is then a
 * safe basename (safe-name.ts): ':' and '/' become '_' as mkcert and Lanyard always did, and so does anything
 * else outside the allow-list (a '\\' in an email, '%' in a URI), and the length is bounded.
 */
export function fileStem(names: readonly CertName[], client: boolean): string {
  const first = safeBasename(names[0]!.value.replaceAll('*', '_wildcard'), maxStemName);
  return `${first}${names.length > 1 ? `+${names.length - 1}` : ''}${client ? '-client' : ''}`;
}
