import { describe, expect, it } from 'vitest';
import { parseAllowList, unmapped } from '../../../main/captures/allow-list.ts';
import { SensorTable } from '../../../main/captures/sensors.ts';
import { parseTzsp, buildTzsp } from '../../../main/captures/tzsp.ts';

const frame = Buffer.alloc(60, 1);

describe('sensor counters', () => {
  it('counts gaps from tag-40 packet ids across a 32-bit wrap, but not a sensor restart', () => {
    const table = new SensorTable();
    for (const id of [0xfffffffe, 0xffffffff, 1, 2, 10, 5]) table.record('192.0.2.1', parseTzsp(buildTzsp(frame, { encapsulation: 1, packetId: id })), 60, 0);
    // wrap: ffffffff → 1 misses 0 (1 gap); 2 → 10 misses 7; 10 → 5 is a restart, not 4 billion lost
    expect(table.list()[0]).toMatchObject({ packets: 6, gaps: 8 });
  });

  it('keeps a named sensor apart from the bare address and charges malformed datagrams to the last one seen there', () => {
    const table = new SensorTable();
    table.record('192.0.2.1', parseTzsp(buildTzsp(frame, { encapsulation: 1, deviceName: 'edge' })), 60, 0);
    table.record('192.0.2.1', parseTzsp(Buffer.from([1, 0, 0])), 0, 0);
    table.record('192.0.2.9', parseTzsp(Buffer.from([9])), 0, 0);
    expect(table.list().map((s) => [s.id, s.packets, s.malformed])).toEqual([['edge@192.0.2.1', 1, 1], ['192.0.2.9', 0, 1]]);
  });

  it('computes rates per whole window', () => {
    const table = new SensorTable();
    table.tick(1000);
    for (let i = 0; i < 50; i++) table.record('192.0.2.1', parseTzsp(buildTzsp(frame, { encapsulation: 1 })), 60, 1500);
    table.tick(2000);
    expect(table.list()[0]).toMatchObject({ packetsPerSecond: 50, bitsPerSecond: 50 * 60 * 8 });
  });
});

describe('allow-list', () => {
  it('matches addresses and prefixes in both families, and v4-mapped senders on a dual-stack socket', () => {
    const allow = parseAllowList(['192.0.2.7', '10.0.0.0/8', '2001:db8::/32'])!;
    expect(['192.0.2.7', '10.1.2.3', '::ffff:10.9.9.9', '2001:db8::1'].map(allow)).toEqual([true, true, true, true]);
    expect(['192.0.2.8', '11.0.0.1', '2001:db9::1'].map(allow)).toEqual([false, false, false]);
    expect(parseAllowList([])).toBeNull();
    expect(unmapped('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('names the entry it cannot read', () => {
    expect(() => parseAllowList(['router.lan'])).toThrow(/"router.lan" is not an IP address/);
    expect(() => parseAllowList(['10.0.0.0/33'])).toThrow(/bad prefix length/);
  });
});
