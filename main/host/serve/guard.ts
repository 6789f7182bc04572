// Who may talk to `lanyard serve`. Static files go to any page addressed by IP or localhost on our port (they are
// the public app code); power is granted only on the WebSocket, to the holder of the token, from our own Origin.
// The token is never a cookie: cookies are scoped to the host, not the port, so every other server on 127.0.0.1
// would receive it. The page carries it in the URL fragment (never sent over HTTP) and presents it here as a
// WebSocket sub-protocol, the one header a browser page may set on an upgrade.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

export type Verdict = { ok: true } | { ok: false; status: 400 | 403; reason: string };

/** The sub-protocol the page asks for; the host answers with it, never with the token. */
export const appProtocol = 'lanyard.v1';
/** The page offers `lanyard.token.<token>` beside appProtocol. */
export const tokenProtocolPrefix = 'lanyard.token.';

/** Constant time in the token's content and length: both sides are hashed to 32 bytes before comparing. */
export function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** DNS rebinding sends our port a foreign name in Host: accept IP literals and localhost only, on our port. */
export function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  // Length guard first: the pattern below is linear, but nothing legitimate is longer than an IPv6 literal and a port.
  if (!hostHeader || hostHeader.length > 64) return false;
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

/** Host and Origin checks, for every request (the DNS-rebinding and cross-site guard). */
export function checkRequest(request: IncomingMessage, port: number, options: { requireOrigin: boolean }): Verdict {
  if (!hostAllowed(request.headers.host, port))
    return {
      ok: false,
      status: 403,
      reason: `Host header "${String(request.headers.host ?? '').slice(0, 80)}" is not this server (DNS rebinding guard).`,
    };
  const origin = request.headers.origin;
  if (options.requireOrigin && origin === undefined) return { ok: false, status: 403, reason: 'Missing Origin header.' };
  if (!originAllowed(origin, request.headers.host))
    return { ok: false, status: 403, reason: `Origin "${String(origin).slice(0, 80)}" is not this server.` };
  return { ok: true };
}

/** The token the page offered among its WebSocket sub-protocols, if any. */
export function offeredToken(request: IncomingMessage): string | undefined {
  const header = request.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(',')) {
    const protocol = part.trim();
    if (protocol.startsWith(tokenProtocolPrefix)) return protocol.slice(tokenProtocolPrefix.length);
  }
  return undefined;
}

/** An upgrade: Host, a required Origin of ours, and the token as a sub-protocol. */
export function checkUpgrade(request: IncomingMessage, port: number, token: string): Verdict {
  const verdict = checkRequest(request, port, { requireOrigin: true });
  if (!verdict.ok) return verdict;
  if (!sameToken(offeredToken(request), token))
    return { ok: false, status: 403, reason: 'Missing or wrong token. Open the exact URL that `lanyard serve` printed.' };
  return { ok: true };
}
