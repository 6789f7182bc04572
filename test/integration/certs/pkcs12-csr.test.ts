// PKCS#12 judged by OpenSSL 3 (no -legacy), Node's tls and Java's keytool; CSR signing judged by openssl.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { findPeer } from '../../support/peers.ts';
import { openssl, run, sandbox } from './helpers.ts';

const opensslPath = findPeer('openssl', 'apt-get install openssl');
const keytool = findPeer('keytool', 'apt-get install openjdk-17-jre-headless');

describe.skipIf(!opensslPath || !keytool)('PKCS#12', () => {
  for (const keyType of ['ecdsa', 'rsa'] as const) {
    it(`a ${keyType.toUpperCase()} .p12 opens in OpenSSL 3 without -legacy, in Node and in keytool`, async () => {
      const { dir, lanyard } = sandbox();
      await lanyard.api.certs.createCa({ keyType });
      const { entry, p12Password } = await lanyard.api.certs.issue({ names: ['p12.test', 'localhost'], keyType, pkcs12: true, dir });
      expect(p12Password).toBe('changeit');
      expect(entry.p12File).toBe(path.join(dir, 'p12.test+1.p12'));
      expect(entry.certFile).toBeNull();
      expect(statSync(entry.p12File!).mode & 0o777).toBe(0o600);

      const info = openssl(['pkcs12', '-in', entry.p12File!, '-passin', 'pass:changeit', '-info', '-nodes']);
      expect(info.status, info.stderr).toBe(0);
      expect(info.stderr).toMatch(/MAC: sha256/);
      expect(info.stderr).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256/);
      expect(info.stdout).toContain('BEGIN PRIVATE KEY');
      expect((info.stdout.match(/BEGIN CERTIFICATE/g) ?? []).length).toBe(2);
      expect(openssl(['pkcs12', '-in', entry.p12File!, '-passin', 'pass:wrong', '-noout']).status).not.toBe(0);

      const pfx = readFileSync(entry.p12File!);
      expect(() => tls.createSecureContext({ pfx, passphrase: 'changeit' })).not.toThrow();

      const listed = run(keytool!, ['-list', '-v', '-storetype', 'PKCS12', '-keystore', entry.p12File!, '-storepass', 'changeit']);
      expect(listed.status, listed.stdout + listed.stderr).toBe(0);
      expect(listed.stdout).toContain('Entry type: PrivateKeyEntry');
      expect(listed.stdout).toContain('Certificate chain length: 2');
    });
  }

  it('honours -p12-file and --p12-password', async () => {
    const { dir, lanyard } = sandbox();
    const file = path.join(dir, 'custom.p12');
    const { entry, p12Password } = await lanyard.api.certs.issue({
      names: ['x.test'],
      pkcs12: true,
      p12File: file,
      p12Password: 's3cret pass',
      dir,
    });
    expect(entry.p12File).toBe(file);
    expect(p12Password).toBe('s3cret pass');
    expect(openssl(['pkcs12', '-in', file, '-passin', 'pass:s3cret pass', '-noout']).status).toBe(0);
  });
});

