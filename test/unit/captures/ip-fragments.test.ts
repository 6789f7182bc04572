import { describe, expect, it } from 'vitest';
import { FragmentReassembler, type IpPacket } from '../../../main/captures/ip-fragments.ts';

const whole = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
const piece = (offset: number, end: number, more: boolean, id = 7): IpPacket => ({
  src: 'a',
  dst: 'b',
  protocol: 17,
  id,
  offset,
  more,
  payload: whole.subarray(offset, end),
});

describe('IP fragment reassembly', () => {
  it('passes unfragmented packets straight through', () => {
    expect(new FragmentReassembler().add(piece(0, 100, false))).toEqual(whole.subarray(0, 100));
  });

  it('rebuilds a payload from fragments in any order, and only once every byte is in', () => {
    const r = new FragmentReassembler();
    expect(r.add(piece(2960, 3000, false))).toBeNull();
    expect(r.add(piece(0, 1480, true))).toBeNull();
    expect(r.orphans()).toBe(2);
    expect(r.add(piece(1480, 2960, true))!.equals(whole)).toBe(true);
    expect(r.orphans()).toBe(0);
  });

  it('keeps flows apart by id and counts orphans', () => {
    const r = new FragmentReassembler();
    expect(r.add(piece(0, 1480, true, 1))).toBeNull();
    expect(r.add(piece(1480, 3000, false, 2))).toBeNull();
    expect(r.orphans()).toBe(2);
  });
});

describe('IP fragment reassembly against hostile fragment streams', () => {
  const from = (src: string, id: number, offset: number, length: number, more: boolean, fill = 1): IpPacket => ({
    src,
    dst: 'b',
    protocol: 17,
    id,
    offset,
    more,
    payload: Buffer.alloc(length, fill),
  });

  it("one source flooding never-completed datagrams cannot push out another source's datagram", () => {
    const r = new FragmentReassembler();
    expect(r.add(piece(0, 1480, true))).toBeNull();
    for (let id = 0; id < 20_000; id++) r.add(from('evil', id, 0, 1480, true));
    expect(r.add(piece(1480, 3000, false))!.equals(whole)).toBe(true);
    expect(r.stats().orphans).toBe(20_000); // each evil piece: still waiting (256 of them) or pushed out
  });

  it('drops a datagram that overlaps itself (either way round), or whose end contradicts a piece already in', () => {
    const r = new FragmentReassembler();
    r.add(piece(0, 1480, true));
    expect(r.add({ ...piece(8, 1488, true) })).toBeNull();
    expect(r.add(piece(1480, 3000, false))).toBeNull(); // the datagram is gone: this piece starts a new one
    expect(r.stats()).toEqual({ orphans: 1, dropped: 2 });
    const s = new FragmentReassembler();
    s.add(piece(1480, 3000, true));
    expect(s.add(piece(8, 2000, false))).toBeNull(); // ends inside a piece already in
    expect(s.stats().dropped).toBe(2);
  });

  it('ignores an exact retransmitted copy of a piece', () => {
    const r = new FragmentReassembler();
    r.add(piece(0, 1480, true));
    r.add(piece(0, 1480, true));
    expect(r.add(piece(1480, 3000, false))!.equals(whole)).toBe(true);
    expect(r.stats()).toEqual({ orphans: 0, dropped: 0 });
  });

  it('refuses pieces past 65,535 bytes and empty middle pieces without allocating for them', () => {
    const r = new FragmentReassembler();
    expect(r.add(from('a', 1, 65_528, 1480, false))).toBeNull();
    expect(r.add(from('a', 1, 8, 0, true))).toBeNull();
    expect(r.stats()).toEqual({ orphans: 0, dropped: 2 });
  });

  it('stops a datagram cut into thousands of tiny pieces at 128, in linear time', () => {
    const r = new FragmentReassembler();
    const started = performance.now();
    for (let i = 0; i < 8000; i++) r.add(from('a', 1, i * 16, 8, true)); // every other 8 bytes: never completes
    expect(performance.now() - started).toBeLessThan(500);
    expect(r.stats().dropped).toBeGreaterThan(7000);
    expect(r.stats().orphans).toBeLessThan(128);
  });

  it('abandons a datagram whose pieces span more than the timeout on the capture clock', () => {
    const r = new FragmentReassembler({ timeoutMs: 30_000 });
    r.add(piece(0, 1480, true), 1_000);
    expect(r.add(piece(1480, 3000, false), 32_000)).toBeNull();
    expect(r.stats().orphans).toBe(2);
  });

  it("holds at most maxBytes, evicting the oldest, and keeps copies rather than views of the reader's window", () => {
    const r = new FragmentReassembler({ maxBytes: 10_000 });
    for (let id = 0; id < 100; id++) r.add(from(`s${id}`, id, 0, 1000, true));
    expect(r.stats().orphans).toBe(100);
    const window = Buffer.from(whole);
    r.add({ ...piece(0, 1480, true), payload: window.subarray(0, 1480) });
    window.fill(0); // the reader reuses or frees its window
    expect(r.add(piece(1480, 3000, false))!.equals(whole)).toBe(true);
  });
});
