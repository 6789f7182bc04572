// `-install` for Firefox wherever it keeps profiles: Flatpak (~/.var/app/org.mozilla.firefox), snap
// (~/snap/firefox/common) and Developer Edition's dev-edition-default, which its installer may put outside the
// scanned folder and names only in profiles.ini (a [Profile] with IsRelative=0 and an [Install…] Default=).
// Fake HOME trees, real NSS databases made and judged by the real certutil.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TrustEvent } from '../../../main/certs/contract.ts';
import { CertsService } from '../../../main/certs/service.ts';
import { parseProfilesIni } from '../../../main/certs/trust/firefox-profiles.ts';
import { nssDatabases } from '../../../main/certs/trust/nss.ts';
import { cpuMs, fuzz } from '../../support/fuzz.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { run } from './helpers.ts';

const certutil = findPeer('certutil', 'apt-get install libnss3-tools');

function nssdb(dir: string): string {
  mkdirSync(dir, { recursive: true });
  expect(run(certutil!, ['-N', '-d', `sql:${dir}`, '--empty-password']).status).toBe(0);
  return dir;
}

describe.skipIf(!certutil)('Firefox profiles from Flatpak, snap and Developer Edition', () => {
  it('finds them all and installs and removes the CA in each, verified by certutil', async () => {
    const home = tempDir();
    const flatpak = nssdb(path.join(home, '.var', 'app', 'org.mozilla.firefox', '.mozilla', 'firefox', 'x1.default-release'));
    const snap = nssdb(path.join(home, 'snap', 'firefox', 'common', '.mozilla', 'firefox', 's2.default'));
    const regular = nssdb(path.join(home, '.mozilla', 'firefox', 'r3.default-release'));
    // Developer Edition's profile, kept outside ~/.mozilla/firefox: only profiles.ini says where.
    const devEdition = nssdb(path.join(home, 'firefox-dev', 'profiles', 'd4.dev-edition-default'));
    const installDefault = nssdb(path.join(home, '.mozilla', 'firefox', 'nested', 'i5.default'));
    writeFileSync(
      path.join(home, '.mozilla', 'firefox', 'profiles.ini'),
      [
        '[Install46F492E0ACFF84D4]',
        `Default=${devEdition}`,
        'Locked=1',
        '',
        '[InstallE7CF176E110C211B]',
        'Default=nested/i5.default',
        'Locked=1',
        '',
        '[Profile1]',
        'Name=dev-edition-default',
        'IsRelative=0',
        `Path=${devEdition}`,
        '',
        '[Profile0]',
        'Name=default-release',
        'IsRelative=1',
        'Path=r3.default-release',
        'Default=1',
        '',
        '[General]',
        'StartWithLastProfile=1',
        'Version=2',
        '',
      ].join('\r\n'),
    );
    const all = [flatpak, snap, regular, devEdition, installDefault];
    expect(nssDatabases(home, 'linux').sort()).toEqual([...all].sort());

    const certs = new CertsService({
      dataDir: path.join(home, 'lanyard'),
      env: { ...process.env, HOME: home, CAROOT: path.join(home, 'ca') },
    });
    await certs.createCa({ keyType: 'ecdsa' });
    const name = certs.state().ca!.storeName;
    const trust = async (action: 'install' | 'uninstall') => {
      const events: TrustEvent[] = [];
      await certs.trust(action, 'user', ['nss'], (e) => events.push(e));
      return events;
    };
    const trusted = (db: string) => run(certutil!, ['-V', '-d', `sql:${db}`, '-u', 'L', '-n', name]).status === 0;

    const installed = await trust('install');
    expect(installed.filter((e) => e.type === 'command')).toHaveLength(all.length);
    expect(installed.find((e) => e.type === 'done')).toMatchObject({ ok: true });
    for (const db of all) expect(trusted(db), db).toBe(true);
    expect((await certs.trustStatus('user')).find((s) => s.id === 'nss')).toMatchObject({ installed: true });

    await trust('uninstall');
    for (const db of all) expect(trusted(db), db).toBe(false);
    certs.close();
  });
});

describe('profiles.ini parsing', () => {
  it('resolves relative and absolute profiles and install defaults; ignores the rest', () => {
    const ini =
      '[Profile0]\nName=a\nIsRelative=1\nPath=p/a\n[Profile1]\nName=b\nIsRelative=0\nPath=/abs/b\n[Install1]\nDefault=p/c\n[General]\nPath=/not/a/profile\n';
    expect(parseProfilesIni(ini, '/ff')).toEqual([
      { name: 'a', dir: '/ff/p/a' },
      { name: 'b', dir: '/abs/b' },
      { name: 'install default', dir: '/ff/p/c' },
    ]);
  });

  it('takes any text without throwing, returns at most 256 profiles, and stays linear on a huge file', () => {
    fuzz(
      fc.property(
        fc.string({
          maxLength: 2048,
          unit: fc.constantFrom('[', ']', '=', '\n', 'P', 'r', 'o', 'f', 'i', 'l', 'e', 'a', '/', '0', '1', ' '),
        }),
        (text) => {
          for (const p of parseProfilesIni(text, '/ff')) expect(path.isAbsolute(p.dir)).toBe(true);
        },
      ),
    );
    const many = '[Profile]\nPath=x\n'.repeat(100_000);
    expect(parseProfilesIni(many, '/ff').length).toBeLessThanOrEqual(256);
    // Past the 1 MiB cap nothing is read: ten times the text costs about the same.
    const [capped, huge] = [many.slice(0, 1024 * 1024), many.repeat(10)];
    const small = cpuMs(() => parseProfilesIni(capped, '/ff'));
    const large = cpuMs(() => parseProfilesIni(huge, '/ff'));
    expect(large).toBeLessThan(small * 4 + 20);
  });
});
