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
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { request, response, sdp } from '../../unit/calls/sip-samples.ts';
import { conversation, type Segment, segmentFrame, shuffledWithin } from './tcp-segments.ts';

const tsharkBin = findPeer('tshark', 'apt-get install tshark');

function writeCapture(file: string, segments: Segment[]): void {
  const blocks = [sectionHeaderBlock('tcp order'), interfaceDescriptionBlock(1, 'eth0', 'generated')];
  segments.forEach((s, i) => {
    blocks.push(enhancedPacketBlock(0, 1_765_000_000_000_000_000n + BigInt(i) * 1_000_000n, segmentFrame(s)));
  });
  writeFileSync(file, Buffer.concat(blocks));
}

function tsharkSipCount(file: string): number {
  const r = spawnSync(tsharkBin!, ['-r', file, '-o', 'tcp.reassemble_out_of_order:TRUE', '-q', '-z', 'sip,stat'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return Number(/Number of SIP messages: (\d+)/.exec(r.stdout)?.[1] ?? 0);
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
