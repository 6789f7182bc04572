import path from 'node:path';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { startServer, type RunningServer } from '../../host/serve/server.ts';
import { resolveDataDir } from '../../system/data-dir.ts';
import { openInBrowser } from '../open-browser.ts';
import { bold } from '../../system/terminal-style.ts';
import { parseOptions, parsePort, UsageError, type CommandContext, type CommandModule } from '../../system/command-line.ts';

export interface ServeFlags {
  port: number;
  host: string;
  open: boolean;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Settles on the first SIGINT or SIGTERM; the listeners stay until then, so Node does not exit on its own. */
export function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Start the server and say where it is. Shared with `lanyard app`, which shows it in an app window or a tab. */
export async function startServing(flags: Omit<ServeFlags, 'open'>, context: CommandContext): Promise<RunningServer> {
  const rendererDir = path.join(context.outDir, 'renderer');
  if (!existsSync(path.join(rendererDir, 'index.html')))
    throw new UsageError(`the UI is not built (${rendererDir} is missing): run \`npm run build\``);
  const server = await startServer({ host: flags.host, port: flags.port, rendererDir });
  process.stdout.write(`${bold('Lanyard is serving')} ${server.url}\n`);
  if (!isLoopback(flags.host)) {
    process.stdout.write(
      `${bold('Note:')} ${flags.host} is not a loopback address: anyone who can reach it and has the token can use Lanyard, over plain HTTP.\n`,
    );
  }
  return server;
}

/** Serve until stopped, first opening a browser tab on the app when asked; the launcher goes with the server. */
export async function keepServing(server: RunningServer, open: boolean, stopped: Promise<void>): Promise<number> {
  process.stdout.write('Open that URL in a browser; its token keeps other pages and users out. Ctrl+C stops.\n');
  const removeLauncher = open ? await openInBrowser(server.url, resolveDataDir().path) : () => {};
  await stopped;
  removeLauncher();
  await server.close();
  process.stdout.write('Lanyard stopped serving.\n');
  return 0;
}

/** Start the server and keep it until SIGINT/SIGTERM. */
export async function serveUntilStopped(flags: ServeFlags, context: CommandContext): Promise<number> {
  const stopped = stopSignal();
  return keepServing(await startServing(flags, context), flags.open, stopped);
}

export const run: CommandModule['run'] = async (args, context) => {
  const { values, positionals } = parseOptions(args, { port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments (got "${positionals.join(' ')}")`);
  return serveUntilStopped({ port: parsePort(values.port, 0), host: values.host ?? '127.0.0.1', open: values.open ?? false }, context);
};
