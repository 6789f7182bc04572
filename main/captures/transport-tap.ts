// Sensors' frames → UDP and TCP packets and SCTP user messages for the taps (Calls' tracker): the IP packet found
// in the frame, IP fragments reassembled with the same bounds as `decap`, the transport header read, SCTP's DATA
// chunks rebuilt into messages. The payload is a view into the frame (or the reassembled datagram or message):
// nothing is copied here but SCTP fragments.
import { FragmentReassembler } from './ip-fragments.ts';
import { frameIp } from './ip-packet.ts';
import { SctpReader, type SctpTotals } from './sctp.ts';
import type { TransportPacket, TransportSink } from './transport-packet.ts';

export interface TapTotals {
  /** UDP/TCP packets handed to the taps. */
  packets: number;
  /** Frames with no IP packet, another protocol, or a transport header cut short. */
  skipped: number;
}

export class TransportTap {
  readonly #sinks = new Set<TransportSink>();
  readonly #fragments = new FragmentReassembler();
  readonly #sctp = new SctpReader();
  readonly totals: TapTotals = { packets: 0, skipped: 0 };

  get active(): boolean {
    return this.#sinks.size > 0;
  }

  /** Start handing packets to `sink`; the returned function stops it. */
  add(sink: TransportSink): () => void {
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  /** Hand a packet that is already UDP/TCP (a HEP message) to every sink. */
  emit(packet: TransportPacket): void {
    this.totals.packets++;
    for (const sink of this.#sinks) sink(packet);
  }

  /**
   * The UDP or TCP packet a sensor's link-layer frame holds, once complete (IP fragments reassembled), or the SCTP
   * user messages it completes, each handed to `visit`.
   */
  decode(source: string, linktype: number, frame: Buffer, timestampNs: bigint, visit: TransportSink): void {
    const ip = frameIp(linktype, frame);
    if (!ip || (ip.protocol !== 17 && ip.protocol !== 6 && ip.protocol !== 132)) {
      this.totals.skipped++;
      return;
    }
    const ts = Number(timestampNs / 1000n);
    const data = this.#fragments.add(ip, Math.floor(ts / 1000));
    if (!data) return; // a piece of a datagram still incomplete (counted by the reassembler)
    if (ip.protocol === 132) {
      this.#sctp.read(ip.src, ip.dst, data, (m) =>
        visit({ ts, src: ip.src, dst: ip.dst, sport: m.sport, dport: m.dport, transport: 'sctp', payload: m.payload, source }),
      );
      return;
    }
    const udp = ip.protocol === 17;
    const headerLength = udp ? 8 : data.length >= 13 ? (data[12]! >> 4) * 4 : 0;
    if (data.length < (udp ? 8 : 20) || headerLength > data.length || (!udp && headerLength < 20)) {
      this.totals.skipped++;
      return;
    }
    const end = udp ? Math.min(data.length, Math.max(8, data.readUInt16BE(4))) : data.length;
    visit({
      ts,
      src: ip.src,
      dst: ip.dst,
      sport: data.readUInt16BE(0),
      dport: data.readUInt16BE(2),
      transport: udp ? 'udp' : 'tcp',
      payload: data.subarray(headerLength, end),
      source,
      tcpSeq: udp ? undefined : data.readUInt32BE(4),
      tcpFlags: udp ? undefined : data[13]!,
    });
  }

  stats(): TapTotals & { fragmentsIncomplete: number; fragmentsDropped: number; sctp: SctpTotals } {
    const { orphans, dropped } = this.#fragments.stats();
    return { ...this.totals, fragmentsIncomplete: orphans, fragmentsDropped: dropped, sctp: { ...this.#sctp.totals } };
  }
}
