// The parsers of outside bytes in Calls, each on known input and then fuzzed (shared seed and budget): SIP head,
// SDP, RTP header, RTCP, the TCP/WebSocket framer and the whole tracker. Each returns (or refuses) in linear
// time and never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mos, rFactor } from '../../../main/calls/mos.ts';
import { parseRtcp } from '../../../main/system/rtcp.ts';
import { readRtpHeader, type RtpHeader } from '../../../main/calls/rtp-stream.ts';
import { parseSdp } from '../../../main/calls/sdp.ts';
import { headerEnd, parseSipHead } from '../../../main/calls/sip-message.ts';
import { CallTracker } from '../../../main/calls/tracker.ts';
import { bytes, cpuMs, fuzz, mutated } from '../../support/fuzz.ts';
import { packet, request, response, rtp, sdp, wsFrame } from './sip-samples.ts';

const header = (): RtpHeader => ({ payloadType: 0, marker: false, seq: 0, timestamp: 0, ssrc: 0, payloadAt: 0, payloadEnd: 0 });

function sr(ssrc: number, blocks: { ssrc: number; lost: number; jitter: number }[]): Buffer {
  const b = Buffer.alloc(28 + blocks.length * 24);
  b[0] = 0x80 | blocks.length;
  b[1] = 200;
  b.writeUInt16BE(b.length / 4 - 1, 2);
  b.writeUInt32BE(ssrc, 4);
  b.writeUInt32BE(0x00001234, 8);
  b.writeUInt32BE(0x56780000, 12);
  blocks.forEach((x, i) => {
    const at = 28 + i * 24;
    b.writeUInt32BE(x.ssrc, at);
    b[at + 4] = 64;
    b.writeIntBE(x.lost, at + 5, 3);
    b.writeUInt32BE(x.jitter, at + 12);
  });
  return b;
}

describe('SIP head', () => {
  it('reads the start line and the headers the tracker needs, folded lines and all', () => {
    const text = request('INVITE', 'abc@x', { extra: 'X-Call-ID: other@y\r\nSubject: a\r\n  folded' });
    const head = parseSipHead(text.slice(0, text.indexOf('\r\n\r\n')))!;
    expect(head).toMatchObject({
      method: 'INVITE',
      callId: 'abc@x',
      from: 'sip:alice@a.example',
      fromTag: 'a1',
      cseq: 1,
      cseqMethod: 'INVITE',
      correlation: 'other@y',
    });
    expect(head.branch).toBe('z9hG4bK-INVITE-1');
    const r = response(183, 'Session Progress', 'INVITE', 'abc@x');
    expect(parseSipHead(r.slice(0, r.indexOf('\r\n\r\n')))).toMatchObject({
      method: null,
      code: 183,
      reason: 'Session Progress',
      toTag: 'b1',
    });
  });

  it('refuses what is not SIP', () => {
    for (const text of [
      'HTTP/1.1 200 OK\r\nCall-ID: x',
      'SIP/2.0 99 Low\r\nCall-ID: x\r\nCSeq: 1 A',
      'invite sip:x SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 INVITE',
      '',
    ])
      expect(parseSipHead(text)).toBeNull();
  });

  it('fuzzed: never throws, linear in the input', () => {
    const valid = Buffer.from(request('INVITE', 'fuzz@x', { body: sdp(4000) }), 'latin1');
    fuzz(
      fc.property(fc.oneof(bytes(), mutated(valid)), (b) => {
        const end = headerEnd(b, 0, b.length);
        parseSipHead(b.toString('latin1', 0, end < 0 ? b.length : end));
      }),
    );
    const small = Buffer.from(`INVITE sip:x SIP/2.0\r\n${'Via: a;b;c;d\r\n'.repeat(500)}`);
    const big = Buffer.from(`INVITE sip:x SIP/2.0\r\n${'Via: a;b;c;d\r\n'.repeat(5000)}`);
    // The least of several runs each, after a warm-up: one run of the small head lasts a fraction of a millisecond,
    // where a GC or the JIT's next tier alone would decide the ratio. Linear gives ~10, quadratic ~100.
    const least = (head: Buffer) => {
      parseSipHead(head.toString('latin1'));
      return cpuMs(() => parseSipHead(head.toString('latin1')), 7);
    };
    const ratio = least(big) / Math.max(0.05, least(small));
    expect(ratio).toBeLessThan(30);
  });
});

