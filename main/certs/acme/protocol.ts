// RFC 8555's resources on top of the store: accounts, orders, authorizations, challenges, finalize, certificates,
// revocation and key rollover. Requests arrive authenticated (server.ts checked the JWS, nonce and url); each
// method returns what to send, or throws an AcmeProblem.
import { createHash, X509Certificate, type JsonWebKey, type KeyObject } from 'node:crypto';
import { ServiceError } from '../../contract/errors.ts';
import { buildLeafCertificate, fingerprint256, spkiOf, type Issuer } from '../certificate.ts';
import { readCsr } from '../csr.ts';
import * as der from '../der.ts';
import type { Inventory } from '../inventory.ts';
import { leafSubject } from '../issue.ts';
import { keyTypeOf } from '../keys.ts';
import { type ParsedJws, parseJws, payloadObject, publicKeyOf, thumbprint, verifyJws, fromBase64url } from './jws.ts';
import { type AcmeConfig, refusal } from './policy.ts';
import { AcmeProblem, problemOf } from './problem.ts';
export { AcmeProblem } from './problem.ts';
import type { Account, AcmeStore, Authz, Challenge, ChallengeType, Identifier, Order, StoredCertificate } from './store.ts';
import { type Attempt, validateDns01, validateHttp01, validateTlsAlpn01, type ValidationTarget } from './validate.ts';

const HOUR = 3_600_000;
/** How long an order (and its authorizations) may wait for validation and finalize. */
export const orderLifetimeMs = 24 * HOUR;
export const maxIdentifiers = 100;
const maxContacts = 10;

export interface Reply {
  status: number;
  body?: unknown;
  /** A PEM chain instead of JSON. */
  pem?: string;
  location?: string;
  links?: string[];
}

export interface Authenticated {
  jws: ParsedJws;
  /** The account named by kid; null for a jwk-signed request. */
  account: Account | null;
  key: KeyObject;
  userAgent: string;
}

export interface ProtocolOptions {
  store: AcmeStore;
  inventory: Inventory;
  config: AcmeConfig;
  issuer: () => Issuer;
  caPem: string;
  /** The server's base URL, "https://127.0.0.1:14000". */
  base: string;
  validators?: Partial<Record<ChallengeType, (target: ValidationTarget) => Promise<Attempt>>>;
}

const validatorsDefault: Record<ChallengeType, (target: ValidationTarget) => Promise<Attempt>> = {
  'http-01': validateHttp01,
  'tls-alpn-01': validateTlsAlpn01,
  'dns-01': validateDns01,
};

function malformed(detail: string): AcmeProblem {
  return new AcmeProblem('malformed', detail);
}

function identifiersOf(value: unknown): Identifier[] {
  if (!Array.isArray(value) || value.length === 0) throw malformed('The order needs a non-empty identifiers array.');
  if (value.length > maxIdentifiers)
    throw new AcmeProblem('rejectedIdentifier', `An order may name at most ${maxIdentifiers} identifiers.`);
  const seen = new Set<string>();
  const out: Identifier[] = [];
  for (const item of value as unknown[]) {
    const { type, value: text } = (item ?? {}) as { type?: unknown; value?: unknown };
    if (typeof text !== 'string' || typeof type !== 'string') throw malformed('Each identifier is {"type", "value"} with string members.');
    if (type !== 'dns' && type !== 'ip')
      throw new AcmeProblem('unsupportedIdentifier', `Identifiers of type "${type}" are not supported; use dns or ip.`);
    const key = `${type}:${text.toLowerCase()}`;
    if (!seen.has(key)) out.push({ type, value: type === 'dns' ? text.toLowerCase() : text });
    seen.add(key);
  }
  return out;
}

function contactsOf(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > maxContacts || !value.every((c) => typeof c === 'string' && c.length <= 320))
    throw new AcmeProblem('invalidContact', `contact must be an array of at most ${maxContacts} URLs.`);
  for (const c of value as string[])
    if (!c.startsWith('mailto:')) throw malformed(`Only mailto: contacts are supported, not ${JSON.stringify(c)}.`);
  return value as string[];
}

const sameKey = (a: KeyObject, b: KeyObject) => spkiOf(a).equals(spkiOf(b));

