// The captures service: one TZSP listener per service host, its outputs, Wireshark hand-off, send and decap.
// handlers.ts maps the contract's names onto it.
import { ServiceError } from '../contract/errors.ts';
import type { CaptureStatus, LiveEvent, OutputInfo, RecordSettings, SendProgress } from './contract.ts';
import type { HandlerParams, StreamHandlerParams } from '../contract/handlers.ts';
import { parseAllowList } from './allow-list.ts';
import { decapFile } from './decap.ts';
import type { FileOutputOptions } from './file-output.ts';
import { ReceiveProcess } from './receive-process.ts';
import { parseTarget, sendCapture } from './sender.ts';
import { TapFeed } from './tap-feed.ts';
import { findWireshark, launchWireshark, makeFifo, wiresharkMissing } from './wireshark.ts';

const idle: CaptureStatus = {
  running: false,
  settings: null,
  address: null,
  port: null,
  receiveBufferBytes: 0,
  receivePath: null,
  startedAt: null,
  totals: { datagrams: 0, packets: 0, malformed: 0, control: 0, denied: 0, kernelDrops: null, tooManySensors: 0, evictedSensors: 0 },
  sensors: [],
  sensorCount: 0,
  outputs: [],
  interfaces: [],
  interfaceCount: 0,
  hep: null,
  tap: {
    packets: 0,
    skipped: 0,
    fragmentsIncomplete: 0,
    fragmentsDropped: 0,
    sctp: { packets: 0, dataChunks: 0, messages: 0, malformed: 0, chunksSkipped: 0, fragmentsDropped: 0 },
  },
  tapBehind: 0,
  forward: null,
  error: null,
};

const livePacketsPerEvent = 200;

export type CapturesService = ReturnType<typeof createCapturesService>;

/**
 * The listener runs in a receiver process of its own (receive-process.ts); this side validates, asks it, and hands
 * the tap's batches to `feed` (Calls' tracker).
 */
export function createCapturesService(options: { env: NodeJS.ProcessEnv; feed?: TapFeed }) {
  const feed = options.feed ?? new TapFeed();
  let listener: ReceiveProcess | null = null;
  let last: CaptureStatus = idle;

  const running = (): ReceiveProcess => {
    if (!listener)
      throw new ServiceError(
        'unavailable',
        last.error ? `The TZSP listener is not running (${last.error}).` : 'The TZSP listener is not running.',
        {
          hint: 'Start it first (captures.start / `lanyard tzsp listen`).',
        },
      );
    return listener;
  };

  /** The receiver died: what it last reported, marked stopped, with the reason. */
  const failed = (receiver: ReceiveProcess, message: string) => {
    if (listener !== receiver) return;
    listener = null;
    last = { ...(receiver.last ?? idle), running: false, error: message };
  };

  const stop = async (): Promise<CaptureStatus> => {
    if (!listener) return last;
    const stopping = listener;
    listener = null;
    last = await stopping.stop();
    return last;
  };

  return {
    /** The running receiver, for tests. */
    get receiver(): ReceiveProcess | null {
      return listener;
    },
    async start({ record: recordSettings, fifo, stdout, ...settings }: HandlerParams<'captures.start'>): Promise<CaptureStatus> {
      if (listener)
        throw new ServiceError('unavailable', `The listener is already running on ${listeningOn(listener.last ?? idle)}.`, {
          hint: 'Stop it first.',
        });
      try {
        parseAllowList(settings.allow);
      } catch (error) {
        throw new ServiceError('invalid-argument', `Allow-list: ${(error as Error).message}.`, { field: 'params.allow' });
      }
      if (recordSettings) fileOptions(recordSettings);
      let started: ReceiveProcess;
      try {
        started = await ReceiveProcess.start(settings, feed, (message) => failed(started, message));
      } catch (error) {
        if (error instanceof ServiceError) throw error;
        const hep = (error as { source?: string }).source === 'hep' ? settings.hep : undefined;
        throw hep ? bindError(error, hep.port, hep.bind, 'HEP') : bindError(error, settings.port, settings.bind);
      }
      listener = started;
      try {
        if (recordSettings) await started.request('record', { settings: fileOptions(recordSettings) });
        if (stdout) await started.request('stdout', {});
        if (fifo) await started.request('pipe', { path: fifo, timeoutMs: 30_000, kind: 'fifo', label: fifo });
      } catch (error) {
        listener = null;
        await started.stop().catch(() => undefined);
        if (error instanceof ServiceError) throw error;
        throw new ServiceError('failed', `Could not open the output: ${(error as Error).message}`);
      }
      return started.request('status', {});
    },
    stop,
    status: (): Promise<CaptureStatus> => listener?.request('status', {}) ?? Promise.resolve(last),
    record: async (settings: RecordSettings): Promise<OutputInfo> => running().request('record', { settings: fileOptions(settings) }),
    async closeOutput(id: string): Promise<OutputInfo> {
      const info = await running().request('closeOutput', { output: id });
      if (!info) throw new ServiceError('not-found', `There is no output "${id}".`);
      return info;
    },
    serveTcp: async (port: number) => running().request('tcp', { port, once: false, kind: 'tcp' }),
    async openWireshark(via: HandlerParams<'captures.openWireshark'>['via']) {
      const l = running();
      const program = findWireshark(options.env);
      if (!program) throw wiresharkMissing();
      if (via === 'tcp' || (via === 'auto' && process.platform === 'win32')) {
        const { port, output } = await l.request('tcp', { port: 0, once: true, kind: 'wireshark' });
        return { command: launchWireshark(program, `TCP@127.0.0.1:${port}`), output };
      }
      const fifo = await makeFifo();
      const command = launchWireshark(program, fifo);
      try {
        return {
          command,
          output: await l.request('pipe', { path: fifo, timeoutMs: 20_000, kind: 'wireshark', label: `Wireshark via ${fifo}` }),
        };
      } catch (error) {
        if (error instanceof ServiceError) throw error;
        throw new ServiceError('failed', 'Wireshark did not open the live stream within 20 s.', {
          hint: `Try it by hand: ${command.join(' ')}`,
        });
      }
    },
    recent: async (limit: number) => (listener ? listener.request('recent', { limit }) : []),
    async decap({ input, output, port }: HandlerParams<'captures.decap'>) {
      try {
        return await decapFile(input, output, port);
      } catch (error) {
        throw new ServiceError('failed', `decap failed: ${(error as Error).message}`);
      }
    },
    /** Status every intervalMs, and the packets seen since the last event, until the signal aborts. */
    async live(intervalMs: number, emit: (event: LiveEvent) => void, signal: AbortSignal): Promise<void> {
      let seen = 0;
      let watched: ReceiveProcess | null | undefined;
      let busy = false;
      const tick = async () => {
        if (busy) return; // the receiver answers within a tick; a slow answer skips one, never piles up
        busy = true;
        try {
          const receiver = listener;
          if (receiver !== watched) {
            // A listener already running when the view opens: its recent packets are not news.
            seen = watched === undefined && receiver ? (await receiver.request('live', { afterSeq: 0, limit: 0 })).lastSeq : 0;
            watched = receiver;
          }
          if (!receiver) {
            emit({ type: 'status', status: last });
            return;
          }
          const live = await receiver.request('live', { afterSeq: seen, limit: livePacketsPerEvent });
          if (signal.aborted) return;
          emit({ type: 'status', status: live.status });
          if (live.packets.length > 0) {
            seen = live.lastSeq;
            emit({ type: 'packets', packets: live.packets });
          }
        } catch {
          if (!signal.aborted) emit({ type: 'status', status: listener?.last ?? last });
        } finally {
          busy = false;
        }
      };
      await tick();
      const timer = setInterval(() => void tick(), intervalMs);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      clearInterval(timer);
    },
    async send(
      { file, to, rate, loop }: StreamHandlerParams<'captures.send'>,
      emit: (progress: SendProgress) => void,
      signal: AbortSignal,
    ): Promise<void> {
      let target: ReturnType<typeof parseTarget>;
      try {
        target = parseTarget(to);
      } catch (error) {
        throw new ServiceError('invalid-argument', (error as Error).message, { field: 'params.to' });
      }
      try {
        const progress = await sendCapture({
          file,
          host: target.host,
          port: target.port,
          loop,
          signal,
          ...(rate !== undefined ? { rate } : {}),
          onProgress: (p) => emit({ ...p, done: false }),
        });
        emit({ ...progress, done: true });
      } catch (error) {
        throw new ServiceError('failed', `send failed: ${(error as Error).message}`);
      }
    },
  };
}

