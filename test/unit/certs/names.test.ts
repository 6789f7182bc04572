import { describe, expect, it } from 'vitest';
import { fileStem, ipBytes, nameWarnings, parseName, parseNames } from '../../../main/certs/names.ts';

describe('certificate names', () => {
  it('classifies names the way mkcert does', () => {
    expect(parseName('localhost')).toEqual({ kind: 'dns', value: 'localhost' });
    expect(parseName('*.App.Test')).toEqual({ kind: 'dns', value: '*.app.test' });
    expect(parseName('127.0.0.1')).toEqual({ kind: 'ip', value: '127.0.0.1' });
    expect(parseName('::1')).toEqual({ kind: 'ip', value: '::1' });
    expect(parseName('[fe80:0:0::1]')).toEqual({ kind: 'ip', value: 'fe80::1' });
    expect(parseName('::ffff:10.0.0.1')).toEqual({ kind: 'ip', value: '::ffff:a00:1' });
    expect(parseName('dev@bücher.test')).toEqual({ kind: 'email', value: 'dev@xn--bcher-kva.test' });
    expect(parseName('https://app.test:8443/x')).toEqual({ kind: 'uri', value: 'https://app.test:8443/x' });
    expect(parseName('spiffe://cluster.local/ns/a')).toEqual({ kind: 'uri', value: 'spiffe://cluster.local/ns/a' });
  });

  it('converts IDNs to ASCII and keeps a trailing-dot FQDN as the bare name', () => {
    expect(parseName('bücher.example').value).toBe('xn--bcher-kva.example');
    expect(parseName('*.münchen.test').value).toBe('*.xn--mnchen-3ya.test');
    expect(parseName('example.com.').value).toBe('example.com');
  });

  it('refuses what is not a name, naming the input', () => {
    for (const bad of ['', 'exa mple.com', 'a..b', '*.*.test', 'foo.*.test', 'http://', 'a/b']) {
      expect(() => parseName(bad), bad).toThrow(/not a valid host name/);
    }
    expect(() => parseNames([])).toThrow(/at least one name/);
  });

  it('encodes IPv6 with an embedded IPv4 tail', () => {
    expect(Array.from(ipBytes('::ffff:1.2.3.4')!)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]);
    expect(ipBytes('1.2.3')).toBeNull();
  });

  it("uses mkcert's file names", () => {
    expect(fileStem(parseNames(['example.com']), false)).toBe('example.com');
    expect(fileStem(parseNames(['example.com', 'localhost', '127.0.0.1']), false)).toBe('example.com+2');
    expect(fileStem(parseNames(['*.example.com']), false)).toBe('_wildcard.example.com');
    expect(fileStem(parseNames(['::1', 'localhost']), true)).toBe('__1+1-client');
    expect(fileStem(parseNames(['https://a.test/x']), false)).toBe('https___a.test_x');
  });

  it('drops duplicates and warns about wildcards browsers refuse', () => {
    expect(parseNames(['localhost', 'LOCALHOST', 'localhost'])).toHaveLength(1);
    expect(nameWarnings(parseNames(['*.test'])).join(' ')).toMatch(/second-level wildcards/);
  });
});
