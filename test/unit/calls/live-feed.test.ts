// The live path's tick: with no end of capture to flush at, a TCP gap that never fills is given up on once the
// capture clock (the packets' own stamps, moved on by the wall time since the latest) passes its timeout — not
// before, and not at all before the first live packet. The clock here is a fake wall clock, the tracker is real.
import { describe, expect, it } from 'vitest';
import type { CapturedPacket } from '../../../main/calls/packet.ts';
import { LiveFeed } from '../../../main/calls/live-feed.ts';
import { SYN } from '../../../main/calls/tcp-sequencer.ts';
import { CallTracker } from '../../../main/calls/tracker.ts';
import { request } from './sip-samples.ts';

function segment(ts: number, seq: number, flags: number, data: Buffer): CapturedPacket {
  return {
    ts,
    src: '10.0.0.1',
    sport: 40000,
    dst: '10.0.0.2',
    dport: 5060,
    transport: 'tcp',
    payload: data,
    source: 's',
    tcpSeq: seq,
    tcpFlags: flags,
  };
}

describe('the live feed tick', () => {
  it('gives a TCP gap up after its timeout on the live clock, skipping only the cut message', () => {
    const tracker = new CallTracker();
    let wallMs = 0;
    const live = new LiveFeed(
      () => tracker,
      () => wallMs,
    );
    live.tick(); // before any live packet: nothing to move on from
    const first = Buffer.from(request('INVITE', 'first@live', {}), 'latin1');
    const cut = Buffer.from(request('INVITE', 'cut@live', {}), 'latin1');
    const third = Buffer.from(request('INVITE', 'third@live', {}), 'latin1');
    // A sensor clock far from this machine's: only its own stamps and the time since count.
    const t0 = 1_000_000_000;
    live.packet(segment(t0, 100, SYN, Buffer.alloc(0)));
    live.packet(segment(t0 + 10, 101, 0, first));
    // The first 20 bytes of the cut message never arrive; its rest and the third message wait behind the gap.
    live.packet(segment(t0 + 20, 101 + first.length + 20, 0, Buffer.concat([cut.subarray(20), third])));
    expect(tracker.calls().map((c) => c.id)).toEqual(['first@live']);

    wallMs += 1500; // 1.5 s later: still within the 2 s gap timeout
    live.tick();
    expect(tracker.counters()).toMatchObject({ tcpGapsSkipped: 0, tcpOutOfOrder: 1 });
    wallMs += 1000; // past it
    live.tick();
    expect(tracker.counters()).toMatchObject({ tcpGapsSkipped: 1, tcpMissingBytes: 20 });
    expect(tracker.calls().map((c) => c.id)).toEqual(['first@live', 'third@live']);
  });
});
