import { describe, expect, it } from 'vitest';
import { inventoryEntry, type InventoryEntry } from '../../../main/certs/contract.ts';
import { dueWarnings } from '../../../main/app/expiry-warnings.ts';

function entry(id: number, daysLeft: number, names = ['localhost']): InventoryEntry {
  return inventoryEntry.parse({
    id,
    daysLeft,
    names: names.map((value) => ({ kind: 'dns' as const, value })),
    keyType: 'ecdsa',
    client: false,
    serial: 'aa',
    fingerprint: 'ff',
    notBefore: '2026-01-01T00:00:00Z',
    notAfter: `2026-12-${String(10 + id).padStart(2, '0')}T00:00:00Z`,
    days: null,
    certFile: null,
    keyFile: null,
    p12File: null,
    csrFile: null,
    acme: null,
    revokedAt: null,
    fromCurrentCa: true,
    createdAt: '2026-01-01T00:00:00Z',
    renewedAt: null,
  });
}

describe('certificate expiry notifications', () => {
  it('warns for certificates 14 days or less from expiry, and for expired ones', () => {
    const warnings = dueWarnings([entry(1, 30), entry(2, 14), entry(3, 1, ['a.test', 'b.test']), entry(4, 0), entry(5, -2)], new Set());
    expect(warnings.map((w) => w.title)).toEqual([
      'Certificate for localhost expires in 14 days',
      'Certificate for a.test (+1) expires in 1 day',
      'Certificate for localhost expires today',
      'Certificate for localhost expired 2 days ago',
    ]);
    expect(warnings[0]!.body).toContain('lanyard cert renew 2');
  });

  it('warns once per certificate and expiry date', () => {
    const first = dueWarnings([entry(2, 10)], new Set());
    expect(dueWarnings([entry(2, 9)], new Set(first.map((w) => w.key)))).toEqual([]);
  });
});
