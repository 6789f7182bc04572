// dns-01's pieces that need no network: the DNS server setting as users type it, and the TXT value (RFC 8555 §8.4).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDnsServer } from '../../../main/certs/acme/policy.ts';
import { dns01Value } from '../../../main/certs/acme/validate.ts';
import { fuzz } from '../../support/fuzz.ts';

describe('--dns-server', () => {
  it('takes an IP with an optional port, IPv6 in brackets, and writes it as the resolver takes it', () => {
    expect(parseDnsServer('127.0.0.1:5353')).toBe('127.0.0.1:5353');
    expect(parseDnsServer(' 127.0.0.1 ')).toBe('127.0.0.1:53');
    expect(parseDnsServer('[::1]:5353')).toBe('[::1]:5353');
    expect(parseDnsServer('::1')).toBe('[::1]:53');
    expect(parseDnsServer('[0:0:0:0:0:0:0:1]')).toBe('[::1]:53');
  });

  it('refuses names, bad ports and stray text with the form to use', () => {
    for (const bad of ['localhost:53', '127.0.0.1:0', '127.0.0.1:65536', '127.0.0.1:x', '[::1]x', '[::1', '', '1.2.3.4:53:1', '300.1.1.1'])
      expect(() => parseDnsServer(bad), bad).toThrow(/like 127\.0\.0\.1:5353 or \[::1\]:5353/);
  });

  it('takes any text without hanging: a server it accepts reads back the same', () => {
    fuzz(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        let parsed: string;
        try {
          parsed = parseDnsServer(text);
        } catch (error) {
          expect((error as Error).message).toContain('--dns-server');
          return;
        }
        expect(parseDnsServer(parsed)).toBe(parsed);
      }),
    );
    expect(() => parseDnsServer(`[${':'.repeat(1_000_000)}]`)).toThrow(/--dns-server/);
  });
});

it('the dns-01 TXT value is the base64url SHA-256 of the key authorization', () => {
  const keyAuthorization = 'token.thumbprint';
  expect(dns01Value(keyAuthorization)).toBe(createHash('sha256').update(keyAuthorization).digest('base64url'));
  expect(dns01Value(keyAuthorization)).toMatch(/^[A-Za-z0-9_-]{43}$/);
});
