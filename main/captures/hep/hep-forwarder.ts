// `--hep-forward HOST:PORT`: what Lanyard sees, sent on as HEPv3 over UDP to a HOMER / heplify-server — the
// engine teams already run when one desktop is not enough. SIP found in sensors' UDP/TCP/SCTP packets is sent as
// payload type 1; sensors' RTCP as type 5, a JSON report as heplify sends it, its correlation id the Call-ID of
// the call whose SDP named the stream; messages from HEP agents are relayed with their own type, agent id and
// node name. With an auth key, every message carries it (chunk 14) in place of the agent's own.
import dgram from 'node:dgram';
import net from 'node:net';
import type { TransportPacket } from '../transport-packet.ts';
import { encodeHep3 } from './hep-encode.ts';
import { hepDefaultPort, type HepMessage } from './hep-parse.ts';
import { MediaCorrelation } from './media-correlation.ts';
import { rtcpJson } from './rtcp-json.ts';
import { parseTarget } from '../sender.ts';

export interface ForwardTotals {
  sent: number;
  /** RTCP reports from sensors handed to the socket (payload type 5). */
  rtcp: number;
  /** Dropped because more than `maxInFlight` sends were waiting on the socket. */
  backlog: number;
  /** Refused by the socket (no route, target gone) or too large for one HEP message. */
  failed: number;
}

export interface ForwarderOptions {
  /** "HOST[:PORT]", "[v6][:PORT]"; the port defaults to 9060. */
  target: string;
  /** Sent as chunk 14 on every message, for a receiver that checks one (heplify-server's HEPPassword?). */
  authKey?: string | null;
  maxInFlight?: number;
}

/** The capture agent id on packets from sensors: "LY" (heplify's default is 2001). */
const lanyardAgentId = 0x4c59;

export class HepForwarder {
  readonly totals: ForwardTotals = { sent: 0, rtcp: 0, backlog: 0, failed: 0 };
  readonly target: string;
  readonly #host: string;
  readonly #port: number;
  readonly #options: ForwarderOptions;
  readonly #socket: dgram.Socket;
  readonly #media = new MediaCorrelation();
  #inFlight = 0;

  constructor(options: ForwarderOptions) {
    this.#options = options;
    this.target = options.target;
    ({ host: this.#host, port: this.#port } = parseTarget(options.target, hepDefaultPort));
    this.#socket = dgram.createSocket(net.isIPv6(this.#host) ? 'udp6' : 'udp4');
    this.#socket.on('error', () => undefined);
    this.#socket.unref();
  }

  /** A sensor's packet: sent when it is SIP or RTCP (an SR or RR first, as RFC 3550 has every compound start). */
  packet(p: TransportPacket): void {
    const common = {
      protocol: p.transport === 'tcp' ? 6 : p.transport === 'sctp' ? 132 : 17,
      src: p.src,
      dst: p.dst,
      sport: p.sport,
      dport: p.dport,
      timestampUs: p.ts,
      captureId: lanyardAgentId,
      nodeName: p.source,
    };
    if (looksLikeSip(p.payload)) {
      this.#media.learn(p.payload);
      this.#send({ ...common, payloadType: 1, payload: p.payload });
      return;
    }
    if (p.transport !== 'udp' || p.payload.length < 8 || p.payload[0]! >> 6 !== 2) return;
    const report = rtcpJson(p.payload);
    if (report === null) return;
    const correlationId = this.#media.callId(p.src, p.sport, p.dst, p.dport);
    if (this.#send({ ...common, payloadType: 5, correlationId, payload: Buffer.from(report, 'latin1') })) this.totals.rtcp++;
  }

  /** A HEP agent's message, relayed as it came (any payload type). */
  relay(m: HepMessage): void {
    if (m.payloadType === 1) this.#media.learn(m.payload);
    this.#send({ ...m, timestampUs: m.timestampUs ?? Date.now() * 1000 });
  }

  #closed = false;

  /** Closes the socket; again is a no-op (a listener stopped twice). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  /** False when dropped before the socket (backlog, too large). */
  #send(input: Parameters<typeof encodeHep3>[0]): boolean {
    if (this.#inFlight >= (this.#options.maxInFlight ?? 4096)) {
      this.totals.backlog++;
      return false;
    }
    // An agent's own key is never passed on: it was for this receiver, not for the next one.
    const message = encodeHep3({ ...input, authKey: this.#options.authKey ?? null });
    if (!message) {
      this.totals.failed++;
      return false;
    }
    this.#inFlight++;
    this.#socket.send(message, this.#port, this.#host, (error) => {
      this.#inFlight--;
      if (error) this.totals.failed++;
      else this.totals.sent++;
    });
    return true;
  }
}

/** A SIP request line ("METHOD uri SIP/2.0") or status line ("SIP/2.0 200 OK"), read from at most 512 bytes. */
export function looksLikeSip(payload: Buffer): boolean {
  if (payload.length < 12) return false;
  if (payload.toString('latin1', 0, 8) === 'SIP/2.0 ') return true;
  const first = payload[0]!;
  if (first < 0x41 || first > 0x5a) return false;
  const end = payload.subarray(0, 512).indexOf(13);
  return end >= 8 && payload.toString('latin1', end - 8, end) === ' SIP/2.0';
}
