// Row 11: names made from certificate content never become paths outside their folder. A CA whose subject O is
// "../../../../etc/cron.daily/x" is installed into a Debian-layout tree the test owns with the real `install` command
// the store plans: the file lands in the anchors folder; its nickname/alias (NSS, Java, keychain) is a safe label.
// And the default output files named after a SAN stay in the output folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCa } from '../../../main/certs/ca.ts';
import { caRootAt } from '../../../main/certs/ca-root.ts';
import { buildCaCertificate } from '../../../main/certs/certificate.ts';
import { writePublicFile, writeSecretFile } from '../../../main/certs/files.ts';
import { newKeyPair, privateKeyPem } from '../../../main/certs/keys.ts';
import { fileStem, parseNames } from '../../../main/certs/names.ts';
import { linuxSystemStore } from '../../../main/certs/trust/linux-system.ts';
import { trustedRoot } from '../../../main/certs/trusted-root.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { sandbox } from './helpers.ts';

const safeLabel = /^[A-Za-z0-9 ._@+-]{1,128}$/;

async function hostileCa(organization: string): Promise<string> {
  const dir = path.join(tempDir(), 'ca');
  const keyPair = await newKeyPair('ecdsa', 'ca');
  const certificate = buildCaCertificate({ keyPair, commonName: 'hostile', organization, unit: 'u', years: 1, permits: null });
  writeSecretFile(path.join(dir, 'rootCA-key.pem'), privateKeyPem(keyPair.privateKey));
  writePublicFile(path.join(dir, 'rootCA.pem'), certificate.pem);
  return dir;
}

describe('a CA subject never names a path outside the trust store', () => {
  it('O=../../../../etc/cron.daily/x installs inside the anchors folder, with a safe nickname', async () => {
    const root = trustedRoot(loadCa(caRootAt(await hostileCa('../../../../etc/cron.daily/x'), 'CAROOT')));
    expect(root.name).toMatch(safeLabel);
    expect(root.name).not.toMatch(/[/:]/);

    const tree = tempDir();
    const anchors = path.join(tree, 'usr/local/share/ca-certificates');
    mkdirSync(anchors, { recursive: true });
    mkdirSync(path.join(tree, 'etc/cron.daily'), { recursive: true });
    const store = linuxSystemStore({ root: tree, env: process.env });
    const [install] = await store.install(root);
    const target = install!.argv.at(-1)!;
    expect(path.dirname(target)).toBe(anchors);
    expect(path.basename(target)).toMatch(/^[A-Za-z0-9._@+-]+\.crt$/);
    // The store's own command, run for real in the tree the test owns.
    const ran = spawnSync(install!.argv[0]!, install!.argv.slice(1), { encoding: 'utf8' });
    expect(ran.status, ran.stderr).toBe(0);
    expect(readdirSync(anchors)).toEqual([path.basename(target)]);
    expect(readdirSync(path.join(tree, 'etc/cron.daily'))).toEqual([]);
    const [remove] = await store.uninstall(root, () =>
      Promise.reject(new Error('the system store plans removal without running anything')),
    );
    expect(remove!.argv).toEqual(['rm', '-f', target]);
  });

  it('control characters, ":" and an overlong O give a bounded label; mkcert’s own name is unchanged', async () => {
    const hostile = trustedRoot(loadCa(caRootAt(await hostileCa(`NSS Certificate DB:x\n\u001b[31m${'A'.repeat(300)}`), 'CAROOT')));
    expect(hostile.name).toMatch(safeLabel);
    const mkcert = trustedRoot(loadCa(caRootAt(await hostileCa('mkcert development CA'), 'CAROOT')));
    expect(mkcert.name).toMatch(/^mkcert development CA \d+$/);
  });
});

describe('default output files named after a SAN stay in the output folder', () => {
  it('file stems are safe basenames, as mkcert names them where it can', () => {
    const stem = (...names: string[]) => fileStem(parseNames(names), false);
    expect(stem('*.example.com')).toBe('_wildcard.example.com');
    expect(stem('::1', 'localhost')).toBe('__1+1');
    expect(stem('https://a.test/x')).toBe('https___a.test_x');
    expect(stem('a\\..\\..\\evil@x.test')).toBe('a_.._.._evil@x.test');
    expect(stem('.hidden@x.test')).toBe('_hidden@x.test');
    expect(stem(`https://a.test/${'y'.repeat(900)}`).length).toBeLessThanOrEqual(100);
  });

  it('an issued certificate named by a hostile email lands in the folder it was asked for', async () => {
    const { dir, lanyard } = sandbox();
    const out = path.join(dir, 'out');
    const { entry } = await lanyard.api.certs.issue({ names: ['..\\..\\evil@x.test'], keyType: 'ecdsa', dir: out });
    expect(path.dirname(entry.certFile!)).toBe(out);
    expect(path.dirname(entry.keyFile!)).toBe(out);
    expect(existsSync(entry.certFile!)).toBe(true);
  });
});
