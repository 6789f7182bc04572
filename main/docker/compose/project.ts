// A Compose project as the engine knows it (its containers' labels) and as its files say (profiles), with its
// actions as command lines filled from the project: the project name, its files and its folder.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ShellDialect } from '../../docker/contract.ts';
import type { ComposeAction, ComposeProject } from '../../docker/contract.ts';
import { ServiceError } from '../../contract/errors.ts';
import { envCommandLine } from '../../system/shell-quote.ts';
import type { Engine } from '../engine.ts';
import { listContainers } from '../listings.ts';
import { noComposeTool, type ComposeCli } from './cli.ts';
import { composeLabel } from './labels.ts';
import { composeFileCap, composeProfiles } from './profiles.ts';

const actionArgs: Record<ComposeAction, string[]> = {
  up: ['up', '-d'],
  down: ['down'],
  restart: ['restart'],
  logs: ['logs', '-f'],
  ps: ['ps'],
};

/** The argv of an action: `-p` keeps the labels' project name, `-f` each file found, the folder as the project's. */
export function composeArgv(
  cli: ComposeCli,
  project: { name: string; workingDir: string | null; files: string[] },
  action: ComposeAction,
): string[] {
  return [
    ...cli,
    '-p',
    project.name,
    ...project.files.flatMap((f) => ['-f', f]),
    ...(project.workingDir ? ['--project-directory', project.workingDir] : []),
    ...actionArgs[action],
  ];
}

function readProfiles(file: string, problems: string[]): string[] {
  try {
    const size = statSync(file).size;
    if (size > composeFileCap) {
      problems.push(
        `${file}: ${size} bytes, more than the ${composeFileCap / 1024} kB Lanyard reads of a Compose file; profiles not listed`,
      );
      return [];
    }
    return composeProfiles(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message.split('\n')[0]}`);
    return [];
  }
}

export async function composeProject(
  engine: Engine,
  name: string,
  cli: ComposeCli | null,
  dialect: ShellDialect,
  /** Variables the tool needs on its command line for this engine (compose/cli.ts composeEnv). */
  toolEnv: [string, string][] = [],
): Promise<ComposeProject & { argv: Record<ComposeAction, string[]> | null }> {
  const containers = await listContainers(engine, true, { label: [`${composeLabel.project}=${name}`] });
  const labelled = containers.flatMap((c) => (c.compose ? [c.compose] : []));
  const first = labelled.find((c) => !c.oneoff) ?? labelled[0];
  if (!first)
    throw new ServiceError('not-found', `No containers of a Compose project "${name}" on this engine.`, {
      hint: 'Bring it up from its folder first (docker compose up -d).',
    });
  const problems: string[] = [];
  const workingDir = first.workingDir;
  // Compose v1 may write the files relative to the folder.
  const configFiles = first.configFiles.map((f) => (workingDir && !path.isAbsolute(f) ? path.join(workingDir, f) : f));
  const files = configFiles.filter((f) => {
    // The labels come from the engine: only a Compose file's kind of name is opened on this machine.
    if (!/\.ya?ml$/i.test(f)) {
      problems.push(`${f}: not a .yml or .yaml file; not read`);
      return false;
    }
    try {
      return statSync(f).isFile();
    } catch {
      problems.push(`${f}: not on this machine (the engine may be remote); the actions use the project name alone`);
      return false;
    }
  });
  const profiles = [...new Set(files.flatMap((f) => readProfiles(f, problems)))].sort();
  if (!cli) problems.push(`${noComposeTool.message} ${noComposeTool.hint}`);
  const project = { name, workingDir: files.length ? workingDir : null, files };
  const argv = cli
    ? (Object.fromEntries(Object.keys(actionArgs).map((a) => [a, composeArgv(cli, project, a as ComposeAction)])) as Record<
        ComposeAction,
        string[]
      >)
    : null;
  return {
    name,
    workingDir,
    configFiles,
    services: [...new Set(labelled.filter((c) => !c.oneoff).map((c) => c.service))].sort(),
    dependsOn: Object.fromEntries(
      labelled.filter((c) => !c.oneoff && c.dependsOn.length > 0).map((c) => [c.service, c.dependsOn] as const),
    ),
    profiles,
    cli: cli?.join(' ') ?? null,
    actions: argv
      ? Object.entries(argv).map(([action, words]) => ({
          action: action as ComposeAction,
          command: envCommandLine(toolEnv, words, dialect),
          danger: action === 'down',
        }))
      : [],
    problems,
    argv,
  };
}
