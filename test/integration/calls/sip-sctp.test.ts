// Issue 13, SIP over SCTP (RFC 4168) from every source, judged by tshark's -z sip,stat on the same bytes:
// a capture text2pcap wraps in SCTP (-S, one whole DATA chunk per packet), a hand-built one with what text2pcap
// cannot make (a message fragmented over three packets with a SACK bundled in, two messages bundled in one
// packet, IPv6, a packet whose chunk length lies), the same frames replayed live as TZSP, and SIP that a HEP agent
// saw on SCTP. The kernel here has no SCTP sockets (socket(AF_INET, SOCK_SEQPACKET, 132) fails with
// EPROTONOSUPPORT), so `sipp -t s1` cannot run in this container.
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseFiles } from '../../../main/calls/analyse.ts';
import { exportCall } from '../../../main/calls/export-call.ts';
import { CallTracker } from '../../../main/calls/tracker.ts';
import { formatSummary } from '../../../main/captures/cli/tzsp.ts';
import { FileOutput } from '../../../main/captures/file-output.ts';
import { encodeHep3 } from '../../../main/captures/hep/hep-encode.ts';
import { Listener } from '../../../main/captures/listener.ts';
import type { TransportPacket } from '../../../main/captures/transport-packet.ts';
import { buildTzsp } from '../../../main/captures/tzsp.ts';
import { pcapFile } from '../../support/pcap-file.ts';
import { findPeer } from '../../support/peers.ts';
import { dataChunk, flags, sackChunk, sctpPacket } from '../../support/sctp-frames.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { ethernet, ipv4 } from '../captures/frames.ts';
import { freePort, until } from '../captures/sip-lab.ts';
import { sipStat, tsharkBin } from './tshark-stat.ts';

const text2pcap = findPeer('text2pcap', 'apt-get install wireshark-common');
const dir = tempDir('lanyard-sctp-');

interface Step {
  up: boolean;
  first: string;
  cseq: string;
  body?: string;
}

function sip(callId: string, s: Step): Buffer {
  const body = s.body ?? '';
  const to = s.first.startsWith('INVITE') || s.first.startsWith('REGISTER') || s.first.startsWith('OPTIONS') ? '' : ';tag=b';
  return Buffer.from(
    `${s.first}\r\nVia: SIP/2.0/SCTP 10.0.0.1:5060;branch=z9hG4bK-${callId}-${s.cseq.replace(' ', '')}\r\nFrom: <sip:alice@a.example>;tag=a\r\nTo: <sip:bob@b.example>${to}\r\nCall-ID: ${callId}\r\nCSeq: ${s.cseq}\r\n${body ? 'Content-Type: application/sdp\r\n' : ''}Content-Length: ${body.length}\r\n\r\n${body}`,
  );
}

const sdp = (ip: string, port: number, padTo = 0) => {
  const base = `v=0\r\no=- 1 1 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0 8\r\n`;
  let attrs = '';
  for (let i = 0; attrs.length + base.length < padTo; i++) attrs += `a=x-filler-${i}:${'f'.repeat(60)}\r\n`;
  return base + attrs;
};

const answered: Step[] = [
  { up: true, first: 'INVITE sip:bob@b.example SIP/2.0', cseq: '1 INVITE', body: sdp('10.0.0.1', 4000) },
  { up: false, first: 'SIP/2.0 100 Trying', cseq: '1 INVITE' },
  { up: false, first: 'SIP/2.0 180 Ringing', cseq: '1 INVITE' },
  { up: false, first: 'SIP/2.0 200 OK', cseq: '1 INVITE', body: sdp('10.0.0.2', 5000) },
  { up: true, first: 'ACK sip:bob@b.example SIP/2.0', cseq: '1 ACK' },
  { up: true, first: 'BYE sip:bob@b.example SIP/2.0', cseq: '2 BYE' },
  { up: false, first: 'SIP/2.0 200 OK', cseq: '2 BYE' },
];
const busy: Step[] = [
  { up: true, first: 'INVITE sip:bob@b.example SIP/2.0', cseq: '1 INVITE', body: sdp('10.0.0.1', 4002) },
  { up: false, first: 'SIP/2.0 486 Busy Here', cseq: '1 INVITE' },
  { up: true, first: 'ACK sip:bob@b.example SIP/2.0', cseq: '1 ACK' },
];
const register: Step[] = [
  { up: true, first: 'REGISTER sip:b.example SIP/2.0', cseq: '1 REGISTER' },
  { up: false, first: 'SIP/2.0 401 Unauthorized', cseq: '1 REGISTER' },
  { up: true, first: 'REGISTER sip:b.example SIP/2.0', cseq: '2 REGISTER' },
  { up: false, first: 'SIP/2.0 200 OK', cseq: '2 REGISTER' },
];

