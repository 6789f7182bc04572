// CA and leaf certificates judged by the real openssl (verify, x509 -text) and a Node TLS handshake.
import { createServer } from 'node:https';
import { request } from 'node:https';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPeer } from '../../support/peers.ts';
import { openssl, run, sandbox } from './helpers.ts';
import { newP256Request } from '../../support/openssl-req.ts';

const opensslPath = findPeer('openssl', 'apt-get install openssl');
const mode = (file: string) => statSync(file).mode & 0o777;

function text(file: string): string {
  const r = openssl(['x509', '-in', file, '-noout', '-text']);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

function verify(caFile: string, leafFile: string, purpose?: string): { ok: boolean; output: string } {
  const r = openssl(['verify', '-x509_strict', ...(purpose ? ['-purpose', purpose] : []), '-CAfile', caFile, leafFile]);
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}

describe.skipIf(!opensslPath)('CA and leaf issuance (judged by openssl)', () => {
  for (const caKey of ['ecdsa', 'rsa'] as const) {
    describe(`${caKey.toUpperCase()} CA`, () => {
      const box = sandbox();
      const api = box.lanyard.api;

      it('creates the CA with the right extensions, files and modes', async () => {
        const state = await api.certs.createCa({ keyType: caKey });
        const ca = state.ca!;
        expect(state.source).toBe('lanyard');
        expect(state.dir).toBe(path.join(box.env.LANYARD_HOME!, 'ca'));
        expect(mode(ca.keyFile)).toBe(0o600);
        expect(mode(state.dir)).toBe(0o700);
        const t = text(ca.certFile);
        expect(t).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
        expect(t).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
        expect(t).toMatch(/Subject Key Identifier/);
        expect(t).toContain(caKey === 'ecdsa' ? 'ecdsa-with-SHA256' : 'sha256WithRSAEncryption');
        expect(t).toContain(caKey === 'ecdsa' ? 'NIST CURVE: P-256' : 'Public-Key: (3072 bit)');
        // 10 years, backdated an hour; the serial is 16 random bytes.
        const years = (Date.parse(ca.notAfter) - Date.parse(ca.notBefore)) / (365.25 * 86_400_000);
        expect(years).toBeGreaterThan(9.99);
        expect(ca.serial).toMatch(/^[0-7][0-9a-f]{31}$/);
        // The key is unencrypted PKCS#8, as mkcert writes it.
        expect(readFileSync(ca.keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
        await expect(api.certs.createCa({ keyType: caKey })).rejects.toThrow(/already exists/);
      });

      for (const leafKey of ['ecdsa', 'rsa'] as const) {
        it(`issues a ${leafKey.toUpperCase()} server leaf for DNS, wildcard, IPv4, IPv6 and IDN names`, async () => {
          const out = path.join(box.dir, `out-${leafKey}`);
          const { entry, warnings } = await api.certs.issue({
            names: ['localhost', '127.0.0.1', '::1', '*.app.test', 'bücher.test'],
            keyType: leafKey,
            dir: out,
          });
          expect(entry.certFile).toBe(path.join(out, 'localhost+4.pem'));
          expect(entry.keyFile).toBe(path.join(out, 'localhost+4-key.pem'));
          expect(mode(entry.keyFile!)).toBe(0o600);
          expect(warnings.join(' ')).toMatch(/one level deep/);
          const caFile = (await api.certs.ca({})).ca!.certFile;
          expect(verify(caFile, entry.certFile!, 'sslserver')).toMatchObject({ ok: true });
          const t = text(entry.certFile!);
          expect(t).toContain('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:*.app.test, DNS:xn--bcher-kva.test');
          expect(t).toMatch(/Extended Key Usage: \n\s+TLS Web Server Authentication\n/);
          expect(t).toMatch(
            leafKey === 'rsa' ? /Key Usage: critical\s+Digital Signature, Key Encipherment/ : /Key Usage: critical\s+Digital Signature\n/,
          );
          expect(t).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
          expect(t).toMatch(/Authority Key Identifier/);
          expect(t).toContain(leafKey === 'rsa' ? 'Public-Key: (2048 bit)' : 'NIST CURVE: P-256');
          // Backdated one hour for clock skew; mkcert's 2 years 3 months.
          const skew = Date.now() - Date.parse(entry.notBefore);
          expect(skew).toBeGreaterThan(59 * 60_000);
          expect(skew).toBeLessThan(61 * 60_000);
          expect(entry.daysLeft).toBeGreaterThanOrEqual(818);
          expect(entry.daysLeft).toBeLessThanOrEqual(823);
          expect(entry.serial).toMatch(/^[0-9a-f]{32}$/);
        });
      }

      it('issues client, email and URI certificates with the EKUs their names ask for', async () => {
        const out = path.join(box.dir, 'out-client');
        const { entry } = await api.certs.issue({
          names: ['dev@bücher.test', 'spiffe://cluster.test/ns/a', 'client.test'],
          client: true,
          dir: out,
          days: 14,
        });
        expect(path.basename(entry.certFile!)).toBe('dev@xn--bcher-kva.test+2-client.pem');
        const caFile = (await api.certs.ca({})).ca!.certFile;
        expect(verify(caFile, entry.certFile!, 'sslclient')).toMatchObject({ ok: true });
        expect(verify(caFile, entry.certFile!, 'smimesign')).toMatchObject({ ok: true });
        const t = text(entry.certFile!);
        expect(t).toContain('TLS Web Client Authentication, TLS Web Server Authentication, E-mail Protection');
        expect(t).toContain('email:dev@xn--bcher-kva.test, URI:spiffe://cluster.test/ns/a, DNS:client.test');
        expect(entry.daysLeft).toBe(13);
      });
    });
  }

  it('writes to -cert-file/-key-file, a combined file when they are the same, and refuses bad input', async () => {
    const { dir, lanyard } = sandbox();
    const combined = path.join(dir, 'both.pem');
    const { entry } = await lanyard.api.certs.issue({ names: ['combined.test'], dir, certFile: combined, keyFile: combined });
    const body = readFileSync(combined, 'utf8');
    expect(body.indexOf('PRIVATE KEY')).toBeLessThan(body.indexOf('CERTIFICATE'));
    expect(mode(combined)).toBe(0o600);
    expect((await lanyard.api.certs.pem({ id: entry.id })).pem).not.toContain('PRIVATE KEY');
    await expect(lanyard.api.certs.issue({ names: ['exa mple'], dir })).rejects.toThrow(/not a valid host name/);
    await expect(lanyard.api.certs.issue({ names: ['a.test'], dir: 'relative/dir' })).rejects.toThrow(/absolute path/);
    const long = await lanyard.api.certs.issue({ names: ['long.test'], dir, days: 900 });
    expect(long.warnings.join(' ')).toMatch(/825-day/);
  });

  it('a Node HTTPS server with a Lanyard leaf completes a handshake with a client trusting only the CA', async () => {
    const { dir, lanyard } = sandbox();
    const { entry } = await lanyard.api.certs.issue({ names: ['localhost', '127.0.0.1', '::1'], dir });
    const ca = readFileSync((await lanyard.api.certs.ca({})).ca!.certFile);
    const server = createServer({ cert: readFileSync(entry.certFile!), key: readFileSync(entry.keyFile!) }, (_req, res) =>
      res.end('hello over TLS'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const host of ['localhost', '127.0.0.1']) {
        const body = await new Promise<string>((resolve, reject) => {
          const req = request(
            { host: '127.0.0.1', servername: host === 'localhost' ? host : undefined, port, ca, path: '/', headers: { host } },
            (res) => {
              let data = '';
              res.on('data', (d: Buffer) => (data += d.toString()));
              res.on('end', () => resolve(data));
            },
          );
          req.on('error', reject);
          req.end();
        });
        expect(body).toBe('hello over TLS');
      }
      // …and a client with the default roots (no Lanyard CA) refuses it.
      await expect(
        new Promise((resolve, reject) => {
          const req = request({ host: '127.0.0.1', servername: 'localhost', port, path: '/' }, resolve);
          req.on('error', reject);
          req.end();
        }),
      ).rejects.toThrow(/unable to verify the first certificate|unable to get local issuer/);
    } finally {
      server.close();
    }
  });

  /** Sign a leaf for `san` with openssl and the CA's own key, as a thief of the key would, and verify it. */
  function rogueLeaf(dir: string, ca: { certFile: string; keyFile: string }, san: string): { ok: boolean; output: string } {
    const key = path.join(dir, 'rogue-key.pem');
    const csr = path.join(dir, 'rogue.csr');
    const crt = path.join(dir, 'rogue.pem');
    const ext = path.join(dir, 'rogue.ext');
    expect(run('openssl', [...newP256Request(key), '-subj', '/O=rogue', '-out', csr]).status).toBe(0);
    writeFileSync(ext, `subjectAltName=${san}\nextendedKeyUsage=serverAuth,emailProtection\n`);
    const signed = run('openssl', [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.certFile,
      '-CAkey',
      ca.keyFile,
      '-days',
      '30',
      '-extfile',
      ext,
      '-out',
      crt,
    ]);
    expect(signed.status, signed.stderr).toBe(0);
    return verify(ca.certFile, crt);
  }

  it('a name-constrained CA refuses forbidden names up front, and OpenSSL refuses a leaf that slips past', async () => {
    const { dir, lanyard } = sandbox();
    const state = await lanyard.api.certs.createCa({ keyType: 'ecdsa', permits: ['.test', 'localhost', '127.0.0.0/8', '::1/128'] });
    expect(state.ca!.permits).toEqual(['test', 'localhost', '127.0.0.0/8', '::1/128']);
    const t = text(state.ca!.certFile);
    expect(t).toMatch(
      /Name Constraints: critical\s+Permitted:\s+DNS:test\s+DNS:localhost\s+IP:127.0.0.0\/255.0.0.0\s+IP:0:0:0:0:0:0:0:1\/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF/,
    );
    // RFC 5280 §4.2.1.10: a host permits its mailboxes and URIs, ".domain" those of every host under it.
    expect(t).toMatch(
      /email:test\s+email:.test\s+email:localhost\s+email:.localhost\s+URI:test\s+URI:.test\s+URI:localhost\s+URI:.localhost\n/,
    );

    const ok = await lanyard.api.certs.issue({
      names: ['app.test', '*.app.test', 'localhost', '127.0.0.1', '::1', 'dev@app.test', 'spiffe://app.test/ns/a'],
      dir,
    });
    expect(verify(state.ca!.certFile, ok.entry.certFile!, 'sslserver')).toMatchObject({ ok: true });
    for (const name of ['example.com', '192.168.1.10', 'dev@example.com', 'https://example.com/']) {
      await expect(lanyard.api.certs.issue({ names: ['app.test', name], dir })).rejects.toThrow(`cannot vouch for "${name}"`);
    }

    // Sign forbidden names anyway, with openssl and the same CA key: verification must fail on the constraint.
    for (const [san, why] of [
      ['DNS:example.com', 'DNS'],
      ['IP:192.168.1.10', 'IP outside every permitted range'],
      ['email:dev@example.com', 'email on a host not permitted'],
      ['email:dev@attest', 'email on a host that only ends like a permitted one'],
      ['URI:https://example.com/', 'URI on a host not permitted'],
      ['URI:spiffe://app.test.example.com/ns/a', 'URI on a host under a foreign domain'],
    ] as const) {
      const result = rogueLeaf(dir, state.ca!, san);
      expect(result.ok, why).toBe(false);
      expect(result.output, why).toMatch(/permitted subtree violation|excluded subtree violation/);
    }
    expect(rogueLeaf(dir, state.ca!, 'email:ops@mail.test').ok, 'a mailbox under a permitted domain').toBe(true);
  });

  it('a CA constrained to IP ranges only closes host names, emails and URIs in the certificate itself', async () => {
    const { dir, lanyard } = sandbox();
    const state = await lanyard.api.certs.createCa({ keyType: 'ecdsa', permits: ['10.0.0.0/8'] });
    expect(state.ca!.permits).toEqual(['10.0.0.0/8']);
    const ok = await lanyard.api.certs.issue({ names: ['10.1.2.3'], dir });
    expect(verify(state.ca!.certFile, ok.entry.certFile!, 'sslserver')).toMatchObject({ ok: true });
    await expect(lanyard.api.certs.issue({ names: ['10.1.2.3', 'app.test'], dir })).rejects.toThrow('cannot vouch for "app.test"');
    for (const san of ['DNS:example.com', 'email:dev@example.com', 'URI:https://example.com/', 'IP:192.168.1.10']) {
      const result = rogueLeaf(dir, state.ca!, san);
      expect(result.ok, san).toBe(false);
      expect(result.output, san).toMatch(/permitted subtree violation|excluded subtree violation/);
    }
  });

  it('protects the CA key with a passphrase (PKCS#8 PBES2, AES-256) and needs it to sign', async () => {
    const { dir, lanyard } = sandbox();
    const state = await lanyard.api.certs.createCa({ keyType: 'ecdsa', passphrase: 'correct horse' });
    expect(state.ca!.encrypted).toBe(true);
    const parsed = openssl(['asn1parse', '-in', state.ca!.keyFile]);
    expect(parsed.stdout).toContain('PBES2');
    expect(parsed.stdout).toContain('PBKDF2');
    expect(parsed.stdout).toContain('aes-256-cbc');
    expect(parsed.stdout).toContain('hmacWithSHA256');
    expect(openssl(['pkey', '-in', state.ca!.keyFile, '-passin', 'pass:correct horse', '-noout']).status).toBe(0);
    await expect(lanyard.api.certs.issue({ names: ['a.test'], dir })).rejects.toThrow(/protected by a passphrase/);
    await expect(lanyard.api.certs.issue({ names: ['a.test'], dir, caPassphrase: 'wrong' })).rejects.toThrow(/passphrase is wrong/);
    const { entry } = await lanyard.api.certs.issue({ names: ['a.test'], dir, caPassphrase: 'correct horse' });
    expect(verify(state.ca!.certFile, entry.certFile!)).toMatchObject({ ok: true });
  });
});
