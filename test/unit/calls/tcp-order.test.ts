// SIP over TCP put back in sequence order (tcp-sequencer.ts through SipStreams): shuffled, repeated and overlapping
// segments give the messages in-order delivery gives; a gap that never fills is skipped, counted, and framing picks
// up at the next start line; SYN, FIN, RST and the 2^32 wrap. The property test is the contract: any reordering
// within the window, with any repeats, frames exactly the messages of the stream sent in order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CapturedPacket } from '../../../main/calls/packet.ts';
import { SipStreams, type StreamLimits } from '../../../main/calls/sip-stream.ts';
import { FIN, newSequencerCounters, RST, SYN, TcpSequencer } from '../../../main/calls/tcp-sequencer.ts';
import { bytes, fuzz } from '../../support/fuzz.ts';
import { request, response, sdp } from './sip-samples.ts';

interface Segment {
  seq: number;
  flags: number;
  data: Buffer;
}

/** Feeds segments of one flow; returns each framed message's text and the streams (for the counters). */
function frame(segments: readonly Segment[], limits: Partial<StreamLimits> = {}, options: { flush?: boolean } = {}) {
  const messages: string[] = [];
  const streams = new SipStreams((_, m) => messages.push(m.bytes.toString('latin1')), limits);
  let ts = 1_700_000_000_000_000;
  for (const s of segments) {
    ts += 1000;
    const p: CapturedPacket = {
      ts,
      src: '10.0.0.1',
      sport: 40000,
      dst: '10.0.0.2',
      dport: 5060,
      transport: 'tcp',
      payload: s.data,
      source: 'test',
      tcpSeq: s.seq >>> 0,
      tcpFlags: s.flags,
    };
    streams.push(p);
  }
  if (options.flush !== false) streams.flush();
  return { messages, streams };
}

/** A conversation's worth of SIP, one side: requests and responses with and without bodies. */
function sipText(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `order-${i}@x`;
    out.push(
      i % 3 === 0
        ? request('INVITE', id, { body: sdp(4000 + i * 2) })
        : response(200, 'OK', 'INVITE', id, { body: i % 2 ? sdp(5000) : '' }),
    );
  }
  return out;
}

/** The stream cut at the given points into segments after a SYN at `isn`. */
function segmentsOf(stream: Buffer, cuts: number[], isn: number): Segment[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < stream.length))].sort((a, b) => a - b);
  const out: Segment[] = [{ seq: isn, flags: SYN, data: Buffer.alloc(0) }];
  let at = 0;
  for (const end of [...points, stream.length]) {
    out.push({ seq: (isn + 1 + at) >>> 0, flags: 0, data: stream.subarray(at, end) });
    at = end;
  }
  return out;
}

