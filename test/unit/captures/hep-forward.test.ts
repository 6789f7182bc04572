// The parts of HEP forwarding that read outside input: the SDP scan that correlates RTCP to a call, the RTCP →
// JSON report, and the per-agent table, each with its bound; fuzzed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HepAgents } from '../../../main/captures/hep/hep-agents.ts';
import type { HepMessage } from '../../../main/captures/hep/hep-parse.ts';
import { MediaCorrelation } from '../../../main/captures/hep/media-correlation.ts';
import { rtcpJson } from '../../../main/captures/hep/rtcp-json.ts';
import { bytes, cpuMs, fuzz, mutated } from '../../support/fuzz.ts';

const invite = (callId: string, media: string) =>
  Buffer.from(
    `INVITE sip:b@y SIP/2.0\r\ni: ${callId}\r\nContent-Type: application/sdp\r\n\r\nv=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n${media}`,
  );

describe('RTCP correlation from SDP', () => {
  it('maps each medium’s RTCP port (RTP + 1, or a=rtcp:) at its own or the session address to the Call-ID', () => {
    const c = new MediaCorrelation();
    c.learn(invite('a@x', 'm=audio 4000 RTP/AVP 0\r\nm=video 4100 RTP/AVP 96\r\nc=IN IP4 10.0.0.9\r\na=rtcp:4200\r\n'));
    expect(c.callId('10.0.0.1', 4001, '10.5.5.5', 9)).toBe('a@x');
    expect(c.callId('10.5.5.5', 9, '10.0.0.9', 4200)).toBe('a@x');
    expect(c.callId('10.0.0.9', 4101, '10.5.5.5', 9)).toBeNull();
    expect(c.callId('10.0.0.1', 4000, '10.5.5.5', 9)).toBeNull(); // the RTP port is not RTCP's
    c.learn(invite('mux@x', 'm=audio 6000 RTP/AVP 0\r\na=rtcp-mux\r\n'));
    expect(c.callId('10.5.5.5', 9, '10.0.0.1', 6000)).toBe('mux@x'); // RTCP multiplexed on the RTP port
  });

  it('learns nothing without a Call-ID, from a header-only message, or from port 0 (a declined stream)', () => {
    const c = new MediaCorrelation();
    c.learn(Buffer.from('OPTIONS sip:x SIP/2.0\r\nCall-ID: o@x\r\n\r\n'));
    c.learn(invite('d@x', 'm=audio 0 RTP/AVP 0\r\n'));
    c.learn(Buffer.from('INVITE sip:b@y SIP/2.0\r\n\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\n'));
    expect(c.callId('10.0.0.1', 1, '10.0.0.1', 4001)).toBeNull();
  });

  it('holds at most 8192 endpoints, the least recently learned evicted', () => {
    const c = new MediaCorrelation();
    for (let i = 0; i < 8200; i++) c.learn(invite(`c${i}`, `m=audio ${2000 + i * 2} RTP/AVP 0\r\n`));
    expect(c.evicted).toBe(8);
    expect(c.callId('10.0.0.1', 2001, 'x', 0)).toBeNull();
    expect(c.callId('10.0.0.1', 2000 + 8199 * 2 + 1, 'x', 0)).toBe('c8199');
  });

  it('fuzzed: never throws; a 64 KiB body of short lines scans in linear time', () => {
    const c = new MediaCorrelation();
    fuzz(fc.property(fc.oneof(bytes(800), mutated(invite('f@x', 'm=audio 4000 RTP/AVP 0\r\na=rtcp:5\r\n'))), (b) => c.learn(b)));
    const lines = invite('big@x', 'm=audio 1 RTP/AVP 0\r\n'.repeat(3000));
    expect(cpuMs(() => c.learn(lines))).toBeLessThan(100);
  });
});

describe('RTCP as the JSON report', () => {
  const rr = Buffer.from([0x81, 201, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0x80, 0xff, 0xff, 0xff, 0, 1, 0, 5, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]);
  it('an RR: zero sender info, the fraction and cumulative loss as their raw fields', () => {
    expect(JSON.parse(rtcpJson(rr)!)).toMatchObject({
      sender_information: { packets: 0, octets: 0 },
      ssrc: 1,
      type: 201,
      report_count: 1,
      report_blocks: [{ source_ssrc: 2, fraction_lost: 128, packets_lost: 0xffffff, highest_seq_no: 65541, ia_jitter: 9 }],
      sdes_ssrc: 0,
    });
    expect(rtcpJson(Buffer.from([0x80, 202, 0, 1, 0, 0, 0, 1]))).toBeNull(); // a compound must start with SR or RR
  });

  it('fuzzed: never throws, and what it writes is JSON', () => {
    fuzz(
      fc.property(fc.oneof(bytes(300), mutated(rr)), (b) => {
        const json = rtcpJson(b);
        if (json !== null) expect(typeof JSON.parse(json).ssrc).toBe('number');
      }),
    );
  });
});

describe('HEP agents', () => {
  const message = (captureId: number, nodeName: string | null = null) => ({ version: 3, captureId, nodeName }) as HepMessage;
  it('one row per capture id, node name and address; accepted and refused counted apart; newest first', () => {
    const agents = new HepAgents();
    expect(agents.count(message(2001, 'edge'), '10.0.0.1', true, 1)).toBe('hep 2001/edge@10.0.0.1');
    agents.count(message(2001, 'edge'), '10.0.0.1', false, 2);
    agents.count(message(7), '10.0.0.2', true, 3);
    expect(agents.list(10)).toEqual([
      expect.objectContaining({ id: 'hep 7@10.0.0.2', captureId: 7, nodeName: null, messages: 1, authFailed: 0 }),
      expect.objectContaining({ id: 'hep 2001/edge@10.0.0.1', messages: 1, authFailed: 1, firstSeen: 1, lastSeen: 2 }),
    ]);
  });

  it('holds at most 1024 agents (any host can claim any id), the least recently seen evicted', () => {
    const agents = new HepAgents();
    for (let i = 0; i < 1030; i++) agents.count(message(i), '10.0.0.1', true);
    expect(agents.size).toBe(1024);
    expect(agents.evicted).toBe(6);
    expect(agents.list(1)[0]!.captureId).toBe(1029);
  });
});
