// The engine's streaming answers: /events (JSON per line) and container logs (raw, or multiplexed without a TTY).
import type { EngineEvent, LogChunk } from '../contract/docker.ts';
import type { Engine } from './engine.ts';

interface ApiEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
}

/** Follow container events until the signal aborts. */
export async function followEvents(engine: Engine, emit: (event: EngineEvent) => void, signal: AbortSignal): Promise<void> {
  const response = await engine.stream('/events', { filters: JSON.stringify({ type: ['container'] }) }, signal);
  let pending = '';
  try {
    for await (const chunk of response) {
      pending += (chunk as Buffer).toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (!line) continue;
        const raw = JSON.parse(line) as ApiEvent;
        emit({ type: raw.Type ?? 'container', action: raw.Action ?? '', id: raw.Actor?.ID ?? '', name: raw.Actor?.Attributes?.name ?? '', time: raw.time ?? 0 });
      }
    }
  } catch (error) {
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
      if (buffered.length < 8 + length) break;
      const stream = buffered[0] === 2 ? 'stderr' : 'stdout';
      const text = decoders[stream].decode(buffered.subarray(8, 8 + length), { stream: true });
      buffered = buffered.subarray(8 + length);
      if (text) emit({ stream, text });
    }
  };
}

export async function followLogs(engine: Engine, container: string, options: { tail: number; follow: boolean }, emit: (chunk: LogChunk) => void, signal: AbortSignal): Promise<void> {
  const info = await engine.json<{ Config?: { Tty?: boolean } }>('GET', `/containers/${encodeURIComponent(container)}/json`);
  const response = await engine.stream(`/containers/${encodeURIComponent(container)}/logs`, { stdout: true, stderr: true, follow: options.follow, tail: options.tail }, signal);
  const tty = info.Config?.Tty === true;
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
    if (!signal.aborted) throw error;
  }
}
