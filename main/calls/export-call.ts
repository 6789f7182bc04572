// `calls export`: exactly one call's SIP and RTP/RTCP from capture files into a new pcapng. A first pass finds
// the call and its streams; a second copies the frames that carry them, as they were, one interface per link
// type, and for a datagram rebuilt from IP fragments (or a message from SCTP fragments) every piece. The call's frames are held in memory until
// the file is written (a one-hour G.711 call is ~70 MB).
import { captureReaders } from '../captures/tool.ts';
import type { ExportResult } from '../calls/contract.ts';
import { writeFileAtomic } from '../system/atomic-file.ts';
import { analyseFiles } from './analyse.ts';
import { type FrameRef, forEachPacket, frameRef } from './capture-packets.ts';
import { headerEnd, looksLikeSip, parseSipHead } from './sip-message.ts';

export class CallNotFoundError extends Error {
  override name = 'CallNotFoundError';
}

export async function exportCall(files: readonly string[], callId: string, output: string): Promise<ExportResult> {
  const tracker = await analyseFiles(files, { maxMessagesPerCall: 0 }); // the call's streams are all it needs
  const call = tracker.call(callId);
  if (!call)
    throw new CallNotFoundError(`no call with Call-ID "${callId}" in ${files.join(', ')} (see \`lanyard calls list\` for the Call-IDs)`);
  // The media flows both ways: RTP by its 4-tuple, RTCP on the ports next to it (or the same ports, muxed).
  const media = new Set<string>();
  for (const s of call.rtp) {
    media.add(`${s.src} ${s.sport} ${s.dst} ${s.dport}`);
    media.add(`${s.src} ${s.sport + 1} ${s.dst} ${s.dport + 1}`);
    media.add(`${s.dst} ${s.dport + 1} ${s.src} ${s.sport + 1}`);
    media.add(`${s.dst} ${s.dport} ${s.src} ${s.sport}`);
  }
  const readers = await captureReaders();
  const { sectionHeaderBlock, interfaceDescriptionBlock, enhancedPacketBlock } = readers.pcapng;
  const blocks: Buffer[] = [sectionHeaderBlock('Lanyard calls export')];
  const interfaces = new Map<number, number>();
  const result: ExportResult = { callId, packets: 0, sip: 0, media: 0 };
  const marker = Buffer.from(callId, 'latin1');
  let lastSctp: { timestampNs: bigint; data: Buffer } | null = null;
  const write = (frame: FrameRef) => {
    let id = interfaces.get(frame.linktype);
    if (id === undefined) {
      id = interfaces.size;
      interfaces.set(frame.linktype, id);
      blocks.push(interfaceDescriptionBlock(frame.linktype, `calls-export-${id}`, `Call ${callId}`));
    }
    blocks.push(enhancedPacketBlock(id, frame.timestampNs, frame.data, frame.originalLength, Buffer.alloc));
    result.packets++;
  };
  for (const file of files) {
    forEachPacket(
      readers,
      file,
      (p, frame, earlier) => {
        const b = Buffer.from(p.payload.buffer, p.payload.byteOffset, p.payload.byteLength);
        let take = false;
        if (media.has(`${p.src} ${p.sport} ${p.dst} ${p.dport}`) && p.transport === 'udp') {
          take = true;
          result.media++;
        } else if (isCallSip(b, p.transport, callId, marker)) {
          take = true;
          result.sip++;
        }
        if (!take) return;
        const own = frameRef(frame);
        // SCTP bundles several messages in one packet: its frame once, however many of them are the call's.
        if (p.transport === 'sctp') {
          if (lastSctp && lastSctp.timestampNs === own.timestampNs && lastSctp.data.equals(own.data)) return;
          lastSctp = { timestampNs: own.timestampNs, data: Buffer.from(own.data) };
        }
        // A datagram rebuilt from IP fragments or SCTP DATA chunks: every earlier piece's frame, in order.
        for (const piece of earlier) write(piece);
        write(own);
      },
      { withFragments: true },
    );
  }
  writeFileAtomic(output, Buffer.concat(blocks), 0o644);
  return result;
}

/** A UDP datagram whose SIP message has this Call-ID; for TCP, a segment that names it (segments may carry several calls). */
function isCallSip(b: Buffer, transport: string, callId: string, marker: Buffer): boolean {
  if (transport !== 'udp') return b.indexOf(marker) >= 0;
  if (!looksLikeSip(b, 0, b.length)) return false;
  const end = headerEnd(b, 0, b.length);
  return end > 0 && parseSipHead(b, 0, end)?.callId === callId;
}