export class AcmeProtocol {
  readonly options: ProtocolOptions;
  readonly #validators: Record<ChallengeType, (target: ValidationTarget) => Promise<Attempt>>;

  constructor(options: ProtocolOptions) {
    this.options = options;
    this.#validators = { ...validatorsDefault, ...options.validators };
  }

  url(path: string): string {
    return `${this.options.base}${path}`;
  }

  directory(): Reply {
    return {
      status: 200,
      body: {
        newNonce: this.url('/acme/new-nonce'),
        newAccount: this.url('/acme/new-account'),
        newOrder: this.url('/acme/new-order'),
        revokeCert: this.url('/acme/revoke-cert'),
        keyChange: this.url('/acme/key-change'),
        meta: { website: 'https://github.com/lanyard', externalAccountRequired: false },
      },
    };
  }

  /** The account id a kid names, or null when the kid is not one of this server's account URLs. */
  accountIdOf(kid: string): string | null {
    const prefix = this.url('/acme/acct/');
    return kid.startsWith(prefix) && !kid.slice(prefix.length).includes('/') ? kid.slice(prefix.length) : null;
  }

  #accountBody(account: Account) {
    return { status: account.status, contact: account.contact, orders: this.url(`/acme/acct/${account.id}/orders`) };
  }

  newAccount(request: Authenticated): Reply {
    const payload = payloadObject(request.jws);
    const print = thumbprint(request.key);
    const existing = this.options.store.accountByThumbprint(print);
    if (existing) return { status: 200, body: this.#accountBody(existing), location: this.url(`/acme/acct/${existing.id}`) };
    if (payload.onlyReturnExisting === true) throw new AcmeProblem('accountDoesNotExist', 'No account exists for this key.');
    const account = this.options.store.createAccount({
      thumbprint: print,
      jwk: request.key.export({ format: 'jwk' }),
      status: 'valid',
      contact: contactsOf(payload.contact),
      userAgent: request.userAgent,
    });
    return { status: 201, body: this.#accountBody(account), location: this.url(`/acme/acct/${account.id}`) };
  }

  account(request: Authenticated, id: string): Reply {
    const account = this.#own(request, id);
    if (request.jws.payload.length === 0) return { status: 200, body: this.#accountBody(account) };
    const payload = payloadObject(request.jws);
    let updated = account;
    if (payload.status !== undefined) {
      if (payload.status !== 'deactivated') throw malformed('The only status an account may be given is "deactivated".');
      updated = this.options.store.updateAccount(id, { status: 'deactivated' });
    }
    if (payload.contact !== undefined) updated = this.options.store.updateAccount(id, { contact: contactsOf(payload.contact) });
    return { status: 200, body: this.#accountBody(updated) };
  }

  accountOrders(request: Authenticated, id: string): Reply {
    const account = this.#own(request, id);
    const orders = this.options.store.ordersOf(account.id).map((o) => this.url(`/acme/order/${o.id}`));
    return { status: 200, body: { orders } };
  }

  #own(request: Authenticated, id: string): Account {
    if (request.account?.id !== id) throw new AcmeProblem('unauthorized', 'The request is signed by another account.');
    return request.account;
  }

  keyChange(request: Authenticated): Reply {
    const account = request.account!;
    const inner = parseJws(request.jws.payload);
    if (!inner.header.jwk || inner.header.kid !== null)
      throw malformed('The inner JWS of a key change must carry the new key as jwk, and no kid.');
    if (inner.header.url !== request.jws.header.url) throw malformed('The inner JWS url must equal the outer one.');
    const newKey = publicKeyOf(inner.header.jwk);
    verifyJws(inner, newKey);
    const payload = payloadObject(inner);
    if (payload.account !== this.url(`/acme/acct/${account.id}`)) throw malformed('The inner payload names another account.');
    const oldJwk = payload.oldKey;
    if (typeof oldJwk !== 'object' || oldJwk === null || thumbprint(publicKeyOf(oldJwk as JsonWebKey)) !== account.thumbprint)
      throw malformed("The inner payload's oldKey is not the account's current key.");
    const print = thumbprint(newKey);
    const other = this.options.store.accountByThumbprint(print);
    if (other)
      throw new AcmeProblem('malformed', 'The new key already belongs to an account.', {
        status: 409,
        headers: { Location: this.url(`/acme/acct/${other.id}`) },
      });
    const updated = this.options.store.updateAccount(account.id, { jwk: newKey.export({ format: 'jwk' }), thumbprint: print });
    return { status: 200, body: this.#accountBody(updated) };
  }

  newOrder(request: Authenticated): Reply {
    const account = request.account!;
    const payload = payloadObject(request.jws);
    const identifiers = identifiersOf(payload.identifiers);
    const { config, store } = this.options;
    const hourAgo = new Date(Date.now() - HOUR);
    if (store.ordersSince(account.id, hourAgo) >= config.ordersPerHour)
      throw new AcmeProblem(
        'rateLimited',
        `This account placed ${config.ordersPerHour} orders in the last hour, the most this server takes.`,
        {
          headers: { 'Retry-After': '600' },
        },
      );
    const permits = this.options.issuer().certificate.permits;
    const refused = identifiers.map((i) => refusal(i, config, permits)).filter((r): r is string => r !== null);
    if (refused.length > 0) throw new AcmeProblem('rejectedIdentifier', refused.join(' '));
    const order = store.createOrder(account.id, identifiers, new Date(Date.now() + orderLifetimeMs), request.userAgent, (i) =>
      i.type === 'ip' ? ['http-01'] : config.dnsServer ? ['http-01', 'tls-alpn-01', 'dns-01'] : ['http-01', 'tls-alpn-01'],
    );
    return { status: 201, body: this.#orderBody(order), location: this.url(`/acme/order/${order.id}`) };
  }

  /** The order's status as of now: expiry, and readiness once every authorization is valid. */
  #current(order: Order): Order {
    const { store } = this.options;
    if ((order.status === 'pending' || order.status === 'ready') && Date.parse(order.expires) < Date.now()) {
      store.setOrder(order.id, { status: 'invalid', error: problemOf('malformed', 'The order expired before it was finalized.') });
      return store.order(order.id)!;
    }
    if (order.status !== 'pending') return order;
    const authzs = store.authzsOf(order.id);
    const failed = authzs.find((a) => a.status === 'invalid');
    if (failed) {
      store.setOrder(order.id, {
        status: 'invalid',
        error: problemOf('unauthorized', `The authorization for ${failed.identifier.value} failed.`),
      });
      return store.order(order.id)!;
    }
    if (authzs.every((a) => a.status === 'valid')) {
      store.setOrder(order.id, { status: 'ready' });
      return store.order(order.id)!;
    }
    return order;
  }

  #orderBody(order: Order) {
    const authzs = this.options.store.authzsOf(order.id);
    return {
      status: order.status,
      expires: order.expires,
      identifiers: order.identifiers,
      authorizations: authzs.map((a) => this.url(`/acme/authz/${a.id}`)),
      finalize: this.url(`/acme/order/${order.id}/finalize`),
      ...(order.certificateId ? { certificate: this.url(`/acme/cert/${order.certificateId}`) } : {}),
      ...(order.error ? { error: order.error } : {}),
    };
  }

  #ownOrder(request: Authenticated, id: string): Order {
    const order = this.options.store.order(id);
    if (!order || order.accountId !== request.account!.id)
      throw new AcmeProblem('malformed', 'No such order for this account.', { status: 404 });
    return this.#current(order);
  }

  order(request: Authenticated, id: string): Reply {
    return { status: 200, body: this.#orderBody(this.#ownOrder(request, id)) };
  }

  #ownAuthz(request: Authenticated, id: string): Authz {
    const authz = this.options.store.authz(id);
    const order = authz && this.options.store.order(authz.orderId);
    if (!authz || !order || order.accountId !== request.account!.id)
      throw new AcmeProblem('malformed', 'No such authorization for this account.', { status: 404 });
    if (authz.status === 'pending' && Date.parse(authz.expires) < Date.now()) return { ...authz, status: 'invalid' };
    return authz;
  }

  #challengeBody(challenge: Challenge) {
    return {
      type: challenge.type,
      url: this.url(`/acme/chall/${challenge.id}`),
      token: challenge.token,
      status: challenge.status,
      ...(challenge.validated ? { validated: challenge.validated } : {}),
      ...(challenge.error ? { error: challenge.error } : {}),
    };
  }

  authz(request: Authenticated, id: string): Reply {
    const authz = this.#ownAuthz(request, id);
    if (request.jws.payload.length > 0) {
      // The only update a client may make is to deactivate it (RFC 8555 §7.5.2).
      if (payloadObject(request.jws).status !== 'deactivated') throw malformed('An authorization may only be deactivated.');
      this.options.store.setAuthz(id, 'deactivated');
      return this.authz({ ...request, jws: { ...request.jws, payload: Buffer.alloc(0) } }, id);
    }
    return {
      status: 200,
      body: {
        identifier: authz.identifier,
        status: authz.status,
        expires: authz.expires,
        challenges: this.options.store.challengesOf(authz.id).map((c) => this.#challengeBody(c)),
      },
    };
  }

  /** POST {} starts validation; it runs now, so the reply already says valid or invalid. POST-as-GET just reads. */
  async challenge(request: Authenticated, id: string): Promise<Reply> {
    const { store, config } = this.options;
    const found = store.challenge(id);
    const authz = found && this.#ownAuthz(request, found.authzId);
    const up = [`<${this.url(`/acme/authz/${found?.authzId}`)}>;rel="up"`];
    if (!found || !authz) throw new AcmeProblem('malformed', 'No such challenge.', { status: 404 });
    if (request.jws.payload.length === 0 || found.status !== 'pending' || authz.status !== 'pending')
      return { status: 200, body: this.#challengeBody(found), links: up };
    store.setChallenge(id, { status: 'processing' });
    const keyAuthorization = `${found.token}.${request.account!.thumbprint}`;
    const port = found.type === 'http-01' ? config.httpPort : config.tlsPort;
    let result: Attempt;
    try {
      result = await this.#validators[found.type]({
        identifier: authz.identifier,
        token: found.token,
        keyAuthorization,
        resolveLocal: config.resolveLocal,
        port,
        dnsServer: config.dnsServer,
      });
    } catch (error) {
      result = { ok: false, attempt: (error as Error).message, problem: { type: 'serverInternal', detail: (error as Error).message } };
    }
    if (result.ok) {
      store.setChallenge(id, { status: 'valid', attempt: result.attempt });
      store.setAuthz(authz.id, 'valid');
    } else {
      store.setChallenge(id, {
        status: 'invalid',
        attempt: result.attempt,
        error: problemOf(result.problem!.type, result.problem!.detail),
      });
      store.setAuthz(authz.id, 'invalid');
    }
    // The order follows now (ready or invalid), not on the client's next read: the app lists orders as stored.
    this.#current(store.order(authz.orderId)!);
    return { status: 200, body: this.#challengeBody(store.challenge(id)!), links: up };
  }

  finalize(request: Authenticated, id: string): Reply {
    const order = this.#ownOrder(request, id);
    if (order.status !== 'ready')
      throw new AcmeProblem('orderNotReady', `The order is ${order.status}; it can be finalized once every authorization is valid.`);
    const csrDer = fromBase64url(payloadObject(request.jws).csr, 'The csr');
    let csr: ReturnType<typeof readCsr>;
    try {
      csr = readCsr(der.toPem(csrDer, 'CERTIFICATE REQUEST'));
    } catch (error) {
      throw new AcmeProblem('badCSR', (error as Error).message);
    }
    const asked = new Set(order.identifiers.map((i) => `${i.type}:${i.value}`));
    const named = new Set(csr.names.map((n) => `${n.kind}:${n.value}`));
    if (asked.size !== named.size || [...asked].some((k) => !named.has(k)))
      throw new AcmeProblem(
        'badCSR',
        `The CSR names ${[...named].join(', ')}; the order is for ${[...asked].join(', ')}. They must be the same.`,
      );
    if (csr.client) throw new AcmeProblem('badCSR', 'This server issues server certificates; the CSR asks for clientAuth.');
    const issuer = this.options.issuer();
    const hours = Math.min(this.options.config.validityHours, (issuer.certificate.notAfter.getTime() - Date.now()) / HOUR);
    const certificate = buildLeafCertificate({
      issuer,
      publicKey: csr.publicKey,
      names: csr.names,
      subject: leafSubject(csr.names, csr.commonName, []),
      client: false,
      days: hours / 24,
    });
    const chain = certificate.pem + this.options.caPem;
    const account = request.account!;
    const entry = this.options.inventory.recordAcme(
      {
        names: csr.names,
        keyType: keyTypeOf(csr.publicKey),
        client: false,
        serial: certificate.serial,
        fingerprint: fingerprint256(certificate.der),
        notBefore: certificate.notBefore.toISOString(),
        notAfter: certificate.notAfter.toISOString(),
        days: null,
        certFile: null,
        keyFile: null,
        p12File: null,
        csrFile: null,
        caFingerprint: issuer.certificate.fingerprint,
      },
      { account: account.id, client: order.userAgent },
    );
    const stored = this.options.store.addCertificate({
      orderId: order.id,
      accountId: account.id,
      serial: certificate.serial,
      chain,
      spkiThumbprint: createHash('sha256').update(spkiOf(csr.publicKey)).digest('base64url'),
      notAfter: certificate.notAfter.toISOString(),
      inventoryId: entry.id,
    });
    this.options.store.setOrder(order.id, { status: 'valid', certificateId: stored.id });
    return { status: 200, body: this.#orderBody(this.options.store.order(order.id)!), location: this.url(`/acme/order/${order.id}`) };
  }

  certificate(request: Authenticated, id: string): Reply {
    const stored = this.options.store.certificate(id);
    if (!stored || stored.accountId !== request.account!.id)
      throw new AcmeProblem('malformed', 'No such certificate for this account.', { status: 404 });
    return { status: 200, pem: stored.chain };
  }

  revoke(request: Authenticated): Reply {
    const payload = payloadObject(request.jws);
    const reason = payload.reason ?? 0;
    if (typeof reason !== 'number' || !Number.isInteger(reason) || reason < 0 || reason > 10 || reason === 7)
      throw new AcmeProblem('badRevocationReason', 'The reason must be an RFC 5280 CRLReason code (0–10, not 7).');
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(fromBase64url(payload.certificate, 'The certificate'));
    } catch (error) {
      if (error instanceof AcmeProblem) throw error;
      throw malformed('The certificate is not a DER X.509 certificate.');
    }
    // Lanyard's serials are 16 bytes with a non-zero first byte, so Node's hex is the stored hex.
    const stored = this.options.store.certificateBySerial(certificate.serialNumber.toLowerCase());
    if (!stored || new X509Certificate(stored.chain).fingerprint256 !== certificate.fingerprint256)
      throw new AcmeProblem('malformed', 'This server did not issue that certificate.', { status: 404 });
    const byAccount = request.account !== null && request.account.id === stored.accountId;
    const byKey = request.account === null && sameKey(request.key, certificate.publicKey);
    if (!byAccount && !byKey)
      throw new AcmeProblem(
        'unauthorized',
        "Revocation must be signed by the account that ordered the certificate or by the certificate's own key.",
      );
    revokeCertificate(this.options.store, this.options.inventory, stored, reason);
    return { status: 200 };
  }
}

/** Revoke one certificate (asked by a client or from the app); its inventory entry shows it while it is the entry's current one. */
export function revokeCertificate(store: AcmeStore, inventory: Inventory, stored: StoredCertificate, reason: number): void {
  if (stored.revokedAt) throw new AcmeProblem('alreadyRevoked', `The certificate was revoked on ${stored.revokedAt}.`);
  const now = new Date();
  store.revoke(stored.id, reason, now);
  const entry = stored.inventoryId === null ? null : inventory.get(stored.inventoryId);
  if (entry && entry.serial === stored.serial) inventory.markRevoked(entry.id, now);
}

/** A ServiceError from the certs code, as the client sees it. */
export function asProblem(error: unknown): AcmeProblem {
  if (error instanceof AcmeProblem) return error;
  if (error instanceof ServiceError) return new AcmeProblem('malformed', error.message);
  return new AcmeProblem('serverInternal', `The server failed: ${(error as Error).message}`);
}
