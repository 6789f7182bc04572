// Channels over message ports: Electron's MessagePortMain / parentPort, Node's worker MessagePort,
// and a forked child's IPC. Each is the same two calls under different names.
import type { Channel } from '../contract/wire.ts';

/** Electron's MessagePortMain: 'message' events carry { data }. */
export interface ElectronPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
}

export function electronPortChannel<In, Out>(port: ElectronPortLike): Channel<In, Out> {
  const channel: Channel<In, Out> = {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => void port.on('message', (event) => listener(event.data as In)),
    onClose: (listener) => void port.on('close', listener),
  };
  port.start();
  return channel;
}

/** A forked child's IPC channel, seen from either side (`process` in the child, the ChildProcess in the parent). */
export interface IpcLike {
  send?(message: unknown): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
}

export function ipcChannel<In, Out>(ipc: IpcLike): Channel<In, Out> {
  if (!ipc.send) throw new Error('This process has no IPC channel (it was not started with fork()).');
  const send = ipc.send.bind(ipc);
  return {
    send: (message) => void send(message),
    onMessage: (listener) => void ipc.on('message', (message) => listener(message as In)),
    onClose: (listener) => void ipc.on('disconnect', listener),
  };
}
