// The ACME server's state in the shared database (tables from migrations/0002-acme-state.ts): every write is one
// statement or one transaction, so a restart at any point finds an order where the client left it.
import { randomBytes } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import type { Database } from '../../system/database.ts';
import { cachedStatement } from '../../system/statements.ts';
import type { ProblemDocument } from './problem.ts';

export type ChallengeType = 'http-01' | 'tls-alpn-01' | 'dns-01';
export interface Identifier {
  type: 'dns' | 'ip';
  value: string;
}

export interface Account {
  id: string;
  thumbprint: string;
  jwk: JsonWebKey;
  status: 'valid' | 'deactivated';
  contact: string[];
  userAgent: string;
  createdAt: string;
}

export interface Order {
  id: string;
  accountId: string;
  status: 'pending' | 'ready' | 'processing' | 'valid' | 'invalid';
  identifiers: Identifier[];
  expires: string;
  error: ProblemDocument | null;
  certificateId: string | null;
  userAgent: string;
  createdAt: string;
}

export interface Authz {
  id: string;
  orderId: string;
  identifier: Identifier;
  status: 'pending' | 'valid' | 'invalid' | 'deactivated';
  expires: string;
}

export interface Challenge {
  id: string;
  authzId: string;
  type: ChallengeType;
  token: string;
  status: 'pending' | 'processing' | 'valid' | 'invalid';
  validated: string | null;
  error: ProblemDocument | null;
  attempt: string | null;
}

export interface StoredCertificate {
  id: string;
  orderId: string;
  accountId: string;
  serial: string;
  chain: string;
  spkiThumbprint: string;
  notAfter: string;
  revokedAt: string | null;
  inventoryId: number | null;
}

/** Random ids for URLs: 128 bits, so no id is guessable from another. */
export const newId = (): string => randomBytes(16).toString('base64url');

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

type Row = Record<string, string | number | null>;

const accountOf = (r: Row): Account => ({
  id: r.id as string,
  thumbprint: r.thumbprint as string,
  jwk: JSON.parse(r.jwk as string) as JsonWebKey,
  status: r.status as Account['status'],
  contact: JSON.parse(r.contact as string) as string[],
  userAgent: r.user_agent as string,
  createdAt: r.created_at as string,
});

const orderOf = (r: Row): Order => ({
  id: r.id as string,
  accountId: r.account_id as string,
  status: r.status as Order['status'],
  identifiers: JSON.parse(r.identifiers as string) as Identifier[],
  expires: r.expires as string,
  error: json<ProblemDocument>(r.error as string | null),
  certificateId: r.certificate_id as string | null,
  userAgent: r.user_agent as string,
  createdAt: r.created_at as string,
});

const authzOf = (r: Row): Authz => ({
  id: r.id as string,
  orderId: r.order_id as string,
  identifier: JSON.parse(r.identifier as string) as Identifier,
  status: r.status as Authz['status'],
  expires: r.expires as string,
});

const challengeOf = (r: Row): Challenge => ({
  id: r.id as string,
  authzId: r.authz_id as string,
  type: r.type as ChallengeType,
  token: r.token as string,
  status: r.status as Challenge['status'],
  validated: r.validated as string | null,
  error: json<ProblemDocument>(r.error as string | null),
  attempt: r.attempt as string | null,
});

const certificateOf = (r: Row): StoredCertificate => ({
  id: r.id as string,
  orderId: r.order_id as string,
  accountId: r.account_id as string,
  serial: r.serial as string,
  chain: r.chain as string,
  spkiThumbprint: r.spki_thumbprint as string,
  notAfter: r.not_after as string,
  revokedAt: r.revoked_at as string | null,
  inventoryId: r.inventory_id as number | null,
});

