// Every certificate Lanyard issued, in the shared database: what it names, where its files are, when it ends.
import { type Database, openToolDatabase } from '../system/database.ts';
import { cachedStatement } from '../system/statements.ts';
import type { KeyType } from './keys.ts';
import type { CertName } from './names.ts';

export interface IssuedRecord {
  names: CertName[];
  keyType: KeyType;
  client: boolean;
  serial: string;
  fingerprint: string;
  notBefore: string;
  notAfter: string;
  days: number | null;
  certFile: string | null;
  keyFile: string | null;
  p12File: string | null;
  csrFile: string | null;
  caFingerprint: string;
}

/** Who asked for a certificate over ACME: the account's URL id and the client's User-Agent. */
export interface AcmeOrigin {
  account: string;
  client: string;
}

export interface InventoryEntry extends IssuedRecord {
  id: number;
  createdAt: string;
  renewedAt: string | null;
  /** Null for certificates issued from the app or the command line. */
  acme: AcmeOrigin | null;
  revokedAt: string | null;
}

interface Row {
  id: number;
  names: string;
  key_type: KeyType;
  client: number;
  serial: string;
  fingerprint: string;
  not_before: string;
  not_after: string;
  days: number | null;
  cert_file: string | null;
  key_file: string | null;
  p12_file: string | null;
  csr_file: string | null;
  ca_fingerprint: string;
  created_at: string;
  renewed_at: string | null;
  acme_account: string | null;
  acme_client: string | null;
  revoked_at: string | null;
}

function fromRow(row: Row): InventoryEntry {
  return {
    id: row.id,
    names: JSON.parse(row.names) as CertName[],
    keyType: row.key_type,
    client: row.client === 1,
    serial: row.serial,
    fingerprint: row.fingerprint,
    notBefore: row.not_before,
    notAfter: row.not_after,
    days: row.days,
    certFile: row.cert_file,
    keyFile: row.key_file,
    p12File: row.p12_file,
    csrFile: row.csr_file,
    caFingerprint: row.ca_fingerprint,
    createdAt: row.created_at,
    renewedAt: row.renewed_at,
    acme: row.acme_account === null ? null : { account: row.acme_account, client: row.acme_client ?? '' },
    revokedAt: row.revoked_at,
  };
}

function columns(r: IssuedRecord) {
  return {
    names: JSON.stringify(r.names),
    key_type: r.keyType,
    client: r.client ? 1 : 0,
    serial: r.serial,
    fingerprint: r.fingerprint,
    not_before: r.notBefore,
    not_after: r.notAfter,
    days: r.days,
    cert_file: r.certFile,
    key_file: r.keyFile,
    p12_file: r.p12File,
    csr_file: r.csrFile,
    ca_fingerprint: r.caFingerprint,
  };
}

export class Inventory {
  readonly db: Database;

  constructor(dataDir: string) {
    this.db = openToolDatabase(dataDir, 'certs');
  }

  add(record: IssuedRecord): InventoryEntry {
    const row = cachedStatement(
      this.db,
      `INSERT INTO certs_issued (names, key_type, client, serial, fingerprint, not_before, not_after, days, cert_file, key_file, p12_file, csr_file, ca_fingerprint, created_at)
         VALUES (@names, @key_type, @client, @serial, @fingerprint, @not_before, @not_after, @days, @cert_file, @key_file, @p12_file, @csr_file, @ca_fingerprint, @created_at)
         RETURNING *`,
    ).get({ ...columns(record), created_at: new Date().toISOString() }) as Row;
    return fromRow(row);
  }

  /** Replace an entry's certificate after a renewal, keeping its id and creation time. */
  replace(id: number, record: IssuedRecord): InventoryEntry {
    const row = cachedStatement(
      this.db,
      `UPDATE certs_issued SET names = @names, key_type = @key_type, client = @client, serial = @serial, fingerprint = @fingerprint,
           not_before = @not_before, not_after = @not_after, days = @days, cert_file = @cert_file, key_file = @key_file,
           p12_file = @p12_file, csr_file = @csr_file, ca_fingerprint = @ca_fingerprint, renewed_at = @renewed_at
         WHERE id = @id RETURNING *`,
    ).get({ ...columns(record), id, renewed_at: new Date().toISOString() }) as Row | undefined;
    if (!row) throw new Error(`inventory entry ${id} vanished during renewal`);
    return fromRow(row);
  }

  /**
   * An ACME certificate: a new order from the same account for the same names is that entry's renewal (its id and
   * creation time kept, renewed_at set), so the inventory shows one line per site rather than one per week.
   */
  recordAcme(record: IssuedRecord, origin: AcmeOrigin): InventoryEntry {
    const previous = cachedStatement(this.db, 'SELECT id FROM certs_issued WHERE acme_account = ? AND names = ? ORDER BY id DESC LIMIT 1')
      .pluck()
      .get(origin.account, JSON.stringify(record.names)) as number | undefined;
    const entry = previous === undefined ? this.add(record) : this.replace(previous, record);
    const row = cachedStatement(
      this.db,
      'UPDATE certs_issued SET acme_account = ?, acme_client = ?, revoked_at = NULL WHERE id = ? RETURNING *',
    ).get(origin.account, origin.client, entry.id) as Row;
    return fromRow(row);
  }

  markRevoked(id: number, when: Date): void {
    cachedStatement(this.db, 'UPDATE certs_issued SET revoked_at = ? WHERE id = ?').run(when.toISOString(), id);
  }

  get(id: number): InventoryEntry | null {
    const row = cachedStatement(this.db, 'SELECT * FROM certs_issued WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Soonest expiry first. */
  list(): InventoryEntry[] {
    return (cachedStatement(this.db, 'SELECT * FROM certs_issued ORDER BY not_after, id').all() as Row[]).map(fromRow);
  }

  expiringBefore(when: Date): InventoryEntry[] {
    return (
      cachedStatement(this.db, 'SELECT * FROM certs_issued WHERE not_after <= ? ORDER BY not_after, id').all(when.toISOString()) as Row[]
    ).map(fromRow);
  }

  remove(id: number): boolean {
    return cachedStatement(this.db, 'DELETE FROM certs_issued WHERE id = ?').run(id).changes > 0;
  }

  setting(key: string): string | null {
    const row = cachedStatement(this.db, 'SELECT value FROM certs_settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setSetting(key: string, value: string | null): void {
    if (value === null) cachedStatement(this.db, 'DELETE FROM certs_settings WHERE key = ?').run(key);
    else
      cachedStatement(
        this.db,
        'INSERT INTO certs_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ).run(key, value);
  }

  close(): void {
    this.db.close();
  }
}