describe.skipIf(!opensslPath)('CSR signing', () => {
  function makeCsr(dir: string, name: string, config: string, newKey = ['-newkey', 'rsa:2048']): string {
    const cnf = path.join(dir, `${name}.cnf`);
    writeFileSync(cnf, `[req]\ndistinguished_name=dn\nreq_extensions=ext\nprompt=no\n[dn]\nCN=${name}\nO=Example\n[ext]\n${config}\n`);
    const csr = path.join(dir, `${name}.csr`);
    const r = run('openssl', [
      'req',
      '-new',
      ...newKey,
      '-nodes',
      '-keyout',
      path.join(dir, `${name}-key.pem`),
      '-config',
      cnf,
      '-out',
      csr,
    ]);
    expect(r.status, r.stderr).toBe(0);
    return csr;
  }

  it('signs names and key from the request, with Lanyard’s own extensions', async () => {
    const { dir, lanyard } = sandbox();
    const state = await lanyard.api.certs.createCa({ keyType: 'ecdsa' });
    const csr = makeCsr(
      dir,
      'csr.test',
      'subjectAltName=DNS:csr.test,DNS:www.csr.test,IP:10.0.0.7\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment,dataEncipherment\n1.2.3.4=ASN1:UTF8String:junk',
    );
    const result = await lanyard.api.certs.signCsr({ csrFile: csr, dir });
    expect(result.entry.certFile).toBe(path.join(dir, 'csr.test+2-client.pem'));
    expect(result.entry.keyFile).toBeNull();
    expect(result.entry.csrFile).toBe(csr);
    expect(result.warnings.join(' ')).toMatch(/Ignored the requested extension 1.2.3.4/);
    expect(openssl(['verify', '-CAfile', state.ca!.certFile, result.entry.certFile!]).status).toBe(0);
    const t = openssl(['x509', '-in', result.entry.certFile!, '-noout', '-text']).stdout;
    expect(t).toContain('DNS:csr.test, DNS:www.csr.test, IP Address:10.0.0.7');
    // The subject is Lanyard's own; the request's CN is kept because it is one of its names, its O is not.
    expect(t).toMatch(/Subject: O = Lanyard development certificate, OU = \S+, CN = csr.test\n/);
    expect(t).not.toContain('Example');
    expect(t).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
    expect(t).not.toContain('1.2.3.4');
    // The certificate holds the request's key.
    const certKey = openssl(['x509', '-in', result.entry.certFile!, '-noout', '-pubkey']).stdout;
    const csrKey = openssl(['req', '-in', csr, '-noout', '-pubkey']).stdout;
    expect(certKey).toBe(csrKey);
  });

  it('signs a P-256 request signed with SHA-384, and one with no names but its common name', async () => {
    const { dir, lanyard } = sandbox();
    const state = await lanyard.api.certs.createCa({ keyType: 'rsa' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-sha384'];
    const withSan = await lanyard.api.certs.signCsr({
      csrFile: makeCsr(dir, 'ec.test', 'subjectAltName=DNS:ec.test,email:ops@ec.test', ec),
      dir,
    });
    const bare = await lanyard.api.certs.signCsr({ csrFile: makeCsr(dir, 'bare.test', 'keyUsage=digitalSignature', ec), dir });
    for (const { entry } of [withSan, bare]) {
      expect(entry.keyType).toBe('ecdsa');
      expect(openssl(['verify', '-x509_strict', '-CAfile', state.ca!.certFile, entry.certFile!]).status).toBe(0);
    }
    expect(openssl(['x509', '-in', withSan.entry.certFile!, '-noout', '-ext', 'subjectAltName']).stdout).toContain(
      'DNS:ec.test, email:ops@ec.test',
    );
    expect(bare.entry.names).toEqual([{ kind: 'dns', value: 'bare.test' }]);
  });

  it('refuses a request naming a kind of name Lanyard does not issue, and one cut short', async () => {
    const { dir, lanyard } = sandbox();
    await lanyard.api.certs.createCa({ keyType: 'ecdsa' });
    await expect(
      lanyard.api.certs.signCsr({ csrFile: makeCsr(dir, 'other.test', 'subjectAltName=DNS:other.test,otherName:1.2.3.4;UTF8:x'), dir }),
    ).rejects.toThrow(/subject alternative name of a kind Lanyard does not issue \(otherName\)/);
    const whole = readFileSync(makeCsr(dir, 'cut.test', 'subjectAltName=DNS:cut.test'), 'utf8').replace(/-----[^-]+-----|\s/g, '');
    const cut = path.join(dir, 'cut.csr');
    writeFileSync(
      cut,
      `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(whole, 'base64').subarray(0, 200).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`,
    );
    await expect(lanyard.api.certs.signCsr({ csrFile: cut, dir })).rejects.toThrow(
      /Not a readable certificate signing request: malformed DER/,
    );
  });

  it('refuses a request for CA:TRUE, for an unexpected EKU, or with a broken signature', async () => {
    const { dir, lanyard } = sandbox();
    await lanyard.api.certs.createCa({ keyType: 'ecdsa' });
    await expect(
      lanyard.api.certs.signCsr({ csrFile: makeCsr(dir, 'ca.test', 'basicConstraints=critical,CA:TRUE\nsubjectAltName=DNS:ca.test'), dir }),
    ).rejects.toThrow(/asks to be a CA/);
    await expect(
      lanyard.api.certs.signCsr({ csrFile: makeCsr(dir, 'code.test', 'extendedKeyUsage=codeSigning\nsubjectAltName=DNS:code.test'), dir }),
    ).rejects.toThrow(/1.3.6.1.5.5.7.3.3/);
    const good = makeCsr(dir, 'tamper.test', 'subjectAltName=DNS:tamper.test');
    const der = run('openssl', ['req', '-in', good, '-outform', 'DER']);
    const bytes = Buffer.from(readFileSync(good, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const at = bytes.indexOf(Buffer.from('tamper.test'));
    bytes[at] = 'x'.charCodeAt(0);
    const tampered = path.join(dir, 'tampered.csr');
    writeFileSync(
      tampered,
      `-----BEGIN CERTIFICATE REQUEST-----\n${bytes.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE REQUEST-----\n`,
    );
    expect(der.status).toBe(0);
    await expect(lanyard.api.certs.signCsr({ csrFile: tampered, dir })).rejects.toThrow(/signature does not verify/);
  });
});
