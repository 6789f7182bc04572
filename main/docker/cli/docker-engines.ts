// `lanyard docker engines` and `lanyard docker use ID|auto`: every engine there is (the docker CLI's, DOCKER_HOST,
// each context, Podman's sockets) and the one Lanyard uses, the same choice the Docker view makes.
import type { CommandHost } from '../../system/command-line.ts';
import { bold, dim, yellow } from '../../system/terminal-style.ts';
import { parseOptions, UsageError } from '../../system/command-line.ts';

type Api = CommandHost['api'];

export async function listEngines(api: Api, args: string[]): Promise<number> {
  const { values } = parseOptions(args, { json: { type: 'boolean' } });
  const result = await api.docker.endpoints({});
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...result.endpoints.map((e) => e.id.length));
  for (const e of result.endpoints)
    process.stdout.write(
      `${e.current ? bold('*') : ' '} ${e.id.padEnd(width)}  ${e.host}${e.tls ? dim(' (TLS)') : ''}${e.warning ? ` ${yellow('(insecure)')}` : ''}  ${dim(`from ${e.source}`)}\n`,
    );
  process.stdout.write(
    dim(result.chosen ? `picked with \`lanyard docker use\`: ${result.chosen}\n` : 'automatic: as the docker CLI finds it\n'),
  );
  return 0;
}

export async function switchEngine(api: Api, args: string[]): Promise<number> {
  const { positionals } = parseOptions(args, {});
  if (positionals.length !== 1) throw new UsageError('lanyard docker use ID|auto   (IDs: lanyard docker engines)');
  const id = positionals[0]!;
  const status = await api.docker.chooseEndpoint({ id: id === 'auto' ? null : id });
  process.stdout.write(
    status.reachable
      ? `Using ${status.flavour === 'podman' ? 'Podman' : 'Docker engine'} ${status.engineVersion} at ${status.host}\n`
      : `Using ${status.host}, which does not answer: ${status.problem}\n${status.hint ? `${status.hint}\n` : ''}`,
  );
  return status.reachable ? 0 : 1;
}
