// Issue 13, --hep-forward beyond SIP: sensors' RTCP forwarded as HEP payload type 5 (heplify's JSON report),
// correlated to its call by the SDP seen, and the auth key (chunk 14) sent on every message. The judges: a real
// Lanyard HEP receiver on loopback with a password; tshark, reading the same RTCP from the forwarder's own pcapng,
// must agree with every figure of the JSON; and Kamailio's sipcapture (the HOMER 5 capture server's HEP parser),
// which logs the type, correlation id, auth key and, through its jansson module, the JSON's fields.
import dgram from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListenSettings } from '../../../main/captures/contract.ts';
import { FileOutput } from '../../../main/captures/file-output.ts';
import type { HepMessage } from '../../../main/captures/hep/hep-parse.ts';
import { HepReceiver } from '../../../main/captures/hep/hep-receiver.ts';
import { Listener } from '../../../main/captures/listener.ts';
import { buildTzsp } from '../../../main/captures/tzsp.ts';
import { dataChunk, flags, sctpPacket } from '../../support/sctp-frames.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { ethernet, ipv4, udp } from './frames.ts';
import { freePort, kamailio, Processes, udpBound, until } from './sip-lab.ts';
import { tshark } from './tshark.ts';

const dir = tempDir();
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** A real Lanyard HEP receiver with a password, keeping every message it accepts (payload copied). */
async function judge(password: string) {
  const seen: HepMessage[] = [];
  const receiver = new HepReceiver({ port: await freePort(), bind: '127.0.0.1', password }, (m) =>
    seen.push({ ...m, payload: Buffer.from(m.payload) }),
  );
  const address = await receiver.start();
  stops.push(() => receiver.stop());
  return { receiver, seen, target: `127.0.0.1:${address.port}` };
}

async function forwarder(settings: Partial<ListenSettings>) {
  const listener = await Listener.start({ port: 0, bind: '127.0.0.1', allow: [], tzsp: true, ...settings });
  stops.push(() => listener.stop());
  return listener;
}

