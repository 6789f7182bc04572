import { describe, expect, it } from 'vitest';
import { forbiddenNames, parsePermits, permitText } from '../../../main/certs/constraints.ts';
import { parseNames } from '../../../main/certs/names.ts';

describe('name constraints', () => {
  const permits = parsePermits(['.test', 'localhost', 'Bücher.example', '127.0.0.0/8', '10.1.2.3/16', '::1/128', 'fc00::/7']);

  it('normalises permits: leading dots, IDN, host bits masked', () => {
    expect(permitText(permits)).toEqual(['test', 'localhost', 'xn--bcher-kva.example', '127.0.0.0/8', '10.1.0.0/16', '::1/128', 'fc00::/7']);
  });

  it('allows names under a permitted subtree and addresses inside a permitted range', () => {
    expect(forbiddenNames(parseNames(['app.test', '*.app.test', 'test', 'localhost', 'a.b.localhost', '127.0.0.1', '10.1.200.1', '::1', 'fd12::5']), permits)).toEqual([]);
  });

  it('refuses everything else, including emails and URIs', () => {
    expect(forbiddenNames(parseNames(['example.com', 'attest', '10.2.0.1', '192.168.1.1', '::2', 'me@app.test', 'https://app.test/']), permits)).toEqual([
      'example.com',
      'attest',
      '10.2.0.1',
      '192.168.1.1',
      '::2',
      'me@app.test',
      'https://app.test/',
    ]);
  });

  it('rejects bad permits with the flag in the message', () => {
    expect(() => parsePermits(['10.0.0.0/33'])).toThrow(/--permit "10.0.0.0\/33"/);
    expect(() => parsePermits(['not a domain'])).toThrow(/not a domain name or an IP range/);
    expect(() => parsePermits([])).toThrow(/at least one/);
  });
});

describe('own domains offered as permits', () => {
  it('takes wildcard bases and parent domains, skipping IPs, single labels and special-use names', async () => {
    const { ownDomains } = await import('../../../main/certs/constraints.ts');
    expect(ownDomains(['laptop.corp.example.com', 'api.dev.example.com', '*.shop.example.org', 'example.net', 'app.test', 'localhost', '10.0.0.1', 'single', 'x.home.arpa'])).toEqual([
      'corp.example.com',
      'dev.example.com',
      'example.net',
      'shop.example.org',
    ]);
  });
});
