// A pcapng output onto any Node Writable (file, FIFO, stdout, TCP socket) with bounded buffering:
// when the reader falls behind by more than `limitBytes`, packet blocks are dropped and counted.
import type { Writable } from 'node:stream';
import type { OutputStats, PcapngOutput } from './pcapng-session.ts';

export const defaultOutputLimit = 32 * 1024 * 1024;
const flushBytes = 256 * 1024;
const flushMs = 15;

export interface StreamOutputOptions {
  label: string;
  limitBytes?: number;
  /** Called once when the stream fails or its reader goes away (EPIPE, socket closed). */
  onEnd?: (reason: string | null) => void;
}

export class StreamOutput implements PcapngOutput {
  readonly label: string;
  readonly #stream: Writable;
  readonly #limit: number;
  readonly #onEnd: ((reason: string | null) => void) | undefined;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #scheduled = false;
  #ended = false;
  #stats: OutputStats = { packets: 0, bytes: 0, drops: 0 };

  constructor(stream: Writable, options: StreamOutputOptions) {
    this.#stream = stream;
    this.label = options.label;
    this.#limit = options.limitBytes ?? defaultOutputLimit;
    this.#onEnd = options.onEnd;
    stream.on('error', (error: NodeJS.ErrnoException) =>
      this.#end(error.code === 'EPIPE' || error.code === 'ECONNRESET' ? 'the reader went away' : error.message),
    );
    stream.on('close', () => this.#end(null));
  }

  get ended(): boolean {
    return this.#ended;
  }

  begin(header: () => Buffer): void {
    this.block(header(), false);
  }

  block(bytes: Buffer, droppable: boolean): void {
    if (this.#ended) return;
    if (droppable) {
      if (this.#stream.writableLength + this.#pendingBytes + bytes.length > this.#limit) {
        this.#stats.drops++;
        return;
      }
      this.#stats.packets++;
    }
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes >= flushBytes) this.#flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      // Batch writes (a write per packet costs more than the packet), but never hold them long: Wireshark is watching.
      setTimeout(() => {
        this.#scheduled = false;
        this.#flush();
      }, flushMs);
    }
  }

  stats(): OutputStats {
    return { ...this.#stats };
  }

  #flush(): void {
    if (this.#ended || this.#pending.length === 0) return;
    const chunk = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#stats.bytes += chunk.length;
    this.#stream.write(chunk);
  }

  #end(reason: string | null): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#onEnd?.(reason);
  }

  close(): Promise<void> {
    this.#flush();
    if (this.#ended) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#end(null);
        resolve();
      };
      // A reader that never drains must not hold the shutdown forever.
      const timer = setTimeout(() => {
        this.#stream.destroy();
        done();
      }, 5000);
      this.#stream.once('finish', done);
      this.#stream.once('close', done);
      this.#stream.once('error', done);
      this.#stream.end();
    });
  }
}
