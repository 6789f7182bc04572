// Row 14 and Deliver 3: a CSR's subject is not copied (the leaf's subject is Lanyard's, with a CN only when it is one
// of the validated names), and a request is bounded in size, names, extensions, attributes and nesting. openssl makes
// the hostile requests and judges the issued certificates.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPeer } from '../../support/peers.ts';
import { openssl, run, sandbox } from './helpers.ts';
import { newP256Request } from '../../support/openssl-req.ts';

const opensslPath = findPeer('openssl', 'apt-get install openssl');

/** A P-256 request made by openssl req with this subject and these -addext extensions. */
function request(dir: string, file: string, subject: string, extensions: string[]): string {
  const csr = path.join(dir, file);
  const args = [...newP256Request(`${csr}-key.pem`), '-subj', subject, ...extensions.flatMap((e) => ['-addext', e]), '-out', csr];
  const r = run('openssl', args);
  expect(r.status, r.stderr).toBe(0);
  return csr;
}

function subjectOf(certFile: string): string {
  const r = openssl(['x509', '-in', certFile, '-noout', '-subject', '-nameopt', 'RFC2253']);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe.skipIf(!opensslPath)('the issued subject is Lanyard’s, not the request’s', () => {
  it('a request for SAN a.test with CN=www.google.com gets no www.google.com anywhere', async () => {
    const { dir, lanyard } = sandbox();
    const state = await lanyard.api.certs.createCa({ keyType: 'ecdsa' });
    const csr = request(dir, 'google.csr', '/C=US/O=Google LLC/CN=www.google.com', ['subjectAltName=DNS:a.test']);
    const { entry, warnings } = await lanyard.api.certs.signCsr({ csrFile: csr, dir });
    const text = openssl(['x509', '-in', entry.certFile!, '-noout', '-text']).stdout;
    expect(text).not.toMatch(/google/i);
    expect(subjectOf(entry.certFile!)).toMatch(/^subject=OU=[^,]+,O=Lanyard development certificate$/);
    expect(text).toContain('DNS:a.test');
    expect(warnings.join(' ')).toContain('"www.google.com" is not one of its names');
    expect(openssl(['verify', '-x509_strict', '-CAfile', state.ca!.certFile, entry.certFile!]).status).toBe(0);
  });

  it('keeps a CN that is one of the names (normalised as the SAN is), and a CN-only request becomes CN + SAN', async () => {
    const { dir, lanyard } = sandbox();
    await lanyard.api.certs.createCa({ keyType: 'ecdsa' });
    const both = await lanyard.api.certs.signCsr({
      csrFile: request(dir, 'both.csr', '/O=Evil/CN=WWW.App.Test', ['subjectAltName=DNS:www.app.test,DNS:app.test']),
      dir,
    });
    expect(subjectOf(both.entry.certFile!)).toMatch(/^subject=CN=www.app.test,OU=[^,]+,O=Lanyard development certificate$/);
    const bare = await lanyard.api.certs.signCsr({ csrFile: request(dir, 'bare.csr', '/OU=x/CN=only.test', []), dir });
    expect(subjectOf(bare.entry.certFile!)).toMatch(/^subject=CN=only.test,OU=[^,]+,O=Lanyard development certificate$/);
    expect(openssl(['x509', '-in', bare.entry.certFile!, '-noout', '-ext', 'subjectAltName']).stdout).toContain('DNS:only.test');
  });

  it('under a name-constrained CA, a CN outside the permits is never issued, as a SAN or as a CN', async () => {
    const { dir, lanyard } = sandbox();
    await lanyard.api.certs.createCa({ keyType: 'ecdsa', permits: ['test'] });
    const outside = request(dir, 'outside.csr', '/CN=www.google.com', []);
    await expect(lanyard.api.certs.signCsr({ csrFile: outside, dir })).rejects.toThrow(/cannot vouch for "www.google.com"/);
    const hidden = await lanyard.api.certs.signCsr({
      csrFile: request(dir, 'hidden.csr', '/CN=www.google.com', ['subjectAltName=DNS:in.test']),
      dir,
    });
    expect(subjectOf(hidden.entry.certFile!)).not.toMatch(/google/);
  });
});

describe.skipIf(!opensslPath)('a request is bounded', () => {
  it('refuses more than 100 names, and names longer than 1024 characters', async () => {
    const { dir, lanyard } = sandbox();
    await lanyard.api.certs.createCa({ keyType: 'ecdsa' });
    const many = Array.from({ length: 101 }, (_, i) => `DNS:h${i}.test`).join(',');
    await expect(
      lanyard.api.certs.signCsr({ csrFile: request(dir, 'many.csr', '/CN=h0.test', [`subjectAltName=${many}`]), dir }),
    ).rejects.toThrow(/names 101 subject alternative names; Lanyard signs at most 100/);
    const hundred = Array.from({ length: 100 }, (_, i) => `DNS:h${i}.test`).join(',');
    expect(
      (await lanyard.api.certs.signCsr({ csrFile: request(dir, 'hundred.csr', '/CN=h0.test', [`subjectAltName=${hundred}`]), dir })).entry
        .names,
    ).toHaveLength(100);
    const long = `URI:https://a.test/${'x'.repeat(1100)}`;
    await expect(
      lanyard.api.certs.signCsr({ csrFile: request(dir, 'long.csr', '/CN=a.test', [`subjectAltName=${long}`]), dir }),
    ).rejects.toThrow(/longer than 1024 characters/);
  });

  it('refuses more than 32 extensions', async () => {
    const { dir, lanyard } = sandbox();
    await lanyard.api.certs.createCa({ keyType: 'ecdsa' });
    const extensions = ['subjectAltName=DNS:ext.test', ...Array.from({ length: 32 }, (_, i) => `1.2.3.${i}=ASN1:NULL`)];
    await expect(lanyard.api.certs.signCsr({ csrFile: request(dir, 'ext.csr', '/CN=ext.test', extensions), dir })).rejects.toThrow(
      /33 extensions, more than the 32 Lanyard reads/,
    );
  });

  it('refuses a request file over 64 KiB without reading past the bound, and one with more than 16 PEM blocks', async () => {
    const { dir, lanyard } = sandbox();
    await lanyard.api.certs.createCa({ keyType: 'ecdsa' });
    const good = readFileSync(request(dir, 'good.csr', '/CN=good.test', []), 'utf8');
    const big = path.join(dir, 'big.csr');
    writeFileSync(big, `${'#'.repeat(70 * 1024)}\n${good}`);
    await expect(lanyard.api.certs.signCsr({ csrFile: big, dir })).rejects.toThrow(/over 64 KiB/);
    const blocks = path.join(dir, 'blocks.csr');
    writeFileSync(blocks, `${'-----BEGIN X-----\nAA==\n-----END X-----\n'.repeat(16)}${good}`);
    await expect(lanyard.api.certs.signCsr({ csrFile: blocks, dir })).rejects.toThrow(/more than 16 blocks/);
  });
});
