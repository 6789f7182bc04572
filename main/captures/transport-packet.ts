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
}

export type TransportSink = (packet: TransportPacket) => void;
