// The receive thread: the listener (TZSP and HEP sockets, decapsulation, sensor table, pcapng outputs to files,
// rings, pipes and TCP readers) runs here, off the host's thread, so that a busy host (terminals, imports, a
// long request) can neither make the kernel drop datagrams nor pay per packet. The host (receive-thread.ts)
// asks by message; the transport tap's packets go to it in batches (tap-batch.ts), at most every `batchMs`.
import type { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { ServiceError } from '../contract/errors.ts';
import type { OutputInfo } from './contract.ts';
import { FileOutput } from './file-output.ts';
import { Listener } from './listener.ts';
import { openPipeWriter, stdoutWriter } from './pipe-output.ts';
import type { ThreadReply, ThreadRequest, ThreadSetup } from './receive-thread.ts';
import { StreamOutput } from './stream-output.ts';
import { TapBatchWriter } from './tap-batch.ts';
import { TcpServerOutput } from './tcp-output.ts';
import { TransportTap } from './transport-tap.ts';

/** How often the tap's packets go to the host: often enough for a live view, rarely enough to cost nothing. */
const batchMs = 25;
/** KiB of batches the host has not read yet, at most (a stalled host); past it packets are counted as behind. */
const maxUnreadKib = 64 * 1024;

const port = parentPort!;
const { consumedKib } = workerData as ThreadSetup;
const consumed = new Int32Array(consumedKib);
const tap = new TransportTap();
const batch = new TapBatchWriter();
let sentKib = 0;
let listener: Listener | null = null;
let stopTap: (() => void) | null = null;

function flush(): void {
  const count = batch.count;
  const taken = batch.take();
  if (!taken) return;
  // Both counters wrap alike (32-bit), so their difference stays right.
  if (((sentKib - Atomics.load(consumed, 0)) | 0) > maxUnreadKib) {
    if (listener) listener.tapBehind += count;
    return;
  }
  const kib = Math.ceil(taken.byteLength / 1024);
  sentKib = (sentKib + kib) | 0;
  port.postMessage({ batch: taken, kib } satisfies ThreadReply, [taken]);
}

const ticker = setInterval(flush, batchMs);

function setTap(active: boolean): void {
  if (active && !stopTap)
    stopTap = tap.add((p) => {
      batch.add(p);
      if (batch.full) flush();
    });
  else if (!active && stopTap) {
    stopTap();
    stopTap = null;
  }
}

function running(): Listener {
  if (!listener) throw new ServiceError('unavailable', 'The TZSP listener is not running.');
  return listener;
}

/** A stream output that leaves the listener when its reader goes away (Wireshark closed, pipe broken). */
function streamOutput(l: Listener, kind: 'fifo' | 'stdout' | 'wireshark', writable: Writable, label: string): OutputInfo {
  let error: string | null = null;
  const output: StreamOutput = new StreamOutput(writable, {
    label,
    onEnd: (reason) => {
      error = reason;
      l.dropOutput(output);
    },
  });
  return l.addOutput(kind, output, { error: () => error });
}

async function handle(request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case 'start':
      listener = await Listener.start(request.settings, tap);
      return listener.status();
    case 'status':
      return running().status();
    case 'live': {
      const l = running();
      return { status: l.status(), packets: l.recent(request.limit, request.afterSeq), lastSeq: l.lastSeq };
    }
    case 'recent':
      return listener?.recent(request.limit) ?? [];
    case 'record': {
      const l = running();
      const file = new FileOutput(request.settings);
      return l.addOutput('file', file, { files: () => file.files(), error: () => file.error });
    }
    case 'stdout':
      return streamOutput(running(), 'stdout', stdoutWriter(), 'standard output');
    case 'pipe': {
      const l = running();
      return streamOutput(l, request.kind, await openPipeWriter(request.path, request.timeoutMs), request.label);
    }
    case 'tcp': {
      const l = running();
      const server = new TcpServerOutput();
      await server.listen({ port: request.port, once: request.once });
      return { port: server.port, output: l.addOutput(request.kind, server) };
    }
    case 'closeOutput':
      return (await running().closeOutput(request.output)) ?? null;
    case 'stop': {
      const l = running();
      const final = await l.stop();
      setTap(false);
      flush(); // what the tap holds reaches the host before the final status does
      clearInterval(ticker);
      listener = null;
      return { ...final, tapBehind: l.tapBehind };
    }
  }
}

port.on('message', (message: ThreadRequest | { tap: boolean }) => {
  if ('tap' in message) {
    setTap(message.tap);
    return;
  }
  handle(message).then(
    (value) => port.postMessage({ id: message.id, value } satisfies ThreadReply),
    (error: unknown) => port.postMessage({ id: message.id, error: wireError(error) } satisfies ThreadReply),
  );
});

/** What the host needs to rebuild the error: a ServiceError whole; else message, errno code and which socket. */
function wireError(error: unknown): Extract<ThreadReply, { error: unknown }>['error'] {
  if (error instanceof ServiceError) return { service: error.toWire() };
  const e = error as NodeJS.ErrnoException & { source?: string };
  return {
    message: e instanceof Error ? e.message : String(error),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.source === 'string' ? { source: e.source } : {}),
  };
}
