// `--hep-forward HOST:PORT`: what Lanyard sees, sent on as HEPv3 over UDP to a HOMER / heplify-server — the
// engine teams already run when one desktop is not enough. SIP found in sensors' UDP/TCP packets is sent as
// payload type 1; messages from HEP agents are relayed with their own type, agent id and node name.
import dgram from 'node:dgram';
import net from 'node:net';
import type { TransportPacket } from '../transport-packet.ts';
import { encodeHep3 } from './hep-encode.ts';
import { hepDefaultPort, type HepMessage } from './hep-parse.ts';
import { parseTarget } from '../sender.ts';

export interface ForwardTotals {
  sent: number;
  /** Dropped because more than `maxInFlight` sends were waiting on the socket. */
  backlog: number;
  /** Refused by the socket (no route, target gone) or too large for one HEP message. */
  failed: number;
}

export interface ForwarderOptions {
  /** "HOST[:PORT]", "[v6][:PORT]"; the port defaults to 9060. */
  target: string;
  maxInFlight?: number;
}

/** The capture agent id on packets from sensors: "LY" (heplify's default is 2001). */
const lanyardAgentId = 0x4c59;

export class HepForwarder {
  readonly totals: ForwardTotals = { sent: 0, backlog: 0, failed: 0 };
  readonly target: string;
  readonly #host: string;
  readonly #port: number;
  readonly #options: ForwarderOptions;
  readonly #socket: dgram.Socket;
  #inFlight = 0;

  constructor(options: ForwarderOptions) {
    this.#options = options;
    this.target = options.target;
    ({ host: this.#host, port: this.#port } = parseTarget(options.target, hepDefaultPort));
    this.#socket = dgram.createSocket(net.isIPv6(this.#host) ? 'udp6' : 'udp4');
    this.#socket.on('error', () => undefined);
    this.#socket.unref();
  }

  /** A sensor's packet: sent when it is SIP. */
  packet(p: TransportPacket): void {
    if (!looksLikeSip(p.payload)) return;
    this.#send({
      protocol: p.transport === 'tcp' ? 6 : 17,
      src: p.src,
      dst: p.dst,
      sport: p.sport,
      dport: p.dport,
      timestampUs: p.ts,
      payloadType: 1,
      captureId: lanyardAgentId,
      nodeName: p.source,
      payload: p.payload,
    });
  }

  /** A HEP agent's message, relayed as it came (any payload type). */
  relay(m: HepMessage): void {
    this.#send({ ...m, timestampUs: m.timestampUs ?? Date.now() * 1000 });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  #send(input: Parameters<typeof encodeHep3>[0]): void {
    if (this.#inFlight >= (this.#options.maxInFlight ?? 4096)) {
      this.totals.backlog++;
      return;
    }
    // No auth key is sent (an agent's own is not passed on): heplify-server's HEPPassword is not supported yet.
    const message = encodeHep3({ ...input, authKey: null });
    if (!message) {
      this.totals.failed++;
      return;
    }
    this.#inFlight++;
    this.#socket.send(message, this.#port, this.#host, (error) => {
      this.#inFlight--;
      if (error) this.totals.failed++;
      else this.totals.sent++;
    });
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
