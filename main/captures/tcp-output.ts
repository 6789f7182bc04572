// The live stream served on 127.0.0.1 for `wireshark -k -i TCP@127.0.0.1:PORT` (works on every platform).
// Each connection starts with the section header and every interface known so far.
import net from 'node:net';
import type { OutputStats, PcapngOutput } from './pcapng-session.ts';
import { StreamOutput } from './stream-output.ts';

export class TcpServerOutput implements PcapngOutput {
  readonly #server = net.createServer();
  readonly #clients = new Set<StreamOutput>();
  #header: () => Buffer = () => Buffer.alloc(0);
  #finished: OutputStats = { packets: 0, bytes: 0, drops: 0 };
  port = 0;

  get label(): string {
    return `TCP@127.0.0.1:${this.port} (${this.#clients.size} reader${this.#clients.size === 1 ? '' : 's'})`;
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.#server.address() as net.AddressInfo).port;
    this.#server.unref(); // like the UDP socket: never the reason a host stays up
    this.#server.on('connection', (socket) => this.#accept(socket));
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
    const closing = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await Promise.all([...this.#clients].map((c) => c.close()));
    await closing;
  }

  #accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    socket.unref();
    socket.resume(); // Wireshark sends nothing; drain anyway so a chatty client cannot stall us
    const client: StreamOutput = new StreamOutput(socket, {
      label: `${socket.remoteAddress}:${socket.remotePort}`,
      onEnd: () => {
        const s = client.stats();
        this.#finished = { packets: this.#finished.packets + s.packets, bytes: this.#finished.bytes + s.bytes, drops: this.#finished.drops + s.drops };
        this.#clients.delete(client);
      },
    });
    this.#clients.add(client);
    client.begin(this.#header);
  }
}
