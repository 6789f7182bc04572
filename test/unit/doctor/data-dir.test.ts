import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDataDir } from '../../../main/doctor/data-dir-check.ts';
import { ensurePrivateDir, resolveDataDir } from '../../../main/system/data-dir.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('the data folder', () => {
  it('is $LANYARD_HOME when set, else the XDG data home', () => {
    expect(resolveDataDir({ LANYARD_HOME: '/x/y' })).toEqual({ path: '/x/y', source: 'LANYARD_HOME' });
    if (process.platform === 'linux')
      expect(resolveDataDir({ XDG_DATA_HOME: '/data' })).toEqual({ path: '/data/lanyard', source: 'default' });
  });

  it('is created private (0700)', () => {
    const dir = path.join(tempDir(), 'a', 'lanyard');
    ensurePrivateDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(checkDataDir({ path: dir, source: 'LANYARD_HOME' })).toMatchObject({ status: 'ok', mode: '0700', exists: true });
  });

  it('is reported, with the fix, when others can read it', () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const check = checkDataDir({ path: dir, source: 'LANYARD_HOME' });
    expect(check).toMatchObject({ status: 'warn', mode: '0755' });
    expect(check.detail).toContain(`chmod 700 '${dir}'`);
  });

  it('is an error when the path is a file', () => {
    const file = path.join(tempDir(), 'file');
    writeFileSync(file, '');
    expect(checkDataDir({ path: file, source: 'LANYARD_HOME' }).status).toBe('error');
  });

  it('is fine when it does not exist yet', () => {
    const dir = path.join(tempDir(), 'later');
    expect(checkDataDir({ path: dir, source: 'default' })).toMatchObject({ status: 'ok', exists: false });
    mkdirSync(dir);
  });
});
