// Challenge validation (RFC 8555 §8.3 http-01, §8.4 dns-01, RFC 8737 tls-alpn-01): connect to each of this machine's addresses
// the name resolves to (validation-addresses.ts; 127.0.0.1 with the resolve-local switch) until one answers right,
// read at most a few kilobytes within a deadline, and say exactly what was fetched from where and why it failed,
// for the client and for the app's order list.
import { createHash, type X509Certificate } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import http from 'node:http';
import tls from 'node:tls';
import * as der from '../der.ts';
import { readExtensions } from '../read-certificate.ts';
import type { ProblemType } from './problem.ts';
import type { Identifier } from './store.ts';
import { validationAddresses } from './validation-addresses.ts';

export interface Attempt {
  ok: boolean;
  /** "GET http://app.test:80/.well-known/acme-challenge/… at 127.0.0.1: 404", for people. */
  attempt: string;
  /** Set when not ok. */
  problem?: { type: ProblemType; detail: string };
}

export interface ValidationTarget {
  identifier: Identifier;
  token: string;
  keyAuthorization: string;
  resolveLocal: boolean;
  port: number;
  /** dns-01's DNS server, "ip:port"; null when dns-01 is not offered. */
  dnsServer: string | null;
  timeoutMs?: number;
}

/** The largest http-01 answer read: a key authorization is 43 + 1 + 86 characters at most. */
export const maxHttpBody = 8 * 1024;
const acmeIdentifierOid = '1.3.6.1.5.5.7.1.31';

const hostPart = (identifier: Identifier) =>
  identifier.type === 'ip' && identifier.value.includes(':') ? `[${identifier.value}]` : identifier.value;

function failure(attempt: string, type: ProblemType, detail: string): Attempt {
  return { ok: false, attempt: `${attempt}: ${detail}`, problem: { type, detail: `${attempt}: ${detail}` } };
}

/**
 * Runs one attempt per address the name may be validated at, in order, until one succeeds; when none does, the
 * failure names every address tried. A name that resolves nowhere, or not to this machine, fails as `dns`.
 */
async function atEachAddress(target: ValidationTarget, what: string, attempt: (address: string) => Promise<Attempt>): Promise<Attempt> {
  const where = await validationAddresses(target.identifier, target.resolveLocal, { timeoutMs: target.timeoutMs });
  if ('problem' in where) return failure(what, 'dns', where.problem);
  const failed: Attempt[] = [];
  for (const address of where.addresses) {
    const result = await attempt(address);
    if (result.ok) return result;
    failed.push(result);
  }
  if (failed.length === 1) return failed[0]!;
  const detail = failed.map((f) => f.attempt).join('; ');
  return { ok: false, attempt: detail, problem: { type: failed[0]!.problem!.type, detail } };
}

export function validateHttp01(target: ValidationTarget): Promise<Attempt> {
  const url = `http://${hostPart(target.identifier)}:${target.port}/.well-known/acme-challenge/${target.token}`;
  return atEachAddress(target, `GET ${url}`, (address) => fetchHttp01(target, url, address));
}

