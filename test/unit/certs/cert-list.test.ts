// `lanyard cert list` as text: an ACME certificate names its client (its files are the client's, not ours), a
// short-lived one counts hours rather than "0 days", and a revoked one says so.
import { describe, expect, it } from 'vitest';
import { formatList } from '../../../main/certs/cli/cert.ts';
import type { InventoryEntry } from '../../../main/certs/contract.ts';

const hour = 3_600_000;

function entry(change: Partial<InventoryEntry>): InventoryEntry {
  return {
    id: 7,
    names: [{ kind: 'dns', value: 'mail.dev.lan' }],
    keyType: 'ecdsa',
    client: false,
    serial: '01',
    fingerprint: 'ab',
    notBefore: new Date(Date.now() - hour).toISOString(),
    notAfter: new Date(Date.now() + 5.5 * hour).toISOString(),
    daysLeft: 0,
    days: null,
    certFile: null,
    keyFile: null,
    p12File: null,
    csrFile: null,
    fromCurrentCa: true,
    createdAt: new Date().toISOString(),
    renewedAt: null,
    acme: { account: 'acct1', client: 'CertbotACMEClient/2.1.0 (certbot; Debian GNU/Linux 12 (bookworm))' },
    revokedAt: null,
    ...change,
  } as InventoryEntry;
}

const row = (e: InventoryEntry) => formatList([e]).split('\n')[1]!;

describe('cert list text', () => {
  it('names the ACME client and counts the hours of a certificate with under a day left', () => {
    const text = row(entry({}));
    expect(text).toContain('ACME · CertbotACMEClient/2.1.0');
    expect(text).toMatch(/^\s+7\s+5 h\s/);
    expect(text).not.toContain('./');
  });

  it('says revoked for a revoked one, and keeps days and the file for a certificate of its own', () => {
    expect(row(entry({ revokedAt: new Date().toISOString() }))).toMatch(/^\s+7\s+revoked\s/);
    const own = row(
      entry({ acme: null, daysLeft: 820, certFile: '/tmp/x/app.test.pem', notAfter: new Date(Date.now() + 820 * 24 * hour).toISOString() }),
    );
    expect(own).toMatch(/^\s+7\s+820 days\s/);
    expect(own).toContain('app.test.pem');
    expect(row(entry({ daysLeft: 1, notAfter: new Date(Date.now() + 30 * hour).toISOString() }))).toMatch(/^\s+7\s+1 day\s/);
  });
});
