// The certificate writer's own DER, judged by openssl where a mistake would only show years from now.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCaCertificate } from '../../../main/certs/certificate.ts';
import { readCertificate } from '../../../main/certs/read-certificate.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { openssl } from './helpers.ts';

const opensslPath = findPeer('openssl', 'apt-get install openssl');

describe.skipIf(!opensslPath)('certificate DER', () => {
  it('dates from 2050 on are GeneralizedTime (RFC 5280), read back alike by openssl and Lanyard', () => {
    const keyPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ca = buildCaCertificate({
      keyPair,
      commonName: 'Far future',
      organization: 'Lanyard test',
      unit: 'der',
      years: 10,
      permits: null,
      now: new Date('2045-06-01T00:00:00.750Z'),
    });
    const file = path.join(tempDir(), 'future.pem');
    writeFileSync(file, ca.pem);
    const text = openssl(['x509', '-in', file, '-noout', '-text']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('Not Before: May 31 23:00:00 2045 GMT');
    expect(text.stdout).toContain('Not After : Jun  1 00:00:00 2055 GMT');
    const parsed = openssl(['asn1parse', '-in', file]).stdout;
    expect(parsed).toMatch(/UTCTIME\s+:450531230000Z/);
    expect(parsed).toMatch(/GENERALIZEDTIME\s+:20550601000000Z/);

    const read = readCertificate(ca.pem);
    expect(read.notAfter.toISOString()).toBe('2055-06-01T00:00:00.000Z');
    expect(read.notBefore).toEqual(ca.notBefore);
    expect(read.serial).toBe(ca.serial);
    expect(read.organization).toBe('Lanyard test');
    expect(read.subject).toBe('O=Lanyard test, OU=der, CN=Far future');
    expect(openssl(['verify', '-x509_strict', '-attime', String(Date.parse('2050-01-01') / 1000), '-CAfile', file, file]).status).toBe(0);
  });
});
