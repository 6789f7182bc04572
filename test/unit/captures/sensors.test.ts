import { describe, expect, it } from 'vitest';
import { parseAllowList, unmapped } from '../../../main/captures/allow-list.ts';
import { SensorTable, overflowName } from '../../../main/captures/sensors.ts';
import { parseTzsp, buildTzsp } from '../../../main/captures/tzsp.ts';

const frame = Buffer.alloc(60, 1);

describe('sensor counters', () => {
  it('counts gaps from tag-40 packet ids across a 32-bit wrap, but not a sensor restart', () => {
    const table = new SensorTable();
    for (const id of [0xfffffffe, 0xffffffff, 1, 2, 10, 5])
      table.record('192.0.2.1', parseTzsp(buildTzsp(frame, { encapsulation: 1, packetId: id })), 60, 0);
    // wrap: ffffffff → 1 misses 0 (1 gap); 2 → 10 misses 7; 10 → 5 is a restart, not 4 billion lost
    expect(table.list()[0]).toMatchObject({ packets: 6, gaps: 8 });
  });

  it('keeps a named sensor apart from the bare address and charges malformed datagrams to the last one seen there', () => {
    const table = new SensorTable();
    table.record('192.0.2.1', parseTzsp(buildTzsp(frame, { encapsulation: 1, deviceName: 'edge' })), 60, 0);
    table.record('192.0.2.1', parseTzsp(Buffer.from([1, 0, 0])), 0, 0);
    table.record('192.0.2.9', parseTzsp(Buffer.from([9])), 0, 0);
    expect(table.list().map((s) => [s.id, s.packets, s.malformed])).toEqual([
      ['edge@192.0.2.1', 1, 1],
      ['192.0.2.9', 0, 1],
    ]);
  });

  it('charges each datagram to its own name when one address alternates names (the row-last-seen shortcut)', () => {
    const table = new SensorTable();
    for (const name of ['x', 'y', 'x', undefined, 'x', 'y', undefined])
      table.record('192.0.2.1', parseTzsp(buildTzsp(frame, { encapsulation: 1, ...(name ? { deviceName: name } : {}) })), 60, 0);
    expect(Object.fromEntries(table.list().map((s) => [s.id, s.packets]))).toEqual({ 'x@192.0.2.1': 3, 'y@192.0.2.1': 2, '192.0.2.1': 2 });
  });

  it('computes rates per whole window', () => {
    const table = new SensorTable();
    table.tick(1000);
    for (let i = 0; i < 50; i++) table.record('192.0.2.1', parseTzsp(buildTzsp(frame, { encapsulation: 1 })), 60, 1500);
    table.tick(2000);
    expect(table.list()[0]).toMatchObject({ packetsPerSecond: 50, bitsPerSecond: 50 * 60 * 8 });
  });
});

describe('sensor table bounds', () => {
  const named = (name: string) => parseTzsp(buildTzsp(frame, { encapsulation: 1, deviceName: name }));

  it('gives one address at most namesPerAddress rows; the rest of its names share its overflow row and count as too many sensors', () => {
    const table = new SensorTable({ maxSensors: 100, namesPerAddress: 5 });
    for (let i = 0; i < 50; i++) table.record('192.0.2.1', named(`n${i}`), 60, 0);
    expect(table.size).toBe(6);
    expect(table.list().find((s) => s.name === overflowName)).toMatchObject({
      id: `${overflowName}@192.0.2.1`,
      address: '192.0.2.1',
      packets: 45,
    });
    expect(table.totals).toEqual({ tooManySensors: 45, evictedSensors: 0 });
    // A known name keeps its own row.
    expect(table.record('192.0.2.1', named('n3'), 60, 0)).toBe('n3@192.0.2.1');
  });

  it('never evicts a busy sensor: a full table of active rows sends newcomers to the table-wide overflow row', () => {
    const table = new SensorTable({ maxSensors: 10, namesPerAddress: 5, idleMs: 1000 });
    for (let a = 0; a < 10; a++) table.record(`192.0.2.${a}`, named('s'), 60, 0);
    for (let a = 10; a < 200; a++) expect(table.record(`192.0.2.${a}`, named('s'), 60, 500)).toBe(`${overflowName}@*`);
    expect(table.size).toBe(11);
    expect(table.totals).toEqual({ tooManySensors: 190, evictedSensors: 0 });
    expect(table.record('192.0.2.3', named('s'), 60, 900)).toBe('s@192.0.2.3');
  });

  it('evicts the longest-idle row once it has been idle for idleMs, and forgets its address', () => {
    const table = new SensorTable({ maxSensors: 3, namesPerAddress: 5, idleMs: 1000 });
    table.record('192.0.2.1', named('old'), 60, 0);
    table.record('192.0.2.2', named('busy'), 60, 0);
    table.record('192.0.2.3', named('mid'), 60, 500);
    expect(table.record('192.0.2.4', named('new'), 60, 900)).toBe(`${overflowName}@*`); // nothing idle for 1 s yet
    table.record('192.0.2.2', named('busy'), 60, 1400);
    expect(table.record('192.0.2.4', named('new'), 60, 1600)).toBe('new@192.0.2.4'); // "old" has been
    expect(
      table
        .list()
        .map((s) => s.id)
        .sort(),
    ).toEqual(['busy@192.0.2.2', 'mid@192.0.2.3', 'new@192.0.2.4', `${overflowName}@*`]);
    expect(table.totals).toEqual({ tooManySensors: 1, evictedSensors: 1 });
    // A malformed datagram from the evicted address finds no stale row: it starts a bare one when there is room.
    expect(table.record('192.0.2.1', parseTzsp(Buffer.from([9])), 0, 2600)).toBe('192.0.2.1');
  });

  it('lists the most recently seen rows first when asked for fewer than it holds, and caps unknown encapsulations per row', () => {
    const table = new SensorTable();
    for (let i = 0; i < 20; i++) table.record('192.0.2.1', named(`n${i}`), 60, i);
    expect(table.list(3).map((s) => s.name)).toEqual(['n19', 'n18', 'n17']);
    for (let e = 1000; e < 2000; e++) table.record('192.0.2.9', parseTzsp(buildTzsp(frame, { encapsulation: e })), 60, 0);
    expect(table.list().find((s) => s.address === '192.0.2.9')!.unknownEncapsulations).toHaveLength(16);
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
