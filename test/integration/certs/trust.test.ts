// Trust stores for real: NSS with certutil and then headless Chromium; the Debian system store with the real
// update-ca-certificates in a folder tree the test owns (and on / when root under CI); Java with keytool.
import { spawnSync } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrustEvent } from '../../../main/certs/contract.ts';
import { CertsService } from '../../../main/certs/service.ts';
import { which } from '../../../main/system/which.ts';
import type { LanyardApi } from '../../../main/contract/api.ts';
import { findPeer, underCI } from '../../support/peers.ts';
import { chromium } from 'playwright-core';
import { chromiumArgs } from '../../support/serve.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { run, sandbox } from './helpers.ts';

const certutil = findPeer('certutil', 'apt-get install libnss3-tools');
const chromiumPath = findPeer('chromium', 'apt-get install chromium');
const sbinPath = `${process.env.PATH}:/usr/sbin:/sbin`;
// update-ca-certificates lives in /usr/sbin, which a non-root PATH often lacks.
const updateCa =
  which('update-ca-certificates', { PATH: sbinPath }) ?? findPeer('update-ca-certificates', 'apt-get install ca-certificates');
const keytool = findPeer('keytool', 'apt-get install openjdk-17-jre-headless');

function trust(api: LanyardApi, action: 'install' | 'uninstall', stores: ('nss' | 'system' | 'java')[]): Promise<TrustEvent[]> {
  const events: TrustEvent[] = [];
  return new Promise((resolve, reject) => {
    api.certs.trust({ action, stores }, { next: (e) => events.push(e), error: reject, complete: () => resolve(events) });
  });
}

function serviceTrust(service: CertsService, action: 'install' | 'uninstall'): Promise<TrustEvent[]> {
  const events: TrustEvent[] = [];
  return service.trust(action, 'system', ['system'], (e) => events.push(e)).then(() => events);
}

async function serve(certFile: string, keyFile: string): Promise<{ server: Server; port: number }> {
  const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (_req, res) =>
    res.end('<title>lanyard-ok</title>served with a Lanyard leaf'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe.skipIf(!certutil || !chromiumPath)('NSS database + headless Chromium', () => {
  const box = sandbox();
  const nssdb = path.join(box.dir, '.pki', 'nssdb');
  let served: { server: Server; port: number } | undefined;
  afterAll(() => served?.server.close());

  /** A fresh Chromium per visit (it caches verification results per process); HOME decides which NSS db it reads. */
  async function visitWithHome(home: string): Promise<string> {
    const browser = await chromium.launch({ executablePath: chromiumPath!, args: chromiumArgs, env: { ...process.env, HOME: home } });
    try {
      const page = await browser.newPage();
      try {
        await page.goto(`https://localhost:${served!.port}/`, { timeout: 15_000 });
        return `loaded ${await page.title()}`;
      } catch (error) {
        return (error as Error).message.split('\n')[0]!;
      }
    } finally {
      await browser.close();
    }
  }

  it('Chromium refuses the Lanyard leaf before the install', { timeout: 120_000 }, async () => {
    mkdirSync(nssdb, { recursive: true });
    expect(run(certutil!, ['-N', '-d', `sql:${nssdb}`, '--empty-password']).status).toBe(0);
    const { entry } = await box.lanyard.api.certs.issue({ names: ['localhost', '127.0.0.1', '::1'], dir: box.dir });
    served = await serve(entry.certFile!, entry.keyFile!);
    const stores = await box.lanyard.api.certs.trustStatus({});
    expect(stores.find((s) => s.id === 'nss')).toMatchObject({ available: true, installed: false, locations: [nssdb] });
    expect(await visitWithHome(box.dir)).toMatch(/ERR_CERT_AUTHORITY_INVALID/);
  });

  it('installs with certutil (command announced first), verifies, and Chromium then loads the page', { timeout: 120_000 }, async () => {
    const events = await trust(box.lanyard.api, 'install', ['nss']);
    const [command] = events;
    expect(command).toMatchObject({ type: 'command', store: 'nss', privileged: false });
    expect((command as { command: string }).command).toMatch(
      new RegExp(`^${certutil} -A -d sql:${nssdb} -t C,, -n 'Lanyard development CA \\d+' -i ${box.env.LANYARD_HOME}/ca/rootCA.pem$`),
    );
    expect(events.find((e) => e.type === 'store')).toMatchObject({ ok: true, detail: 'Installed and verified.' });
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true, manual: [] });
    const name = (await box.lanyard.api.certs.ca({})).ca!.storeName;
    expect(run(certutil!, ['-V', '-d', `sql:${nssdb}`, '-u', 'L', '-n', name]).status).toBe(0);
    expect(await visitWithHome(box.dir)).toBe('loaded lanyard-ok');
    await expect(box.lanyard.api.certs.deleteCa({})).rejects.toThrow(/still in: Browsers \(NSS\)/);
  });

  it('uninstalls, verifies, and Chromium refuses again', { timeout: 120_000 }, async () => {
    const events = await trust(box.lanyard.api, 'uninstall', ['nss']);
    expect(events.filter((e) => e.type === 'command').map((e) => (e as { command: string }).command)).toEqual([
      expect.stringMatching(/certutil -D -d sql:.* -n 'Lanyard development CA \d+'$/),
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true });
    expect(await visitWithHome(box.dir)).toMatch(/ERR_CERT_AUTHORITY_INVALID/);
    // Nothing left to remove: a second uninstall runs no command.
    expect((await trust(box.lanyard.api, 'uninstall', ['nss'])).filter((e) => e.type === 'command')).toEqual([]);
    // Only now may the key go.
    const { deletedFiles } = await box.lanyard.api.certs.deleteCa({});
    expect(deletedFiles).toEqual([
      path.join(box.env.LANYARD_HOME!, 'ca', 'rootCA-key.pem'),
      path.join(box.env.LANYARD_HOME!, 'ca', 'rootCA.pem'),
    ]);
    expect((await box.lanyard.api.certs.ca({})).ca).toBeNull();
  });
});

