// The ACME server's transport: node:https with a certificate from the Lanyard CA, bounded bodies, routing, and the
// checks every POST passes before protocol.ts sees it (RFC 8555 §6.2–6.5): content type, JWS, nonce, url, key.
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { ServiceError } from '../../contract/errors.ts';
import { buildLeafCertificate, type Issuer } from '../certificate.ts';
import { forbiddenNames } from '../constraints.ts';
import * as der from '../der.ts';
import type { Inventory } from '../inventory.ts';
import { newKeyPair, privateKeyPem } from '../keys.ts';
import { parseNames } from '../names.ts';
import { maxBodyBytes, parseJws, publicKeyOf, verifyJws } from './jws.ts';
import { NonceStore } from './nonces.ts';
import type { AcmeConfig } from './policy.ts';
import type { Attempt, ValidationTarget } from './validate.ts';
import { AcmeProblem, asProblem, AcmeProtocol, type Authenticated, type Reply } from './protocol.ts';
import { AcmeStore, type ChallengeType } from './store.ts';

export interface AcmeServerOptions {
  config: AcmeConfig;
  issuer: Issuer;
  caPem: string;
  inventory: Inventory;
  validators?: Partial<Record<ChallengeType, (target: ValidationTarget) => Promise<Attempt>>>;
  nonceCap?: number;
}

const wildcardBinds = new Set(['0.0.0.0', '::', '']);
const maxUserAgent = 200;

/** The host part of the server's URLs: the bound address, or this machine's name when bound to all. */
function urlHost(bind: string): string {
  if (wildcardBinds.has(bind)) return os.hostname();
  return bind.includes(':') ? `[${bind}]` : bind;
}

/** Its own HTTPS certificate: the names clients reach it by, within the CA's constraints, key kept in memory. */
async function serverCertificate(issuer: Issuer, bind: string): Promise<{ key: string; cert: string }> {
  const wanted = ['localhost', '127.0.0.1', '::1', ...(wildcardBinds.has(bind) ? [os.hostname()] : [bind])];
  const permits = issuer.certificate.permits;
  const names = parseNames(wanted).filter((n) => !permits || forbiddenNames([n], permits).length === 0);
  if (names.length === 0)
    throw new Error("The CA's name constraints allow none of localhost, 127.0.0.1 or ::1, so the ACME server cannot have a certificate.");
  const pair = await newKeyPair('ecdsa', 'leaf');
  const certificate = buildLeafCertificate({ issuer, publicKey: pair.publicKey, names, subject: der.sequence(), client: false, days: 90 });
  return { key: privateKeyPem(pair.privateKey), cert: certificate.pem };
}

/** Why the server could not listen, said so a person can act on it (the app's card shows it too). */
function listenError(error: NodeJS.ErrnoException, port: number, bind: string): Error {
  if (error.code === 'EADDRINUSE')
    return new ServiceError('unavailable', `Port ${port} on ${bind} is already in use, so the ACME server cannot listen there.`, {
      hint: 'Another ACME server (another Lanyard, pebble, step-ca) or program holds it: stop it, or pick another with --port (the Port field on the card).',
    });
  if (error.code === 'EACCES')
    return new ServiceError('unavailable', `Not allowed to listen on port ${port}.`, {
      hint: 'Ports below 1024 need privileges; use the default 14000.',
    });
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN')
    return new ServiceError('invalid-argument', `${bind} is not an address of this machine, so the ACME server cannot listen on it.`, {
      hint: 'Give --bind one of its addresses: 127.0.0.1 (the default), ::1, or 0.0.0.0 for all.',
    });
  return error;
}

/** The body, up to the cap; a bigger one is refused before it is read in full. */
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes)
      return reject(new AcmeProblem('malformed', `The request body is over ${maxBodyBytes} bytes.`, { status: 413 }));
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        request.destroy();
        reject(new AcmeProblem('malformed', `The request body is over ${maxBodyBytes} bytes.`, { status: 413 }));
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Where a POST may be signed with a bare jwk rather than an account's kid. */
const jwkRoutes = new Set(['/acme/new-account', '/acme/revoke-cert']);

export class AcmeServer {
  readonly options: AcmeServerOptions;
  readonly store: AcmeStore;
  readonly nonces: NonceStore;
  protocol: AcmeProtocol | null = null;
  #server: https.Server | null = null;
  #purge: NodeJS.Timeout | null = null;

  constructor(options: AcmeServerOptions) {
    this.options = options;
    this.store = new AcmeStore(options.inventory.db);
    this.nonces = new NonceStore(options.nonceCap);
  }

  get directoryUrl(): string {
    return this.protocol ? this.protocol.url('/directory') : '';
  }

  async start(): Promise<string> {
    const { config } = this.options;
    const tlsFiles = await serverCertificate(this.options.issuer, config.bind);
    const server = https.createServer({ ...tlsFiles, requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
      this.#handle(req, res).catch((error) => this.#send(res, asProblem(error)));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, config.port, config.bind)));
      server.listen(config.port, config.bind, () => resolve());
    });
    this.#server = server;
    const port = (server.address() as AddressInfo).port;
    this.protocol = new AcmeProtocol({
      store: this.store,
      inventory: this.options.inventory,
      config: { ...config, port },
      issuer: () => this.options.issuer,
      caPem: this.options.caPem,
      base: `https://${urlHost(config.bind)}:${port}`,
      ...(this.options.validators ? { validators: this.options.validators } : {}),
    });
    this.store.purgeExpired(new Date());
    this.#purge = setInterval(() => this.store.purgeExpired(new Date()), 3_600_000).unref();
    return this.directoryUrl;
  }

