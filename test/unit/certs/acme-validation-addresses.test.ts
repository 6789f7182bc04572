// Where validation connects: an IP identifier's own address, 127.0.0.1 with the switch, or the name's addresses on
// this machine — a name resolving elsewhere or nowhere gets a problem that says what to change.
import { describe, expect, it } from 'vitest';
import { ipBytes } from '../../../main/certs/names.ts';
import { isLoopback, type Resolve, validationAddresses } from '../../../main/certs/acme/validation-addresses.ts';

const dns = (value: string) => ({ type: 'dns' as const, value });
const locals = () => new Set(['192.0.2.2', 'fd00::2']);
const resolving =
  (table: Record<string, string[]>): Resolve =>
  async (name) => {
    const found = table[name];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return found;
  };

describe('validationAddresses', () => {
  const resolve = resolving({
    'app.test': ['127.0.0.1'],
    'both.test': ['::1', '127.0.0.1', '127.0.0.1'],
    'lan.test': ['192.0.2.2', '198.51.100.9', 'fd00::2'],
    'far.test': ['203.0.113.7'],
    'empty.test': [],
  });

  it('keeps the addresses of this machine, loopback first as resolved, without repeats', async () => {
    expect(await validationAddresses(dns('app.test'), false, { resolve, locals })).toEqual({ addresses: ['127.0.0.1'] });
    expect(await validationAddresses(dns('both.test'), false, { resolve, locals })).toEqual({ addresses: ['::1', '127.0.0.1'] });
    expect(await validationAddresses(dns('lan.test'), false, { resolve, locals })).toEqual({ addresses: ['192.0.2.2', 'fd00::2'] });
  });

  it('refuses a name that points elsewhere, naming where, and one that does not resolve, with the switch to use', async () => {
    expect(await validationAddresses(dns('far.test'), false, { resolve, locals })).toEqual({
      problem: expect.stringMatching(/^far\.test resolves to 203\.0\.113\.7, not to this machine; .*--resolve-local/),
    });
    expect(await validationAddresses(dns('empty.test'), false, { resolve, locals })).toEqual({
      problem: expect.stringMatching(/^empty\.test resolves to no address, not to this machine/),
    });
    expect(await validationAddresses(dns('nowhere.test'), false, { resolve, locals })).toEqual({
      problem: expect.stringMatching(/^nowhere\.test does not resolve here \(ENOTFOUND\); turn on "resolve to 127\.0\.0\.1"/),
    });
  });

  it('gives up on a resolver that does not answer within the deadline', async () => {
    const never: Resolve = () => new Promise(() => {});
    expect(await validationAddresses(dns('slow.test'), false, { resolve: never, locals, timeoutMs: 50 })).toEqual({
      problem: expect.stringMatching(/^slow\.test does not resolve here \(no answer within 0\.05 s\)/),
    });
  });

  it('takes an IP identifier as is and the switch as 127.0.0.1, asking no resolver', async () => {
    const refuse: Resolve = () => Promise.reject(new Error('asked'));
    expect(await validationAddresses({ type: 'ip', value: '::1' }, false, { resolve: refuse, locals })).toEqual({ addresses: ['::1'] });
    expect(await validationAddresses(dns('far.test'), true, { resolve: refuse, locals })).toEqual({ addresses: ['127.0.0.1'] });
  });

  it('counts 127.0.0.0/8, ::1 and IPv4-mapped loopback as this machine, and nothing else', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(ipBytes(a)!), a).toBe(true);
    for (const a of ['128.0.0.1', '::2', '::ffff:10.0.0.1', '1::1', '0.0.0.0']) expect(isLoopback(ipBytes(a)!), a).toBe(false);
  });
});