describe.skipIf(!text2pcap || !tsharkBin)('SIP over SCTP', () => {
  it("a capture text2pcap wraps in SCTP: Lanyard's counts equal tshark's -z sip,stat, calls get their states", async () => {
    // text2pcap's hex dump: "I"/"O" before each packet gives its direction (-D), offsets restart per packet.
    const lines: string[] = [];
    for (const [callId, steps] of [
      ['answered@sctp', answered],
      ['busy@sctp', busy],
      ['register@sctp', register],
    ] as const) {
      for (const step of steps) {
        const m = sip(callId, step);
        lines.push(step.up ? 'O' : 'I');
        for (let i = 0; i < m.length; i += 16)
          lines.push(
            `${i.toString(16).padStart(6, '0')} ${[...m.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`,
          );
      }
    }
    const hexdump = path.join(dir, 'sctp.txt');
    const file = path.join(dir, 'text2pcap-sctp.pcap');
    writeFileSync(hexdump, `${lines.join('\n')}\n`);
    execFileSync(text2pcap!, ['-q', '-D', '-4', '10.0.0.1,10.0.0.2', '-S', '5060,5060,0', hexdump, file], { stdio: 'ignore' });

    const judge = sipStat(file);
    expect(judge.messages).toBe(14);
    const tracker = await analyseFiles([file]);
    const ours = tracker.sipFigures();
    expect(ours.messages).toBe(judge.messages);
    expect(ours.methods).toEqual(judge.methods);
    expect(ours.codes).toEqual(judge.codes);
    expect(tracker.counters().malformed).toBe(0);
    const states = Object.fromEntries(tracker.calls().map((c) => [c.id, c.state]));
    expect(states).toMatchObject({ 'answered@sctp': 'completed', 'busy@sctp': 'rejected' });
    expect(new Set(tracker.call('answered@sctp')!.messages.map((m) => m.transport))).toEqual(new Set(['sctp']));
  });

  // What text2pcap cannot make, built by hand: the INVITE (a 4 KB SDP) in three DATA chunks over three packets,
  // a SACK bundled before the middle one; 100 and 180 bundled in one packet, ACK and BYE in another; the
  // registration over IPv6; live, also a packet whose DATA chunk says it is longer than the packet.
  const frames: Buffer[] = [];
  const v4 = (up: boolean, chunks: Buffer[]) =>
    ethernet(0x0800, ipv4(132, up ? '10.0.0.1' : '10.0.0.2', up ? '10.0.0.2' : '10.0.0.1', sctpPacket(5060, 5060, chunks)));
  const invite = sip('fragmented@sctp', { ...answered[0]!, body: sdp('10.0.0.1', 4000, 4000) });
  const third = Math.ceil(invite.length / 3);
  frames.push(v4(true, [dataChunk(1, flags.begin, invite.subarray(0, third))]));
  frames.push(v4(true, [sackChunk(500), dataChunk(2, 0, invite.subarray(third, 2 * third))]));
  frames.push(v4(true, [dataChunk(3, flags.end, invite.subarray(2 * third))]));
  frames.push(
    v4(false, [
      dataChunk(501, flags.whole, sip('fragmented@sctp', answered[1]!)),
      dataChunk(502, flags.whole, sip('fragmented@sctp', answered[2]!)),
    ]),
  );
  frames.push(v4(false, [sackChunk(3), dataChunk(503, flags.whole, sip('fragmented@sctp', answered[3]!))]));
  frames.push(
    v4(true, [
      dataChunk(4, flags.whole, sip('fragmented@sctp', answered[4]!)),
      dataChunk(5, flags.whole, sip('fragmented@sctp', answered[5]!)),
    ]),
  );
  frames.push(v4(false, [dataChunk(504, flags.whole, sip('fragmented@sctp', answered[6]!))]));
  const v6 = (up: boolean, packet: Buffer) => {
    const h = Buffer.alloc(40);
    h[0] = 0x60;
    h.writeUInt16BE(packet.length, 4);
    h[6] = 132;
    h[7] = 64;
    Buffer.from(`20010db8000000000000000000000${up ? '001' : '002'}`, 'hex').copy(h, 8);
    Buffer.from(`20010db8000000000000000000000${up ? '002' : '001'}`, 'hex').copy(h, 24);
    return ethernet(0x86dd, Buffer.concat([h, packet]));
  };
  register.forEach((step, i) => {
    frames.push(v6(step.up, sctpPacket(5060, 5060, [dataChunk(900 + i, flags.whole, sip('register6@sctp', step))])));
  });
  // Not in the file tshark judges: it dissects a chunk that lies as far as its bytes go, Lanyard drops the packet.
  const lying = v4(true, [dataChunk(6, flags.whole, sip('lost@sctp', busy[0]!))]);
  lying.writeUInt16BE(0xfff0, 14 + 20 + 12 + 2); // the DATA chunk's length, past the packet's end
  const handBuilt = path.join(dir, 'hand-built-sctp.pcap');
  writeFileSync(handBuilt, pcapFile(frames, 1));

  it('fragments rebuilt, bundles split, IPv6 read: the counts equal tshark’s', async () => {
    const judge = sipStat(handBuilt);
    expect(judge.messages).toBe(11);
    const tracker = await analyseFiles([handBuilt]);
    expect(tracker.sipFigures()).toMatchObject({ messages: judge.messages, methods: judge.methods, codes: judge.codes });
    const call = tracker.call('fragmented@sctp')!;
    expect(call.state).toBe('completed');
    expect(call.messages[0]!.text).toBe(invite.toString('latin1')); // the whole INVITE, its 4 KB SDP included
    expect(tracker.call('register6@sctp')?.messages).toHaveLength(4);
  });

  it('exports the fragmented call with every piece: Wireshark reassembles the INVITE from the export', async () => {
    const out = path.join(dir, 'fragmented-export.pcapng');
    const result = await exportCall([handBuilt], 'fragmented@sctp', out);
    // Three packets carry the INVITE, the 100+180 and ACK+BYE bundles are one frame each.
    expect(result).toMatchObject({ packets: 7, sip: 7 });
    expect(sipStat(out)).toEqual({
      messages: 7,
      resent: 0,
      methods: { INVITE: 1, ACK: 1, BYE: 1 },
      codes: { '100': 1, '180': 1, '200': 2 },
    });
  });

  it('the same frames live as TZSP: the tap hands Calls the same SCTP messages, malformed counted', async () => {
    const listener = await Listener.start({ port: 0, bind: '127.0.0.1', allow: [], tzsp: true });
    const tracker = new CallTracker();
    const seen: TransportPacket[] = [];
    listener.tap.add((p) => {
      seen.push({ ...p, payload: Buffer.from(p.payload) });
      tracker.feed(p);
    });
    const socket = dgram.createSocket('udp4');
    for (const f of [...frames, lying])
      await new Promise<void>((r) =>
        socket.send(buildTzsp(f, { encapsulation: 1 }), listener.receiver.address!.port, '127.0.0.1', () => r()),
      );
    socket.close();
    const judge = sipStat(handBuilt);
    await until(() => seen.length === judge.messages, `${judge.messages} SCTP messages at the tap`);
    expect(seen.every((p) => p.transport === 'sctp')).toBe(true);
    expect(tracker.sipFigures()).toMatchObject({ messages: judge.messages, methods: judge.methods, codes: judge.codes });
    await until(() => listener.status().tap.sctp.packets === frames.length + 1, 'the lying packet too');
    expect(listener.status().tap.sctp).toMatchObject({ messages: judge.messages, malformed: 1, fragmentsDropped: 0 });
    expect(formatSummary(listener.status())).toContain(
      `SCTP (for Calls): ${judge.messages} messages from ${frames.length + 1} packets · 1 malformed · 0 past the chunk cap · 0 fragments dropped`,
    );
    await listener.stop();
  });

  it('SIP a HEP agent saw on SCTP (IP protocol 132): Calls gets it as SCTP, the pcapng holds SCTP tshark reads', async () => {
    const hepPort = await freePort();
    const listener = await Listener.start({
      port: 0,
      bind: '127.0.0.1',
      allow: [],
      tzsp: false,
      hep: { port: hepPort, bind: '127.0.0.1' },
    });
    const written = path.join(dir, 'hep-sctp.pcapng');
    listener.addOutput('file', new FileOutput({ path: written }));
    const seen: TransportPacket[] = [];
    listener.tap.add((p) => seen.push({ ...p, payload: Buffer.from(p.payload) }));
    const socket = dgram.createSocket('udp4');
    for (const [i, step] of busy.entries()) {
      const hep = encodeHep3({
        protocol: 132,
        src: step.up ? '10.0.0.1' : '10.0.0.2',
        dst: step.up ? '10.0.0.2' : '10.0.0.1',
        sport: 5060,
        dport: 5060,
        timestampUs: 1_700_000_000_000_000 + i * 1000,
        payloadType: 1,
        captureId: 9,
        payload: sip('hep@sctp', step),
      })!;
      await new Promise<void>((r) => socket.send(hep, hepPort, '127.0.0.1', () => r()));
    }
    socket.close();
    await until(() => seen.length === 3, 'three HEP messages at the tap');
    await listener.stop();
    expect(seen.map((p) => p.transport)).toEqual(['sctp', 'sctp', 'sctp']);
    const judge = sipStat(written);
    expect(judge).toMatchObject({ messages: 3, methods: { INVITE: 1, ACK: 1 }, codes: { '486': 1 } });
    const protocols = execFileSync(tsharkBin!, ['-r', written, '-T', 'fields', '-e', 'frame.protocols'], { encoding: 'utf8' });
    expect(protocols.trim().split('\n')).toEqual([
      'eth:ethertype:ip:sctp:sip:sdp',
      'eth:ethertype:ip:sctp:sip',
      'eth:ethertype:ip:sctp:sip',
    ]);
  });
});
