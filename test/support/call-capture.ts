// A generated capture of SIP calls with RTP, for the Calls bench and service tests: calls start every
// `spacingMs`, each INVITE/100/180/200/ACK, RTP both ways (PCMU, 20 ms), then BYE/200; every tenth call is
// refused with 486 instead. Written in time order as Ethernet/IPv4/UDP pcapng, a bounded window in memory.
import { closeSync, openSync, writeSync } from 'node:fs';
import { enhancedPacketBlock, interfaceDescriptionBlock, sectionHeaderBlock } from '../../main/captures/pcapng-blocks.ts';
import { ethernet, ipv4, udp } from '../integration/captures/frames.ts';

export interface CallCaptureOptions {
  calls: number;
  /** RTP packets each way per answered call. */
  rtpPackets?: number;
  spacingMs?: number;
  /** RTP packet `packet` of call `call` (either way) left out, to make loss where it is wanted. */
  lose?: (call: number, packet: number) => boolean;
  /** INFO/200 transactions mid-call, for long ladders. */
  infos?: (call: number) => number;
  /** The INVITE sent twice (a retransmission before the 100 Trying). */
  retransmit?: (call: number) => boolean;
}

export interface CallCaptureFigures {
  calls: number;
  sipMessages: number;
  rtpPackets: number;
}

const start = 1_765_000_000_000; // ms since the epoch

export function writeCallCapture(file: string, options: CallCaptureOptions): CallCaptureFigures {
  const rtpPackets = options.rtpPackets ?? 25;
  const spacing = options.spacingMs ?? 5;
  const fd = openSync(file, 'w');
  const buckets = new Map<number, Buffer[]>();
  const figures: CallCaptureFigures = { calls: options.calls, sipMessages: 0, rtpPackets: 0 };
  let pending: Buffer[] = [sectionHeaderBlock('lanyard test'), interfaceDescriptionBlock(1, 'eth0', 'generated')];
  let pendingBytes = 0;
  const flush = (force = false) => {
    if (!force && pendingBytes < 4 * 1024 * 1024) return;
    writeSync(fd, Buffer.concat(pending));
    pending = [];
    pendingBytes = 0;
  };
  const emit = (tUs: number, frame: Buffer) => {
    const tick = Math.floor(tUs / 1000);
    const block = enhancedPacketBlock(0, BigInt(Math.round(tUs)) * 1000n, frame);
    const bucket = buckets.get(tick);
    if (bucket) bucket.push(block);
    else buckets.set(tick, [block]);
  };
  let flushed = start;
  const flushBefore = (tick: number) => {
    for (; flushed < tick; flushed++) {
      const bucket = buckets.get(flushed);
      if (!bucket) continue;
      buckets.delete(flushed);
      for (const b of bucket) {
        pending.push(b);
        pendingBytes += b.length;
      }
      flush();
    }
  };
  for (let i = 0; i < options.calls; i++) {
    const t0 = (start + i * spacing) * 1000; // µs
    flushBefore(Math.floor(t0 / 1000));
    const caller = `10.1.${(i >> 8) & 255}.${i & 255 || 1}`;
    const proxy = '10.2.0.1';
    const id = `bench-${i}@lanyard`;
    const callerMedia = 20000 + (i % 4000) * 2;
    const calleeMedia = 40000 + (i % 4000) * 2;
    const sip = (tUs: number, text: string, fromCaller: boolean) => {
      const payload = Buffer.from(text, 'latin1');
      const frame = fromCaller
        ? ethernet(0x0800, ipv4(17, caller, proxy, udp(5060, 5060, payload)))
        : ethernet(0x0800, ipv4(17, proxy, caller, udp(5060, 5060, payload)));
      emit(tUs, frame);
      figures.sipMessages++;
    };
    const h = (first: string, cseq: string, toTag: boolean, body = '') =>
      `${first}\r\nVia: SIP/2.0/UDP ${caller}:5060;branch=z9hG4bK${i}${cseq.replace(' ', '')}\r\nFrom: <sip:${1000 + i}@lanyard.test>;tag=a${i}\r\nTo: <sip:${5000 + (i % 100)}@lanyard.test>${toTag ? `;tag=b${i}` : ''}\r\nCall-ID: ${id}\r\nCSeq: ${cseq}\r\n${body ? 'Content-Type: application/sdp\r\n' : ''}Content-Length: ${body.length}\r\n\r\n${body}`;
    const sdp = (address: string, port: number) =>
      `v=0\r\no=- ${i} 1 IN IP4 ${address}\r\ns=-\r\nc=IN IP4 ${address}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n`;
    sip(t0, h('INVITE sip:5000@lanyard.test SIP/2.0', '1 INVITE', false, sdp(caller, callerMedia)), true);
    if (options.retransmit?.(i))
      sip(t0 + 500, h('INVITE sip:5000@lanyard.test SIP/2.0', '1 INVITE', false, sdp(caller, callerMedia)), true);
    sip(t0 + 1000, h('SIP/2.0 100 Trying', '1 INVITE', false), false);
    sip(t0 + 2000, h('SIP/2.0 180 Ringing', '1 INVITE', true), false);
    if (i % 10 === 9) {
      sip(t0 + 30_000, h('SIP/2.0 486 Busy Here', '1 INVITE', true), false);
      sip(t0 + 31_000, h('ACK sip:5000@lanyard.test SIP/2.0', '1 ACK', true), true);
      continue;
    }
    sip(t0 + 50_000, h('SIP/2.0 200 OK', '1 INVITE', true, sdp(proxy, calleeMedia)), false);
    sip(t0 + 51_000, h('ACK sip:5000@lanyard.test SIP/2.0', '1 ACK', true), true);
    const infos = options.infos?.(i) ?? 0;
    for (let n = 0; n < infos; n++) {
      const at = t0 + 55_000 + (n * rtpPackets * 20_000) / Math.max(1, infos);
      sip(at, h('INFO sip:5000@lanyard.test SIP/2.0', `${n + 2} INFO`, true), true);
      sip(at + 500, h('SIP/2.0 200 OK', `${n + 2} INFO`, true), false);
    }
    const rtp = Buffer.alloc(12 + 160, 0xff);
    for (let k = 0; k < rtpPackets; k++) {
      if (options.lose?.(i, k)) continue;
      for (const out of [true, false]) {
        rtp[0] = 0x80;
        rtp[1] = 0;
        rtp.writeUInt16BE((i * 7 + k) & 0xffff, 2);
        rtp.writeUInt32BE(k * 160, 4);
        rtp.writeUInt32BE(out ? i : i + 0x10000000, 8);
        const jitterUs = ((i * 13 + k * 7) % 5) * 300;
        const frame = out
          ? ethernet(0x0800, ipv4(17, caller, proxy, udp(callerMedia, calleeMedia, rtp)))
          : ethernet(0x0800, ipv4(17, proxy, caller, udp(calleeMedia, callerMedia, rtp)));
        emit(t0 + 60_000 + k * 20_000 + jitterUs + (out ? 0 : 200), frame);
        figures.rtpPackets++;
      }
    }
    const end = t0 + 60_000 + rtpPackets * 20_000 + 10_000;
    sip(end, h('BYE sip:5000@lanyard.test SIP/2.0', `${infos + 2} BYE`, true), true);
    sip(end + 1000, h('SIP/2.0 200 OK', `${infos + 2} BYE`, true), false);
  }
  let last = flushed;
  for (const tick of buckets.keys()) last = Math.max(last, tick);
  flushBefore(last + 1);
  flush(true);
  closeSync(fd);
  return figures;
}
