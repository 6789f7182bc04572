// The engine's streaming answers: /events (JSON per line) and container logs (raw, or multiplexed without a TTY).
import type { EngineEvent, LogChunk } from './contract.ts';
import { ServiceError } from '../contract/errors.ts';
import { quoted, type Engine } from './engine.ts';

/** The longest /events line Lanyard buffers: one JSON event (real ones are under 2 kB). */
export const eventLineCap = 1024 * 1024;
/** The largest log frame Lanyard buffers (the engine writes its output in frames of 32 kB or less). */
export const logFrameCap = 8 * 1024 * 1024;

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** One /events line as a contract event: JSON or a clear error; fields of the wrong type read as empty. */
export function parseEvent(line: string): EngineEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new ServiceError(
      'failed',
      `The Docker engine sent an /events line that is not JSON (${line.length} characters starting "${quoted(line, 40)}").`,
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ServiceError('failed', 'The Docker engine sent an /events line that is not a JSON object.');
  const event = raw as Record<string, unknown>;
  const actor = typeof event.Actor === 'object' && event.Actor !== null ? (event.Actor as Record<string, unknown>) : {};
  const attributes = typeof actor.Attributes === 'object' && actor.Attributes !== null ? (actor.Attributes as Record<string, unknown>) : {};
  return {
    type: text(event.Type) || 'container',
    action: text(event.Action),
    id: text(actor.ID),
    name: text(attributes.name),
    time: typeof event.time === 'number' && Number.isFinite(event.time) ? event.time : 0,
  };
}

/** Split a stream of JSON lines into events; a line longer than the cap is refused, never buffered on. */
export function createEventSplitter(emit: (event: EngineEvent) => void): (data: Buffer) => void {
  const decoder = new TextDecoder();
  let pending = '';
  return (data) => {
    pending += decoder.decode(data, { stream: true });
    let start = 0;
    let newline: number;
    while ((newline = pending.indexOf('\n', start)) >= 0) {
      const line = pending.slice(start, newline).trim();
      start = newline + 1;
      if (line) emit(parseEvent(line));
    }
    pending = pending.slice(start);
    if (pending.length > eventLineCap)
      throw new ServiceError(
        'failed',
        `The Docker engine sent an /events line longer than ${eventLineCap / 1024} kB, the most Lanyard buffers for one event; the stream was closed.`,
      );
  };
}

/** Follow container events until the signal aborts. */
export async function followEvents(engine: Engine, emit: (event: EngineEvent) => void, signal: AbortSignal): Promise<void> {
  const response = await engine.stream('/events', { filters: JSON.stringify({ type: ['container'] }) }, signal);
  const split = createEventSplitter(emit);
  try {
    for await (const chunk of response) split(chunk as Buffer);
  } catch (error) {
    response.destroy();
    if (!signal.aborted) throw error;
  }
}

/**
 * Split the engine's multiplexed log stream: frames of an 8-byte header (stream 1 = stdout, 2 = stderr,
 * three zero bytes, u32 big-endian length) then the payload. Frames may be cut anywhere by the transport.
 */
export function createDemuxer(emit: (chunk: LogChunk) => void): (data: Buffer) => void {
  let buffered: Buffer = Buffer.alloc(0);
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  return (data) => {
    buffered = buffered.length ? Buffer.concat([buffered, data]) : data;
    while (buffered.length >= 8) {
      const length = buffered.readUInt32BE(4);
      if (length > logFrameCap)
        throw new ServiceError(
          'failed',
          `The Docker engine sent a log frame of ${length} bytes, more than ${logFrameCap / (1024 * 1024)} MB, the most Lanyard buffers for one frame; the stream was closed.`,
        );
      if (buffered.length < 8 + length) break;
      const stream = buffered[0] === 2 ? 'stderr' : 'stdout';
      const text = decoders[stream].decode(buffered.subarray(8, 8 + length), { stream: true });
      buffered = buffered.subarray(8 + length);
      if (text) emit({ stream, text });
    }
  };
}

export async function followLogs(
  engine: Engine,
  container: string,
  options: { tail: number; follow: boolean },
  emit: (chunk: LogChunk) => void,
  signal: AbortSignal,
): Promise<void> {
  const info = await engine.json<{ Config?: { Tty?: unknown } | null } | null>('GET', `/containers/${encodeURIComponent(container)}/json`);
  const response = await engine.stream(
    `/containers/${encodeURIComponent(container)}/logs`,
    { stdout: true, stderr: true, follow: options.follow, tail: options.tail },
    signal,
  );
  const tty = info?.Config?.Tty === true;
  const decoder = new TextDecoder();
  const demux = createDemuxer(emit);
  try {
    for await (const chunk of response) {
      if (tty) {
        const text = decoder.decode(chunk as Buffer, { stream: true });
        if (text) emit({ stream: 'stdout', text });
      } else demux(chunk as Buffer);
    }
  } catch (error) {
    response.destroy();
    if (!signal.aborted) throw error;
  }
}
