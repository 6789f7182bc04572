import type { Migration } from '../../system/database.ts';

/** The inventory of issued certificates, and the folder of an adopted CA. */
export const migration: Migration = {
  id: 'certs.1',
  sql: `
    CREATE TABLE certs_issued (
      id INTEGER PRIMARY KEY,
      names TEXT NOT NULL,            -- JSON array of {kind, value}
      key_type TEXT NOT NULL,         -- 'ecdsa' | 'rsa'
      client INTEGER NOT NULL,
      serial TEXT NOT NULL,
      fingerprint TEXT NOT NULL,      -- SHA-256, colon-separated hex
      not_before TEXT NOT NULL,       -- ISO 8601
      not_after TEXT NOT NULL,
      days INTEGER,                   -- requested validity; NULL = the mkcert-like default
      cert_file TEXT,
      key_file TEXT,
      p12_file TEXT,
      csr_file TEXT,                  -- set when signed from a CSR (renew re-signs it)
      ca_fingerprint TEXT NOT NULL,
      created_at TEXT NOT NULL,
      renewed_at TEXT
    );
    CREATE INDEX certs_issued_not_after ON certs_issued (not_after);
    CREATE TABLE certs_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
};
