// The HEP side: a UDP socket and a TCP server on one port (9060 by default), the auth key checked against the
// configured password, and a counter for every reason a message is dropped. TCP carries HEPv3 back to back:
// each connection is framed by the messages' own 16-bit length in one fixed buffer (so at most 64 KiB held per
// connection, every byte copied at most twice), and a connection that stops speaking HEPv3 is closed.
import { timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import { unmapped } from '../allow-list.ts';
import { HepAgents } from './hep-agents.ts';
import { openUdpReceive, type UdpReceivePath, type UdpReceiveSocket } from '../udp-receive.ts';
import { hep3Length, hepDefaultPort, parseHep, type HepDropReason, type HepMessage } from './hep-parse.ts';

export interface HepReceiverOptions {
  port?: number;
  bind?: string;
  /** Messages must carry this auth key (chunk 14); without a password every key is accepted. */
  password?: string | null;
  maxConnections?: number;
  receiveBufferBytes?: number;
  /** UDP receive path (udp-receive.ts); by default LANYARD_UDP_RECEIVE, else batch when the addon loads. */
  receivePath?: UdpReceivePath;
}

export interface HepTotals {
  /** UDP datagrams and TCP-framed messages received. */
  received: number;
  /** Messages handed on. */
  messages: number;
  malformed: number;
  unsupported: number;
  noPayload: number;
  compressedTooLarge: number;
  keepalive: number;
  /** Wrong or missing auth key while a password is set. */
  authFailed: number;
  connections: number;
  /** TCP connections refused past maxConnections. */
  connectionsRefused: number;
  /** TCP connections closed for sending something that is not HEPv3. */
  connectionsBroken: number;
}

/** Called with the message, the agent's address and its label; `message.payload` is only valid during the call. */
export type HepHandler = (message: HepMessage, from: string, agent: string) => void;

const maxFrame = 0xffff;

export class HepReceiver {
  readonly #options: HepReceiverOptions;
  readonly #onMessage: HepHandler;
  readonly #password: Buffer | null;
  readonly #connections = new Set<net.Socket>();
  /** One row per agent heard from, auth failures included. */
  readonly agents = new HepAgents();
  #udp: UdpReceiveSocket | null = null;
  #tcp: net.Server | null = null;
  readonly totals: HepTotals = {
    received: 0,
    messages: 0,
    malformed: 0,
    unsupported: 0,
    noPayload: 0,
    compressedTooLarge: 0,
    keepalive: 0,
    authFailed: 0,
    connections: 0,
    connectionsRefused: 0,
    connectionsBroken: 0,
  };
  address: { address: string; port: number } | null = null;

  constructor(options: HepReceiverOptions, onMessage: HepHandler) {
    this.#options = options;
    this.#onMessage = onMessage;
    this.#password = options.password ? Buffer.from(options.password, 'latin1') : null;
  }

  async start(): Promise<{ address: string; port: number }> {
    const bind = this.#options.bind ?? '0.0.0.0';
    const udp = await openUdpReceive(
      {
        bind,
        port: this.#options.port ?? hepDefaultPort,
        receiveBufferBytes: this.#options.receiveBufferBytes ?? 8 << 20,
        ...(this.#options.receivePath ? { path: this.#options.receivePath } : {}),
      },
      (datagram, from) => this.#message(datagram, unmapped(from)),
    );
    this.#udp = udp;
    this.address = udp.address;
    // TCP on the same port number, as Kamailio's `;transport=tcp` and heplify's -hs use it.
    const tcp = net.createServer((socket) => this.#accept(socket));
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen({ port: this.address!.port, host: bind, exclusive: true }, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      await this.stop();
      throw error;
    }
    tcp.unref();
    this.#tcp = tcp;
    return this.address;
  }

  async stop(): Promise<void> {
    for (const socket of this.#connections) socket.destroy();
    this.#connections.clear();
    const udp = this.#udp;
    const tcp = this.#tcp;
    this.#udp = null;
    this.#tcp = null;
    await udp?.close();
    if (tcp) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }

  #message(bytes: Buffer, from: string): void {
    this.totals.received++;
    const parsed = parseHep(bytes);
    if (parsed.kind === 'drop') {
      this.#count(parsed.reason);
      return;
    }
    if (this.#password && !this.#authentic(parsed.message.authKey)) {
      this.totals.authFailed++;
      this.agents.count(parsed.message, from, false);
      return;
    }
    this.totals.messages++;
    this.#onMessage(parsed.message, from, this.agents.count(parsed.message, from, true));
  }

  #count(reason: HepDropReason): void {
    this.totals[reason]++;
  }

  #authentic(key: string | null): boolean {
    if (key === null || !this.#password) return false;
    const given = Buffer.from(key, 'latin1');
    return given.length === this.#password.length && timingSafeEqual(given, this.#password);
  }

  #accept(socket: net.Socket): void {
    if (this.#connections.size >= (this.#options.maxConnections ?? 64)) {
      this.totals.connectionsRefused++;
      socket.destroy();
      return;
    }
    this.totals.connections++;
    this.#connections.add(socket);
    socket.unref();
    socket.setTimeout(10 * 60_000, () => socket.destroy()); // an agent silent for 10 minutes is gone
    socket.on('close', () => this.#connections.delete(socket));
    socket.on('error', () => undefined);
    const from = unmapped(socket.remoteAddress ?? '?');
    const buffer = Buffer.allocUnsafe(maxFrame);
    let filled = 0;
    socket.on('data', (chunk: Buffer) => {
      let offset = 0;
      while (offset < chunk.length) {
        const taken = chunk.copy(buffer, filled, offset);
        filled += taken;
        offset += taken;
        let at = 0;
        while (filled - at >= 6) {
          const length = hep3Length(buffer, at);
          if (length === null || length < 6) {
            this.totals.connectionsBroken++;
            this.totals.malformed++;
            socket.destroy();
            return;
          }
          if (filled - at < length) break;
          this.#message(buffer.subarray(at, at + length), from);
          at += length;
        }
        if (at > 0) {
          buffer.copyWithin(0, at, filled);
          filled -= at;
        }
      }
    });
  }
}
