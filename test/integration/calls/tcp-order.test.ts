// SIP over TCP from a capture whose segments are out of order, repeated, overlapping, across the 2^32 sequence wrap
// or missing — the file read by `analyseFiles` exactly as `lanyard calls` reads it, and tshark (told to reassemble
// out-of-order segments) as the judge of the SIP count where it can judge: a missing segment stalls its
// reassembly, so there the expected messages are the judge.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { enhancedPacketBlock, interfaceDescriptionBlock, sectionHeaderBlock } from '../../../main/captures/pcapng-blocks.ts';
import { analyseFiles } from '../../../main/calls/analyse.ts';
import { FIN, SYN } from '../../../main/calls/tcp-sequencer.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { request, response, sdp } from '../../unit/calls/sip-samples.ts';
import { ethernet, ipv4 } from '../captures/frames.ts';

const tsharkBin = findPeer('tshark', 'apt-get install tshark');
const ACK = 0x10;
const PSH = 0x08;

interface Segment {
  /** Client → server (true) or back. */
  out: boolean;
  seq: number;
  flags: number;
  data: Buffer;
}

const client = { address: '192.0.2.10', port: 40123 };
const server = { address: '192.0.2.20', port: 5060 };

function tcp(sport: number, dport: number, seq: number, ack: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt32BE(seq >>> 0, 4);
  h.writeUInt32BE(ack >>> 0, 8);
  h[12] = 5 << 4;
  h[13] = flags;
  h.writeUInt16BE(65535, 14);
  return Buffer.concat([h, payload]);
}

/** Both directions of one connection: handshake, each side's messages cut into segments of `size`, FINs. */
function conversation(requests: string[], responses: string[], size: number, isn: { out: number; back: number }): Segment[] {
  const segments: Segment[] = [
    { out: true, seq: isn.out, flags: SYN, data: Buffer.alloc(0) },
    { out: false, seq: isn.back, flags: SYN | ACK, data: Buffer.alloc(0) },
  ];
  const next = { out: (isn.out + 1) >>> 0, back: (isn.back + 1) >>> 0 };
  requests.forEach((text, i) => {
    for (const [out, message] of [
      [true, text],
      [false, responses[i]!],
    ] as const) {
      const bytes = Buffer.from(message, 'latin1');
      for (let at = 0; at < bytes.length; at += size) {
        const data = bytes.subarray(at, Math.min(bytes.length, at + size));
        const side = out ? 'out' : 'back';
        segments.push({ out, seq: next[side], flags: ACK | PSH, data });
        next[side] = (next[side] + data.length) >>> 0;
      }
    }
  });
  segments.push({ out: true, seq: next.out, flags: FIN | ACK, data: Buffer.alloc(0) });
  segments.push({ out: false, seq: next.back, flags: FIN | ACK, data: Buffer.alloc(0) });
  return segments;
}

function writeCapture(file: string, segments: Segment[]): void {
  const blocks = [sectionHeaderBlock('tcp order'), interfaceDescriptionBlock(1, 'eth0', 'generated')];
  segments.forEach((s, i) => {
    const [from, to] = s.out ? [client, server] : [server, client];
    const frame = ethernet(0x0800, ipv4(6, from.address, to.address, tcp(from.port, to.port, s.seq, 0, s.flags, s.data)));
    blocks.push(enhancedPacketBlock(0, 1_765_000_000_000_000_000n + BigInt(i) * 1_000_000n, frame));
  });
  writeFileSync(file, Buffer.concat(blocks));
}

