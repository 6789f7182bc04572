// The host's side of the receiver (receive-process-entry.ts): one process per running listener, asked by message.
// The transport tap's packets arrive in batches and go to the host's sinks (tap-feed.ts). If the process dies, every
// pending request fails with a clear error, `onFailure` is told, and the next start forks a new one.
import type { ChildProcess } from 'node:child_process';
import { ServiceError } from '../contract/errors.ts';
import type { WireError } from '../contract/wire.ts';
import { entryScript } from '../system/entry-script.ts';
import { forkHelper } from '../system/helper-process.ts';
import type { CaptureStatus, ListenSettings, OutputInfo, OutputKind, PacketSummary } from './contract.ts';
import type { FileOutputOptions } from './file-output.ts';
import type { TapFeed } from './tap-feed.ts';

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
export type ReceiverRequest = { [K in Op]: { id: number; op: K } & Requests[K][0] }[Op];
/** What the host tells the receiver besides requests: whether a sink wants the tap, and how much of it was read. */
export type ReceiverNotice = { tap: boolean } | { readKib: number };
export type ReceiverReply =
  | { batch: ArrayBuffer; kib: number }
  | { id: number; value: unknown }
  | { id: number; error: { service: WireError } | { message: string; code?: string; source?: string } }
  /** Sent just before the receiver exits on an uncaught error, so the host can say what it was. */
  | { fatal: string };

export interface LiveReply {
  status: CaptureStatus;
  packets: PacketSummary[];
  lastSeq: number;
}

const exitWaitMs = 5000;

export class ReceiveProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #feed: TapFeed;
  readonly #unwatch: () => void;
  #nextId = 1;
  #failure: string | null = null;
  #fatal: string | null = null;
  #stopping = false;
  /** The newest status the receiver sent: what is left to show if it dies. */
  last: CaptureStatus | null = null;

  private constructor(feed: TapFeed, onFailure: (message: string) => void) {
    this.#feed = feed;
    this.#child = forkHelper(entryScript(import.meta.url, 'captures-receiver.js', 'receive-process-entry.ts', 'the captures receiver'));
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', () => resolve());
      // A process that never started (fork failed) has no exit to wait for.
      this.#child.once('error', () => this.#child.pid === undefined && resolve());
    });
    // A listener left running must not keep a host from exiting (serve, the app): the receiver holds the host up
    // only while a request waits for its answer.
    this.#child.unref();
    this.#holdWhilePending();
    this.#child.on('message', (reply: ReceiverReply) => this.#reply(reply));
    this.#child.on('error', (error) => this.#fail(`the capture process failed: ${error.message}`, onFailure));
    this.#child.on('exit', (code, signal) => {
      if (this.#stopping) return;
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      this.#fail(
        this.#fatal ? `the capture process failed: ${this.#fatal}` : `the capture process stopped unexpectedly (${how})`,
        onFailure,
      );
    });
    this.#unwatch = feed.watch((active) => this.#notify({ tap: active }));
  }

  /** A receiver listening as `settings` say; rejects as the listener's own start would (a port in use, …). */
  static async start(settings: ListenSettings, feed: TapFeed, onFailure: (message: string) => void): Promise<ReceiveProcess> {
    let receiver: ReceiveProcess;
    try {
      receiver = new ReceiveProcess(feed, onFailure);
    } catch (error) {
      throw new ServiceError('failed', `Could not start the capture process: ${(error as Error).message}`);
    }
    try {
      receiver.last = await receiver.request('start', { settings });
    } catch (error) {
      await receiver.#end();
      throw error;
    }
    return receiver;
  }

  /** The test's handle on the process (to make it fail). */
  get process(): ChildProcess {
    return this.#child;
  }

  async request<K extends Op>(op: K, args: Requests[K][0]): Promise<Requests[K][1]> {
    if (this.#failure) throw failed(this.#failure);
    if (this.#stopping) throw stopped();
    const id = this.#nextId++;
    const reply = new Promise<unknown>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#holdWhilePending();
    this.#child.send({ ...args, id, op } as ReceiverRequest);
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

  /** Disconnecting is the receiver's cue to exit; one that does not is killed. */
  async #end(): Promise<void> {
    this.#stopping = true;
    this.#unwatch();
    if (this.#child.connected) this.#child.disconnect();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), exitWaitMs);
    if (this.#child.exitCode === null && this.#child.signalCode === null) await this.#exited;
    clearTimeout(timer);
    // A request that crossed the stop (a live view's tick) is answered, not left waiting forever.
    for (const { reject } of this.#pending.values()) reject(stopped());
    this.#pending.clear();
  }

  #notify(notice: ReceiverNotice): void {
    if (this.#child.connected) this.#child.send(notice);
  }

  /** The IPC channel keeps the host's event loop alive only while an answer is awaited. */
  #holdWhilePending(): void {
    const channel = this.#child.channel;
    if (!channel) return;
    if (this.#pending.size > 0) channel.ref();
    else channel.unref();
  }

  #reply(reply: ReceiverReply): void {
    if ('batch' in reply) {
      this.#feed.deliver(reply.batch);
      this.#notify({ readKib: reply.kib });
      return;
    }
    if ('fatal' in reply) {
      this.#fatal = reply.fatal;
      return;
    }
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    this.#holdWhilePending();
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
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
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
