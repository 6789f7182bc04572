// SCTP user messages out of hostile packets: bundled and fragmented DATA, bounds (chunks per packet, held
// fragments, message size) each with its counter, and a fuzz of the whole reader.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SctpReader, type SctpMessage } from '../../../main/captures/sctp.ts';
import { bytes, cpuMs, fuzz, mutated } from '../../support/fuzz.ts';
import { dataChunk, flags, sackChunk, sctpPacket } from '../../support/sctp-frames.ts';

function read(reader: SctpReader, packet: Buffer, src = '10.0.0.1', dst = '10.0.0.2'): SctpMessage[] {
  const out: SctpMessage[] = [];
  reader.read(src, dst, packet, (m) => out.push({ ...m, payload: Buffer.from(m.payload) }));
  return out;
}
const text = (ms: SctpMessage[]) => ms.map((m) => m.payload.toString());

describe('SCTP user messages', () => {
  it('reads every DATA chunk of a bundle, past other chunks and padding, with stream and PPID', () => {
    const reader = new SctpReader();
    const packet = sctpPacket(5060, 5061, [
      sackChunk(9),
      dataChunk(10, flags.whole, Buffer.from('one'), 1, 0),
      dataChunk(11, flags.whole | flags.unordered, Buffer.from('second!'), 2, 63),
    ]);
    const ms = read(reader, packet);
    expect(ms.map((m) => [m.sport, m.dport, m.stream, m.ppid, m.payload.toString()])).toEqual([
      [5060, 5061, 1, 0, 'one'],
      [5060, 5061, 2, 63, 'second!'],
    ]);
    expect(reader.totals).toMatchObject({ packets: 1, dataChunks: 2, messages: 2, malformed: 0 });
  });

  it('rebuilds a fragmented message from B, middle and E in any order, a retransmitted piece ignored', () => {
    const reader = new SctpReader();
    const parts = ['INVITE sip:b@y ', 'SIP/2.0\r\n', 'Call-ID: x\r\n\r\n'];
    const chunk = (i: number) => dataChunk(100 + i, i === 0 ? flags.begin : i === 2 ? flags.end : 0, Buffer.from(parts[i]!));
    expect(read(reader, sctpPacket(1, 2, [chunk(2)]))).toEqual([]);
    expect(read(reader, sctpPacket(1, 2, [chunk(2)]))).toEqual([]); // resent
    expect(read(reader, sctpPacket(1, 2, [chunk(0)]))).toEqual([]);
    expect(reader.held().fragments).toBe(2);
    expect(text(read(reader, sctpPacket(1, 2, [chunk(1)])))).toEqual([parts.join('')]);
    expect(reader.held()).toEqual({ fragments: 0, bytes: 0 });
    // The same TSNs from another association are another message.
    expect(read(reader, sctpPacket(1, 2, [chunk(0)]), '10.0.0.9')).toEqual([]);
  });

  it("lists what the caller kept of each earlier packet of a rebuilt message (once each), never this packet's", () => {
    const reader = new SctpReader<string>();
    const seen: string[][] = [];
    let kept = 0;
    const keep = (name: string) => () => {
      kept++;
      return name;
    };
    const piece = (tsn: number, f: number) => dataChunk(tsn, f, Buffer.from(String(tsn)));
    reader.read('a', 'b', sctpPacket(1, 2, [piece(1, flags.begin), piece(2, 0)]), (m) => seen.push([...m.earlier]), keep('p1'));
    reader.read(
      'a',
      'b',
      sctpPacket(1, 2, [piece(3, 0), piece(4, flags.end), piece(9, flags.whole)]),
      (m) => seen.push([...m.earlier]),
      keep('p2'),
    );
    expect(seen).toEqual([['p1'], []]);
    expect(kept).toBe(2); // p2 kept while its piece 3 waited for piece 4, but not listed: it is the packet visited
  });

  it('rebuilds across the TSN wrap', () => {
    const reader = new SctpReader();
    read(reader, sctpPacket(1, 2, [dataChunk(0xffffffff, flags.begin, Buffer.from('a'))]));
    expect(text(read(reader, sctpPacket(1, 2, [dataChunk(0, flags.end, Buffer.from('b'))])))).toEqual(['ab']);
  });

  it('counts what lies: a cut header, a chunk longer than the packet, a DATA chunk without its header', () => {
    const reader = new SctpReader();
    read(reader, Buffer.alloc(8));
    const whole = sctpPacket(1, 2, [dataChunk(1, flags.whole, Buffer.from('abc'))]);
    read(reader, whole.subarray(0, whole.length - 4));
    const short = sctpPacket(1, 2, [Buffer.from([0, 3, 0, 8, 0, 0, 0, 1])]);
    read(reader, short);
    expect(reader.totals).toMatchObject({ packets: 3, malformed: 3, messages: 0 });
  });

  it('reads at most maxChunks chunks of a packet (the rest counted), holds at most maxHeldFragments', () => {
    const reader = new SctpReader({ maxChunks: 4, maxHeldFragments: 3 });
    const many = sctpPacket(
      1,
      2,
      Array.from({ length: 10 }, (_, i) => dataChunk(i, flags.whole, Buffer.from('x'))),
    );
    expect(read(reader, many)).toHaveLength(4);
    expect(reader.totals.chunksSkipped).toBe(1);
    for (let i = 0; i < 5; i++) read(reader, sctpPacket(1, 2, [dataChunk(1000 + i * 10, flags.begin, Buffer.from('y'))]));
    expect(reader.held().fragments).toBe(3);
    expect(reader.totals.fragmentsDropped).toBe(2);
  });

  it('drops a message past maxMessage (its fragments counted) and keeps reading', () => {
    const reader = new SctpReader({ maxMessage: 10 });
    read(reader, sctpPacket(1, 2, [dataChunk(1, flags.begin, Buffer.alloc(8))]));
    expect(read(reader, sctpPacket(1, 2, [dataChunk(2, flags.end, Buffer.alloc(8))]))).toEqual([]);
    expect(reader.totals.fragmentsDropped).toBe(2);
    expect(reader.held().fragments).toBe(0);
    expect(text(read(reader, sctpPacket(1, 2, [dataChunk(3, flags.whole, Buffer.from('ok'))])))).toEqual(['ok']);
  });

  it('a chain of fragments that never begins costs bounded work per packet (linear overall)', () => {
    const time = (n: number) => {
      const reader = new SctpReader();
      const packets = Array.from({ length: n }, (_, i) => sctpPacket(1, 2, [dataChunk(i, 0, Buffer.from('m'))]));
      return cpuMs(() => {
        for (const p of packets) reader.read('a', 'b', p, () => undefined);
      });
    };
    time(500); // warm up
    const small = Math.max(time(1000), 1);
    const large = time(4000);
    expect(large / small).toBeLessThan(16); // 4× the input: linear gives ~4×, quadratic ~16×
  });
});

describe('fuzz: SCTP', () => {
  const valid = sctpPacket(5060, 5060, [
    sackChunk(1),
    dataChunk(2, flags.begin, Buffer.from('INVITE sip:x SIP/2.0\r\n')),
    dataChunk(3, flags.end, Buffer.from('\r\n')),
    dataChunk(4, flags.whole, Buffer.from('OPTIONS sip:y SIP/2.0\r\n\r\n')),
  ]);
  it('never throws; every message lies within the bytes given; the held table stays bounded', () => {
    const reader = new SctpReader({ maxHeldFragments: 64 });
    let given = 0;
    let out = 0;
    fuzz(
      fc.property(fc.oneof(bytes(600), mutated(valid)), (input) => {
        given += input.length;
        reader.read('10.0.0.1', '10.0.0.2', input, (m) => {
          out += m.payload.length;
          expect(m.payload.length).toBeLessThanOrEqual(256 * 1024);
        });
        expect(reader.held().fragments).toBeLessThanOrEqual(64);
      }),
    );
    expect(out).toBeLessThanOrEqual(given);
  });
});