/**
 * The Debian layout update-ca-certificates expects, under a root the test owns, with one distribution root
 * listed as a real system has (the tool keeps a stale bundle when it has no certificate at all to write).
 */
function debianTree(root: string): void {
  for (const dir of [
    'usr/share/ca-certificates/mozilla',
    'usr/local/share/ca-certificates',
    'etc/ssl/certs',
    'etc/ca-certificates/update.d',
  ])
    mkdirSync(path.join(root, dir), { recursive: true });
  const { ca } = sandboxRootPem();
  writeFileSync(path.join(root, 'usr/share/ca-certificates/mozilla/Distribution_Root.crt'), ca);
  writeFileSync(path.join(root, 'etc/ca-certificates.conf'), 'mozilla/Distribution_Root.crt\n');
}

/** A stand-in distribution root: any self-signed CA certificate will do. */
function sandboxRootPem(): { ca: string } {
  const dir = tempDir('lanyard-distro-');
  const r = run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    path.join(dir, 'k.pem'),
    '-subj',
    '/CN=Distribution Root',
    '-days',
    '30',
    '-out',
    path.join(dir, 'c.pem'),
  ]);
  expect(r.status, r.stderr).toBe(0);
  return { ca: readFileSync(path.join(dir, 'c.pem'), 'utf8') };
}

describe.skipIf(!updateCa)('Debian system store in a folder tree the test owns (real update-ca-certificates)', () => {
  const box = sandbox({ PATH: sbinPath });
  const root = tempDir('lanyard-sysroot-');
  debianTree(root);
  const service = new CertsService({
    dataDir: box.env.LANYARD_HOME!,
    env: box.env,
    trust: { systemRoot: root, elevated: false, interactive: false },
  });
  afterAll(() => service.close());
  const bundle = path.join(root, 'etc/ssl/certs/ca-certificates.crt');

  it('installs: copies the root into the anchors folder and runs update-ca-certificates with that tree', { timeout: 120_000 }, async () => {
    const state = await service.createCa({ keyType: 'ecdsa' });
    const events = await serviceTrust(service, 'install');
    const commands = events.filter((e) => e.type === 'command').map((e) => (e as { command: string }).command);
    const file = path.join(root, 'usr/local/share/ca-certificates', `${state.ca!.storeName.replaceAll(' ', '_')}.crt`);
    expect(commands).toEqual([
      `install -m 0644 ${state.ca!.certFile} ${file}`,
      `${updateCa} --certsconf ${root}/etc/ca-certificates.conf --certsdir ${root}/usr/share/ca-certificates --localcertsdir ${root}/usr/local/share/ca-certificates --etccertsdir ${root}/etc/ssl/certs --hooksdir ${root}/etc/ca-certificates/update.d`,
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true });
    // update-ca-certificates picked it up: in the bundle, and hashed links in etc/ssl/certs.
    expect(readFileSync(bundle, 'utf8')).toContain(readFileSync(state.ca!.certFile, 'utf8').trim().split('\n')[1]);
    const links = readdirSync(path.join(root, 'etc/ssl/certs')).filter((f) =>
      lstatSync(path.join(root, 'etc/ssl/certs', f)).isSymbolicLink(),
    );
    expect(links.some((l) => /^[0-9a-f]{8}\.0$/.test(l))).toBe(true);
    const status = (await service.trustStatus()).find((s) => s.id === 'system');
    expect(status).toMatchObject({ installed: true });
  });

  it('uninstalls: removes the file, re-runs the update, and the bundle no longer holds the root', { timeout: 120_000 }, async () => {
    const events = await serviceTrust(service, 'uninstall');
    const commands = events.filter((e) => e.type === 'command').map((e) => (e as { command: string }).command);
    expect(commands[0]).toMatch(/^rm -f .*\.crt$/);
    expect(commands[1]).toBe(
      `${updateCa} --fresh --certsconf ${root}/etc/ca-certificates.conf --certsdir ${root}/usr/share/ca-certificates --localcertsdir ${root}/usr/local/share/ca-certificates --etccertsdir ${root}/etc/ssl/certs --hooksdir ${root}/etc/ca-certificates/update.d`,
    );
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true });
    const pemLine = readFileSync(service.state().ca!.certFile, 'utf8').split('\n')[1]!;
    const after = readFileSync(bundle, 'utf8');
    expect(after).not.toContain(pemLine);
    expect(after).toContain('BEGIN CERTIFICATE');
    expect((await service.trustStatus()).find((s) => s.id === 'system')).toMatchObject({ installed: false });
  });
});

