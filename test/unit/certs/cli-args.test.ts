import { describe, expect, it } from 'vitest';
import { normaliseArgs } from '../../../main/certs/cli/cert.ts';

describe('lanyard cert arguments', () => {
  it("accepts mkcert's single-dash flags as their double-dash forms", () => {
    expect(
      normaliseArgs([
        '-install',
        '-CAROOT',
        '-cert-file',
        'a.pem',
        '-key-file=b.pem',
        '-p12-file',
        'c.p12',
        '-client',
        '-ecdsa',
        '-pkcs12',
        '-csr',
        'x.csr',
        '-uninstall',
      ]),
    ).toEqual([
      '--install',
      '--CAROOT',
      '--cert-file',
      'a.pem',
      '--key-file=b.pem',
      '--p12-file',
      'c.p12',
      '--client',
      '--ecdsa',
      '--pkcs12',
      '--csr',
      'x.csr',
      '--uninstall',
    ]);
  });

  it('leaves names, double-dash flags and unknown single-dash words alone', () => {
    expect(normaliseArgs(['--install', 'localhost', '-x', '::1', '-'])).toEqual(['--install', 'localhost', '-x', '::1', '-']);
  });
});
