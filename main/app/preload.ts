// The sandboxed preload: it exposes exactly the contract's typed client as `window.lanyard`, nothing else.
// Errors cross the bridge as plain WireError objects, since contextBridge drops Error subclasses' fields.
import { contextBridge, ipcRenderer } from 'electron';
import { buildApi } from '../contract/api.ts';
import { createClient, type StreamHandlers } from '../contract/client.ts';
import { ServiceError } from '../contract/errors.ts';
import type { Channel, ClientMessage, HostMessage } from '../contract/wire.ts';

const connectChannel = 'lanyard:connect';
const portChannel = 'lanyard:port';

function portChannelOnce(): Channel<HostMessage, ClientMessage> {
  const queue: ClientMessage[] = [];
  const listeners: ((message: HostMessage) => void)[] = [];
  const closers: (() => void)[] = [];
  let port: MessagePort | null = null;
  ipcRenderer.once(portChannel, (event) => {
    const received = event.ports[0];
    if (!received) return;
    port = received;
    received.onmessage = (message) => listeners.forEach((l) => l(message.data as HostMessage));
    received.addEventListener('close', () => closers.forEach((c) => c()));
    received.start();
    for (const message of queue.splice(0)) received.postMessage(message);
  });
  ipcRenderer.send(connectChannel);
  return {
    send: (message) => (port ? port.postMessage(message) : void queue.push(message)),
    onMessage: (listener) => void listeners.push(listener),
    onClose: (listener) => void closers.push(listener),
  };
}

const toWire = (error: unknown) => (error instanceof ServiceError ? error.toWire() : { code: 'internal', message: String(error) });

function bridgeSafe(api: Record<string, Record<string, (...args: never[]) => unknown>>): Record<string, Record<string, unknown>> {
  const safe: Record<string, Record<string, unknown>> = {};
  for (const [ns, group] of Object.entries(api)) {
    safe[ns] = {};
    for (const [name, fn] of Object.entries(group)) {
      safe[ns][name] = (params: unknown, handlers?: StreamHandlers<unknown>) => {
        if (!handlers) return (fn as (p: unknown) => Promise<unknown>)(params).catch((error: unknown) => Promise.reject(toWire(error)));
        return (fn as (p: unknown, h: StreamHandlers<unknown>) => () => void)(params, {
          next: (event) => handlers.next(event),
          error: (error) => handlers.error?.(toWire(error) as unknown as ServiceError),
          complete: () => handlers.complete?.(),
        });
      };
    }
  }
  return safe;
}

const api = buildApi(createClient(portChannelOnce()));
contextBridge.exposeInMainWorld('lanyard', bridgeSafe(api as unknown as Record<string, Record<string, (...args: never[]) => unknown>>));
