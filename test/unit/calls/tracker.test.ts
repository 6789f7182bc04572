// The tracker on hand-made traffic: what SIPp cannot easily produce (TCP with several messages to a segment
// and split ones, WebSocket frames, compact headers, re-INVITE hold, B2BUA legs, REGISTER flows, limits).
import { describe, expect, it } from 'vitest';
import { CallTracker } from '../../../main/calls/tracker.ts';
import { packet, request, response, rtp, sdp, wsFrame } from './sip-samples.ts';

function answeredCall(t: CallTracker, id: string, transport: 'udp' | 'tcp' = 'udp') {
  const messages = [
    request('INVITE', id, { body: sdp(4000) }),
    response(180, 'Ringing', 'INVITE', id),
    response(200, 'OK', 'INVITE', id, { body: sdp(5000, '', '10.0.0.2') }),
    request('ACK', id, { toTag: 'b1' }),
  ];
  for (const m of messages) t.feed(packet(m, { transport }));
  return messages;
}

describe('CallTracker', () => {
  it('frames TCP with several messages in one segment and one message split over three', () => {
    const t = new CallTracker();
    const all = Buffer.from(
      [
        request('INVITE', 'tcp-1', { body: sdp(4000) }),
        response(180, 'Ringing', 'INVITE', 'tcp-1'),
        response(200, 'OK', 'INVITE', 'tcp-1'),
      ].join(''),
      'latin1',
    );
    t.feed(packet(all, { transport: 'tcp' })); // three messages, one segment
    const bye = Buffer.from(request('BYE', 'tcp-1', { toTag: 'b1', cseq: 2 }), 'latin1');
    for (const piece of [bye.subarray(0, 10), bye.subarray(10, 90), bye.subarray(90)]) t.feed(packet(piece, { transport: 'tcp' }));
    const call = t.call('tcp-1')!;
    expect(call.messages.map((m) => m.method ?? m.code)).toEqual(['INVITE', 180, 200, 'BYE']);
    expect(call.messages.every((m) => m.transport === 'tcp')).toBe(true);
    expect(call.state).toBe('completed');
    expect(call.hungUpBy).toBe('caller');
    expect(t.counters().malformed).toBe(0);
  });

  it('reads SIP over WebSocket, masked and unmasked, after the HTTP upgrade', () => {
    const t = new CallTracker();
    const c2s = { transport: 'tcp' as const, sport: 40000, dport: 8080 };
    const s2c = { transport: 'tcp' as const, src: '10.0.0.2', dst: '10.0.0.1', sport: 8080, dport: 40000 };
    t.feed(packet('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: sip\r\n\r\n', c2s));
    t.feed(packet('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n', s2c));
    const invite = wsFrame(Buffer.from(request('INVITE', 'ws-1', { body: sdp(4000) }), 'latin1'), Buffer.from([1, 2, 3, 4]));
    t.feed(packet(invite.subarray(0, 50), c2s));
    t.feed(packet(invite.subarray(50), c2s));
    t.feed(packet(wsFrame(Buffer.from(response(486, 'Busy Here', 'INVITE', 'ws-1'), 'latin1')), s2c));
    const call = t.call('ws-1')!;
    expect(call.messages.map((m) => m.transport)).toEqual(['ws', 'ws']);
    expect(call.state).toBe('rejected');
    expect(call.code).toBe(486);
  });

  it('understands compact header forms', () => {
    const t = new CallTracker();
    t.feed(packet(request('INVITE', 'compact-1', { compact: true, body: sdp(4000) })));
    const call = t.call('compact-1')!;
    expect(call.from).toBe('sip:alice@a.example');
    expect(call.to).toBe('sip:bob@b.example');
    expect(call.messages[0]!.hasSdp).toBe(true);
  });

  it('counts malformed messages and goes on', () => {
    const t = new CallTracker();
    t.feed(packet('INVITE sip:x SIP/2.0\r\nVia: nothing\r\n\r\n')); // no Call-ID, no CSeq
    t.feed(packet('OPTIONS sip:x SIP/2.0\r\nthis line has no colon\r\n\r\n'));
    answeredCall(t, 'after-junk');
    expect(t.counters().malformed).toBe(2);
    expect(t.calls().map((c) => c.id)).toEqual(['after-junk']);
  });

  it('ties RTP to the call whose SDP announced it, both ways, and counts loss, duplicates, reordering and DTMF', () => {
    const t = new CallTracker();
    answeredCall(t, 'media-1');
    const toCallee = { src: '10.0.0.1', sport: 4000, dst: '10.0.0.2', dport: 5000 };
    const toCaller = { src: '10.0.0.2', sport: 5000, dst: '10.0.0.1', dport: 4000 };
    const order = [0, 1, 2, 4, 3, 3, 6, 7, 8, 9]; // 5 lost, 4 late, 3 twice
    for (const i of order) t.feed(packet(rtp(100 + i, i * 160), toCallee));
    for (let i = 0; i < 10; i++) t.feed(packet(rtp(500 + i, i * 160, { ssrc: 99 }), toCaller));
    for (const [seq, event, end] of [
      [1, 5, false],
      [2, 5, true],
      [3, 5, true],
    ] as const)
      t.feed(packet(rtp(seq, 8000, { pt: 101, ssrc: 7, payload: [event, end ? 0x80 : 0, 0, 160] }), toCallee));
    t.feed(packet(rtp(4, 9600, { pt: 101, ssrc: 7, payload: [11, 0x80, 0, 160] }), toCallee));
    const call = t.call('media-1')!;
    expect(call.rtp).toHaveLength(3);
    const [audio, back, dtmf] = call.rtp;
    expect(audio).toMatchObject({ packets: 10, expected: 10, lost: 0, duplicates: 1, outOfOrder: 1, codec: 'PCMU' });
    expect(back).toMatchObject({ packets: 10, lost: 0, src: '10.0.0.2' });
    expect(dtmf).toMatchObject({ codec: 'telephone-event', dtmf: '5#', mos: null });
    expect(call.codecs).toEqual(['PCMU']);
    expect(t.orphanStreams()).toEqual([]);
  });

  it('lists RTP without SDP apart, once it has shown itself in sequence', () => {
    const t = new CallTracker();
    for (let i = 0; i < 6; i++)
      t.feed(packet(rtp(i, i * 160, { pt: 8 }), { src: '192.0.2.1', sport: 30000, dst: '192.0.2.2', dport: 30002 }));
    t.feed(packet(rtp(0, 0, { pt: 8 }), { src: '192.0.2.9', sport: 30000, dst: '192.0.2.2', dport: 40000 })); // one stray packet
    const orphans = t.orphanStreams();
    expect(orphans).toHaveLength(1);
    expect(orphans[0]).toMatchObject({ callId: null, codec: 'PCMA', packets: 6 });
  });

  it('follows a re-INVITE to hold and a B2BUA leg named by X-CID', () => {
    const t = new CallTracker();
    answeredCall(t, 'leg-a');
    t.feed(packet(request('INVITE', 'leg-a', { cseq: 2, toTag: 'b1', body: sdp(4002, 'a=sendonly\r\n') })));
    t.feed(packet(response(200, 'OK', 'INVITE', 'leg-a', { cseq: 2 })));
    t.feed(packet(request('INVITE', 'leg-b', { extra: 'X-CID: leg-a', body: sdp(6000) }), { src: '10.0.0.2', dst: '10.0.0.3' }));
    expect(t.call('leg-a')).toMatchObject({ state: 'answered', legs: ['leg-b'], onHold: true });
    expect(t.call('leg-b')!.legs).toEqual(['leg-a']);
    // Media to the new (held) port belongs to leg-a.
    for (let i = 0; i < 3; i++) t.feed(packet(rtp(i, i * 160), { src: '10.0.0.2', sport: 5000, dst: '10.0.0.1', dport: 4002 }));
    expect(t.call('leg-a')!.rtp.map((s) => s.dport)).toContain(4002);
  });

  it('keeps REGISTER, OPTIONS and MESSAGE as their own flows, a challenge then success', () => {
    const t = new CallTracker();
    t.feed(packet(request('REGISTER', 'reg-1')));
    t.feed(packet(response(401, 'Unauthorized', 'REGISTER', 'reg-1')));
    t.feed(packet(request('REGISTER', 'reg-1', { cseq: 2 })));
    t.feed(packet(response(200, 'OK', 'REGISTER', 'reg-1', { cseq: 2 })));
    t.feed(packet(request('OPTIONS', 'opt-1')));
    t.feed(packet(request('MESSAGE', 'msg-1')));
    t.feed(packet(response(202, 'Accepted', 'MESSAGE', 'msg-1')));
    t.tick(Date.now() * 1000 + 60_000_000);
    expect(t.calls().map((c) => [c.id, c.kind, c.state, c.code])).toEqual([
      ['reg-1', 'register', 'completed', 200],
      ['opt-1', 'options', 'timed-out', null],
      ['msg-1', 'message', 'completed', 202],
    ]);
  });

  it('counts a retransmitted INVITE once in the state and once as resent', () => {
    const t = new CallTracker();
    const invite = request('INVITE', 'rtx-1', { body: sdp(4000) });
    t.feed(packet(invite));
    t.feed(packet(invite));
    t.feed(packet(response(486, 'Busy Here', 'INVITE', 'rtx-1')));
    expect(t.calls()[0]).toMatchObject({ retransmissions: 1, messageCount: 3, state: 'rejected', code: 486 });
    expect(t.sipFigures()).toMatchObject({ messages: 3, resent: 1, methods: { INVITE: 2 }, codes: { '486': 1 } });
  });

  it('keeps at most maxCalls, pushing out finished calls first, and counts them', () => {
    const t = new CallTracker({ maxCalls: 3 });
    answeredCall(t, 'live');
    for (let i = 0; i < 5; i++) {
      t.feed(packet(request('OPTIONS', `o${i}`)));
      t.feed(packet(response(200, 'OK', 'OPTIONS', `o${i}`)));
    }
    expect(t.calls().map((c) => c.id)).toEqual(['live', 'o3', 'o4']);
    expect(t.counters().evictedCalls).toBe(3);
  });

  it('drops a TCP flow that never ends its headers within the limit, and counts it', () => {
    const t = new CallTracker();
    t.feed(packet(`INVITE sip:x SIP/2.0\r\nX: ${'a'.repeat(20_000)}`, { transport: 'tcp' }));
    expect(t.counters().malformed).toBe(1);
    expect(t.counters().streamBytesDropped).toBeGreaterThan(16_000);
  });
});

