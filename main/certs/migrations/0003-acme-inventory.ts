import type { Migration } from '../../system/database.ts';

/** Inventory entries issued over ACME: the account and client (User-Agent) that asked, and a revocation. */
export const migration: Migration = {
  id: 'certs.3',
  sql: `
    ALTER TABLE certs_issued ADD COLUMN acme_account TEXT;
    ALTER TABLE certs_issued ADD COLUMN acme_client TEXT;
    ALTER TABLE certs_issued ADD COLUMN revoked_at TEXT;
    CREATE INDEX certs_issued_acme ON certs_issued (acme_account) WHERE acme_account IS NOT NULL;
  `,
};
