import { describe, expect, it } from 'vitest';
import { buildTzsp, linktypeOfEncapsulation, parseTzsp, type TzspParse } from '../../../main/captures/tzsp.ts';

const frame = Buffer.from(`ffffffffffff0200000000010806${'00'.repeat(28)}`, 'hex');

function asFrame(result: TzspParse) {
  if (result.kind !== 'frame') throw new Error(`expected a frame, got ${JSON.stringify(result)}`);
  return result;
}

describe('parseTzsp', () => {
  it("reads the MikroTik / Scratch'n'Sniff layout: 01 00 00 01 01 + Ethernet frame", () => {
    const p = asFrame(parseTzsp(Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), frame])));
    expect(p).toMatchObject({ type: 0, encapsulation: 1, linktype: 1 });
    expect(p.frame.equals(frame)).toBe(true);
    expect(p.originalLength).toBeUndefined();
    expect(p.timestamp).toBeUndefined();
  });

  it('maps every encapsulation to its link type, not to itself', () => {
    const expected: [number, number][] = [
      [1, 1],
      [2, 6],
      [4, 50],
      [5, 10],
      [7, 101],
      [18, 105],
      [119, 119],
      [126, 127],
      [127, 163],
    ];
    for (const [encapsulation, linktype] of expected) {
      expect(asFrame(parseTzsp(buildTzsp(frame, { encapsulation }))).linktype).toBe(linktype);
    }
    expect([...linktypeOfEncapsulation]).toEqual(expected);
  });

  it('keeps frames of an unknown encapsulation with a null link type', () => {
    expect(asFrame(parseTzsp(buildTzsp(frame, { encapsulation: 999 }))).linktype).toBeNull();
  });

  it('treats type 1 ("for transmit") as a captured frame and 2–5 as control', () => {
    expect(parseTzsp(buildTzsp(frame, { type: 1, encapsulation: 1 })).kind).toBe('frame');
    for (const type of [2, 3, 4, 5]) expect(parseTzsp(Buffer.from([1, type, 0, 1, 1]))).toEqual({ kind: 'control', type });
  });

  it('reads tags 40, 41, 60, 80, 82 and skips others by length; PAD has no length byte', () => {
    const built = buildTzsp(frame, {
      encapsulation: 1,
      packetId: 77,
      originalLength: 1514,
      sensorMac: Buffer.from('0a0b0c0d0e0f', 'hex'),
      deviceName: 'edge-1',
      timestamp: { seconds: 1_700_000_000, nanoseconds: 123_456_789 },
    });
    // Put PADs and an unknown tag 10 (signal, 1 byte) in front of the others.
    const withExtras = Buffer.concat([built.subarray(0, 4), Buffer.from([0, 0, 10, 1, 0xc4, 0]), built.subarray(4)]);
    const p = asFrame(parseTzsp(withExtras));
    expect(p).toMatchObject({
      packetId: 77,
      originalLength: 1514,
      sensorMac: '0a:0b:0c:0d:0e:0f',
      deviceName: 'edge-1',
      timestamp: { seconds: 1_700_000_000, nanoseconds: 123_456_789 },
    });
    expect(p.frame.equals(frame)).toBe(true);
  });

  it('calls out malformed datagrams with a reason', () => {
    const cases: [string, Buffer][] = [
      ['too short', Buffer.from([1, 0, 0])],
      ['version', Buffer.from([2, 0, 0, 1, 1, 0xaa])],
      ['no END', Buffer.from([1, 0, 0, 1, 0, 0])],
      ['runs past', Buffer.from([1, 0, 0, 1, 40, 9, 1, 2])],
      ['no length byte', Buffer.from([1, 0, 0, 1, 40])],
      ['no frame', Buffer.from([1, 0, 0, 1, 1])],
      ['unknown type', Buffer.from([1, 9, 0, 1, 1, 0xaa])],
    ];
    for (const [reason, datagram] of cases) {
      const result = parseTzsp(datagram);
      expect(result.kind, reason).toBe('malformed');
      if (result.kind === 'malformed') expect(result.reason).toContain(reason);
    }
  });

  it('survives fuzzing: random and truncated datagrams never throw and frames stay inside the datagram', () => {
    let seed = 0x2545f491;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    const valid = buildTzsp(frame, {
      encapsulation: 1,
      packetId: 1,
      originalLength: 60,
      deviceName: 'x',
      timestamp: { seconds: 1, nanoseconds: 2 },
    });
    const counts = { frame: 0, control: 0, malformed: 0 };
    for (let i = 0; i < 50_000; i++) {
      let datagram: Buffer;
      const mode = i % 3;
      if (mode === 0) {
        datagram = Buffer.alloc(Math.floor(random() * 80));
        for (let j = 0; j < datagram.length; j++) datagram[j] = Math.floor(random() * 256);
        if (datagram.length > 0 && random() < 0.7) datagram[0] = 1; // reach past the version check
      } else if (mode === 1) {
        datagram = valid.subarray(0, Math.floor(random() * valid.length));
      } else {
        datagram = Buffer.from(valid);
        for (let flips = 0; flips < 3; flips++) datagram[Math.floor(random() * datagram.length)] = Math.floor(random() * 256);
      }
      const result = parseTzsp(datagram);
      counts[result.kind]++;
      if (result.kind === 'frame') {
        expect(result.frame.length).toBeGreaterThan(0);
        expect(result.frame.buffer).toBe(datagram.buffer);
        expect(result.frame.byteOffset + result.frame.length).toBe(datagram.byteOffset + datagram.length);
      }
    }
    expect(counts.malformed).toBeGreaterThan(10_000);
    expect(counts.frame).toBeGreaterThan(1_000);
  });
});