describe('CallTracker limits on stray RTP', () => {
  it('keeps at most maxOrphanStreams streams without SDP, oldest out, and the calls keep theirs', () => {
    const t = new CallTracker({ maxOrphanStreams: 3 });
    t.feed(packet(request('INVITE', 'kept', { body: sdp(4000) })));
    for (let i = 0; i < 4; i++) t.feed(packet(rtp(i, i * 160), { dst: '10.0.0.1', dport: 4000, src: '10.0.0.2', sport: 5000 }));
    for (let n = 0; n < 10; n++)
      for (let i = 0; i < 5; i++)
        t.feed(packet(rtp(i, i * 160, { pt: 8, ssrc: n }), { src: '192.0.2.1', sport: 30000 + n * 2, dst: '192.0.2.2', dport: 31000 }));
    expect(t.orphanStreams().map((s) => s.ssrc)).toEqual([7, 8, 9]);
    expect(t.counters().evictedStreams).toBe(7);
    expect(t.call('kept')!.rtp[0]!.packets).toBe(4);
  });
});

describe('CallTracker memory bounds', () => {
  it('keeps the messages and text of all calls under their totals, pushing out the oldest calls', () => {
    const t = new CallTracker({ maxKeptMessages: 10, maxKeptText: 1_000_000 });
    for (let i = 0; i < 5; i++) answeredCall(t, `m${i}`); // four messages each
    expect(t.calls().map((c) => c.id)).toEqual(['m3', 'm4']);
    const small = new CallTracker({ maxKeptText: 3000 });
    for (let i = 0; i < 5; i++) answeredCall(small, `t${i}`);
    const kept = small.calls().map((c) => small.call(c.id)!.messages.reduce((n, m) => n + m.text.length, 0));
    expect(kept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3000);
    expect(small.counters().evictedCalls).toBeGreaterThan(0);
    expect(small.calls().at(-1)!.id).toBe('t4');
  });
});