function tsharkSipCount(file: string): number {
  const r = spawnSync(tsharkBin!, ['-r', file, '-o', 'tcp.reassemble_out_of_order:TRUE', '-q', '-z', 'sip,stat'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return Number(/Number of SIP messages: (\d+)/.exec(r.stdout)?.[1] ?? 0);
}

/** A deterministic shuffle within windows of `window` segments (a network reorders locally). */
function shuffledWithin<T>(items: T[], window: number, seed: number): T[] {
  const out = items.slice();
  let x = seed;
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const j = Math.min(out.length - 1, i + (x % window));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const calls = Array.from({ length: 8 }, (_, i) => `tcp-order-${i}@lanyard.test`);
const requests = calls.map((id, i) => request('INVITE', id, { body: sdp(6000 + i * 2) }));
const responses = calls.map((id) => response(200, 'OK', 'INVITE', id, { body: sdp(7000) }));

describe.skipIf(!tsharkBin)('SIP over TCP from a capture, reordered (tshark judges)', () => {
  const dir = tempDir('lanyard-tcp-order-');

  it('shuffled, repeated and overlapping segments, the sequence wrapping at 2^32: every message, as tshark counts', async () => {
    // The client's sequence numbers wrap during its second request.
    const inOrder = conversation(requests, responses, 120, { out: 0xfffffe00, back: 0x7fffff00 });
    const [synOut, synBack, ...rest] = inOrder;
    const data = rest.filter((s) => s.data.length > 0);
    const fins = rest.filter((s) => s.data.length === 0);
    // Repeats of every fifth segment, and one re-sent segment merged with its successor (overlapping both).
    const repeats = data.filter((_, i) => i % 5 === 2);
    const a = data[7]!;
    const b = data.find((s) => s.out === a.out && s.seq === (a.seq + a.data.length) >>> 0)!;
    const merged: Segment = { ...a, data: Buffer.concat([a.data, b.data]) };
    const messy = [synOut!, synBack!, ...shuffledWithin([...data, ...repeats, merged], 6, 7), ...fins];
    const file = path.join(dir, 'messy.pcapng');
    writeCapture(file, messy);

    const judge = tsharkSipCount(file);
    const tracker = await analyseFiles([file]);
    const counters = tracker.counters();
    expect(judge).toBe(requests.length * 2);
    expect(counters.sipMessages).toBe(judge);
    expect(tracker.calls().map((c) => c.id)).toEqual(calls);
    expect(tracker.calls().every((c) => c.state === 'answered')).toBe(true);
    expect(counters.tcpOutOfOrder).toBeGreaterThan(0);
    expect(counters.tcpRepeatedBytes).toBe(repeats.reduce((n, s) => n + s.data.length, 0) + merged.data.length);
    expect(counters.tcpGapsSkipped).toBe(0);
    expect(counters.malformed).toBe(0);

    // The same conversation captured in order: the same count on both sides.
    const ordered = path.join(dir, 'ordered.pcapng');
    writeCapture(ordered, inOrder);
    expect(tsharkSipCount(ordered)).toBe(judge);
    expect((await analyseFiles([ordered])).counters().sipMessages).toBe(judge);
  });

  it('a segment never captured: the messages it cut are lost and counted, framing resumes at the next message', async () => {
    const segments = conversation(requests, responses, 120, { out: 1000, back: 2000 });
    // Lose the client's segment in the middle of its fourth request.
    const fourth = Buffer.byteLength(requests.slice(0, 3).join(''), 'latin1');
    const victim = segments.findIndex((s) => s.out && s.data.length > 0 && (s.seq - 1001) >>> 0 > fourth + 120);
    const file = path.join(dir, 'gap.pcapng');
    writeCapture(
      file,
      segments.filter((_, i) => i !== victim),
    );
    const tracker = await analyseFiles([file]);
    const counters = tracker.counters();
    // Every response, every request but the cut one.
    expect(counters.sipMessages).toBe(requests.length * 2 - 1);
    expect(counters.tcpGapsSkipped).toBe(1);
    expect(counters.tcpMissingBytes).toBe(segments[victim]!.data.length);
    expect(counters.streamBytesDropped).toBeGreaterThan(0);
    expect(tracker.calls()).toHaveLength(calls.length);
  });
});
