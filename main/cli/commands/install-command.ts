// `lanyard install-command`: put `lanyard` on PATH without root (system/command-install.ts; Doctor's button does the same).
import { CommandInstallError, installCommand, launcherPath, removeCommand } from '../../system/command-install.ts';
import { type CommandContext, parseOptions, UsageError } from '../../system/command-line.ts';

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseOptions(args, { dir: { type: 'string' }, remove: { type: 'boolean' }, force: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`install-command takes no names (got "${positionals[0]}")`);
  const where = { launcher: launcherPath(context.outDir), dir: values.dir, env: process.env, force: values.force };
  try {
    process.stdout.write(values.remove ? removeCommand(where) : installCommand(where));
  } catch (error) {
    if (!(error instanceof CommandInstallError)) throw error;
    throw new UsageError(
      values.remove ? `${error.message}; remove it yourself or add --force` : `${error.message}; add --force to replace it`,
    );
  }
  return 0;
}
