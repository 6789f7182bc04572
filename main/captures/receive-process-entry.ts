// The receiver: the listener (TZSP and HEP sockets, decapsulation, sensor table, pcapng outputs to files, rings,
// pipes and TCP readers) runs here, in a process of its own (forked by receive-process.ts), so that a busy host
// (terminals, imports, a long request) can neither make the kernel drop datagrams nor pay per packet, and so that
// on Linux its CPU is not counted against the host's session (system/helper-process.ts). The host asks by message;
// the transport tap's packets go to it in batches (tap-batch.ts), at most every `batchMs`. It exits when the host
// goes away (its IPC channel closes), after closing every output, so a capture file ends whole. Before its socket
// binds, made-up datagrams warm the receive path up (receive-warm-up.ts), so a busy machine's first second is not lost.
import type { Writable } from 'node:stream';
import { ServiceError } from '../contract/errors.ts';
import type { CaptureStatus, OutputInfo } from './contract.ts';
import { FileOutput } from './file-output.ts';
import { Listener } from './listener.ts';
import { openPipeWriter, stdoutWriter } from './pipe-output.ts';
import { warmReceivePath } from './receive-warm-up.ts';
import type { ReceiverNotice, ReceiverReply, ReceiverRequest } from './receive-process.ts';
import { StreamOutput } from './stream-output.ts';
import { TapBatchWriter } from './tap-batch.ts';
import { TcpServerOutput } from './tcp-output.ts';
import { TransportTap } from './transport-tap.ts';

/** How often the tap's packets go to the host: often enough for a live view, rarely enough to cost nothing. */
const batchMs = 25;
/** KiB of batches the host has not read yet, at most (a stalled host); past it packets are counted as behind. */
const maxUnreadKib = 64 * 1024;

const tap = new TransportTap();
const batch = new TapBatchWriter();
/** KiB of batches sent, and of those the host has said it read. */
let sentKib = 0;
let readKib = 0;
let listener: Listener | null = null;
/** The listener's one stop, whoever asks first: the host's request, or the host going away in the middle of it. */
let stopping: Promise<CaptureStatus> | null = null;
let stopTap: (() => void) | null = null;

function flush(): void {
  const count = batch.count;
  const taken = batch.take();
  if (!taken) return;
  if (sentKib - readKib > maxUnreadKib) {
    if (listener) listener.tapBehind += count;
    return;
  }
  const kib = Math.ceil(taken.byteLength / 1024);
  sentKib += kib;
  send({ batch: taken, kib });
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

async function handle(request: ReceiverRequest): Promise<unknown> {
  switch (request.op) {
    case 'start':
      // Not a reason to fail the start: a receiver that could not warm up is only slower in its first second.
      if (request.settings.tzsp) await warmReceivePath().catch(() => undefined);
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
      const final = await (stopping ??= l.stop());
      setTap(false);
      flush(); // what the tap holds reaches the host before the final status does
      clearInterval(ticker);
      listener = null;
      return { ...final, tapBehind: l.tapBehind };
    }
  }
}

function send(reply: ReceiverReply): void {
  if (process.connected) process.send!(reply);
}

process.on('message', (message: ReceiverRequest | ReceiverNotice) => {
  if ('tap' in message) return setTap(message.tap);
  if ('readKib' in message) {
    readKib += message.readKib;
    return;
  }
  handle(message).then(
    (value) => send({ id: message.id, value }),
    (error: unknown) => send({ id: message.id, error: wireError(error) }),
  );
});

// The host went away (or is done with this receiver): close the outputs so every file ends whole, then exit.
process.on('disconnect', () => {
  clearInterval(ticker);
  if (listener) stopping ??= listener.stop();
  void (stopping ?? Promise.resolve()).finally(() => process.exit(0));
});

// Ctrl+C in the terminal of `lanyard tzsp listen` is the host's to handle (it stops the capture and prints the
// summary); where this process shares that terminal (not Linux: see helper-process.ts), it must not end first.
process.on('SIGINT', () => undefined);

// An uncaught error ends the receiver, as it would any Node process, but the host is told what it was.
process.on('uncaughtException', (error) => {
  process.stderr.write(`lanyard captures receiver: ${error.stack ?? error.message}\n`);
  if (!process.connected) process.exit(70);
  process.send!({ fatal: error.message } satisfies ReceiverReply, () => process.exit(70));
});

/** What the host needs to rebuild the error: a ServiceError whole; else message, errno code and which socket. */
function wireError(error: unknown): Extract<ReceiverReply, { error: unknown }>['error'] {
  if (error instanceof ServiceError) return { service: error.toWire() };
  const e = error as NodeJS.ErrnoException & { source?: string };
  return {
    message: e instanceof Error ? e.message : String(error),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.source === 'string' ? { source: e.source } : {}),
  };
}