// On the real / only as root under CI: this changes the machine's trust.
const realSystem = Boolean(updateCa) && process.getuid?.() === 0 && underCI;
describe.skipIf(!realSystem)('Debian system store on this machine (root, CI only)', () => {
  it('installs and uninstalls for real; openssl trusts a leaf through the default store only while installed', {
    timeout: 120_000,
  }, async () => {
    const box = sandbox({ PATH: sbinPath });
    const { entry } = await box.lanyard.api.certs.issue({ names: ['system.test'], dir: box.dir });
    const verifyDefault = () => spawnSync('openssl', ['verify', entry.certFile!], { encoding: 'utf8' }).status;
    expect(verifyDefault()).not.toBe(0);
    try {
      expect((await trust(box.lanyard.api, 'install', ['system'])).at(-1)).toMatchObject({ type: 'done', ok: true });
      expect(verifyDefault()).toBe(0);
    } finally {
      expect((await trust(box.lanyard.api, 'uninstall', ['system'])).at(-1)).toMatchObject({ type: 'done', ok: true });
    }
    expect(verifyDefault()).not.toBe(0);
  });
});

describe.skipIf(!keytool)('Java cacerts (a copy) with keytool', () => {
  it('installs, verifies with keytool -list, and uninstalls', { timeout: 120_000 }, async () => {
    const javaHome = tempDir('lanyard-java-');
    const realCacerts = path.join(
      path.dirname(path.dirname(run('readlink', ['-f', keytool!]).stdout.trim())),
      'lib',
      'security',
      'cacerts',
    );
    mkdirSync(path.join(javaHome, 'lib', 'security'), { recursive: true });
    copyFileSync(realCacerts, path.join(javaHome, 'lib', 'security', 'cacerts'));
    const box = sandbox({ JAVA_HOME: javaHome });
    await box.lanyard.api.certs.createCa({ keyType: 'rsa' });
    const name = (await box.lanyard.api.certs.ca({})).ca!.storeName;
    const cacerts = path.join(javaHome, 'lib', 'security', 'cacerts');
    const installed = await trust(box.lanyard.api, 'install', ['java']);
    expect(installed.find((e) => e.type === 'command')).toMatchObject({
      command: `${keytool} -importcert -noprompt -keystore ${cacerts} -storepass changeit -file ${box.env.LANYARD_HOME}/ca/rootCA.pem -alias '${name}'`,
    });
    expect(installed.at(-1)).toMatchObject({ type: 'done', ok: true });
    expect(run(keytool!, ['-list', '-keystore', cacerts, '-storepass', 'changeit', '-alias', name]).stdout).toContain('trustedCertEntry');
    expect((await trust(box.lanyard.api, 'uninstall', ['java'])).at(-1)).toMatchObject({ type: 'done', ok: true });
    expect(run(keytool!, ['-list', '-keystore', cacerts, '-storepass', 'changeit', '-alias', name]).status).not.toBe(0);
  });
});
