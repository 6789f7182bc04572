import type { Migration } from '../../system/database.ts';

/** The ACME server's state: accounts, orders, their authorizations and challenges, and the certificates issued. */
export const migration: Migration = {
  id: 'certs.2',
  sql: `
    CREATE TABLE acme_accounts (
      id TEXT PRIMARY KEY,
      thumbprint TEXT NOT NULL UNIQUE, -- RFC 7638, base64url: one account per key
      jwk TEXT NOT NULL,               -- the public key, JSON
      status TEXT NOT NULL,            -- valid | deactivated
      contact TEXT NOT NULL,           -- JSON array of URLs
      user_agent TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE acme_orders (
      id TEXT PRIMARY KEY,
      account_id TEXT NOT NULL REFERENCES acme_accounts (id),
      status TEXT NOT NULL,            -- pending | ready | valid | invalid
      identifiers TEXT NOT NULL,       -- JSON array of {type, value}
      expires TEXT NOT NULL,
      error TEXT,                      -- JSON problem document
      certificate_id TEXT,
      user_agent TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX acme_orders_account ON acme_orders (account_id, created_at);
    CREATE INDEX acme_orders_created ON acme_orders (created_at);
    CREATE TABLE acme_authzs (
      id TEXT PRIMARY KEY,
      order_id TEXT NOT NULL REFERENCES acme_orders (id) ON DELETE CASCADE,
      identifier TEXT NOT NULL,        -- JSON {type, value}
      status TEXT NOT NULL,            -- pending | valid | invalid | deactivated
      expires TEXT NOT NULL
    );
    CREATE INDEX acme_authzs_order ON acme_authzs (order_id);
    CREATE TABLE acme_challenges (
      id TEXT PRIMARY KEY,
      authz_id TEXT NOT NULL REFERENCES acme_authzs (id) ON DELETE CASCADE,
      type TEXT NOT NULL,              -- http-01 | tls-alpn-01
      token TEXT NOT NULL,
      status TEXT NOT NULL,            -- pending | processing | valid | invalid
      validated TEXT,
      error TEXT,                      -- JSON problem document
      attempt TEXT                     -- what was fetched from where, for the UI
    );
    CREATE INDEX acme_challenges_authz ON acme_challenges (authz_id);
    CREATE TABLE acme_certificates (
      id TEXT PRIMARY KEY,
      order_id TEXT NOT NULL,
      account_id TEXT NOT NULL,
      serial TEXT NOT NULL UNIQUE,
      chain TEXT NOT NULL,             -- PEM: the leaf, then the CA
      spki_thumbprint TEXT NOT NULL,   -- SHA-256 of the leaf's public key, for revocation by that key
      not_after TEXT NOT NULL,
      revoked_at TEXT,
      revoked_reason INTEGER,
      inventory_id INTEGER
    );
  `,
};
