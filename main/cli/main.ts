// The `lanyard` command line: parse the command, load only that command's code, run it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceError } from '../contract/errors.ts';
import { appVersion } from '../system/app-version.ts';
import { commandNames, helpText, loadCommand } from './command-registry.ts';
import { type CommandHost, UsageError } from '../system/command-line.ts';

/** out/ (where this bundle lives): the built renderer and host sit beside it. */
const outDir = path.dirname(fileURLToPath(import.meta.url));

/** The services in this process, for commands that call them (loaded on first use: not every command needs them). */
async function startHost(): Promise<CommandHost> {
  const { host, api } = (await import('../host/in-process.ts')).startInProcess();
  return { api, close: () => host.close() };
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    process.stdout.write(await helpText(topic));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`lanyard ${appVersion}\n`);
    return 0;
  }
  if (!commandNames.includes(first)) throw new UsageError(`unknown command "${first}"`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(await helpText(first));
    return 0;
  }
  const module = await loadCommand(first);
  return module.run(rest, { outDir, startHost, helpText });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`lanyard: ${error.message}\nRun \`lanyard --help\` for usage.\n`);
      process.exitCode = 2;
    } else if (error instanceof ServiceError) {
      process.stderr.write(`lanyard: ${error.message}\n${error.hint ? `${error.hint}\n` : ''}`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`lanyard: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    }
  },
);