  async stop(): Promise<void> {
    if (this.#purge) clearInterval(this.#purge);
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #send(res: ServerResponse, reply: Reply | AcmeProblem): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const protocol = this.protocol!;
    res.setHeader('Replay-Nonce', this.nonces.issue());
    res.setHeader('Cache-Control', 'no-store');
    const links = [`<${protocol.url('/directory')}>;rel="index"`];
    if (reply instanceof AcmeProblem) {
      for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
      res.setHeader('Link', links);
      res.writeHead(reply.status, { 'Content-Type': 'application/problem+json' });
      res.end(JSON.stringify(reply.document()));
      return;
    }
    if (reply.location) res.setHeader('Location', reply.location);
    res.setHeader('Link', [...links, ...(reply.links ?? [])]);
    if (reply.pem !== undefined) {
      res.writeHead(reply.status, { 'Content-Type': 'application/pem-certificate-chain' });
      res.end(reply.pem);
    } else if (reply.body !== undefined) {
      res.writeHead(reply.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    } else {
      res.writeHead(reply.status);
      res.end();
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const protocol = this.protocol!;
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path === '/directory') return this.#send(res, protocol.directory());
    if (path === '/acme/new-nonce' && (req.method === 'HEAD' || req.method === 'GET'))
      return this.#send(res, { status: req.method === 'HEAD' ? 200 : 204 });
    if (req.method !== 'POST')
      throw new AcmeProblem('malformed', `${req.method} ${path}: ACME resources are read with POST-as-GET.`, { status: 405 });
    if (req.headers['content-type'] !== 'application/jose+json')
      throw new AcmeProblem('malformed', 'The Content-Type must be application/jose+json.', { status: 415 });
    const request = this.#authenticate(req, await readBody(req), path);
    this.#send(res, await this.#route(request, path));
  }

  #authenticate(req: IncomingMessage, body: Buffer, path: string): Authenticated {
    const protocol = this.protocol!;
    const jws = parseJws(body);
    const { header } = jws;
    if (header.url !== protocol.url(req.url ?? '/'))
      throw new AcmeProblem(
        'unauthorized',
        `The JWS url ${JSON.stringify(header.url)} is not the URL requested (${protocol.url(req.url ?? '/')}).`,
      );
    if (header.nonce === null) throw new AcmeProblem('badNonce', 'The protected header has no nonce; get one from newNonce.');
    if (!this.nonces.consume(header.nonce))
      throw new AcmeProblem('badNonce', 'The nonce was used already, or is unknown or expired; retry with the fresh one in this reply.');
    const userAgent = String(req.headers['user-agent'] ?? 'unknown client').slice(0, maxUserAgent);
    if (header.jwk) {
      if (!jwkRoutes.has(path))
        throw new AcmeProblem('malformed', 'This request must be signed with the account key named by kid, not a bare jwk.');
      const key = publicKeyOf(header.jwk);
      verifyJws(jws, key);
      return { jws, account: null, key, userAgent };
    }
    if (path === '/acme/new-account') throw new AcmeProblem('malformed', 'newAccount must be signed with a jwk, not a kid.');
    const id = protocol.accountIdOf(header.kid!);
    const account = id === null ? null : this.store.account(id);
    if (!account) throw new AcmeProblem('accountDoesNotExist', `No account at ${JSON.stringify(header.kid)}.`);
    const key = publicKeyOf(account.jwk);
    verifyJws(jws, key);
    if (account.status !== 'valid') throw new AcmeProblem('unauthorized', 'The account is deactivated.');
    return { jws, account, key, userAgent };
  }

  async #route(request: Authenticated, path: string): Promise<Reply> {
    const protocol = this.protocol!;
    const [, , kind, id, action] = path.split('/');
    if (path === '/acme/new-account') return protocol.newAccount(request);
    if (path === '/acme/new-order') return protocol.newOrder(request);
    if (path === '/acme/revoke-cert') return protocol.revoke(request);
    if (path === '/acme/key-change') return protocol.keyChange(request);
    if (!id) throw new AcmeProblem('malformed', `No resource at ${path}.`, { status: 404 });
    if (kind === 'acct' && action === 'orders') return protocol.accountOrders(request, id);
    if (kind === 'acct' && action === undefined) return protocol.account(request, id);
    if (kind === 'order' && action === 'finalize') return protocol.finalize(request, id);
    if (kind === 'order' && action === undefined) return protocol.order(request, id);
    if (kind === 'authz' && action === undefined) return protocol.authz(request, id);
    if (kind === 'chall' && action === undefined) return protocol.challenge(request, id);
    if (kind === 'cert' && action === undefined) return protocol.certificate(request, id);
    throw new AcmeProblem('malformed', `No resource at ${path}.`, { status: 404 });
  }
}