async function sendTzsp(port: number, frames: Buffer[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  for (const f of frames)
    await new Promise<void>((resolve, reject) =>
      socket.send(buildTzsp(f, { encapsulation: 1 }), port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
    );
  socket.close();
}

const frame = (src: string, sport: number, dst: string, dport: number, payload: Buffer) =>
  ethernet(0x0800, ipv4(17, src, dst, udp(sport, dport, payload)));

const sdp = (ip: string, port: number) =>
  `v=0\r\no=- 1 1 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n`;
const sip = (firstLine: string, callId: string, body: string) =>
  Buffer.from(
    `${firstLine}\r\nVia: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bK-1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\ni: ${callId}\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );

/** An SR (sender info, one report block) followed by an SDES CNAME chunk, as RFC 3550 compounds go. */
function senderReport(ssrc: number, about: number): Buffer {
  const sr = Buffer.alloc(52);
  sr[0] = 0x81;
  sr[1] = 200;
  sr.writeUInt16BE(52 / 4 - 1, 2);
  sr.writeUInt32BE(ssrc, 4);
  sr.writeUInt32BE(0xe8a1b2c3, 8); // NTP seconds
  sr.writeUInt32BE(0x40000000, 12); // NTP fraction
  sr.writeUInt32BE(160_000, 16); // RTP timestamp
  sr.writeUInt32BE(1000, 20); // packets
  sr.writeUInt32BE(160_000, 24); // octets
  sr.writeUInt32BE(about, 28);
  sr[32] = 13; // fraction lost
  sr.writeIntBE(7, 33, 3); // cumulative lost
  sr.writeUInt32BE(0x10203, 36); // extended highest sequence
  sr.writeUInt32BE(42, 40); // jitter
  sr.writeUInt32BE(0x11112222, 44); // LSR
  sr.writeUInt32BE(0x3333, 48); // DLSR
  const cname = Buffer.from('alice@10.1.1.1');
  const sdes = Buffer.alloc(4 + 4 + Math.ceil((2 + cname.length + 1) / 4) * 4);
  sdes[0] = 0x81;
  sdes[1] = 202;
  sdes.writeUInt16BE(sdes.length / 4 - 1, 2);
  sdes.writeUInt32BE(ssrc, 4);
  sdes[8] = 1;
  sdes[9] = cname.length;
  cname.copy(sdes, 10);
  return Buffer.concat([sr, sdes]);
}

/** An RR with no report block (a receiver that has heard nothing yet). */
function emptyReceiverReport(ssrc: number): Buffer {
  const rr = Buffer.alloc(8);
  rr[0] = 0x80;
  rr[1] = 201;
  rr.writeUInt16BE(1, 2);
  rr.writeUInt32BE(ssrc, 4);
  return rr;
}

const rtp = Buffer.concat([Buffer.from([0x80, 8, 0, 1, 0, 0, 0, 160, 0, 0, 0, 0xaa]), Buffer.alloc(160, 0xd5)]);

describe('--hep-forward: RTCP and the auth key', () => {
  it('sends RTCP as type 5 JSON with the Call-ID as correlation id, SIP as type 1, all with the key; RTP is not sent', async () => {
    const homer = await judge('s3cret');
    const listener = await forwarder({ hepForward: homer.target, hepForwardKey: 's3cret' });
    const written = path.join(dir, 'sensor.pcapng');
    listener.addOutput('file', new FileOutput({ path: written }));
    await sendTzsp(listener.receiver.address!.port, [
      frame('10.1.1.1', 5060, '10.2.2.2', 5060, sip('INVITE sip:b@y SIP/2.0', 'call-rtcp@x', sdp('10.1.1.1', 4000))),
      frame('10.2.2.2', 5060, '10.1.1.1', 5060, sip('SIP/2.0 200 OK', 'call-rtcp@x', sdp('10.2.2.2', 5000))),
      frame('10.1.1.1', 4000, '10.2.2.2', 5000, rtp),
      frame('10.1.1.1', 4001, '10.2.2.2', 5001, senderReport(0xaa, 0xbb)),
      frame('10.2.2.2', 5001, '10.1.1.1', 4001, emptyReceiverReport(0xbb)),
      frame('10.9.9.9', 7001, '10.8.8.8', 7001, emptyReceiverReport(0xcc)), // no SDP named it: no correlation id
    ]);
    await until(() => homer.seen.length === 5, 'five forwarded messages');
    await new Promise((r) => setTimeout(r, 200)); // and no sixth: the RTP packet is not forwarded
    expect(homer.seen.map((m) => m.payloadType)).toEqual([1, 1, 5, 5, 5]);
    expect(homer.seen.every((m) => m.authKey === 's3cret')).toBe(true);
    expect(homer.seen.map((m) => m.correlationId)).toEqual([null, null, 'call-rtcp@x', 'call-rtcp@x', null]);
    expect(homer.seen.slice(2).map((m) => [m.src, m.sport, m.dst, m.dport, m.protocol])).toEqual([
      ['10.1.1.1', 4001, '10.2.2.2', 5001, 17],
      ['10.2.2.2', 5001, '10.1.1.1', 4001, 17],
      ['10.9.9.9', 7001, '10.8.8.8', 7001, 17],
    ]);
    const sr = JSON.parse(homer.seen[2]!.payload.toString());
    expect(sr).toEqual({
      sender_information: {
        ntp_timestamp_sec: 0xe8a1b2c3,
        ntp_timestamp_usec: 0x40000000,
        rtp_timestamp: 160_000,
        packets: 1000,
        octets: 160_000,
      },
      ssrc: 0xaa,
      type: 200,
      report_count: 1,
      report_blocks: [
        { source_ssrc: 0xbb, fraction_lost: 13, packets_lost: 7, highest_seq_no: 0x10203, ia_jitter: 42, lsr: 0x11112222, dlsr: 0x3333 },
      ],
      report_blocks_xr: expect.objectContaining({ type: 0 }),
      sdes_ssrc: 0xaa,
    });
    expect(JSON.parse(homer.seen[3]!.payload.toString())).toMatchObject({ ssrc: 0xbb, type: 201, report_count: 0, report_blocks: [] });
    expect(listener.status().forward).toMatchObject({ sent: 5, rtcp: 3, backlog: 0, failed: 0 });
    expect(listener.status().settings?.hepForwardKey).toBe('‹set›');
    expect(homer.receiver.totals).toMatchObject({ messages: 5, authFailed: 0 });

    if (!tshark) return; // the peer's reading of the same RTCP (skipped loudly by findPeer)
    await listener.stop();
    const fields = ['rtcp.senderssrc', 'rtcp.timestamp.ntp.msw', 'rtcp.timestamp.ntp.lsw', 'rtcp.timestamp.rtp'];
    const more = ['rtcp.sender.packetcount', 'rtcp.sender.octetcount', 'rtcp.ssrc.identifier', 'rtcp.ssrc.fraction'];
    const blocks = [
      'rtcp.ssrc.cum_nr',
      'rtcp.ssrc.high_cycles',
      'rtcp.ssrc.high_seq',
      'rtcp.ssrc.jitter',
      'rtcp.ssrc.lsr',
      'rtcp.ssrc.dlsr',
    ];
    const out = execFileSync(
      tshark,
      [
        '-r',
        written,
        '-d',
        'udp.port==4001,rtcp',
        '-Y',
        'rtcp.pt==200',
        '-T',
        'fields',
        ...[...fields, ...more, ...blocks].flatMap((f) => ['-e', f]),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const b = sr.report_blocks[0];
    const s = sr.sender_information;
    // rtcp.ssrc.identifier lists the report block's source, then the SDES chunk's.
    expect(out.trim().split(/[\t,]/).map(Number)).toEqual([
      sr.ssrc,
      s.ntp_timestamp_sec,
      s.ntp_timestamp_usec,
      s.rtp_timestamp,
      s.packets,
      s.octets,
      b.source_ssrc,
      sr.sdes_ssrc,
      b.fraction_lost,
      b.packets_lost,
      Math.floor(b.highest_seq_no / 65536), // tshark splits the extended sequence into cycles and sequence
      b.highest_seq_no % 65536,
      b.ia_jitter,
      b.lsr,
      b.dlsr,
    ]);
  });

  it('sends SIP a sensor saw over SCTP as IP protocol 132', async () => {
    const homer = await judge('s3cret');
    const listener = await forwarder({ hepForward: homer.target, hepForwardKey: 's3cret' });
    const options = Buffer.from('OPTIONS sip:b@y SIP/2.0\r\nCall-ID: sctp@x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n');
    const sctp = sctpPacket(5060, 5061, [dataChunk(1, flags.whole, options)]);
    await sendTzsp(listener.receiver.address!.port, [ethernet(0x0800, ipv4(132, '10.1.1.1', '10.2.2.2', sctp))]);
    await until(() => homer.seen.length === 1, 'the forwarded message');
    expect(homer.seen[0]).toMatchObject({ protocol: 132, payloadType: 1, sport: 5060, dport: 5061, authKey: 's3cret' });
    expect(homer.seen[0]!.payload.equals(options)).toBe(true);
  });

  it('a receiver with another password counts every message as an auth failure and keeps none', async () => {
    const homer = await judge('s3cret');
    const listener = await forwarder({ hepForward: homer.target, hepForwardKey: 'wrong' });
    const unkeyed = await forwarder({ hepForward: homer.target });
    const invite = frame('10.1.1.1', 5060, '10.2.2.2', 5060, sip('INVITE sip:b@y SIP/2.0', 'k@x', sdp('10.1.1.1', 4000)));
    await sendTzsp(listener.receiver.address!.port, [invite, invite]);
    await sendTzsp(unkeyed.receiver.address!.port, [invite]);
    await until(() => homer.receiver.totals.received === 3, 'three messages at the receiver');
    expect(homer.receiver.totals).toMatchObject({ received: 3, messages: 0, authFailed: 3 });
    expect(homer.seen).toEqual([]);
  });
});

/** Kamailio 5.6 with sipcapture taking HEP, every message (SIP or not: nonsip_hook) logged by its event route. */
function sipcaptureConfig(port: number): string {
  const json = (path: string, name: string) => `jansson_get("${path}", "$hep(0x00f)", "$var(${name})");`;
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=1
listen=udp:127.0.0.1:${port}
disable_tcp=yes
auto_aliases=no
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "pv.so"
loadmodule "xlog.so"
loadmodule "jansson.so"
loadmodule "db_text.so"
loadmodule "sipcapture.so"
modparam("sipcapture", "db_url", "text://${dir}")
modparam("sipcapture", "capture_on", 1)
modparam("sipcapture", "hep_capture_on", 1)
modparam("sipcapture", "nonsip_hook", 1)
event_route[sipcapture:request] {
  $var(ssrc) = ""; $var(sent) = ""; $var(about) = ""; $var(jitter) = ""; $var(sdes) = "";
  if ($hep(0x00b) == 5) {
    ${json('ssrc', 'ssrc')}
    ${json('sender_information.packets', 'sent')}
    ${json('report_blocks[0].source_ssrc', 'about')}
    ${json('report_blocks[0].ia_jitter', 'jitter')}
    ${json('sdes_ssrc', 'sdes')}
  }
  xlog("L_NOTICE", "HEPJUDGE|$hep(0x00b)|$hep(0x00c)|$hep(0x011)|$hep(0x00e)|$hep(0x003)|$hep(0x007)|$var(ssrc)|$var(sent)|$var(about)|$var(jitter)|$var(sdes)|\\n");
  drop;
}
request_route { drop; }
`;
}

describe.skipIf(!kamailio)("--hep-forward judged by Kamailio's sipcapture", () => {
  it('Kamailio reads type 5, the Call-ID as correlation id, the auth key and the JSON report HOMER would store', async () => {
    const processes = new Processes();
    stops.push(() => processes.stopAll());
    const port = await freePort();
    writeFileSync(path.join(dir, 'version'), '');
    const config = path.join(dir, 'sipcapture.cfg');
    writeFileSync(config, sipcaptureConfig(port));
    const k = processes.start(kamailio!, ['-f', config, '-DD', '-E', '-n', '1'], dir);
    await until(() => udpBound(port), 'Kamailio listening');
    const listener = await forwarder({ hepForward: `127.0.0.1:${port}`, hepForwardKey: 's3cret' });
    await sendTzsp(listener.receiver.address!.port, [
      frame('10.1.1.1', 5060, '10.2.2.2', 5060, sip('INVITE sip:b@y SIP/2.0', 'kam-rtcp@x', sdp('10.1.1.1', 4000))),
      frame('10.1.1.1', 4001, '10.2.2.2', 5001, senderReport(0xaa, 0xbb)),
    ]);
    const judged = () =>
      k
        .output()
        .split('\n')
        .filter((l) => l.includes('HEPJUDGE|'));
    await until(() => judged().length === 2, 'two messages logged by Kamailio');
    const [invite, rtcp] = judged().map((l) => l.slice(l.indexOf('HEPJUDGE|')).split('|').slice(1, 12));
    expect(invite!.slice(0, 6)).toEqual(['1', String(0x4c59), '', 's3cret', '10.1.1.1', '5060']);
    expect(rtcp).toEqual(['5', String(0x4c59), 'kam-rtcp@x', 's3cret', '10.1.1.1', '4001', '170', '1000', '187', '42', '170']);
  });
});
