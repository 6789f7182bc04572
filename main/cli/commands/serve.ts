import path from 'node:path';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { startServer } from '../../host/serve/server.ts';
import { resolveDataDir } from '../../system/data-dir.ts';
import { openInBrowser } from '../open-browser.ts';
import { bold } from '../style.ts';
import { parseOptions, parsePort, UsageError, type CommandContext, type CommandModule } from '../usage.ts';

export interface ServeFlags {
  port: number;
  host: string;
  open: boolean;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Start the server and keep it until SIGINT/SIGTERM. Shared with `lanyard app`'s fallback. */
export async function serveUntilStopped(flags: ServeFlags, context: CommandContext): Promise<number> {
  const rendererDir = path.join(context.outDir, 'renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) throw new UsageError(`the UI is not built (${rendererDir} is missing): run \`npm run build\``);
  const server = await startServer({ host: flags.host, port: flags.port, rendererDir });
  process.stdout.write(`${bold('Lanyard is serving')} ${server.url}\n`);
  process.stdout.write('Open that URL in a browser; its token keeps other pages and users out. Ctrl+C stops.\n');
  if (!isLoopback(flags.host)) {
    process.stdout.write(`${bold('Note:')} ${flags.host} is not a loopback address: anyone who can reach it and has the token can use Lanyard, over plain HTTP.\n`);
  }
  const removeLauncher = flags.open ? await openInBrowser(server.url, resolveDataDir().path) : () => {};
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  removeLauncher();
  await server.close();
  process.stdout.write('Lanyard stopped serving.\n');
  return 0;
}

export const run: CommandModule['run'] = async (args, context) => {
  const { values, positionals } = parseOptions(args, { port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments (got "${positionals.join(' ')}")`);
  return serveUntilStopped({ port: parsePort(values.port, 0), host: values.host ?? '127.0.0.1', open: values.open ?? false }, context);
};
