import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, toolMigrations } from '../../../main/system/database.ts';
import { tempDir } from '../../support/temp-dir.ts';

const certsMigrations = toolMigrations('certs');
const historyMigrations = toolMigrations('history');

describe('certs migrations', () => {
  it('certs.1 creates the inventory and settings tables, once', () => {
    const db = openDatabase(tempDir());
    expect(migrate(db, certsMigrations.slice(0, 1))).toEqual(['certs.1']);
    expect(migrate(db, certsMigrations.slice(0, 1))).toEqual([]);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'certs_%' ORDER BY name").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(['certs_issued', 'certs_settings']);
    expect(migrate(db, certsMigrations)).toEqual(['certs.2', 'certs.3']);
    const columns = (db.prepare('PRAGMA table_info(certs_issued)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(
      expect.arrayContaining([
        'names',
        'key_type',
        'serial',
        'fingerprint',
        'not_after',
        'cert_file',
        'key_file',
        'p12_file',
        'csr_file',
        'ca_fingerprint',
      ]),
    );
    db.close();
  });

  it('shares the database with history in either order', () => {
    const db = openDatabase(tempDir());
    migrate(db, historyMigrations);
    expect(migrate(db, certsMigrations)).toEqual(['certs.1', 'certs.2', 'certs.3']);
    db.close();
  });
});