export class AcmeStore {
  readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  #get(sql: string, ...args: unknown[]): Row | undefined {
    return cachedStatement(this.db, sql).get(...args) as Row | undefined;
  }

  #all(sql: string, ...args: unknown[]): Row[] {
    return cachedStatement(this.db, sql).all(...args) as Row[];
  }

  #run(sql: string, ...args: unknown[]): number {
    return cachedStatement(this.db, sql).run(...args).changes;
  }

  createAccount(account: Omit<Account, 'id' | 'createdAt'>): Account {
    const row = this.#get(
      'INSERT INTO acme_accounts (id, thumbprint, jwk, status, contact, user_agent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *',
      newId(),
      account.thumbprint,
      JSON.stringify(account.jwk),
      account.status,
      JSON.stringify(account.contact),
      account.userAgent,
      new Date().toISOString(),
    )!;
    return accountOf(row);
  }

  account(id: string): Account | null {
    const row = this.#get('SELECT * FROM acme_accounts WHERE id = ?', id);
    return row ? accountOf(row) : null;
  }

  accountByThumbprint(thumbprint: string): Account | null {
    const row = this.#get('SELECT * FROM acme_accounts WHERE thumbprint = ?', thumbprint);
    return row ? accountOf(row) : null;
  }

  updateAccount(id: string, change: { contact?: string[]; status?: Account['status']; jwk?: JsonWebKey; thumbprint?: string }): Account {
    const current = this.account(id)!;
    const next = { ...current, ...change };
    this.#run(
      'UPDATE acme_accounts SET contact = ?, status = ?, jwk = ?, thumbprint = ? WHERE id = ?',
      JSON.stringify(next.contact),
      next.status,
      JSON.stringify(next.jwk),
      next.thumbprint,
      id,
    );
    return this.account(id)!;
  }

  /** The order with one authorization per identifier and one challenge per type offered for it. */
  createOrder(
    accountId: string,
    identifiers: Identifier[],
    expires: Date,
    userAgent: string,
    challengeTypes: (identifier: Identifier) => ChallengeType[],
  ): Order {
    const orderId = newId();
    this.db.transaction(() => {
      this.#run(
        'INSERT INTO acme_orders (id, account_id, status, identifiers, expires, user_agent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        orderId,
        accountId,
        'pending',
        JSON.stringify(identifiers),
        expires.toISOString(),
        userAgent,
        new Date().toISOString(),
      );
      for (const identifier of identifiers) {
        const authzId = newId();
        this.#run(
          'INSERT INTO acme_authzs (id, order_id, identifier, status, expires) VALUES (?, ?, ?, ?, ?)',
          authzId,
          orderId,
          JSON.stringify(identifier),
          'pending',
          expires.toISOString(),
        );
        for (const type of challengeTypes(identifier))
          this.#run(
            'INSERT INTO acme_challenges (id, authz_id, type, token, status) VALUES (?, ?, ?, ?, ?)',
            newId(),
            authzId,
            type,
            randomBytes(32).toString('base64url'),
            'pending',
          );
      }
    })();
    return this.order(orderId)!;
  }

  order(id: string): Order | null {
    const row = this.#get('SELECT * FROM acme_orders WHERE id = ?', id);
    return row ? orderOf(row) : null;
  }

  ordersOf(accountId: string): Order[] {
    return this.#all('SELECT * FROM acme_orders WHERE account_id = ? ORDER BY created_at DESC LIMIT 1000', accountId).map(orderOf);
  }

  recentOrders(limit: number): Order[] {
    return this.#all('SELECT * FROM acme_orders ORDER BY created_at DESC, rowid DESC LIMIT ?', limit).map(orderOf);
  }

  ordersSince(accountId: string, since: Date): number {
    return this.#get('SELECT count(*) AS n FROM acme_orders WHERE account_id = ? AND created_at >= ?', accountId, since.toISOString())!
      .n as number;
  }

  setOrder(id: string, change: { status: Order['status']; error?: ProblemDocument | null; certificateId?: string }): void {
    this.#run(
      'UPDATE acme_orders SET status = ?, error = ?, certificate_id = coalesce(?, certificate_id) WHERE id = ?',
      change.status,
      change.error ? JSON.stringify(change.error) : null,
      change.certificateId ?? null,
      id,
    );
  }

  authzsOf(orderId: string): Authz[] {
    return this.#all('SELECT * FROM acme_authzs WHERE order_id = ? ORDER BY rowid', orderId).map(authzOf);
  }

  authz(id: string): Authz | null {
    const row = this.#get('SELECT * FROM acme_authzs WHERE id = ?', id);
    return row ? authzOf(row) : null;
  }

  setAuthz(id: string, status: Authz['status']): void {
    this.#run('UPDATE acme_authzs SET status = ? WHERE id = ?', status, id);
  }

  challengesOf(authzId: string): Challenge[] {
    return this.#all('SELECT * FROM acme_challenges WHERE authz_id = ? ORDER BY rowid', authzId).map(challengeOf);
  }

  challenge(id: string): Challenge | null {
    const row = this.#get('SELECT * FROM acme_challenges WHERE id = ?', id);
    return row ? challengeOf(row) : null;
  }

  setChallenge(id: string, change: { status: Challenge['status']; error?: ProblemDocument | null; attempt?: string | null }): void {
    this.#run(
      'UPDATE acme_challenges SET status = ?, error = ?, attempt = coalesce(?, attempt), validated = ? WHERE id = ?',
      change.status,
      change.error ? JSON.stringify(change.error) : null,
      change.attempt ?? null,
      change.status === 'valid' ? new Date().toISOString() : null,
      id,
    );
  }

  addCertificate(certificate: Omit<StoredCertificate, 'id' | 'revokedAt'>): StoredCertificate {
    const row = this.#get(
      `INSERT INTO acme_certificates (id, order_id, account_id, serial, chain, spki_thumbprint, not_after, inventory_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      newId(),
      certificate.orderId,
      certificate.accountId,
      certificate.serial,
      certificate.chain,
      certificate.spkiThumbprint,
      certificate.notAfter,
      certificate.inventoryId,
    )!;
    return certificateOf(row);
  }

  certificate(id: string): StoredCertificate | null {
    const row = this.#get('SELECT * FROM acme_certificates WHERE id = ?', id);
    return row ? certificateOf(row) : null;
  }

  certificateBySerial(serial: string): StoredCertificate | null {
    const row = this.#get('SELECT * FROM acme_certificates WHERE serial = ?', serial);
    return row ? certificateOf(row) : null;
  }

  revoke(id: string, reason: number, when: Date): void {
    this.#run('UPDATE acme_certificates SET revoked_at = ?, revoked_reason = ? WHERE id = ?', when.toISOString(), reason, id);
  }

  /** Orders past their expiry that never got a certificate, and their authorizations, are dropped. */
  purgeExpired(now: Date): number {
    return this.#run("DELETE FROM acme_orders WHERE expires < ? AND status <> 'valid'", now.toISOString());
  }
}
