// The in-process transport (CLI, unit tests): a pair of channels that clone every message,
// so handlers see exactly what they would over a port or socket.
import { buildApi, type LanyardApi } from '../contract/api.ts';
import { createClient, type LanyardClient } from '../contract/client.ts';
import type { Channel, ClientMessage, HostMessage } from '../contract/wire.ts';
import { createHost, type Host } from './host.ts';
import { createHandlerTable, type HostOptions } from './services.ts';

type Listener<T> = (message: T) => void;

export function channelPair<A, B>(): [Channel<A, B>, Channel<B, A>] {
  const toA: Listener<A>[] = [];
  const toB: Listener<B>[] = [];
  const closers: (() => void)[] = [];
  const deliver = <T>(listeners: Listener<T>[], message: T) => {
    const copy = structuredClone(message);
    queueMicrotask(() => listeners.forEach((l) => l(copy)));
  };
  const a: Channel<A, B> = { send: (m) => deliver(toB, m), onMessage: (l) => void toA.push(l), onClose: (l) => void closers.push(l) };
  const b: Channel<B, A> = { send: (m) => deliver(toA, m), onMessage: (l) => void toB.push(l), onClose: (l) => void closers.push(l) };
  return [a, b];
}

export interface InProcess {
  host: Host;
  client: LanyardClient;
  api: LanyardApi;
}

export function startInProcess(options: Omit<HostOptions, 'transport'> = {}): InProcess {
  const host = createHost(createHandlerTable({ ...options, transport: 'in-process' }));
  const [hostEnd, clientEnd] = channelPair<ClientMessage, HostMessage>();
  host.connect(hostEnd);
  const client = createClient(clientEnd);
  return { host, client, api: buildApi(client) };
}
