// The service host's dispatcher: validates each message against the contract and runs its handler.
// Transport-agnostic: every transport hands it a Channel per connection.
import type { z } from 'zod';
import { methods, streams } from '../contract/index.ts';
import type { MethodName, StreamName } from '../contract/index.ts';
import type { MethodHandlers, StreamHandlerTable } from '../contract/handlers.ts';
import { ServiceError } from '../contract/errors.ts';
import type { Channel, ClientMessage, HostMessage, WireError } from '../contract/wire.ts';

export interface HandlerTable {
  methods: MethodHandlers;
  streams: StreamHandlerTable;
  /** Load every service's code ahead of its first request (called once the host is ready). */
  warm?(): Promise<void>;
  /** Release what the services hold; called by close(). */
  dispose?(): Promise<void>;
}

export interface Host {
  /** Serve one connection until its channel closes. */
  connect(channel: Channel<ClientMessage, HostMessage>): void;
  /** Cancel every running stream and release the services' resources (on shutdown). */
  close(): Promise<void>;
}

type Log = (message: string) => void;

export interface HostOptions {
  /** Told about each message dropped as malformed; by default each is logged. */
  dropped?(reason: string): void;
}

/** Requests and streams one connection may have running at once; beyond it a request is refused, not queued. */
export const maxInFlightPerConnection = 512;

export function createHost(table: HandlerTable, log: Log = (m) => process.stderr.write(`${m}\n`), options: HostOptions = {}): Host {
  const live = new Set<AbortController>();
  const dropped = options.dropped ?? ((reason: string) => log(`lanyard host: dropped a malformed message: ${reason}`));

  function connect(channel: Channel<ClientMessage, HostMessage>): void {
    const running = new Map<number, AbortController>();
    let inFlight = 0;
    let open = true;
    const send = (message: HostMessage) => {
      if (open) channel.send(message);
    };

    channel.onClose(() => {
      open = false;
      for (const controller of running.values()) controller.abort();
      running.clear();
    });

    channel.onMessage((raw) => {
      const message = checkEnvelope(raw);
      if (typeof message === 'string') return dropped(message);
      if (message.t === 'unsub') return running.get(message.id)?.abort();
      const refusal =
        message.t === 'sub' && running.has(message.id) ? duplicate(message.id) : inFlight >= maxInFlightPerConnection ? busy() : null;
      if (refusal) {
        const error = refusal.toWire();
        return send(message.t === 'req' ? { t: 'res', id: message.id, ok: false, error } : { t: 'end', id: message.id, error });
      }
      inFlight += 1;
      const done = () => void (inFlight -= 1);
      if (message.t === 'req') void answer(message.id, message.method, message.params).finally(done);
      else void stream(message.id, message.stream, message.params).finally(done);
    });

    async function answer(id: number, method: string, params: unknown): Promise<void> {
      try {
        if (!Object.hasOwn(methods, method)) throw unknown('method', method);
        const name = method as MethodName;
        const parsed = validate(name, methods[name].params, params);
        const handler = table.methods[name] as (p: unknown) => unknown;
        send({ t: 'res', id, ok: true, result: await handler(parsed) });
      } catch (error) {
        send({ t: 'res', id, ok: false, error: toWire(error, method, log) });
      }
    }

    async function stream(id: number, name: string, params: unknown): Promise<void> {
      const controller = new AbortController();
      try {
        if (!Object.hasOwn(streams, name)) throw unknown('stream', name);
        const key = name as StreamName;
        const parsed = validate(key, streams[key].params, params);
        running.set(id, controller);
        live.add(controller);
        const handler = table.streams[key] as (p: unknown, emit: (e: unknown) => void, s: AbortSignal) => Promise<void>;
        await handler(
          parsed,
          (data) => {
            if (!controller.signal.aborted) send({ t: 'evt', id, data });
          },
          controller.signal,
        );
        if (!controller.signal.aborted) send({ t: 'end', id });
      } catch (error) {
        if (!controller.signal.aborted) send({ t: 'end', id, error: toWire(error, name, log) });
      } finally {
        running.delete(id);
        live.delete(controller);
      }
    }
  }

  return {
    connect,
    async close() {
      for (const controller of live) controller.abort();
      live.clear();
      await table.dispose?.();
    },
  };
}

function busy(): ServiceError {
  return new ServiceError(
    'unavailable',
    `Too many requests in flight on this connection (${maxInFlightPerConnection}); this one was refused.`,
  );
}

function duplicate(id: number): ServiceError {
  return new ServiceError('invalid-argument', `A stream with id ${id} is already running on this connection.`, { field: 'id' });
}

function unknown(kind: 'method' | 'stream', name: string): ServiceError {
  // The name comes from the peer: quote a bounded prefix, not megabytes of it.
  const shown = name.length > 80 ? `${name.slice(0, 80)}…` : name;
  return new ServiceError('unknown-method', `There is no ${kind} called "${shown}".`, {
    hint: 'The app and its service host may be from different versions; restart Lanyard.',
  });
}

/** Parse params with the contract's schema; the first issue becomes a message naming its field. */
function validate(name: string, schema: z.ZodType, params: unknown): unknown {
  const result = schema.safeParse(params ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = bounded(issue && issue.path.length > 0 ? `params.${issue.path.map(String).join('.')}` : 'params');
  // zod quotes unrecognised keys, which the peer chose: keep the message a sentence, not an echo.
  const what = bounded(issue?.message ?? 'invalid value');
  throw new ServiceError('invalid-argument', `${name}: ${path}: ${what}`, { field: path });
}

function bounded(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function toWire(error: unknown, name: string, log: Log): WireError {
  if (error instanceof ServiceError) return error.toWire();
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log(`lanyard host: ${name} failed unexpectedly: ${detail}`);
  return {
    code: 'internal',
    message: `${name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
    hint: 'This is a bug in Lanyard. The service host logged the details.',
  };
}

/** The envelope is checked by hand: it is tiny, and it must never throw. */
function checkEnvelope(raw: unknown): ClientMessage | string {
  if (typeof raw !== 'object' || raw === null) return 'not an object';
  const m = raw as Record<string, unknown>;
  if (!Number.isSafeInteger(m.id)) return 'id must be an integer';
  const id = m.id as number;
  if (m.t === 'req' && typeof m.method === 'string') return { t: 'req', id, method: m.method, params: m.params };
  if (m.t === 'sub' && typeof m.stream === 'string') return { t: 'sub', id, stream: m.stream, params: m.params };
  if (m.t === 'unsub') return { t: 'unsub', id };
  return `unknown message type ${typeof m.t === 'string' ? JSON.stringify(m.t.slice(0, 40)) : typeof m.t}`;
}
