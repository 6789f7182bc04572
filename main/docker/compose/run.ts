// The Docker service's Compose methods: a project's details, and an action run in a terminal tab from the
// project's folder.
import type { ShellDialect } from '../../docker/contract.ts';
import type { ComposeAction, ComposeProject } from '../../docker/contract.ts';
import { ServiceError } from '../../contract/errors.ts';
import type { TerminalInfo } from '../../terminal/contract.ts';
import { commandLine } from '../../system/shell-quote.ts';
import { commandShell } from '../../system/user-shell.ts';
import type { TerminalManager } from '../../terminal/tool.ts';
import { runCommandInTerminal } from '../run-in-terminal.ts';
import type { DockerService } from '../service.ts';
import { composeCli } from './cli.ts';
import { composeProject } from './project.ts';

/** The project with its actions quoted for `dialect` (by default, for the shell a terminal runs them with). */
export async function projectDetails(docker: DockerService, name: string, dialect?: ShellDialect): Promise<ComposeProject> {
  const { argv, ...project } = await composeProject(
    docker.engine(),
    name,
    await composeCli(docker.env),
    dialect ?? commandShell(docker.env).dialect,
  );
  return project;
}

export async function runComposeAction(
  docker: DockerService,
  terminals: TerminalManager,
  request: { project: string; action: ComposeAction; confirmed: boolean; cols: number; rows: number },
): Promise<{ terminal: TerminalInfo; command: string }> {
  const cli = await composeCli(docker.env);
  const project = await composeProject(docker.engine(), request.project, cli, commandShell(docker.env).dialect);
  if (!project.argv)
    throw new ServiceError('unavailable', 'Neither `docker compose` nor `docker-compose` is installed.', {
      hint: 'Install one: sudo apt install docker-compose (or the docker-compose-plugin package).',
    });
  if (request.action === 'down' && !request.confirmed)
    throw new ServiceError('invalid-argument', `Stopping "${request.project}" removes its containers and networks; confirm first.`, {
      field: 'params.confirmed',
    });
  return runCommandInTerminal(docker, terminals, {
    command: commandLine(project.argv[request.action], commandShell(docker.env).dialect),
    title: `${request.project}: ${request.action}`,
    cols: request.cols,
    rows: request.rows,
    cwd: project.workingDir && project.argv[request.action].includes(project.workingDir) ? project.workingDir : undefined,
  });
}
