// The CA key never crosses the contract: every certs method's answer, as the renderer would receive it,
// carries no private key material (checked against the real key files on disk).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { certsAcmeMethods, certsMethods } from '../../../main/certs/contract.ts';
import { sandbox } from './helpers.ts';

const keyBody = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');

describe('no key leaves the host', () => {
  it('no certs.* result holds a private key, the CA key or a leaf key', async () => {
    const { dir, lanyard } = sandbox();
    const api = lanyard.api;
    const answers: unknown[] = [];
    const keep = <T>(value: T): T => {
      answers.push(value);
      return value;
    };
    const state = keep(await api.certs.createCa({ keyType: 'ecdsa', permits: ['test', 'localhost', '127.0.0.0/8'] }));
    const pem = keep(await api.certs.issue({ names: ['a.test', '127.0.0.1'], dir }));
    const combined = keep(await api.certs.issue({ names: ['b.test'], dir, certFile: `${dir}/both.pem`, keyFile: `${dir}/both.pem` }));
    keep(await api.certs.issue({ names: ['c.test'], dir, pkcs12: true }));
    keep(await api.certs.ca({}));
    keep(await api.certs.list({}));
    keep(await api.certs.pem({ id: pem.entry.id }));
    keep(await api.certs.pem({ id: combined.entry.id }));
    keep(await api.certs.checkNames({ names: ['a.test', 'example.com', 'bad name'] }));
    keep(await api.certs.renew({ id: pem.entry.id }));
    keep(await api.certs.trustStatus({}));
    keep(await api.certs.acmeClients({}));
    keep(await api.certs.acmeState({}));

    const wire = JSON.stringify(answers);
    expect(wire).not.toContain('PRIVATE KEY');
    for (const file of [state.ca!.keyFile, pem.entry.keyFile!])
      expect(wire).not.toContain(keyBody(readFileSync(file, 'utf8')).slice(0, 40));
    // A new certs method must be exercised above, or listed here when its answer has a shape checked above or holds only paths.
    const exercised = [
      'certs.ca',
      'certs.createCa',
      'certs.issue',
      'certs.list',
      'certs.renew',
      'certs.pem',
      'certs.trustStatus',
      'certs.checkNames',
      'certs.acmeClients',
      'certs.acmeState',
    ];
    const sameShapeOrPaths = [
      'certs.adoptCa',
      'certs.signCsr',
      'certs.remove',
      'certs.reveal',
      'certs.deleteCa',
      'certs.acmeStart',
      'certs.acmeStop',
      'certs.acmeRevoke',
    ];
    expect(Object.keys({ ...certsMethods, ...certsAcmeMethods }).sort()).toEqual([...exercised, ...sameShapeOrPaths].sort());
  });
});
