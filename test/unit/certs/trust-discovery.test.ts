// Where the stores look: NSS databases (Chromium old/new, snap, Firefox incl. snap and flatpak) and the Linux
// system store's flavour, checked on folder trees the test builds. Plans are inspected, not run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linuxSystemStore } from '../../../main/certs/trust/linux-system.ts';
import { nssDatabases } from '../../../main/certs/trust/nss.ts';
import type { TrustedRoot } from '../../../main/certs/trust/store.ts';
import { tempDir } from '../../support/temp-dir.ts';

const root: TrustedRoot = {
  certFile: '/ca/rootCA.pem',
  certPem: '',
  name: 'Lanyard development CA 42',
  sha256: '',
  sha1: '',
  serialHex: '2a',
};

function db(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'cert9.db'), '');
  return dir;
}

describe('NSS database discovery', () => {
  it('finds Chromium, snap Chromium and every Firefox profile that holds a cert9.db', () => {
    const home = tempDir();
    const expected = [
      db(path.join(home, '.pki', 'nssdb')),
      db(path.join(home, '.local', 'share', 'pki', 'nssdb')),
      db(path.join(home, 'snap', 'chromium', 'current', '.pki', 'nssdb')),
      db(path.join(home, '.mozilla', 'firefox', 'abcd.default-release')),
      db(path.join(home, 'snap', 'firefox', 'common', '.mozilla', 'firefox', 'snap.default')),
      db(path.join(home, '.var', 'app', 'org.mozilla.firefox', '.mozilla', 'firefox', 'flat.default')),
    ];
    mkdirSync(path.join(home, '.mozilla', 'firefox', 'empty-profile'), { recursive: true });
    expect(nssDatabases(home, 'linux').sort()).toEqual(expected.sort());
  });

  it('looks only at Firefox profiles on macOS', () => {
    const home = tempDir();
    db(path.join(home, '.pki', 'nssdb'));
    const profile = db(path.join(home, 'Library', 'Application Support', 'Firefox', 'Profiles', 'x.default'));
    expect(nssDatabases(home, 'darwin')).toEqual([profile]);
  });
});

describe('Linux system store flavours', () => {
  const flavours = [
    {
      name: 'Fedora/RHEL',
      anchors: 'etc/pki/ca-trust/source/anchors',
      file: 'Lanyard_development_CA_42.pem',
      update: ['update-ca-trust', 'extract'],
    },
    {
      name: 'Arch',
      anchors: 'etc/ca-certificates/trust-source/anchors',
      file: 'Lanyard_development_CA_42.crt',
      update: ['trust', 'extract-compat'],
    },
    { name: 'openSUSE', anchors: 'usr/share/pki/trust/anchors', file: 'Lanyard_development_CA_42.pem', update: ['update-ca-certificates'] },
  ];
  for (const f of flavours) {
    it(`${f.name}: copies into ${f.anchors} and runs ${f.update.join(' ')}`, async () => {
      const sysroot = tempDir();
      mkdirSync(path.join(sysroot, f.anchors), { recursive: true });
      const store = linuxSystemStore({ root: sysroot, env: { PATH: '' } });
      expect(await store.locations()).toEqual([`${path.join(sysroot, f.anchors)} (${f.name})`]);
      const plan = await store.install(root);
      expect(plan[0]!.argv).toEqual(['install', '-m', '0644', root.certFile, path.join(sysroot, f.anchors, f.file)]);
      // The update tool by full path when this machine has it (openSUSE's shares Debian's name), else by name.
      expect([path.basename(plan[1]!.argv[0]!), ...plan[1]!.argv.slice(1)]).toEqual(f.update);
    });
  }
});
