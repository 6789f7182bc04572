// Who may talk to `lanyard serve`: the holder of the token, from a page served by us, addressed by IP or localhost.
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

export type Verdict = { ok: true; viaQuery: boolean } | { ok: false; status: 400 | 403; reason: string };

export function tokenCookieName(port: number): string {
  // Cookies are shared across ports of one host; the port in the name keeps two servers apart.
  return `lanyard_token_${port}`;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** DNS rebinding sends our port a foreign name in Host: accept IP literals and localhost only, on our port. */
export function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader);
  if (!match) return false;
  const name = match[1]!.replace(/^\[|\]$/g, '');
  if (Number(match[2] ?? 80) !== port) return false;
  return name.toLowerCase() === 'localhost' || isIP(name) !== 0;
}

/** The Origin, when sent, must be this very server as the browser addressed it. */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  return origin === `http://${hostHeader}`;
}

export function checkRequest(request: IncomingMessage, port: number, token: string, options: { requireOrigin: boolean }): Verdict {
  if (!hostAllowed(request.headers.host, port)) return { ok: false, status: 403, reason: `Host header "${request.headers.host ?? ''}" is not this server (DNS rebinding guard).` };
  const origin = request.headers.origin;
  if (options.requireOrigin && origin === undefined) return { ok: false, status: 403, reason: 'Missing Origin header.' };
  if (!originAllowed(origin, request.headers.host)) return { ok: false, status: 403, reason: `Origin "${origin}" is not this server.` };
  const url = new URL(request.url ?? '/', 'http://placeholder');
  const fromQuery = url.searchParams.get('token') ?? undefined;
  if (sameToken(fromQuery, token)) return { ok: true, viaQuery: true };
  if (sameToken(cookie(request, tokenCookieName(port)), token)) return { ok: true, viaQuery: false };
  return { ok: false, status: 403, reason: 'Missing or wrong token. Open the exact URL that `lanyard serve` printed.' };
}
