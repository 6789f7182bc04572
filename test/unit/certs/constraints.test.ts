import { describe, expect, it } from 'vitest';
import { forbiddenNames, parsePermits, permitText } from '../../../main/certs/constraints.ts';
import { parseNames } from '../../../main/certs/names.ts';

describe('name constraints', () => {
  const permits = parsePermits(['.test', 'localhost', 'Bücher.example', '127.0.0.0/8', '10.1.2.3/16', '::1/128', 'fc00::/7']);

  it('normalises permits: leading dots, IDN, host bits masked', () => {
    expect(permitText(permits)).toEqual([
      'test',
      'localhost',
      'xn--bcher-kva.example',
      '127.0.0.0/8',
      '10.1.0.0/16',
      '::1/128',
      'fc00::/7',
    ]);
  });

  it('allows names under a permitted subtree and addresses inside a permitted range', () => {
    expect(
      forbiddenNames(
        parseNames(['app.test', '*.app.test', 'test', 'localhost', 'a.b.localhost', '127.0.0.1', '10.1.200.1', '::1', 'fd12::5']),
        permits,
      ),
    ).toEqual([]);
  });

  it('allows emails and URIs on permitted hosts, as the CA encodes them (RFC 5280 rfc822Name and URI subtrees)', () => {
    expect(permits.email).toEqual(['test', '.test', 'localhost', '.localhost', 'xn--bcher-kva.example', '.xn--bcher-kva.example']);
    expect(permits.uri).toEqual(permits.email);
    expect(
      forbiddenNames(
        parseNames(['me@app.test', 'me@test', 'Ops@A.B.Localhost', 'https://app.test/', 'spiffe://test/ns/a', 'https://app.test:8443/x']),
        permits,
      ),
    ).toEqual([]);
  });

  it('refuses everything else', () => {
    const names = [
      'example.com',
      'attest',
      '10.2.0.1',
      '192.168.1.1',
      '::2',
      'me@example.com',
      'me@attest',
      'https://example.com/',
      'https://app.test.evil.com/',
      'https://user@app.test/',
      'foo://example.com?.test',
      'https://127.0.0.1/',
    ];
    expect(forbiddenNames(parseNames(names), permits)).toEqual(names);
  });

  it('refuses every email and URI under a CA whose constraints predate them', () => {
    const old = { ...permits, email: [], uri: [] };
    expect(forbiddenNames(parseNames(['app.test', 'me@app.test', 'https://app.test/']), old)).toEqual(['me@app.test', 'https://app.test/']);
  });

  it('a CA with IP ranges only closes host names, emails and URIs with the reserved name "invalid"', () => {
    const ipOnly = parsePermits(['10.0.0.0/8']);
    expect(ipOnly).toMatchObject({ dns: ['invalid'], email: ['invalid', '.invalid'], uri: ['invalid', '.invalid'] });
    expect(permitText(ipOnly)).toEqual(['10.0.0.0/8']);
    expect(forbiddenNames(parseNames(['10.1.2.3', 'app.test', 'me@app.test', 'https://app.test/']), ipOnly)).toEqual([
      'app.test',
      'me@app.test',
      'https://app.test/',
    ]);
  });

  it('matches mailbox subtrees (from adopted CAs) by exact local part and any-case host', () => {
    const mailbox = { dns: [], ip: [], email: ['ops@example.com', '@corp.example'], uri: [] };
    expect(
      forbiddenNames(
        parseNames(['ops@EXAMPLE.com', 'Ops@example.com', 'dev@example.com', 'anyone@corp.example', 'x@a.corp.example']),
        mailbox,
      ),
    ).toEqual(['Ops@example.com', 'dev@example.com', 'x@a.corp.example']);
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
    expect(
      ownDomains([
        'laptop.corp.example.com',
        'api.dev.example.com',
        '*.shop.example.org',
        'example.net',
        'app.test',
        'localhost',
        '10.0.0.1',
        'single',
        'x.home.arpa',
      ]),
    ).toEqual(['corp.example.com', 'dev.example.com', 'example.net', 'shop.example.org']);
  });
});
