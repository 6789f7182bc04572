// Tap batches (receiver process → host): every packet comes back as it went in, in order; a damaged batch is
// refused without throwing and never hands on bytes from outside a record.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchBytes, readTapBatch, TapBatchWriter } from '../../../main/captures/tap-batch.ts';
import type { TransportPacket } from '../../../main/captures/transport-packet.ts';
import { fuzz, mutated } from '../../support/fuzz.ts';

const address = fc.oneof(fc.ipV4(), fc.ipV6());
const common = {
  ts: fc.integer({ min: 0, max: 2 ** 52 }),
  src: address,
  dst: address,
  sport: fc.integer({ min: 0, max: 0xffff }),
  dport: fc.integer({ min: 0, max: 0xffff }),
  payload: fc.uint8Array({ maxLength: 1500 }).map((a) => Buffer.from(a)),
  source: fc.string({ maxLength: 80 }),
};
/** UDP, SCTP, TCP as HEP hands it (no sequence) and TCP from a sensor's frame (sequence number and flags byte). */
const packet: fc.Arbitrary<TransportPacket> = fc.oneof(
  fc.record({ ...common, transport: fc.constantFrom('udp' as const, 'tcp' as const, 'sctp' as const) }),
  fc.record({
    ...common,
    transport: fc.constant('tcp' as const),
    tcpSeq: fc.integer({ min: 0, max: 0xffffffff }),
    tcpFlags: fc.integer({ min: 0, max: 0xff }),
  }),
);

/** What a sink saw, copied (the packet object and its payload are reused). */
function readAll(batch: ArrayBuffer): { ok: boolean; packets: TransportPacket[] } {
  const packets: TransportPacket[] = [];
  const ok = readTapBatch(batch, (p) => packets.push({ ...p, payload: Buffer.from(p.payload) }));
  return { ok, packets };
}

describe('tap batches', () => {
  it('give back every packet as written, in order', () => {
    fuzz(
      fc.property(fc.array(packet, { maxLength: 200 }), (packets) => {
        const writer = new TapBatchWriter();
        for (const p of packets) writer.add(p);
        const batch = writer.take();
        if (packets.length === 0) {
          expect(batch).toBeNull();
          return;
        }
        const read = readAll(batch!);
        expect(read.ok).toBe(true);
        expect(read.packets).toEqual(packets);
        expect(writer.count).toBe(0);
      }),
    );
  });

  it('say when they are full, and a full batch still reads back whole', () => {
    const writer = new TapBatchWriter();
    const p: TransportPacket = {
      ts: 1,
      src: '10.0.0.1',
      dst: '10.0.0.2',
      sport: 1,
      dport: 2,
      transport: 'udp',
      payload: Buffer.alloc(65_000, 7),
      source: 's',
    };
    let added = 0;
    while (!writer.full) {
      writer.add(p);
      added++;
    }
    expect(added).toBe(Math.ceil(batchBytes / (65_000 + 23)));
    const read = readAll(writer.take()!);
    expect(read).toMatchObject({ ok: true });
    expect(read.packets).toHaveLength(added);
  });

  it('a batch of another layout (a host and receiver from different builds) is refused whole', () => {
    const writer = new TapBatchWriter();
    writer.add({
      ts: 1,
      src: 'a',
      dst: 'b',
      sport: 1,
      dport: 2,
      transport: 'tcp',
      payload: Buffer.from('x'),
      source: 's',
      tcpSeq: 7,
      tcpFlags: 2,
    });
    const batch = writer.take()!;
    new DataView(batch).setUint8(batch.byteLength - 4, 1); // the version byte of the tag
    let seen = 0;
    expect(readTapBatch(batch, () => seen++)).toBe(false);
    expect(seen).toBe(0);
  });

  it('a damaged batch is refused without throwing, and no payload reaches past the records', () => {
    const writer = new TapBatchWriter();
    for (let i = 0; i < 20; i++)
      writer.add({
        ts: i,
        src: '192.0.2.1',
        dst: '192.0.2.2',
        sport: i,
        dport: 5060,
        transport: i % 2 ? 'tcp' : 'udp',
        payload: Buffer.alloc(i * 10, i),
        source: `sensor ${i % 3}`,
        ...(i % 4 === 1 ? { tcpSeq: i * 1000, tcpFlags: 0x18 } : {}),
      });
    const valid = Buffer.from(writer.take()!);
    fuzz(
      fc.property(mutated(valid), (damaged) => {
        const copy = new Uint8Array(damaged).buffer;
        let inside = true;
        readTapBatch(copy, (p) => {
          inside &&= p.payload.byteOffset + p.payload.length <= copy.byteLength;
        });
        expect(inside).toBe(true);
      }),
    );
  });
});
