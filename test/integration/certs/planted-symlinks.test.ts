// Row 15: every file the certificates service writes (CA key and certificate, leaf key, certificate, combined file,
// .p12, a CSR-signed certificate, the CA bundle) is replaced whole; a symlink planted at the target or at the temp
// name the old writer used (`${file}.${pid}.tmp`, predictable) never redirects the write to the file it points at.
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPeer } from '../../support/peers.ts';
import { run, sandbox } from './helpers.ts';
import { newP256Request } from '../../support/openssl-req.ts';

const opensslPath = findPeer('openssl', 'apt-get install openssl');
const victimText = 'the victim file the test owns\n';

/** Plant a symlink at the target and at the old temp name, each pointing at its own victim file. */
function plant(dir: string, file: string): string[] {
  const victims = [path.join(dir, `${path.basename(file)}.victim-target`), path.join(dir, `${path.basename(file)}.victim-temp`)];
  for (const victim of victims) writeFileSync(victim, victimText);
  symlinkSync(victims[0]!, file);
  symlinkSync(victims[1]!, `${file}.${process.pid}.tmp`);
  return victims;
}

function expectUntouched(victims: string[], file: string, mode: number): void {
  for (const victim of victims) expect(readFileSync(victim, 'utf8'), victim).toBe(victimText);
  // The target is now a regular file of its own, with the exact mode.
  expect(lstatSync(file).isSymbolicLink(), file).toBe(false);
  expect(statSync(file).mode & 0o777, file).toBe(mode);
}

describe('a planted symlink never redirects a certificate write', () => {
  it('CA key and certificate', async () => {
    const { env, lanyard } = sandbox();
    const caDir = path.join(env.LANYARD_HOME!, 'ca');
    mkdirSync(caDir, { recursive: true, mode: 0o700 });
    const keyFile = path.join(caDir, 'rootCA-key.pem');
    const certFile = path.join(caDir, 'rootCA.pem');
    const keyVictims = plant(caDir, keyFile);
    // A link at rootCA.pem itself would make the CA look present (and be refused as unreadable): the temp name only.
    const certVictim = path.join(caDir, 'cert.victim-temp');
    writeFileSync(certVictim, victimText);
    symlinkSync(certVictim, `${certFile}.${process.pid}.tmp`);
    const created = await lanyard.api.certs.createCa({ keyType: 'ecdsa' });
    expect(created.ca!.certFile).toBe(certFile);
    expectUntouched(keyVictims, keyFile, 0o600);
    expectUntouched([certVictim], certFile, 0o644);
    expect(readFileSync(keyFile, 'utf8')).toContain('BEGIN PRIVATE KEY');
  });

  it('leaf key and certificate, a combined file and a .p12', async () => {
    const { dir, lanyard } = sandbox();
    await lanyard.api.certs.createCa({ keyType: 'ecdsa' });
    const pem = [path.join(dir, 'planted.test.pem'), path.join(dir, 'planted.test-key.pem')];
    const pemVictims = pem.map((f) => plant(dir, f));
    await lanyard.api.certs.issue({ names: ['planted.test'], keyType: 'ecdsa', dir });
    expectUntouched(pemVictims[0]!, pem[0]!, 0o644);
    expectUntouched(pemVictims[1]!, pem[1]!, 0o600);

    const combined = path.join(dir, 'combined.pem');
    const combinedVictims = plant(dir, combined);
    await lanyard.api.certs.issue({ names: ['combined.test'], keyType: 'ecdsa', dir, certFile: combined, keyFile: combined });
    expectUntouched(combinedVictims, combined, 0o600);

    const p12 = path.join(dir, 'planted.test.p12');
    const p12Victims = plant(dir, p12);
    await lanyard.api.certs.issue({ names: ['planted.test'], keyType: 'ecdsa', dir, pkcs12: true });
    expectUntouched(p12Victims, p12, 0o600);
  });

  it('the CA bundle written for the environment lines', async () => {
    const { env, lanyard } = sandbox();
    await lanyard.api.certs.createCa({ keyType: 'ecdsa' });
    const bundle = path.join(env.LANYARD_HOME!, 'ca-bundle.pem');
    rmSync(bundle, { force: true });
    const victims = plant(path.dirname(bundle), bundle);
    const state = await lanyard.api.certs.ca({});
    expect(state.envLines.join('\n')).toContain(bundle);
    expectUntouched(victims, bundle, 0o644);
    expect(readFileSync(bundle, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it.skipIf(!opensslPath)('a certificate signed from a CSR', async () => {
    const { dir, lanyard } = sandbox();
    await lanyard.api.certs.createCa({ keyType: 'ecdsa' });
    const csr = path.join(dir, 'req.csr');
    const r = run('openssl', [
      ...newP256Request(path.join(dir, 'req-key.pem')),
      '-subj',
      '/CN=signed.test',
      '-addext',
      'subjectAltName=DNS:signed.test',
      '-out',
      csr,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const target = path.join(dir, 'signed.test.pem');
    const victims = plant(dir, target);
    const result = await lanyard.api.certs.signCsr({ csrFile: csr, dir });
    expect(result.entry.certFile).toBe(target);
    expectUntouched(victims, target, 0o644);
    expect(existsSync(`${target}.${process.pid}.tmp`)).toBe(true); // the planted link is left alone, not written through
  });
});
