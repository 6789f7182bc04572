// Starts the service host as a utilityProcess and hands each trusted window its own MessagePort to it.
import { ipcMain, MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { hostExecArgv } from '../system/host-heap-flags.ts';
import { hostEntry } from './paths.ts';
import { isOwnPage } from './own-page.ts';

export const connectChannel = 'lanyard:connect';
export const portChannel = 'lanyard:port';

export function startHost(onCrash: (reason: string) => void): UtilityProcess {
  const host = utilityProcess.fork(hostEntry, [], { serviceName: 'Lanyard service host', stdio: 'inherit', execArgv: [...hostExecArgv] });
  host.on('exit', (code) => {
    if (code !== 0) onCrash(`the service host exited with code ${code}`);
  });
  return host;
}

/** Answer a window's request for a port, after checking it comes from our own page in a window we made. */
export function acceptConnections(getHost: () => UtilityProcess, isOurs: (contents: WebContents) => boolean): void {
  ipcMain.on(connectChannel, (event) => {
    if (!isOurs(event.sender) || !isOwnPage(event.senderFrame?.url)) return;
    const { port1, port2 } = new MessageChannelMain();
    getHost().postMessage({ t: 'connect' }, [port1]);
    event.sender.postMessage(portChannel, null, [port2]);
  });
}
