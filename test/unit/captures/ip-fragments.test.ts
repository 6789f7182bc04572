import { describe, expect, it } from 'vitest';
import { FragmentReassembler, type IpPacket } from '../../../main/captures/ip-fragments.ts';

const whole = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
const piece = (offset: number, end: number, more: boolean, id = 7): IpPacket => ({ src: 'a', dst: 'b', protocol: 17, id, offset, more, payload: whole.subarray(offset, end) });

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
