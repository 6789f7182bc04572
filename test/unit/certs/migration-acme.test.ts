// certs.2 (the ACME server's tables) and certs.3 (ACME columns on the inventory), each on a database that already
// holds an inventory, as an upgrade finds it.
import { describe, expect, it } from 'vitest';
import { toolMigrations } from '../../../main/system/database.ts';

const certsMigrations = toolMigrations('certs');
import { migrate, openDatabase } from '../../../main/system/database.ts';
import { tempDir } from '../../support/temp-dir.ts';

const columnsOf = (db: ReturnType<typeof openDatabase>, table: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

describe('certs ACME migrations', () => {
  it('certs.2 adds accounts, orders, authorizations, challenges and certificates; deleting an order takes its authorizations', () => {
    const db = openDatabase(tempDir());
    migrate(db, certsMigrations.slice(0, 1));
    expect(migrate(db, certsMigrations.slice(0, 2))).toEqual(['certs.2']);
    expect(columnsOf(db, 'acme_accounts')).toEqual(['id', 'thumbprint', 'jwk', 'status', 'contact', 'user_agent', 'created_at']);
    expect(columnsOf(db, 'acme_challenges')).toEqual(expect.arrayContaining(['token', 'status', 'error', 'attempt']));
    expect(columnsOf(db, 'acme_certificates')).toEqual(expect.arrayContaining(['serial', 'chain', 'revoked_at', 'inventory_id']));
    db.prepare("INSERT INTO acme_accounts VALUES ('a', 't', '{}', 'valid', '[]', 'ua', 'now')").run();
    db.prepare(
      "INSERT INTO acme_orders (id, account_id, status, identifiers, expires, user_agent, created_at) VALUES ('o', 'a', 'pending', '[]', 'x', 'ua', 'now')",
    ).run();
    db.prepare("INSERT INTO acme_authzs VALUES ('z', 'o', '{}', 'pending', 'x')").run();
    db.prepare("INSERT INTO acme_challenges (id, authz_id, type, token, status) VALUES ('c', 'z', 'http-01', 't', 'pending')").run();
    db.prepare("DELETE FROM acme_orders WHERE id = 'o'").run();
    expect(db.prepare('SELECT count(*) FROM acme_challenges').pluck().get()).toBe(0);
    db.close();
  });

  it('certs.3 adds the ACME account, client and revocation to existing inventory rows, empty for them', () => {
    const db = openDatabase(tempDir());
    migrate(db, certsMigrations.slice(0, 2));
    db.prepare(
      "INSERT INTO certs_issued (names, key_type, client, serial, fingerprint, not_before, not_after, ca_fingerprint, created_at) VALUES ('[]', 'ecdsa', 0, '01', 'f', 'a', 'b', 'c', 'd')",
    ).run();
    expect(migrate(db, certsMigrations)).toEqual(['certs.3']);
    expect(columnsOf(db, 'certs_issued')).toEqual(expect.arrayContaining(['acme_account', 'acme_client', 'revoked_at']));
    expect(db.prepare('SELECT acme_account, acme_client, revoked_at FROM certs_issued').get()).toEqual({
      acme_account: null,
      acme_client: null,
      revoked_at: null,
    });
    db.close();
  });
});