describe('SDP', () => {
  it('reads media, codecs, RTCP port and hold', () => {
    const s = parseSdp(sdp(4000, 'a=rtcp:4005\r\n'))!;
    expect(s.media[0]).toMatchObject({
      kind: 'audio',
      address: '10.0.0.1',
      port: 4000,
      rtcpPort: 4005,
      payloadTypes: [0, 101],
      direction: 'sendrecv',
    });
    expect(s.media[0]!.codecs.get(101)).toEqual({ name: 'telephone-event', clockRate: 8000 });
    expect(s.hold).toBe(false);
    expect(parseSdp(sdp(4000, 'a=sendonly\r\n'))!.hold).toBe(true);
    expect(parseSdp(sdp(4000, '', '0.0.0.0'))!.hold).toBe(true);
    expect(parseSdp('not sdp')).toBeNull();
    // IPv6 as the packet addresses are written (RFC 5952), whatever the SDP's spelling.
    expect(parseSdp('v=0\r\nc=IN IP6 2001:DB8:0:0:0:0:0:1\r\nm=audio 4000 RTP/AVP 0\r\n')!.media[0]!.address).toBe('2001:db8::1');
  });

  it('fuzzed: never throws', () => {
    const valid = Buffer.from(sdp(4000, 'a=rtcp-mux\r\nm=video 5000 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=inactive\r\n'));
    fuzz(fc.property(fc.oneof(bytes(), mutated(valid)), (b) => void parseSdp(b.toString('latin1'))));
  });
});

describe('RTP and RTCP', () => {
  it('reads the RTP header with CSRCs, extension and padding', () => {
    const b = Buffer.concat([rtp(7, 160, { pt: 8, marker: true }), Buffer.from([0, 0, 0, 2])]);
    b[0] = 0xa0; // the padding bit: the last byte counts the padding (2)
    const h = header();
    expect(readRtpHeader(b, h)).toBe(true);
    expect(h).toMatchObject({ payloadType: 8, marker: true, seq: 7, timestamp: 160, payloadAt: 12, payloadEnd: b.length - 2 });
    expect(readRtpHeader(Buffer.from([0x80, 200, 0, 1]), h)).toBe(false);
  });

  it('reads SR report blocks, 24-bit signed cumulative loss included', () => {
    const reports = parseRtcp(sr(1, [{ ssrc: 2, lost: -3, jitter: 80 }]))!.reports;
    expect(reports[0]).toMatchObject({ type: 'sr', ssrc: 1, ntpMiddle: 0x12345678 });
    expect(reports[0]!.blocks[0]).toMatchObject({ ssrc: 2, fractionLost: 0.25, cumulativeLost: -3, jitter: 80 });
    expect(parseRtcp(sr(1, [{ ssrc: 2, lost: 0, jitter: 0 }]).subarray(0, 40))).toBeNull();
  });

  it('puts RTCP figures on the stream they are about', () => {
    const t = new CallTracker();
    t.feed(packet(request('INVITE', 'rtcp-1', { body: sdp(4000) })));
    t.feed(packet(response(200, 'OK', 'INVITE', 'rtcp-1', { body: sdp(5000, '', '10.0.0.2') })));
    for (let i = 0; i < 3; i++)
      t.feed(packet(rtp(i, i * 160, { ssrc: 0xaa }), { src: '10.0.0.1', sport: 4000, dst: '10.0.0.2', dport: 5000 }));
    t.feed(packet(sr(0xbb, [{ ssrc: 0xaa, lost: 2, jitter: 16 }]), { src: '10.0.0.2', sport: 5001, dst: '10.0.0.1', dport: 4001 }));
    const s = t.call('rtcp-1')!.rtp[0]!;
    expect(s.rtcp).toMatchObject({ cumulativeLost: 2, fractionLost: 0.25, jitterMs: 2 });
    expect(t.counters().rtcpPackets).toBe(1);
  });

  it('fuzzed: RTP and RTCP parsers and the whole tracker never throw', () => {
    const h = header();
    const validRtcp = sr(1, [{ ssrc: 2, lost: 5, jitter: 9 }]);
    fuzz(
      fc.property(fc.oneof(bytes(512), mutated(rtp(1, 1)), mutated(validRtcp)), (b) => {
        readRtpHeader(b, h);
        parseRtcp(b);
      }),
    );
    const sip = Buffer.from(request('INVITE', 'f@x', { body: sdp(4000) }), 'latin1');
    const t = new CallTracker({ maxCalls: 50, maxStreams: 50 });
    t.feed(packet(sip));
    fuzz(
      fc.property(
        fc.oneof(bytes(), mutated(sip), mutated(wsFrame(sip)), mutated(rtp(3, 480))),
        fc.constantFrom('udp', 'tcp'),
        (b, transport) => {
          t.feed(packet(b, { transport: transport as 'udp' | 'tcp', dst: '10.0.0.1', dport: 4000 }));
        },
      ),
    );
    expect(t.counters().packets).toBeGreaterThan(1);
  });
});

describe('MOS', () => {
  it('falls with loss and jitter, and with a worse codec', () => {
    expect(mos('PCMU', 0, 1)).toBeGreaterThan(4.3);
    expect(mos('PCMU', 5, 1)).toBeLessThan(mos('PCMU', 1, 1));
    expect(mos('PCMU', 0, 80)).toBeLessThan(mos('PCMU', 0, 1));
    expect(mos('G729', 0, 1)).toBeLessThan(mos('PCMA', 0, 1));
    expect(rFactor('PCMA', 100, 500)).toBeLessThan(0);
    expect(mos('PCMA', 100, 500)).toBe(1);
  });
});
