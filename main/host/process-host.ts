// The service host as its own process (started by entry.ts): Electron's utilityProcess (one MessagePort per window,
// handed over by main) or a plain forked Node child (one IPC channel). Never imports electron.
import type { ClientMessage, HostMessage } from '../contract/wire.ts';
import { createHost } from './host.ts';
import { electronPortChannel, ipcChannel, type ElectronPortLike } from './port-channel.ts';
import { createHandlerTable } from './services.ts';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown; ports: ElectronPortLike[] }) => void): unknown;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

if (parentPort) {
  const table = createHandlerTable({ transport: 'electron' });
  const host = createHost(table);
  parentPort.on('message', (event) => {
    for (const port of event.ports) host.connect(electronPortChannel<ClientMessage, HostMessage>(port));
  });
  parentPort.postMessage({ t: 'ready' });
  // The window is up by now: load the services in the background so the first click does not wait.
  setTimeout(() => void table.warm?.(), 0);
} else if (process.send) {
  const host = createHost(createHandlerTable({ transport: 'fork' }));
  host.connect(ipcChannel<ClientMessage, HostMessage>(process));
  process.on('disconnect', () => {
    void host.close().finally(() => process.exit(0));
  });
  process.send({ t: 'ready' });
} else {
  process.stderr.write('lanyard host: start me from the Lanyard app or with child_process.fork(); use `lanyard serve` for a browser.\n');
  process.exit(2);
}