describe('SIP over TCP in sequence order', () => {
  const messages = sipText(6);
  const stream = Buffer.from(messages.join(''), 'latin1');

  it('frames shuffled, repeated and overlapping segments as the stream sent in order, across the 2^32 wrap', () => {
    const isn = 0xffffff00; // the sequence numbers wrap inside the second message
    const inOrder = segmentsOf(stream, [100, 300, 700, 701, 1200, 1900], isn);
    expect(frame(inOrder).messages).toEqual(messages);
    const [syn, ...data] = inOrder;
    // Reversed, each sent twice, and one segment re-sent merged with its neighbour (an overlap on both sides).
    const merged: Segment = { seq: data[2]!.seq, flags: 0, data: Buffer.concat([data[2]!.data, data[3]!.data]) };
    const messy = [syn!, ...[...data].reverse(), ...data, merged];
    const { messages: got, streams } = frame(messy);
    expect(got).toEqual(messages);
    expect(streams.tcp.outOfOrder).toBeGreaterThan(0);
    expect(streams.tcp.repeatedBytes).toBe(stream.length + merged.data.length);
    expect(streams.tcp.gapsSkipped).toBe(0);
    expect(streams.malformed).toBe(0);
  });

  it('property: any permutation within the window, with repeats, gives the in-order messages', () => {
    fuzz(
      fc.property(
        fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.nat(), { maxLength: 80 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (cuts, isn, swaps, repeats) => {
          const [syn, ...data] = segmentsOf(stream, cuts, isn);
          // Swaps of neighbours within a window of 8 places: a bounded reordering, as a network makes.
          for (const s of swaps) {
            const i = s % data.length;
            const j = Math.min(data.length - 1, i + 1 + ((s >> 8) % 8));
            [data[i], data[j]] = [data[j]!, data[i]!];
          }
          for (const r of repeats) data.splice(r % (data.length + 1), 0, data[(r >> 4) % data.length]!);
          const { messages: got, streams } = frame([syn!, ...data]);
          expect(got).toEqual(messages);
          expect(streams.tcp.gapsSkipped).toBe(0);
        },
      ),
    );
  });

  it('skips a gap that never fills, counts it, and picks up at the next start line', () => {
    const starts = messages.map((_, i) => Buffer.byteLength(messages.slice(0, i).join(''), 'latin1'));
    // Cut inside message 1 and inside message 3, and lose what lies between: messages 1–3 are damaged.
    const lost = [starts[1]! + 40, starts[3]! + 40];
    const segments = segmentsOf(stream, [...starts.slice(1), ...lost], 1000).filter(
      (s) => !(s.flags === 0 && s.seq - 1001 >= lost[0]! && s.seq - 1001 < lost[1]!),
    );
    const { messages: got, streams } = frame(segments, { gapTimeoutUs: 1_000_000_000 });
    expect(got).toEqual([messages[0], messages[4], messages[5]]);
    expect(streams.tcp.gapsSkipped).toBe(1);
    expect(streams.tcp.missingBytes).toBe(lost[1]! - lost[0]!);
    expect(streams.bytesDropped).toBeGreaterThan(0);
  });

  it('gives up on a gap once more segments wait behind it than the bound allows', () => {
    const [syn, first, ...rest] = segmentsOf(
      stream,
      Array.from({ length: 60 }, (_, i) => (i + 1) * 30),
      5,
    );
    const { messages: got, streams } = frame([syn!, ...rest], { maxHeldSegments: 10 }, { flush: false });
    expect(first!.data.length).toBe(30);
    expect(streams.tcp.gapsSkipped).toBe(1);
    expect(streams.tcp.missingBytes).toBe(30);
    // The first message lost its start; every later one is framed once the gap is skipped.
    expect(got).toEqual(messages.slice(1));
  });

  it('takes the data after a SYN once, ignores a retransmitted SYN, and forgets the flow on RST and after FIN', () => {
    const [syn, ...data] = segmentsOf(stream, [500], 77);
    const fin: Segment = { seq: (77 + 1 + stream.length) >>> 0, flags: FIN, data: Buffer.alloc(0) };
    expect(frame([syn!, syn!, ...data, fin]).messages).toEqual(messages);
    // A FIN that arrives before the data it follows still waits for it.
    expect(frame([syn!, fin, ...data]).messages).toEqual(messages);
    // RST in the middle: the partial message after the first is dropped; a new connection on the same ports starts clean.
    const reset = frame([syn!, data[0]!, { seq: 0, flags: RST, data: Buffer.alloc(0) }, ...segmentsOf(stream, [], 9000)]);
    expect(messages[0]!.length).toBeLessThan(500);
    expect(reset.messages).toEqual([messages[0], ...messages]);
    expect(reset.streams.bytesDropped).toBeGreaterThan(0);
  });

  it('a flow met mid-stream (no SYN) starts at its first segment, as before', () => {
    const [, ...data] = segmentsOf(stream, [messages[0]!.length], 0);
    expect(frame(data).messages).toEqual(messages);
    // Without sequence numbers (HEP), segments are taken as they come.
    const plain = new SipStreams(() => {});
    expect(plain.push({ ts: 1, src: 'a', sport: 1, dst: 'b', dport: 2, transport: 'tcp', payload: stream, source: 'hep' })).toBe(true);
  });

  it('a port scan of SYNs does not push out a SIP connection in progress', () => {
    const messages2: string[] = [];
    const streams = new SipStreams((_, m) => messages2.push(m.bytes.toString('latin1')), { maxFlows: 64, maxUndecidedFlows: 16 });
    const base = { ts: 1, src: '10.0.0.1', sport: 40000, dst: '10.0.0.2', dport: 5060, transport: 'tcp', source: 'test' } as const;
    const [syn, ...data] = segmentsOf(stream, [700], 10);
    const send = (s: Segment, sport = 40000) => streams.push({ ...base, sport, payload: s.data, tcpSeq: s.seq, tcpFlags: s.flags });
    send(syn!);
    send(data[0]!);
    for (let port = 1; port <= 5000; port++) send({ seq: port * 7, flags: SYN, data: Buffer.alloc(0) }, port);
    send(data[1]!);
    expect(messages2).toEqual(messages);
  });

  it('fuzzed: hostile segments never throw and never hold more than the bound', () => {
    const limits = { maxHeldBytes: 4096, maxHeldSegments: 16 };
    fuzz(
      fc.property(
        fc.array(fc.record({ seq: fc.integer({ min: 0, max: 0xffffffff }), flags: fc.integer({ min: 0, max: 0x3f }), data: bytes(1500) }), {
          maxLength: 60,
        }),
        (segments) => {
          const { streams } = frame(segments, limits);
          expect(streams.tcp.repeatedBytes).toBeGreaterThanOrEqual(0);
        },
      ),
    );
    // Many segments each just ahead of a gap: held data stays under the byte bound, the gaps are skipped and counted.
    const ahead = Array.from({ length: 400 }, (_, i): Segment => ({ seq: 1_000_000 + i * 2000, flags: 0, data: Buffer.alloc(1000, 0x41) }));
    const counters = newSequencerCounters();
    const sequencer = new TcpSequencer(counters, limits);
    const sink = { data: () => {}, gap: () => {} };
    sequencer.push(0, SYN, Buffer.alloc(0), 0, sink);
    for (const s of ahead) {
      sequencer.push(s.seq, s.flags, s.data, 1, sink);
      expect(sequencer.heldBytes).toBeLessThanOrEqual(limits.maxHeldBytes);
    }
    expect(counters.gapsSkipped).toBeGreaterThan(90);
  });
});
