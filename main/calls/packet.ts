// What the call tracker eats: one transport payload with its addresses, from any source (a pcap/pcapng file,
// a TZSP sensor, a HEP agent). The seam between the packet sources and the tracker: sources build these, the
// tracker never learns where a packet came from beyond `source`.

export interface CapturedPacket {
  /** Capture time in microseconds since the epoch. */
  ts: number;
  /** IPv4 dotted or IPv6 text, as captures/address-text.ts writes them. */
  src: string;
  dst: string;
  sport: number;
  dport: number;
  transport: 'udp' | 'tcp' | 'sctp';
  /** The transport payload (UDP data, a TCP segment's data). May be a view into a reused buffer: the tracker copies what it keeps. */
  payload: Uint8Array;
  /** The sensor or HEP agent label this packet came through ("file" for a capture file). */
  source: string;
  /**
   * TCP only, where the TCP header was seen (capture files; not HEP, which carries the message alone): the
   * segment's sequence number and flags byte (SYN 0x02, FIN 0x01, RST 0x04), to put the stream back in order.
   */
  tcpSeq?: number;
  tcpFlags?: number;
}
