// The host's side of the receive thread (receive-worker.ts): one worker per running listener, asked by message.
// The transport tap's packets arrive in batches and go to the host's sinks (tap-feed.ts). If the worker dies, every
// pending request fails with a clear error, `onFailure` is told, and the next start makes a new worker.
import { entryScript } from '../system/entry-script.ts';
import { Worker } from 'node:worker_threads';
import { ServiceError } from '../contract/errors.ts';
import type { WireError } from '../contract/wire.ts';
import type { CaptureStatus, ListenSettings, OutputInfo, OutputKind, PacketSummary } from './contract.ts';
import type { FileOutputOptions } from './file-output.ts';
import type { TapFeed } from './tap-feed.ts';

export interface ThreadSetup {
  /** One Int32: KiB of tap batches the host has read, so the worker can bound what a stalled host has not. */
  consumedKib: SharedArrayBuffer;
}

type Requests = {
  start: [{ settings: ListenSettings }, CaptureStatus];
  status: [object, CaptureStatus];
  live: [{ afterSeq: number; limit: number }, LiveReply];
  recent: [{ limit: number }, PacketSummary[]];
  record: [{ settings: FileOutputOptions }, OutputInfo];
  stdout: [object, OutputInfo];
  pipe: [{ path: string; timeoutMs: number; kind: 'fifo' | 'wireshark'; label: string }, OutputInfo];
  tcp: [{ port: number; once: boolean; kind: OutputKind }, { port: number; output: OutputInfo }];
  closeOutput: [{ output: string }, OutputInfo | null];
  stop: [object, CaptureStatus];
};
type Op = keyof Requests;
export type ThreadRequest = { [K in Op]: { id: number; op: K } & Requests[K][0] }[Op];
export type ThreadReply =
  | { batch: ArrayBuffer; kib: number }
  | { id: number; value: unknown }
  | { id: number; error: { service: WireError } | { message: string; code?: string; source?: string } };

export interface LiveReply {
  status: CaptureStatus;
  packets: PacketSummary[];
  lastSeq: number;
}

export class ReceiveThread {
  readonly #worker: Worker;
  readonly #consumed: Int32Array;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #feed: TapFeed;
  readonly #unwatch: () => void;
  #nextId = 1;
  #failure: string | null = null;
  #stopping = false;
  /** The newest status the worker sent: what is left to show if it dies. */
  last: CaptureStatus | null = null;

  private constructor(feed: TapFeed, onFailure: (message: string) => void) {
    const consumedKib = new SharedArrayBuffer(4);
    this.#consumed = new Int32Array(consumedKib);
    this.#feed = feed;
    this.#worker = new Worker(entryScript(import.meta.url, 'captures-receiver.js', 'receive-worker.ts', 'the captures receive thread'), {
      workerData: { consumedKib } satisfies ThreadSetup,
      name: 'captures receive',
      // None of the process's flags: inherited, `--input-type` (a host started by `node -e`) makes the worker refuse
      // its file; given explicitly, V8 flags (the host's --max-semi-space-size, global to the process anyway) are refused.
      execArgv: [],
    });
    // A listener left running must not keep a host from exiting (serve, the app): the worker holds the process up
    // only while a request waits for its answer.
    this.#worker.unref();
    this.#worker.on('message', (reply: ThreadReply) => this.#reply(reply));
    this.#worker.on('error', (error) => this.#fail(`the capture thread failed: ${error.message}`, onFailure));
    this.#worker.on('exit', (code) => {
      if (!this.#stopping) this.#fail(`the capture thread stopped unexpectedly (exit code ${code})`, onFailure);
    });
    this.#unwatch = feed.watch((active) => this.#worker.postMessage({ tap: active }));
  }

  /** A worker listening as `settings` say; rejects as the listener's own start would (a port in use, …). */
  static async start(settings: ListenSettings, feed: TapFeed, onFailure: (message: string) => void): Promise<ReceiveThread> {
    let thread: ReceiveThread;
    try {
      thread = new ReceiveThread(feed, onFailure);
    } catch (error) {
      throw new ServiceError('failed', `Could not start the capture thread: ${(error as Error).message}`);
    }
    try {
      thread.last = await thread.request('start', { settings });
    } catch (error) {
      await thread.#end();
      throw error;
    }
    return thread;
  }

  /** The test's handle on the worker (to make it fail). */
  get worker(): Worker {
    return this.#worker;
  }

  async request<K extends Op>(op: K, args: Requests[K][0]): Promise<Requests[K][1]> {
    if (this.#failure) throw failed(this.#failure);
    if (this.#stopping) throw stopped();
    const id = this.#nextId++;
    const reply = new Promise<unknown>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    if (this.#pending.size === 1) this.#worker.ref();
    this.#worker.postMessage({ ...args, id, op });
    const value = (await reply) as Requests[K][1];
    if (op === 'status' || op === 'start' || op === 'stop') this.last = value as CaptureStatus;
    else if (op === 'live') this.last = (value as LiveReply).status;
    return value;
  }

  /** Stop receiving, flush and close every output; every tap batch has reached the feed when this resolves. */
  async stop(): Promise<CaptureStatus> {
    const final = await this.request('stop', {});
    await this.#end();
    return final;
  }

  async #end(): Promise<void> {
    this.#stopping = true;
    this.#unwatch();
    await this.#worker.terminate();
    // A request that crossed the stop (a live view's tick) is answered, not left waiting forever.
    for (const { reject } of this.#pending.values()) reject(stopped());
    this.#pending.clear();
  }

  #reply(reply: ThreadReply): void {
    if ('batch' in reply) {
      this.#feed.deliver(reply.batch);
      Atomics.add(this.#consumed, 0, reply.kib);
      return;
    }
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if ('value' in reply) pending.resolve(reply.value);
    else if ('service' in reply.error) pending.reject(ServiceError.fromWire(reply.error.service));
    else pending.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code, source: reply.error.source }));
  }

  #fail(message: string, onFailure: (message: string) => void): void {
    if (this.#failure || this.#stopping) return;
    this.#failure = message;
    this.#unwatch();
    for (const { reject } of this.#pending.values()) reject(failed(message));
    this.#pending.clear();
    void this.#worker.terminate();
    onFailure(message);
  }
}

function stopped(): ServiceError {
  return new ServiceError('unavailable', 'The TZSP listener has stopped.', { hint: 'Start it again.' });
}

function failed(message: string): ServiceError {
  return new ServiceError('failed', `The capture stopped: ${message}.`, {
    hint: 'What was written so far is in the output files; start the capture again.',
  });
}