function fetchHttp01(target: ValidationTarget, url: string, address: string): Promise<Attempt> {
  const what = `GET ${url} at ${address}`;
  return new Promise<Attempt>((resolve) => {
    const request = http.get(
      {
        host: address,
        port: target.port,
        path: `/.well-known/acme-challenge/${target.token}`,
        headers: {
          host: target.port === 80 ? hostPart(target.identifier) : `${hostPart(target.identifier)}:${target.port}`,
          'user-agent': 'Lanyard ACME validation',
        },
        timeout: target.timeoutMs ?? 5000,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxHttpBody) {
            response.destroy();
            resolve(failure(what, 'unauthorized', `the answer is over ${maxHttpBody} bytes`));
          } else chunks.push(chunk);
        });
        response.on('end', () => {
          if (response.statusCode !== 200) return resolve(failure(what, 'unauthorized', `HTTP ${response.statusCode} instead of 200`));
          const body = Buffer.concat(chunks).toString('utf8').trim();
          if (body !== target.keyAuthorization)
            return resolve(
              failure(
                what,
                'incorrectResponse',
                `the key authorization is wrong: got ${JSON.stringify(body.slice(0, 140))}, expected ${JSON.stringify(target.keyAuthorization)}`,
              ),
            );
          resolve({ ok: true, attempt: `${what}: 200, key authorization matches` });
        });
        response.on('error', (error) => resolve(failure(what, 'connection', error.message)));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${(target.timeoutMs ?? 5000) / 1000} s`)));
    request.on('error', (error) => resolve(failure(what, 'connection', error.message)));
  });
}

/** The acmeIdentifier extension's value: an OCTET STRING holding the SHA-256 of the key authorization. */
function acmeIdentifierOf(certificate: X509Certificate): { critical: boolean; digest: Buffer } | null {
  const [tbs] = der.children(der.decode(certificate.raw));
  const wrapper = der.children(tbs!).find((f) => der.tagOf(f) === der.contextTag(3, true));
  if (!wrapper) return null;
  const list = der.children(wrapper)[0]!;
  const value = readExtensions(list).get(acmeIdentifierOid);
  if (!value) return null;
  const critical = der
    .children(list)
    .some(
      (e) =>
        der.oidText(der.children(e)[0]!) === acmeIdentifierOid && der.children(e).length === 3 && der.content(der.children(e)[1]!)[0] !== 0,
    );
  return { critical, digest: der.content(der.ofTag(der.decode(value), der.tag.octetString, 'the acmeIdentifier')) };
}

export function validateTlsAlpn01(target: ValidationTarget): Promise<Attempt> {
  if (target.identifier.type === 'ip') return Promise.resolve(failure('tls-alpn-01', 'unauthorized', 'offered for host names only'));
  return atEachAddress(target, `TLS ${target.identifier.value}:${target.port}`, (address) => handshakeTlsAlpn01(target, address));
}

function handshakeTlsAlpn01(target: ValidationTarget, address: string): Promise<Attempt> {
  const what = `TLS with ALPN acme-tls/1 and SNI ${target.identifier.value} to ${address}:${target.port}`;
  const expected = createHash('sha256').update(target.keyAuthorization).digest();
  return new Promise<Attempt>((resolve) => {
    const socket = tls.connect({
      host: address,
      port: target.port,
      servername: target.identifier.value,
      ALPNProtocols: ['acme-tls/1'],
      // The certificate is self-signed by design; what is checked is its extension, below.
      rejectUnauthorized: false,
      timeout: target.timeoutMs ?? 5000,
    });
    const done = (result: Attempt) => {
      socket.destroy();
      resolve(result);
    };
    socket.on('timeout', () => done(failure(what, 'connection', 'no handshake within the deadline')));
    socket.on('error', (error) => done(failure(what, 'tls', error.message)));
    socket.on('secureConnect', () => {
      if (socket.alpnProtocol !== 'acme-tls/1')
        return done(failure(what, 'tls', `the server chose ALPN ${JSON.stringify(socket.alpnProtocol)}, not acme-tls/1`));
      const peer = socket.getPeerX509Certificate();
      if (!peer) return done(failure(what, 'tls', 'the server sent no certificate'));
      const sans = (peer.subjectAltName ?? '').split(', ');
      if (sans.length !== 1 || sans[0] !== `DNS:${target.identifier.value}`)
        return done(
          failure(
            what,
            'unauthorized',
            `the certificate must name exactly DNS:${target.identifier.value}; it names ${peer.subjectAltName ?? 'nothing'}`,
          ),
        );
      let extension: ReturnType<typeof acmeIdentifierOf>;
      try {
        extension = acmeIdentifierOf(peer);
      } catch (error) {
        return done(failure(what, 'tls', `the certificate's extensions are unreadable: ${(error as Error).message}`));
      }
      if (!extension) return done(failure(what, 'unauthorized', 'the certificate has no acmeIdentifier extension'));
      if (!extension.critical) return done(failure(what, 'unauthorized', 'the acmeIdentifier extension is not critical'));
      if (!extension.digest.equals(expected))
        return done(failure(what, 'incorrectResponse', 'the acmeIdentifier does not match the key authorization'));
      done({ ok: true, attempt: `${what}: acmeIdentifier matches` });
    });
  });
}

/** RFC 8555 §8.4: the TXT value is the base64url SHA-256 of the key authorization. */
export function dns01Value(keyAuthorization: string): string {
  return createHash('sha256').update(keyAuthorization).digest('base64url');
}

/** dns-01: asks the configured DNS server (not the system's) for _acme-challenge.<name> TXT, once, within the deadline. */
export async function validateDns01(target: ValidationTarget): Promise<Attempt> {
  const name = `_acme-challenge.${target.identifier.value.replace(/^\*\./, '')}`;
  const what = `TXT ${name} at ${target.dnsServer ?? 'no DNS server'}`;
  if (target.identifier.type === 'ip') return failure(what, 'unauthorized', 'offered for host names only');
  if (!target.dnsServer) return failure(what, 'dns', 'this server has no DNS server to ask; set one with --dns-server');
  const resolver = new Resolver({ timeout: target.timeoutMs ?? 5000, tries: 1 });
  resolver.setServers([target.dnsServer]);
  let records: string[][];
  try {
    records = await resolver.resolveTxt(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return failure(what, 'dns', `no TXT record (${code}); publish the value your client printed, then retry`);
  }
  const values = records.map((chunks) => chunks.join(''));
  if (values.includes(dns01Value(target.keyAuthorization))) return { ok: true, attempt: `${what}: the digest matches` };
  const shown = values.slice(0, 4).map((v) => JSON.stringify(v.slice(0, 64)));
  return failure(
    what,
    'incorrectResponse',
    `none of the ${values.length} TXT values matches the key authorization's digest: ${shown.join(', ')}`,
  );
}
