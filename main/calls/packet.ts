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
}
