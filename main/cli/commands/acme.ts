// `lanyard acme …`: the local ACME directory's commands.
import { resolveDataDir } from '../../system/data-dir.ts';
import { UsageError, type CommandModule } from '../usage.ts';

export const run: CommandModule['run'] = async (args) => {
  const [sub, ...rest] = args;
  if (sub === 'clients') return (await import('./acme-clients.ts')).runClients(rest, resolveDataDir(process.env).path);
  throw new UsageError('usage: lanyard acme clients [--url URL] [--name NAME] [--client ID] [--json]');
};
