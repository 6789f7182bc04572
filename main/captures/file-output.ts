// `--write FILE.pcapng`: one file, or dumpcap-style rotation by size or time with a ring of the last N files.
// Each file is a complete pcapng section: it starts with the header and every interface known so far.
import { createWriteStream, mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type { OutputStats, PcapngOutput } from './pcapng-session.ts';
import { StreamOutput } from './stream-output.ts';

export interface FileOutputOptions {
  path: string;
  /** Start a new file once the current one holds this many bytes. */
  rotateBytes?: number;
  /** Start a new file once the current one is this old. */
  rotateSeconds?: number;
  /** Keep only the newest N files (deleting older ones); needs a rotation setting. */
  ring?: number;
  limitBytes?: number;
  now?: () => Date;
}

export class FileOutput implements PcapngOutput {
  readonly label: string;
  readonly #options: FileOutputOptions;
  readonly #rotating: boolean;
  readonly #files: string[] = [];
  /** Streams still closing and ring files still being deleted; each leaves the set when done. */
  readonly #closing = new Set<Promise<void>>();
  #header: () => Buffer = () => Buffer.alloc(0);
  #current: StreamOutput | null = null;
  #currentBytes = 0;
  #openedAt = 0;
  #sequence = 0;
  #done: OutputStats = { packets: 0, bytes: 0, drops: 0 };
  #error: string | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: FileOutputOptions) {
    this.#options = options;
    this.#rotating = options.rotateBytes !== undefined || options.rotateSeconds !== undefined;
    this.label = options.path;
  }

  /** Every file written, oldest first (those still on disk when a ring is set). */
  files(): string[] {
    return [...this.#files];
  }

  get error(): string | null {
    return this.#error;
  }

  begin(header: () => Buffer): void {
    this.#header = header;
    this.#open();
    // Time rotation also happens while no packet arrives, as dumpcap's does: files start on the clock.
    if (this.#options.rotateSeconds !== undefined) {
      this.#timer = setInterval(() => {
        if (this.#current && this.#due()) this.#rotate();
      }, 250);
      this.#timer.unref();
    }
  }

  block(bytes: Buffer, droppable: boolean): void {
    if (droppable && this.#rotating && this.#due()) this.#rotate();
    this.#current?.block(bytes, droppable);
    this.#currentBytes += bytes.length;
  }

  stats(): OutputStats {
    const now = this.#current?.stats() ?? { packets: 0, bytes: 0, drops: 0 };
    return { packets: this.#done.packets + now.packets, bytes: this.#done.bytes + now.bytes, drops: this.#done.drops + now.drops };
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#current) this.#retire(this.#current);
    this.#current = null;
    await Promise.all(this.#closing);
  }

  #due(): boolean {
    const { rotateBytes, rotateSeconds, now } = this.#options;
    if (rotateBytes !== undefined && this.#currentBytes >= rotateBytes) return true;
    return rotateSeconds !== undefined && ((now?.() ?? new Date()).getTime() - this.#openedAt) / 1000 >= rotateSeconds;
  }

  #rotate(): void {
    if (this.#current) this.#retire(this.#current);
    this.#open();
    const ring = this.#options.ring;
    while (ring !== undefined && ring > 0 && this.#files.length > ring) {
      const oldest = this.#files.shift()!;
      // Deleted once its stream has closed, so a slow flush never recreates it; and off the host thread, as
      // freeing a 64 MB file's blocks takes the kernel tens of milliseconds. Already gone is fine.
      this.#track(
        Promise.all(this.#closing)
          .then(() => unlink(oldest))
          .catch(() => undefined),
      );
    }
  }

  #track(work: Promise<void>): void {
    this.#closing.add(work);
    void work.then(() => this.#closing.delete(work));
  }

  #retire(output: StreamOutput): void {
    this.#track(output.close()); // flushes synchronously, so the stats below are final
    const s = output.stats();
    this.#done = { packets: this.#done.packets + s.packets, bytes: this.#done.bytes + s.bytes, drops: this.#done.drops + s.drops };
  }

  #open(): void {
    const now = this.#options.now?.() ?? new Date();
    const file = this.#rotating ? rotatedName(this.#options.path, ++this.#sequence, now) : this.#options.path;
    mkdirSync(path.dirname(file), { recursive: true });
    const stream = createWriteStream(file, { mode: 0o600 });
    this.#current = new StreamOutput(stream, {
      label: file,
      ...(this.#options.limitBytes !== undefined ? { limitBytes: this.#options.limitBytes } : {}),
      onEnd: (reason) => {
        if (reason) this.#error = `${file}: ${reason}`;
      },
    });
    this.#files.push(file);
    this.#openedAt = now.getTime();
    this.#currentBytes = 0;
    this.#current.begin(this.#header);
    this.#currentBytes = this.#header().length;
  }
}

/** dumpcap's naming: capture.pcapng → capture_00001_20260102150405.pcapng (local time). */
export function rotatedName(file: string, sequence: number, when: Date): string {
  const ext = path.extname(file) || '.pcapng';
  const base = file.slice(0, file.length - path.extname(file).length);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${when.getFullYear()}${p(when.getMonth() + 1)}${p(when.getDate())}${p(when.getHours())}${p(when.getMinutes())}${p(when.getSeconds())}`;
  return `${base}_${p(sequence, 5)}_${stamp}${ext}`;
}
