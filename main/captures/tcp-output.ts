// The live stream served on 127.0.0.1 for `wireshark -k -i TCP@127.0.0.1:PORT` (works on every platform).
// Each connection starts with the section header and every interface known so far.
// Wireshark's TCP@ speaks no authentication, so any local process that connects sees the capture. What limits
// that: loopback only (no option to bind elsewhere), one reader at a time (later connections are closed
// unread and counted), and for a Wireshark that Lanyard starts itself, `once`: the port stops listening as
// soon as that reader connects, or after `acceptMs` if nobody does.
import net from 'node:net';
import type { OutputStats, PcapngOutput } from './pcapng-session.ts';
import { StreamOutput } from './stream-output.ts';

export interface TcpListenOptions {
  port: number;
  /** Serve one reader, then stop listening: for the Wireshark Lanyard starts itself. */
  once?: boolean;
  /** With `once`: stop listening if nobody connects within this long. */
  acceptMs?: number;
}

export const defaultAcceptMs = 20_000;

export class TcpServerOutput implements PcapngOutput {
  readonly #server = net.createServer();
  readonly #clients = new Set<StreamOutput>();
  #header: () => Buffer = () => Buffer.alloc(0);
  #finished: OutputStats = { packets: 0, bytes: 0, drops: 0 };
  #refused = 0;
  #once = false;
  #deadline: NodeJS.Timeout | null = null;
  port = 0;

  get label(): string {
    const refused = this.#refused ? `, ${this.#refused} refused` : '';
    return `TCP@127.0.0.1:${this.port} (${this.#clients.size} reader${this.#clients.size === 1 ? '' : 's'}${refused}${this.listening ? '' : ', closed to new readers'})`;
  }

  get listening(): boolean {
    return this.#server.listening;
  }

  async listen({ port, once = false, acceptMs = defaultAcceptMs }: TcpListenOptions): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve());
    });
    this.port = (this.#server.address() as net.AddressInfo).port;
    this.#server.unref(); // like the UDP socket: never the reason a host stays up
    this.#server.on('connection', (socket) => this.#accept(socket));
    this.#once = once;
    if (once) {
      this.#deadline = setTimeout(() => this.#server.close(), acceptMs);
      this.#deadline.unref();
    }
    return this.port;
  }

  readers(): number {
    return this.#clients.size;
  }

  begin(header: () => Buffer): void {
    this.#header = header;
  }

  block(bytes: Buffer, droppable: boolean): void {
    for (const client of this.#clients) client.block(bytes, droppable);
  }

  stats(): OutputStats {
    const total = { ...this.#finished };
    for (const c of this.#clients) {
      const s = c.stats();
      total.packets += s.packets;
      total.bytes += s.bytes;
      total.drops += s.drops;
    }
    return total;
  }

  async close(): Promise<void> {
    if (this.#deadline) clearTimeout(this.#deadline);
    const closing = new Promise<void>((resolve) => (this.#server.listening ? this.#server.close(() => resolve()) : resolve()));
    await Promise.all([...this.#clients].map((c) => c.close()));
    await closing;
  }

  #accept(socket: net.Socket): void {
    if (this.#clients.size > 0) {
      this.#refused++; // not a byte of the capture: the reader already attached keeps it alone
      socket.destroy();
      return;
    }
    if (this.#once) {
      if (this.#deadline) clearTimeout(this.#deadline);
      this.#server.close();
    }
    socket.setNoDelay(true);
    socket.unref();
    socket.resume(); // Wireshark sends nothing; drain anyway so a chatty client cannot stall us
    const client: StreamOutput = new StreamOutput(socket, {
      label: `${socket.remoteAddress}:${socket.remotePort}`,
      onEnd: () => {
        const s = client.stats();
        this.#finished = {
          packets: this.#finished.packets + s.packets,
          bytes: this.#finished.bytes + s.bytes,
          drops: this.#finished.drops + s.drops,
        };
        this.#clients.delete(client);
      },
    });
    this.#clients.add(client);
    client.begin(this.#header);
  }
}
