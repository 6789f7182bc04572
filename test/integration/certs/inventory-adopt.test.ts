// The inventory and renewal through the contract and through the built CLI; adopting a real mkcert CA.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InventoryEntry } from '../../../main/certs/contract.ts';
import { findPeer } from '../../support/peers.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { openssl, run, sandbox } from './helpers.ts';

const mkcert = findPeer('mkcert', 'apt-get install mkcert');
const certutil = findPeer('certutil', 'apt-get install libnss3-tools');

describe('inventory and renewal', () => {
  it('records every issue and renews by id and by expiry, to the same files', async () => {
    const { dir, lanyard } = sandbox();
    const api = lanyard.api;
    const short = await api.certs.issue({ names: ['short.test'], dir, days: 5 });
    const long = await api.certs.issue({ names: ['long.test', '::1'], keyType: 'rsa', dir });
    const p12 = await api.certs.issue({ names: ['p.test'], dir, pkcs12: true, days: 10 });

    const list = await api.certs.list({});
    expect(list.map((e) => e.id)).toEqual([short.entry.id, p12.entry.id, long.entry.id]);
    expect(list[0]).toMatchObject({ daysLeft: 4, keyType: 'ecdsa', fromCurrentCa: true, names: [{ kind: 'dns', value: 'short.test' }] });
    expect(list[2]!.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect((await api.certs.list({ expiringWithinDays: 7 })).map((e) => e.id)).toEqual([short.entry.id]);

    const before = readFileSync(short.entry.certFile!, 'utf8');
    const byId = await api.certs.renew({ id: short.entry.id });
    expect(byId.renewed).toHaveLength(1);
    expect(byId.renewed[0]).toMatchObject({
      id: short.entry.id,
      certFile: short.entry.certFile,
      keyFile: short.entry.keyFile,
      daysLeft: 4,
    });
    expect(byId.renewed[0]!.serial).not.toBe(short.entry.serial);
    expect(readFileSync(short.entry.certFile!, 'utf8')).not.toBe(before);
    expect(byId.renewed[0]!.renewedAt).not.toBeNull();

    const expiring = await api.certs.renew({ expiringWithinDays: 30 });
    expect(expiring.renewed.map((e) => e.id).sort()).toEqual([short.entry.id, p12.entry.id].sort());
    expect(openssl(['pkcs12', '-in', p12.entry.p12File!, '-passin', 'pass:changeit', '-noout']).status).toBe(0);
    await expect(api.certs.renew({ id: 999 })).rejects.toThrow(/no certificate with id 999/);

    const removed = await api.certs.remove({ id: long.entry.id, deleteFiles: true });
    expect(removed.deletedFiles.sort()).toEqual([long.entry.certFile, long.entry.keyFile].sort());
    expect(existsSync(long.entry.certFile!)).toBe(false);
    expect((await api.certs.list({})).map((e) => e.id)).not.toContain(long.entry.id);
  });

  it('the built CLI issues with mkcert flags, lists as JSON and renews', { timeout: 120_000 }, () => {
    const { dir, env } = sandbox();
    const cli = (args: string[]) => {
      const r = spawnSync(nodeBin, [cliBundle, 'cert', ...args], { cwd: dir, env, encoding: 'utf8' });
      return { status: r.status, out: r.stdout + r.stderr };
    };
    const issued = cli(['-ecdsa', '-cert-file', 'site.pem', '-key-file', 'site-key.pem', 'localhost', '127.0.0.1']);
    expect(issued.status, issued.out).toBe(0);
    expect(issued.out).toContain('The certificate is at "./site.pem" and the key at "./site-key.pem"');
    expect(cli(['-client', 'me@example.test']).out).toContain('./me@example.test-client.pem');
    const listed = cli(['list', '--json']);
    const entries = JSON.parse(listed.out) as InventoryEntry[];
    expect(entries.map((e) => e.names[0]!.value).sort()).toEqual(['localhost', 'me@example.test']);
    const renewed = cli(['renew', String(entries[0]!.id)]);
    expect(renewed.status, renewed.out).toBe(0);
    expect(renewed.out).toMatch(/renewed \d+/);
    expect(cli(['-CAROOT']).out.trim()).toBe(path.join(env.LANYARD_HOME!, 'ca'));
    expect(cli(['--rsa', '-ecdsa', 'x.test']).status).toBe(2);
    const bad = cli(['renew']);
    expect(bad.status).toBe(2);
  });

  it.skipIf(!certutil)(
    'the built CLI: -install prints each command before its result, then the env lines; -uninstall reverses it',
    { timeout: 120_000 },
    () => {
      const { dir, env } = sandbox();
      const nssdb = path.join(dir, '.pki', 'nssdb');
      mkdirSync(nssdb, { recursive: true });
      expect(run(certutil!, ['-N', '-d', `sql:${nssdb}`, '--empty-password']).status).toBe(0);
      const cli = (args: string[]) => spawnSync(nodeBin, [cliBundle, 'cert', ...args], { cwd: dir, env, encoding: 'utf8' });
      const installed = cli(['-install', '--store', 'nss']);
      expect(installed.status, installed.stderr).toBe(0);
      const lines = installed.stdout.split('\n');
      const command = lines.findIndex((l) =>
        /^\$ \S*certutil -A -d sql:\S+ -t C,, -n 'Lanyard development CA \d+' -i \S+rootCA\.pem$/.test(l),
      );
      const verified = lines.indexOf('✓ Browsers (NSS): Installed and verified.');
      expect(command).toBeGreaterThanOrEqual(0);
      expect(verified).toBeGreaterThan(command);
      expect(installed.stdout).toContain(`export NODE_EXTRA_CA_CERTS=${env.LANYARD_HOME}/ca/rootCA.pem`);
      expect(installed.stdout).toContain(`export SSL_CERT_FILE=${env.LANYARD_HOME}/ca-bundle.pem`);
      const removed = cli(['-uninstall', '--store', 'nss', '--delete-ca']);
      expect(removed.status, removed.stderr).toBe(0);
      expect(removed.stdout).toMatch(
        /\$ \S*certutil -D -d sql:\S+ -n 'Lanyard development CA \d+'\n✓ Browsers \(NSS\): Removed and verified\./,
      );
      expect(removed.stdout).toMatch(/Deleted \S+rootCA-key\.pem and \S+rootCA\.pem\./);
    },
  );
});

describe.skipIf(!mkcert)('adopting an mkcert CA', () => {
  it('keeps using the root mkcert made: Lanyard leaves verify against it and mkcert names the stores the same', async () => {
    const { dir, env, lanyard } = sandbox();
    const caroot = path.join(dir, 'mkcert-root');
    // mkcert creates its CA on first use; TRUST_STORES=none keeps it away from this machine's stores.
    const made = run(mkcert!, ['-cert-file', path.join(dir, 'm.pem'), '-key-file', path.join(dir, 'm-key.pem'), 'm.test'], {
      env: { ...env, CAROOT: caroot, TRUST_STORES: 'none' },
    });
    expect(made.status, made.stderr).toBe(0);
    const state = await lanyard.api.certs.adoptCa({ dir: caroot });
    expect(state).toMatchObject({ source: 'adopted', dir: caroot });
    expect(state.ca!.subject).toMatch(/mkcert development CA/);
    expect(state.ca!.storeName).toMatch(/^mkcert development CA \d+$/);
    const { entry } = await lanyard.api.certs.issue({ names: ['adopted.test'], dir });
    expect(openssl(['verify', '-CAfile', path.join(caroot, 'rootCA.pem'), entry.certFile!]).status).toBe(0);
    // …and mkcert can still use it after Lanyard did.
    expect(
      run(mkcert!, ['-cert-file', path.join(dir, 'm2.pem'), '-key-file', path.join(dir, 'm2-key.pem'), 'm2.test'], {
        env: { ...env, CAROOT: caroot, TRUST_STORES: 'none' },
      }).status,
    ).toBe(0);
    await expect(lanyard.api.certs.adoptCa({ dir: path.join(dir, 'nowhere') })).rejects.toThrow(/no CA/);
  });
});
