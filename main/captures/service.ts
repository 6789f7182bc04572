// The captures service: one TZSP listener per service host, its outputs, Wireshark hand-off, send and decap.
// handlers.ts maps the contract's names onto it.
import type { Writable } from 'node:stream';
import { ServiceError } from '../contract/errors.ts';
import type { CaptureStatus, LiveEvent, OutputInfo, RecordSettings, SendProgress } from './contract.ts';
import type { HandlerParams, StreamHandlerParams } from '../contract/handlers.ts';
import { parseAllowList } from './allow-list.ts';
import { decapFile } from './decap.ts';
import { FileOutput } from './file-output.ts';
import { Listener } from './listener.ts';
import { openPipeWriter, stdoutWriter } from './pipe-output.ts';
import { parseTarget, sendCapture } from './sender.ts';
import { StreamOutput } from './stream-output.ts';
import { TcpServerOutput } from './tcp-output.ts';
import { TransportTap } from './transport-tap.ts';
import { findWireshark, launchWireshark, makeFifo, wiresharkMissing } from './wireshark.ts';

const idle: CaptureStatus = {
  running: false,
  settings: null,
  address: null,
  port: null,
  receiveBufferBytes: 0,
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
  forward: null,
};

const livePacketsPerEvent = 200;

export type CapturesService = ReturnType<typeof createCapturesService>;

export function createCapturesService(options: { env: NodeJS.ProcessEnv; tap?: TransportTap }) {
  const tap = options.tap ?? new TransportTap();
  let listener: Listener | null = null;
  let last: CaptureStatus = idle;

  const running = (): Listener => {
    if (!listener)
      throw new ServiceError('unavailable', 'The TZSP listener is not running.', {
        hint: 'Start it first (captures.start / `lanyard tzsp listen`).',
      });
    return listener;
  };

  const record = (l: Listener, settings: RecordSettings): OutputInfo => {
    if (settings.ring !== undefined && settings.rotateBytes === undefined && settings.rotateSeconds === undefined) {
      throw new ServiceError('invalid-argument', 'A ring buffer needs a rotation setting (size or seconds).', { field: 'params.ring' });
    }
    const file = new FileOutput({ path: settings.path, ...pick(settings, ['rotateBytes', 'rotateSeconds', 'ring']) });
    return l.addOutput('file', file, { files: () => file.files(), error: () => file.error });
  };

  /** A stream output that leaves the listener when its reader goes away (Wireshark closed, pipe broken). */
  const streamOutput = (l: Listener, kind: 'fifo' | 'stdout' | 'wireshark', writable: Writable, label: string): OutputInfo => {
    let error: string | null = null;
    const output: StreamOutput = new StreamOutput(writable, {
      label,
      onEnd: (reason) => {
        error = reason;
        l.dropOutput(output);
      },
    });
    return l.addOutput(kind, output, { error: () => error });
  };

  const stop = async (): Promise<CaptureStatus> => {
    if (!listener) return last;
    const stopping = listener;
    listener = null;
    last = await stopping.stop();
    return last;
  };

  return {
    async start({ record: recordSettings, fifo, stdout, ...settings }: HandlerParams<'captures.start'>): Promise<CaptureStatus> {
      if (listener)
        throw new ServiceError('unavailable', `The listener is already running on ${listeningOn(listener.status())}.`, {
          hint: 'Stop it first.',
        });
      try {
        parseAllowList(settings.allow);
      } catch (error) {
        throw new ServiceError('invalid-argument', `Allow-list: ${(error as Error).message}.`, { field: 'params.allow' });
      }
      let started: Listener;
      try {
        started = await Listener.start(settings, tap);
      } catch (error) {
        const hep = (error as { source?: string }).source === 'hep' ? settings.hep : undefined;
        throw hep ? bindError(error, hep.port, hep.bind, 'HEP') : bindError(error, settings.port, settings.bind);
      }
      listener = started;
      try {
        if (recordSettings) record(started, recordSettings);
        if (stdout) streamOutput(started, 'stdout', stdoutWriter(), 'standard output');
        if (fifo) streamOutput(started, 'fifo', await openPipeWriter(fifo), fifo);
      } catch (error) {
        listener = null;
        await started.stop();
        if (error instanceof ServiceError) throw error;
        throw new ServiceError('failed', `Could not open the output: ${(error as Error).message}`);
      }
      return started.status();
    },
    stop,
    status: (): CaptureStatus => listener?.status() ?? last,
    record: (settings: RecordSettings): OutputInfo => record(running(), settings),
    async closeOutput(id: string): Promise<OutputInfo> {
      const info = await running().closeOutput(id);
      if (!info) throw new ServiceError('not-found', `There is no output "${id}".`);
      return info;
    },
    async serveTcp(port: number) {
      const l = running();
      const server = new TcpServerOutput();
      await server.listen({ port });
      return { port: server.port, output: l.addOutput('tcp', server) };
    },
    async openWireshark(via: HandlerParams<'captures.openWireshark'>['via']) {
      const l = running();
      const program = findWireshark(options.env);
      if (!program) throw wiresharkMissing();
      if (via === 'tcp' || (via === 'auto' && process.platform === 'win32')) {
        const server = new TcpServerOutput();
        await server.listen({ port: 0, once: true });
        const command = launchWireshark(program, `TCP@127.0.0.1:${server.port}`);
        return { command, output: l.addOutput('wireshark', server) };
      }
      const fifo = await makeFifo();
      const command = launchWireshark(program, fifo);
      let writer;
      try {
        writer = await openPipeWriter(fifo, 20_000);
      } catch {
        throw new ServiceError('failed', 'Wireshark did not open the live stream within 20 s.', {
          hint: `Try it by hand: ${command.join(' ')}`,
        });
      }
      return { command, output: streamOutput(l, 'wireshark', writer, `Wireshark via ${fifo}`) };
    },
    recent: (limit: number) => listener?.recent(limit) ?? [],
    async decap({ input, output, port }: HandlerParams<'captures.decap'>) {
      try {
        return await decapFile(input, output, port);
      } catch (error) {
        throw new ServiceError('failed', `decap failed: ${(error as Error).message}`);
      }
    },
    /** Status every intervalMs, and the packets seen since the last event, until the signal aborts. */
    async live(intervalMs: number, emit: (event: LiveEvent) => void, signal: AbortSignal): Promise<void> {
      let seen = listener?.lastSeq ?? 0;
      let watched = listener;
      const tick = () => {
        if (listener !== watched) {
          watched = listener;
          seen = 0;
        }
        emit({ type: 'status', status: listener?.status() ?? last });
        if (!listener) return;
        const packets = listener.recent(livePacketsPerEvent, seen);
        if (packets.length > 0) {
          seen = listener.lastSeq;
          emit({ type: 'packets', packets });
        }
      };
      tick();
      const timer = setInterval(tick, intervalMs);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      clearInterval(timer);
    },
    async send(
      { file, to, rate, loop }: StreamHandlerParams<'captures.send'>,
      emit: (progress: SendProgress) => void,
      signal: AbortSignal,
    ): Promise<void> {
      let target;
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
