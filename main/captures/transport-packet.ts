// A UDP or TCP packet, or an SCTP user message, as the Calls tool takes it, from any source (a TZSP sensor's frame, a HEP agent's message).
// Structurally Calls' CapturedPacket: `payload` is a view into a buffer that is reused after the call, so a
// consumer copies what it keeps.
export interface TransportPacket {
  /** Capture time, µs since the epoch. */
  ts: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  transport: 'udp' | 'tcp' | 'sctp';
  payload: Buffer;
  /** The sensor or HEP agent it came from, as its pcapng interface is named. */
  source: string;
  /**
   * TCP from a sensor's frame (not HEP, which carries the message alone): the segment's sequence number and flags
   * byte (SYN 0x02, FIN 0x01, RST 0x04), so Calls can put the stream back in order. Absent otherwise.
   */
  tcpSeq?: number;
  tcpFlags?: number;
}

export type TransportSink = (packet: TransportPacket) => void;
