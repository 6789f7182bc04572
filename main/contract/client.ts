// The typed client over any Channel. Runs anywhere: renderer, preload, CLI, tests (no Node imports).
import { ServiceError } from './errors.ts';
import type { MethodName, Params, Result, StreamEvent, StreamName, StreamParams } from './index.ts';
import type { Channel, ClientMessage, HostMessage, WireError } from './wire.ts';

export interface StreamHandlers<E> {
  next(event: E): void;
  error?(error: ServiceError): void;
  complete?(): void;
}
export type Unsubscribe = () => void;

export interface LanyardClient {
  request<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  subscribe<S extends StreamName>(stream: S, params: StreamParams<S>, handlers: StreamHandlers<StreamEvent<S>>): Unsubscribe;
}

type Pending = { resolve(value: unknown): void; reject(error: ServiceError): void };
type Subscription = StreamHandlers<unknown>;

const closedError: WireError = {
  code: 'unavailable',
  message: 'The connection to the Lanyard service host was closed.',
  hint: 'Restart Lanyard; if it keeps happening, run `lanyard doctor`.',
};

export function createClient(channel: Channel<HostMessage, ClientMessage>): LanyardClient {
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, Pending>();
  const subscriptions = new Map<number, Subscription>();

  channel.onMessage((message) => {
    if (message.t === 'res') {
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(ServiceError.fromWire(message.error));
    } else if (message.t === 'evt') {
      subscriptions.get(message.id)?.next(message.data);
    } else if (message.t === 'end') {
      const sub = subscriptions.get(message.id);
      subscriptions.delete(message.id);
      if (sub && message.error) sub.error?.(ServiceError.fromWire(message.error));
      else sub?.complete?.();
    }
  });

  channel.onClose(() => {
    closed = true;
    for (const waiter of pending.values()) waiter.reject(ServiceError.fromWire(closedError));
    for (const sub of subscriptions.values()) sub.error?.(ServiceError.fromWire(closedError));
    pending.clear();
    subscriptions.clear();
  });

  return {
    request(method, params) {
      if (closed) return Promise.reject(ServiceError.fromWire(closedError));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        channel.send({ t: 'req', id, method, params });
      });
    },
    subscribe(stream, params, handlers) {
      if (closed) {
        handlers.error?.(ServiceError.fromWire(closedError));
        return () => {};
      }
      const id = nextId++;
      subscriptions.set(id, handlers as Subscription);
      channel.send({ t: 'sub', id, stream, params });
      return () => {
        if (subscriptions.delete(id) && !closed) channel.send({ t: 'unsub', id });
      };
    },
  };
}
