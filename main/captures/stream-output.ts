// A pcapng output onto any Node Writable (file, FIFO, stdout, TCP socket) with bounded buffering:
// when the reader falls behind by more than `limitBytes`, packet blocks are dropped and counted.
// Blocks are copied into fixed-size chunks that go back to a small pool once written: at 50k packets a second a
// fresh buffer per flush (or per packet) is megabytes a second of off-heap garbage, and V8 answers that much
// external memory with a full mark-compact every few hundred milliseconds.
import type { Writable } from 'node:stream';
import type { OutputStats, PcapngOutput } from './pcapng-session.ts';

export const defaultOutputLimit = 32 * 1024 * 1024;
/** A chunk is written when full, or `flushMs` after its first block. */
export const chunkBytes = 256 * 1024;
const flushMs = 15;
/** Written chunks kept for reuse; more in flight than this are left to the garbage collector. */
const pooledChunks = 4;

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
  #chunk: Buffer | null = null;
  #used = 0;
  readonly #pool: Buffer[] = [];
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

  /** `bytes` is copied before this returns: the caller may reuse it. */
  block(bytes: Buffer, droppable: boolean): void {
    if (this.#ended) return;
    if (droppable) {
      if (this.#stream.writableLength + this.#used + bytes.length > this.#limit) {
        this.#stats.drops++;
        return;
      }
      this.#stats.packets++;
    }
    if (this.#used + bytes.length > chunkBytes) this.#flush();
    if (bytes.length > chunkBytes) {
      // A header with many interfaces: rare, written on its own.
      this.#write(Buffer.from(bytes), null);
      return;
    }
    this.#chunk ??= this.#pool.pop() ?? Buffer.allocUnsafe(chunkBytes);
    this.#used += bytes.copy(this.#chunk, this.#used);
    if (this.#used === chunkBytes) this.#flush();
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
    const chunk = this.#chunk;
    if (this.#ended || !chunk || this.#used === 0) return;
    const used = this.#used;
    this.#chunk = null;
    this.#used = 0;
    this.#write(chunk.subarray(0, used), chunk);
  }

  /** Write `bytes`; `chunk`, the pooled buffer under them, is reused once the stream is done with it. */
  #write(bytes: Buffer, chunk: Buffer | null): void {
    this.#stats.bytes += bytes.length;
    this.#stream.write(bytes, (error) => {
      if (chunk && !error && this.#pool.length < pooledChunks) this.#pool.push(chunk);
    });
  }

  #end(reason: string | null): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#chunk = null;
    this.#used = 0;
    this.#pool.length = 0;
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