/** "UDP port 37008", "HEP port 9060", or both. */
function listeningOn(status: CaptureStatus): string {
  const ports = [status.port !== null ? `UDP port ${status.port}` : null, status.hep ? `HEP port ${status.hep.port}` : null];
  return ports.filter(Boolean).join(' and ') || 'no port';
}

/** The file output's options from the contract's settings (a ring needs a rotation to know when to move on). */
function fileOptions(settings: RecordSettings): FileOutputOptions {
  if (settings.ring !== undefined && settings.rotateBytes === undefined && settings.rotateSeconds === undefined) {
    throw new ServiceError('invalid-argument', 'A ring buffer needs a rotation setting (size or seconds).', { field: 'params.ring' });
  }
  return { path: settings.path, ...pick(settings, ['rotateBytes', 'rotateSeconds', 'ring']) };
}

function pick<T extends object, K extends keyof T>(from: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

function bindError(error: unknown, port: number, bind: string, what: 'TZSP' | 'HEP' = 'TZSP'): ServiceError {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE')
    return new ServiceError('unavailable', `${what === 'HEP' ? 'HEP (UDP and TCP)' : 'UDP'} port ${port} on ${bind} is already in use.`, {
      hint:
        what === 'HEP'
          ? 'Another HEP receiver (heplify-server, HOMER, another Lanyard) holds it; stop it or pick --port.'
          : 'Another receiver (udpdump, tzsp2pcap, another Lanyard) holds it; stop it or pick --port.',
    });
  if (e.code === 'EACCES')
    return new ServiceError('unavailable', `Not allowed to bind UDP port ${port}.`, {
      hint: 'Ports below 1024 need privileges; use the default 37008.',
    });
  if (e.code === 'EADDRNOTAVAIL')
    return new ServiceError('invalid-argument', `${bind} is not an address of this machine.`, { field: 'params.bind' });
  return new ServiceError('invalid-argument', e.message, { field: 'params.bind' });
}
