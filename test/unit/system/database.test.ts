import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseFileName, migrate, openDatabase } from '../../../main/system/database.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('shared database', () => {
  it('opens lanyard.db in WAL mode, file 0600 and folder 0700', () => {
    const home = path.join(tempDir(), 'home');
    const db = openDatabase(home);
    db.exec('CREATE TABLE t (a)');
    db.exec('INSERT INTO t VALUES (1)');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(statSync(path.join(home, databaseFileName)).mode & 0o777).toBe(0o600);
    expect(statSync(`${path.join(home, databaseFileName)}-wal`).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    db.close();
  });

  it('applies each migration once, in order, across connections', () => {
    const home = tempDir();
    const list = [
      { id: 'test.1', sql: 'CREATE TABLE a (x)' },
      { id: 'test.2', sql: 'CREATE TABLE b (y)' },
    ];
    const one = openDatabase(home);
    expect(migrate(one, list.slice(0, 1))).toEqual(['test.1']);
    const two = openDatabase(home);
    expect(migrate(two, list)).toEqual(['test.2']);
    expect(migrate(one, list)).toEqual([]);
    one.close();
    two.close();
  });

  it('rolls a failing migration back and leaves it unapplied', () => {
    const db = openDatabase(tempDir());
    expect(() => migrate(db, [{ id: 'test.3', sql: 'CREATE TABLE c (x); SELEC nonsense' }])).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'c'").get()).toBeUndefined();
    expect(migrate(db, [{ id: 'test.3', sql: 'CREATE TABLE c (x)' }])).toEqual(['test.3']);
    db.close();
  });
});
